//! KW2008: a pod (anti-)affinity term or topology spread constraint spreads
//! over a deprecated beta node label (`failure-domain.beta.kubernetes.io/zone`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::deprecation::renamed_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2008",
    "deprecated-topology-key",
    Deprecation,
    Warning,
    "A topologyKey names a deprecated beta node label"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let target = catalog.settings().kube_version;
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        let mut keys: Vec<(&Node, &str)> = Vec::new();
        for (kind, place) in [
            ("podAffinity", "pod affinity"),
            ("podAntiAffinity", "pod anti-affinity"),
        ] {
            let Some(aff) = spec.path(&["affinity", kind]) else {
                continue;
            };
            for term in aff.get_seq("requiredDuringSchedulingIgnoredDuringExecution") {
                keys.extend(term.get("topologyKey").map(|k| (k, place)));
            }
            for weighted in aff.get_seq("preferredDuringSchedulingIgnoredDuringExecution") {
                keys.extend(
                    weighted
                        .path(&["podAffinityTerm", "topologyKey"])
                        .map(|k| (k, place)),
                );
            }
        }
        for c in spec.get_seq("topologySpreadConstraints") {
            keys.extend(
                c.get("topologyKey")
                    .map(|k| (k, "topology spread constraint")),
            );
        }
        for (node, place) in keys {
            let Some(label) = node.as_str() else {
                continue;
            };
            let Some((new, since)) = renamed_label(label, target) else {
                continue;
            };
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{place} topologyKey {label} is deprecated since {since}; nodes carry {new}"
                    ),
                )
                .with_label("deprecated label")
                .with_help(format!("write `topologyKey: {new}`"))
                .with_fix(crate::edit::Fix::safe(
                    format!("write `{new}`"),
                    crate::rules::fixable::source(catalog, obj)
                        .replace_scalar(node, new)
                        .into_iter()
                        .collect(),
                )),
            );
        }
    }
}
