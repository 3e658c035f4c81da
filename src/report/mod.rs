//! Reporters: formatting is the only thing they do.

pub mod json;
pub mod plain;
pub mod pretty;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;
use std::io;

pub use json::write_json;
pub use plain::write_plain;
pub use pretty::write_pretty;

/// Counts for the report header and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Everything a reporter needs. `diagnostics` are already sorted by file,
/// line, column, code; `diagnostic.file` indexes `files`.
pub struct Report<'a> {
    pub files: &'a [SourceFile],
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
}

/// Output format of `kwire lint` (`-f/--format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette snippets for humans (colour only on a terminal).
    #[default]
    Pretty,
    /// One `path:line:col: severity[CODE] message` line per finding.
    Plain,
    /// The versioned machine contract, `docs/lint-report.schema.json`.
    Json,
}

/// Writes the report in `format`. `color` only affects [`Format::Pretty`].
/// The summary line is not written here: the caller decides where it goes
/// (stderr for machine formats, after the findings for pretty).
pub fn write_report(
    report: &Report,
    format: Format,
    out: &mut dyn io::Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Pretty => write_pretty(report, out, color),
        Format::Plain => write_plain(report, out),
        Format::Json => write_json(report, out),
    }
}

/// `Found 2 errors, 5 warnings, 1 info in 12 files (40 documents, 38 objects)`
/// or `No problems in 12 files (40 documents, 38 objects)`. Severities with a
/// zero count are left out of the `Found` form.
pub fn summary_line(summary: &Summary) -> String {
    let scope = format!(
        "in {} ({}, {})",
        count(summary.files, "file", "files"),
        count(summary.documents, "document", "documents"),
        count(summary.objects, "object", "objects"),
    );
    let found: Vec<String> = [
        (summary.errors, "error", "errors"),
        (summary.warnings, "warning", "warnings"),
        (summary.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| count(n, one, many))
    .collect();
    if found.is_empty() {
        format!("No problems {scope}")
    } else {
        format!("Found {} {scope}", found.join(", "))
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The file a diagnostic points into; `None` only if a producer broke the
/// `FileId` invariant, which reporters tolerate rather than panic on.
pub(crate) fn file_of<'a>(
    report: &Report<'a>,
    id: crate::source::FileId,
) -> Option<&'a SourceFile> {
    report.files.get(id as usize)
}

#[cfg(test)]
pub(crate) mod tests;
