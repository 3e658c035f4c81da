//! KW6002: `securityContext.allowPrivilegeEscalation: true` written out on a
//! container. Leaving it unset is a different, opinionated question (the
//! restricted Pod Security level); this rule reports only the explicit
//! `true`, which someone wrote on purpose or copied.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6002",
    "privilege-escalation-allowed",
    Security,
    Warning,
    "A container sets allowPrivilegeEscalation: true, so its processes can gain more privileges than they started with"
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
            let Some(sc) = c.node.get("securityContext") else {
                continue;
            };
            let Some(node) = sc.get("allowPrivilegeEscalation") else {
                continue;
            };
            if node.as_bool() != Some(true) {
                continue;
            }
            // Privileged implies it; KW6001 already says the bigger thing.
            if sc.get("privileged").and_then(|n| n.as_bool()) == Some(true) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} of {} sets allowPrivilegeEscalation: true: a setuid binary or file capability in the image can give its processes more privileges than the container started with (no_new_privs is off)",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("escalation allowed")
                .with_help("set `allowPrivilegeEscalation: false`; a process that needs to bind a low port needs `capabilities.add: [NET_BIND_SERVICE]`, not escalation"),
            );
        }
    }
}
