//! KW6103: a container that declares TCP port 22, the SSH port: an SSH
//! server inside a container, reachable by whatever selects the pod.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6103",
    "ssh-port-exposed",
    Security,
    Warning,
    "A container exposes TCP port 22 (SSH)"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in template.containers() {
            for port in c.ports() {
                if port.number != Some(22) || !port.protocol.eq_ignore_ascii_case("TCP") {
                    continue;
                }
                let span = port
                    .node
                    .get("containerPort")
                    .map_or(port.node.span, |n| n.span);
                out.push(
                    finding(
                        &META,
                        obj,
                        span,
                        format!(
                            "{} of {} exposes port 22: an SSH server in a container is a second way in beside `kubectl exec`, with its own keys to leak and no audit log in the API server",
                            container_label(&c),
                            obj.describe()
                        ),
                    )
                    .with_label("SSH port")
                    .with_help("debug with `kubectl exec` or `kubectl debug` instead of an SSH server; a git server that serves SSH on purpose can keep it with `# kwire: ignore[KW6103]`"),
                );
            }
        }
    }
}
