//! KW3408: a ServiceMonitor or PodMonitor whose selector and
//! namespaceSelector select no Service / pod of the input, when the input
//! shows what was meant.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::monitors::{self, Namespaces};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3408",
    "monitor-selects-nothing",
    Reference,
    Warning,
    "A ServiceMonitor or PodMonitor selects no Service or pod in the namespaces it watches"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(m) = monitors::monitor(obj) else {
            return;
        };
        if m.selector.is_empty() || m.selector.invalid {
            return;
        }
        let what = if m.pods { "pod" } else { "Service" };
        // What the selector matches anywhere, and whether the watched
        // namespaces hold any of it.
        let anywhere: Vec<(&Object, crate::source::Span)> = if m.pods {
            monitors::templates_matching(catalog, &m.selector, &Namespaces::Any)
                .into_iter()
                .filter_map(|e| {
                    catalog
                        .object(e.object)
                        .map(|o| (o, e.template.labels_span()))
                })
                .collect()
        } else {
            monitors::services_matching(catalog, &m.selector, &Namespaces::Any)
                .into_iter()
                .map(|s| (s, s.anchor_span()))
                .collect()
        };
        if anywhere
            .iter()
            .any(|(o, _)| m.namespaces.covers(o.namespace()))
        {
            return;
        }
        let sel = m.selector.describe();
        let mut diag = finding(
            &META,
            obj,
            m.selector_span,
            format!(
                "{} selects no {what} in {} ({sel}); Prometheus gets no targets from it",
                obj.describe(),
                m.namespaces.describe()
            ),
        )
        .with_label("matches nothing");
        if let Some((other, span)) = anywhere
            .iter()
            .find(|(o, _)| crate::rules::reference::object_refs::explicit_namespace(o))
        {
            let ns = other.namespace();
            diag.message.push_str(&format!(
                "; {} matches, but the namespaceSelector does not include \"{ns}\"",
                other.describe()
            ));
            let fix = match &m.namespaces {
                Namespaces::Names(names) if names.as_slice() == [obj.namespace()] => format!(
                    "add `namespaceSelector: {{matchNames: [{ns}]}}` (without it, a monitor only looks in its own namespace)"
                ),
                _ => format!("add \"{ns}\" to spec.namespaceSelector.matchNames"),
            };
            diag = diag
                .with_related(
                    other.file,
                    *span,
                    format!("matching {what} in namespace \"{ns}\""),
                )
                .with_help(fix);
        } else if !m.pods
            && let Some((svc, differing)) = monitors::near_miss(catalog, &m.selector, &m.namespaces)
        {
            diag = diag
                .with_related(svc.file, svc.anchor_span(), "closest Service")
                .with_help(format!(
                    "{} has {differing}; make the selector and the Service labels agree",
                    svc.describe()
                ));
        } else if !m.pods
            && let Some(svc) = monitors::selects_by_pod_selector(catalog, &m.selector)
        {
            diag = diag
                .with_related(
                    svc.file,
                    svc.service().map_or(svc.anchor_span(), |v| v.selector_key_span),
                    "this Service's pod selector fits, but its labels do not",
                )
                .with_help(format!(
                    "a ServiceMonitor matches Services by their metadata.labels, not by the pods they select: add the labels {sel} to {}{}",
                    svc.describe(),
                    if m.namespaces.covers(svc.namespace()) {
                        String::new()
                    } else {
                        format!(" (and deploy it to {})", m.namespaces.describe())
                    }
                ));
        } else if crate::policy::closed_for(catalog, obj)
            && !matches!(&m.namespaces, Namespaces::Names(names)
                if names.iter().all(|n| crate::policy::SYSTEM_NAMESPACES.contains(n)))
        {
            // A closed world: nothing else will create the target.
            diag = diag.with_help(format!(
                "give a {what} in {} the labels {sel}, or fix the selector",
                m.namespaces.describe()
            ));
        } else {
            // Nothing in the input resembles the target: it is deployed
            // from elsewhere (the cluster's kube-dns, an operator's kubelet
            // Service, another repository).
            return;
        }
        out.push(diag);
    }
}
