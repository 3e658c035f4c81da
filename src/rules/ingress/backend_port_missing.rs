//! KW3202: an Ingress backend's port (number or name) is not a port of the
//! Service it names.

use super::{describe_ports, route_text, service_takes_port};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::ingress::PortRef;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3202",
    "ingress-backend-port-missing",
    Reference,
    Error,
    "An Ingress backend's port is not a port of the Service it routes to"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let ns = obj.namespace();
        for backend in obj.ingress_backends() {
            let Some(name) = backend.service_name.and_then(Node::as_str) else {
                continue;
            };
            let Some((port, port_span)) = &backend.port else {
                continue;
            };
            let Some(svc) = catalog
                .find("v1", "Service", ns, name)
                .first()
                .and_then(|&i| catalog.object(i))
            else {
                continue;
            };
            if service_takes_port(catalog, ns, name, port) {
                continue;
            }
            let (what, fix) = match port {
                PortRef::Number(n) => (format!("port {n}"), hint_number(svc, *n, catalog)),
                PortRef::Name(s) => (format!("port named \"{s}\""), hint_name(svc, s)),
            };
            let spec_ports = svc
                .root
                .path(&["spec", "ports"])
                .map_or(svc.anchor_span(), |n| n.span);
            out.push(
                finding(
                    &META,
                    obj,
                    *port_span,
                    format!(
                        "{} routes {} to Service \"{name}\" {what}, but the Service has no such port (its ports: {})",
                        obj.describe(),
                        route_text(&backend),
                        describe_ports(svc)
                    ),
                )
                .with_label("not a port of the Service")
                .with_related(svc.file, spec_ports, "the Service's ports")
                .with_help(fix),
            );
        }
    }
}

/// The fix for a port number the Service does not expose.
fn hint_number(svc: &Object, n: i64, catalog: &Catalog<'_>) -> String {
    let Some(view) = svc.service() else {
        return String::new();
    };
    // Or the container port behind a named targetPort (the seed scenario:
    // port 80 -> targetPort flask-port -> containerPort 5000).
    if let Some(selector) = view.selector() {
        let templates = catalog.templates_matching(svc.namespace(), &selector);
        for p in view.ports {
            let (Some(target), Some(port)) = (
                p.get_str("targetPort"),
                p.get("port").and_then(Node::as_i64),
            ) else {
                continue;
            };
            let behind = templates.iter().any(|t| {
                t.template.containers().any(|c| {
                    c.ports()
                        .any(|cp| cp.name == Some(target) && cp.number == Some(n))
                })
            });
            if behind {
                return format!(
                    "{n} is the container port behind the Service's port {port} (targetPort \"{target}\"); an Ingress names the Service's port: use {port}"
                );
            }
        }
    }
    // The classic slip: the container's port instead of the Service's.
    if let Some(p) = view.ports.iter().find(|p| {
        p.get("targetPort").and_then(Node::as_i64) == Some(n)
            || p.get("nodePort").and_then(Node::as_i64) == Some(n)
    }) && let Some(port) = p.get("port").and_then(Node::as_i64)
    {
        return format!(
            "{n} is a targetPort/nodePort of the Service; an Ingress names the Service's own port: use {port}"
        );
    }
    match view.ports {
        [only] => match only.get("port").and_then(Node::as_i64) {
            Some(port) => format!("use the Service's port {port}"),
            None => "use one of the Service's ports".to_string(),
        },
        _ => format!("use one of the Service's ports: {}", describe_ports(svc)),
    }
}

/// The fix for a port name the Service does not have.
fn hint_name(svc: &Object, name: &str) -> String {
    let Some(view) = svc.service() else {
        return String::new();
    };
    let names: Vec<&str> = view
        .ports
        .iter()
        .filter_map(|p| p.get_str("name"))
        .collect();
    if let Some(near) = crate::text::closest_name(name, names.iter().copied()) {
        return format!("did you mean port name \"{near}\"?");
    }
    if view
        .ports
        .iter()
        .any(|p| p.get_str("targetPort") == Some(name))
    {
        return format!(
            "\"{name}\" is the Service's targetPort (a container port name); an Ingress names the Service port: {}",
            describe_ports(svc)
        );
    }
    if names.is_empty() {
        "the Service's ports have no names: use port.number".to_string()
    } else {
        format!("use one of the Service's ports: {}", describe_ports(svc))
    }
}
