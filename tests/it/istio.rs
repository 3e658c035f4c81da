//! Istio traffic analysis end to end: a bookinfo-style application that
//! lints clean, and a broken copy with one mistake per Istio rule, whose
//! pretty and JSON output are snapshotted.

use std::collections::BTreeSet;
use std::time::Duration;

use assert_cmd::Command;

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.timeout(Duration::from_secs(30));
    cmd
}

fn stdout(args: &[&str], code: i32) -> String {
    let out = kwire().args(args).assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn bookinfo_lints_clean() {
    let out = stdout(
        &[
            "lint",
            "-f",
            "plain",
            "--fail-on",
            "info",
            // The ingress gateway's LoadBalancer Service is an exposure
            // (KW5301, info), not an Istio finding.
            "--ignore",
            "KW5301",
            "fixtures/istio/bookinfo",
        ],
        0,
    );
    assert_eq!(out, "");
}

#[test]
fn broken_bookinfo_pretty() {
    let out = stdout(
        &[
            "lint",
            "-f",
            "pretty",
            "--color",
            "never",
            "fixtures/istio/broken",
        ],
        1,
    );
    insta::assert_snapshot!("istio_broken_pretty", out);
}

#[test]
fn broken_bookinfo_json_has_every_istio_rule() {
    let out = stdout(&["lint", "-f", "json", "fixtures/istio/broken"], 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // Beside them, the ingress gateway's LoadBalancer Service is an
    // exposure (KW5301, info).
    let codes: BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .filter(|c| *c != "KW5301")
        .collect();
    let istio: BTreeSet<&str> = kwire::rules::all()
        .into_iter()
        .filter(|m| m.code.starts_with("KW4"))
        .map(|m| m.code)
        .collect();
    assert_eq!(
        codes, istio,
        "one finding of every Istio rule, nothing else"
    );
    for d in diagnostics.iter().filter(|d| d["code"] != "KW5301") {
        assert_eq!(d["category"], "istio");
        assert!(
            d["help"].is_string(),
            "{d}: every Istio finding suggests a fix"
        );
    }
    insta::assert_snapshot!(
        "istio_broken_json",
        serde_json::to_string_pretty(&report).unwrap()
    );
}

#[test]
fn seed_virtual_service_mistakes_are_explained() {
    let out = stdout(&["lint", "-f", "plain", "fixtures/seeds/istio"], 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines.iter().all(|l| l.contains("[KW4014]")), "{out}");
    assert!(out.contains("`prefix` is beside `uri`"));
    assert!(out.contains("`host` is written beside it"));
    assert!(out.contains("has no `route`"));
}

#[test]
fn malformed_istio_objects_never_panic() {
    let input = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: a}
spec: null
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: b}
spec:
  hosts: reviews
  gateways: {a: b}
  http: [null, 3, [], {}, {route: null}, {route: [null, 1, {destination: [1]}]}, {match: {}}]
  tcp: {route: []}
  tls: [{route: [{destination: {host: 7, port: {number: x}, subset: [1]}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: c}
spec:
  host: [reviews]
  subsets: [null, {name: 1, labels: [a]}, {labels: {version: 1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: d}
spec: {host: "", subsets: {}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: e}
spec:
  selector: []
  servers: [null, {hosts: null}, {hosts: [1, "/", "a/", "/b"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: f}
spec:
  hosts: ["*", "", "."]
  gateways: ["/", "e", "mesh", ""]
  http:
    - route:
        - destination: {host: "", subset: ""}
        - destination: {host: "*"}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: g}
spec: {selector: {matchLabels: null}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: h}
spec: {workloadSelector: {labels: {"": ""}}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews}
spec: {ports: [null, {port: x}, {name: 5}], selector: {app: [1]}}
"#;
    let out = kwire()
        .args(["lint", "-f", "json", "--fail-on", "never", "-"])
        .write_stdin(input)
        .assert()
        .code(0);
    let report: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("a JSON report");
    assert!(report["diagnostics"].is_array());
}

#[test]
fn assumed_objects_count_as_present() {
    use kwire::lint::{LintOptions, lint};
    let run = |assume: Vec<String>| -> Vec<(String, usize)> {
        let mut options = LintOptions {
            paths: vec![
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fixtures/rules/KW4007/bad.yaml"
                )
                .to_string(),
            ],
            ..LintOptions::default()
        };
        options.settings.assume = assume;
        let result = lint(&options);
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
    };
    assert_eq!(run(vec![]).len(), 3);
    let left = run(vec!["Gateway/shop/*".to_string()]);
    assert_eq!(
        left,
        vec![("KW4007".to_string(), 33)],
        "only istio-ingress/publik is left"
    );
}
