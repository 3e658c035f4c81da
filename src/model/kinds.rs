//! Facts about built-in kinds: scope, canonical API group, workload shape.

/// Built-in kinds that are cluster-scoped (they have no namespace). Custom
/// resources are namespaced unless a CustomResourceDefinition in the input
/// says `scope: Cluster` (see `Catalog`).
const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ClusterTrustBundle",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "DeviceClass",
    "FlowSchema",
    "IngressClass",
    "IPAddress",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "ResourceSlice",
    "RuntimeClass",
    "SelfSubjectAccessReview",
    "SelfSubjectReview",
    "SelfSubjectRulesReview",
    "ServiceCIDR",
    "StorageClass",
    "StorageVersion",
    "SubjectAccessReview",
    "TokenReview",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
    "VolumeAttributesClass",
];

pub fn is_builtin_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// The group an object belongs to for identity purposes: the same Deployment
/// written as `extensions/v1beta1` and `apps/v1` is one object.
pub fn canonical_group<'a>(api_version: &'a str, kind: &str) -> &'a str {
    let group = match api_version.split_once('/') {
        Some((group, _)) => group,
        None => "",
    };
    match (group, kind) {
        ("extensions", "Deployment" | "DaemonSet" | "ReplicaSet") => "apps",
        ("extensions", "Ingress" | "NetworkPolicy") => "networking.k8s.io",
        ("extensions", "PodSecurityPolicy") => "policy",
        _ => group,
    }
}

/// Kinds whose objects carry a pod template (or are a pod).
pub fn is_workload(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "ReplicationController"
            | "DeploymentConfig"
    )
}

/// Is this apiVersion one of Kubernetes' own groups (so the kind is built in)?
pub fn is_builtin_group(api_version: &str) -> bool {
    let group = match api_version.split_once('/') {
        Some((group, _)) => group,
        None => return true,
    };
    !group.contains('.') || group.ends_with(".k8s.io")
}
