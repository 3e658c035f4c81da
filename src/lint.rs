//! The pipeline: discover -> read -> parse (parallel per file) -> model ->
//! catalog -> rules (parallel per object) -> sorted diagnostics.

use std::io::Read;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, DiscoverOptions, Found};
use crate::model::{self, Modeled, Object};
use crate::parse;
use crate::report::Summary;
use crate::rules;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
    /// Name to report for `-` (standard input).
    pub stdin_filename: Option<String>,
    /// What the rules read: target Kubernetes version, strictness, assumed objects.
    pub settings: Settings,
    /// Benchmarking only (hidden `--stop-after`): end the pipeline early.
    pub stop_after: Option<StopAfter>,
}

/// Where a benchmarking run stops (`kwire lint --stop-after STAGE`, hidden).
/// The result then holds the files and the diagnostics found so far, unsorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StopAfter {
    /// Discover and read every file.
    Read,
    /// Read, parse and model every file (no catalog, no rules).
    Parse,
}

pub struct LintResult {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// A file could not be read: exit code 2 at the end.
    pub io_error: bool,
}

/// What loading one discovered entry produced.
struct Loaded {
    file: SourceFile,
    diagnostics: Vec<Diagnostic>,
    /// Parse it? (false for skipped and unreadable entries)
    lint: bool,
}

pub fn lint(opts: &LintOptions) -> LintResult {
    let discovery = discover::discover(&DiscoverOptions {
        paths: opts.paths.clone(),
        exclude: opts.exclude.clone(),
    });
    let stdin_name = opts
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());

    // Read every entry (in parallel; stdin is read once, here).
    let loaded: Vec<Loaded> = discovery
        .entries
        .into_par_iter()
        .map(|found| load(found, &stdin_name))
        .collect();
    let mut files = Vec::with_capacity(loaded.len());
    let mut diagnostics = Vec::new();
    let mut lint_ids = Vec::new();
    for (i, mut entry) in loaded.into_iter().enumerate() {
        let id = FileId::try_from(i).unwrap_or(FileId::MAX);
        for d in &mut entry.diagnostics {
            d.file = id;
        }
        diagnostics.append(&mut entry.diagnostics);
        if entry.lint {
            lint_ids.push(id);
        }
        files.push(entry.file);
    }
    if opts.stop_after == Some(StopAfter::Read) {
        return early(files, diagnostics, 0, 0);
    }

    // Parse and model each file in parallel, keeping file order.
    let per_file: Vec<(usize, Modeled)> = lint_ids
        .par_iter()
        .map(|&id| {
            let mut modeled = Modeled::default();
            let Some(source) = files.get(id as usize) else {
                return (0, modeled);
            };
            let parsed = parse::parse_file(id, source);
            let documents = parsed.documents.len();
            modeled.diagnostics = parsed.diagnostics;
            for doc in parsed.documents {
                model::model_document(id, doc.index, doc.root, &mut modeled);
            }
            (documents, modeled)
        })
        .collect();
    // Sized once: growing by doubling would briefly hold two copies.
    let mut objects: Vec<Object> =
        Vec::with_capacity(per_file.iter().map(|(_, m)| m.objects.len()).sum());
    let mut documents = 0;
    for (docs, mut modeled) in per_file {
        documents += docs;
        objects.append(&mut modeled.objects);
        diagnostics.append(&mut modeled.diagnostics);
    }
    apply_crd_scopes(&mut objects);
    if opts.stop_after == Some(StopAfter::Parse) {
        let count = objects.len();
        discard(objects);
        return early(files, diagnostics, documents, count);
    }

    let catalog = Catalog::build(&objects, &files, &opts.settings);
    let found: Vec<Diagnostic> = objects
        .par_iter()
        .flat_map_iter(|obj| {
            let mut out = Vec::new();
            for check in rules::CHECKS {
                check.check(obj, &catalog, &mut out);
            }
            out
        })
        .collect();
    diagnostics.extend(found);
    let object_count = objects.len();
    drop(catalog);
    discard(objects);

    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start, a.code, a.span.end, &a.message).cmp(&(
            b.file,
            b.span.start,
            b.code,
            b.span.end,
            &b.message,
        ))
    });
    diagnostics.dedup();

    let io_error = diagnostics.iter().any(|d| d.code == "KW0009");
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let summary = Summary {
        files: files.len(),
        documents,
        objects: object_count,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    LintResult {
        files,
        diagnostics,
        summary,
        io_error,
    }
}

/// Frees the trees off the calling thread: dropping hundreds of thousands
/// of small allocations is serial work the report need not wait for (it was
/// about half of the pipeline's single-threaded part).
fn discard(objects: Vec<Object>) {
    rayon::spawn(move || drop(objects));
}

/// The result of a run stopped by `--stop-after`.
fn early(
    files: Vec<SourceFile>,
    diagnostics: Vec<Diagnostic>,
    documents: usize,
    objects: usize,
) -> LintResult {
    let summary = Summary {
        files: files.len(),
        documents,
        objects,
        ..Summary::default()
    };
    LintResult {
        io_error: diagnostics.iter().any(|d| d.code == "KW0009"),
        files,
        diagnostics,
        summary,
    }
}

fn load(found: Found, stdin_name: &str) -> Loaded {
    let unreadable = |path: String, message: String| Loaded {
        file: SourceFile::new(path, String::new()),
        diagnostics: vec![
            Diagnostic::new("KW0009", Severity::Error, 0, Span::default(), message)
                .with_help("check that the path exists and is a readable UTF-8 text file"),
        ],
        lint: false,
    };
    let (path, bytes) = match found {
        Found::Stdin => {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
                return unreadable(
                    stdin_name.to_string(),
                    format!("cannot read standard input: {e}"),
                );
            }
            (stdin_name.to_string(), buf)
        }
        Found::File(path) => match std::fs::read(&path) {
            Ok(bytes) => (path, bytes),
            Err(e) => {
                let message = format!("cannot read {path}: {e}");
                return unreadable(path, message);
            }
        },
        Found::Error { path, message } => return unreadable(path, message),
        Found::Skipped { path, reason, help } => {
            return Loaded {
                file: SourceFile::new(path, String::new()),
                diagnostics: vec![
                    Diagnostic::new("KW0011", Severity::Info, 0, Span::default(), reason)
                        .with_help(help),
                ],
                lint: false,
            };
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return unreadable(
                path.clone(),
                format!(
                    "{path} is not UTF-8 text (invalid byte at offset {at}); Kubernetes manifests must be UTF-8"
                ),
            );
        }
    };
    // A byte-order mark is not content: drop it so columns start at 1.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Loaded {
        file: SourceFile::new(path, text),
        diagnostics: Vec::new(),
        lint: true,
    }
}

/// Custom resources are namespaced unless their CustomResourceDefinition
/// (when it is part of the input) says `scope: Cluster`.
fn apply_crd_scopes(objects: &mut [Object]) {
    let cluster: Vec<(String, String)> = objects
        .iter()
        .filter(|o| o.kind() == "CustomResourceDefinition")
        .filter_map(|crd| {
            let spec = crd.root.get("spec")?;
            if spec.get_str("scope")? != "Cluster" {
                return None;
            }
            let group = spec.get_str("group")?;
            let kind = spec.path(&["names", "kind"])?.as_str()?;
            Some((group.to_string(), kind.to_string()))
        })
        .collect();
    if cluster.is_empty() {
        return;
    }
    for obj in objects.iter_mut() {
        let group = obj.api_version().split_once('/').map_or("", |(g, _)| g);
        if cluster.iter().any(|(g, k)| g == group && k == obj.kind()) {
            obj.namespace = None;
        }
    }
}
