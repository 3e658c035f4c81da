//! KW3002: a Service whose selector matches no pod template in its
//! namespace has no endpoints: every request to it fails.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::kinds::{is_builtin_group, is_workload};
use crate::model::selector::{Selector, describe_labels};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3002",
    "service-selector-matches-nothing",
    Reference,
    Warning,
    "A Service's selector matches no pod template in its namespace"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        let Some(selector) = service.pod_selector() else {
            return;
        };
        let ns = obj.namespace();
        if !catalog.templates_matching(ns, &selector).is_empty() {
            return;
        }
        let sel = selector.describe();
        let mut diag = finding(
            &META,
            obj,
            service.selector_key_span,
            format!("{} selector {sel} matches no pod template in namespace \"{ns}\"; the Service has no endpoints", obj.describe()),
        )
        .with_label("matches nothing");

        // Selectors only match within the namespace: name the match elsewhere.
        let elsewhere = catalog.templates_matching_elsewhere(ns, &selector);
        if let Some(other) = elsewhere
            .first()
            .and_then(|e| catalog.object(e.object).map(|o| (e, o)))
        {
            let (entry, owner) = other;
            diag.message.push_str(&format!(
                "; {} in namespace \"{}\" matches, but a Service only selects pods in its own namespace",
                owner.describe(),
                owner.namespace()
            ));
            diag = diag
                .with_related(
                    owner.file,
                    entry.template.labels_span(),
                    "pod template in another namespace",
                )
                .with_help(format!(
                    "move the Service to namespace \"{}\", or the workload to \"{ns}\"",
                    owner.namespace()
                ));
        } else if let Some((entry, owner, differing)) =
            closest_template(catalog, ns, &selector.match_labels)
        {
            diag = diag
                .with_related(
                    owner.file,
                    entry.template.labels_span(),
                    format!(
                        "closest pod template ({})",
                        describe_labels(&entry.template.labels)
                    ),
                )
                .with_help(format!(
                    "{} has {}; make the selector and the pod template labels agree",
                    owner.describe(),
                    differing
                ));
        } else if let Some(partner) = intended_workload(obj, catalog) {
            diag = diag
                .with_related(
                    partner.file,
                    partner.anchor_span(),
                    "the workload this Service seems meant for",
                )
                .with_help(format!(
                    "give the pod template of {} the labels {sel}, or select the labels it has",
                    partner.describe()
                ));
        } else {
            // Nothing in the input shares a label with the selector, and no
            // workload belongs with the Service: its pods are deployed from
            // elsewhere (another repository, a chart, an operator).
            return;
        }
        if operator_managed(obj, catalog, &selector) {
            return;
        }
        out.push(diag);
    }
}

/// A workload that evidently belongs with the Service: same name and
/// namespace, or defined in the same file and namespace.
fn intended_workload<'a>(service: &Object, catalog: &Catalog<'a>) -> Option<&'a Object> {
    catalog
        .in_namespace(service.namespace())
        .filter(|o| is_workload(o.kind()))
        .find(|o| o.name() == service.name())
        .or_else(|| {
            catalog
                .in_namespace(service.namespace())
                .find(|o| is_workload(o.kind()) && o.file == service.file)
        })
}

/// Operators create pods for their custom resources and label them with the
/// resource's name (`prometheus: k8s`, `app.kubernetes.io/instance: main`)
/// or its labels. If a custom resource in the namespace fits the selector
/// that way, the pods are not in the input: no finding.
pub(crate) fn operator_managed(
    service: &Object,
    catalog: &Catalog<'_>,
    selector: &Selector<'_>,
) -> bool {
    catalog
        .in_namespace(service.namespace())
        .filter(|o| !is_builtin_group(o.api_version()) && o.kind.is_some())
        .any(|cr| {
            let named = selector
                .match_labels
                .iter()
                .any(|(_, v)| v.as_ref() == cr.name());
            let labelled = !selector.match_labels.is_empty() && selector.matches(&cr.labels());
            named || labelled
        })
}

/// The template in `ns` sharing the most `matchLabels` pairs with the
/// selector (at least one), and a description of the pairs that differ.
pub(crate) fn closest_template<'c, 'a>(
    catalog: &'c Catalog<'a>,
    ns: &str,
    wanted: &[(&str, std::borrow::Cow<'_, str>)],
) -> Option<(&'c crate::catalog::TemplateEntry<'a>, &'a Object, String)> {
    let mut best: Option<(usize, &crate::catalog::TemplateEntry<'a>)> = None;
    for (k, v) in wanted {
        let single = crate::model::selector::Selector {
            match_labels: vec![(k, v.clone())],
            ..Default::default()
        };
        for entry in catalog.templates_matching(ns, &single) {
            let shared = wanted
                .iter()
                .filter(|(wk, wv)| {
                    entry
                        .template
                        .labels
                        .iter()
                        .any(|(tk, tv)| tk == wk && tv == wv)
                })
                .count();
            if best.is_none_or(|(n, _)| shared > n) {
                best = Some((shared, entry));
            }
        }
    }
    let (_, entry) = best?;
    let owner = catalog.object(entry.object)?;
    // A near miss is a slip only if each differing label is missing from the
    // template or spelled alike (`frontend` vs `front`). Values far apart
    // (`component=vtctld` vs `component=guestbook`) mean another component
    // of the same app, whose pods are simply not in the input.
    let slip =
        wanted.iter().all(
            |(wk, wv)| match entry.template.labels.iter().find(|(tk, _)| tk == wk) {
                None => true,
                Some((_, tv)) => crate::text::similar(tv, wv),
            },
        );
    if !slip {
        return None;
    }
    let differing: Vec<String> = wanted
        .iter()
        .filter(|(wk, wv)| {
            !entry
                .template
                .labels
                .iter()
                .any(|(tk, tv)| tk == wk && tv == wv)
        })
        .map(
            |(wk, _)| match entry.template.labels.iter().find(|(tk, _)| tk == wk) {
                Some((_, tv)) => format!("{wk}={tv}"),
                None => format!("no label {wk}"),
            },
        )
        .collect();
    Some((entry, owner, differing.join(", ")))
}
