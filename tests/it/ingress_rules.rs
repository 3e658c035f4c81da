//! KW32xx (Ingress and Gateway API references) beyond the per-rule fixtures:
//! the seed scenarios, the seed's port slip, the `assume` escape hatch, and
//! the Gateway-API-only-with-evidence behaviour.

use kwire::lint::{LintOptions, lint};
use kwire::settings::Settings;

/// (code, file name, line, help) of every finding.
fn findings(paths: &[&str], settings: Settings) -> Vec<(String, String, usize, String)> {
    let result = lint(&LintOptions {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        settings,
        ..LintOptions::default()
    });
    result
        .diagnostics
        .iter()
        .map(|d| {
            let file = &result.files[d.file as usize];
            let name = std::path::Path::new(&file.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                d.code.to_string(),
                name,
                file.line_col(d.span.start as usize).line,
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn seed_ingresses_resolve() {
    // The walkthrough's Ingress reaches Service echo-hostname port 80, which
    // forwards to the named port flask-port (containerPort 5000): clean. The
    // other seed Ingresses reach hostname-internal:8080 and (10-ingress-v1)
    // a Service "nginx" the input does not define, in a namespace where it
    // defines other Services: reported by the default policy.
    let got = findings(&[&fixture("seeds")], Settings::default());
    let ours: Vec<_> = got
        .iter()
        .filter(|f| f.0.starts_with("KW32"))
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(ours, [("KW3201", "10-ingress-v1.yaml", 16)], "{got:?}");
}

#[test]
fn seed_port_slip_is_explained_through_the_named_target_port() {
    let dir = tempfile::tempdir().unwrap();
    let app = std::fs::read_to_string(fixture("seeds/ingress-nginx/echo-hostname.yaml")).unwrap();
    std::fs::write(dir.path().join("app.yaml"), app).unwrap();
    let ingress = std::fs::read_to_string(fixture("seeds/ingress-nginx/ingress.yaml"))
        .unwrap()
        .replace("servicePort: 80", "servicePort: 5000");
    std::fs::write(dir.path().join("ingress.yaml"), ingress).unwrap();
    let got = findings(&[dir.path().to_str().unwrap()], Settings::default());
    let ports: Vec<_> = got.iter().filter(|f| f.0 == "KW3202").collect();
    assert_eq!(ports.len(), 1, "{got:?}");
    let (_, file, line, help) = ports[0];
    assert_eq!((file.as_str(), *line), ("ingress.yaml", 17));
    assert!(
        help.contains("flask-port") && help.contains("use 80"),
        "{help}"
    );
}

#[test]
fn assumed_services_satisfy_backends() {
    let bad = fixture("rules/KW3201/bad.yaml");
    let lines = |settings| -> Vec<usize> {
        findings(&[&bad], settings)
            .into_iter()
            .filter(|f| f.0 == "KW3201")
            .map(|f| f.2)
            .collect()
    };
    assert_eq!(lines(Settings::default()), vec![50, 60, 66]);
    let one = Settings {
        assume: vec!["Service/shop/web-svc".to_string()],
        ..Settings::default()
    };
    assert_eq!(lines(one), vec![60, 66]);
    let all = Settings {
        assume: vec!["Service/shop/*".to_string()],
        ..Settings::default()
    };
    assert!(lines(all).is_empty());
}

#[test]
fn assumed_ingress_classes_use_the_documented_patterns() {
    // `Kind/name` for a cluster-scoped kind, kinds in any case: the Ingress
    // rules read `assume` like every other rule (they once had their own
    // glob, which missed both forms).
    let bad = fixture("rules/KW3205/bad.yaml");
    let count = |pattern: &str| {
        let settings = Settings {
            assume: vec![pattern.to_string()],
            ..Settings::default()
        };
        findings(&[&bad], settings)
            .iter()
            .filter(|f| f.0 == "KW3205")
            .count()
    };
    assert_eq!(count("IngressClass/other"), 1);
    assert_eq!(count("IngressClass/ngnix"), 0);
    assert_eq!(count("ingressclass/ngn*"), 0);
    assert_eq!(count("IngressClass/*/ngnix"), 0);
}

#[test]
fn istio_gateways_are_not_gateway_api_gateways() {
    // An Istio Gateway named like the parentRef must not satisfy (or
    // confuse) the Gateway API checks.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("all.yaml"),
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: shop}\nspec:\n  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: store, namespace: shop}\nspec:\n  parentRefs: [{name: edge, sectionName: nope}]\n",
    )
    .unwrap();
    let got = findings(&[dir.path().to_str().unwrap()], Settings::default());
    assert!(!got.iter().any(|f| f.0.starts_with("KW32")), "{got:?}");
}

fn ingress(name: &str, path: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: {name}}}\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - {{path: {path}, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
    )
}

#[test]
fn duplicate_paths_are_compared_within_what_is_applied_together() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["app", "app-copy", "alt"] {
        std::fs::create_dir(root.join(sub)).unwrap();
    }
    // Same directory: applied together, the later file is reported.
    std::fs::write(root.join("app/a.yaml"), ingress("shop", "/api")).unwrap();
    std::fs::write(root.join("app/b.yaml"), ingress("shop-v2", "/api")).unwrap();
    // Another directory: an alternative (overlay, example), not a conflict.
    std::fs::write(root.join("app-copy/c.yaml"), ingress("shop-copy", "/api")).unwrap();
    // Two files defining the same object are alternatives too.
    std::fs::write(
        root.join("alt/x.yaml"),
        ingress("alt", "/x") + "---\n" + &ingress("alt-b", "/y"),
    )
    .unwrap();
    std::fs::write(
        root.join("alt/y.yaml"),
        ingress("alt", "/z") + "---\n" + &ingress("alt-c", "/y"),
    )
    .unwrap();
    let got = findings(&[root.to_str().unwrap()], Settings::default());
    let dups: Vec<_> = got
        .iter()
        .filter(|f| f.0 == "KW3207")
        .map(|f| (f.1.as_str(), f.2))
        .collect();
    assert_eq!(dups, vec![("b.yaml", 10)], "{got:?}");
}
