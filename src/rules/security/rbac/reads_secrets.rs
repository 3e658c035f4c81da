//! KW6514: a Role or ClusterRole rule that grants get, list or watch on
//! every Secret of its scope (no `resourceNames`).

use super::{role_label, rule_span};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{grants, is_role};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6514",
    "rbac-reads-secrets",
    Security,
    Warning,
    "A Role or ClusterRole can read every Secret of its scope (get, list or watch on secrets)",
    opt_in
);

pub struct Rule;

pub const READ: &[&str] = &["get", "list", "watch"];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_role(obj) {
            return;
        }
        let scope = if obj.kind() == "Role" {
            format!("namespace \"{}\"", obj.namespace())
        } else {
            "every namespace it is bound for".to_string()
        };
        for rule in obj.root.get_seq("rules") {
            if !grants(rule, READ, "secrets") {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    rule_span(rule),
                    format!(
                        "{} can read every Secret of {scope}: tokens, passwords and keys of other applications too",
                        role_label(obj)
                    ),
                )
                .with_label("reads secrets")
                .with_help("list the Secrets it needs in `resourceNames`, or mount them into the pod instead of reading them through the API"),
            );
        }
    }
}
