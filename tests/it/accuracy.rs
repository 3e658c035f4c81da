//! Accuracy of findings beyond their code and line (issue 12, section 4):
//! one finding per group, the right severity, the object in JSON, and
//! messages that read right.

use kwire::diagnostic::{Diagnostic, Severity};
use kwire::lint::{LintOptions, lint};
use kwire::settings::{KubeVersion, Settings};

/// Lints `yaml` as one file with `settings`.
fn run(yaml: &str, settings: Settings) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("manifest.yaml");
    std::fs::write(&path, yaml).unwrap();
    lint(&LintOptions {
        paths: vec![path.to_string_lossy().into_owned()],
        settings,
        ..LintOptions::default()
    })
    .diagnostics
}

fn of<'d>(found: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
    found.iter().filter(|d| d.code == code).collect()
}

fn deployment(name: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  selector:\n    matchLabels: {{app: test}}\n  template:\n    metadata:\n      labels: {{app: test}}\n    spec:\n      containers:\n        - {{name: app, image: \"example.registry/app:1\"}}\n"
    )
}

#[test]
fn overlapping_controllers_are_one_finding_per_group() {
    let names = ["a", "b", "c", "d", "e"];
    let yaml: Vec<String> = names.iter().map(|n| deployment(n)).collect();
    let found = run(&yaml.join("---\n"), Settings::default());
    let overlaps = of(&found, "KW3003");
    assert_eq!(overlaps.len(), 1, "{overlaps:#?}");
    let d = overlaps[0];
    assert!(d.message.starts_with("Deployment \"a\""), "{}", d.message);
    for other in ["\"b\"", "\"c\"", "\"d\"", "\"e\""] {
        assert!(d.message.contains(other), "{}", d.message);
    }
    assert!(d.message.contains("the 5 controllers"), "{}", d.message);
    assert_eq!(d.related.len(), 4);
}

#[test]
fn a_port_name_shared_by_two_same_named_containers_is_not_within_one() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: example.registry/app:1\n      ports: [{name: http, containerPort: 8080}]\n    - name: app\n      image: example.registry/app:1\n      ports: [{name: http, containerPort: 8080}]\n";
    let found = run(yaml, Settings::default());
    let dup = of(&found, "KW3105");
    assert_eq!(dup.len(), 1, "{dup:#?}");
    assert_eq!(dup[0].severity, Severity::Warning);
    assert!(
        dup[0].message.starts_with("two containers named \"app\""),
        "{}",
        dup[0].message
    );
    assert_eq!(of(&found, "KW3106").len(), 1);
}

#[test]
fn findings_inside_an_object_carry_it() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  annotations:\n    kwire.io/ignore: \"KW9999\"\ndata:\n  a: \"1\" # kwire: ignroe[KW3101]\n  b: \"2\"\n  b: \"3\"\n";
    let found = run(yaml, Settings::default());
    let invalid = of(&found, "KW0014");
    assert_eq!(invalid.len(), 2, "{found:#?}");
    for d in invalid.iter().chain(of(&found, "KW0002").iter()) {
        let object = d.object.as_ref().expect("an object");
        assert_eq!(object.name.as_deref(), Some("cfg"), "{d:#?}");
    }
    assert_eq!(of(&found, "KW0002").len(), 1);
}

#[test]
fn unnamed_objects_are_described_by_their_line() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - {name: app, image: \"example.registry/app:1\"}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: webb}\n    spec:\n      containers:\n        - {name: app, image: \"example.registry/app:1\"}\n";
    let found = run(yaml, Settings::default());
    let mismatch = of(&found, "KW3001");
    assert_eq!(mismatch.len(), 1);
    let message = &mismatch[0].message;
    assert!(!found.iter().any(|d| d.message.contains("Deployment \"\"")));
    assert!(
        message.starts_with("Deployment (unnamed, line 9, namespace default) selector"),
        "{message}"
    );
    // KW3001 points at the label the template has with another value.
    assert!(
        message.contains("it requires app=web, and the template has app=webb"),
        "{message}"
    );
}

#[test]
fn probe_port_help_is_one_sentence() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: example.registry/web:1\n      ports: [{name: http, containerPort: 8080}]\n    - name: side\n      image: example.registry/side:1\n      livenessProbe:\n        httpGet: {path: /, port: http}\n";
    let found = run(yaml, Settings::default());
    let probe = of(&found, "KW3103");
    assert_eq!(probe.len(), 1);
    let help = probe[0].help.as_deref().unwrap_or_default();
    assert_eq!(
        help,
        "a probe resolves names in its own container only: use `port: 8080` (\"http\" of container \"web\"), or add a port named \"http\" to container \"side\""
    );
}

#[test]
fn a_field_of_a_newer_kubernetes_says_when_it_was_added() {
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  trafficDistribution: PreferClose\n  ports:\n    - {port: 80}\n";
    let settings = Settings {
        kube_version: KubeVersion::new(1, 29),
        ..Settings::default()
    };
    let found = run(yaml, settings);
    let unknown = of(&found, "KW1001");
    assert_eq!(unknown.len(), 1, "{found:#?}");
    assert!(
        unknown[0]
            .message
            .contains("was added in Kubernetes 1.30; your target is 1.29"),
        "{}",
        unknown[0].message
    );
    // On the newest version the field is known.
    assert!(of(&run(yaml, Settings::default()), "KW1001").is_empty());
}

#[test]
fn ingress_rule_backends_are_named_by_path_and_host() {
    let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - {name: http, port: 80}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: shop.example\n      http:\n        paths:\n          - path: /x\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {number: 8080}}\n    - http:\n        paths:\n          - path: /y\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {number: 8081}}\n";
    let found = run(yaml, Settings::default());
    let ports = of(&found, "KW3202");
    assert_eq!(ports.len(), 2, "{found:#?}");
    assert!(
        ports[0]
            .message
            .contains("routes path /x of host shop.example to"),
        "{}",
        ports[0].message
    );
    assert!(
        ports[1].message.contains("routes path /y (any host) to"),
        "{}",
        ports[1].message
    );
    assert!(!ports.iter().any(|d| d.message.contains("default backend")));
}

#[test]
fn an_empty_service_account_is_deleted_not_renamed() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccount: ''\n  serviceAccountName: web\n  containers:\n    - {name: app, image: \"example.registry/app:1\"}\n";
    let found = run(yaml, Settings::default());
    let old = of(&found, "KW2005");
    assert_eq!(old.len(), 1);
    assert_eq!(
        old[0].help.as_deref(),
        Some("delete the `serviceAccount:` line")
    );
    assert!(!old[0].message.contains("disagrees"), "{}", old[0].message);
}

/// OpenShift labels a DeploymentConfig's pods `deploymentconfig: NAME`
/// (issue 12): a Service selecting on it has endpoints; one naming another
/// DeploymentConfig still has none (under --closed-world, which reports
/// without further evidence).
#[test]
fn deploymentconfig_pods_carry_their_generated_label() {
    let dc = "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {app: web}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: \"example.registry/web:1\", ports: [{containerPort: 8080}]}]\n";
    let service = |name: &str, dc_name: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  selector: {{deploymentconfig: {dc_name}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n"
        )
    };
    let yaml = format!(
        "{dc}---\n{}---\n{}",
        service("web", "web"),
        service("other", "api")
    );
    let settings = Settings {
        closed_world: true,
        ..Settings::default()
    };
    let found = run(&yaml, settings);
    let none: Vec<&str> = of(&found, "KW3002")
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(none.len(), 1, "{none:#?}");
    assert!(none[0].contains("\"other\""), "{}", none[0]);
}
