//! KW3006: a HorizontalPodAutoscaler whose `scaleTargetRef` names no
//! workload in its namespace scales nothing (its status says
//! `FailedGetScale`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest;

pub static META: RuleMeta = rule_meta!(
    "KW3006",
    "hpa-target-not-found",
    Reference,
    Warning,
    "A HorizontalPodAutoscaler's scaleTargetRef names no workload in its namespace"
);

pub struct Rule;

pub use crate::resolve::scale::{SCALABLE, target};

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some((target, api_version, kind, name)) = target(obj) else {
            return;
        };
        let ns = obj.namespace();
        if !catalog.find(api_version, kind, ns, name).is_empty() {
            return;
        }
        let name_span = target.get("name").map_or(target.span, |n| n.span);
        let base = format!(
            "{} scales {kind} \"{name}\", which is not in namespace \"{ns}\"",
            obj.describe()
        );
        // Evidence, strongest first; without any, the target is deployed
        // from elsewhere (a chart, another repository) and kwire stays quiet.
        let elsewhere = catalog
            .find_any_namespace(api_version, kind, name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .find(|o| o.namespace() != ns);
        let other_kind = SCALABLE
            .iter()
            .filter(|(k, _)| *k != kind)
            .find_map(|(k, v)| {
                catalog
                    .find(v, k, ns, name)
                    .first()
                    .and_then(|&i| catalog.object(i))
            });
        let same_kind: Vec<&Object> = catalog
            .in_namespace(ns)
            .filter(|o| o.kind() == kind)
            .collect();
        let near = closest(name, same_kind.iter().map(|o| o.name()))
            .and_then(|n| same_kind.iter().find(|o| o.name() == n).copied());
        let (message, related, help) = if let Some(o) = elsewhere {
            (
                format!(
                    "{base}; {} exists in namespace \"{}\", but an autoscaler only scales workloads of its own namespace",
                    o.describe(),
                    o.namespace()
                ),
                Some(o),
                format!(
                    "move the autoscaler to namespace \"{}\", or the {kind} to \"{ns}\"",
                    o.namespace()
                ),
            )
        } else if let Some(o) = other_kind {
            (
                format!("{base}; {} has that name", o.describe()),
                Some(o),
                format!("set `kind: {}` (apiVersion {})", o.kind(), o.api_version()),
            )
        } else if let Some(o) = near {
            (base, Some(o), format!("did you mean \"{}\"?", o.name()))
        } else if let Some(o) = catalog
            .in_namespace(ns)
            .find(|o| o.file == obj.file && SCALABLE.iter().any(|(k, _)| *k == o.kind()))
        {
            let names: Vec<String> = same_kind
                .iter()
                .take(5)
                .map(|o| format!("\"{}\"", o.name()))
                .collect();
            let help = if names.is_empty() {
                format!(
                    "{} is defined beside it; point scaleTargetRef at it",
                    o.describe()
                )
            } else {
                format!("{kind}s in namespace \"{ns}\": {}", names.join(", "))
            };
            (base, Some(o), help)
        } else if crate::policy::report_missing(catalog, obj, kind, ns, name) {
            (
                base,
                None,
                crate::policy::missing_help(kind, ns, name, None),
            )
        } else {
            return;
        };
        let mut diag = finding(&META, obj, name_span, message).with_label("no such workload");
        if let Some(o) = related {
            diag = diag.with_related(o.file, o.anchor_span(), o.describe());
        }
        out.push(diag.with_help(help));
    }
}
