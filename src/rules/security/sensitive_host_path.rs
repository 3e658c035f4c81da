//! KW6004: a hostPath volume of a node directory or socket that hands the
//! node to whoever runs in the pod: `/`, `/etc`, `/proc`, `/sys`, the
//! kubelet's directory, the container runtime's socket. Subdirectories
//! (`/etc/ssl/certs`, `/var/lib/kubelet/pods`) are not reported: node
//! agents mount those for narrow reasons.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6004",
    "sensitive-host-path",
    Security,
    Warning,
    "A hostPath volume mounts a sensitive node path (/, /etc, /proc, /sys, the kubelet directory, the container runtime socket)"
);

pub struct Rule;

/// What mounting `path` gives the pod, if it is sensitive.
pub fn sensitivity(path: &str) -> Option<&'static str> {
    let mut norm = String::with_capacity(path.len());
    for part in path
        .trim()
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
    {
        norm.push('/');
        norm.push_str(part);
    }
    if !path.trim().starts_with('/') {
        return None;
    }
    Some(match norm.as_str() {
        "" => "the node's whole file system",
        "/etc" => {
            "the node's configuration, including its credentials and the kubelet's kubeconfig"
        }
        "/proc" => "every process on the node, their memory maps and environments",
        "/sys" => "the node's kernel and device settings",
        "/var/lib/kubelet" => "the kubelet's state, including every pod's Secret and token volumes",
        "/var/run/docker.sock" | "/run/docker.sock" => {
            "the Docker daemon: whoever talks to it can start a privileged container on the node"
        }
        "/var/run/containerd/containerd.sock" | "/run/containerd/containerd.sock" => {
            "containerd: whoever talks to it can start a privileged container on the node"
        }
        "/var/run/crio/crio.sock" | "/run/crio/crio.sock" => {
            "CRI-O: whoever talks to it can start a privileged container on the node"
        }
        _ => return None,
    })
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        for volume in spec.get_seq("volumes") {
            let Some(node) = volume.path(&["hostPath", "path"]) else {
                continue;
            };
            let Some(path) = node.as_str() else {
                continue;
            };
            let Some(effect) = sensitivity(path) else {
                continue;
            };
            let name = volume.get_str("name").unwrap_or("(unnamed)");
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "volume \"{name}\" of {} mounts the node's {path}: the pod gets {effect}",
                        obj.describe()
                    ),
                )
                .with_label("sensitive host path")
                .with_help("mount only the narrow path the pod needs (read-only), or use a ConfigMap, Secret or emptyDir; a node agent that needs it can keep it with `# kwire: ignore[KW6004]` and a reason"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sensitivity;

    #[test]
    fn exact_paths_only() {
        assert!(sensitivity("/").is_some());
        assert!(sensitivity("//").is_some());
        assert!(sensitivity("/etc/").is_some());
        assert!(sensitivity("/var/run/docker.sock").is_some());
        assert!(sensitivity("/etc/ssl/certs").is_none());
        assert!(sensitivity("/var/lib/kubelet/pods").is_none());
        assert!(sensitivity("/data").is_none());
        assert!(sensitivity("etc").is_none());
        assert!(sensitivity("").is_none());
    }
}
