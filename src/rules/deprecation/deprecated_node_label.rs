//! KW2007: a pod's nodeSelector or node affinity names a node label by its
//! deprecated beta name (`beta.kubernetes.io/os`,
//! `failure-domain.beta.kubernetes.io/zone`, ...).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::deprecation::renamed_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2007",
    "deprecated-node-label",
    Deprecation,
    Warning,
    "A nodeSelector or node affinity uses a deprecated beta node label"
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
        let text = crate::rules::fixable::source(catalog, obj);
        let selector = spec.get_map("nodeSelector");
        let mut keys: Vec<(&Node, &str)> = Vec::new();
        for entry in selector {
            keys.push((&entry.key, "nodeSelector"));
        }
        let node_affinity = spec.path(&["affinity", "nodeAffinity"]);
        let required = node_affinity
            .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
            .map_or(&[][..], |r| r.get_seq("nodeSelectorTerms"));
        let preferred = node_affinity
            .map_or(&[][..], |a| {
                a.get_seq("preferredDuringSchedulingIgnoredDuringExecution")
            })
            .iter()
            .filter_map(|p| p.get("preference"));
        for term in required.iter().chain(preferred) {
            for expr in term.get_seq("matchExpressions") {
                if let Some(key) = expr.get("key") {
                    keys.push((key, "node affinity"));
                }
            }
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
                    format!("{place} uses node label {label}, deprecated since {since}; nodes carry {new}"),
                )
                .with_label("deprecated label")
                .with_help(format!("write `{new}` instead of `{label}`"))
                .with_fix(rename_fix(&text, selector, node, label, new)),
            );
        }
    }
}

/// The GA name for the beta one. A nodeSelector that has both keeps the
/// GA entry: the beta one is deleted when both want the same value.
fn rename_fix(
    text: &crate::edit::Text<'_>,
    selector: &[crate::parse::Entry],
    node: &Node,
    label: &str,
    new: &str,
) -> Option<crate::edit::Fix> {
    use crate::edit::Fix;
    let own = selector.iter().find(|e| std::ptr::eq(&e.key, node));
    let ga = selector.iter().find(|e| e.key.as_str() == Some(new));
    match (own, ga) {
        (Some(own), Some(ga)) => {
            if !crate::edit::same_content(&own.value, &ga.value) {
                return None;
            }
            Fix::safe(
                format!("delete `{label}`, which repeats `{new}`"),
                text.delete_entry(own).into_iter().collect(),
            )
        }
        _ => Fix::safe(
            format!("write `{new}`"),
            text.replace_scalar(node, new).into_iter().collect(),
        ),
    }
}
