//! KW3001: a controller's `spec.selector` must select its own pod template,
//! or the API server rejects the object ("selector does not match template
//! labels").

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::{Operator, Requirement, Selector, describe_labels};
use crate::model::workload::{PodTemplate, WorkloadSelector};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

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
        let culprit = first_unmet(&sel, &template);
        let (span, detail) = match &culprit {
            Some(c) => (c.span, format!(": {}", c.detail)),
            None => (sel.key_span, String::new()),
        };
        let mut diag = finding(
            &META,
            obj,
            span,
            format!(
                "{} selector {} does not match its own pod template ({labels}){detail}; the API server rejects it",
                obj.describe(),
                sel.selector.describe()
            ),
        )
        .with_label(culprit.as_ref().map_or("selector", |c| c.label));
        if let Some(other) = culprit.as_ref().and_then(|c| c.template_span) {
            diag = diag.with_related(obj.file, other, "pod template label");
        } else {
            diag = diag.with_related(obj.file, template.labels_span(), "pod template labels");
        }
        out.push(diag.with_help(help));
    }
}

/// The first requirement of the selector the template does not meet.
struct Unmet {
    /// The `key: value` of `matchLabels`, or the `matchExpressions` item.
    span: Span,
    detail: String,
    label: &'static str,
    /// The template's label with another value, if it has the key.
    template_span: Option<Span>,
}

fn first_unmet(sel: &WorkloadSelector<'_>, template: &PodTemplate<'_>) -> Option<Unmet> {
    let value_of = |key: &str| {
        template
            .labels
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_ref())
    };
    let template_entry = |key: &str| {
        template
            .labels_node
            .and_then(|n| n.entry(key))
            .map(|e| Span {
                start: e.key.span.start,
                end: e.value.span.end,
            })
    };
    // `matchLabels` of a LabelSelector, or the plain map of a
    // ReplicationController.
    let pairs = sel.node.get("matchLabels").unwrap_or(sel.node);
    for (key, want) in &sel.selector.match_labels {
        let have = value_of(key);
        if have == Some(want.as_ref()) {
            continue;
        }
        let span = pairs.entry(key).map_or(sel.key_span, |e| Span {
            start: e.key.span.start,
            end: e.value.span.end,
        });
        return Some(match have {
            Some(have) => Unmet {
                span,
                detail: format!("it requires {key}={want}, and the template has {key}={have}"),
                label: "the template has another value",
                template_span: template_entry(key),
            },
            None => Unmet {
                span,
                detail: format!("it requires {key}={want}, and the template has no label {key}"),
                label: "the template lacks this label",
                template_span: None,
            },
        });
    }
    let req = sel
        .selector
        .expressions
        .iter()
        .find(|r| !single(r).matches(&template.labels))?;
    let what = single(req).describe();
    let detail = match value_of(req.key) {
        None if req.op == Operator::Exists => {
            format!("it requires a label {}, and the template has none", req.key)
        }
        Some(have) => format!(
            "it requires `{what}`, and the template has {}={have}",
            req.key
        ),
        None => format!(
            "it requires `{what}`, and the template has no label {}",
            req.key
        ),
    };
    Some(Unmet {
        span: req.span,
        detail,
        label: "the template does not meet this",
        template_span: template_entry(req.key),
    })
}

/// A selector of one requirement, to test and describe it alone.
fn single<'s>(r: &Requirement<'s>) -> Selector<'s> {
    Selector {
        expressions: vec![r.clone()],
        ..Selector::default()
    }
}
