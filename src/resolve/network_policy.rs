//! NetworkPolicies and the pods they isolate: which policies of a namespace
//! select a pod template, whether a policy isolates its pods' ingress, and
//! whether its rules let a given client (its namespace and pod labels) in.
//! KW3004, KW6520–KW6522 and `kwire graph` read policies through here.

use crate::catalog::{Catalog, TemplateEntry};
use crate::model::Object;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::source::Span;

/// Whether a NetworkPolicy peer's `namespaceSelector` selects namespace
/// `ns`: from the labels of a Namespace object of the input plus the
/// automatic `kubernetes.io/metadata.name`; for a namespace the input does
/// not declare, only a selector on `kubernetes.io/metadata.name` alone can
/// tell (`None`: unknown labels, it may be selected).
pub fn namespace_selected(
    catalog: &Catalog<'_>,
    namespace_selector: &Selector<'_>,
    ns: &str,
) -> Option<bool> {
    if namespace_selector.is_empty() {
        return Some(true);
    }
    const NAME: &str = "kubernetes.io/metadata.name";
    let declared = catalog
        .of_kind("Namespace")
        .find(|o| o.api_version() == "v1" && o.name() == ns);
    if let Some(namespace) = declared {
        let mut labels = namespace.labels();
        labels.retain(|(k, _)| *k != NAME);
        labels.push((NAME, std::borrow::Cow::Borrowed(ns)));
        return Some(namespace_selector.matches(&labels));
    }
    let by_name_only = namespace_selector
        .match_labels
        .iter()
        .all(|(k, _)| *k == NAME)
        && namespace_selector.expressions.iter().all(|r| r.key == NAME);
    by_name_only.then(|| namespace_selector.matches(&[(NAME, std::borrow::Cow::Borrowed(ns))]))
}

/// A NetworkPolicy of the input, read for ingress.
pub struct Policy<'a> {
    pub obj: &'a Object,
    /// `spec.podSelector`: the pods the policy applies to.
    pub selector: Selector<'a>,
    /// The policy isolates its pods' ingress (`policyTypes` has `Ingress`,
    /// or is absent).
    pub isolates_ingress: bool,
    /// `spec.ingress`: each rule admits its peers.
    pub ingress: &'a [Node],
}

impl<'a> Policy<'a> {
    /// An ingress policy without rules: nothing may reach its pods.
    pub fn denies_all_ingress(&self) -> bool {
        self.isolates_ingress && self.ingress.is_empty()
    }

    pub fn selects(&self, entry: &TemplateEntry<'_>) -> bool {
        entry.selected_by(&self.selector)
    }
}

fn read(obj: &Object) -> Option<Policy<'_>> {
    if obj.kind() != "NetworkPolicy" || obj.api_version() != "networking.k8s.io/v1" {
        return None;
    }
    let spec = obj.root.get("spec")?;
    let selector = Selector::from_label_selector(spec.get("podSelector")?);
    let types: Vec<&str> = spec
        .get_seq("policyTypes")
        .iter()
        .filter_map(Node::as_str)
        .collect();
    Some(Policy {
        obj,
        selector,
        isolates_ingress: types.is_empty() || types.contains(&"Ingress"),
        ingress: spec.get_seq("ingress"),
    })
}

/// The NetworkPolicies of `namespace`, in input order (by the kind index:
/// a world without policies costs nothing).
pub fn policies_in<'a>(catalog: &Catalog<'a>, namespace: &str) -> Vec<Policy<'a>> {
    catalog
        .of_kind("NetworkPolicy")
        .filter(|o| o.namespace() == namespace)
        .filter_map(read)
        .collect()
}

/// Does any NetworkPolicy exist in the world?
pub fn any(catalog: &Catalog<'_>) -> bool {
    catalog.of_kind("NetworkPolicy").next().is_some()
}

/// Does `policy` let pods of `client` (in namespace `client_ns`) in?
/// `Some(true)` when a rule admits them (on some port), `Some(false)` when
/// no rule can, `None` when kwire cannot tell (an `ipBlock`, a namespace
/// whose labels the input does not show).
pub fn admits(
    catalog: &Catalog<'_>,
    policy: &Policy<'_>,
    client_ns: &str,
    client: &TemplateEntry<'_>,
) -> Option<bool> {
    if !policy.isolates_ingress {
        return Some(true);
    }
    let mut unknown = false;
    for rule in policy.ingress {
        let peers = rule.get_seq("from");
        if peers.is_empty() {
            return Some(true);
        }
        for peer in peers {
            if peer.get("ipBlock").is_some() {
                unknown = true;
                continue;
            }
            let ns_ok = match peer.get("namespaceSelector") {
                Some(sel) => {
                    namespace_selected(catalog, &Selector::from_label_selector(sel), client_ns)
                }
                None => Some(client_ns == policy.obj.namespace()),
            };
            let pod_ok = match peer.get("podSelector") {
                Some(sel) => client.selected_by(&Selector::from_label_selector(sel)),
                None => true,
            };
            match (ns_ok, pod_ok) {
                (Some(true), true) => return Some(true),
                (None, true) => unknown = true,
                _ => {}
            }
        }
    }
    if unknown { None } else { Some(false) }
}

/// The pod templates a pod selector written in a NetworkPolicy of
/// `policy_ns` picks: `spec.podSelector`, or a peer's `podSelector`, in the
/// policy's namespace without a `namespaceSelector`; with one, in every
/// namespace it may select (`namespace_selected` is not `Some(false)`).
/// KW3004 and `kwire graph` both read it.
pub fn templates_selected<'c, 'a>(
    catalog: &'c Catalog<'a>,
    policy_ns: &str,
    pod_selector: &Selector<'_>,
    namespace_selector: Option<&Selector<'_>>,
) -> Vec<&'c TemplateEntry<'a>> {
    match namespace_selector {
        None => catalog.templates_matching(policy_ns, pod_selector),
        Some(ns_selector) => catalog
            .templates_matching_anywhere(pod_selector)
            .into_iter()
            .filter(|e| {
                catalog.object(e.object).is_some_and(|o| {
                    namespace_selected(catalog, ns_selector, o.namespace()) != Some(false)
                })
            })
            .collect(),
    }
}

/// One `from` / `to` peer of a NetworkPolicy rule.
pub struct Peer<'a> {
    /// `ingress` or `egress`.
    pub direction: &'static str,
    /// `spec.ingress[0].from[1]`.
    pub field: String,
    pub node: &'a Node,
    /// `podSelector`: the selector and its key's span.
    pub pod_selector: Option<(Selector<'a>, Span)>,
    /// `namespaceSelector` (`null` is none).
    pub namespace_selector: Option<Selector<'a>>,
    /// `ipBlock`: its `cidr` and `except`.
    pub ip_block: Option<(&'a str, Vec<&'a str>, Span)>,
    /// The rule's `ports`, as `80/TCP`, `8000-8080/TCP`, `http/TCP`; empty:
    /// all ports.
    pub ports: Vec<String>,
}

/// The peers of a NetworkPolicy's ingress and egress rules, in order.
pub fn peers(obj: &Object) -> Vec<Peer<'_>> {
    let mut out = Vec::new();
    let Some(spec) = obj.root.get("spec") else {
        return out;
    };
    for (rules, side) in [("ingress", "from"), ("egress", "to")] {
        for (i, rule) in spec.get_seq(rules).iter().enumerate() {
            let ports: Vec<String> = rule
                .get_seq("ports")
                .iter()
                .map(|p| {
                    let port = p.get("port").map_or_else(
                        || "all".to_string(),
                        |n| {
                            n.as_i64()
                                .map(|v| v.to_string())
                                .or_else(|| n.as_str().map(str::to_string))
                                .unwrap_or_else(|| "?".to_string())
                        },
                    );
                    let port = match p.get("endPort").and_then(Node::as_i64) {
                        Some(end) => format!("{port}-{end}"),
                        None => port,
                    };
                    format!("{port}/{}", p.get_str("protocol").unwrap_or("TCP"))
                })
                .collect();
            for (j, peer) in rule.get_seq(side).iter().enumerate() {
                let ip_block = peer.get("ipBlock").and_then(|b| {
                    let cidr = b.get_str("cidr")?;
                    let except = b
                        .get_seq("except")
                        .iter()
                        .filter_map(Node::as_str)
                        .collect();
                    Some((cidr, except, b.get("cidr").map_or(b.span, |c| c.span)))
                });
                out.push(Peer {
                    direction: rules,
                    field: format!("spec.{rules}[{i}].{side}[{j}]"),
                    node: peer,
                    pod_selector: peer
                        .entry("podSelector")
                        .map(|e| (Selector::from_label_selector(&e.value), e.key.span)),
                    namespace_selector: peer
                        .get("namespaceSelector")
                        .filter(|n| !n.is_null())
                        .map(Selector::from_label_selector),
                    ip_block,
                    ports: ports.clone(),
                });
            }
        }
    }
    out
}
