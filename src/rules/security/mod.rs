//! KW6xxx: security: privilege, host access and secrets in plain text.
//! One file per rule.

pub mod capabilities_not_dropped;
pub mod dangerous_capability;
pub mod external_ips;
pub mod host_namespace;
pub mod host_port;
pub mod load_balancer_source_ranges;
pub mod network;
pub mod pod_security;
pub mod privilege_escalation;
pub mod privileged_container;
pub mod proc_mount_unmasked;
pub mod rbac;
pub mod run_as_non_root_unset;
pub mod runs_as_root;
pub mod seccomp_profile_unset;
pub mod secret_in_env;
pub mod sensitive_host_path;
pub mod ssh_port;
pub mod token_automount;
pub mod unsafe_sysctl;
pub mod writable_root_filesystem;

use crate::model::workload::{Container, PodTemplate};
use crate::parse::Node;

/// A `securityContext` field as the kubelet applies it to a container: the
/// container's own value, else the pod's (`runAsUser`, `runAsNonRoot`,
/// `seccompProfile`, ... exist at both levels; the container wins).
pub(crate) fn effective<'a>(
    template: &PodTemplate<'a>,
    c: &Container<'a>,
    key: &str,
) -> Option<&'a Node> {
    c.node
        .path(&["securityContext", key])
        .filter(|n| !n.is_null())
        .or_else(|| {
            template
                .spec
                .and_then(|s| s.path(&["securityContext", key]))
                .filter(|n| !n.is_null())
        })
}

/// A pod that declares it runs on Windows (`spec.os.name: windows`), where
/// Linux user ids, capabilities and seccomp do not apply.
pub(crate) fn windows_pod(template: &PodTemplate<'_>) -> bool {
    template
        .spec
        .and_then(|s| s.path(&["os", "name"]))
        .and_then(Node::as_str)
        == Some("windows")
}

/// Where a finding about a container's security context points: the
/// `securityContext` key, else the container's name, else the container.
pub(crate) fn context_span(c: &Container<'_>) -> crate::source::Span {
    c.node
        .entry("securityContext")
        .map(|e| e.key.span)
        .or_else(|| c.node.get("name").map(|n| n.span))
        .unwrap_or(c.node.span)
}
