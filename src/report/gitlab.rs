//! GitLab Code Quality report: a JSON array of issues (`description`,
//! `check_name`, `fingerprint`, `severity`, `location.path`,
//! `location.lines.begin`), shown in the merge request widget when a job
//! declares it under `artifacts:reports:codequality`.
//!
//! Severity: error -> `major`, warning -> `minor`, info -> `info`. The
//! fingerprint is a hash of kwire's stable fingerprint (code, object, field
//! path, occurrence; see `crate::fingerprint`), so GitLab tracks a finding
//! across line moves; without one it falls back to code, file and position.

use super::{Report, fingerprint_of, location, message_with_help};
use crate::diagnostic::Severity;
use serde_json::json;
use std::io::{self, Write};

pub fn write_gitlab(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (path, start, _) = location(report, d.file, d.span);
            let key = match fingerprint_of(report, i) {
                Some(f) => f.to_string(),
                None => format!("{} {path}:{}:{}", d.code, start.line, start.column),
            };
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            json!({
                "description": format!("{}: {}", d.code, message_with_help(d)),
                "check_name": d.code,
                "fingerprint": crate::fingerprint::hash_hex(&key),
                "severity": severity,
                "location": {"path": path, "lines": {"begin": start.line}},
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
