//! End to end: the `kwire` binary on fixtures, stdin and hostile input.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // A hang guard, not a performance assertion.
    cmd.timeout(Duration::from_secs(30));
    cmd
}

#[test]
fn seeds_plain_output() {
    let out = kwire()
        .args(["lint", "-f", "plain", "fixtures/seeds"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("seeds_plain", stdout);
}

#[test]
fn seeds_json_output_follows_the_contract() {
    let out = kwire()
        .args(["lint", "-f", "json", "fixtures/seeds"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        stdout.ends_with("}\n") && stdout.lines().count() == 1,
        "one compact JSON object"
    );
    insta::assert_snapshot!("seeds_json", serde_json::to_string_pretty(&report).unwrap());
}

#[test]
fn pretty_output_shows_code_location_and_help() {
    kwire()
        .args([
            "lint",
            "-f",
            "pretty",
            "--color",
            "never",
            "fixtures/seeds/14-selector-mismatch.yaml",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("KW3001"))
        .stdout(predicate::str::contains(
            "fixtures/seeds/14-selector-mismatch.yaml:9:3",
        ))
        .stdout(predicate::str::contains("help"));
}

#[test]
fn clean_input_exits_zero() {
    kwire()
        .args(["lint", "-f", "plain", "fixtures/seeds/01-nginx-pod.yaml"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("No problems"));
}

#[test]
fn fail_on_controls_the_exit_code() {
    // An unknown field under `--no-strict`: only a warning (KW1001).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("svc.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    protoco: TCP\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    kwire()
        .args(["lint", "-f", "plain", "--no-strict", file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("warning[KW1001]"));
    kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "--no-strict",
            "--fail-on",
            "error",
            file,
        ])
        .assert()
        .code(0);
    // Strict (the default): the same unknown field is an error.
    kwire()
        .args(["lint", "-f", "plain", "--fail-on", "error", file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[KW1001]"));
    kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "--fail-on",
            "never",
            "fixtures/seeds",
        ])
        .assert()
        .code(0);
}

#[test]
fn missing_path_is_reported_and_exits_two() {
    kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "does/not/exist.yaml",
            "fixtures/seeds/01-nginx-pod.yaml",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("KW0009"));
}

#[test]
fn stdin_is_linted_under_its_given_name() {
    kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "--stdin-filename",
            "rendered.yaml",
            "-",
        ])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "rendered.yaml:4:9: error[KW0005]",
        ));
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_doc() {
    let out = kwire().arg("rules").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for meta in kwire::rules::all() {
        assert!(
            stdout.contains(meta.code) && stdout.contains(meta.name),
            "{}",
            meta.code
        );
    }
    kwire()
        .args(["explain", "KW3002"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# KW3002 service-selector-matches-nothing",
        ));
    kwire()
        .args(["explain", "service-selector-matches-nothing"])
        .assert()
        .success();
    kwire().args(["explain", "KW9999"]).assert().code(2);
}

/// Each hostile input gives a diagnostic, never a panic or a hang.
fn hostile(input: Vec<u8>, expect_code: &str) {
    let out = kwire()
        .args(["lint", "-f", "plain", "-"])
        .write_stdin(input)
        .assert();
    let output = out.get_output();
    let code = output
        .status
        .code()
        .expect("exited normally, not by a signal");
    assert!((0..=2).contains(&code), "exit code {code}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout.contains(expect_code),
        "expected {expect_code} in:\n{stdout}"
    );
}

#[test]
fn hostile_binary_garbage() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    hostile(bytes, "KW0009");
}

#[test]
fn hostile_invalid_utf8() {
    hostile(
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n".to_vec(),
        "KW0009",
    );
}

#[test]
fn hostile_control_characters() {
    hostile(
        b"apiVersion: v1\nkind: \x00\x01\x02\nmetadata: {name: x}\n".to_vec(),
        "KW0001",
    );
}

#[test]
fn empty_inputs_are_clean() {
    for input in ["", "---\n", "---\n---\n---\n", "# only a comment\n"] {
        kwire()
            .args(["lint", "-f", "plain", "-"])
            .write_stdin(input)
            .assert()
            .success();
    }
}

#[test]
fn hostile_deep_flow_sequence() {
    let input = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    hostile(input.into_bytes(), "KW0012");
}

#[test]
fn hostile_deep_block_sequence() {
    let input = "- ".repeat(20_000) + "x\n";
    hostile(input.into_bytes(), "KW0012");
}

#[test]
fn hostile_alias_bomb() {
    let mut input = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let items = vec![format!("*{prev}"); 9].join(",");
        input.push_str(&format!("{next}: &{next} [{items}]\n"));
    }
    hostile(input.into_bytes(), "KW0012");
}
