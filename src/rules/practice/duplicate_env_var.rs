//! KW5002: one container defines the same environment variable twice in
//! `env`. The API server accepts it (newer versions warn); the last entry
//! wins, so the first is dead and a reader is misled.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW5002",
    "duplicate-env-var",
    Practice,
    Warning,
    "A container defines the same environment variable twice; only the last one takes effect"
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
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for var in c.node.get_seq("env") {
                let Some(name_node) = var.get("name") else {
                    continue;
                };
                let Some(name) = name_node.as_str() else {
                    continue;
                };
                let Some(&first) = seen.get(name) else {
                    seen.insert(name, name_node.span);
                    continue;
                };
                // Later entries win: the one this finding points at is the
                // value the container gets, the earlier ones are ignored.
                seen.insert(name, name_node.span);
                out.push(
                    finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "{} of {} sets {name} again: the container gets only this last value, and the earlier entry is silently ignored",
                            container_label(&c),
                            obj.describe()
                        ),
                    )
                    .with_label("defined again")
                    .with_related(obj.file, first, format!("earlier {name}, ignored"))
                    .with_help(format!("keep one `{name}` entry in `env`")),
                );
            }
        }
    }
}
