//! Reporters: formatting is the only thing they do.

pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod plain;
pub mod pretty;
pub mod sarif;
mod xml;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, LineCol, SourceFile, Span};
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
#[derive(Default)]
pub struct Report<'a> {
    pub files: &'a [SourceFile],
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
    /// The objects of the reported files, sorted by file and position (JUnit
    /// makes one test case of each). May be empty.
    pub objects: &'a [ReportObject],
    /// One stable fingerprint per diagnostic (see `crate::fingerprint`), or
    /// empty when the caller did not compute them.
    pub fingerprints: &'a [String],
    /// Files findings may be reported in, sorted; `None`: all of `files`.
    /// Files loaded only for `--context` are not.
    pub reported_files: Option<&'a [FileId]>,
}

impl<'a> From<&'a crate::lint::LintResult> for Report<'a> {
    /// The whole result of a lint run, as `kwire lint` reports it.
    fn from(result: &'a crate::lint::LintResult) -> Self {
        Report {
            files: &result.files,
            diagnostics: &result.diagnostics,
            summary: result.summary,
            objects: &result.objects,
            fingerprints: &result.fingerprints,
            reported_files: Some(&result.reported_files),
        }
    }
}

/// An object of the input, for reporters that list objects (JUnit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportObject {
    pub file: FileId,
    /// The object's whole YAML mapping.
    pub span: Span,
    /// `Kind/namespace/name` (cluster-scoped: `Kind//name`).
    pub id: String,
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
    /// SARIF 2.1.0 (GitHub code scanning, IDEs' SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`): annotations on the PR diff.
    Github,
    /// JUnit XML: one test case per object, a failure per finding (GitLab, Jenkins).
    Junit,
    /// Checkstyle XML (reviewdog, Jenkins' warnings plugin).
    Checkstyle,
    /// GitLab Code Quality JSON (merge request widget).
    Gitlab,
}

impl Format {
    /// Formats meant for a program: the summary line is left off stderr when
    /// they go to stdout, so the stream is exactly the document.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Sarif | Format::Junit | Format::Checkstyle | Format::Gitlab
        )
    }
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
        Format::Sarif => sarif::write_sarif(report, out),
        Format::Github => github::write_github(report, out),
        Format::Junit => junit::write_junit(report, out),
        Format::Checkstyle => checkstyle::write_checkstyle(report, out),
        Format::Gitlab => gitlab::write_gitlab(report, out),
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

/// Path, start and end (exclusive, 1-based, columns in characters) of a
/// span; an empty span ends where it starts. Unknown files give
/// `<unknown>` at 1:1.
pub(crate) fn location<'a>(
    report: &Report<'a>,
    file: FileId,
    span: Span,
) -> (&'a str, LineCol, LineCol) {
    match file_of(report, file) {
        Some(f) => {
            let start = f.line_col(span.start as usize);
            let end = if span.is_empty() {
                start
            } else {
                f.line_col(span.end as usize)
            };
            (f.path.as_str(), start, end)
        }
        None => {
            let one = LineCol { line: 1, column: 1 };
            ("<unknown>", one, one)
        }
    }
}

/// Lines a related location spans at most in a report: its start and a
/// little after, never a whole subtree (a CRD's schema is thousands of lines).
pub const RELATED_LINES: usize = 3;

/// Lines a finding's own span shows at most (a wrong-typed `spec` can be a
/// long mapping): enough to see where it is and what it holds.
pub const PRIMARY_LINES: usize = 12;

/// `span` cut to end on its `max_lines`th line (its first line is the first);
/// a span within that many lines is returned as it is.
pub fn head_lines(file: &SourceFile, span: Span, max_lines: usize) -> Span {
    let first = file.line_index(span.start as usize);
    let last_byte = (span.end as usize)
        .saturating_sub(1)
        .max(span.start as usize);
    let last = file.line_index(last_byte);
    if max_lines == 0 || last < first + max_lines {
        return span;
    }
    let end = file
        .line_end(first + max_lines - 1)
        .max(span.start as usize);
    Span::new(span.start as usize, end)
}

/// The message with its help on a second line, for formats that have one
/// text field.
pub(crate) fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

/// The fingerprint of the `i`th diagnostic, if the caller computed them.
pub(crate) fn fingerprint_of<'a>(report: &Report<'a>, i: usize) -> Option<&'a str> {
    report.fingerprints.get(i).map(String::as_str)
}

#[cfg(test)]
pub(crate) mod tests;
