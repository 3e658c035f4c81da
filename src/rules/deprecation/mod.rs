//! KW2xxx: deprecated and removed API versions (from the bundled table in
//! `schemas/deprecations.yaml`) and deprecated fields, annotations and
//! labels, each judged against the target Kubernetes version
//! (`--kube-version`, default the newest kwire knows).

pub mod api_version_never_served;
pub mod api_version_not_yet_served;
pub mod deprecated_api_version;
pub mod deprecated_node_label;
pub mod deprecated_topology_key;
pub mod ingress_class_annotation;
pub mod ingress_legacy_backend;
pub mod migrate;
pub mod pod_service_account;
pub mod removed_api_version;
pub mod security_profile_annotation;
pub mod table;

use crate::model::Object;
use crate::model::ingress::{IngressBackend, PortRef};
use crate::parse::Node;
use crate::settings::KubeVersion;
use crate::source::Span;

/// The span of the object's `apiVersion` value (the document if missing).
pub(crate) fn api_version_span(obj: &Object) -> Span {
    obj.root.get("apiVersion").map_or(obj.root.span, |n| n.span)
}

/// How to move off a deprecated or removed API version: the replacement to
/// write, the table's notes, and for an Ingress the converted backend.
pub(crate) fn migration_help(
    obj: &Object,
    row: &table::Deprecation,
    replacement: Option<&table::Replacement>,
) -> Option<String> {
    let mut help = Vec::new();
    if let Some(r) = replacement {
        let kind_change = r
            .kind
            .as_ref()
            .map(|k| format!(" and `kind: {k}`"))
            .unwrap_or_default();
        help.push(format!(
            "write `apiVersion: {}`{kind_change} (served since {})",
            r.api_version, r.since
        ));
    }
    if let Some(notes) = &row.notes {
        help.push(notes.clone());
    }
    if let Some(example) = ingress_legacy_backend::conversion_example(obj) {
        help.push(example);
    }
    (!help.is_empty()).then(|| help.join("\n"))
}

/// Node labels that were renamed when they became GA, with the release the
/// GA name appeared in (the beta name is deprecated from then on).
pub(crate) const RENAMED_NODE_LABELS: &[(&str, &str, KubeVersion)] = &[
    (
        "beta.kubernetes.io/os",
        "kubernetes.io/os",
        KubeVersion::new(1, 14),
    ),
    (
        "beta.kubernetes.io/arch",
        "kubernetes.io/arch",
        KubeVersion::new(1, 14),
    ),
    (
        "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        KubeVersion::new(1, 17),
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        "topology.kubernetes.io/zone",
        KubeVersion::new(1, 17),
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        "topology.kubernetes.io/region",
        KubeVersion::new(1, 17),
    ),
];

/// The GA name of a deprecated beta node label, if `target` has it.
pub(crate) fn renamed_label(
    label: &str,
    target: KubeVersion,
) -> Option<(&'static str, KubeVersion)> {
    RENAMED_NODE_LABELS
        .iter()
        .find(|(old, _, since)| *old == label && *since <= target)
        .map(|(_, new, since)| (*new, *since))
}

/// The networking.k8s.io/v1 form of a `serviceName`/`servicePort` backend,
/// as YAML lines (no trailing newline), indented by `indent` spaces.
pub(crate) fn converted_backend(b: &IngressBackend<'_>, key: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let name = b
        .service_name
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| "SERVICE".to_string());
    let port = match &b.port {
        Some((PortRef::Number(n), _)) => format!("number: {n}"),
        Some((PortRef::Name(s), _)) => format!("name: {s}"),
        None => "number: PORT".to_string(),
    };
    format!(
        "{pad}{key}:\n{pad}  service:\n{pad}    name: {name}\n{pad}    port:\n{pad}      {port}"
    )
}
