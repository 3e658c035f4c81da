//! KW4005 (a destination port that is not a port of the Service) and KW4006
//! (no port given for a multi-port Service behind a gateway).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{Target, binds_mesh, destinations, gateway_names, is_kind};
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static PORT_NOT_FOUND: RuleMeta = rule_meta!(
    "KW4005",
    "istio-destination-port-not-found",
    Istio,
    Error,
    "A VirtualService destination port is not a port of the destination Service or ServiceEntry"
);

pub static PORT_REQUIRED: RuleMeta = rule_meta!(
    "KW4006",
    "istio-destination-port-required",
    Istio,
    Warning,
    "A gateway-bound VirtualService routes to a multi-port Service without saying which port"
);

/// `(port, name, targetPort text)` of a Service or ServiceEntry.
fn ports(target: &Object) -> Vec<(i64, Option<&str>, Option<String>)> {
    let (key, number) = if target.kind() == "Service" {
        ("ports", "port")
    } else {
        ("ports", "number")
    };
    target
        .root
        .path(&["spec", key])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| {
            Some((
                p.get(number)?.as_i64()?,
                p.get_str("name"),
                p.get("targetPort").and_then(Node::scalar_text),
            ))
        })
        .collect()
}

fn describe_ports(ports: &[(i64, Option<&str>, Option<String>)]) -> String {
    ports
        .iter()
        .map(|(n, name, _)| match name {
            Some(name) => format!("{n} ({name})"),
            None => n.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub struct PortNotFound;
pub struct PortRequired;

impl Check for PortNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &PORT_NOT_FOUND
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let index = catalog.istio();
        for d in destinations(obj) {
            let (Some(host), Some(port)) = (d.host, d.port) else {
                continue;
            };
            let Some(number) = port.as_i64() else {
                continue;
            };
            let target = match index.resolve_destination(host.host, obj, catalog) {
                Target::Service(t) | Target::ServiceEntry(t) => t,
                _ => continue,
            };
            let ports = ports(target);
            if ports.is_empty() || ports.iter().any(|(n, _, _)| *n == number) {
                continue;
            }
            let mut diag = finding(
                &PORT_NOT_FOUND,
                obj,
                port.span,
                format!(
                    "{} routes to {}:{number}, but {} has no port {number} (ports: {})",
                    obj.describe(),
                    host.host,
                    target.describe(),
                    describe_ports(&ports)
                ),
            )
            .with_label("no such port")
            .with_related(target.file, target.anchor_span(), "the destination");
            let by_target = ports
                .iter()
                .find(|(_, _, t)| t.as_deref() == Some(number.to_string().as_str()));
            diag = match (by_target, ports.as_slice()) {
                (Some((n, _, _)), _) => diag.with_help(format!(
                    "{number} is the targetPort (the container's port); a destination names the Service port: `number: {n}`"
                )),
                (None, [(n, _, _)]) => diag.with_help(format!("use `number: {n}`, or drop `port` (the Service has one port)")),
                (None, _) => diag.with_help(format!(
                    "use one of the Service's ports: {}",
                    describe_ports(&ports)
                )),
            };
            out.push(diag);
        }
    }
}

impl Check for PortRequired {
    fn meta(&self) -> &'static RuleMeta {
        &PORT_REQUIRED
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let gateways: Vec<&str> = gateway_names(obj)
            .iter()
            .map(|g| g.host)
            .filter(|g| *g != crate::model::istio::MESH)
            .collect();
        if gateways.is_empty() {
            return;
        }
        let index = catalog.istio();
        for d in destinations(obj) {
            let Some(host) = d.host else {
                continue;
            };
            if d.port.is_some() || d.node.get("port").is_some() {
                continue;
            }
            let target = match index.resolve_destination(host.host, obj, catalog) {
                Target::Service(t) | Target::ServiceEntry(t) => t,
                _ => continue,
            };
            let ports = ports(target);
            if ports.len() < 2 {
                continue;
            }
            let also_mesh = if binds_mesh(obj) {
                " (sidecars use the port of the request; the gateway has none to use)"
            } else {
                ""
            };
            out.push(
                finding(
                    &PORT_REQUIRED,
                    obj,
                    host.span,
                    format!(
                        "{} is bound to gateway {} and routes to {} without a port, but {} has {} ports ({}){also_mesh}; the gateway sends to the port it listens on, which the Service may not have",
                        obj.describe(),
                        gateways.join(", "),
                        host.host,
                        target.describe(),
                        ports.len(),
                        describe_ports(&ports)
                    ),
                )
                .with_label("which port?")
                .with_related(target.file, target.anchor_span(), "the multi-port destination")
                .with_help(format!(
                    "add `port: {{number: {}}}` to the destination (one of {})",
                    ports.first().map_or(0, |p| p.0),
                    describe_ports(&ports)
                )),
            );
        }
    }
}
