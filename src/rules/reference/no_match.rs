//! Shared by the "selector matches nothing" rules (KW3002, KW3004, KW3005,
//! and KW3201 through KW3002): a selector that matches no pod template is
//! only reported when the input shows the pods were meant to be there.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::kinds::is_workload;
use crate::model::selector::{Selector, describe_labels};
use crate::resolve::scope::same_directory;
use crate::rules::{RuleMeta, finding};
use crate::source::{FileId, Span};

/// Why kwire believes the selector should have matched something.
pub struct Evidence {
    /// Appended to the message (a match in another namespace).
    pub suffix: Option<String>,
    /// What kwire compared against; `None` in a closed world with nothing alike.
    pub related: Option<(FileId, Span, String)>,
    pub help: String,
}

impl Evidence {
    /// The finding at `span` (the selector key): `message` (completed with
    /// the evidence's suffix), the evidence as related span, and its fix.
    pub fn finding(
        self,
        meta: &'static RuleMeta,
        obj: &Object,
        span: Span,
        mut message: String,
    ) -> Diagnostic {
        if let Some(s) = &self.suffix {
            message.push_str(s);
        }
        let mut diag = finding(meta, obj, span, message).with_label("matches nothing");
        if let Some((file, related, label)) = self.related {
            diag = diag.with_related(file, related, label);
        }
        diag.with_help(self.help)
    }
}

impl Evidence {
    /// A pod template that differs from the selector by a slip.
    fn near_miss(
        entry: &crate::catalog::TemplateEntry<'_>,
        owner: &Object,
        differing: &str,
    ) -> Self {
        Evidence {
            suffix: None,
            related: Some((
                owner.file,
                entry.template.labels_span(),
                format!(
                    "closest pod template ({})",
                    describe_labels(&entry.template.labels)
                ),
            )),
            help: format!(
                "{} has {differing}; make the selector and the pod template labels agree",
                owner.describe()
            ),
        }
    }
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
    /// A workload with the object's name, or from the object's file, in its
    /// namespace (a Service is written beside the workload it fronts).
    SameNameOrFile,
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
    // A Service's findings say "Service"; other objects' say "selector".
    let service = obj.kind() == "Service";
    // A peer selector naming pods of another namespace is only evidence
    // when those pods are defined beside the policy.
    let found = if let Some((entry, owner)) = catalog
        .templates_matching_elsewhere(ns, selector)
        .into_iter()
        .filter_map(|e| catalog.object(e.object).map(|o| (e, o)))
        .find(|(_, o)| intent != Intent::None || same_directory(catalog, obj.file, o.file))
    {
        let (rule, moved) = if service {
            (
                "a Service only selects pods".to_string(),
                "the Service".to_string(),
            )
        } else {
            ("a selector only matches pods".to_string(), obj.describe())
        };
        Evidence {
            suffix: Some(format!(
                "; {} in namespace \"{}\" matches, but {rule} in its own namespace",
                owner.describe(),
                owner.namespace()
            )),
            related: Some((
                owner.file,
                entry.template.labels_span(),
                "pod template in another namespace".to_string(),
            )),
            help: format!(
                "move {moved} to namespace \"{}\", or the workload to \"{ns}\"",
                owner.namespace()
            ),
        }
    } else if let Some((entry, owner, differing)) =
        closest_template(catalog, ns, &selector.match_labels)
    {
        Evidence::near_miss(entry, owner, &differing)
    } else if let Some(partner) = match intent {
        Intent::SameName => same_name_workload(obj, catalog),
        Intent::SameNameOrFile => same_name_or_file_workload(obj, catalog),
        Intent::None => None,
    } {
        Evidence {
            suffix: None,
            related: Some((
                partner.file,
                partner.anchor_span(),
                if service {
                    "the workload this Service seems meant for"
                } else {
                    "the workload this seems meant for"
                }
                .to_string(),
            )),
            help: format!(
                "give the pod template of {} the labels {}, or select the labels it has",
                partner.describe(),
                selector.describe()
            ),
        }
    } else if crate::policy::closed_for(catalog, obj) {
        // A closed world: no pod the input defines has these labels, and
        // nothing else will create one.
        Evidence {
            suffix: Some(
                "; no pod template of the unit (or a unit applied beside it) has these labels"
                    .to_string(),
            ),
            related: None,
            help: format!(
                "give a workload in namespace \"{ns}\" the labels {}, or fix the selector",
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

pub use crate::resolve::network_policy::namespace_selected;

/// The evidence policy for a NetworkPolicy peer with a `namespaceSelector`
/// whose `podSelector` matches no pod template in the namespaces it selects
/// (the caller checked that). Like `evidence` with `Intent::None`: the pods
/// exist, defined beside the policy with an explicit namespace, in a
/// namespace the namespaceSelector does not select; or a pod template of a
/// selected namespace carries part of the selector and the rest differs by
/// a slip. Otherwise the pods come from elsewhere: `None`.
pub fn peer_evidence(
    obj: &Object,
    catalog: &Catalog<'_>,
    pod_selector: &Selector<'_>,
    namespace_selector: &Selector<'_>,
) -> Option<Evidence> {
    let unselected = catalog
        .templates_matching_anywhere(pod_selector)
        .into_iter()
        .filter_map(|e| catalog.object(e.object).map(|o| (e, o)))
        .find(|(_, o)| {
            crate::rules::reference::object_refs::explicit_namespace(o)
                && same_directory(catalog, obj.file, o.file)
                && namespace_selected(catalog, namespace_selector, o.namespace()) == Some(false)
        });
    let found = if let Some((entry, owner)) = unselected {
        let other = owner.namespace();
        Evidence {
            suffix: Some(format!(
                "; {} in namespace \"{other}\" matches, but the namespaceSelector {} does not select namespace \"{other}\"",
                owner.describe(),
                describe_or_all(namespace_selector),
            )),
            related: Some((
                owner.file,
                entry.template.labels_span(),
                "pod template in a namespace the peer does not select".to_string(),
            )),
            help: format!(
                "make the namespaceSelector select namespace \"{other}\" (every namespace has the label kubernetes.io/metadata.name={other}), or fix the podSelector"
            ),
        }
    } else if let Some((entry, owner, differing)) = catalog
        .template_namespaces()
        .into_iter()
        .filter(|ns| namespace_selected(catalog, namespace_selector, ns) == Some(true))
        .find_map(|ns| closest_template(catalog, ns, &pod_selector.match_labels))
    {
        if operator_managed_in(owner.namespace(), catalog, pod_selector) {
            return None;
        }
        Evidence::near_miss(entry, owner, &differing)
    } else if crate::policy::closed_for(catalog, obj) {
        // A closed world: no pod of the selected namespaces has the labels.
        Evidence {
            suffix: Some(
                "; no pod template of the unit (or a unit applied beside it) in the namespaces it selects has these labels"
                    .to_string(),
            ),
            related: None,
            help: format!(
                "give a workload the labels {}, or fix the podSelector or namespaceSelector",
                pod_selector.describe()
            ),
        }
    } else {
        return None;
    };
    Some(found)
}

fn describe_or_all(selector: &Selector<'_>) -> String {
    if selector.is_empty() {
        "{} (every namespace)".to_string()
    } else {
        selector.describe()
    }
}

/// A workload named like the object, in its namespace (a PodDisruptionBudget
/// "web" for the Deployment "web").
fn same_name_workload<'a>(obj: &Object, catalog: &Catalog<'a>) -> Option<&'a Object> {
    catalog
        .named_in_namespace(obj.namespace(), obj.name())
        .find(|o| is_workload(o.kind()))
}

/// A workload that evidently belongs with the object: same name and
/// namespace, or defined in the same file and namespace.
fn same_name_or_file_workload<'a>(service: &Object, catalog: &Catalog<'a>) -> Option<&'a Object> {
    // Indexes, not namespace scans: this runs for every failing selector.
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
fn operator_managed(service: &Object, catalog: &Catalog<'_>, selector: &Selector<'_>) -> bool {
    operator_managed_in(service.namespace(), catalog, selector)
}

fn operator_managed_in(ns: &str, catalog: &Catalog<'_>, selector: &Selector<'_>) -> bool {
    catalog.custom_resources_in(ns).any(|cr| {
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
fn closest_template<'c, 'a>(
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
