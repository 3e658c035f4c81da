//! KW6007: `securityContext.procMount: Unmasked` on a container.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6007",
    "proc-mount-unmasked",
    Security,
    Warning,
    "A container sets procMount: Unmasked, exposing the kernel files /proc normally hides"
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
            let Some(node) = c.node.path(&["securityContext", "procMount"]) else {
                continue;
            };
            if node.as_str() != Some("Unmasked") {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} of {} sets procMount: Unmasked: the runtime no longer masks or makes read-only the parts of /proc and /sys (/proc/kcore, /proc/sysrq-trigger, ...) that let a container read kernel memory or act on the node",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("unmasked /proc")
                .with_help("remove `procMount: Unmasked` (the default, `Default`, masks them); nested container builds that need it belong in a user-namespaced pod (`hostUsers: false`) and a suppression that says so"),
            );
        }
    }
}
