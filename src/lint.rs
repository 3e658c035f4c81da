//! The pipeline: discover -> read -> parse (parallel per file) -> model ->
//! catalog -> rules (parallel per object) -> sorted diagnostics.

use std::io::Read;

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, DiscoverOptions, Found};
use crate::model::{self, Modeled, Object};
use crate::parse;
use crate::parse::Comment;
use crate::report::{ReportObject, Summary};
use crate::rules;
use crate::selection::RuleSelection;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};
use crate::suppress;

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
    /// Name to report for `-` (standard input).
    pub stdin_filename: Option<String>,
    /// What the rules read: target Kubernetes version, strictness, assumed objects.
    pub settings: Settings,
    /// Paths loaded for references only (`--context`): their objects are in
    /// the catalog, their own findings are not reported.
    pub context: Vec<String>,
    /// Which rules are reported, where, at which severity.
    pub selection: RuleSelection,
    /// Report suppressions that suppressed nothing (KW0013).
    pub report_unused_ignores: bool,
    /// Report only findings not in this baseline.
    pub baseline: Option<Baseline>,
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
    /// The objects of the reported files, sorted by file and position.
    pub objects: Vec<ReportObject>,
    /// One stable fingerprint per diagnostic (`crate::fingerprint`).
    pub fingerprints: Vec<String>,
    /// Files findings are reported in (all but `--context`-only files).
    pub reported_files: Vec<FileId>,
    /// Findings dropped by suppression comments and annotations.
    pub suppressed: usize,
    /// Findings dropped because the baseline has them.
    pub baselined: usize,
}

/// What loading one discovered entry produced.
struct Loaded {
    /// The discovery path (`-` for stdin), to tell reported from context files.
    shown: String,
    file: SourceFile,
    diagnostics: Vec<Diagnostic>,
    /// Parse it? (false for skipped and unreadable entries)
    lint: bool,
}

pub fn lint(opts: &LintOptions) -> LintResult {
    let mut timings = Timings::from_env();
    let discovery = discover::discover(&DiscoverOptions {
        paths: opts.paths.iter().chain(&opts.context).cloned().collect(),
        exclude: opts.exclude.clone(),
    });
    // With --context, only what the positional paths name is reported on.
    let reported_paths: Option<std::collections::HashSet<String>> = if opts.context.is_empty() {
        None
    } else {
        let main = discover::discover(&DiscoverOptions {
            paths: opts.paths.clone(),
            exclude: opts.exclude.clone(),
        });
        Some(main.entries.iter().map(|e| e.path().to_string()).collect())
    };
    let stdin_name = opts
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());

    // Read every entry (in parallel; stdin is read once, here).
    timings.mark("discover");
    let loaded: Vec<Loaded> = discovery
        .entries
        .into_par_iter()
        .map(|found| load(found, &stdin_name))
        .collect();
    let mut files = Vec::with_capacity(loaded.len());
    let mut diagnostics = Vec::new();
    let mut lint_ids = Vec::new();
    let mut reported = Vec::new();
    for (i, mut entry) in loaded.into_iter().enumerate() {
        let id = FileId::try_from(i).unwrap_or(FileId::MAX);
        if reported_paths
            .as_ref()
            .is_none_or(|r| r.contains(&entry.shown))
        {
            reported.push(id);
        }
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
    timings.mark("read");
    let per_file: Vec<(FileId, usize, Modeled, Vec<Comment>)> = lint_ids
        .par_iter()
        .map(|&id| {
            let mut modeled = Modeled::default();
            let Some(source) = files.get(id as usize) else {
                return (id, 0, modeled, Vec::new());
            };
            let parsed = parse::parse_file(id, source);
            let documents = parsed.documents.len();
            modeled.diagnostics = parsed.diagnostics;
            for doc in parsed.documents {
                model::model_document(id, doc.index, doc.root, &mut modeled);
            }
            // Unnamed objects are told apart by their line in messages.
            for obj in &mut modeled.objects {
                if obj.name.as_deref().is_none_or(str::is_empty) {
                    let line = source.line_col(obj.root.span.start as usize).line;
                    obj.line = u32::try_from(line).ok();
                }
            }
            (id, documents, modeled, parsed.comments)
        })
        .collect();
    let is_reported = |id: FileId| reported.binary_search(&id).is_ok();
    // Sized once: growing by doubling would briefly hold two copies.
    let mut objects: Vec<Object> =
        Vec::with_capacity(per_file.iter().map(|(_, _, m, _)| m.objects.len()).sum());
    let mut documents = 0;
    let mut comments: Vec<(FileId, Vec<Comment>)> = Vec::new();
    for (id, docs, mut modeled, file_comments) in per_file {
        if is_reported(id) {
            documents += docs;
        }
        objects.append(&mut modeled.objects);
        diagnostics.append(&mut modeled.diagnostics);
        if !file_comments.is_empty() && is_reported(id) {
            comments.push((id, file_comments));
        }
    }
    timings.mark("parse");
    apply_crd_scopes(&mut objects);
    if opts.stop_after == Some(StopAfter::Parse) {
        let count = objects.len();
        discard(objects);
        return early(files, diagnostics, documents, count);
    }

    timings.mark("merge");
    let mut catalog = Catalog::build(&objects, &files, &opts.settings);
    // Deselected rules do not run at all (`--select KW3` costs only KW3).
    let checks: Vec<&dyn rules::Check> = rules::CHECKS
        .iter()
        .copied()
        .filter(|c| rules::check_selected(*c, |code| opts.selection.enabled(code)))
        .collect();
    // The lazily built parts the rules share are built here, side by side,
    // instead of by the first check that asks while the other threads wait.
    let wants_schemas = checks.iter().any(|c| c.meta().code == "KW1001");
    let wants_istio = checks
        .iter()
        .any(|c| c.meta().category == crate::diagnostic::Category::Istio);
    rayon::join(
        || {
            if wants_schemas {
                catalog.schemas().precompile();
            }
        },
        || {
            if wants_istio {
                catalog.istio();
            }
        },
    );
    timings.mark("catalog");
    let found: Vec<Diagnostic> = objects
        .par_iter()
        .flat_map_iter(|obj| {
            let mut out = Vec::new();
            for check in &checks {
                check.check(obj, &catalog, &mut out);
            }
            out
        })
        .collect();
    diagnostics.extend(found);
    if let Some(compiled) = catalog.take_compiled_schemas() {
        rayon::spawn(move || drop(compiled));
    }
    timings.mark("rules");
    // The rest of the catalog (its indexes; the compiled schemas went to a
    // detached task above) is freed on another core while this thread
    // sorts, filters and fingerprints.
    let (io_error, suppressed, fingerprints, baselined, report_objects) = rayon::scope(|s| {
        s.spawn(move |_| drop(catalog));

        sort(&mut diagnostics);
        diagnostics.dedup();

        // An unreadable input fails the run even when given as --context.
        let io_error = diagnostics.iter().any(|d| d.code == "KW0009");

        // Context files are loaded for references only: their findings are
        // reported when they point at a reported file (a changed Deployment
        // breaks the unchanged Service that selects it).
        diagnostics.retain(|d| {
            is_reported(d.file)
                || d.code == "KW0009"
                || d.related.iter().any(|r| is_reported(r.file))
        });
        // Rule selection, per-file ignores and severity overrides.
        let sel = &opts.selection;
        diagnostics.retain(|d| {
            let path = files.get(d.file as usize).map_or("", |f| f.path.as_str());
            sel.enabled_in(d.code, path)
        });
        for d in &mut diagnostics {
            d.severity = sel.severity_of(d.code, d.severity);
        }
        // Suppression comments and annotations.
        let (mut directives, problems) = suppress::collect(&files, &comments, &objects);
        let suppressed = suppress::apply(&mut diagnostics, &mut directives, &files);
        let mut extra = problems;
        if opts.report_unused_ignores {
            extra.extend(suppress::unused(&directives, &files));
        }
        extra.retain(|d| {
            let path = files.get(d.file as usize).map_or("", |f| f.path.as_str());
            sel.enabled_in(d.code, path)
        });
        for d in &mut extra {
            d.severity = sel.severity_of(d.code, d.severity);
        }
        if !extra.is_empty() {
            diagnostics.extend(extra);
            sort(&mut diagnostics);
        }

        attach_objects(&mut diagnostics, &objects);
        let mut fingerprints = crate::fingerprint::fingerprints(&diagnostics, &objects, &files);
        let baselined = opts
            .baseline
            .as_ref()
            .map_or(0, |b| b.filter(&mut diagnostics, &mut fingerprints));

        let report_objects: Vec<ReportObject> = objects
            .iter()
            .filter(|o| is_reported(o.file))
            .map(|o| ReportObject {
                file: o.file,
                span: o.root.span,
                id: o.id(),
            })
            .collect();
        (
            io_error,
            suppressed,
            fingerprints,
            baselined,
            report_objects,
        )
    });
    timings.mark("finish");
    discard(objects);
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let summary = Summary {
        files: reported.len(),
        documents,
        objects: report_objects.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    LintResult {
        files,
        diagnostics,
        summary,
        io_error,
        objects: report_objects,
        fingerprints,
        reported_files: reported,
        suppressed,
        baselined,
    }
}

/// Findings made without their object at hand (a duplicate key found by the
/// parser, a malformed suppression comment) still belong to the object whose
/// mapping holds them: the JSON `object` and the reporters say which.
fn attach_objects(diagnostics: &mut [Diagnostic], objects: &[Object]) {
    for d in diagnostics.iter_mut().filter(|d| d.object.is_none()) {
        if let Some(obj) = crate::fingerprint::owner(objects, d.file, d.span) {
            d.object = Some(obj.object_ref());
        }
    }
}

/// Wall time per pipeline stage, printed to stderr when `KWIRE_TIMINGS` is
/// set (for `docs/performance.md`; not part of any output contract).
struct Timings {
    last: Option<std::time::Instant>,
    stages: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    fn from_env() -> Self {
        Timings {
            last: std::env::var_os("KWIRE_TIMINGS").map(|_| std::time::Instant::now()),
            stages: Vec::new(),
        }
    }

    /// The stage `name` ended now.
    fn mark(&mut self, name: &'static str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            self.stages.push((name, now - last));
            self.last = Some(now);
        }
    }
}

impl Drop for Timings {
    fn drop(&mut self) {
        if self.last.is_some() {
            let line: Vec<String> = self
                .stages
                .iter()
                .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("kwire timings: {}", line.join(", "));
        }
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
        objects: Vec::new(),
        fingerprints: Vec::new(),
        reported_files: Vec::new(),
        suppressed: 0,
        baselined: 0,
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.file, a.span.start, a.code, a.span.end, &a.message).cmp(&(
            b.file,
            b.span.start,
            b.code,
            b.span.end,
            &b.message,
        ))
    });
}

fn load(found: Found, stdin_name: &str) -> Loaded {
    let shown = found.path().to_string();
    let mut loaded = load_entry(found, stdin_name);
    loaded.shown = shown;
    loaded
}

fn load_entry(found: Found, stdin_name: &str) -> Loaded {
    let unreadable = |path: String, message: String| Loaded {
        shown: String::new(),
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
                shown: String::new(),
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
        shown: String::new(),
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
