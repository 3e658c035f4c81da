//! KW3214: a route's parentRef `sectionName` (or `port`) matches no
//! listener of the Gateway it names (`crate::resolve::gateway_api`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::resolve::gateway_api::{self, GatewayLookup, ListenerProblem};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::quoted_list;

pub static META: RuleMeta = rule_meta!(
    "KW3214",
    "route-parent-listener-missing",
    Reference,
    Error,
    "A route's parentRef sectionName or port matches no listener of the Gateway"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for parent in obj.route_parent_refs() {
            let Some(attachment) = gateway_api::attach(obj, &parent, catalog) else {
                continue;
            };
            let (GatewayLookup::Unique(gateway), Some(problem)) =
                (attachment.lookup, attachment.problem)
            else {
                continue;
            };
            let name = attachment.name;
            let listeners = gateway.gateway_listeners();
            let names = || listeners.iter().filter_map(|l| l.get_str("name"));
            let listeners_span = gateway
                .root
                .path(&["spec", "listeners"])
                .map_or(gateway.anchor_span(), |n| n.span);
            let diagnostic = match problem {
                ListenerProblem::NoSuchSection { wanted, section } => {
                    let help = match crate::text::closest_name(wanted, names()) {
                        Some(near) => format!("did you mean sectionName: {near}?"),
                        None => format!(
                            "listeners of Gateway \"{name}\": {}",
                            quoted_list(names(), 8)
                        ),
                    };
                    finding(
                        &META,
                        obj,
                        section.span,
                        format!(
                            "{} attaches to listener \"{wanted}\" of Gateway \"{name}\", which has no such listener; the route is not accepted (NoMatchingParent)",
                            obj.describe()
                        ),
                    )
                    .with_label("no such listener")
                    .with_related(gateway.file, listeners_span, "the Gateway's listeners")
                    .with_help(help)
                }
                ListenerProblem::PortDiffers {
                    wanted,
                    port,
                    port_node,
                    listener,
                } => finding(
                    &META,
                    obj,
                    port_node.span,
                    format!(
                        "{} attaches to listener \"{wanted}\" of Gateway \"{name}\" on port {port}, but that listener listens on {}",
                        obj.describe(),
                        listener
                            .get("port")
                            .and_then(Node::as_i64)
                            .map_or("no port".to_string(), |p| format!("port {p}"))
                    ),
                )
                .with_label("listener port differs")
                .with_related(gateway.file, listener.span, "the listener")
                .with_help("drop port: from the parentRef, or set it to the listener's port"),
                ListenerProblem::NoListenerOnPort { port, port_node } => {
                    let ports: Vec<String> = listeners
                        .iter()
                        .filter_map(|l| l.get("port").and_then(Node::as_i64))
                        .map(|p| p.to_string())
                        .collect();
                    finding(
                        &META,
                        obj,
                        port_node.span,
                        format!(
                            "{} attaches to Gateway \"{name}\" on port {port}, but no listener of the Gateway listens on it (ports: {})",
                            obj.describe(),
                            if ports.is_empty() { "none".to_string() } else { ports.join(", ") }
                        ),
                    )
                    .with_label("no listener on this port")
                    .with_related(gateway.file, listeners_span, "the Gateway's listeners")
                    .with_help("set port: to a listener's port, or drop it to attach to every listener")
                }
            };
            out.push(diagnostic);
        }
    }
}
