//! `.kwire.yaml`, `--select`/`--ignore`, suppressions, baselines and
//! `--context`, end to end through the binary.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

fn kwire_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(dir);
    cmd.timeout(Duration::from_secs(30));
    cmd
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Codes (with lines) of `kwire lint -f plain ARGS` run in `dir`.
fn codes(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = kwire_in(dir)
        .args(["lint", "-f", "plain"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code < 2,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.split(':');
            let _file = parts.next();
            let line = parts.next().unwrap();
            let code = l.split('[').nth(1).unwrap().split(']').next().unwrap();
            format!("{code}@{line}")
        })
        .collect()
}

/// Three findings: KW0005 (line 4), KW0006 (line 6), KW0007 (line 8).
const BAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  labels:\n    tier: front end\n  annotations:\n    -bad/key: x\n";

fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "k8s/app.yaml", BAD);
    write(dir.path(), "legacy/old.yaml", BAD);
    if let Some(c) = config {
        write(dir.path(), ".kwire.yaml", c);
    }
    dir
}

#[test]
fn without_config_everything_is_reported() {
    let dir = project(None);
    assert_eq!(
        codes(dir.path(), &["k8s"]),
        ["KW0005@4", "KW0006@6", "KW0007@8"]
    );
}

#[test]
fn config_select_ignore_and_prefixes() {
    let dir = project(Some("select: [KW0]\nignore: [invalid-label, KW0007]\n"));
    assert_eq!(codes(dir.path(), &["k8s"]), ["KW0005@4"]);
    // A prefix in ignore, a more specific code in select wins back.
    // (ALL includes the opt-in rules: the object is in namespace default.)
    let dir = project(Some("select: [ALL, KW0006]\nignore: [KW0]\n"));
    assert_eq!(codes(dir.path(), &["k8s"]), ["KW5202@4", "KW0006@6"]);
}

#[test]
fn flags_win_over_the_config() {
    let dir = project(Some("select: [KW0005]\nfail-on: never\n"));
    assert_eq!(codes(dir.path(), &["k8s"]), ["KW0005@4"]);
    kwire_in(dir.path()).args(["lint", "k8s"]).assert().code(0);
    // --select replaces the config's select; --ignore adds to its ignore.
    assert_eq!(
        codes(
            dir.path(),
            &["--select", "KW0006,KW0007", "--ignore", "KW0007", "k8s"]
        ),
        ["KW0006@6"]
    );
    kwire_in(dir.path())
        .args(["lint", "--fail-on", "error", "k8s"])
        .assert()
        .code(1);
    // --no-config: back to everything.
    assert_eq!(codes(dir.path(), &["--no-config", "k8s"]).len(), 3);
}

#[test]
fn config_is_found_upward_and_by_flag() {
    let dir = project(Some("ignore: [KW0005]\n"));
    let sub = dir.path().join("k8s");
    assert_eq!(codes(&sub, &["app.yaml"]), ["KW0006@6", "KW0007@8"]);
    write(dir.path(), "other.yaml", "ignore: [KW0006]\n");
    assert_eq!(
        codes(&sub, &["--config", "../other.yaml", "app.yaml"]),
        ["KW0005@4", "KW0007@8"]
    );
}

#[test]
fn per_file_ignores_severity_and_exclude() {
    let dir = project(Some(
        "per-file-ignores:\n  \"legacy/**\": [KW0]\nseverity: {KW0005: info}\n",
    ));
    assert_eq!(
        codes(dir.path(), &["."]),
        ["KW0005@4", "KW0006@6", "KW0007@8"],
        "legacy/ is ignored"
    );
    let out = kwire_in(dir.path())
        .args(["lint", "-f", "plain", "k8s"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("info[KW0005]"));
    let dir = project(Some("exclude: [\"legacy/**\"]\n"));
    assert_eq!(codes(dir.path(), &["."]).len(), 3);
}

#[test]
fn config_errors_point_into_the_file_and_exit_two() {
    let dir = project(Some(
        "select: [KW0]\nignroe: [KW5]\nseverity: {KW0999: error}\n",
    ));
    kwire_in(dir.path())
        .args(["lint", "k8s"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            ".kwire.yaml:2:1: error[kwire::config] unknown configuration key `ignroe`",
        ))
        .stderr(predicate::str::contains(
            ".kwire.yaml:3:12: error[kwire::config] unknown rule code `KW0999`",
        ))
        .stderr(predicate::str::contains("nothing was linted"));
    kwire_in(dir.path())
        .args(["lint", "--select", "KW9", "--no-config", "k8s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--select"));
}

#[test]
fn kwire_config_prints_values_and_origins() {
    let dir = project(Some(
        "# team settings\nkube-version: \"1.29\"\nignore: [KW5]\n",
    ));
    let out = kwire_in(dir.path())
        .args(["config", "--select", "KW3"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key}:")))
            .unwrap_or_else(|| panic!("{key} in {text}"))
            .to_string()
    };
    assert!(
        line("kube-version").contains("1.29") && line("kube-version").ends_with("# .kwire.yaml:2")
    );
    assert!(line("ignore").contains("[KW5]") && line("ignore").ends_with("# .kwire.yaml:3"));
    assert!(line("select").contains("[KW3]") && line("select").ends_with("# flag"));
    assert!(line("fail-on").contains("warning") && line("fail-on").ends_with("# default"));
}

#[test]
fn every_suppression_form() {
    let dir = tempfile::tempdir().unwrap();
    // Line comment at the end of the line, on the line above, file comment,
    // object annotation.
    write(
        dir.path(),
        "a.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name  # kwire: ignore[KW0005]\n  labels:\n    # kwire: ignore[invalid-label]\n    tier: front end\n  annotations:\n    -bad/key: x\n",
    );
    write(
        dir.path(),
        "b.yaml",
        "# kwire: ignore-file[KW0006]\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  labels:\n    tier: front end\n",
    );
    write(
        dir.path(),
        "c.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n  annotations:\n    kwire.io/ignore: \"KW0005, KW0006\"\n  labels:\n    tier: front end\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Other_Name\n  annotations:\n    kwire.io/ignore: all\n",
    );
    assert_eq!(codes(dir.path(), &["a.yaml"]), ["KW0007@9"]);
    assert_eq!(codes(dir.path(), &["b.yaml"]), ["KW0005@5"]);
    assert_eq!(codes(dir.path(), &["c.yaml"]), Vec::<String>::new());
    kwire_in(dir.path())
        .args(["lint", "c.yaml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("3 suppressed"));
}

#[test]
fn show_skipped_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "mkdocs.yml", "site_name: Docs\n");
    assert!(codes(dir.path(), &["mkdocs.yml"]).is_empty());
    assert_eq!(
        codes(dir.path(), &["--show-skipped", "mkdocs.yml"]),
        ["KW0011@1"]
    );
    write(dir.path(), ".kwire.yaml", "show-skipped: true\n");
    assert_eq!(codes(dir.path(), &["mkdocs.yml"]), ["KW0011@1"]);
    // Like every finding, the note can be ignored.
    assert!(codes(dir.path(), &["--ignore", "KW0011", "mkdocs.yml"]).is_empty());
    kwire_in(dir.path())
        .args(["config"])
        .assert()
        .success()
        .stdout(predicate::str::contains("show-skipped"));
}

#[test]
fn unused_suppressions_are_reported_on_request() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.yaml",
        "# kwire: ignore-file[KW3]\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name  # kwire: ignore[KW0005, KW0006]\n  annotations:\n    kwire.io/ignore: KW0007\n",
    );
    assert_eq!(codes(dir.path(), &["a.yaml"]), Vec::<String>::new());
    let out = kwire_in(dir.path())
        .args(["lint", "-f", "plain", "--report-unused-ignores", "a.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("a.yaml:1:1: warning[KW0013] file suppression `# kwire: ignore-file[KW3]` suppressed nothing"));
    assert!(text.contains("a.yaml:5:19: warning[KW0013] KW0006 in line suppression"));
    assert!(text.contains(
        "a.yaml:7:22: warning[KW0013] annotation kwire.io/ignore `KW0007` suppressed nothing"
    ));
    // The config key does the same, and KW0013 itself can be ignored.
    write(dir.path(), ".kwire.yaml", "report-unused-ignores: true\n");
    assert_eq!(codes(dir.path(), &["a.yaml"]).len(), 3);
    assert!(codes(dir.path(), &["--ignore", "unused-suppression", "a.yaml"]).is_empty());
}

#[test]
fn baseline_hides_known_findings_and_survives_line_moves() {
    let dir = project(None);
    kwire_in(dir.path())
        .args(["lint", "--write-baseline", "kwire-baseline.json", "k8s"])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 3 findings"));
    let baseline = std::fs::read_to_string(dir.path().join("kwire-baseline.json")).unwrap();
    assert!(
        baseline.contains("\"KW0006:v1/ConfigMap/default/Bad_Name:metadata.labels.tier:0\""),
        "{baseline}"
    );
    kwire_in(dir.path())
        .args(["lint", "--baseline", "kwire-baseline.json", "k8s"])
        .assert()
        .success()
        .stderr(predicate::str::contains("3 in the baseline"));
    // Move everything down (a comment and a new object first), and add one
    // new problem: only the new one is reported.
    let moved = format!(
        "# moved\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\n{}",
        BAD.replace(
            "    -bad/key: x\n",
            "    -bad/key: x\n    also/bad/key: z\n"
        )
    );
    write(dir.path(), "k8s/app.yaml", &moved);
    assert_eq!(
        codes(dir.path(), &["--baseline", "kwire-baseline.json", "k8s"]),
        ["KW0007@15"]
    );
    // A broken baseline is a usage error.
    write(dir.path(), "broken.json", "{}");
    kwire_in(dir.path())
        .args(["lint", "--baseline", "broken.json", "k8s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a kwire baseline"));
}

#[test]
fn context_resolves_references_without_reporting_on_context_files() {
    let service = "fixtures/context/app/service.yaml";
    let deployment = "fixtures/context/platform/deployment.yaml";
    // Alone, the Service's pods are not in the input: nothing to compare.
    assert!(codes(repo(), &[service]).is_empty());
    // With the rest of the repository as context, the misspelt label is found,
    // and the context file's own finding (KW0006) is not reported.
    assert_eq!(
        codes(repo(), &[service, "--context", "fixtures/context"]),
        ["KW3002@7"]
    );
    // Linting the changed Deployment reports the Service finding that points
    // at it, placed in the Deployment's file (never in a context file).
    let out = kwire_in(repo())
        .args([
            "lint",
            "-f",
            "json",
            deployment,
            "--context",
            "fixtures/context",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("KW0006", deployment), ("KW3002", deployment)]);
    let moved = &report["diagnostics"][1];
    assert_eq!(moved["object"]["kind"], "Deployment", "{moved}");
    assert!(
        moved["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["file"] == service),
        "the Service stays as related location: {moved}"
    );
    assert_eq!(report["summary"]["files"], 1, "only the given file counts");
}

#[test]
fn findings_are_never_placed_in_context_files() {
    // KW3110 is reported on the later of two Services asking for one
    // nodePort: here the one in the context file, which points at the
    // reported file. The finding moves onto the reported Service.
    let dir = tempfile::tempdir().unwrap();
    let service = |name: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: NodePort\n  selector: {{app: {name}}}\n  ports:\n    - {{port: 80, nodePort: 30080}}\n"
        )
    };
    write(dir.path(), "changed/a.yaml", &service("a"));
    write(dir.path(), "other/b.yaml", &service("b"));
    let out = kwire_in(dir.path())
        .args(["lint", "-f", "json", "changed/a.yaml", "--context", "other"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // Service a is a NodePort: an exposure (KW5301, info) of the reported file.
    assert_eq!(
        found,
        [
            ("KW5301", "changed/a.yaml", 6),
            ("KW3110", "changed/a.yaml", 9)
        ],
        "{report}"
    );
    // A context file's finding that points at no reported file is dropped.
    write(
        dir.path(),
        "other/c.yaml",
        &service("c").replace("30080", "30090"),
    );
    write(
        dir.path(),
        "other/d.yaml",
        &service("d").replace("30080", "30090"),
    );
    assert_eq!(
        codes(dir.path(), &["changed/a.yaml", "--context", "other"]),
        ["KW5301@6", "KW3110@9"]
    );
}
