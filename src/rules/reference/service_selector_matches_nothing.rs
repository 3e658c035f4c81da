//! KW3002: a Service whose selector matches no pod template in its
//! namespace has no endpoints: every request to it fails.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::kinds::is_workload;
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
        if service.service_type == "ExternalName" {
            return;
        }
        let Some(selector) = service.selector() else {
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
        } else if let Some((entry, owner, differing)) = closest(catalog, ns, &selector.match_labels)
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
    let ns = service.namespace();
    catalog
        .named_in_namespace(ns, service.name())
        .find(|o| is_workload(o.kind()))
        .or_else(|| {
            catalog
                .in_file(service.file)
                .find(|o| is_workload(o.kind()) && o.namespace() == ns)
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
    catalog.custom_resources_in(service.namespace()).any(|cr| {
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
pub(crate) fn closest<'c, 'a>(
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
                Some((_, tv)) => similar(tv, wv),
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

/// Spelled alike: one is a prefix of the other, or few edits apart.
pub(crate) fn similar(a: &str, b: &str) -> bool {
    if a.starts_with(b) || b.starts_with(a) {
        return true;
    }
    let longest = a.chars().count().max(b.chars().count());
    edit_distance(a, b) <= (longest / 3).max(2)
}

/// Levenshtein distance over characters (label values are at most 63).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != *cb))
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_values_are_slips() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert!(similar("frontend", "front"));
        assert!(similar("web", "webb"));
        assert!(similar("checkout", "chekout"));
        assert!(!similar("vtctld", "guestbook"));
    }
}
