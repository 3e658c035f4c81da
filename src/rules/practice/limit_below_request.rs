//! KW5003: a container whose limit for a resource is lower than its request
//! for it. The API server rejects the pod ("must be less than or equal to
//! ... limit"), so a workload never gets its pods.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::practice::quantity::Quantity;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5003",
    "limit-below-request",
    Practice,
    Error,
    "A container's resource limit is lower than its request; the API server rejects the pod"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in template.containers() {
            let Some(resources) = c.node.get("resources") else {
                continue;
            };
            let requests = resources.get_map("requests");
            for limit in resources.get_map("limits") {
                let Some(resource) = limit.key.as_str() else {
                    continue;
                };
                let Some(request) = requests.iter().find(|e| e.key.as_str() == Some(resource))
                else {
                    continue;
                };
                // As written, quotes dropped: `129e6` stays `129e6`.
                let text = |n: &crate::parse::Node| {
                    catalog
                        .text(obj.file, n.span)
                        .trim_matches(|c| c == '"' || c == '\'')
                };
                let (lim_text, req_text) = (text(&limit.value), text(&request.value));
                let (Some(lim), Some(req)) = (
                    Quantity::from_node(&limit.value, lim_text),
                    Quantity::from_node(&request.value, req_text),
                ) else {
                    continue;
                };
                if lim >= req {
                    continue;
                }
                out.push(
                    finding(
                        &META,
                        obj,
                        limit.value.span,
                        format!(
                            "{} of {} limits {resource} to {lim_text}, below its request of {req_text}: the API server rejects {}",
                            container_label(&c),
                            obj.describe(),
                            if obj.kind() == "Pod" { "the Pod" } else { "every pod of it, so it never runs one" },
                        ),
                    )
                    .with_label("limit below the request")
                    .with_related(obj.file, request.value.span, format!("request {req_text}"))
                    .with_help(format!(
                        "raise the {resource} limit to at least {req_text}, or lower the request to at most {lim_text}"
                    )),
                );
            }
        }
    }
}
