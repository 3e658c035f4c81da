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
    let output = kwire()
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
        .stdout(predicate::str::starts_with("error[KW3001]\n"))
        .stdout(predicate::str::contains(
            "fixtures/seeds/14-selector-mismatch.yaml:11:7",
        ))
        .stdout(predicate::str::contains("help"))
        .get_output()
        .clone();
    // The README's example: keep them in step.
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("seed_pretty", stdout);
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

#[test]
fn seeds_plain_output_for_kubernetes_1_29() {
    let out = kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "--kube-version",
            "1.29",
            "fixtures/seeds",
        ])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("seeds_plain_kube_1_29", stdout);
}

/// The same old Ingress: nothing before its deprecation (1.13), a warning
/// with the removal version while deprecated (1.14–1.21), an error once
/// removed (1.22+, and by default).
#[test]
fn kube_version_decides_between_nothing_warning_and_error() {
    let ingress = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n              serviceName: web\n              servicePort: 80\n";
    let run = |args: &[&str]| {
        let out = kwire()
            .args(["lint", "-f", "plain", "--stdin-filename", "old.yaml"])
            .args(args)
            .arg("-")
            .write_stdin(ingress)
            .assert();
        let output = out.get_output();
        (
            output.status.code(),
            String::from_utf8(output.stdout.clone()).unwrap(),
        )
    };
    let (code, stdout) = run(&["--kube-version", "1.13"]);
    assert_eq!((code, stdout.as_str()), (Some(0), ""));

    let (code, stdout) = run(&["--kube-version", "1.18"]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("old.yaml:1:13: warning[KW2002] extensions/v1beta1 Ingress is deprecated since 1.14 and removed in 1.22, use networking.k8s.io/v1beta1"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("KW2003"),
        "no v1 shape exists before 1.19: {stdout}"
    );

    // Pluto's flag name, and a patch version, are accepted.
    let (code, stdout) = run(&["--target-version", "v1.21.4"]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("warning[KW2002]"), "{stdout}");
    assert!(stdout.contains("use networking.k8s.io/v1"), "{stdout}");
    assert!(stdout.contains("warning[KW2003]"), "{stdout}");

    for args in [&["--kube-version", "1.22"][..], &[][..]] {
        let (code, stdout) = run(args);
        assert_eq!(code, Some(1));
        assert!(
            stdout.contains("error[KW2001] extensions/v1beta1 Ingress was removed in 1.22, use networking.k8s.io/v1"),
            "{args:?}: {stdout}"
        );
    }
}

#[test]
fn kube_version_help_shows_the_converted_ingress_backend() {
    kwire()
        .args(["lint", "-f", "json", "--kube-version", "1.29"])
        .arg("fixtures/seeds/09-ingress-v1beta1.yaml")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "service:\\n        name: hostname-internal\\n        port:\\n          number: 8080",
        ))
        .stdout(predicate::str::contains("pathType: ImplementationSpecific"));
}

#[test]
fn bad_kube_version_is_a_usage_error() {
    kwire()
        .args([
            "lint",
            "--kube-version",
            "latest",
            "fixtures/seeds/01-nginx-pod.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected MAJOR.MINOR"));
}

#[test]
fn assume_satisfies_references_to_objects_outside_the_input() {
    let file = "fixtures/rules/KW3401/bad.yaml";
    // Two findings without --assume: "biulder" in ci, "deployer" in ci.
    kwire()
        .args(["lint", "-f", "plain", file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"biulder\""))
        .stdout(predicate::str::contains("\"deployer\""));
    // Wildcards in any part; kinds compare case-insensitively.
    kwire()
        .args([
            "lint",
            "-f",
            "plain",
            "--assume",
            "ServiceAccount/ci/biulder",
            "--assume",
            "serviceaccount/*/deploy*",
            file,
        ])
        .assert()
        .success()
        .stdout("");
    kwire()
        .args(["lint", "--assume", "ServiceAccount", file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("KIND/NAMESPACE/NAME"));
}

#[test]
fn assume_satisfies_dns_names() {
    let file = "fixtures/rules/KW3301/bad.yaml";
    let out = kwire()
        .args(["lint", "-f", "plain", "--assume", "Service/shop/*", file])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("order.shop.svc"), "{stdout}");
    assert!(!stdout.contains("payments.shop.svc"), "{stdout}");
    assert!(stdout.contains("payment.billing.svc"), "{stdout}");
}

/// DNS findings point at the host (or port) inside the scalar: plain,
/// double-quoted, flow-mapping and block scalars.
#[test]
fn dns_findings_point_inside_the_scalar() {
    let out = kwire()
        .args([
            "lint",
            "-f",
            "json",
            "fixtures/rules/KW3301/bad.yaml",
            "fixtures/rules/KW3302/bad.yaml",
            "fixtures/rules/KW3303/bad.yaml",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let spans: Vec<(String, u64, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [
        // "http://order.shop.svc.cluster.local/stock" in a flow mapping
        ("KW3301", 39, 52, 80),
        // plain scalar
        ("KW3301", 42, 29, 46),
        // externalName
        ("KW3301", 54, 17, 50),
        // inside a shell command
        ("KW3302", 32, 23, 46),
        // double-quoted ConfigMap value
        ("KW3302", 42, 14, 37),
        // the port, inside a block scalar
        ("KW3303", 32, 53, 57),
    ] {
        let want = (want.0.to_string(), want.1, want.2, want.3);
        assert!(spans.contains(&want), "{want:?} not in {spans:?}");
    }
}

/// This repository's own YAML and JSON files that are not manifests (a JSON
/// Schema, kwire's data tables) are skipped: no KW0003, no KW0004.
#[test]
fn the_repositorys_own_non_manifest_files_are_skipped() {
    let files = [
        "docs/lint-report.schema.json",
        "schemas/enums.yaml",
        "schemas/deprecations.yaml",
        "schemas/istio-networking.yaml",
    ];
    kwire()
        .args(["lint", "-f", "plain", "--no-config"])
        .args(files)
        .assert()
        .success()
        .stdout("");
    // The whole root: findings only in the fixtures, which are bad on purpose.
    let out = kwire()
        .args(["lint", "-f", "plain", "--no-config", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let elsewhere: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("fixtures/"))
        .collect();
    assert!(elsewhere.is_empty(), "{elsewhere:#?}");
    // --show-skipped names each of them once.
    let out = kwire()
        .args(["lint", "-f", "plain", "--no-config", "--show-skipped"])
        .args(files)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for file in files {
        assert_eq!(
            stdout
                .lines()
                .filter(|l| l.starts_with(&format!(
                    "{file}:1:1: info[KW0011] not a Kubernetes manifest"
                )))
                .count(),
            1,
            "{file} in:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), files.len(), "{stdout}");
}

/// An ordinary repository: compose, mkdocs, npm and kind files are not
/// manifests; the one manifest beside them is linted as before.
#[test]
fn ordinary_repository_files_are_not_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n",
    );
    write(
        "mkdocs.yml",
        "site_name: Docs\nnav:\n  - Home: index.md\ntheme:\n  name: material\n",
    );
    write(
        "package.json",
        "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\"test\": \"jest\"}\n}\n",
    );
    write(
        "kind.yaml",
        "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n  - role: control-plane\n",
    );
    let lint = |extra: &[&str]| {
        let mut cmd = Command::cargo_bin("kwire").unwrap();
        cmd.current_dir(dir.path())
            .timeout(Duration::from_secs(30))
            .args(["lint", "-f", "plain", "--no-config"])
            .args(extra)
            .arg(".");
        cmd
    };
    lint(&[]).assert().success().stdout("");
    let out = lint(&["--show-skipped"]).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut noted: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    noted.sort_unstable();
    assert_eq!(
        noted,
        [
            "docker-compose.yml",
            "kind.yaml",
            "mkdocs.yml",
            "package.json"
        ],
        "{stdout}"
    );
    assert!(
        stdout.lines().all(|l| l.contains("info[KW0011]")),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "kind.yaml:1:1: info[KW0011] not a Kubernetes manifest: kind cluster configuration"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("package.json:1:1: info[KW0011] not a Kubernetes manifest: no document has both apiVersion and kind"),
        "{stdout}"
    );

    // A manifest with one good object and one document with a kind but no
    // apiVersion: still KW0004, the other files still silent.
    write(
        "app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n---\nkind: ConfigMap\ndata: {key: value}\n",
    );
    let out = lint(&[]).assert().code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "app.yaml:5:1: error[KW0004] object has no `apiVersion`",
            "app.yaml:5:1: error[KW0004] object has no `metadata.name`",
        ],
        "{stdout}"
    );
}

/// A broken file is reported when kwire cannot tell what it is, skipped
/// when what did parse shows it is not a manifest.
#[test]
fn syntax_errors_in_files_that_are_not_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    // The only document is broken: reported.
    write(
        "broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n",
    );
    // A compose file, then a broken document: skipped.
    write(
        "compose.yaml",
        "services:\n  web: {image: nginx}\n---\nvolumes: {data: [x\n",
    );
    let out = Command::cargo_bin("kwire")
        .unwrap()
        .current_dir(dir.path())
        .timeout(Duration::from_secs(30))
        .args(["lint", "-f", "plain", "--no-config", "--show-skipped", "."])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("broken.yaml:3:"), "{stdout}");
    assert!(lines[0].contains("error[KW0001]"), "{stdout}");
    assert_eq!(
        lines[1],
        "compose.yaml:1:1: info[KW0011] not a Kubernetes manifest: no document has both apiVersion and kind (its YAML errors are not reported either)"
    );
}
