//! `kwire lint --fix`: applies the fixes the rules offer (`crate::edit`),
//! the way ruff does. Each pass lints, takes every applicable fix of every
//! reported file, applies those whose edits overlap no fix taken before it
//! in the file (sorted by position), and lints the new text again, until a
//! pass changes nothing or [`MAX_PASSES`] is reached. Nothing is written
//! here: the caller writes the result (`write_fixed`), prints a diff or
//! prints the fixed standard input.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::edit::{self, Applicability, Edit};
use crate::lint::{LintOptions, LintResult, lint};

/// ruff's bound on fix passes is 100; kwire's fixes rarely need more than
/// two (a migration, then what it uncovered).
pub const MAX_PASSES: usize = 10;

/// One file the fixes changed.
#[derive(Debug)]
pub struct FixedFile {
    /// The path as discovered (`-` for standard input).
    pub key: String,
    /// The path as reported (`--stdin-filename` for standard input).
    pub path: String,
    /// The text as first read.
    pub original: String,
    pub fixed: String,
    /// How many findings of each code were fixed.
    pub fixed_codes: BTreeMap<&'static str, usize>,
}

impl FixedFile {
    pub fn count(&self) -> usize {
        self.fixed_codes.values().sum()
    }

    pub fn is_stdin(&self) -> bool {
        self.key == "-"
    }
}

pub struct FixOutcome {
    /// The lint of the fixed text: what remains.
    pub result: LintResult,
    /// The files whose text changed, in input order.
    pub files: Vec<FixedFile>,
    /// Lint passes run (the last one only checks).
    pub passes: usize,
    /// False when the last pass still had fixes to apply.
    pub converged: bool,
    /// Files whose fixes made the YAML invalid: their fixes of that pass
    /// were undone (a bug in a fix; reported, never written).
    pub reverted: Vec<String>,
}

/// Whether `d` carries a fix `--fix` (and `--unsafe-fixes`) applies.
pub fn applicable(d: &Diagnostic, unsafe_fixes: bool) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| unsafe_fixes || f.applicability == Applicability::Safe)
}

/// Findings that YAML broke: a fix that makes one is undone.
fn yaml_errors(result: &LintResult) -> FxHashMap<u32, usize> {
    let mut out = FxHashMap::default();
    for d in &result.diagnostics {
        if d.code == "KW0001" || d.code == "KW0002" || d.code == "KW0012" {
            *out.entry(d.file).or_insert(0) += 1;
        }
    }
    out
}

/// Lints, fixes and re-lints up to [`MAX_PASSES`] times.
pub fn fix(opts: &LintOptions, unsafe_fixes: bool) -> FixOutcome {
    let stdin_name = opts
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    let reads_stdin = opts.paths.iter().any(|p| p == "-");
    let key_of = |path: &str| {
        if reads_stdin && path == stdin_name {
            "-".to_string()
        } else {
            path.to_string()
        }
    };
    let mut overrides: FxHashMap<String, String> = FxHashMap::default();
    let mut originals: FxHashMap<String, String> = FxHashMap::default();
    let mut fixed_codes: FxHashMap<String, BTreeMap<&'static str, usize>> = FxHashMap::default();
    let mut order: Vec<String> = Vec::new();
    let mut frozen: Vec<String> = Vec::new();
    let mut reverted: Vec<String> = Vec::new();
    // What the previous pass changed: (key, text before, codes it fixed).
    let mut last_changes: Vec<(String, String, Vec<&'static str>)> = Vec::new();
    let mut last_errors: FxHashMap<String, usize> = FxHashMap::default();
    let mut passes = 0;
    let mut converged = true;
    let result = loop {
        let mut pass_opts = opts.clone();
        if !overrides.is_empty() {
            pass_opts.overrides = Some(Arc::new(overrides.clone()));
        }
        let result = lint(&pass_opts);
        passes += 1;
        // A fix that broke the YAML of its file is undone, and the file
        // gets no more fixes; the pass is run again on the restored text.
        let errors: FxHashMap<String, usize> = yaml_errors(&result)
            .into_iter()
            .filter_map(|(f, n)| result.files.get(f as usize).map(|s| (key_of(&s.path), n)))
            .collect();
        let mut undo = false;
        for (key, before, codes) in std::mem::take(&mut last_changes) {
            let now = errors.get(&key).copied().unwrap_or(0);
            if now > last_errors.get(&key).copied().unwrap_or(0) {
                if originals.get(&key) == Some(&before) {
                    overrides.remove(&key);
                } else {
                    overrides.insert(key.clone(), before);
                }
                if let Some(counts) = fixed_codes.get_mut(&key) {
                    for code in codes {
                        if let Some(n) = counts.get_mut(code) {
                            *n = n.saturating_sub(1);
                        }
                    }
                    counts.retain(|_, n| *n > 0);
                }
                frozen.push(key.clone());
                reverted.push(key);
                undo = true;
            }
        }
        if undo {
            continue;
        }
        last_errors = errors;
        if passes == 1 {
            for &id in &result.reported_files {
                if let Some(f) = result.files.get(id as usize) {
                    originals.insert(key_of(&f.path), f.text.clone());
                }
            }
        }
        if passes > MAX_PASSES {
            converged = !result.diagnostics.iter().any(|d| {
                applicable(d, unsafe_fixes) && result.reported_files.binary_search(&d.file).is_ok()
            });
            break result;
        }
        // The fixes of each file, by position (the first one wins a conflict).
        let mut by_file: BTreeMap<u32, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &result.diagnostics {
            if applicable(d, unsafe_fixes) && result.reported_files.binary_search(&d.file).is_ok() {
                by_file.entry(d.file).or_default().push(d);
            }
        }
        let mut changed = false;
        for (file, mut fixes) in by_file {
            let Some(source) = result.files.get(file as usize) else {
                continue;
            };
            let key = key_of(&source.path);
            if frozen.contains(&key) {
                continue;
            }
            fixes.sort_by_key(|d| d.fix.as_ref().map(|f| (f.start(), f.edits.len())));
            let mut taken: Vec<&Edit> = Vec::new();
            let mut taken_fixes: Vec<&edit::Fix> = Vec::new();
            let mut codes = Vec::new();
            for d in fixes {
                let Some(fix) = d.fix.as_deref() else {
                    continue;
                };
                // The same edits offered by two findings are applied once.
                if taken_fixes.iter().any(|f| f.edits == fix.edits) {
                    codes.push(d.code);
                    continue;
                }
                if fix
                    .edits
                    .iter()
                    .any(|e| taken.iter().any(|t| t.overlaps(e)))
                {
                    continue;
                }
                taken.extend(fix.edits.iter());
                taken_fixes.push(fix);
                codes.push(d.code);
            }
            taken.sort_by_key(|e| (e.span.start, e.span.end));
            let new = edit::apply(&source.text, &taken);
            if new == source.text {
                continue;
            }
            if !order.contains(&key) {
                order.push(key.clone());
            }
            let counts = fixed_codes.entry(key.clone()).or_default();
            for &code in &codes {
                *counts.entry(code).or_insert(0) += 1;
            }
            last_changes.push((key.clone(), source.text.clone(), codes));
            overrides.insert(key, new);
            changed = true;
        }
        if !changed {
            break result;
        }
    };
    let files = order
        .into_iter()
        .filter_map(|key| {
            let fixed = overrides.get(&key)?.clone();
            let original = originals.get(&key)?.clone();
            if fixed == original {
                return None;
            }
            let path = if key == "-" {
                stdin_name.clone()
            } else {
                key.clone()
            };
            Some(FixedFile {
                fixed_codes: fixed_codes.remove(&key).unwrap_or_default(),
                key,
                path,
                original,
                fixed,
            })
        })
        .collect();
    FixOutcome {
        result,
        files,
        passes,
        converged,
        reverted,
    }
}

/// A unified diff of one fixed file (`--- a/PATH`, `+++ b/PATH`, three
/// lines of context), as `git diff` and `patch -p1` read it.
pub fn unified_diff(file: &FixedFile) -> String {
    let diff = similar::TextDiff::from_lines(&file.original, &file.fixed);
    let mut out = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
        .to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Why a fixed file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// It changed on disk since kwire read it: someone else's edit wins.
    Changed,
    Io(std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Changed => f.write_str(
                "it changed on disk since kwire read it; not overwritten (run kwire lint --fix again)",
            ),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Writes one fixed file through `crate::fsio` (atomic, permissions and
/// owner kept), unless its content on disk is no longer what was read.
/// A byte-order mark the file started with is written back.
pub fn write_fixed(file: &FixedFile, max: u64) -> Result<(), WriteError> {
    let path = std::path::Path::new(&file.key);
    let on_disk = crate::fsio::read_file(path, max).map_err(|e| match e {
        crate::fsio::ReadError::Io(e) => WriteError::Io(e),
        other => WriteError::Io(std::io::Error::other(other.to_string())),
    })?;
    const BOM: &[u8] = "\u{feff}".as_bytes();
    let (bom, body) = match on_disk.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, &on_disk[..]),
    };
    if body != file.original.as_bytes() {
        return Err(WriteError::Changed);
    }
    let delay = test_write_delay();
    crate::fsio::write_atomic_with(path, |out| {
        if bom {
            out.write_all(BOM)?;
        }
        let bytes = file.fixed.as_bytes();
        match delay {
            // A test kills kwire while it writes (tests/it/fix.rs).
            Some(d) => {
                let half = bytes.len() / 2;
                out.write_all(bytes.get(..half).unwrap_or(bytes))?;
                out.flush()?;
                std::thread::sleep(d);
                out.write_all(bytes.get(half..).unwrap_or(&[]))
            }
            None => out.write_all(bytes),
        }
    })
    .map_err(WriteError::Io)
}

/// `KWIRE_TEST_WRITE_DELAY_MS`: a pause in the middle of writing each fixed
/// file, so that a test can kill the process while it writes.
fn test_write_delay() -> Option<std::time::Duration> {
    let ms: u64 = std::env::var("KWIRE_TEST_WRITE_DELAY_MS")
        .ok()?
        .parse()
        .ok()?;
    Some(std::time::Duration::from_millis(ms))
}

/// `KW2001 ×2, KW2003`: the codes fixed in one file.
pub fn codes_text(codes: &BTreeMap<&'static str, usize>) -> String {
    codes
        .iter()
        .map(|(code, n)| {
            if *n == 1 {
                (*code).to_string()
            } else {
                format!("{code} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
