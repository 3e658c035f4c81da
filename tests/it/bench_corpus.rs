//! The benchmark corpus generator is truly wired: a clean corpus gives no
//! finding at all, and every injected mistake is found, in its file, by the
//! rule meant to find it (and nothing else is).

#[path = "../../benches/gen/corpus.rs"]
mod corpus;

use std::collections::BTreeSet;

use kwire::lint::{LintOptions, lint};

/// Findings as (relative path, code). Practice findings (KW5xxx) are left
/// out: whether a generated app should carry, say, a NetworkPolicy is a
/// matter of taste the generator need not follow; it must be *wired*.
fn findings(dir: &std::path::Path) -> BTreeSet<(String, String)> {
    let result = lint(&LintOptions {
        paths: vec![dir.to_string_lossy().into_owned()],
        ..LintOptions::default()
    });
    result
        .diagnostics
        .iter()
        .filter(|d| !d.code.starts_with("KW5"))
        .map(|d| {
            let path = &result.files[d.file as usize].path;
            let rel = std::path::Path::new(path)
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| path.clone());
            (rel, d.code.to_string())
        })
        .collect()
}

#[test]
fn clean_corpus_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus::generate(&corpus::Options {
        apps: 60,
        namespaces: 4,
        mistake_every: 0,
    });
    corpus::write(&corpus, dir.path()).unwrap();
    assert_eq!(corpus.files.len(), 60);
    assert!(corpus.expected.is_empty());
    let found = findings(dir.path());
    assert!(
        found.is_empty(),
        "the generator must be wired correctly; found {found:?}"
    );
}

#[test]
fn injected_mistakes_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus::generate(&corpus::Options {
        apps: 60,
        namespaces: 4,
        mistake_every: 3,
    });
    corpus::write(&corpus, dir.path()).unwrap();
    // Every kind of mistake is exercised.
    for m in corpus::Mistake::ALL {
        assert!(corpus.expected.iter().any(|(_, e)| *e == m), "{m:?}");
    }
    let expected: BTreeSet<(String, String)> = corpus
        .expected
        .iter()
        .flat_map(|(p, m)| m.codes().iter().map(|c| (p.clone(), c.to_string())))
        .collect();
    assert_eq!(findings(dir.path()), expected);
}

#[test]
fn generation_is_deterministic() {
    let opts = corpus::Options {
        apps: 10,
        namespaces: 3,
        mistake_every: 2,
    };
    let a = corpus::generate(&opts);
    let b = corpus::generate(&opts);
    assert_eq!(a.documents, b.documents);
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!((&x.path, &x.text), (&y.path, &y.text));
    }
}

#[test]
fn stop_after_parse_counts_documents_and_reports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus::generate(&corpus::Options {
        apps: 9,
        namespaces: 2,
        mistake_every: 2,
    });
    corpus::write(&corpus, dir.path()).unwrap();
    let out = assert_cmd::Command::cargo_bin("kwire")
        .unwrap()
        .args(["lint", "--stop-after", "parse"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "mistakes do not fail a parse-only run"
    );
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "stopped after parse: 9 files, {} documents",
            corpus.documents
        )),
        "{err}"
    );
    // Hidden: a benchmarking aid, not part of the interface.
    let help = assert_cmd::Command::cargo_bin("kwire")
        .unwrap()
        .args(["lint", "--help"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(help.stdout)
            .unwrap()
            .contains("stop-after")
    );
}
