//! The first hour with kwire (issue 18): output that fits a terminal, help
//! that teaches, and no bad input accepted in silence. End to end, on the
//! binary.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.timeout(Duration::from_secs(30));
    cmd.env_remove("COLUMNS")
        .env_remove("CI")
        .env("NO_COLOR", "1");
    cmd
}

fn stdout_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// A CRD whose schema is `props` properties of a dozen lines each (real
/// CRDs run to thousands of lines), and a custom resource with one typo
/// and one wrongly typed field.
fn big_crd(dir: &Path, props: usize) -> std::path::PathBuf {
    let mut crd = String::from(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names:\n    kind: Widget\n    plural: widgets\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size:\n                  type: integer\n",
    );
    for i in 0..props {
        crd.push_str(&format!(
            "                field{i}:\n                  description: field number {i}\n                  type: object\n                  properties:\n                    a:\n                      type: string\n                    b:\n                      type: string\n                    c:\n                      type: integer\n                    d:\n                      type: boolean\n"
        ));
    }
    let crd_path = dir.join("crd.yaml");
    std::fs::write(&crd_path, crd).unwrap();
    let cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: \"3\"\n  field1:\n    e: x\n";
    let cr_path = dir.join("widget.yaml");
    std::fs::write(&cr_path, cr).unwrap();
    dir.to_path_buf()
}

#[test]
fn pretty_output_never_dumps_a_crd_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = big_crd(tmp.path(), 400);
    for args in [
        vec!["lint", "-f", "pretty", "--color", "never"],
        vec!["lint", "-f", "plain"],
    ] {
        let out = kwire().args(&args).arg(&dir).assert().code(1);
        let stdout = stdout_of(&out);
        assert!(
            stdout.contains("KW1002") && stdout.contains("KW1001"),
            "{stdout}"
        );
        let lines = stdout.lines().count();
        assert!(
            lines < 60,
            "{args:?}: {lines} lines for two findings:\n{}",
            stdout.lines().take(80).collect::<Vec<_>>().join("\n")
        );
    }
    // The related location is the property's own definition.
    let out = kwire()
        .args(["lint", "-f", "pretty", "--color", "never"])
        .arg(&dir)
        .assert()
        .code(1);
    let stdout = stdout_of(&out);
    assert!(
        stdout.contains("`spec.size` is defined here, in the CustomResourceDefinition"),
        "{stdout}"
    );
    assert!(stdout.contains("`spec.field1` is defined here"), "{stdout}");
}

#[test]
fn machine_formats_point_at_a_few_lines_of_a_crd() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = big_crd(tmp.path(), 400);
    let out = kwire()
        .args(["lint", "-f", "sarif"])
        .arg(&dir)
        .assert()
        .code(1);
    let sarif: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        for loc in r["relatedLocations"].as_array().into_iter().flatten() {
            let region = &loc["physicalLocation"]["region"];
            let (start, end) = (
                region["startLine"].as_u64().unwrap(),
                region["endLine"].as_u64().unwrap(),
            );
            assert!(end - start < 3, "{region}");
        }
    }
    let out = kwire()
        .args(["lint", "-f", "json"])
        .arg(&dir)
        .assert()
        .code(1);
    let stdout = stdout_of(&out);
    assert!(stdout.len() < 4000, "{} bytes", stdout.len());
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let related = &json["diagnostics"][0]["related"][0];
    assert_eq!(related["line"], 22, "{related}");
}

#[test]
fn a_missing_schema_dir_is_an_error() {
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "--schema-dir",
            "/nonexistent/schemas",
        ])
        .arg("fixtures/seeds")
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("--schema-dir: /nonexistent/schemas does not exist"),
        "{stderr}"
    );
    // The same entry in .kwire.yaml names the file and line.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(".kwire.yaml"),
        "kube-version: \"1.30\"\nschema-dirs: [crd-schemas]\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    )
    .unwrap();
    let out = kwire()
        .current_dir(tmp.path())
        .args(["lint", "cm.yaml"])
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(".kwire.yaml:2: schema-dirs: ")
            && stderr.contains("crd-schemas does not exist"),
        "{stderr}"
    );
}

#[test]
fn assume_of_a_namespaced_kind_needs_a_namespace() {
    let out = kwire()
        .args(["lint", "--no-config", "--assume", "Service/api-svc"])
        .arg("fixtures/seeds")
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(
            "Service is namespaced: write `Service/NAMESPACE/api-svc`, or `Service/*/api-svc`"
        ),
        "{stderr}"
    );
    // Cluster-scoped kinds and custom kinds keep the KIND/NAME form.
    for ok in [
        "ClusterRole/admin",
        "ClusterIssuer/letsencrypt",
        "Secret/*/tls",
    ] {
        kwire()
            .args(["lint", "--no-config", "-f", "plain", "--assume", ok])
            .arg("fixtures/rules/KW0001/good.yaml")
            .assert()
            .success();
    }
}

#[test]
fn kube_version_newer_than_the_data_warns_and_uses_the_newest() {
    for version in ["1.38", "2.0"] {
        let out = kwire()
            .args([
                "lint",
                "--no-config",
                "-f",
                "plain",
                "--kube-version",
                version,
            ])
            .arg("fixtures/rules/KW0001/good.yaml")
            .assert()
            .success();
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(&format!(
                "warning: Kubernetes {version} is newer than the data kwire bundles; checking against 1.37"
            )),
            "{stderr}"
        );
    }
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "-f",
            "plain",
            "--kube-version",
            "1.3",
        ])
        .arg("fixtures/rules/KW0001/good.yaml")
        .assert();
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("older than the schemas kwire bundles")
            && stderr.contains("did you mean 1.30?"),
        "{stderr}"
    );
    // In range: no warning.
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "-f",
            "plain",
            "--kube-version",
            "1.30",
        ])
        .arg("fixtures/rules/KW0001/good.yaml")
        .assert()
        .success();
    assert!(!stderr_of(&out).contains("warning"));
}

#[test]
fn a_directory_without_manifests_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("docker-compose.yml"),
        "services:\n  web: {image: nginx}\n",
    )
    .unwrap();
    for dir in ["empty", "other"] {
        let out = kwire()
            .current_dir(tmp.path())
            .args(["lint", "--no-config", "-f", "plain", dir])
            .assert()
            .success();
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains(&format!("warning: no Kubernetes manifests found in {dir}")),
            "{stderr}"
        );
    }
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "-f",
            "plain",
            "fixtures/rules/KW0001/good.yaml",
        ])
        .assert()
        .success();
    assert!(!stderr_of(&out).contains("no Kubernetes manifests"));
}

#[test]
fn an_unwritable_output_file_is_named() {
    let out = kwire()
        .args(["lint", "--no-config", "-o", "/nonexistent/dir/out.txt"])
        .arg("fixtures/rules/KW0001/good.yaml")
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("/nonexistent/dir/out.txt"), "{stderr}");
}

#[test]
fn did_you_mean_wherever_a_name_is_typed() {
    // `kwire explain` by name or code.
    let out = kwire()
        .args(["explain", "service-selector"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("did you mean `service-selector-matches-nothing` (KW3002)?"),
        "{}",
        stderr_of(&out)
    );
    let out = kwire().args(["explain", "KW3012"]).assert().code(2);
    assert!(
        stderr_of(&out).contains("did you mean `KW3002` (service-selector-matches-nothing), `KW3102` (service-target-port-undeclared)"),
        "{}",
        stderr_of(&out)
    );
    // `--select` codes.
    let out = kwire()
        .args(["lint", "--no-config", "--select", "KW3020"])
        .arg("fixtures/seeds")
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("did you mean `KW3002`"),
        "{}",
        stderr_of(&out)
    );
    // Configuration keys.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(".kwire.yaml"), "kube-verison: \"1.30\"\n").unwrap();
    let out = kwire()
        .current_dir(tmp.path())
        .args(["lint", "-f", "plain", "."])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out).contains("did you mean `kube-version`?"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn statistics_counts_findings_per_code() {
    let out = kwire()
        .args(["lint", "--no-config", "--statistics", "fixtures/seeds"])
        .assert()
        .code(1);
    let stdout = stdout_of(&out);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.split_whitespace().collect::<Vec<_>>() == ["7", "KW2001", "removed-api-version"],
        "{stdout}"
    );
    assert!(!stdout.contains("error[KW"), "no findings, only counts");
    assert!(stderr_of(&out).contains("Found 18 errors"));
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "--statistics",
            "-f",
            "json",
            "fixtures/seeds",
        ])
        .assert()
        .code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        rows[0],
        serde_json::json!({"code": "KW2001", "name": "removed-api-version", "count": 7})
    );
    let total: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    // 23 mistakes, and 3 NodePort/LoadBalancer exposures (KW5301, info).
    assert_eq!(total, 29);
    assert_eq!(stderr_of(&out), "", "json on stdout, nothing else");
}

#[test]
fn quiet_prints_only_the_findings() {
    let out = kwire()
        .args(["lint", "--no-config", "-q", "-f", "plain", "fixtures/seeds"])
        .assert()
        .code(1);
    assert_eq!(stderr_of(&out), "");
    assert_eq!(stdout_of(&out).lines().count(), 29);
    let tmp = tempfile::tempdir().unwrap();
    kwire()
        .args(["lint", "--no-config", "--quiet", "--kube-version", "1.40"])
        .arg(tmp.path())
        .assert()
        .success()
        .stderr("");
}

#[test]
fn rules_as_json() {
    let out = kwire().args(["rules", "-f", "json"]).assert().success();
    let doc: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(doc["version"], 1);
    let rules = doc["rules"].as_array().unwrap();
    let text = kwire().arg("rules").assert().success();
    assert_eq!(rules.len() + 1, stdout_of(&text).lines().count());
    let kw3002 = rules.iter().find(|r| r["code"] == "KW3002").unwrap();
    assert_eq!(
        *kw3002,
        serde_json::json!({
            "code": "KW3002",
            "name": "service-selector-matches-nothing",
            "category": "reference",
            "severity": kw3002["severity"],
            "summary": kw3002["summary"],
            "default": true,
            "fix": null,
        })
    );
    assert!(kw3002["summary"].as_str().is_some_and(|s| !s.is_empty()));
    let kw5010 = rules.iter().find(|r| r["code"] == "KW5010").unwrap();
    assert_eq!(kw5010["default"], false, "resources-missing is opt-in");
}

/// An opt-in rule is off by default, on with `--extend-select` (keeping the
/// default set), with `--select ALL`, and with its family as `--select`.
#[test]
fn opt_in_rules_run_only_when_selected() {
    let tmp = tempfile::tempdir().unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n";
    std::fs::write(tmp.path().join("pod.yaml"), pod).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let out = kwire()
            .args(["lint", "--no-config", "-f", "json", "--fail-on", "never"])
            .args(args)
            .arg(tmp.path())
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        let mut codes: Vec<String> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(codes(&[]), ["KW5001"]);
    assert_eq!(codes(&["--extend-select", "KW5010"]), ["KW5001", "KW5010"]);
    // ALL is every rule, opt-in ones included: resources, digest, liveness,
    // namespace, the security context the bare Pod does not set, and the
    // Pod Security and NetworkPolicy opt-ins (the pod is not restricted,
    // and no policy isolates it).
    let all = codes(&["--select", "ALL"]);
    for code in [
        "KW5001", "KW5010", "KW5011", "KW5013", "KW5202", "KW6011", "KW6012", "KW6013", "KW6014",
        "KW6015", "KW6503", "KW6521",
    ] {
        assert!(all.iter().any(|c| c == code), "{code} in {all:?}");
    }
    assert_eq!(codes(&["--select", "resources-missing"]), ["KW5010"]);
    assert_eq!(
        codes(&["--select", "KW5", "--ignore", "KW5001"]),
        ["KW5010", "KW5011", "KW5013", "KW5202"]
    );
}

#[test]
fn the_summary_counts_per_file_ignores_beside_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds/14-selector-mismatch.yaml"),
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("legacy")).unwrap();
    std::fs::write(tmp.path().join("legacy/a.yaml"), &bad).unwrap();
    std::fs::write(tmp.path().join("b.yaml"), &bad).unwrap();
    std::fs::write(
        tmp.path().join("c.yaml"),
        format!("# kwire: ignore-file[KW3001]\n{bad}"),
    )
    .unwrap();
    std::fs::write(
        tmp.path().join(".kwire.yaml"),
        "per-file-ignores: {\"legacy/**\": [KW3001]}\n",
    )
    .unwrap();
    let out = kwire()
        .current_dir(tmp.path())
        .args(["lint", "-f", "plain", "."])
        .assert()
        .code(1);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("; 2 suppressed (1 by comments or annotations, 1 by per-file-ignores)"),
        "{stderr}"
    );
}

/// Two Helm charts, and kustomize: a base, a Component and an overlay
/// that includes both.
fn charts_and_kustomizations(root: &Path) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    write("k/base/kustomization.yaml", "resources: [cm.yaml]\n");
    write("k/base/cm.yaml", cm);
    write(
        "k/components/extra/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [more.yaml]\n",
    );
    write(
        "k/components/extra/more.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
    );
    write(
        "k/overlays/prod/kustomization.yaml",
        "resources: [../../base]\ncomponents: [../../components/extra]\n",
    );
    for chart in ["charts/one", "charts/two"] {
        write(
            &format!("{chart}/Chart.yaml"),
            "apiVersion: v2\nname: x\nversion: 0.1.0\n",
        );
        write(&format!("{chart}/templates/cm.yaml"), cm);
    }
}

#[test]
fn skipped_kustomizations_and_charts_make_one_note_each() {
    let tmp = tempfile::tempdir().unwrap();
    charts_and_kustomizations(tmp.path());
    let out = kwire()
        .current_dir(tmp.path())
        .args([
            "lint",
            "--no-config",
            "-f",
            "json",
            "--units",
            "per-directory",
            ".",
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let notes: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "KW0011")
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    let chart = notes
        .iter()
        .find(|d| d["file"] == "charts/one/Chart.yaml")
        .unwrap();
    assert!(
        chart["message"]
            .as_str()
            .unwrap()
            .starts_with("skipped 2 Helm charts: their templates are not objects until rendered (\"charts/one\", \"charts/two\")"),
        "{chart}"
    );
    let kustomize = notes
        .iter()
        .find(|d| d["file"] == "k/base/kustomization.yaml")
        .unwrap();
    assert!(
        kustomize["message"]
            .as_str()
            .unwrap()
            .starts_with("skipped 3 kustomization files"),
        "{kustomize}"
    );
    assert_eq!(
        kustomize["help"],
        "lint what they render: `kustomize build k/overlays/prod | kwire lint -`; `--show-skipped` notes each file"
    );
    // --show-skipped: every file, and the Component points at its overlay.
    let out = kwire()
        .current_dir(tmp.path())
        .args([
            "lint",
            "--no-config",
            "-f",
            "json",
            "--units",
            "per-directory",
            "--show-skipped",
            ".",
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(
        diagnostics.iter().filter(|d| d["code"] == "KW0011").count(),
        5
    );
    let component = diagnostics
        .iter()
        .find(|d| d["file"] == "k/components/extra/kustomization.yaml")
        .unwrap();
    assert_eq!(
        component["help"],
        "render the kustomization that includes it: `kustomize build k/overlays/prod | kwire lint -`",
        "{component}"
    );
}

fn widest_line(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn pretty_output_wraps_to_columns() {
    let seed = "fixtures/seeds/14-selector-mismatch.yaml";
    let pretty = [
        "lint",
        "--no-config",
        "-f",
        "pretty",
        "--color",
        "never",
        seed,
    ];
    let wide = kwire().args(pretty).assert().code(1);
    assert!(widest_line(&stdout_of(&wide)) > 100, "{}", stdout_of(&wide));
    for columns in ["60", "80"] {
        let out = kwire()
            .env("COLUMNS", columns)
            .args(pretty)
            .assert()
            .code(1);
        let stdout = stdout_of(&out);
        assert!(
            widest_line(&stdout) <= columns.parse().unwrap(),
            "COLUMNS={columns}:\n{stdout}"
        );
        assert!(stdout.contains("error[KW3001]"));
    }
}

#[test]
fn pretty_and_colour_can_be_forced_into_a_pipe() {
    let seed = "fixtures/seeds/14-selector-mismatch.yaml";
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "-f",
            "pretty",
            "--color",
            "always",
            seed,
        ])
        .assert()
        .code(1);
    let stdout = stdout_of(&out);
    assert!(stdout.contains("\u{1b}["), "ANSI colour: {stdout}");
    assert!(stdout.contains("KW3001"));
    let out = kwire()
        .args(["lint", "--no-config", "-f", "pretty", seed])
        .assert()
        .code(1);
    let stdout = stdout_of(&out);
    assert!(stdout.contains("error[KW3001]") && stdout.contains("╭─["));
    assert!(!stdout.contains('\u{1b}'), "auto: no colour into a pipe");
    // The default into a pipe is plain.
    let out = kwire().args(["lint", "--no-config", seed]).assert().code(1);
    assert!(
        stdout_of(&out).starts_with("fixtures/seeds/14-selector-mismatch.yaml:11:7: error[KW3001]")
    );
}

/// The fenced blocks of the docs whose info string is ```` ```LANG TAG ````:
/// (file, line of the fence, body).
fn tagged_blocks(tag: &str) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![root.join("README.md")];
    let mut more: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    let mut out = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        let name = doc.strip_prefix(root).unwrap().display().to_string();
        // None: outside a block; Some(None): in another block; Some(Some(..)): in a tagged one.
        let mut block: Option<Option<(usize, String)>> = None;
        for (i, line) in text.lines().enumerate() {
            let fence = line.trim_start().strip_prefix("```");
            match (&mut block, fence) {
                (None, Some(info)) => {
                    let tagged = info.split_whitespace().nth(1) == Some(tag);
                    block = Some(tagged.then(|| (i + 1, String::new())));
                }
                (Some(inner), Some(_)) => {
                    if let Some((at, body)) = inner.take() {
                        out.push((name.clone(), at, body));
                    }
                    block = None;
                }
                (Some(Some((_, body))), None) => {
                    body.push_str(line);
                    body.push('\n');
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_documented_config_example_loads() {
    let blocks = tagged_blocks("kwire-config");
    assert!(!blocks.is_empty(), "docs/ci.md has a kwire-config block");
    for (file, line, body) in blocks {
        if let Err(e) = kwire::config::parse(".kwire.yaml".into(), body.clone(), "") {
            let messages: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
            panic!("{file}:{line}: the example configuration fails: {messages:?}\n{body}");
        }
    }
}

#[test]
fn every_documented_command_example_runs() {
    let blocks = tagged_blocks("kwire-example");
    assert!(
        blocks.len() >= 2,
        "README.md and docs/ci.md have kwire-example blocks"
    );
    for (file, line, body) in blocks {
        for command in body.lines() {
            let command = command.split(" # ").next().unwrap_or("").trim();
            if command.is_empty() {
                continue;
            }
            assert!(
                !command.contains(['|', '>', '<', '$', '`']),
                "{file}:{line}: `{command}`: examples run without a shell"
            );
            let words: Vec<&str> = command
                .split_whitespace()
                .map(|w| w.trim_matches('\''))
                .collect();
            assert_eq!(words.first(), Some(&"kwire"), "{file}:{line}: `{command}`");
            let out = kwire().args(&words[1..]).env("NO_COLOR", "1").assert();
            let code = out.get_output().status.code();
            let stderr = stderr_of(&out);
            let usage_error_expected = words.get(1) == Some(&"explain");
            match code {
                Some(0 | 1) => {}
                Some(2) if usage_error_expected && stderr.contains("did you mean") => {}
                _ => panic!("{file}:{line}: `{command}` exited {code:?}: {stderr}"),
            }
        }
    }
}

#[test]
fn the_readme_lists_every_lint_option() {
    let help = kwire().args(["lint", "--help"]).assert().success();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table: String = readme
        .lines()
        .skip_while(|l| *l != "### `kwire lint`")
        .take_while(|l| !l.starts_with("Examples:"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut missing = Vec::new();
    for line in stdout_of(&help).lines() {
        let Some(at) = line.trim_start().strip_prefix('-') else {
            continue;
        };
        // `-f, --format <FORMAT>` or `--no-strict`: the long name.
        let long = at
            .split_whitespace()
            .find_map(|w| {
                w.trim_end_matches(',')
                    .strip_prefix("--")
                    .map(str::to_string)
            })
            .or_else(|| {
                at.strip_prefix('-')
                    .map(|w| w.split_whitespace().next().unwrap_or("").to_string())
            });
        let Some(long) = long else { continue };
        if ["help"].contains(&long.as_str()) {
            continue;
        }
        if !table.contains(&format!("`--{long}")) && !table.contains(&format!(", --{long}")) {
            missing.push(long);
        }
    }
    assert!(
        missing.is_empty(),
        "README's `kwire lint` table lacks: {missing:?}"
    );
}

#[test]
fn lint_help_groups_options_and_ends_with_exit_codes() {
    let out = kwire().args(["lint", "--help"]).assert().success();
    let help = stdout_of(&out);
    for heading in [
        "Input:",
        "Output:",
        "Rules:",
        "Kubernetes:",
        "References:",
        "Baseline:",
        "Fix:",
    ] {
        assert!(help.lines().any(|l| l == heading), "{heading}\n{help}");
    }
    assert!(
        help.contains("Exit codes:\n  0  no finding at or above --fail-on"),
        "{help}"
    );
    assert!(
        help.contains("`-f pretty` forces pretty into a pipe"),
        "{help}"
    );
}

#[test]
fn config_refuses_report_flags() {
    for flag in [
        vec!["-f", "json"],
        vec!["-o", "out.txt"],
        vec!["--statistics"],
        vec!["--baseline", "b.json"],
        vec!["fixtures/seeds"],
    ] {
        let out = kwire()
            .args(["config", "--no-config"])
            .args(&flag)
            .assert()
            .code(2);
        assert!(
            stderr_of(&out).contains("shapes a lint report"),
            "{flag:?}: {}",
            stderr_of(&out)
        );
    }
    // Its help lists only what it uses.
    let help = kwire().args(["config", "--help"]).assert().success();
    let help = stdout_of(&help);
    for shown in ["--select", "--kube-version", "--assume", "--units"] {
        assert!(help.contains(shown), "{shown}: {help}");
    }
    for hidden in [
        "--format <",
        "--output <",
        "--statistics",
        "--quiet",
        "--baseline <",
        "--color <",
        "[PATHS]",
    ] {
        assert!(!help.contains(hidden), "{hidden}: {help}");
    }
    kwire()
        .args(["config", "--no-config", "--kube-version", "1.30"])
        .assert()
        .success()
        .stdout(predicates::str::contains("kube-version: 1.30"));
}

#[test]
fn an_absurd_kube_version_is_no_crash() {
    for version in ["0.4294967295", "4294967295.0", "0.0"] {
        let out = kwire()
            .args([
                "lint",
                "--no-config",
                "-f",
                "plain",
                "--kube-version",
                version,
            ])
            .arg("fixtures/rules/KW0001/good.yaml")
            .assert()
            .success();
        assert!(stderr_of(&out).contains("warning: Kubernetes"), "{version}");
    }
}
