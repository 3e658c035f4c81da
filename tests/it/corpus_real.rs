//! Real files that other YAML parsers got wrong (kubectl and PyYAML accept
//! them). Skipped when the shared corpus is not on this machine.

use std::path::Path;

use kwire::parse::parse_file;
use kwire::source::SourceFile;

const REAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/real");

fn load(rel: &str) -> Option<(SourceFile, kwire::parse::ParsedFile)> {
    let path = Path::new(REAL).join(rel);
    let text = std::fs::read_to_string(&path).ok()?;
    let source = SourceFile::new(rel, text);
    let parsed = parse_file(0, &source);
    Some((source, parsed))
}

#[test]
fn files_saphyr_rejects_load_cleanly() {
    for rel in [
        "argoproj__argo-cd/resource_customizations/work.karmada.io/ClusterResourceBinding/testdata/progressing.yaml",
        "argoproj__argo-cd/resource_customizations/work.karmada.io/ResourceBinding/testdata/progressing.yaml",
        "argoproj__argo-cd/resource_customizations/db.atlasgo.io/AtlasSchema/testdata/healthy.yaml",
        "istio__istio/samples/security/spire/spire-quickstart.yaml",
    ] {
        let Some((source, parsed)) = load(rel) else {
            eprintln!("corpus not present, skipping {rel}");
            continue;
        };
        assert!(
            parsed.diagnostics.is_empty(),
            "{rel}: {:?}",
            parsed.diagnostics
        );
        assert!(!parsed.documents.is_empty(), "{rel}");
        if rel.contains("spire") {
            // The flow sequence closed at the key's indentation (line 910).
            let close = source.line_text(909);
            assert_eq!(close.trim(), "]");
            let found = parsed.documents.iter().any(|d| {
                d.root
                    .path(&["spec", "template", "spec", "containers"])
                    .is_some_and(|c| {
                        c.as_seq().unwrap_or(&[]).iter().any(|c| {
                            c.get_seq("args")
                                .iter()
                                .any(|a| a.as_str() == Some("/spiffe-csi/csi.sock"))
                        })
                    })
            });
            assert!(found, "spiffe-csi-driver args not loaded");
        }
    }
}

#[test]
fn archived_duplicate_key_files_load_with_kw0002() {
    for rel in [
        "kubernetes__examples/_archived/openshift-origin/etcd-controller.yaml",
        "kubernetes__examples/_archived/openshift-origin/etcd-discovery-controller.yaml",
        "kubernetes__examples/_archived/openshift-origin/openshift-controller.yaml",
        "kubernetes__examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml",
        "kubernetes__examples/_archived/volumes/scaleio/sc-pvc.yaml",
    ] {
        let Some((_, parsed)) = load(rel) else {
            eprintln!("corpus not present, skipping {rel}");
            continue;
        };
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == "KW0002"),
            "{rel}: {codes:?}"
        );
        assert!(parsed.diagnostics.iter().all(|d| d.related.len() == 1));
        assert!(!parsed.documents.is_empty(), "{rel}");
        assert!(
            parsed
                .documents
                .iter()
                .all(|d| d.root.get_str("kind").is_some()),
            "{rel}"
        );
    }
}
