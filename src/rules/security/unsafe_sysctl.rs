//! KW6008: a pod setting a sysctl outside Kubernetes' safe set. The kubelet
//! refuses to start such a pod (`SysctlForbidden`) unless the node allows
//! that sysctl with `--allowed-unsafe-sysctls`, and where it is allowed the
//! setting can reach beyond the pod.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6008",
    "unsafe-sysctl",
    Security,
    Warning,
    "A pod sets a sysctl outside Kubernetes' safe set; the kubelet rejects it unless the node allows it"
);

pub struct Rule;

/// The safe set of the newest Kubernetes (each is namespaced and isolated
/// per pod): the kubelet accepts these without `--allowed-unsafe-sysctls`.
pub const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ping_group_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// `net/ipv4/tcp_syncookies` is the same sysctl as `net.ipv4.tcp_syncookies`.
pub fn is_safe(name: &str) -> bool {
    let dotted = name.trim().replace('/', ".");
    SAFE.contains(&dotted.as_str())
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        let Some(sc) = spec.get("securityContext") else {
            return;
        };
        for sysctl in sc.get_seq("sysctls") {
            let Some(node) = sysctl.get("name") else {
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            if name.trim().is_empty() || is_safe(name) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "the pods of {} set the sysctl {name}, which is not in Kubernetes' safe set: the kubelet refuses to start them (SysctlForbidden) unless the node's kubelet allows it with --allowed-unsafe-sysctls, and where it runs it can affect other pods on the node",
                        obj.describe()
                    ),
                )
                .with_label("unsafe sysctl")
                .with_help("drop the sysctl, or run the pods on nodes whose kubelet allows it (a dedicated node pool with a taint) and suppress with `# kwire: ignore[KW6008]`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe;

    #[test]
    fn safe_set_with_either_separator() {
        assert!(is_safe("net.ipv4.tcp_syncookies"));
        assert!(is_safe("net/ipv4/ip_local_port_range"));
        assert!(!is_safe("kernel.msgmax"));
        assert!(!is_safe("net.core.somaxconn"));
        assert!(!is_safe("vm.max_map_count"));
    }
}
