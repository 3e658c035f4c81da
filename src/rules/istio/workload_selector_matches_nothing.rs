//! KW4013: an AuthorizationPolicy, PeerAuthentication, RequestAuthentication,
//! Sidecar, Telemetry, EnvoyFilter or WasmPlugin whose workload selector
//! matches no pod template.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{is_networking, is_security, workload_selector};
use crate::model::selector::describe_labels;
use crate::rules::istio::suggest;
use crate::rules::reference::object_refs::explicit_namespace;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4013",
    "istio-workload-selector-matches-nothing",
    Istio,
    Warning,
    "An Istio policy's workload selector matches no pod template"
);

pub struct Rule;

/// Istio's root namespace (mesh config `rootNamespace`): policies there
/// apply to workloads of every namespace.
const ROOT_NAMESPACE: &str = "istio-system";

fn is_policy(obj: &Object) -> bool {
    (is_security(obj)
        && matches!(
            obj.kind(),
            "AuthorizationPolicy" | "PeerAuthentication" | "RequestAuthentication"
        ))
        || (is_networking(obj) && matches!(obj.kind(), "Sidecar" | "EnvoyFilter"))
        || (obj.api_version().starts_with("telemetry.istio.io/") && obj.kind() == "Telemetry")
        || (obj.api_version().starts_with("extensions.istio.io/") && obj.kind() == "WasmPlugin")
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_policy(obj) {
            return;
        }
        let Some((selector, key_span)) = workload_selector(obj) else {
            return;
        };
        let ns = obj.namespace();
        let root = ns == ROOT_NAMESPACE;
        if !catalog.templates_matching(ns, &selector).is_empty()
            || (root
                && !catalog
                    .templates_matching_elsewhere(ns, &selector)
                    .is_empty())
        {
            return;
        }
        // The pods exist, but in another namespace: a policy only applies to
        // workloads of its own (root namespace aside). Both namespaces are
        // written out, so neither goes wherever it is applied.
        if !root && explicit_namespace(obj) {
            let elsewhere = catalog
                .templates_matching_elsewhere(ns, &selector)
                .into_iter()
                .filter_map(|e| catalog.object(e.object).map(|o| (e, o)))
                .find(|(_, o)| explicit_namespace(o));
            if let Some((entry, owner)) = elsewhere {
                let other = owner.namespace();
                out.push(
                    finding(
                        &META,
                        obj,
                        key_span,
                        format!(
                            "{} selector {} matches no pod template in namespace \"{ns}\"; {} in namespace \"{other}\" matches, but a {} only applies to workloads of its own namespace",
                            obj.describe(),
                            selector.describe(),
                            owner.describe(),
                            obj.kind()
                        ),
                    )
                    .with_label("matches nothing in this namespace")
                    .with_related(
                        owner.file,
                        entry.template.labels_span(),
                        "pod template in another namespace",
                    )
                    .with_help(format!(
                        "move the {} to namespace \"{other}\" (or to the root namespace {ROOT_NAMESPACE} to apply it mesh-wide)",
                        obj.kind()
                    )),
                );
                return;
            }
        }
        // Evidence that the selected pods belong to the input: a pod template
        // in scope carries one of the selector's labels, or one of its keys
        // with a value spelled alike (a near miss). Else the workloads are
        // deployed from elsewhere: stay silent.
        let all = crate::model::selector::Selector::default();
        let mut in_scope = catalog.templates_matching(ns, &all);
        if root {
            in_scope.extend(catalog.templates_matching_elsewhere(ns, &all));
        }
        let score = |labels: &crate::model::selector::Labels<'_>| {
            selector
                .match_labels
                .iter()
                .map(|(k, v)| match labels.iter().find(|(tk, _)| tk == k) {
                    Some((_, tv)) if tv == v => 2,
                    Some((_, tv)) if suggest(v, &[tv.to_string()]).is_some() => 1,
                    _ => 0,
                })
                .sum::<usize>()
        };
        let near = in_scope
            .into_iter()
            .map(|e| (score(&e.template.labels), e))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, _)| *n)
            .map(|(_, e)| e);
        let Some(entry) = near else {
            return;
        };
        let Some(owner) = catalog.object(entry.object) else {
            return;
        };
        let scope = if root {
            "in any namespace (root namespace policy)".to_string()
        } else {
            format!("in namespace \"{ns}\"")
        };
        out.push(
            finding(
                &META,
                obj,
                key_span,
                format!(
                    "{} selector {} matches no pod template {scope}; the {} applies to no workload",
                    obj.describe(),
                    selector.describe(),
                    obj.kind()
                ),
            )
            .with_label("matches nothing")
            .with_related(
                owner.file,
                entry.template.labels_span(),
                format!(
                    "closest pod template ({})",
                    describe_labels(&entry.template.labels)
                ),
            )
            .with_help(format!(
                "{} has {}; make the selector name labels its pods carry",
                owner.describe(),
                differences(&selector, &entry.template.labels)
            )),
        );
    }
}

/// `app=payments (not payment), no label tier` for the selector pairs the
/// template does not satisfy.
fn differences(
    selector: &crate::model::selector::Selector<'_>,
    labels: &crate::model::selector::Labels<'_>,
) -> String {
    let diffs: Vec<String> = selector
        .match_labels
        .iter()
        .filter_map(|(k, v)| match labels.iter().find(|(tk, _)| tk == k) {
            Some((_, tv)) if tv == v => None,
            Some((_, tv)) => Some(format!("{k}={tv} (not {v})")),
            None => Some(format!("no label {k}")),
        })
        .collect();
    if diffs.is_empty() {
        describe_labels(labels)
    } else {
        diffs.join(", ")
    }
}
