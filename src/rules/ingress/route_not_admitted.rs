//! KW3215: no listener of the parent Gateway admits the route: its
//! `allowedRoutes.namespaces` (`Same` by default, `All`, `Selector`)
//! excludes the route's namespace, or its `allowedRoutes.kinds` (by default
//! the kinds of the listener's protocol) excludes the route's kind.

use std::borrow::Cow;

use super::route_parent_missing::unique_gateway;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::gateway::GROUP;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3215",
    "route-not-admitted",
    Reference,
    Warning,
    "No listener of the parent Gateway admits the route's namespace or kind"
);

/// The label the API server puts on every Namespace.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

pub struct Rule;

/// Why a listener refuses a route (`None`: it admits it, or kwire cannot tell).
fn refusal(
    listener: &Node,
    gateway: &Object,
    route: &Object,
    catalog: &Catalog<'_>,
) -> Option<(String, Span)> {
    let allowed = listener.get("allowedRoutes");
    let listener_name = listener.get_str("name").unwrap_or("?");
    // Kinds first: explicit list, else the protocol's kinds.
    let kinds = allowed.map_or(&[][..], |a| a.get_seq("kinds"));
    if !kinds.is_empty() {
        let ok = kinds.iter().any(|k| {
            k.get_str("kind") == Some(route.kind()) && k.get_str("group").unwrap_or(GROUP) == GROUP
        });
        if !ok {
            let names: Vec<&str> = kinds.iter().filter_map(|k| k.get_str("kind")).collect();
            let span_node = allowed.and_then(|a| a.get("kinds")).unwrap_or(listener);
            return Some((
                format!(
                    "listener \"{listener_name}\" admits only {} routes",
                    names.join(", ")
                ),
                span_node.span,
            ));
        }
    } else if let Some(protocol) = listener.get_str("protocol")
        && !protocol_carries(protocol, route.kind())
    {
        let span_node = listener.get("protocol").unwrap_or(listener);
        return Some((
            format!(
                "listener \"{listener_name}\" speaks {protocol}, which does not carry {}",
                route.kind()
            ),
            span_node.span,
        ));
    }
    let namespaces = allowed.and_then(|a| a.get("namespaces"));
    let from = namespaces.and_then(|n| n.get_str("from")).unwrap_or("Same");
    let route_ns = route.namespace();
    let span_node = namespaces.unwrap_or(listener);
    match from {
        "Same" if route_ns != gateway.namespace() => Some((
            format!(
                "listener \"{listener_name}\" admits routes from its own namespace \"{}\" only (allowedRoutes.namespaces.from: Same{})",
                gateway.namespace(),
                if namespaces.is_none() {
                    ", the default"
                } else {
                    ""
                }
            ),
            span_node.span,
        )),
        "Selector" => {
            let selector_node = namespaces.and_then(|n| n.get("selector"))?;
            let selector = Selector::from_label_selector(selector_node);
            let mut labels: Vec<(&str, Cow<'_, str>)> = vec![(NAME_LABEL, Cow::Borrowed(route_ns))];
            match catalog
                .find("v1", "Namespace", "", route_ns)
                .first()
                .and_then(|&i| catalog.object(i))
            {
                Some(ns_obj) => labels.extend(ns_obj.labels()),
                // Without the Namespace object kwire knows only the name label.
                None => {
                    let keys_known = selector.match_labels.iter().all(|(k, _)| *k == NAME_LABEL)
                        && selector.expressions.iter().all(|r| r.key == NAME_LABEL);
                    if !keys_known {
                        return None;
                    }
                }
            }
            if selector.matches(&labels) {
                None
            } else {
                Some((
                    format!(
                        "listener \"{listener_name}\" admits routes from namespaces matching {}, and namespace \"{route_ns}\" does not match",
                        selector.describe()
                    ),
                    selector_node.span,
                ))
            }
        }
        _ => None,
    }
}

/// Route kinds a listener protocol carries when `allowedRoutes.kinds` is
/// not set. Implementation-specific protocols carry anything.
fn protocol_carries(protocol: &str, kind: &str) -> bool {
    match protocol {
        "HTTP" | "HTTPS" => matches!(kind, "HTTPRoute" | "GRPCRoute"),
        "TLS" => matches!(kind, "TLSRoute" | "TCPRoute"),
        "TCP" => kind == "TCPRoute",
        "UDP" => kind == "UDPRoute",
        _ => true,
    }
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for parent in obj.route_parent_refs() {
            if !parent.is_gateway() {
                continue;
            }
            let Some(name) = parent.name.as_str() else {
                continue;
            };
            let ns = parent.target_namespace(obj.namespace());
            let Some(gateway) = unique_gateway(catalog, ns, name) else {
                continue;
            };
            let section = parent.section_name.and_then(Node::as_str);
            let port = parent.port.and_then(Node::as_i64);
            let candidates: Vec<&Node> = gateway
                .gateway_listeners()
                .iter()
                .filter(|l| section.is_none_or(|s| l.get_str("name") == Some(s)))
                .filter(|l| port.is_none_or(|p| l.get("port").and_then(Node::as_i64) == Some(p)))
                .collect();
            // No listener to attach to is KW3214's finding.
            if candidates.is_empty() {
                continue;
            }
            let mut refusals = Vec::new();
            for listener in &candidates {
                match refusal(listener, gateway, obj, catalog) {
                    Some(r) => refusals.push(r),
                    None => break,
                }
            }
            if refusals.len() != candidates.len() {
                continue;
            }
            let Some((first_reason, first_node)) = refusals.first() else {
                continue;
            };
            let reasons: Vec<&str> = refusals.iter().map(|(r, _)| r.as_str()).collect();
            let help = if first_reason.contains("own namespace")
                || first_reason.contains("namespaces matching")
            {
                format!(
                    "set allowedRoutes.namespaces.from: All (or a Selector that matches \"{}\") on the listener, or move the route to namespace \"{}\"",
                    obj.namespace(),
                    gateway.namespace()
                )
            } else {
                format!(
                    "attach the {} to a listener whose protocol or allowedRoutes.kinds admits it",
                    obj.kind()
                )
            };
            out.push(
                finding(
                    &META,
                    obj,
                    parent.name.span,
                    format!(
                        "{} attaches to Gateway \"{name}\" (namespace {}), but no listener admits it: {}; the route is not accepted (NotAllowedByListeners)",
                        obj.describe(),
                        gateway.namespace(),
                        reasons.join("; ")
                    ),
                )
                .with_label("not admitted by any listener")
                .with_related(gateway.file, *first_node, "the listener's allowedRoutes")
                .with_help(help),
            );
        }
    }
}
