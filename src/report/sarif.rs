//! SARIF 2.1.0 for GitHub code scanning and SARIF viewers.
//!
//! - `tool.driver.rules` lists every registered rule (id, name,
//!   shortDescription, `helpUri` to its doc, `defaultConfiguration.level`);
//!   results point at them by `ruleId` and `ruleIndex`.
//! - Each result has the field-level region (`startLine`, `startColumn`,
//!   `endLine`, `endColumn`, exclusive end, columns in Unicode code points as
//!   `run.columnKind` says) and `relatedLocations` for the other objects.
//! - Artifact URIs are the paths as given, percent-encoded: relative paths
//!   stay relative (GitHub resolves them against the checkout), absolute
//!   ones become `file://` URIs.
//! - `partialFingerprints.kwire/v1` carries kwire's line-independent
//!   fingerprint when the caller computed it, so alerts survive line moves.
//!
//! Level: error -> `error`, warning -> `warning`, info -> `note`.

use super::{Report, fingerprint_of, location};
use crate::diagnostic::Severity;
use serde_json::{Value, json};
use std::io::{self, Write};

/// Where the rule docs live: `{RULE_DOC_BASE}/KW3001.md`. One stable scheme
/// for every output that links a rule (SARIF `helpUri`).
pub const RULE_DOC_BASE: &str = "https://github.com/kwire-dev/kwire/blob/main/rules";

pub fn rule_doc_url(code: &str) -> String {
    format!("{RULE_DOC_BASE}/{code}.md")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn write_sarif(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules = crate::rules::all();
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "helpUri": rule_doc_url(m.code),
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"category": m.category.as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": super::message_with_help(d)},
                "locations": [physical(report, d.file, d.span, None)],
            });
            if let Some(index) = rules.iter().position(|m| m.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, r)| {
                        // At most a few lines, as in the pretty report.
                        let span = super::file_of(report, r.file).map_or(r.span, |f| {
                            super::head_lines(f, r.span, super::RELATED_LINES)
                        });
                        physical(report, r.file, span, Some((id, &r.message)))
                    })
                    .collect();
            }
            if let Some(f) = fingerprint_of(report, i) {
                result["partialFingerprints"] = json!({"kwire/v1": f});
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kwire",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kwire-dev/kwire",
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

fn physical(
    report: &Report,
    file: crate::source::FileId,
    span: crate::source::Span,
    related: Option<(usize, &str)>,
) -> Value {
    let (path, start, end) = location(report, file, span);
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(path)},
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            },
        },
    });
    if let Some((id, message)) = related {
        loc["id"] = json!(id);
        loc["message"] = json!({"text": message});
    }
    loc
}

/// A path as a URI reference: relative stays relative, `\` becomes `/`,
/// absolute paths become `file://` URIs, and every byte outside the
/// unreserved set and `/` is percent-encoded.
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_stay_relative_and_are_encoded() {
        assert_eq!(
            super::artifact_uri("k8s/web app.yaml"),
            "k8s/web%20app.yaml"
        );
        assert_eq!(super::artifact_uri("/abs/x.yaml"), "file:///abs/x.yaml");
        assert_eq!(super::artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(super::artifact_uri("é.yaml"), "%C3%A9.yaml");
    }
}
