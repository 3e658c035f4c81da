//! KW3005: a PodDisruptionBudget whose selector matches no pod protects
//! nothing: node drains evict the pods it was meant to keep.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::Selector;
use crate::rules::reference::no_match::{Intent, evidence};
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3005",
    "pdb-selector-matches-nothing",
    Reference,
    Warning,
    "A PodDisruptionBudget's selector matches no pod template in its namespace"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "PodDisruptionBudget" || !obj.api_version().starts_with("policy/") {
            return;
        }
        let Some(entry) = obj.root.get("spec").and_then(|s| s.entry("selector")) else {
            return;
        };
        let selector = Selector::from_label_selector(&entry.value);
        if selector.is_empty() || selector.invalid {
            return;
        }
        let ns = obj.namespace();
        if !catalog.templates_matching(ns, &selector).is_empty() {
            return;
        }
        let Some(ev) = evidence(obj, catalog, &selector, Intent::SameName) else {
            return;
        };
        let message = format!(
            "{} selector {} matches no pod template in namespace \"{ns}\"; the budget protects no pod from eviction",
            obj.describe(),
            selector.describe()
        );
        out.push(ev.finding(&META, obj, entry.key.span, message));
    }
}
