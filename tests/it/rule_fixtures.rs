//! Table-driven: every `fixtures/rules/CODE/*.yaml` starts with a comment
//! `# expect: KW3002@22, KW3002@33` (code@line) or `# expect: clean`, and
//! linting that file alone must give exactly those findings. Adding a case
//! is adding a file.
//!
//! Besides `bad.yaml` and `good.yaml` a rule may have more cases
//! (`good-1.18.yaml`); every `*.yaml` in the directory is checked.
//!
//! An optional second header line `# kube-version: 1.21` lints the fixture
//! against that Kubernetes version (as `--kube-version 1.21` does); without
//! it the fixture is linted against the default, the newest version.
//!
//! Only findings of the rule's own family (`KW3` for `KW3201`: its first three
//! characters) and of codes the header names are compared, so a fixture for
//! one family is not rewritten each time another family learns something
//! about the same YAML (an old Ingress shape in an ingress-reference fixture
//! is also a deprecation; a custom resource has no schema).

use std::collections::BTreeSet;
use std::path::Path;

use kwire::lint::{LintOptions, lint};
use kwire::settings::{KubeVersion, Settings};

fn expected(path: &Path) -> BTreeSet<(String, usize)> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let first = text.lines().next().unwrap_or_default();
    let spec = first
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("{} must start with `# expect:`", path.display()))
        .trim();
    if spec == "clean" {
        return BTreeSet::new();
    }
    spec.split(',')
        .map(|item| {
            let (code, line) = item.trim().split_once('@').expect("code@line");
            (code.to_string(), line.parse().expect("line number"))
        })
        .collect()
}

/// The `# kube-version: X.Y` second header line, if any.
fn kube_version(path: &Path) -> Option<KubeVersion> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let second = text.lines().nth(1)?;
    let version = second.strip_prefix("# kube-version:")?.trim();
    Some(
        KubeVersion::parse(version)
            .unwrap_or_else(|e| panic!("{}: bad kube-version header: {e}", path.display())),
    )
}

/// Lints one fixture alone; an opt-in rule's fixtures add that rule to the
/// default set (as `--extend-select CODE` does).
fn actual(path: &Path, code: &str) -> BTreeSet<(String, usize)> {
    let mut selection = kwire::selection::RuleSelection::default();
    if kwire::rules::meta(code).is_some_and(|m| !m.default) {
        selection.extend_select = vec![kwire::selection::Selector::parse(code).unwrap()];
    }
    let mut settings = Settings::default();
    if let Some(version) = kube_version(path) {
        settings.kube_version = version;
    }
    let result = lint(&LintOptions {
        paths: vec![path.to_string_lossy().into_owned()],
        settings,
        // KW0013's fixtures need it; other fixtures have no suppressions.
        report_unused_ignores: true,
        selection,
        ..LintOptions::default()
    });
    result
        .diagnostics
        .iter()
        .map(|d| {
            let file = &result.files[d.file as usize];
            (
                d.code.to_string(),
                file.line_col(d.span.start as usize).line,
            )
        })
        .collect()
}

#[test]
fn every_rule_fixture_gives_what_it_expects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        for name in ["bad.yaml", "good.yaml"] {
            assert!(
                dir.join(name).exists(),
                "{code} needs fixtures/rules/{code}/{name}"
            );
        }
        // bad.yaml, good.yaml and any further case (`good-1.18.yaml`, ...).
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let want = expected(&path);
            if name == "bad.yaml" {
                assert!(
                    want.iter().any(|(c, _)| *c == code),
                    "{}: a bad fixture must expect its own rule",
                    path.display()
                );
            }
            let family = code.get(..3).unwrap_or(&code);
            let got: BTreeSet<(String, usize)> = actual(&path, &code)
                .into_iter()
                .filter(|(c, _)| c.starts_with(family) || want.iter().any(|(w, _)| w == c))
                .collect();
            if want != got {
                failures.push(format!(
                    "{}:\n  expected {want:?}\n  got      {got:?}",
                    path.display()
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 2);
}

#[test]
fn every_rule_has_fixtures_and_every_fixture_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let fixture_codes: BTreeSet<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // kwire's own failures (KW0098 usage errors, KW0099 contained panics)
    // come from no manifest: tests/it/robustness.rs tests them.
    let rule_codes: BTreeSet<String> = kwire::rules::all()
        .iter()
        .filter(|m| m.category != kwire::diagnostic::Category::Internal)
        .map(|m| m.code.to_string())
        .collect();
    assert_eq!(fixture_codes, rule_codes);
}
