//! Criterion benchmarks of kwire's hot paths, over the synthetic corpus of
//! `benches/gen/corpus.rs` built in memory (no file system):
//!
//! - `parse`: YAML text -> span-carrying trees, one thread;
//! - `model`: trees -> objects;
//! - `catalog_build`: the index every rule shares;
//! - `selector_matching`: every Service's selector against the catalog;
//! - `rules`: every registered per-object check over every object;
//! - `report_10k`: 10,000 diagnostics written as `plain` and as `json`.
//!
//! `cargo bench --bench hot_paths` (add `-- parse` to run one group).
//! Schema validation gets its group here when the validator lands: see the
//! `SLOT: schema_validation` comment below.

#[path = "gen/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use kwire::catalog::Catalog;
use kwire::diagnostic::{Diagnostic, Severity};
use kwire::model::{self, Modeled, Object};
use kwire::parse::parse_file;
use kwire::report::{Report, ReportObject, Summary, write_json, write_plain};
use kwire::rules::CHECKS;
use kwire::settings::Settings;
use kwire::source::{FileId, SourceFile};

/// Apps in the in-memory corpus (about 6.7 documents each).
const APPS: usize = 300;

fn sources(apps: usize) -> Vec<SourceFile> {
    corpus::generate(&corpus::Options {
        apps,
        namespaces: 8,
        mistake_every: 0,
    })
    .files
    .into_iter()
    .map(|f| SourceFile::new(f.path, f.text))
    .collect()
}

fn model_all(sources: &[SourceFile]) -> Vec<Object> {
    let mut modeled = Modeled::default();
    for (i, s) in sources.iter().enumerate() {
        let id = FileId::try_from(i).unwrap_or(FileId::MAX);
        for doc in parse_file(id, s).documents {
            model::model_document(id, doc.index, doc.root, &mut modeled);
        }
    }
    modeled.objects
}

fn parse(c: &mut Criterion) {
    let files = sources(APPS);
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse_file", |b| {
        b.iter(|| {
            let mut docs = 0;
            for (i, s) in files.iter().enumerate() {
                docs += parse_file(i as FileId, s).documents.len();
            }
            black_box(docs)
        })
    });
    g.bench_function("parse_and_model", |b| {
        b.iter(|| black_box(model_all(&files).len()))
    });
    g.finish();
}

fn catalog_build(c: &mut Criterion) {
    let files = sources(APPS);
    let objects = model_all(&files);
    let settings = Settings::default();
    let mut g = c.benchmark_group("catalog");
    g.throughput(Throughput::Elements(objects.len() as u64));
    g.bench_function("build", |b| {
        b.iter(|| {
            let catalog = Catalog::build(&objects, &files, &settings);
            black_box(catalog.objects.len())
        })
    });
    g.finish();
}

fn selector_matching(c: &mut Criterion) {
    let files = sources(APPS);
    let objects = model_all(&files);
    let settings = Settings::default();
    let catalog = Catalog::build(&objects, &files, &settings);
    let services: Vec<&Object> = objects.iter().filter(|o| o.kind() == "Service").collect();
    let mut g = c.benchmark_group("selector");
    g.throughput(Throughput::Elements(services.len() as u64));
    g.bench_function("templates_matching", |b| {
        b.iter(|| {
            let mut matched = 0;
            for svc in &services {
                let Some(view) = svc.service() else { continue };
                let Some(selector) = view.selector() else {
                    continue;
                };
                matched += catalog.templates_matching(svc.namespace(), &selector).len();
            }
            black_box(matched)
        })
    });
    g.finish();
}

fn rules(c: &mut Criterion) {
    let files = sources(APPS);
    let objects = model_all(&files);
    let settings = Settings::default();
    let catalog = Catalog::build(&objects, &files, &settings);
    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(objects.len() as u64));
    g.bench_function("all_checks", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for obj in &objects {
                for check in CHECKS {
                    check.check(obj, &catalog, &mut out);
                }
            }
            black_box(out.len())
        })
    });
    g.finish();
}

// SLOT: schema_validation. When the schema validator lands, add a group here
// that validates every object of `model_all(&sources(APPS))` against its
// compiled schema (compilation outside `b.iter`, as a separate
// `schema/compile` function), and list it in `criterion_group!` below.

/// 10,000 diagnostics with help and a related span, one per object of a
/// corpus of about 1,500 apps, sorted as the pipeline sorts them.
/// Also the report's objects and fingerprints, as the pipeline computes them.
fn diagnostics_10k() -> (
    Vec<SourceFile>,
    Vec<Diagnostic>,
    Vec<ReportObject>,
    Vec<String>,
) {
    let files = sources(1500);
    let objects = model_all(&files);
    let mut diags: Vec<Diagnostic> = objects
        .iter()
        .take(10_000)
        .map(|o| {
            Diagnostic::new(
                "KW3002",
                Severity::Warning,
                o.file,
                o.anchor_span(),
                format!("{} selector matches no pod template", o.describe()),
            )
            .with_label("matches nothing")
            .with_help("make the selector and the pod template labels agree")
            .with_object(Some(o.object_ref()))
            .with_related(o.file, o.root.span, "the object")
        })
        .collect();
    diags.sort_by_key(|d| (d.file, d.span.start));
    let fingerprints = kwire::fingerprint::fingerprints(&diags, &objects, &files);
    let report_objects = objects
        .iter()
        .map(|o| ReportObject {
            file: o.file,
            span: o.root.span,
            id: o.id(),
        })
        .collect();
    (files, diags, report_objects, fingerprints)
}

fn report_10k(c: &mut Criterion) {
    let (files, diags, objects, fingerprints) = diagnostics_10k();
    let report = Report {
        files: &files,
        diagnostics: &diags,
        objects: &objects,
        fingerprints: &fingerprints,
        reported_files: None,
        summary: Summary {
            files: files.len(),
            documents: diags.len(),
            objects: diags.len(),
            warnings: diags.len(),
            ..Summary::default()
        },
    };
    let mut g = c.benchmark_group("report_10k");
    g.throughput(Throughput::Elements(diags.len() as u64));
    g.bench_function("plain", |b| {
        b.iter_batched_ref(
            || Vec::with_capacity(4 << 20),
            |buf| write_plain(&report, buf).map(|()| buf.len()),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("json", |b| {
        b.iter_batched_ref(
            || Vec::with_capacity(8 << 20),
            |buf| write_json(&report, buf).map(|()| buf.len()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse, catalog_build, selector_matching, rules, report_10k
}
criterion_main!(benches);
