//! Issue 17: bounded memory and time on hostile input, positions that agree
//! with the parser, bounded reads, atomic writes, machine output on usage
//! errors and contained panics. Each test is the regression test of one
//! defect (see docs/robustness.md).

use std::time::{Duration, Instant};

use assert_cmd::Command;
use kwire::parse::{ParsedFile, RunBudget, parse_file, parse_file_in_run};
use kwire::source::SourceFile;

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // A hang guard, not a performance assertion.
    cmd.timeout(Duration::from_secs(60));
    cmd.env_remove("KWIRE_TEST_PANIC");
    cmd
}

fn parse(text: &str) -> ParsedFile {
    parse_file(0, &SourceFile::new("t.yaml", text.to_string()))
}

fn codes(p: &ParsedFile) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

/// One document whose aliases copy about 10^levels nodes (under the
/// per-document budget for levels <= 4: 9 + 90 + ... ~ 99,990 at most).
fn small_bomb(levels: usize) -> String {
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..=levels {
        let prev = format!("*a{}", i - 1);
        let items = [prev.as_str(); 10].join(", ");
        doc.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    doc
}

fn json(out: &[u8]) -> serde_json::Value {
    let text = std::str::from_utf8(out).expect("UTF-8 output");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

fn diagnostics(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

// ---- 1. alias expansion bounded per file and per run, reported once ----

#[test]
fn many_small_alias_bombs_stop_at_the_file_budget_with_one_finding() {
    // Each document copies ~11k nodes, far under the per-document budget;
    // 500 of them copy 5.5 million, past the per-file budget.
    let doc = small_bomb(3);
    let text: String = (0..500).map(|_| format!("---\n{doc}")).collect();
    let started = Instant::now();
    let p = parse(&text);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let kw0012: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "KW0012")
        .collect();
    assert_eq!(kw0012.len(), 1, "{:?}", codes(&p));
    let message = &kw0012[0].message;
    assert!(message.contains("in this file"), "{message}");
    assert!(
        message.contains("more documents of this file dropped"),
        "{message}"
    );
    // The documents before the budget ran out are kept.
    assert!(p.documents.len() >= 80, "{}", p.documents.len());
    assert!(p.documents.len() < 500);
}

#[test]
fn the_alias_budget_is_shared_by_the_files_of_a_run() {
    let text = format!("---\n{}", small_bomb(3));
    let run = RunBudget::with_spent(kwire::parse::RUN_ALIAS_NODE_BUDGET - 5_000);
    let a = parse_file_in_run(0, &SourceFile::new("a.yaml", text.clone()), &run);
    assert_eq!(codes(&a), ["KW0012"]);
    assert!(a.diagnostics[0].message.contains("in this run"));
    // A file without aliases still loads.
    let b = parse_file_in_run(1, &SourceFile::new("b.yaml", "a: 1\n".into()), &run);
    assert!(b.diagnostics.is_empty());
    assert_eq!(b.documents.len(), 1);
}

#[test]
fn per_document_bombs_are_reported_once_per_file() {
    let doc = small_bomb(5);
    let text: String = (0..5).map(|_| format!("---\n{doc}")).collect();
    let p = parse(&text);
    assert_eq!(codes(&p), ["KW0012"]);
    assert!(p.diagnostics[0].message.contains("in this document"));
    assert!(
        p.diagnostics[0]
            .message
            .ends_with("; 4 more documents of this file dropped for their aliases"),
        "{}",
        p.diagnostics[0].message
    );
}

// ---- 2. anchors alone copy nothing ----

#[test]
fn anchors_without_aliases_do_not_count() {
    let mut text = String::from("items:\n");
    for i in 0..100_001 {
        text.push_str(&format!("- &a{i} v\n"));
    }
    let p = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", codes(&p));
    assert_eq!(p.documents.len(), 1);
}

// ---- 4. the finish stage is O(n log n) ----

#[test]
fn owner_lookups_and_suppressions_do_not_scan_the_file() {
    use kwire::model::{Modeled, model_document};
    let n = 60_000;
    let one = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    kwire.io/ignore: KW0002\n";
    let text: String = (0..n).map(|_| format!("---\n{one}")).collect();
    let source = SourceFile::new("big.yaml", text);
    let parsed = parse_file(0, &source);
    let mut modeled = Modeled::default();
    for doc in parsed.documents {
        model_document(0, doc.index, doc.root, &mut modeled);
    }
    let objects = modeled.objects;
    assert_eq!(objects.len(), n);
    let files = [source];
    // One finding at the end of every object: a scan per finding would be
    // n^2 / 2 = 1.8e9 steps; the index makes it n log n.
    let findings: Vec<kwire::diagnostic::Diagnostic> = objects
        .iter()
        .map(|o| {
            let end = o.root.span.end as usize;
            kwire::diagnostic::Diagnostic::new(
                "KW0002",
                kwire::diagnostic::Severity::Error,
                0,
                kwire::source::Span::new(end - 3, end - 1),
                "x",
            )
        })
        .collect();
    let started = Instant::now();
    for (d, o) in findings.iter().zip(&objects) {
        let owner = kwire::fingerprint::owner(&objects, 0, d.span).expect("owned");
        assert_eq!(owner.root.span, o.root.span);
    }
    let (mut directives, problems) = kwire::suppress::collect(&files, &[], &objects);
    assert!(problems.is_empty());
    let mut kept = findings.clone();
    let suppressed = kwire::suppress::apply(&mut kept, &mut directives, &files);
    assert_eq!(suppressed, n);
    let fingerprints = kwire::fingerprint::fingerprints(&findings, &objects, &files);
    assert_eq!(fingerprints.len(), n);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "finish-stage work took {:?}",
        started.elapsed()
    );
}

// ---- 5. lines agree with the parser for LF, CRLF and a lone CR ----

fn duplicate_key_position(text: &str) -> (u64, u64, serde_json::Value) {
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let d = diagnostics(&report)
        .into_iter()
        .find(|d| d["code"] == "KW0002")
        .unwrap_or_else(|| panic!("no KW0002 in {report}"));
    (
        d["line"].as_u64().unwrap(),
        d["column"].as_u64().unwrap(),
        d,
    )
}

#[test]
fn line_breaks_lf_crlf_and_lone_cr_give_the_same_positions() {
    let lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: a",
        "data:",
        "  x: \"1\"",
        "  x: \"2\"",
    ];
    for newline in ["\n", "\r\n", "\r"] {
        let text = lines.join(newline) + newline;
        let (line, column, d) = duplicate_key_position(&text);
        assert_eq!((line, column), (7, 3), "newline {newline:?}: {d}");
        assert_eq!(d["end_line"], 7, "newline {newline:?}: {d}");
        assert_eq!(d["related"][0]["line"], 6, "newline {newline:?}: {d}");
    }
    // The issue's case: one lone CR among LFs.
    let text =
        "apiVersion: v1\rkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n  x: \"2\"\n";
    assert_eq!(duplicate_key_position(text).0, 7);
}

#[test]
fn pretty_snippets_break_lines_at_a_lone_cr() {
    let text =
        "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: a\rdata:\r  x: \"1\"\r  x: \"2\"\r";
    let out = kwire()
        .args([
            "lint",
            "-f",
            "pretty",
            "--color",
            "never",
            "--no-config",
            "-",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("[<stdin>:7:3]"), "{stdout}");
    // The snippet shows line 7 on its own line, numbered 7.
    assert!(
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with("7 │   x: \"2\"")),
        "{stdout}"
    );
    assert!(!stdout.contains('\r'), "{stdout:?}");
}

// ---- 8. invalid UTF-8 at the line and column of the first bad byte ----

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(
        &path,
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n",
    )
    .unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out.stdout);
    let d = &diagnostics(&report)[0];
    assert_eq!(d["code"], "KW0009");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(12)),
        "{d}"
    );
    assert!(d["message"].as_str().unwrap().contains("0xE9"), "{d}");
    // With a lone CR before it, lines are counted as the parser counts them.
    std::fs::write(&path, b"a: 1\rb: \xff\n").unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config"])
        .arg(&path)
        .output()
        .unwrap();
    let d = &diagnostics(&json(&out.stdout))[0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(4)),
        "{d}"
    );
}

#[test]
fn utf16_files_are_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u16.yaml");
    let mut bytes = vec![0xFF, 0xFE];
    for c in "kind: Pod\n".encode_utf16() {
        bytes.extend(c.to_le_bytes());
    }
    std::fs::write(&path, bytes).unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config"])
        .arg(&path)
        .output()
        .unwrap();
    let d = &diagnostics(&json(&out.stdout))[0];
    assert!(d["message"].as_str().unwrap().contains("UTF-16"), "{d}");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(1))
    );
}

// ---- 3. atomic writes ----

#[cfg(unix)]
#[test]
fn write_baseline_and_output_replace_files_atomically_keeping_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, "{\"old\": true}").unwrap();
    std::fs::set_permissions(&baseline, std::fs::Permissions::from_mode(0o600)).unwrap();
    kwire()
        .args(["lint", "--no-config", "fixtures/seeds", "--write-baseline"])
        .arg(&baseline)
        .assert()
        .code(0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    let mode = std::fs::metadata(&baseline).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let report = dir.path().join("report.json");
    kwire()
        .args(["lint", "--no-config", "-f", "json", "fixtures/seeds", "-o"])
        .arg(&report)
        .assert()
        .code(1);
    json(&std::fs::read(&report).unwrap());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[cfg(unix)]
#[test]
fn a_killed_write_baseline_leaves_the_old_baseline_whole() {
    // Kill kwire at many moments of a run; every time, the baseline is the
    // old one or a whole new one (never truncated).
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let old = "{\"version\": 1, \"findings\": []}\n";
    let bin = assert_cmd::cargo::cargo_bin("kwire");
    for i in 0..20u64 {
        std::fs::write(&baseline, old).unwrap();
        let mut child = std::process::Command::new(&bin)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["lint", "--no-config", "fixtures", "--write-baseline"])
            .arg(&baseline)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + i * 15));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&baseline).unwrap();
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&text);
        assert!(parsed.is_ok(), "kill {i}: truncated baseline: {text:?}");
    }
}

// ---- 6. bounded reads ----

#[test]
fn files_over_the_maximum_size_are_kw0012_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n",
    )
    .unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config", "--max-file-size", "20"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let d = &diagnostics(&json(&out.stdout))[0];
    assert_eq!(d["code"], "KW0012");
    assert!(d["message"].as_str().unwrap().contains("20 bytes"), "{d}");
    // Standard input too.
    let out = kwire()
        .args([
            "lint",
            "-f",
            "json",
            "--no-config",
            "--max-file-size",
            "1K",
            "-",
        ])
        .write_stdin("a: b\n".repeat(1000))
        .output()
        .unwrap();
    let d = &diagnostics(&json(&out.stdout))[0];
    assert_eq!(d["code"], "KW0012");
    assert!(
        d["message"].as_str().unwrap().contains("standard input"),
        "{d}"
    );
    // The configuration key sets it too.
    let cfg = dir.path().join("kwire.yaml");
    std::fs::write(&cfg, "max-file-size: 20\n").unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "--config"])
        .arg(&cfg)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(diagnostics(&json(&out.stdout))[0]["code"], "KW0012");
    // And the limit applies to the configuration and the baseline.
    let out = kwire()
        .args(["lint", "--max-file-size", "10", "--config"])
        .arg(&cfg)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the maximum file size"));
    let baseline = dir.path().join("b.json");
    std::fs::write(&baseline, "{\"version\": 1, \"findings\": []}").unwrap();
    let out = kwire()
        .args(["lint", "--no-config", "--max-file-size", "10", "--baseline"])
        .arg(&baseline)
        .arg("fixtures/seeds")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the maximum file size"));
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_named_as_files_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available: FIFO case skipped");
    } else {
        let started = Instant::now();
        let out = kwire()
            .args(["lint", "-f", "json", "--no-config"])
            .arg(&fifo)
            .output()
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2));
        let d = &diagnostics(&json(&out.stdout))[0];
        assert_eq!(d["code"], "KW0009");
        assert!(d["message"].as_str().unwrap().contains("FIFO"), "{d}");
    }
    let out = kwire()
        .args(["lint", "-f", "json", "--no-config", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let d = &diagnostics(&json(&out.stdout))[0];
    assert_eq!(d["code"], "KW0009");
    assert!(
        d["message"].as_str().unwrap().contains("character device"),
        "{d}"
    );
}

// ---- 7. machine output on usage errors ----

#[test]
fn usage_errors_still_give_a_valid_machine_report() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("broken.yaml");
    std::fs::write(&cfg, "fail-on: sometimes\n").unwrap();
    let out = kwire()
        .args(["lint", "-f", "json", "fixtures/seeds", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out.stdout);
    let d = &diagnostics(&report)[0];
    assert_eq!(d["code"], "KW0098");
    assert_eq!(d["category"], "internal");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(1), Some(10))
    );
    assert_eq!(report["summary"]["errors"], 1);
    // Validates against the contract.
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&report), "{report}");

    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, "not json").unwrap();
    let out = kwire()
        .args([
            "lint",
            "-f",
            "sarif",
            "--no-config",
            "fixtures/seeds",
            "--baseline",
        ])
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let sarif = json(&out.stdout);
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "KW0098");

    let out = kwire()
        .args([
            "lint",
            "-f",
            "json",
            "--no-config",
            "--select",
            "KW9ZZZ",
            "fixtures/seeds",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(diagnostics(&json(&out.stdout))[0]["code"], "KW0098");
    // Human formats keep stdout empty and say it on stderr.
    let out = kwire()
        .args(["lint", "-f", "plain", "fixtures/seeds", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.is_empty());
}

// ---- panics are contained at the rule boundary ----

#[test]
fn a_panicking_rule_becomes_an_internal_error_and_the_rest_is_reported() {
    let normal = kwire()
        .args(["lint", "-f", "json", "--no-config", "fixtures/seeds"])
        .output()
        .unwrap();
    let normal = diagnostics(&json(&normal.stdout));
    let out = kwire()
        .env("KWIRE_TEST_PANIC", "KW3002:storefront")
        .args(["lint", "-f", "json", "--no-config", "fixtures/seeds"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let found = diagnostics(&json(&out.stdout));
    let internal: Vec<_> = found.iter().filter(|d| d["code"] == "KW0099").collect();
    assert!(!internal.is_empty());
    for d in &internal {
        assert_eq!(d["category"], "internal");
        assert_eq!(d["rule"], "internal-error");
        let message = d["message"].as_str().unwrap();
        assert!(message.contains("KW3002"), "{message}");
        assert!(message.contains("\"storefront\""), "{message}");
        assert!(message.contains(d["file"].as_str().unwrap()), "{message}");
        assert_eq!(d["object"]["name"], "storefront");
        assert!(d["help"].as_str().unwrap().contains("report"));
    }
    // Every finding of the other rules and objects is still there.
    let key = |d: &serde_json::Value| {
        format!("{} {} {} {}", d["file"], d["line"], d["column"], d["code"])
    };
    let kept: Vec<String> = found
        .iter()
        .filter(|d| d["code"] != "KW0099")
        .map(key)
        .collect();
    for d in &normal {
        let is_skipped = d["code"] == "KW3002" && d["object"]["name"] == "storefront";
        if !is_skipped {
            assert!(kept.contains(&key(d)), "lost {d}");
        }
    }
    // Selection does not hide it.
    let out = kwire()
        .env("KWIRE_TEST_PANIC", "KW3002")
        .args([
            "lint",
            "-f",
            "json",
            "--no-config",
            "--select",
            "KW3002",
            "--ignore",
            "KW0",
        ])
        .arg("fixtures/seeds")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        diagnostics(&json(&out.stdout))
            .iter()
            .any(|d| d["code"] == "KW0099")
    );
}
