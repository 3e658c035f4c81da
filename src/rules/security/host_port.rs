//! KW6009: a container port with a `hostPort`. A pod with `hostNetwork: true`
//! is left to KW6003 (the API server sets `hostPort` to `containerPort`
//! there anyway), and `hostPort: 0` means none.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6009",
    "host-port",
    Security,
    Warning,
    "A container port is bound on the node's own address (hostPort)"
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
        let host_network = template
            .spec
            .and_then(|s| s.get("hostNetwork"))
            .and_then(|n| n.as_bool())
            == Some(true);
        if host_network {
            return;
        }
        for c in template.containers() {
            for port in c.ports() {
                let Some(node) = port.node.get("hostPort") else {
                    continue;
                };
                let Some(host_port) = node.as_i64().filter(|p| *p > 0) else {
                    continue;
                };
                let container_port = port
                    .number
                    .map_or_else(String::new, |n| format!(" (container port {n})"));
                out.push(
                    finding(
                        &META,
                        obj,
                        node.span,
                        format!(
                            "{} of {} binds hostPort {host_port}{container_port}: the port opens on the node's own address, outside any Service and NetworkPolicy, and only one such pod fits on each node",
                            container_label(&c),
                            obj.describe()
                        ),
                    )
                    .with_label("host port")
                    .with_help("remove `hostPort` and reach the pods through a Service (NodePort or LoadBalancer if it must be reached from outside); a node agent that needs it can keep it with `# kwire: ignore[KW6009]` and a reason"),
                );
            }
        }
    }
}
