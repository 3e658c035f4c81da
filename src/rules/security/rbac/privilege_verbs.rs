//! KW6515: a Role or ClusterRole rule that grants `pods/exec` (or
//! `pods/attach`), or the escalation verbs `escalate`, `bind`, `impersonate`.

use super::{role_label, rule_span};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{is_role, rule_list};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6515",
    "rbac-privilege-verbs",
    Security,
    Warning,
    "A Role or ClusterRole grants exec into pods, or escalate, bind or impersonate"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_role(obj) {
            return;
        }
        for rule in obj.root.get_seq("rules") {
            let verbs = rule_list(rule, "verbs");
            let resources = rule_list(rule, "resources");
            let mut found: Vec<String> = Vec::new();
            // `*` verbs and resources are KW6513's; here only what is named.
            for v in ["escalate", "bind", "impersonate"] {
                if verbs.contains(&v) {
                    found.push(format!("`{v}`"));
                }
            }
            for sub in ["pods/exec", "pods/attach"] {
                if resources.contains(&sub)
                    && verbs.iter().any(|v| matches!(*v, "create" | "get" | "*"))
                {
                    found.push(format!("`{sub}`"));
                }
            }
            if found.is_empty() {
                continue;
            }
            let what = crate::text::join_names(&found);
            let exec = found.iter().any(|f| f.starts_with("`pods/"));
            let escalation = found.iter().any(|f| !f.starts_with("`pods/"));
            let mut why = Vec::new();
            if exec {
                why.push("exec and attach run commands inside other pods, with their ServiceAccounts and Secrets");
            }
            if escalation {
                why.push("escalate, bind and impersonate let a subject gain permissions it was not given");
            }
            out.push(
                finding(
                    &META,
                    obj,
                    rule_span(rule),
                    format!("{} grants {what}: {}", role_label(obj), why.join("; ")),
                )
                .with_label(what.clone())
                .with_help(
                    "drop these grants, or keep them in a role bound only to administrators",
                ),
            );
        }
    }
}
