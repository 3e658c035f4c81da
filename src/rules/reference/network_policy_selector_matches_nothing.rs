//! KW3004: a NetworkPolicy whose `podSelector` matches no pod protects
//! nothing; a `from`/`to` peer whose `podSelector` matches no pod allows
//! nothing — the traffic it was written for stays blocked. A peer without
//! `namespaceSelector` means pods of the policy's namespace; with one, pods
//! of the namespaces it selects (Namespace labels of the input and the
//! automatic `kubernetes.io/metadata.name`; `{}` is every namespace).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::resolve::network_policy;
use crate::rules::reference::no_match::{Intent, evidence, peer_evidence};
use crate::rules::{Check, RuleMeta, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3004",
    "network-policy-selector-matches-nothing",
    Reference,
    Warning,
    "A NetworkPolicy podSelector matches no pod template in its namespace"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "NetworkPolicy" || !obj.api_version().starts_with("networking.k8s.io/") {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        // (where, selector node, key span, the peer's namespaceSelector)
        let mut selectors: Vec<(String, &Node, Span, Option<&Node>)> = Vec::new();
        if let Some(e) = spec.entry("podSelector") {
            selectors.push(("podSelector".to_string(), &e.value, e.key.span, None));
        }
        for (rules, peers) in [("ingress", "from"), ("egress", "to")] {
            for (i, rule) in spec.get_seq(rules).iter().enumerate() {
                for (j, peer) in rule.get_seq(peers).iter().enumerate() {
                    if let Some(e) = peer.entry("podSelector") {
                        selectors.push((
                            format!("{rules}[{i}].{peers}[{j}].podSelector"),
                            &e.value,
                            e.key.span,
                            // `namespaceSelector: null` is no namespaceSelector.
                            peer.get("namespaceSelector").filter(|n| !n.is_null()),
                        ));
                    }
                }
            }
        }
        let ns = obj.namespace();
        for (place, node, key_span, namespaces) in selectors {
            let selector = Selector::from_label_selector(node);
            // `{}` selects every pod of the namespace(s).
            if selector.is_empty() || selector.invalid {
                continue;
            }
            if let Some(ns_node) = namespaces {
                // Pods in the namespaces the namespaceSelector selects.
                let ns_selector = Selector::from_label_selector(ns_node);
                if ns_selector.invalid {
                    continue;
                }
                if !network_policy::templates_selected(catalog, ns, &selector, Some(&ns_selector))
                    .is_empty()
                {
                    continue;
                }
                let Some(ev) = peer_evidence(obj, catalog, &selector, &ns_selector) else {
                    continue;
                };
                let scope = if ns_selector.is_empty() {
                    "in any namespace".to_string()
                } else {
                    format!(
                        "in the namespaces its namespaceSelector {} selects",
                        ns_selector.describe()
                    )
                };
                let message = format!(
                    "{} {place} {} matches no pod template {scope}; this peer allows no traffic",
                    obj.describe(),
                    selector.describe()
                );
                out.push(ev.finding(&META, obj, key_span, message));
                continue;
            }
            if !network_policy::templates_selected(catalog, ns, &selector, None).is_empty() {
                continue;
            }
            let intent = if place == "podSelector" {
                Intent::SameName
            } else {
                Intent::None
            };
            let Some(ev) = evidence(obj, catalog, &selector, intent) else {
                continue;
            };
            let effect = if place == "podSelector" {
                "the policy applies to no pod"
            } else {
                "this peer allows no traffic"
            };
            let message = format!(
                "{} {place} {} matches no pod template in namespace \"{ns}\"; {effect}",
                obj.describe(),
                selector.describe()
            );
            out.push(ev.finding(&META, obj, key_span, message));
        }
    }
}
