//! KW3211: a Gateway API route's backendRef to a Service has no `port`, or
//! a port the Service does not expose.

use super::{describe_ports, service_takes_port};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::ingress::PortRef;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3211",
    "route-backend-port-missing",
    Reference,
    Error,
    "A Gateway API route's backendRef to a Service lacks a port or names one the Service does not expose"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for backend in obj.route_backend_refs() {
            if !backend.is_service() {
                continue;
            }
            let Some(name) = backend.name.as_str() else {
                continue;
            };
            let ns = backend.target_namespace(obj.namespace());
            let svc = catalog
                .find("v1", "Service", ns, name)
                .first()
                .and_then(|&i| catalog.object(i));
            let Some(port_node) = backend.port else {
                let mut diag = finding(
                    &META,
                    obj,
                    backend.name.span,
                    format!(
                        "backendRef to Service \"{name}\" in {} has no port; the API requires one for a Service (the Service's port, not the targetPort)",
                        obj.describe()
                    ),
                )
                .with_label("port missing");
                diag = match svc {
                    Some(svc) => diag
                        .with_related(svc.file, svc.anchor_span(), "the Service")
                        .with_help(format!(
                            "add port: with one of the Service's ports: {}",
                            describe_ports(svc)
                        )),
                    None => diag.with_help("add port: with the Service port to send traffic to"),
                };
                out.push(diag);
                continue;
            };
            let Some(number) = port_node.as_i64() else {
                continue;
            };
            let Some(svc) = svc else {
                continue;
            };
            let Some(view) = svc.service() else {
                continue;
            };
            if service_takes_port(catalog, ns, name, &PortRef::Number(number)) {
                continue;
            }
            let target = view
                .ports
                .iter()
                .find(|p| p.get("targetPort").and_then(Node::as_i64) == Some(number));
            let help = match target.and_then(|p| p.get("port")).and_then(Node::as_i64) {
                Some(port) => format!(
                    "{number} is the Service's targetPort; a backendRef names the Service port: use port: {port}"
                ),
                None => format!("use one of the Service's ports: {}", describe_ports(svc)),
            };
            let spec_ports = svc
                .root
                .path(&["spec", "ports"])
                .map_or(svc.anchor_span(), |n| n.span);
            out.push(
                finding(
                    &META,
                    obj,
                    port_node.span,
                    format!(
                        "{} sends traffic to Service \"{name}\" port {number}, but the Service has no such port (its ports: {})",
                        obj.describe(),
                        describe_ports(svc)
                    ),
                )
                .with_label("not a port of the Service")
                .with_related(svc.file, spec_ports, "the Service's ports")
                .with_help(help),
            );
        }
    }
}
