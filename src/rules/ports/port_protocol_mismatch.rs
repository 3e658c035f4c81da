//! KW3113: a TCP probe, or a Service port by number, that reaches a
//! container port the pod declares only with another protocol (`53/UDP`
//! probed with `tcpSocket`). Probes connect over TCP whatever the port's
//! declared protocol; a Service port carries its own protocol. Service ports
//! by name are KW3101's: the endpoints controller matches name and protocol,
//! so such a name is not found at all.

use crate::catalog::{Catalog, TemplateEntry};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::workload::ContainerPort;
use crate::rules::ports::{
    HandlerPort, PortRef, Resolution, ServicePort, handler_ports, port_ref, ports_span, resolve,
    template_ports,
};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3113",
    "port-protocol-mismatch",
    Reference,
    Error,
    "A TCP probe or a Service port reaches a container port declared only as UDP or SCTP"
);

pub struct Rule;

const MAX_RELATED: usize = 5;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        check_probes(obj, out);
        check_service(obj, catalog, out);
    }
}

fn describe_port(p: &ContainerPort<'_>) -> String {
    let number = p.number.map_or_else(|| "?".to_string(), |n| n.to_string());
    match p.name {
        Some(name) => format!("\"{name}\" ({number}/{})", p.protocol),
        None => format!("{number}/{}", p.protocol),
    }
}

fn check_probes(obj: &Object, out: &mut Vec<Diagnostic>) {
    let Some(template) = obj.pod_template() else {
        return;
    };
    for container in template.containers() {
        let ports: Vec<ContainerPort<'_>> = container.ports().collect();
        if ports.is_empty() {
            continue;
        }
        for HandlerPort { what, action, port } in handler_ports(&container) {
            let Some(target) = port_ref(port) else {
                continue;
            };
            // A name in grpc.port is KW3103's (grpc takes a number only).
            if action == "grpc" && matches!(target, PortRef::Name(_)) {
                continue;
            }
            let Resolution::OtherProtocol(declared) = resolve(&ports, &target, "TCP") else {
                continue;
            };
            let cname = container.name.unwrap_or("?");
            let number = declared
                .number
                .map_or_else(|| "its number".to_string(), |n| n.to_string());
            let written = match target {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(name) => format!("\"{name}\""),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    port.span,
                    format!(
                        "{what}.{action}.port {written} of container \"{cname}\" in {} is the container port {}, declared as {} only; the kubelet probes over TCP, so the probe fails unless the container also listens on TCP {number}",
                        obj.describe(),
                        describe_port(declared),
                        declared.protocol
                    ),
                )
                .with_label(format!("a {} port", declared.protocol))
                .with_help(format!(
                    "probe a TCP port of the container; if it serves {number} over TCP too, declare it: `- {{containerPort: {number}, protocol: TCP}}`"
                ))
                .with_related(obj.file, declared.node.span, "the declared port"),
            );
        }
    }
}

fn check_service(obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
    let Some(service) = obj.service() else {
        return;
    };
    let Some(selector) = service.pod_selector() else {
        return;
    };
    let templates = crate::rules::ports::served_templates(obj, catalog, &selector);
    if templates.is_empty() {
        return;
    }
    for sp in ServicePort::all(service.ports) {
        let Some((number, span, written)) = sp.numeric_target() else {
            continue;
        };
        let mut mismatched: Vec<(&TemplateEntry<'_>, &Object, String, String)> = Vec::new();
        for entry in &templates {
            let Some(owner) = catalog.object(entry.object) else {
                continue;
            };
            if super::service_target_port_undeclared::host_network(entry) {
                continue;
            }
            let ports = template_ports(&entry.template);
            if let Resolution::OtherProtocol(p) = resolve(
                ports.iter().map(|p| &p.port),
                &PortRef::Number(number),
                sp.protocol,
            ) {
                mismatched.push((entry, owner, describe_port(p), p.protocol.to_string()));
            }
        }
        let Some((_, first_owner, declared, proto)) = mismatched.first() else {
            continue;
        };
        let what = if written {
            format!("targetPort {number}")
        } else {
            format!(
                "port {} (no targetPort, so it targets {number})",
                sp.describe()
            )
        };
        let which = if mismatched.len() == 1 {
            first_owner.describe()
        } else {
            format!(
                "{} of the {} pod templates it selects",
                mismatched.len(),
                templates.len()
            )
        };
        let mut diag = finding(
            &META,
            obj,
            span,
            format!(
                "{} {what} carries {} traffic, but {which} declares {number} only as {declared}; the pods get {} connections on a port they declare for {proto}",
                obj.describe(),
                sp.protocol,
                sp.protocol,
            ),
        )
        .with_label(format!("{} to a {proto} port", sp.protocol))
        .with_help(format!(
            "set `protocol: {proto}` on the Service port if that is the traffic; if the container serves {number} over {} too, declare that port with `protocol: {}`",
            sp.protocol, sp.protocol
        ));
        for (entry, owner, _, _) in mismatched.iter().take(MAX_RELATED) {
            diag = diag.with_related(
                owner.file,
                ports_span(&entry.template),
                format!("container ports of {}", owner.describe()),
            );
        }
        out.push(diag);
    }
}
