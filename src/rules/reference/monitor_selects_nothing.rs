//! KW3408: a ServiceMonitor or PodMonitor whose selector and
//! namespaceSelector select no Service / pod of the input, when the input
//! shows what was meant (`crate::resolve::monitors::resolve`, which
//! `kwire graph` reads too).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::monitors::{self, Miss, Namespaces, Resolution};
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
        let Resolution::Missing(miss) = monitors::resolve(catalog, obj, &m) else {
            return;
        };
        let what = if m.pods { "pod" } else { "Service" };
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
        match miss {
            Miss::OtherNamespace(other, span) => {
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
                        span,
                        format!("matching {what} in namespace \"{ns}\""),
                    )
                    .with_help(fix);
            }
            Miss::NearMiss(svc, differing) => {
                diag = diag
                    .with_related(svc.file, svc.anchor_span(), "closest Service")
                    .with_help(format!(
                        "{} has {differing}; make the selector and the Service labels agree",
                        svc.describe()
                    ));
            }
            Miss::PodSelector(svc) => {
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
            }
            Miss::Closed => {
                // A closed world: nothing else will create the target.
                diag = diag.with_help(format!(
                    "give a {what} in {} the labels {sel}, or fix the selector",
                    m.namespaces.describe()
                ));
            }
        }
        out.push(diag);
    }
}
