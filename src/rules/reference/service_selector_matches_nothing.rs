//! KW3002: a Service whose selector matches no pod template in its
//! namespace has no endpoints: every request to it fails.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::no_match::{Intent, evidence};
use crate::rules::{Check, RuleMeta, rule_meta};

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
        let Some(ev) = evidence(obj, catalog, &selector, Intent::SameNameOrFile) else {
            // Nothing in the input shares a label with the selector, and no
            // workload belongs with the Service: its pods are deployed from
            // elsewhere (another repository, a chart, an operator).
            return;
        };
        let message = format!(
            "{} selector {} matches no pod template in namespace \"{ns}\"; the Service has no endpoints",
            obj.describe(),
            selector.describe()
        );
        out.push(ev.finding(&META, obj, service.selector_key_span, message));
    }
}
