//! `path:line:col: severity[CODE] message`, one line per finding: the shape
//! editors' problem matchers and vim's default `errorformat` (`%f:%l:%c: %m`)
//! understand. No colour, no help, no related locations.

use super::{Report, file_of};
use std::io::{self, Write};

/// Writes one line per diagnostic. Line breaks inside a message are folded to
/// spaces so that every finding stays exactly one line.
pub fn write_plain(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let (path, pos) = match file_of(report, d.file) {
            Some(f) => (f.path.as_str(), f.line_col(d.span.start as usize)),
            None => ("<unknown>", crate::source::LineCol { line: 1, column: 1 }),
        };
        writeln!(
            out,
            "{path}:{}:{}: {}[{}] {}",
            pos.line,
            pos.column,
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        )?;
    }
    Ok(())
}

fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    } else {
        s.into()
    }
}
