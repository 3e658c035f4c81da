//! Modules import only downward: text/source/diagnostic → parse → model →
//! units → catalog → policy → resolve → rules / topology → report → cli.
//! A layer that imports one above it is reported with the file and line.

use std::path::Path;

/// (files under this path, module paths they must not use).
///
/// Two back-edges remain and are not listed: `model/istio.rs` resolves
/// Istio hosts with the catalog (`IstioIndex`, cached in the catalog), and
/// `schema/mod.rs` asks `rules::deprecation::table` and `rules::schema` for
/// kind names. Both are to move into `resolve/` and `text.rs`.
const RULES: &[(&str, &[&str])] = &[
    // Fixes as data sit beside the tree they edit; applying them (which
    // lints again) is `fix.rs`, at the top with the CLI.
    (
        "src/edit.rs",
        &[
            "crate::rules",
            "crate::catalog",
            "crate::model",
            "crate::resolve",
            "crate::topology",
            "crate::lint",
            "crate::fix",
        ],
    ),
    (
        "src/catalog.rs",
        &[
            "crate::rules",
            "crate::resolve",
            "crate::topology",
            "crate::lint",
        ],
    ),
    (
        "src/policy.rs",
        &[
            "crate::rules",
            "crate::resolve",
            "crate::topology",
            "crate::lint",
        ],
    ),
    (
        "src/units.rs",
        &[
            "crate::rules",
            "crate::catalog",
            "crate::resolve",
            "crate::topology",
        ],
    ),
    (
        "src/parse",
        &[
            "crate::rules",
            "crate::catalog",
            "crate::resolve",
            "crate::topology",
            "crate::model",
        ],
    ),
    (
        "src/model",
        &[
            "crate::rules",
            "crate::resolve",
            "crate::topology",
            "crate::lint",
            "crate::units",
        ],
    ),
    (
        "src/resolve",
        &[
            "crate::rules",
            "crate::topology",
            "crate::lint",
            "crate::report",
            "crate::cli",
        ],
    ),
    (
        "src/topology",
        &["crate::rules", "crate::lint", "crate::report", "crate::cli"],
    ),
    (
        "src/rules",
        &[
            "crate::topology",
            "crate::lint",
            "crate::fix",
            "crate::report",
            "crate::cli",
        ],
    ),
];

fn files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn modules_import_only_downward() {
    let mut wrong = Vec::new();
    for (root, forbidden) in RULES {
        let mut all = Vec::new();
        files(Path::new(root), &mut all);
        assert!(!all.is_empty(), "{root} has no source files");
        for file in all {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for f in *forbidden {
                    if code.contains(f) {
                        wrong.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that go up a layer:\n{}",
        wrong.join("\n")
    );
}
