//! KW5503: a container that requests more of a resource than the default
//! limit a LimitRange of its namespace gives containers without a limit.
//! The default limit is applied below the request, and the API server
//! rejects the pod.

use super::{container_limits, containers, in_namespace, quantity, rejected, resource_entry};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5503",
    "request-above-default-limit",
    Practice,
    Error,
    "A container without a limit requests more than the default limit its namespace's LimitRange applies; the API server rejects the pod"
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
                for d in item.get_map("default") {
                    let Some(resource) = d.key.as_str() else {
                        continue;
                    };
                    let Some((dq, dtext)) = quantity(catalog, lr.file, &d.value) else {
                        continue;
                    };
                    for r in &all {
                        if resource_entry(r.limits, resource).is_some() {
                            continue;
                        }
                        let Some(e) = resource_entry(r.requests, resource) else {
                            continue;
                        };
                        let Some((q, text)) = quantity(catalog, obj.file, &e.value) else {
                            continue;
                        };
                        if q <= dq {
                            continue;
                        }
                        out.push(
                            finding(
                                &META,
                                obj,
                                e.value.span,
                                format!(
                                    "{} of {} requests {text} of {resource} and sets no limit, so LimitRange \"{}\" of namespace \"{ns}\" gives it the default limit {dtext}, below the request: {}",
                                    container_label(&r.container),
                                    obj.describe(),
                                    lr.name(),
                                    rejected(obj),
                                ),
                            )
                            .with_label("request above the default limit")
                            .with_related(lr.file, d.value.span, format!("default {resource} limit {dtext}"))
                            .with_help(format!(
                                "set resources.limits.{resource} to at least {text}, or lower the request"
                            )),
                        );
                    }
                }
            }
        }
    }
}
