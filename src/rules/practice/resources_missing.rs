//! KW5010 (opt-in): a container without a CPU request, a memory request or
//! a memory limit. Opt-in because most real manifests leave resources to a
//! LimitRange, a values file or an autoscaler; the finding is a review
//! question, not a mistake. A request left out where a limit is set is not
//! missing: Kubernetes defaults the request to the limit.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5010",
    "resources-missing",
    Practice,
    Warning,
    "A container has no CPU request, memory request or memory limit (opt-in)",
    opt_in
);

pub struct Rule;

/// What the missing settings do in the cluster.
fn effect(missing: &[&str]) -> String {
    let no_request = missing.iter().any(|m| m.ends_with("request"));
    let no_limit = missing.contains(&"memory limit");
    let mut parts = Vec::new();
    if no_request {
        parts.push("the scheduler places the pod as if it used nothing of that resource, over-packing nodes, and it is among the first evicted under pressure");
    }
    if no_limit {
        parts.push("without a memory limit one leak can take the memory its neighbours on the node count on");
    }
    parts.join("; ")
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in template.containers() {
            let resources = c.node.get("resources");
            let has = |section: &str, resource: &str| {
                resources
                    .and_then(|r| r.path(&[section, resource]))
                    .is_some_and(|n| !n.is_null())
            };
            let mut missing = Vec::new();
            if !has("requests", "cpu") && !has("limits", "cpu") {
                missing.push("CPU request");
            }
            if !has("requests", "memory") && !has("limits", "memory") {
                missing.push("memory request");
            }
            if !has("limits", "memory") {
                missing.push("memory limit");
            }
            if missing.is_empty() {
                continue;
            }
            let span = c
                .node
                .entry("resources")
                .map(|e| e.key.span)
                .or_else(|| c.node.get("name").map(|n| n.span))
                .unwrap_or(c.node.span);
            let list = match missing.as_slice() {
                [one] => (*one).to_string(),
                [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
                [] => String::new(),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} has no {list}: {}",
                        container_label(&c),
                        obj.describe(),
                        effect(&missing)
                    ),
                )
                .with_label("resources missing")
                .with_help("set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` from what the container uses"),
            );
        }
    }
}
