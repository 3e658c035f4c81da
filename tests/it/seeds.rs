//! The seed scenarios keep saying what they should (see fixtures/seeds/README.md).

use kwire::lint::{LintOptions, lint};

#[test]
fn seed_mistakes_are_found_where_they_are() {
    let result = lint(&LintOptions {
        paths: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds").to_string()],
        ..LintOptions::default()
    });
    let found: Vec<(String, String, usize, usize)> = result
        .diagnostics
        .iter()
        .map(|d| {
            let file = &result.files[d.file as usize];
            let at = file.line_col(d.span.start as usize);
            let name = std::path::Path::new(&file.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (d.code.to_string(), name, at.line, at.column)
        })
        .collect();
    let has = |code: &str, file: &str| found.iter().any(|(c, f, _, _)| c == code && f == file);
    assert!(
        has("KW0001", "03-sidecar-pod-misindented.yaml"),
        "{found:?}"
    );
    assert!(has("KW3002", "08-production-namespace.yaml"), "{found:?}");
    // The ReplicaSet adopts the hand-made Pod carrying its labels.
    assert!(has("KW3003", "05-bare-pod-adopted.yaml"), "{found:?}");
    // The echo-hostname Service reaches containerPort 5000 through the
    // named port `flask-port`; the NodePort Service selects the controller.
    for code in ["KW3101", "KW3102", "KW3109", "KW3110"] {
        assert!(
            !found.iter().any(|(c, f, _, _)| c == code
                && [
                    "echo-hostname.yaml",
                    "controller-nodeport.yaml",
                    "mandatory.yaml"
                ]
                .contains(&f.as_str())),
            "{code} on the ingress-nginx seed: {found:?}"
        );
    }
    assert!(has("KW0005", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0006", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0007", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0008", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW3001", "14-selector-mismatch.yaml"), "{found:?}");
    // Old API versions, each removed by the default (newest) target.
    assert!(has("KW2001", "09-ingress-v1beta1.yaml"), "{found:?}");
    assert!(has("KW2003", "09-ingress-v1beta1.yaml"), "{found:?}");
    assert!(has("KW2004", "09-ingress-v1beta1.yaml"), "{found:?}");
    assert!(has("KW2001", "ingress.yaml"), "{found:?}");
    assert!(has("KW2001", "echo-hostname.yaml"), "{found:?}");
    assert!(has("KW2001", "mandatory.yaml"), "{found:?}");
    // Schema validation: the notes' `protoco: TCP` typo and the Deployment the
    // `...` cut short.
    let at = |code: &str, file: &str, line: usize| {
        found
            .iter()
            .any(|(c, f, l, _)| c == code && f == file && *l == line)
    };
    assert!(
        at("KW1001", "11-service-protocol-typo.yaml", 12),
        "{found:?}"
    );
    assert!(at("KW1003", "08-production-namespace.yaml", 9), "{found:?}");
    // The ingress-nginx controller writes allowPrivilegeEscalation: true.
    assert!(at("KW6002", "mandatory.yaml", 131), "{found:?}");
    // The mis-indented VirtualService: KW4014 explains each slip once; the
    // schema rules leave those fields (null, with their content beside them) to it.
    for line in [14, 16, 18] {
        assert!(
            at("KW4014", "virtualservice-misindented.yaml", line),
            "{found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|(c, f, _, _)| c.starts_with("KW1") && f == "virtualservice-misindented.yaml"),
        "{found:?}"
    );
    // The Services of the hostname scenario and of the ingress-nginx install
    // find their pods across files. What they do say is that the NodePort
    // and LoadBalancer Services are exposures (KW5301, info).
    let practice = ["KW5301"];
    for clean in [
        "07-hostname-services.yaml",
        "controller-nodeport.yaml",
        "01-nginx-pod.yaml",
    ] {
        assert!(
            !found
                .iter()
                .any(|(c, f, _, _)| f == clean && !practice.contains(&c.as_str())),
            "{clean}: {found:?}"
        );
    }
    assert!(has("KW5301", "07-hostname-services.yaml"), "{found:?}");
    assert!(has("KW5301", "controller-nodeport.yaml"), "{found:?}");
    // Apart from its apps/v1beta2 apiVersion, the echo-hostname app is fine.
    assert!(
        found
            .iter()
            .filter(|(_, f, _, _)| f == "echo-hostname.yaml")
            .all(|(c, _, _, _)| c == "KW2001"),
        "{found:?}"
    );
}
