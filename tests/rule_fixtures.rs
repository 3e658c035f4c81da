//! Table-driven: every `fixtures/rules/CODE/*.yaml` starts with a comment
//! `# expect: KW3002@22, KW3002@33` (code@line) or `# expect: clean`, and
//! linting that file alone must give exactly those findings. Adding a case
//! is adding a file.

use std::collections::BTreeSet;
use std::path::Path;

use kwire::lint::{LintOptions, lint};

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

fn actual(path: &Path) -> BTreeSet<(String, usize)> {
    let result = lint(&LintOptions {
        paths: vec![path.to_string_lossy().into_owned()],
        // KW0013's fixtures need it; other fixtures have no suppressions.
        report_unused_ignores: true,
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
            let path = dir.join(name);
            assert!(path.exists(), "{code} needs fixtures/rules/{code}/{name}");
            let want = expected(&path);
            if name == "bad.yaml" {
                assert!(
                    want.iter().any(|(c, _)| *c == code),
                    "{}: a bad fixture must expect its own rule",
                    path.display()
                );
            }
            let got = actual(&path);
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
    let rule_codes: BTreeSet<String> = kwire::rules::all()
        .iter()
        .map(|m| m.code.to_string())
        .collect();
    assert_eq!(fixture_codes, rule_codes);
}
