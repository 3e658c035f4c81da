//! GitHub Actions workflow commands: one `::error file=…,line=…::message`
//! line per finding, which GitHub turns into annotations on the changed
//! lines of a pull request. `info` findings become `::notice`.
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n`
//! become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become
//! `%3A` and `%2C`.

use super::{Report, location, message_with_help};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub fn write_github(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let (path, start, end) = location(report, d.file, d.span);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(path),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(d.code),
            escape_data(&message_with_help(d)),
        )?;
    }
    Ok(())
}

/// Escapes a command's message (`::error …::MESSAGE`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=VALUE`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}
