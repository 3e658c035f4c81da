//! The pipeline: discover -> read -> parse (parallel per file) -> model ->
//! catalog -> rules (parallel per object) -> sorted diagnostics.

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, DiscoverOptions, Found};
use crate::model::{self, FileClass, Modeled, Object};
use crate::parse;
use crate::parse::Comment;
use crate::report::{ReportObject, Summary};
use crate::rules;
use crate::selection::RuleSelection;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};
use crate::suppress;
use crate::units::{self, UnitId, Units, UnitsMode};

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
    /// Note each file skipped as not a manifest (KW0011); they are skipped
    /// silently otherwise (`model::classify_file`).
    pub show_skipped: bool,
    /// Report only findings not in this baseline.
    pub baseline: Option<Baseline>,
    /// Benchmarking only (hidden `--stop-after`): end the pipeline early.
    pub stop_after: Option<StopAfter>,
    /// How the input is split into deployment units (`crate::units`).
    pub units: UnitsMode,
    /// Also simulate the topology (`kwire graph`): `LintResult::graph`.
    pub graph: bool,
    /// Also follow one request (`kwire trace`): `LintResult::trace`.
    pub trace: Option<crate::topology::trace::Request>,
    /// Largest file read (inputs and stdin); `None`: 64 MiB
    /// (`crate::fsio::DEFAULT_MAX_FILE_SIZE`). A larger file is KW0012.
    pub max_file_size: Option<u64>,
    /// Text to lint instead of reading the file, by path as discovered
    /// (`-` for standard input): `kwire lint --fix` re-lints its fixed
    /// text without writing it first.
    pub overrides: Option<std::sync::Arc<rustc_hash::FxHashMap<String, String>>>,
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
    /// Findings dropped by `per-file-ignores` of the configuration.
    pub file_ignored: usize,
    /// Findings dropped because the baseline has them.
    pub baselined: usize,
    /// The simulated topology, when `LintOptions::graph` asked for it.
    pub graph: Option<crate::topology::Graph>,
    /// The traced request, when `LintOptions::trace` asked for one.
    pub trace: Option<crate::topology::trace::TraceReport>,
    /// The parse trees of a run that built a graph, freed with the result
    /// instead of beside the render (`kwire graph` writes tens of megabytes
    /// after the run; freeing the trees then took a core from it).
    #[expect(dead_code, reason = "held, never read: freed when the result is")]
    pub(crate) trees: Vec<Object>,
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
    run(opts, None)
}

/// [`lint`] with `stdin` as the bytes of standard input (the path `-` in
/// `opts.paths`), instead of the process's own: for embedding kwire, the
/// fuzz targets (`fuzz/`) and tests. The same limits apply
/// (`max_file_size`).
pub fn lint_with_stdin(opts: &LintOptions, stdin: &[u8]) -> LintResult {
    run(opts, Some(stdin))
}

fn run(opts: &LintOptions, stdin: Option<&[u8]>) -> LintResult {
    let mut timings = Timings::from_env();
    let mut discovery = discover::discover(&DiscoverOptions {
        paths: opts.paths.iter().chain(&opts.context).cloned().collect(),
        exclude: opts.exclude.clone(),
    });
    let stdin_name = opts
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    // Deployment units, from the discovered files and kustomizations.
    let unit_files: Vec<String> = discovery
        .entries
        .iter()
        .filter_map(|e| match e {
            Found::Stdin => Some(stdin_name.clone()),
            Found::File(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    let kustomizations: Vec<String> = discovery
        .entries
        .iter()
        .filter_map(|e| match e {
            Found::Skipped { path, .. } if units::is_kustomization(path) => Some(path.clone()),
            _ => None,
        })
        .collect();
    let mut units = units::infer(&opts.units, &unit_files, &kustomizations);
    // With --context, or with bases outside the input, only what the
    // positional paths name is reported on.
    let extra = std::mem::take(&mut units.extra_files);
    let reported_paths: Option<std::collections::HashSet<String>> =
        if opts.context.is_empty() && extra.is_empty() {
            None
        } else if opts.context.is_empty() {
            Some(
                discovery
                    .entries
                    .iter()
                    .map(|e| e.path().to_string())
                    .collect(),
            )
        } else {
            let main = discover::discover(&DiscoverOptions {
                paths: opts.paths.clone(),
                exclude: opts.exclude.clone(),
            });
            Some(main.entries.iter().map(|e| e.path().to_string()).collect())
        };
    discovery.entries.extend(extra.into_iter().map(Found::File));
    // In auto mode a kustomization is read as a unit, not skipped.
    let kustomizations_read = opts.units == UnitsMode::Auto;

    // Read every entry (in parallel; stdin is read once, here).
    timings.mark("discover");
    let max_file_size = opts
        .max_file_size
        .unwrap_or(crate::fsio::DEFAULT_MAX_FILE_SIZE);
    let loaded: Vec<Loaded> = discovery
        .entries
        .into_par_iter()
        .map(|found| {
            load(
                found,
                &stdin_name,
                stdin,
                max_file_size,
                opts.overrides.as_deref(),
            )
        })
        .collect();
    let mut files = Vec::with_capacity(loaded.len());
    let mut diagnostics = Vec::new();
    let mut lint_ids = Vec::new();
    let mut reported = Vec::new();
    for (i, mut entry) in loaded.into_iter().enumerate() {
        let id = FileId::try_from(i).unwrap_or(FileId::MAX);
        if kustomizations_read && units::is_kustomization(&entry.shown) {
            entry.diagnostics.retain(|d| d.code != "KW0011");
        }
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
    units::summarize_skipped(&mut diagnostics, &files, opts.show_skipped);
    if opts.stop_after == Some(StopAfter::Read) {
        return early(files, diagnostics, 0, 0);
    }

    // Parse and model each file in parallel, keeping file order.
    timings.mark("read");
    let alias_budget = parse::RunBudget::default();
    let per_file: Vec<(FileId, usize, Modeled, Vec<Comment>)> = lint_ids
        .par_iter()
        .map(|&id| {
            // A panic while reading one file is that file's internal error.
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                parse_and_model(id, &files, opts, &alias_budget)
            }));
            caught.unwrap_or_else(|payload| {
                let mut modeled = Modeled::default();
                let path = files.get(id as usize).map_or("", |f| f.path.as_str());
                modeled.diagnostics.push(internal_error(
                    id,
                    Span::default(),
                    format!(
                        "internal error: kwire panicked while parsing {path} ({}); the file is not linted",
                        panic_text(payload.as_ref())
                    ),
                ));
                (id, 0, modeled, Vec::new())
            })
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
    // One instance of each object per unit it is in (a base in two
    // overlays is checked in both), with the unit's namespace applied.
    // The first instance of every object comes first, in input order, so
    // `objects[..originals]` is the input as written.
    let originals = objects.len();
    let (objects, instance_unit) = instantiate(objects, &units, &files);
    let multi = units.len() > 1;
    let unit_names: Vec<std::sync::Arc<str>> =
        units.units.iter().map(|u| u.name.as_str().into()).collect();
    let schema_cell: crate::catalog::SharedSchemas = Default::default();
    // One catalog per world: a group of units and the units they coexist with.
    let worlds = units.worlds();
    let mut catalogs: Vec<Catalog> = Vec::with_capacity(worlds.len());
    let mut work: Vec<(u32, u32)> = Vec::with_capacity(objects.len());
    {
        let mut unit_world: Vec<u32> = vec![u32::MAX; units.len()];
        for (w, (checked, _)) in worlds.iter().enumerate() {
            for &u in checked {
                if let Some(slot) = unit_world.get_mut(u as usize) {
                    *slot = u32::try_from(w).unwrap_or(u32::MAX);
                }
            }
        }
        for (i, &u) in instance_unit.iter().enumerate() {
            if let Some(&w) = unit_world.get(u as usize) {
                work.push((w, u32::try_from(i).unwrap_or(u32::MAX)));
            }
        }
    }
    for (_, seen) in &worlds {
        let (members, unit_of): (Vec<&Object>, Vec<UnitId>) = objects
            .iter()
            .zip(&instance_unit)
            .filter(|(_, u)| seen.binary_search(u).is_ok())
            .map(|(o, &u)| (o, u))
            .unzip();
        catalogs.push(Catalog::build_world(
            members,
            &files,
            &opts.settings,
            crate::catalog::WorldUnits {
                units: &units,
                unit_of,
                schemas: schema_cell.clone(),
                all_objects: objects.get(..originals).unwrap_or(&objects),
            },
        ));
    }
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
            if wants_schemas && let Some(first) = catalogs.first() {
                first.schemas().precompile();
            }
        },
        || {
            if wants_istio {
                catalogs.par_iter().for_each(|c| {
                    c.istio();
                });
            }
        },
    );
    timings.mark("catalog");
    // The topology reads the same catalogs and resolution as the rules.
    let simulate = opts.graph || opts.trace.is_some();
    let unit_of_instance: Vec<Option<&str>> = if simulate {
        instance_unit
            .iter()
            .map(|&u| {
                multi
                    .then(|| unit_names.get(u as usize).map(|n| &**n))
                    .flatten()
            })
            .collect()
    } else {
        Vec::new()
    };
    // `kwire trace` needs the ids now; `kwire graph` makes its own inside
    // `build_graph`, where the serial counting overlaps the rules.
    let ids = if opts.trace.is_some() {
        crate::topology::build::Ids::new(&objects, &unit_of_instance)
    } else {
        crate::topology::build::Ids::new(&[], &[])
    };
    timings.mark("trace ids");
    let base = objects.as_ptr() as usize;
    let size = std::mem::size_of::<Object>().max(1);
    let instance_of = |o: &Object| (o as *const Object as usize).wrapping_sub(base) / size;
    let unit_name = |o: &Object| {
        unit_of_instance
            .get(instance_of(o))
            .copied()
            .flatten()
            .map(str::to_string)
    };
    // The graph is built while the rules run: both read the catalogs only,
    // and the graph's serial stretches (putting the parts together) then
    // overlap the rules' work on the other core.
    let build_graph = || -> Option<(crate::topology::Graph, Vec<Diagnostic>)> {
        if !opts.graph {
            return None;
        }
        let clock = std::env::var_os("KWIRE_TIMINGS").map(|_| std::time::Instant::now());
        let graph_ids;
        let ids = if opts.trace.is_some() {
            &ids
        } else {
            graph_ids = crate::topology::build::Ids::new(&objects, &unit_of_instance);
            &graph_ids
        };
        let ids_done = clock.map(|c| c.elapsed());
        let mut graph_errors: Vec<Diagnostic> = Vec::new();
        let parts: Vec<Result<Vec<crate::topology::build::Part>, Box<Diagnostic>>> = worlds
            .par_iter()
            .zip(catalogs.par_iter())
            .map(|((checked, _), catalog)| {
                let own = |o: &Object| {
                    is_reported(o.file)
                        && instance_unit
                            .get(instance_of(o))
                            .is_some_and(|u| checked.binary_search(u).is_ok())
                };
                // A panic while simulating one world loses that world's part
                // of the graph, not the run (the lint findings still count).
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::topology::build::build_world(catalog, ids, &unit_name, &own)
                }))
                .map_err(|payload| {
                    let first = catalog.objects.first().map_or(0, |o| o.file);
                    Box::new(internal_error(
                        first,
                        Span::default(),
                        format!("kwire graph failed on one world: {}", panic_text(&*payload)),
                    ))
                })
            })
            .collect();
        let (parts, failed): (Vec<_>, Vec<_>) = parts.into_iter().partition(Result::is_ok);
        let parts: Vec<crate::topology::build::Part> =
            parts.into_iter().filter_map(Result::ok).flatten().collect();
        graph_errors.extend(failed.into_iter().filter_map(Result::err).map(|d| *d));
        let unit_infos = if multi {
            units
                .units
                .iter()
                .map(|u| crate::topology::model::UnitInfo {
                    name: u.name.clone(),
                    source: None,
                })
                .collect()
        } else {
            Vec::new()
        };
        let worlds_done = clock.map(|c| c.elapsed());
        let worlds_rss = clock.and_then(|_| resident_mib());
        let graph = crate::topology::assemble(parts, unit_infos);
        // Printed on its own line: this side runs beside the rules.
        if let (Some(c), Some(i), Some(w)) = (clock, ids_done, worlds_done) {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            eprintln!(
                "kwire graph timings: ids {:.1} ms, worlds {:.1} ms ({} MiB at the end), assemble {:.1} ms ({} MiB)",
                ms(i),
                ms(w - i),
                worlds_rss.unwrap_or(0),
                ms(c.elapsed() - w),
                resident_mib().unwrap_or(0)
            );
        }
        Some((graph, graph_errors))
    };
    // A request followed through every world: entries are taken from each
    // world's own units, so a unit is traced once.
    let trace = opts.trace.as_ref().map(|req| {
        let paths: Vec<crate::topology::trace::TracePath> = worlds
            .par_iter()
            .zip(catalogs.par_iter())
            .flat_map_iter(|((checked, _), catalog)| {
                let own = |o: &Object| {
                    is_reported(o.file)
                        && instance_unit
                            .get(instance_of(o))
                            .is_some_and(|u| checked.binary_search(u).is_ok())
                };
                let hpa = crate::topology::build::hpa_replicas(catalog);
                let cx = crate::topology::trace::Cx {
                    catalog,
                    ids: &ids,
                    hpa: &hpa,
                    own: &own,
                    unit: &unit_name,
                };
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    crate::topology::trace::trace_world(&cx, req)
                }))
                .unwrap_or_else(|payload| {
                    vec![crate::topology::trace::internal_error(&panic_text(
                        &*payload,
                    ))]
                })
            })
            .collect();
        crate::topology::trace::report(req, paths)
    });
    timings.mark("trace");
    let injected = InjectedPanic::from_env();
    let run_rules = || -> Vec<Diagnostic> {
        work.par_iter()
            .flat_map_iter(|&(w, i)| {
                let mut out = Vec::new();
                let (Some(catalog), Some(obj)) =
                    (catalogs.get(w as usize), objects.get(i as usize))
                else {
                    return out;
                };
                for check in &checks {
                    run_check(*check, obj, catalog, &files, injected.as_ref(), &mut out);
                }
                crate::progress::objects_checked(1);
                if multi
                    && let Some(name) = instance_unit
                        .get(i as usize)
                        .and_then(|&u| unit_names.get(u as usize))
                {
                    for d in &mut out {
                        d.unit = Some(name.clone());
                    }
                }
                out
            })
            .collect()
    };
    let (graph, found) = rayon::join(build_graph, run_rules);
    let (mut graph, graph_errors) = graph.unzip();
    diagnostics.extend(found);
    diagnostics.extend(graph_errors.into_iter().flatten());
    timings.mark(if opts.graph { "rules + graph" } else { "rules" });
    // The catalogs are freed on another core while this thread sorts,
    // filters and fingerprints; the compiled schemas after them.
    let mut file_ignored = 0;
    let (io_error, suppressed, fingerprints, baselined, report_objects) = rayon::scope(|s| {
        s.spawn(move |_| drop(catalogs));
        // Only the input as written is reported on (not the extra instances).
        let objects = objects.get(..originals).unwrap_or(&objects);

        sort(&mut diagnostics);
        dedup_findings(&mut diagnostics);

        // An unreadable input fails the run even when given as --context;
        // so does a failure of kwire itself.
        let io_error = diagnostics
            .iter()
            .any(|d| d.code == "KW0009" || d.code == INTERNAL_ERROR);

        // Context files are loaded for references only: a finding placed in
        // one moves onto its related location in a reported file (a changed
        // Deployment breaks the unchanged Service that selects it), or goes.
        if crate::context_files::place_in_reported_files(&mut diagnostics, objects, is_reported) {
            sort(&mut diagnostics);
            diagnostics.dedup();
        }
        // Rule selection, per-file ignores and severity overrides.
        let sel = &opts.selection;
        let before = diagnostics.len();
        let mut unselected = 0;
        diagnostics.retain(|d| {
            let path = files.get(d.file as usize).map_or("", |f| f.path.as_str());
            let enabled = d.code == INTERNAL_ERROR || sel.enabled(d.code);
            unselected += usize::from(!enabled);
            enabled && (d.code == INTERNAL_ERROR || sel.enabled_in(d.code, path))
        });
        // Dropped by `per-file-ignores` (not by select/ignore): the summary
        // counts them beside the comment suppressions.
        file_ignored = before - diagnostics.len() - unselected;
        for d in &mut diagnostics {
            d.severity = sel.severity_of(d.code, d.severity);
        }
        // Suppression comments and annotations.
        let (mut directives, problems) = suppress::collect(&files, &comments, objects);
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

        attach_objects(&mut diagnostics, objects);
        let mut fingerprints = crate::fingerprint::fingerprints(&diagnostics, objects, &files);
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
    if let Some(g) = graph.as_mut() {
        crate::topology::attach_findings(g, &diagnostics);
        timings.mark("graph findings");
    }
    if let Some(mut registry) = std::sync::Arc::into_inner(schema_cell).and_then(|c| c.into_inner())
    {
        let compiled = registry.take_compiled();
        rayon::spawn(move || drop(compiled));
    }
    let trees = if opts.graph {
        objects
    } else {
        discard(objects);
        Vec::new()
    };
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
        file_ignored,
        baselined,
        graph,
        trace,
        trees,
    }
}

/// One file's objects and findings: parsed, classified, modeled.
fn parse_and_model(
    id: FileId,
    files: &[SourceFile],
    opts: &LintOptions,
    alias_budget: &parse::RunBudget,
) -> (FileId, usize, Modeled, Vec<Comment>) {
    let mut modeled = Modeled::default();
    let Some(source) = files.get(id as usize) else {
        return (id, 0, modeled, Vec::new());
    };
    if let Some(skip) = model::skipped_by_name(&source.path) {
        if opts.show_skipped {
            modeled.diagnostics.push(model::skipped_note(id, &skip));
        }
        return (id, 0, modeled, Vec::new());
    }
    let parsed = parse::parse_file_in_run(id, source, alias_budget);
    crate::progress::files_read(1);
    // Not a manifest: none of its findings, its documents uncounted.
    if let FileClass::NotManifest(skip) = model::classify_file(&parsed) {
        model::note_skipped(
            id,
            &parsed,
            &skip,
            opts.show_skipped,
            &mut modeled.diagnostics,
        );
        return (id, 0, modeled, parsed.comments);
    }
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
}

/// The code of kwire's own failures (a panic contained at a rule or file
/// boundary): category `internal`, never filtered, exit code 2.
pub const INTERNAL_ERROR: &str = "KW0099";

fn internal_error(file: FileId, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(INTERNAL_ERROR, Severity::Error, file, span, message).with_help(
        "this is a bug in kwire, not in your manifests: please report it with the input that \
         triggers it; every other finding of the run is still reported",
    )
}

/// The message a panic carried.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// Runs one rule on one object. A panic inside it is contained here: the
/// rule's partial findings for this object are dropped and one internal
/// error names the rule, the object and the file; the other rules and
/// objects run on.
fn run_check(
    check: &dyn rules::Check,
    obj: &Object,
    catalog: &Catalog<'_>,
    files: &[SourceFile],
    injected: Option<&InjectedPanic>,
    out: &mut Vec<Diagnostic>,
) {
    let before = out.len();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if let Some(inject) = injected {
            inject.maybe_panic(check.meta().code, obj);
        }
        check.check(obj, catalog, out);
    }));
    if let Err(payload) = caught {
        out.truncate(before);
        let meta = check.meta();
        let path = files.get(obj.file as usize).map_or("", |f| f.path.as_str());
        out.push(
            internal_error(
                obj.file,
                obj.root.span,
                format!(
                    "internal error: rule {} ({}) panicked on {} in {path}: {}; its findings for this object are missing",
                    meta.code,
                    meta.name,
                    obj.describe(),
                    panic_text(payload.as_ref())
                ),
            )
            .with_object(Some(obj.object_ref())),
        );
    }
}

/// A panic injected for tests of the containment (`KWIRE_TEST_PANIC=CODE`
/// or `CODE:NAME`, read once per run; documented in docs/robustness.md):
/// rule CODE panics on every object (named NAME).
struct InjectedPanic {
    code: String,
    name: Option<String>,
}

impl InjectedPanic {
    fn from_env() -> Option<Self> {
        let value = std::env::var("KWIRE_TEST_PANIC").ok()?;
        let (code, name) = match value.split_once(':') {
            Some((c, n)) => (c.to_string(), Some(n.to_string())),
            None => (value, None),
        };
        Some(InjectedPanic { code, name })
    }

    fn maybe_panic(&self, code: &str, obj: &Object) {
        if code == self.code && self.name.as_deref().is_none_or(|n| n == obj.name()) {
            panic!("KWIRE_TEST_PANIC: injected panic in {code}");
        }
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
    stages: Vec<(&'static str, std::time::Duration, Option<u64>)>,
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
            self.stages.push((name, now - last, resident_mib()));
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
                .map(|(name, d, rss)| {
                    let ms = d.as_secs_f64() * 1000.0;
                    match rss {
                        Some(mib) => format!("{name} {ms:.1} ms ({mib} MiB)"),
                        None => format!("{name} {ms:.1} ms"),
                    }
                })
                .collect();
            eprintln!("kwire timings: {}", line.join(", "));
        }
    }
}

/// The process's resident memory in MiB, where `/proc/self/status` says it
/// (Linux): printed beside the timings, because every fresh MiB costs time
/// to fault in (docs/performance.md, the seventh pass).
pub(crate) fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
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
        file_ignored: 0,
        baselined: 0,
        graph: None,
        trace: None,
        trees: Vec::new(),
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

fn load(
    found: Found,
    stdin_name: &str,
    stdin: Option<&[u8]>,
    max: u64,
    overrides: Option<&rustc_hash::FxHashMap<String, String>>,
) -> Loaded {
    let shown = found.path().to_string();
    let text = match &found {
        Found::Stdin => overrides.and_then(|o| o.get("-")),
        Found::File(path) => overrides.and_then(|o| o.get(path)),
        _ => None,
    };
    if let Some(text) = text {
        let path = match &found {
            Found::Stdin => stdin_name.to_string(),
            _ => shown.clone(),
        };
        return Loaded {
            shown,
            file: SourceFile::new(path, text.clone()),
            diagnostics: Vec::new(),
            lint: true,
        };
    }
    let mut loaded = load_entry(found, stdin_name, stdin, max);
    loaded.shown = shown;
    loaded
}

fn load_entry(found: Found, stdin_name: &str, stdin: Option<&[u8]>, max: u64) -> Loaded {
    use crate::fsio::ReadError;
    let failed = |path: String, d: Diagnostic, text: String| Loaded {
        shown: String::new(),
        file: SourceFile::new(path, text),
        diagnostics: vec![d],
        lint: false,
    };
    let unreadable = |path: String, message: String| {
        failed(
            path,
            Diagnostic::new("KW0009", Severity::Error, 0, Span::default(), message)
                .with_help("check that the path exists and is a readable UTF-8 text file"),
            String::new(),
        )
    };
    let read_error = |path: String, what: &str, e: ReadError| {
        match e {
        ReadError::TooLarge { max } => failed(
            path,
            Diagnostic::new(
                "KW0012",
                Severity::Error,
                0,
                Span::default(),
                format!("{what} is {e}; it is not linted"),
            )
            .with_help(format!(
                "no manifest is this large; raise the limit with --max-file-size (or `max-file-size:` in .kwire.yaml) if it really is one (now {})",
                crate::fsio::show_size(max)
            )),
            String::new(),
        ),
        ReadError::NotRegular { .. } => failed(
            path,
            Diagnostic::new(
                "KW0009",
                Severity::Error,
                0,
                Span::default(),
                format!("cannot read {what}: it is {e}"),
            )
            .with_help("kwire reads pipes only as standard input: `cat FILE | kwire lint -`"),
            String::new(),
        ),
        ReadError::Io(_) => {
            let message = format!("cannot read {what}: {e}");
            unreadable(path, message)
        }
    }
    };
    let (path, bytes) = match found {
        Found::Stdin => match stdin.map_or_else(
            || crate::fsio::read_stdin(max),
            |bytes| crate::fsio::read_bytes(bytes, max),
        ) {
            Ok(buf) => (stdin_name.to_string(), buf),
            Err(e) => return read_error(stdin_name.to_string(), "standard input", e),
        },
        Found::File(path) => match crate::fsio::read_file(std::path::Path::new(&path), max) {
            Ok(bytes) => (path, bytes),
            Err(e) => {
                let what = path.clone();
                return read_error(path, &what, e);
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
            // Reported at the first bad byte: the file's text (bad bytes
            // shown as U+FFFD, offsets before it unchanged) is kept for the
            // line, column and snippet, but not linted.
            let at = e.utf8_error().valid_up_to();
            let bad = e.as_bytes().get(at).copied().unwrap_or(0);
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let span = Span::new(at, at + '\u{fffd}'.len_utf8());
            let raw = e.as_bytes();
            let encoding =
                if raw.starts_with(&[0xFF, 0xFE, 0, 0]) || raw.starts_with(&[0, 0, 0xFE, 0xFF]) {
                    " (it starts with a UTF-32 byte-order mark)"
                } else if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
                    " (it starts with a UTF-16 byte-order mark)"
                } else {
                    ""
                };
            let d = Diagnostic::new(
                "KW0009",
                Severity::Error,
                0,
                span,
                format!(
                    "{path} is not UTF-8 text{encoding}: byte 0x{bad:02X} here is not UTF-8; Kubernetes manifests must be UTF-8"
                ),
            )
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)");
            return failed(path, d, text);
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

/// One instance of each object per unit its file is in, with the unit's
/// namespace and namespace patches applied to namespaced objects. Returns
/// the instances (first instances first, in input order, then the copies)
/// and the unit of each.
fn instantiate(
    objects: Vec<Object>,
    units: &Units,
    files: &[SourceFile],
) -> (Vec<Object>, Vec<UnitId>) {
    let path_of = |o: &Object| files.get(o.file as usize).map_or("", |f| f.path.as_str());
    let mut copies: Vec<(Object, UnitId)> = Vec::new();
    let mut first_units = Vec::with_capacity(objects.len());
    let mut out = Vec::with_capacity(objects.len());
    for mut obj in objects {
        let of = units.of_file(path_of(&obj));
        let first = of.first().copied().unwrap_or(0);
        for &u in of.iter().skip(1) {
            let mut copy = obj.clone();
            place(&mut copy, units, u, path_of(&obj));
            copies.push((copy, u));
        }
        let path = path_of(&obj).to_string();
        place(&mut obj, units, first, &path);
        out.push(obj);
        first_units.push(first);
    }
    for (copy, u) in copies {
        out.push(copy);
        first_units.push(u);
    }
    (out, first_units)
}

/// Applies unit `u`'s namespace patches and namespace to a namespaced object.
fn place(obj: &mut Object, units: &Units, u: UnitId, path: &str) {
    if obj.namespace.is_none() {
        return;
    }
    let Some(unit) = units.get(u) else {
        return;
    };
    for patch in &unit.namespace_patches {
        if patch.targets(obj.kind(), obj.name(), obj.namespace()) {
            obj.namespace = Some(patch.set.as_deref().unwrap_or("default").into());
        }
    }
    if let Some(Some(ns)) = unit.files.get(path) {
        obj.namespace = Some(ns.as_str().into());
    }
}

/// Removes findings that repeat an earlier one (the same finding made in
/// two units keeps the first unit's name). `diagnostics` is sorted.
fn dedup_findings(diagnostics: &mut Vec<Diagnostic>) {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    let mut run_start = 0;
    for d in diagnostics.drain(..) {
        let same_key = out.last().is_some_and(|l: &Diagnostic| {
            (l.file, l.span.start, l.code, l.span.end, &l.message)
                == (d.file, d.span.start, d.code, d.span.end, &d.message)
        });
        if !same_key {
            run_start = out.len();
        }
        if out
            .get(run_start..)
            .is_some_and(|run| run.iter().any(|e| e.same_finding(&d)))
        {
            continue;
        }
        out.push(d);
    }
    *diagnostics = out;
}
