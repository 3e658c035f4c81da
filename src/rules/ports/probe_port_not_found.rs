//! KW3103: a probe (or lifecycle hook) that names its port must name a port
//! of its own container; the kubelet fails the probe otherwise ("port name
//! not found"), so the container never gets ready or is restarted forever.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::{HandlerPort, PortRef, handler_ports, port_ref};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest;

pub static META: RuleMeta = rule_meta!(
    "KW3103",
    "probe-port-not-found",
    Reference,
    Error,
    "A probe's named port is not a port of its container"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for container in template.containers() {
            for HandlerPort { what, action, port } in handler_ports(&container) {
                let Some(PortRef::Name(name)) = port_ref(port) else {
                    continue;
                };
                // An invalid name is KW0015's: the API server rejects the pod.
                if action != "grpc" && crate::model::names::iana_svc_name(name).is_err() {
                    continue;
                }
                let ports: Vec<_> = container.ports().collect();
                let found = ports.iter().find(|p| p.name == Some(name));
                let cname = container.name.unwrap_or("?");
                if action == "grpc" {
                    // GRPCAction.port is a number: the API rejects a name.
                    let hint = match found.and_then(|p| p.number) {
                        Some(n) => format!("use `port: {n}` (the number of \"{name}\")"),
                        None => "use the port number".to_string(),
                    };
                    out.push(
                            finding(
                                &META,
                                obj,
                                port.span,
                                format!(
                                    "{what}.grpc.port of container \"{cname}\" in {} is the name \"{name}\"; a gRPC probe takes a port number only",
                                    obj.describe()
                                ),
                            )
                            .with_label("a number is required")
                            .with_help(hint)
                            .with_related(obj.file, container.node.span, "the container"),
                        );
                    continue;
                }
                if found.is_some() {
                    continue;
                }
                let named: Vec<&str> = ports.iter().filter_map(|p| p.name).collect();
                let elsewhere = template
                    .containers()
                    .filter(|c| c.node.span != container.node.span)
                    .find(|c| c.ports().any(|p| p.name == Some(name)));
                let near = closest(name, named.iter().copied());
                let named_list = || {
                    named
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut message = format!(
                    "{what}.{action}.port \"{name}\" of container \"{cname}\" in {} names no port of that container; the kubelet fails the probe",
                    obj.describe()
                );
                let help = match &elsewhere {
                    None => match near {
                        Some(near) => format!("did you mean \"{near}\"?"),
                        None if named.is_empty() => format!(
                            "container \"{cname}\" names no ports: add `- name: {name}` with its containerPort to its ports, or use the port number"
                        ),
                        None => format!(
                            "container \"{cname}\" names the ports {}: use one of them or the port number",
                            named_list()
                        ),
                    },
                    Some(other) => {
                        let oname = other.name.unwrap_or("?");
                        message.push_str(&format!(
                            " (container \"{oname}\" has a port \"{name}\", but a probe only looks at its own container)"
                        ));
                        let number = other
                            .ports()
                            .find(|p| p.name == Some(name))
                            .and_then(|p| p.number)
                            .map_or_else(|| "its number".to_string(), |n| n.to_string());
                        let instead = match near {
                            Some(near) => format!(
                                ", or \"{near}\" if you meant that port of container \"{cname}\""
                            ),
                            None if named.is_empty() => {
                                format!(", or add a port named \"{name}\" to container \"{cname}\"")
                            }
                            None => format!(
                                ", or one of the ports container \"{cname}\" names ({})",
                                named_list()
                            ),
                        };
                        format!(
                            "a probe resolves names in its own container only: use `port: {number}` (\"{name}\" of container \"{oname}\"){instead}"
                        )
                    }
                };
                let related_span = container
                    .node
                    .get("ports")
                    .map_or(container.node.span, |p| p.span);
                out.push(
                    finding(&META, obj, port.span, message)
                        .with_label("no such port in this container")
                        .with_help(help)
                        .with_related(
                            obj.file,
                            related_span,
                            format!("ports of container \"{cname}\""),
                        ),
                );
            }
        }
    }
}
