//! Schema validation end to end: CRD registration, `--kube-version`
//! selection of the bundled schemas, `--schema-dir`, strictness and the
//! missing-schema info.

use std::collections::BTreeSet;
use std::path::Path;

use kwire::diagnostic::Severity;
use kwire::lint::{LintOptions, LintResult, lint};
use kwire::settings::{KubeVersion, Settings};

fn run(path: &Path, settings: Settings) -> LintResult {
    lint(&LintOptions {
        paths: vec![path.to_string_lossy().into_owned()],
        settings,
        ..LintOptions::default()
    })
}

/// The schema findings (KW1xxx) of a run, as (code, line).
fn findings(result: &LintResult) -> BTreeSet<(String, usize)> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("KW1"))
        .map(|d| {
            let file = &result.files[d.file as usize];
            (
                d.code.to_string(),
                file.line_col(d.span.start as usize).line,
            )
        })
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn crd_in_the_input_validates_its_custom_resources() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schema/crd-bad.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let spec = text
        .lines()
        .next()
        .unwrap()
        .strip_prefix("# expect:")
        .unwrap();
    let want: BTreeSet<(String, usize)> = spec
        .split(',')
        .map(|i| {
            let (c, l) = i.trim().split_once('@').unwrap();
            (c.to_string(), l.parse().unwrap())
        })
        .collect();
    let result = run(&path, Settings::default());
    assert_eq!(findings(&result), want);
    // Every finding points back at the CRD's schema.
    for d in &result.diagnostics {
        assert_eq!(d.related.len(), 1, "{}", d.message);
    }
}

const FLOW_SCHEMA: &str = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: probes
spec:
  priorityLevelConfiguration:
    name: exempt
  matchingPrecedence: \"1000\"
";

#[test]
fn kube_version_selects_the_bundled_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "fs.yaml", FLOW_SCHEMA);
    // 1.29 serves flowcontrol v1beta3: the quoted integer is a type error.
    let settings = Settings {
        kube_version: KubeVersion::new(1, 29),
        ..Settings::default()
    };
    let old = run(&path, settings);
    assert_eq!(
        findings(&old),
        BTreeSet::from([("KW1002".to_string(), 8)]),
        "{:?}",
        old.diagnostics
    );
    // 1.33 no longer serves it: no schema findings (the deprecation rules
    // report the removed API), and no missing-schema noise either.
    let settings = Settings {
        kube_version: KubeVersion::new(1, 33),
        ..Settings::default()
    };
    let new = run(&path, settings);
    assert!(
        !new.diagnostics.iter().any(|d| d.code.starts_with("KW1")),
        "{:?}",
        new.diagnostics
    );
    // Versions before the bundle use the oldest bundled one (1.25, which
    // predates flowcontrol v1beta3): still no findings, and no panic.
    let settings = Settings {
        kube_version: KubeVersion::new(1, 12),
        ..Settings::default()
    };
    assert!(findings(&run(&path, settings)).is_empty());
}

const WIDGET: &str = "apiVersion: example.com/v1
kind: Widget
metadata:
  name: a
spec:
  size: big
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: b
";

#[test]
fn missing_schema_is_info_once_per_kind_and_can_be_silenced() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "w.yaml", WIDGET);
    let result = run(&path, Settings::default());
    assert_eq!(
        findings(&result),
        BTreeSet::from([("KW1005".to_string(), 2)])
    );
    assert_eq!(result.diagnostics[0].severity, Severity::Info);
    let quiet = Settings {
        ignore_missing_schemas: true,
        ..Settings::default()
    };
    assert!(run(&path, quiet).diagnostics.is_empty());
}

#[test]
fn schema_dir_supplies_schemas_in_kubeconform_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "in/w.yaml", WIDGET);
    let schemas = dir.path().join("schemas");
    write(
        &schemas,
        "widget-example-v1.json",
        r#"{"type": "object", "properties": {"spec": {"type": "object",
            "properties": {"size": {"type": "integer"}}}}}"#,
    );
    let settings = Settings {
        schema_dirs: vec![schemas],
        ..Settings::default()
    };
    let result = run(&path, settings);
    assert_eq!(
        findings(&result),
        BTreeSet::from([("KW1002".to_string(), 6)])
    );
}

#[test]
fn no_strict_makes_unknown_fields_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndatta:\n  k: v\n",
    );
    let strict = run(&path, Settings::default());
    assert_eq!(strict.diagnostics.len(), 1);
    assert_eq!(strict.diagnostics[0].code, "KW1001");
    assert_eq!(strict.diagnostics[0].severity, Severity::Error);
    assert!(
        strict.diagnostics[0]
            .message
            .contains("did you mean `data`")
    );
    let lax = Settings {
        strict: false,
        ..Settings::default()
    };
    let lax = run(&path, lax);
    assert_eq!(lax.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn kustomize_patches_may_leave_out_required_fields() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "kustomization.yaml", "resources: []\n");
    let path = write(
        dir.path(),
        "patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: 2\n",
    );
    let result = run(&path, Settings::default());
    assert!(
        !result.diagnostics.iter().any(|d| d.code == "KW1003"),
        "{:?}",
        result.diagnostics
    );
}

#[test]
fn nulls_and_int_or_string_and_quantities_follow_kubernetes() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ok.yaml",
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
  creationTimestamp: null
spec:
  selector:
    matchLabels: {app: a}
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  template:
    metadata:
      labels: {app: a}
    spec:
      containers:
        - name: a
          image: a:1
          resources:
            limits: {cpu: 500m, memory: 1.5Gi, nvidia.com/gpu: 1}
            requests: {cpu: 0.25, memory: 128974848, ephemeral-storage: 1e3}
          env:
            - name: X
              value: ~
",
    );
    let result = run(&path, Settings::default());
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
}

#[test]
fn istio_networking_kinds_are_checked_without_their_crds() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.yaml",
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - name: v2
      match:
        - uri:
            prefix: /v2
          headers:
            end-user:
              exact: jason
      route:
        - destination:
            host: reviews
            subset: v2
            port:
              number: 9080
          weight: 90
      retries:
        attempts: 3
        perTryTimeout: 2s
      timeout: 10s
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      simple: LEAST_REQUEST
  subsets:
    - name: v2
      labels:
        version: v2
---
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata:
  name: public
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: ['*.example.com']
      tls: {mode: SIMPLE, credentialName: example-cert}
",
    );
    let result = run(&good, Settings::default());
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let bad = write(
        dir.path(),
        "bad.yaml",
        "apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  hots: reviews
",
    );
    let result = run(&bad, Settings::default());
    let codes: BTreeSet<(String, usize)> = findings(&result);
    assert_eq!(
        codes,
        BTreeSet::from([("KW1001".to_string(), 6), ("KW1003".to_string(), 5)]),
        "{:?}",
        result.diagnostics
    );
    assert!(
        result
            .diagnostics
            .iter()
            .any(|d| d.message.contains("did you mean `host`"))
    );
}

#[test]
fn a_kind_only_removed_versions_served_is_no_missing_schema() {
    // policy/v1 never served PodSecurityPolicy (KW2010 says so), and
    // policy/v1beta1 is removed (KW2001): neither is a custom resource
    // whose CustomResourceDefinition is missing.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "psp.yaml",
        "apiVersion: policy/v1\nkind: PodSecurityPolicy\nmetadata:\n  name: a\nspec: {}\n---\n\
         apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: b\nspec: {}\n",
    );
    let result = run(&path, Settings::default());
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"KW1005"), "{codes:?}");
    assert!(
        codes.contains(&"KW2010") && codes.contains(&"KW2001"),
        "{codes:?}"
    );
    let kw2010 = result
        .diagnostics
        .iter()
        .find(|d| d.code == "KW2010")
        .unwrap();
    assert!(
        kw2010
            .message
            .contains("policy/v1beta1 (from 1.10, removed in 1.25)"),
        "{}",
        kw2010.message
    );
}
