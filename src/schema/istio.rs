//! Istio kinds (networking: VirtualService, DestinationRule, Gateway,
//! ServiceEntry, Sidecar; security: AuthorizationPolicy, PeerAuthentication,
//! RequestAuthentication) validated without their CRDs in the input, against
//! the hand-written structural schemas of `schemas/istio-networking.yaml`.

use std::sync::OnceLock;

use serde_json::Value;

use crate::parse::parse_file;
use crate::schema::crd;
use crate::schema::json::to_json;
use crate::source::SourceFile;

static TEXT: &str = include_str!("../../schemas/istio-networking.yaml");

/// (group, versions served, kinds) that the schema file covers.
const GROUPS: &[(&str, &[&str], &[&str])] = &[
    (
        "networking.istio.io",
        &["v1alpha3", "v1beta1", "v1"],
        &[
            "VirtualService",
            "DestinationRule",
            "Gateway",
            "ServiceEntry",
            "Sidecar",
        ],
    ),
    (
        "security.istio.io",
        &["v1beta1", "v1"],
        &[
            "AuthorizationPolicy",
            "PeerAuthentication",
            "RequestAuthentication",
        ],
    ),
];

fn schemas() -> Option<&'static Value> {
    static SCHEMAS: OnceLock<Option<Value>> = OnceLock::new();
    SCHEMAS
        .get_or_init(|| {
            let source = SourceFile::new("istio-networking.yaml".to_string(), TEXT.to_string());
            let mut parsed = parse_file(0, &source);
            if !parsed.diagnostics.is_empty() || parsed.documents.is_empty() {
                return None;
            }
            Some(to_json(&parsed.documents.remove(0).root))
        })
        .as_ref()
}

/// The schema of an Istio networking kind, ready for the validator.
pub fn schema(api_version: &str, kind: &str) -> Option<Value> {
    let (group, version) = api_version.split_once('/')?;
    let covered = GROUPS.iter().any(|(g, versions, kinds)| {
        *g == group && versions.contains(&version) && kinds.contains(&kind)
    });
    if !covered {
        return None;
    }
    schemas()?.get(kind).map(crd::convert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istio_schemas_load_and_compile() {
        for kind in [
            "VirtualService",
            "DestinationRule",
            "Gateway",
            "ServiceEntry",
            "Sidecar",
        ] {
            let s = schema("networking.istio.io/v1", kind).expect(kind);
            jsonschema::draft202012::new(&s).expect(kind);
        }
        for kind in [
            "AuthorizationPolicy",
            "PeerAuthentication",
            "RequestAuthentication",
        ] {
            let s = schema("security.istio.io/v1", kind).expect(kind);
            jsonschema::draft202012::new(&s).expect(kind);
        }
        assert!(schema("networking.istio.io/v2", "Gateway").is_none());
        assert!(schema("security.istio.io/v1", "VirtualService").is_none());
        assert!(schema("networking.istio.io/v1", "AuthorizationPolicy").is_none());
    }
}
