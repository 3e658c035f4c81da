//! Checkstyle XML: `<checkstyle><file name=…><error line= column= severity=
//! message= source=/></file></checkstyle>`, read by reviewdog, Jenkins'
//! warnings plugin and many code-review bots. Files appear in report order;
//! files without findings are left out.

use super::xml::escape;
use super::{Report, location, message_with_help};
use std::io::{self, Write};

pub fn write_checkstyle(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<checkstyle version=\"4.3\">")?;
    let mut open: Option<&str> = None;
    for d in report.diagnostics {
        let (path, start, _) = location(report, d.file, d.span);
        if open != Some(path) {
            if open.is_some() {
                writeln!(out, "  </file>")?;
            }
            writeln!(out, "  <file name=\"{}\">", escape(path))?;
            open = Some(path);
        }
        writeln!(
            out,
            "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"kwire.{}\"/>",
            start.line,
            start.column,
            d.severity.as_str(),
            escape(&format!("[{}] {}", d.code, message_with_help(d))),
            escape(d.code),
        )?;
    }
    if open.is_some() {
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
