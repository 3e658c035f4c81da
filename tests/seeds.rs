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
    assert!(has("KW0005", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0006", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0007", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW0008", "13-bad-metadata.yaml"), "{found:?}");
    assert!(has("KW3001", "14-selector-mismatch.yaml"), "{found:?}");
    // Schema validation: the notes' `protoco: TCP` typo, the Deployment the
    // `...` cut short, and the mis-indented VirtualService.
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
    assert!(
        at("KW1001", "virtualservice-misindented.yaml", 16),
        "{found:?}"
    );
    assert!(
        at("KW1003", "virtualservice-misindented.yaml", 18),
        "{found:?}"
    );
    assert!(
        at("KW1001", "virtualservice-misindented.yaml", 19),
        "{found:?}"
    );
    // The Services of the hostname scenario and of the ingress-nginx install
    // find their pods across files.
    for clean in [
        "07-hostname-services.yaml",
        "echo-hostname.yaml",
        "controller-nodeport.yaml",
        "01-nginx-pod.yaml",
    ] {
        assert!(
            !found.iter().any(|(_, f, _, _)| f == clean),
            "{clean}: {found:?}"
        );
    }
}
