//! KW6513 (opt-in): a Role or ClusterRole rule with `*` in `verbs`, in
//! `resources` or in `nonResourceURLs`. One finding per rule.

use super::{role_label, rule_span};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{is_role, rule_list};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6513",
    "rbac-wildcard",
    Security,
    Warning,
    "A Role or ClusterRole rule grants every verb or every resource (`*`)",
    opt_in
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
            let star = |key: &str| rule.get_seq(key).iter().find(|n| n.as_str() == Some("*"));
            let starred: Vec<&str> = ["verbs", "resources", "nonResourceURLs"]
                .into_iter()
                .filter(|k| star(k).is_some())
                .collect();
            let Some(first) = starred.first().and_then(|k| star(k)) else {
                continue;
            };
            let verbs = rule_list(rule, "verbs");
            let urls = !rule.get_seq("nonResourceURLs").is_empty();
            let targets = if urls {
                "the API server's non-resource URLs".to_string()
            } else if starred.contains(&"resources") {
                "every resource of its API groups".to_string()
            } else {
                super::list(&rule_list(rule, "resources"))
            };
            let verbs = if starred.contains(&"verbs") {
                "every verb".to_string()
            } else {
                super::list(&verbs)
            };
            let keys: Vec<String> = starred.iter().map(|k| format!("`{k}`")).collect();
            out.push(
                finding(
                    &META,
                    obj,
                    first.span,
                    format!(
                        "{} grants {verbs} on {targets}, including any added later: `*` in {}",
                        role_label(obj),
                        crate::text::join_names(&keys)
                    ),
                )
                .with_label("wildcard")
                .with_related(obj.file, rule_span(rule), "this rule")
                .with_help("list the verbs and resources the subject needs"),
            );
        }
    }
}
