//! `kwire lint --fix` (issue 16): every fixture of `fixtures/fix/` fixed
//! gives its `.fixed.yaml` byte for byte, in LF and in CRLF; a second run
//! changes nothing; every edit keeps the bytes outside its span and is
//! minimal; the CLI writes atomically, keeps permissions, skips a file
//! changed since it was read, prints a diff or the fixed stdin.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use kwire::edit::Applicability;
use kwire::lint::{LintOptions, lint};
use kwire::settings::{KubeVersion, Settings};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fix")
}

/// The inputs of `fixtures/fix/` (each beside its `.fixed.yaml`).
fn inputs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".yaml") && !name.ends_with(".fixed.yaml")
        })
        .collect();
    out.sort();
    out
}

/// The flags on the fixture's first line: `# fix: --kube-version 1.29 --unsafe-fixes`.
struct Flags {
    kube_version: Option<KubeVersion>,
    unsafe_fixes: bool,
}

fn flags(text: &str) -> Flags {
    let line = text.lines().next().unwrap_or("");
    let args: Vec<&str> = line
        .strip_prefix("# fix:")
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let kube_version = args
        .iter()
        .position(|a| *a == "--kube-version")
        .and_then(|i| args.get(i + 1))
        .map(|v| KubeVersion::parse(v).unwrap());
    Flags {
        kube_version,
        unsafe_fixes: args.contains(&"--unsafe-fixes"),
    }
}

fn options(path: &Path, f: &Flags) -> LintOptions {
    let mut settings = Settings::default();
    if let Some(v) = f.kube_version {
        settings.kube_version = v;
    }
    LintOptions {
        paths: vec![path.to_string_lossy().into_owned()],
        settings,
        ..LintOptions::default()
    }
}

/// Fixes `text` as the file `name` in a temporary directory (nothing is
/// written: the fix loop lints its new text in memory).
fn fixed(dir: &Path, name: &str, text: &str, f: &Flags) -> (String, kwire::fix::FixOutcome) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let outcome = kwire::fix::fix(&options(&path, f), f.unsafe_fixes);
    let out = outcome
        .files
        .first()
        .map_or_else(|| text.to_string(), |f| f.fixed.clone());
    (out, outcome)
}

#[test]
fn every_fixture_fixes_to_its_fixed_file_in_lf_and_crlf_and_twice_is_once() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = inputs();
    assert!(inputs.len() >= 4, "{inputs:?}");
    for input in inputs {
        let text = std::fs::read_to_string(&input).unwrap();
        let expected_path = input.with_extension("fixed.yaml");
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} has no .fixed.yaml", input.display()));
        let f = flags(&text);
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let (out, outcome) = fixed(dir.path(), &name, &text, &f);
        assert_eq!(
            out, expected,
            "{name}: --fix output differs from its .fixed.yaml"
        );
        assert!(outcome.converged, "{name}");
        assert!(
            outcome.reverted.is_empty(),
            "{name}: {:?}",
            outcome.reverted
        );
        assert_ne!(out, text, "{name}: nothing was fixed");
        // Idempotence: fixing the fixed text changes nothing.
        let (again, second) = fixed(dir.path(), &name, &out, &f);
        assert_eq!(again, out, "{name}: a second --fix changed the file");
        assert!(second.files.is_empty(), "{name}");
        // No finding a fix exists for is left (of the applied kind).
        let left: Vec<_> = second
            .result
            .diagnostics
            .iter()
            .filter(|d| kwire::fix::applicable(d, f.unsafe_fixes))
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(left.is_empty(), "{name}: fixable findings remain: {left:?}");
        // CRLF: the same edits, every line break kept as CRLF.
        let crlf = text.replace('\n', "\r\n");
        let (out_crlf, _) = fixed(dir.path(), &name, &crlf, &f);
        assert_eq!(
            out_crlf,
            expected.replace('\n', "\r\n"),
            "{name}: CRLF not kept"
        );
    }
}

/// Every fix of every fixture, applied alone, changes the file only inside
/// its edits' spans (the whole file outside them compared), and no edit
/// replaces a line by itself (edits are minimal).
#[test]
fn every_fix_keeps_every_byte_outside_its_edits() {
    let mut fixes = 0;
    for input in inputs() {
        let text = std::fs::read_to_string(&input).unwrap();
        let f = flags(&text);
        let result = lint(&options(&input, &f));
        for d in &result.diagnostics {
            let Some(fix) = &d.fix else { continue };
            fixes += 1;
            let source = &result.files[d.file as usize].text;
            let refs: Vec<&kwire::edit::Edit> = fix.edits.iter().collect();
            let new = kwire::edit::apply(source, &refs);
            // Walk the new text: every byte between and around the edits
            // is the old byte, in order, and each edit's text sits where its
            // span was.
            let mut at_old = 0usize;
            let mut at_new = 0usize;
            for e in &fix.edits {
                let (start, end) = (e.span.start as usize, e.span.end as usize);
                let kept = &source[at_old..start];
                assert_eq!(
                    &new[at_new..at_new + kept.len()],
                    kept,
                    "{} {}: bytes {at_old}..{start} outside the edits changed",
                    input.display(),
                    d.code
                );
                at_new += kept.len();
                assert_eq!(&new[at_new..at_new + e.text.len()], e.text);
                at_new += e.text.len();
                at_old = end;
            }
            assert_eq!(
                &new[at_new..],
                &source[at_old..],
                "{} {}: the text after the last edit changed",
                input.display(),
                d.code
            );
            for e in &fix.edits {
                let before = &source[e.span.start as usize..e.span.end as usize];
                if before.contains('\n') && e.text.contains('\n') {
                    let (b, a) = (before.lines(), e.text.lines());
                    assert_ne!(
                        b.clone().next(),
                        a.clone().next(),
                        "{}: {} edit keeps its first line: not minimal",
                        input.display(),
                        d.code
                    );
                    assert_ne!(
                        b.last(),
                        a.last(),
                        "{}: {} edit keeps its last line: not minimal",
                        input.display(),
                        d.code
                    );
                }
            }
        }
    }
    assert!(fixes >= 10, "only {fixes} fixes seen");
}

/// `kwire rules` shows the fixable column from one table, and that table
/// is exactly the rules some fixture shows a fix of.
#[test]
fn the_fixable_table_is_what_the_fixtures_show() {
    let mut seen: std::collections::BTreeMap<&'static str, Vec<Applicability>> = Default::default();
    for input in inputs() {
        let text = std::fs::read_to_string(&input).unwrap();
        let f = flags(&text);
        let result = lint(&options(&input, &f));
        for d in &result.diagnostics {
            if let Some(fix) = &d.fix {
                seen.entry(d.code).or_default().push(fix.applicability);
            }
        }
    }
    for (code, kinds) in &seen {
        let declared = kwire::rules::fixable::fixable(code)
            .unwrap_or_else(|| panic!("{code} offers a fix but is not in rules::fixable"));
        use kwire::rules::fixable::Fixable;
        let ok = match declared {
            Fixable::Safe => kinds.iter().all(|k| *k == Applicability::Safe),
            Fixable::Unsafe => kinds.iter().all(|k| *k == Applicability::Unsafe),
            Fixable::Sometimes => true,
        };
        assert!(ok, "{code} is declared {declared:?} but offers {kinds:?}");
    }
    for (code, _) in kwire::rules::fixable::FIXABLE {
        assert!(
            kwire::rules::meta(code).is_some(),
            "{code} is fixable but no rule"
        );
        assert!(
            seen.contains_key(code),
            "{code} is declared fixable but no fixture in fixtures/fix/ shows its fix"
        );
    }
    let out = Command::cargo_bin("kwire")
        .unwrap()
        .args(["rules", "-f", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rule = |code: &str| {
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(rule("KW0008")["fix"], "safe");
    assert_eq!(rule("KW3002")["fix"], serde_json::Value::Null);
    let text = Command::cargo_bin("kwire")
        .unwrap()
        .arg("rules")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.lines().next().unwrap().contains("FIX"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("KW0008") && l.contains(" safe ")),
        "{text}"
    );
}

fn kwire() -> Command {
    let mut c = Command::cargo_bin("kwire").unwrap();
    c.env_remove("KWIRE_TEST_WRITE_DELAY_MS");
    c
}

const QUOTE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    on: yes\ndata:\n  a: \"1\"\n";
const QUOTED: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    on: \"yes\"\ndata:\n  a: \"1\"\n";

#[cfg(unix)]
#[test]
fn fix_writes_the_file_keeps_its_mode_and_says_what_it_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.yaml");
    std::fs::write(&p, QUOTE).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = kwire()
        .args(["lint", "--no-config", "--fix", "-f", "plain"])
        .arg(&p)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), QUOTED, "{stderr}");
    assert!(stderr.contains("fixed 1 finding in"), "{stderr}");
    assert!(stderr.contains("(KW0008)"), "{stderr}");
    assert!(stderr.contains("1 fixed"), "{stderr}");
    // Nothing remains: exit 0, no finding printed.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(out.stdout.is_empty());
    let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left"
    );
}

#[test]
fn without_fix_the_summary_says_what_is_fixable_and_exit_follows_what_remains() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.yaml");
    // One fixable finding (KW0008) and one that is not (KW5001 latest tag).
    let text = format!(
        "{QUOTE}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n"
    );
    std::fs::write(&p, &text).unwrap();
    let out = kwire()
        .args(["lint", "--no-config", "-f", "plain"])
        .arg(&p)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 fixable with --fix"), "{stderr}");
    let out = kwire()
        .args(["lint", "--no-config", "--fix", "-f", "plain"])
        .arg(&p)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("KW5001"), "{stdout}");
    assert!(!stdout.contains("KW0008"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.yaml");
    std::fs::write(&p, QUOTE).unwrap();
    let out = kwire()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--diff", "c.yaml"])
        .output()
        .unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), QUOTE);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("--- a/c.yaml\n+++ b/c.yaml\n@@ "),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n-    on: yes\n+    on: \"yes\"\n"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
    // Nothing to fix: an empty diff, exit 0.
    std::fs::write(&p, QUOTED).unwrap();
    let out = kwire()
        .current_dir(dir.path())
        .args(["lint", "--no-config", "--diff", "c.yaml"])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn stdin_with_fix_prints_the_fixed_stream() {
    let out = kwire()
        .args(["lint", "--no-config", "--fix", "-f", "plain", "-"])
        .write_stdin(QUOTE)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), QUOTED);
    assert_eq!(out.status.code(), Some(0));
    // Nothing to fix: the stream comes back unchanged.
    let out = kwire()
        .args(["lint", "--no-config", "--fix", "-f", "plain", "-"])
        .write_stdin(QUOTED)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), QUOTED);
}

#[test]
fn a_file_changed_since_it_was_read_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.yaml");
    std::fs::write(&p, QUOTE).unwrap();
    let f = Flags {
        kube_version: None,
        unsafe_fixes: false,
    };
    let outcome = kwire::fix::fix(&options(&p, &f), false);
    let file = outcome.files.first().unwrap();
    // Someone saves the file between kwire's read and its write.
    std::fs::write(
        &p,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edited\n",
    )
    .unwrap();
    let err = kwire::fix::write_fixed(file, 1 << 20).unwrap_err();
    assert!(matches!(err, kwire::fix::WriteError::Changed), "{err}");
    assert!(std::fs::read_to_string(&p).unwrap().contains("edited"));
    // Unchanged: written, and a byte-order mark it started with is kept.
    std::fs::write(&p, format!("\u{feff}{QUOTE}")).unwrap();
    kwire::fix::write_fixed(file, 1 << 20).unwrap();
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        format!("\u{feff}{QUOTED}")
    );
}

/// Kills kwire while it writes fixed files (each write pauses half-way,
/// `KWIRE_TEST_WRITE_DELAY_MS`): every file is then its old or its new
/// content, never a part of one.
#[cfg(unix)]
#[test]
fn killed_while_writing_every_file_is_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let n = 40;
    for i in 0..n {
        std::fs::write(dir.path().join(format!("f{i:02}.yaml")), QUOTE).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("kwire");
    let mut child = std::process::Command::new(bin)
        .args(["lint", "--no-config", "--fix", "-q", "-f", "plain"])
        .arg(dir.path())
        .env("KWIRE_TEST_WRITE_DELAY_MS", "40")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some files are written, then kill it mid-way.
    let start = std::time::Instant::now();
    let count_new = || {
        (0..n)
            .filter(|i| {
                std::fs::read_to_string(dir.path().join(format!("f{i:02}.yaml")))
                    .is_ok_and(|t| t == QUOTED)
            })
            .count()
    };
    while count_new() < 3 && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut old = 0;
    let mut new = 0;
    for i in 0..n {
        let text = std::fs::read_to_string(dir.path().join(format!("f{i:02}.yaml"))).unwrap();
        match text.as_str() {
            QUOTE => old += 1,
            QUOTED => new += 1,
            other => panic!("f{i:02}.yaml is neither old nor new: {other:?}"),
        }
    }
    assert!(new >= 3, "{new} new");
    assert!(old >= 1, "the kill came after every write ({new} new)");
}

/// The golden `--diff` of the seed Ingress fixtures (safe fixes, then
/// with the unsafe ones), and the README shows the first part verbatim.
#[test]
fn diff_of_the_seed_ingress_fixtures_is_golden() {
    let run = |extra: &[&str]| {
        let out = kwire()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["lint", "--no-config", "--diff", "--kube-version", "1.29"])
            .args(extra)
            .args([
                "fixtures/seeds/09-ingress-v1beta1.yaml",
                "fixtures/seeds/10-ingress-v1.yaml",
                "fixtures/seeds/ingress-nginx",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let safe = run(&[]);
    insta::assert_snapshot!("diff_seed_ingress", safe);
    insta::assert_snapshot!("diff_seed_ingress_unsafe", run(&["--unsafe-fixes"]));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first = safe.split("\n--- a/").next().unwrap().to_string();
    assert!(
        readme.contains(&format!(
            "$ kwire lint --diff --kube-version 1.29 fixtures/seeds/09-ingress-v1beta1.yaml\n{first}"
        )),
        "README's --diff example is not kwire's output:\n{first}"
    );
}

/// Overlapping fixes: the first by position is applied, the other is
/// dropped for that pass and offered again on the new text (ruff's loop).
#[test]
fn overlapping_fixes_are_applied_one_per_pass() {
    let input = fixtures().join("conflicting-fixes.yaml");
    let text = std::fs::read_to_string(&input).unwrap();
    let f = flags(&text);
    let first = lint(&options(&input, &f));
    let fixes: Vec<_> = first
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|x| (d.code, x)))
        .collect();
    assert_eq!(fixes.len(), 2, "{fixes:?}");
    assert!(fixes[0].1.edits[0].overlaps(&fixes[1].1.edits[0]));
    let dir = tempfile::tempdir().unwrap();
    let (out, outcome) = fixed(dir.path(), "c.yaml", &text, &f);
    // Lint, fix KW0002; lint, fix KW0008; lint: nothing left.
    assert_eq!(outcome.passes, 3);
    assert!(out.ends_with("    enabled: \"yes\"\n"), "{out}");
    let codes = &outcome.files[0].fixed_codes;
    assert_eq!(codes.get("KW0002"), Some(&1));
    assert_eq!(codes.get("KW0008"), Some(&1));
}
