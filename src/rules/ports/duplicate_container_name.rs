//! KW3106: container names must be unique across the containers, init
//! containers and ephemeral containers of a pod; the API server rejects the
//! pod (or the workload's template) otherwise.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3106",
    "duplicate-container-name",
    Reference,
    Error,
    "Two containers of one pod have the same name"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        let mut seen: HashMap<&str, (&str, Span)> = HashMap::new();
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            for container in spec.get_seq(list) {
                let Some(name_node) = container.get("name") else {
                    continue;
                };
                let Some(name) = name_node.as_str() else {
                    continue;
                };
                let Some(&(first_list, first_span)) = seen.get(name) else {
                    seen.insert(name, (list, name_node.span));
                    continue;
                };
                let lists = if first_list == list {
                    format!("both in {list}")
                } else {
                    format!("in {first_list} and {list}")
                };
                out.push(
                    finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "{} has two containers named \"{name}\" ({lists}); the API server rejects the pod spec",
                            obj.describe()
                        ),
                    )
                    .with_label("name used again")
                    .with_related(obj.file, first_span, format!("first container \"{name}\""))
                    .with_help("give every container, init container and ephemeral container of the pod its own name"),
                );
            }
        }
    }
}
