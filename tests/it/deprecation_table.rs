//! The bundled deprecation table (schemas/deprecations.yaml) against facts
//! from the Kubernetes Deprecated API Migration Guide and the API types'
//! lifecycle tags: at least one row per API family.

use kwire::rules::deprecation::table::{all, lookup};
use kwire::settings::KubeVersion;

/// (apiVersion, kind, deprecated, removed, replacement the newest cluster gets)
type Fact = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const FACTS: &[Fact] = &[
    (
        "extensions/v1beta1",
        "Ingress",
        "1.14",
        Some("1.22"),
        Some("networking.k8s.io/v1"),
    ),
    (
        "extensions/v1beta1",
        "Deployment",
        "1.8",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "extensions/v1beta1",
        "DaemonSet",
        "1.8",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "extensions/v1beta1",
        "ReplicaSet",
        "1.8",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        "1.9",
        Some("1.16"),
        Some("networking.k8s.io/v1"),
    ),
    (
        "extensions/v1beta1",
        "PodSecurityPolicy",
        "1.11",
        Some("1.16"),
        Some("policy/v1beta1"),
    ),
    (
        "apps/v1beta1",
        "Deployment",
        "1.8",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "apps/v1beta1",
        "StatefulSet",
        "1.8",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "apps/v1beta2",
        "Deployment",
        "1.9",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "apps/v1beta2",
        "DaemonSet",
        "1.9",
        Some("1.16"),
        Some("apps/v1"),
    ),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        "1.19",
        Some("1.22"),
        Some("networking.k8s.io/v1"),
    ),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        "1.19",
        Some("1.22"),
        Some("networking.k8s.io/v1"),
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        "1.17",
        Some("1.22"),
        Some("rbac.authorization.k8s.io/v1"),
    ),
    (
        "rbac.authorization.k8s.io/v1alpha1",
        "RoleBinding",
        "1.17",
        Some("1.22"),
        Some("rbac.authorization.k8s.io/v1"),
    ),
    (
        "policy/v1beta1",
        "PodDisruptionBudget",
        "1.21",
        Some("1.25"),
        Some("policy/v1"),
    ),
    (
        "policy/v1beta1",
        "PodSecurityPolicy",
        "1.21",
        Some("1.25"),
        None,
    ),
    (
        "batch/v1beta1",
        "CronJob",
        "1.21",
        Some("1.25"),
        Some("batch/v1"),
    ),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        "1.22",
        Some("1.25"),
        Some("autoscaling/v2"),
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        "1.23",
        Some("1.26"),
        Some("autoscaling/v2"),
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        "1.16",
        Some("1.22"),
        Some("apiextensions.k8s.io/v1"),
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        "1.16",
        Some("1.22"),
        Some("admissionregistration.k8s.io/v1"),
    ),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        "1.14",
        Some("1.22"),
        Some("scheduling.k8s.io/v1"),
    ),
    (
        "storage.k8s.io/v1beta1",
        "StorageClass",
        "1.19",
        Some("1.22"),
        Some("storage.k8s.io/v1"),
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        "1.19",
        Some("1.22"),
        Some("storage.k8s.io/v1"),
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        "1.24",
        Some("1.27"),
        Some("storage.k8s.io/v1"),
    ),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        "1.21",
        Some("1.25"),
        Some("discovery.k8s.io/v1"),
    ),
    (
        "events.k8s.io/v1beta1",
        "Event",
        "1.22",
        Some("1.25"),
        Some("events.k8s.io/v1"),
    ),
    (
        "node.k8s.io/v1beta1",
        "RuntimeClass",
        "1.22",
        Some("1.25"),
        Some("node.k8s.io/v1"),
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        "1.23",
        Some("1.26"),
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        "1.26",
        Some("1.29"),
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        "1.29",
        Some("1.32"),
        Some("flowcontrol.apiserver.k8s.io/v1"),
    ),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        "1.19",
        Some("1.22"),
        Some("certificates.k8s.io/v1"),
    ),
    (
        "coordination.k8s.io/v1beta1",
        "Lease",
        "1.19",
        Some("1.22"),
        Some("coordination.k8s.io/v1"),
    ),
    (
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        "1.19",
        Some("1.22"),
        Some("apiregistration.k8s.io/v1"),
    ),
    (
        "authentication.k8s.io/v1beta1",
        "TokenReview",
        "1.19",
        Some("1.22"),
        Some("authentication.k8s.io/v1"),
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SubjectAccessReview",
        "1.19",
        Some("1.22"),
        Some("authorization.k8s.io/v1"),
    ),
    (
        "resource.k8s.io/v1alpha2",
        "ResourceClaim",
        "1.31",
        Some("1.31"),
        Some("resource.k8s.io/v1"),
    ),
    ("v1", "Endpoints", "1.33", None, Some("discovery.k8s.io/v1")),
];

fn v(text: &str) -> KubeVersion {
    KubeVersion::parse(text).unwrap()
}

#[test]
fn table_agrees_with_known_facts() {
    let mut wrong = Vec::new();
    for (api, kind, deprecated, removed, replacement) in FACTS {
        let Some(row) = lookup(api, kind) else {
            wrong.push(format!("{api} {kind}: missing"));
            continue;
        };
        let got = (
            row.deprecated,
            row.removed,
            row.replacement_for(KubeVersion::NEWEST)
                .map(|r| r.api_version.as_str()),
        );
        let want = (v(deprecated), removed.map(v), *replacement);
        if got != want {
            wrong.push(format!("{api} {kind}: got {got:?}, want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn kinds_added_to_an_old_version_later_are_not_deprecated() {
    // certificates.k8s.io/v1beta1 and coordination.k8s.io/v1beta1 were
    // removed for CSR and Lease in 1.22 but serve new kinds since 1.33.
    assert!(lookup("certificates.k8s.io/v1beta1", "ClusterTrustBundle").is_none());
    assert!(lookup("coordination.k8s.io/v1beta1", "LeaseCandidate").is_none());
    assert!(
        lookup(
            "admissionregistration.k8s.io/v1alpha1",
            "ValidatingAdmissionPolicy"
        )
        .is_none()
    );
    assert!(lookup("apps/v1", "Deployment").is_none());
}

#[test]
fn every_row_is_consistent() {
    for row in all() {
        assert!(
            row.removed.is_none_or(|r| r >= row.deprecated),
            "{} {}",
            row.api_version,
            row.kind
        );
        assert!(row.deprecated <= KubeVersion::NEWEST);
        // Replacements are newest first.
        assert!(
            row.replacements
                .windows(2)
                .all(|w| w[0].since >= w[1].since),
            "{} {}",
            row.api_version,
            row.kind
        );
        // A row without a replacement says what to do instead.
        assert!(
            !row.replacements.is_empty() || row.notes.is_some(),
            "{} {}",
            row.api_version,
            row.kind
        );
    }
}
