//! KW3001: a controller's `spec.selector` must select its own pod template,
//! or the API server rejects the object ("selector does not match template
//! labels").

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::describe_labels;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3001",
    "workload-selector-mismatch",
    Reference,
    Error,
    "A workload's selector does not match the labels of its own pod template"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(sel), Some(template)) = (obj.workload_selector(), obj.pod_template()) else {
            return;
        };
        if sel.selector.is_empty() {
            // An empty selector is its own API error; nothing to compare.
            return;
        }
        if sel.selector.matches(&template.labels) {
            return;
        }
        let missing: Vec<String> = sel
            .selector
            .match_labels
            .iter()
            .filter(|(k, v)| !template.labels.iter().any(|(tk, tv)| tk == k && tv == v))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let labels = if template.labels.is_empty() {
            "no labels".to_string()
        } else {
            format!("labels {}", describe_labels(&template.labels))
        };
        let help = if missing.is_empty() {
            "make the selector's matchExpressions hold for the template labels".to_string()
        } else {
            format!(
                "add {} to spec.template.metadata.labels, or fix the selector",
                missing.join(", ")
            )
        };
        out.push(
            finding(
                &META,
                obj,
                sel.key_span,
                format!(
                    "{} selector {} does not match its own pod template ({labels}); the API server rejects it",
                    obj.describe(),
                    sel.selector.describe()
                ),
            )
            .with_label("selector")
            .with_related(obj.file, template.labels_span(), "pod template labels")
            .with_help(help),
        );
    }
}
