//! KW5501: a namespace whose ResourceQuota limits `requests.cpu`,
//! `limits.memory` (etc.) rejects a pod whose container does not set that
//! request or limit, unless a LimitRange of the namespace defaults it.

use super::{
    container_anchor, container_limits, containers, in_namespace, rejected, resource_entry,
};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5501",
    "quota-requires-resources",
    Practice,
    Error,
    "A container lacks a request or limit that its namespace's ResourceQuota tracks; the API server rejects the pod"
);

pub struct Rule;

/// Quota keys a container must set, as (quota key, `requests`/`limits`, resource).
const TRACKED: &[(&str, &str, &str)] = &[
    ("cpu", "requests", "cpu"),
    ("requests.cpu", "requests", "cpu"),
    ("limits.cpu", "limits", "cpu"),
    ("memory", "requests", "memory"),
    ("requests.memory", "requests", "memory"),
    ("limits.memory", "limits", "memory"),
    ("ephemeral-storage", "requests", "ephemeral-storage"),
    (
        "requests.ephemeral-storage",
        "requests",
        "ephemeral-storage",
    ),
    ("limits.ephemeral-storage", "limits", "ephemeral-storage"),
];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.pod_template().is_none() {
            return;
        }
        let ns = obj.namespace();
        let quotas = in_namespace(catalog, "ResourceQuota", ns);
        if quotas.is_empty() {
            return;
        }
        let limit_ranges = in_namespace(catalog, "LimitRange", ns);
        // A LimitRange that defaults the value supplies it.
        let defaulted = |kind: &str, resource: &str| {
            limit_ranges
                .iter()
                .flat_map(|lr| container_limits(lr))
                .any(|l| {
                    let keys: &[&str] = if kind == "requests" {
                        &["defaultRequest", "default", "max"]
                    } else {
                        &["default", "max"]
                    };
                    keys.iter().any(|k| l.path(&[k, resource]).is_some())
                })
        };
        let all = containers(obj);
        for quota in &quotas {
            let Some(spec) = quota.root.get("spec") else {
                continue;
            };
            // Scoped quotas apply to some pods only (BestEffort, a PriorityClass...).
            if !spec.get_seq("scopes").is_empty() || spec.get("scopeSelector").is_some() {
                continue;
            }
            for hard in spec.get_map("hard") {
                let Some(key) = hard.key.as_str() else {
                    continue;
                };
                let Some(&(_, kind, resource)) = TRACKED.iter().find(|(k, _, _)| *k == key) else {
                    continue;
                };
                if defaulted(kind, resource) {
                    continue;
                }
                for r in &all {
                    // A request defaults to the limit when only the limit is set.
                    let set = resource_entry(r.limits, resource).is_some()
                        || (kind == "requests" && resource_entry(r.requests, resource).is_some());
                    if set {
                        continue;
                    }
                    out.push(
                        finding(
                            &META,
                            obj,
                            container_anchor(&r.container),
                            format!(
                                "{} of {} sets no {resource} {}, and ResourceQuota \"{}\" of namespace \"{ns}\" tracks {key}: {} (\"must specify {key}\")",
                                container_label(&r.container),
                                obj.describe(),
                                if kind == "requests" { "request" } else { "limit" },
                                quota.name(),
                                rejected(obj),
                            ),
                        )
                        .with_label(format!("no {resource} {}", if kind == "requests" { "request" } else { "limit" }))
                        .with_related(quota.file, hard.key.span, format!("quota on {key}"))
                        .with_help(format!(
                            "set resources.{kind}.{resource} on every container, or add a LimitRange with a default for it to namespace \"{ns}\""
                        )),
                    );
                }
            }
        }
    }
}
