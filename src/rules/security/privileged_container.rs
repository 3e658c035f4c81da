//! KW6001: `securityContext.privileged: true` on a container.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6001",
    "privileged-container",
    Security,
    Warning,
    "A container runs privileged: root on the node, with every device and capability"
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
            let Some(node) = c.node.path(&["securityContext", "privileged"]) else {
                continue;
            };
            if node.as_bool() != Some(true) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} of {} is privileged: it gets every Linux capability and the node's devices, and escaping to the node from it is trivial",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("privileged")
                .with_help("remove `privileged: true` and add only the capabilities the container needs (`capabilities.add`); a node agent that truly needs it can keep it with a `# kwire: ignore[KW6001]` comment saying why"),
            );
        }
    }
}
