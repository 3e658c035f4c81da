//! Baselines: `--write-baseline FILE` records today's findings, and
//! `--baseline FILE` reports only findings that are not in it — how a team
//! adopts kwire on a large repository without fixing everything first.
//!
//! A finding is identified by its fingerprint (`crate::fingerprint`): code,
//! object (apiVersion/kind/namespace/name), field path inside the object
//! and an occurrence counter — no line number, so moving an object or a
//! field, or editing other parts of a file, does not resurface findings.
//! The file is JSON, sorted by fingerprint, so it diffs well in reviews.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    /// For the reader only; matching uses the fingerprint.
    #[serde(default)]
    file: String,
    #[serde(default)]
    message: String,
}

/// The fingerprints of a baseline, with multiplicity.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    counts: HashMap<String, usize>,
}

impl Baseline {
    /// Reads a baseline file of at most `max_size` bytes.
    pub fn load(path: &Path, max_size: u64) -> Result<Baseline, String> {
        let text = crate::fsio::read_text(path, max_size)
            .map_err(|e| format!("cannot read baseline {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not a kwire baseline: {e}; write one with --write-baseline",
                path.display()
            )
        })?;
        if file.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (this kwire writes version 1)",
                path.display(),
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            *counts.entry(e.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the diagnostics (and their fingerprints) that are not in the
    /// baseline; returns how many were dropped.
    pub fn filter(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        fingerprints: &mut Vec<String>,
    ) -> usize {
        let mut left = self.counts.clone();
        let mut keep = Vec::with_capacity(fingerprints.len());
        for fp in fingerprints.iter() {
            let known = left.get_mut(fp).filter(|n| **n > 0);
            match known {
                Some(n) => {
                    *n -= 1;
                    keep.push(false);
                }
                None => keep.push(true),
            }
        }
        let before = diagnostics.len();
        let mut it = keep.iter();
        diagnostics.retain(|_| it.next().copied().unwrap_or(true));
        let mut it = keep.iter();
        fingerprints.retain(|_| it.next().copied().unwrap_or(true));
        before - diagnostics.len()
    }
}

/// Writes the baseline of `diagnostics` (with their `fingerprints`),
/// atomically (`crate::fsio::write_atomic`): killed midway, the old
/// baseline is still whole.
pub fn write(
    path: &Path,
    diagnostics: &[Diagnostic],
    fingerprints: &[String],
    files: &[SourceFile],
) -> std::io::Result<()> {
    let mut findings: Vec<Entry> = diagnostics
        .iter()
        .zip(fingerprints)
        .map(|(d, fp)| Entry {
            fingerprint: fp.clone(),
            file: files
                .get(d.file as usize)
                .map_or_else(String::new, |f| f.path.clone()),
            message: d.message.clone(),
        })
        .collect();
    findings.sort_by(|a, b| (&a.fingerprint, &a.file).cmp(&(&b.fingerprint, &b.file)));
    let mut text = serde_json::to_string_pretty(&BaselineFile {
        version: 1,
        findings,
    })
    .map_err(std::io::Error::other)?;
    text.push('\n');
    crate::fsio::write_atomic(path, text.as_bytes())
}
