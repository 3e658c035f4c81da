//! Shared by the "selector matches nothing" rules (KW3002's evidence
//! approach): a selector that matches no pod template is only reported when
//! the input shows the pods were meant to be there.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::kinds::is_workload;
use crate::model::selector::{Selector, describe_labels};
use crate::rules::reference::service_selector_matches_nothing::{closest, operator_managed};
use crate::rules::scope::same_directory;
use crate::source::{FileId, Span};

/// Why kwire believes the selector should have matched something.
pub struct Evidence {
    /// Appended to the message (a match in another namespace).
    pub suffix: Option<String>,
    pub related: (FileId, Span, String),
    pub help: String,
}

/// `None` when the pods evidently come from outside the input (nothing in
/// the input shares a label with the selector, or an operator's custom
/// resource fits it), so the finding would be a guess.
/// How far "meant for a workload" reaches when no pod template shares a
/// label with the selector.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// A workload with the object's name in its namespace.
    SameName,
    /// No such evidence (a NetworkPolicy peer names someone else's pods).
    None,
}

pub fn evidence(
    obj: &Object,
    catalog: &Catalog<'_>,
    selector: &Selector<'_>,
    intent: Intent,
) -> Option<Evidence> {
    let ns = obj.namespace();
    // A peer selector naming pods of another namespace is only evidence
    // when those pods are defined beside the policy.
    let found = if let Some((entry, owner)) = catalog
        .templates_matching_elsewhere(ns, selector)
        .into_iter()
        .filter_map(|e| catalog.object(e.object).map(|o| (e, o)))
        .find(|(_, o)| intent == Intent::SameName || same_directory(catalog, obj.file, o.file))
    {
        Evidence {
            suffix: Some(format!(
                "; {} in namespace \"{}\" matches, but a selector only matches pods in its own namespace",
                owner.describe(),
                owner.namespace()
            )),
            related: (
                owner.file,
                entry.template.labels_span(),
                "pod template in another namespace".to_string(),
            ),
            help: format!(
                "move {} to namespace \"{}\", or the workload to \"{ns}\"",
                obj.describe(),
                owner.namespace()
            ),
        }
    } else if let Some((entry, owner, differing)) = closest(catalog, ns, &selector.match_labels) {
        Evidence {
            suffix: None,
            related: (
                owner.file,
                entry.template.labels_span(),
                format!(
                    "closest pod template ({})",
                    describe_labels(&entry.template.labels)
                ),
            ),
            help: format!(
                "{} has {differing}; make the selector and the pod template labels agree",
                owner.describe()
            ),
        }
    } else if let Some(partner) = (intent == Intent::SameName)
        .then(|| same_name_workload(obj, catalog))
        .flatten()
    {
        Evidence {
            suffix: None,
            related: (
                partner.file,
                partner.anchor_span(),
                "the workload this seems meant for".to_string(),
            ),
            help: format!(
                "give the pod template of {} the labels {}, or select the labels it has",
                partner.describe(),
                selector.describe()
            ),
        }
    } else {
        return None;
    };
    if operator_managed(obj, catalog, selector) {
        return None;
    }
    Some(found)
}

/// A workload named like the object, in its namespace (a PodDisruptionBudget
/// "web" for the Deployment "web").
fn same_name_workload<'a>(obj: &Object, catalog: &Catalog<'a>) -> Option<&'a Object> {
    catalog
        .in_namespace(obj.namespace())
        .find(|o| is_workload(o.kind()) && o.name() == obj.name())
}
