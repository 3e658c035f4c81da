//! KW5502: a container whose request or limit is outside the `min`/`max` a
//! LimitRange of its namespace sets for containers: the API server rejects
//! the pod.

use super::{container_limits, containers, in_namespace, quantity, rejected};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5502",
    "limit-range-violation",
    Practice,
    Error,
    "A container's request or limit is outside its namespace's LimitRange min/max; the API server rejects the pod"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.pod_template().is_none() {
            return;
        }
        let ns = obj.namespace();
        let ranges = in_namespace(catalog, "LimitRange", ns);
        if ranges.is_empty() {
            return;
        }
        let all = containers(obj);
        for lr in &ranges {
            for item in container_limits(lr) {
                for (bound, above) in [("max", true), ("min", false)] {
                    for b in item.get_map(bound) {
                        let Some(resource) = b.key.as_str() else {
                            continue;
                        };
                        let Some((bq, btext)) = quantity(catalog, lr.file, &b.value) else {
                            continue;
                        };
                        for r in &all {
                            for (what, map) in [("limit", r.limits), ("request", r.requests)] {
                                let Some(e) = super::resource_entry(map, resource) else {
                                    continue;
                                };
                                let Some((q, text)) = quantity(catalog, obj.file, &e.value) else {
                                    continue;
                                };
                                let outside = if above { q > bq } else { q < bq };
                                if !outside {
                                    continue;
                                }
                                let relation = if above {
                                    "above the maximum"
                                } else {
                                    "below the minimum"
                                };
                                out.push(
                                    finding(
                                        &META,
                                        obj,
                                        e.value.span,
                                        format!(
                                            "{} of {} has a {resource} {what} of {text}, {relation} of {btext} that LimitRange \"{}\" sets for containers in namespace \"{ns}\": {}",
                                            container_label(&r.container),
                                            obj.describe(),
                                            lr.name(),
                                            rejected(obj),
                                        ),
                                    )
                                    .with_label(format!("{what} {relation}"))
                                    .with_related(lr.file, b.value.span, format!("{bound} {resource}: {btext}"))
                                    .with_help(format!(
                                        "keep the {resource} {what} within the LimitRange's {bound} ({btext}), or change the LimitRange"
                                    )),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
