//! Human output: one miette graphical report per diagnostic.

use super::{PRIMARY_LINES, RELATED_LINES, Report, file_of, head_lines};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// Label under the primary span when the diagnostic carries none.
const DEFAULT_LABEL: &str = "here";

/// Renders every diagnostic as a miette snippet: `error[CODE]`, message, the source
/// around the primary span with its label, related spans (as extra labels
/// when in the same file, as a secondary snippet when in another file) and
/// the `help:` line. ANSI colour only when `color` is true. The summary line
/// is the caller's job ([`super::summary_line`]).
pub fn write_pretty(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width())
        .with_links(false)
        .without_syntax_highlighting()
        .with_show_related_as_nested(true);
    let mut buf = String::new();
    for d in report.diagnostics {
        let Some(rendered) = Rendered::from_diagnostic(report, d) else {
            // A FileId outside the file list: still say something useful.
            writeln!(out, "{}: {}", header(d), d.message)?;
            continue;
        };
        buf.clear();
        handler
            .render_report(&mut buf, &rendered)
            .map_err(|_| io::Error::other(format!("cannot render diagnostic {}", d.code)))?;
        out.write_all(buf.as_bytes())?;
        writeln!(out)?;
    }
    Ok(())
}

/// Columns to wrap to: `COLUMNS` when set (as `ls` and ruff honour it),
/// else the width of the terminal stdout is, else miette's 200 (a pipe or
/// a file: no terminal to fit).
fn width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns.max(MIN_WIDTH);
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map_or(DEFAULT_WIDTH, |(terminal_size::Width(w), _)| {
            usize::from(w).max(MIN_WIDTH)
        })
}

/// Narrower than this, miette's gutters leave no room for the text.
const MIN_WIDTH: usize = 40;
/// miette's own default, for output that is not a terminal.
const DEFAULT_WIDTH: usize = 200;

/// A `SourceFile` seen by miette. miette's own impl for `String` rescans
/// the text from byte 0 for every span (quadratic over thousands of
/// findings); this one answers from the line index in O(log lines).
pub struct IndexedSource<'a>(pub &'a SourceFile);

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.0;
        // miette splits lines at LF and CRLF only: a lone CR (a line break
        // to YAML) is shown as one, offsets unchanged.
        let text = file.lf_text().as_bytes();
        let start = span.offset();
        let end = start
            .checked_add(span.len())
            .filter(|&e| e <= text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let first_line = file.line_index(start);
        // The line of the last byte in the span (an empty span: its start).
        let last_line = file.line_index(if end > start { end - 1 } else { start });
        let start_column = char_count(file, file.line_start(first_line), start);

        if context_lines_before == 0 && context_lines_after == 0 {
            // Only the span itself, positioned at its own line and column.
            let data = text.get(start..end).ok_or(MietteError::OutOfBounds)?;
            return Ok(Box::new(MietteSpanContents::new_named(
                file.path.clone(),
                data,
                SourceSpan::from((start, end - start)),
                first_line,
                start_column,
                last_line - first_line + 1,
            )));
        }

        let from_line = first_line.saturating_sub(context_lines_before);
        let to_line = (last_line + context_lines_after).min(file.line_count().saturating_sub(1));
        // Like miette's own impl: without lines before, start at the span.
        let (data_start, column) = if context_lines_before == 0 {
            (start, start_column)
        } else {
            (file.line_start(from_line), 0)
        };
        // Through the line break of the last context line.
        let data_end = file.line_start(to_line + 1).max(end);
        let data = text
            .get(data_start..data_end)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            file.path.clone(),
            data,
            SourceSpan::from((data_start, data_end - data_start)),
            if context_lines_before == 0 {
                first_line
            } else {
                from_line
            },
            column,
            to_line - from_line + 1,
        )))
    }
}

fn char_count(file: &SourceFile, from: usize, to: usize) -> usize {
    file.text.get(from..to).map_or(0, |s| s.chars().count())
}

/// A span clamped into the file and onto character boundaries, so that a
/// producer's off-by-one never makes miette refuse the snippet.
fn clamp(file: &SourceFile, span: Span) -> SourceSpan {
    let text = &file.text;
    let mut start = (span.start as usize).min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    SourceSpan::from((start, end - start))
}

/// `error[KW3001]`: the severity in words and the code, as rustc and ruff
/// head their diagnostics. miette prints it as the code line, in the
/// severity's colour, above its `× message` line (miette always prints the
/// message on a line of its own, so `error[KW3001]: message` on one line
/// would print the message twice).
fn header(d: &Diagnostic) -> String {
    format!("{}[{}]", d.severity.as_str(), d.code)
}

/// One diagnostic in miette's terms, borrowing from the report.
struct Rendered<'a> {
    code: Option<String>,
    message: &'a str,
    severity: miette::Severity,
    help: Option<&'a str>,
    source: IndexedSource<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl<'a> Rendered<'a> {
    fn from_diagnostic(report: &Report<'a>, d: &'a Diagnostic) -> Option<Self> {
        let file = file_of(report, d.file)?;
        let label = d.label.as_deref().unwrap_or(DEFAULT_LABEL).to_string();
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label),
            clamp(file, head_lines(file, d.span, PRIMARY_LINES)),
        )];
        let mut related = Vec::new();
        for r in &d.related {
            let Some(rf) = file_of(report, r.file) else {
                continue;
            };
            let span = head_lines(rf, r.span, RELATED_LINES);
            if r.file == d.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    clamp(rf, span),
                ));
            } else {
                // miette labels need one source: another file gets its own
                // snippet, rendered under this diagnostic.
                related.push(Rendered {
                    code: None,
                    message: &r.message,
                    severity: miette::Severity::Advice,
                    help: None,
                    source: IndexedSource(rf),
                    labels: vec![LabeledSpan::new_primary_with_span(None, clamp(rf, span))],
                    related: Vec::new(),
                });
            }
        }
        Some(Rendered {
            code: Some(header(d)),
            message: &d.message,
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: d.help.as_deref(),
            source: IndexedSource(file),
            labels,
            related,
        })
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("code", &self.code)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_deref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display + 'b>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}
