//! The versioned machine contract of `kwire lint -f json`
//! (`docs/lint-report.schema.json`, version 1).

use super::{Report, file_of};
use crate::diagnostic::{Diagnostic, ObjectRef};
use crate::source::{LineCol, SourceFile};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    summary: super::Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    object: Option<&'a ObjectRef>,
    related: Vec<JsonRelated<'a>>,
    /// The deployment unit the finding was made in; only when the input
    /// forms more than one unit (`docs/references.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

/// Writes the report as ONE compact JSON object followed by a newline
/// (compact so that it pipes into `jq` and log collectors line-wise).
///
/// Positions are 1-based, columns count characters. `end_line`/`end_column`
/// is the position of the exclusive span end (just after the last
/// character); an empty span has end == start. A code missing from the rule
/// registry is reported with rule `unknown` and category `internal`.
pub fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = JsonReport {
        version: 1,
        summary: report.summary,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| json_diagnostic(report, d))
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

fn json_diagnostic<'a>(report: &Report<'a>, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let meta = crate::rules::meta(d.code);
    let file = file_of(report, d.file);
    let start = position(file, d.span.start);
    let end = if d.span.is_empty() {
        start
    } else {
        position(file, d.span.end)
    };
    JsonDiagnostic {
        code: d.code,
        rule: meta.map_or("unknown", |m| m.name),
        category: meta.map_or("internal", |m| m.category.as_str()),
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        file: path_of(file),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        object: d.object.as_ref(),
        related: d
            .related
            .iter()
            .map(|r| {
                let rf = file_of(report, r.file);
                let pos = position(rf, r.span.start);
                JsonRelated {
                    file: path_of(rf),
                    line: pos.line,
                    column: pos.column,
                    message: &r.message,
                }
            })
            .collect(),
        unit: d.unit.as_deref(),
    }
}

fn position(file: Option<&SourceFile>, byte: u32) -> LineCol {
    file.map_or(LineCol { line: 1, column: 1 }, |f| {
        f.line_col(byte as usize)
    })
}

fn path_of(file: Option<&SourceFile>) -> &str {
    file.map_or("<unknown>", |f| f.path.as_str())
}
