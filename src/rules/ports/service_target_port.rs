//! KW3101: a Service `targetPort` given by name must name a container port
//! (with the Service port's protocol) in every pod template it selects; the
//! endpoints controller skips pods that lack it.

use crate::catalog::{Catalog, TemplateEntry};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::{
    PortRef, Resolution, ServicePort, describe_named, port_ref, ports_span, resolve, template_ports,
};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest;

pub static META: RuleMeta = rule_meta!(
    "KW3101",
    "service-target-port",
    Reference,
    Error,
    "A Service's named targetPort is not a container port of the pods it selects"
);

pub struct Rule;

/// Related spans per finding, at most: the message gives the count.
const MAX_RELATED: usize = 5;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        let Some(selector) = service.pod_selector() else {
            return;
        };
        let templates = crate::rules::ports::served_templates(obj, catalog, &selector);
        if templates.is_empty() {
            // KW3002's business.
            return;
        }
        for sp in ServicePort::all(service.ports) {
            let Some(target) = sp.target else {
                continue;
            };
            let Some(PortRef::Name(name)) = port_ref(target) else {
                continue;
            };
            // An invalid name is KW0015's: the API server rejects the Service.
            if crate::model::names::iana_svc_name(name).is_err() {
                continue;
            }
            let mut missing: Vec<(&TemplateEntry<'_>, &Object, Option<&str>)> = Vec::new();
            for entry in &templates {
                let Some(owner) = catalog.object(entry.object) else {
                    continue;
                };
                let ports = template_ports(&entry.template);
                // Found under another protocol, or not at all.
                let other_protocol = match resolve(
                    ports.iter().map(|p| &p.port),
                    &PortRef::Name(name),
                    sp.protocol,
                ) {
                    Resolution::Declared(_) => continue,
                    Resolution::OtherProtocol(p) => Some(p.protocol),
                    Resolution::Undeclared => None,
                };
                missing.push((entry, owner, other_protocol));
            }
            let Some(&(first, first_owner, other_protocol)) = missing.first() else {
                continue;
            };
            let total = templates.len();
            let which = if missing.len() == 1 {
                first_owner.describe()
            } else {
                format!("{} of the {total} pod templates it selects", missing.len())
            };
            let message = match other_protocol {
                Some(proto) => format!(
                    "{} targetPort \"{name}\" is a {proto} port in {which}, but the Service port {} is {}; the endpoints controller matches name and protocol, so those pods get no traffic on it",
                    obj.describe(),
                    sp.describe(),
                    sp.protocol
                ),
                None if total == 1 => format!(
                    "{} targetPort \"{name}\" matches no named containerPort of {}, the workload its selector {} selects; the Service has no endpoints for port {}",
                    obj.describe(),
                    first_owner.describe(),
                    selector.describe(),
                    sp.describe()
                ),
                None => format!(
                    "{} targetPort \"{name}\" matches no named containerPort in {which} ({}); those pods are no endpoints for port {}",
                    obj.describe(),
                    selector.describe(),
                    sp.describe()
                ),
            };
            let ports = template_ports(&first.template);
            let help = match other_protocol {
                Some(proto) => format!(
                    "set `protocol: {proto}` on the Service port, or declare \"{name}\" with protocol {} in the pod template",
                    sp.protocol
                ),
                None if init_only(&first.template, name).is_some() => format!(
                    "init container \"{}\" declares \"{name}\", but it exits before the pod serves; declare the port on the container that listens on it (or make the init container a sidecar with `restartPolicy: Always`)",
                    init_only(&first.template, name).unwrap_or("?")
                ),
                None => {
                    let exists = describe_named(&ports);
                    match closest(name, ports.iter().filter_map(|p| p.port.name)) {
                        Some(near) => format!(
                            "did you mean \"{near}\"? {} declares {exists}",
                            first_owner.describe()
                        ),
                        None => format!(
                            "name a container port \"{name}\" in the pod template, or use one that exists; {} declares {exists}",
                            first_owner.describe()
                        ),
                    }
                }
            };
            // Unsafe: "did you mean" with one answer, for the one template
            // the Service selects.
            let names: Vec<&str> = ports.iter().filter_map(|p| p.port.name).collect();
            let fix = closest(name, names.iter().copied())
                .filter(|near| {
                    other_protocol.is_none()
                        && total == 1
                        && init_only(&first.template, name).is_none()
                        && crate::rules::fixable::only_close(name, near, names.iter().copied())
                })
                .and_then(|near| {
                    crate::edit::Fix::unsafe_(
                        format!("write targetPort: {near}"),
                        crate::rules::fixable::source(catalog, obj)
                            .replace_scalar(target, near)
                            .into_iter()
                            .collect(),
                    )
                });
            let mut diag = finding(&META, obj, target.span, message)
                .with_label("no such container port")
                .with_help(help)
                .with_fix(fix);
            for (entry, owner, _) in missing.iter().take(MAX_RELATED) {
                diag = diag.with_related(
                    owner.file,
                    ports_span(&entry.template),
                    format!("container ports of {}", owner.describe()),
                );
            }
            out.push(diag);
        }
    }
}

/// The plain init container declaring a port of this name, if any.
fn init_only<'a>(
    template: &crate::model::workload::PodTemplate<'a>,
    name: &str,
) -> Option<&'a str> {
    template
        .containers()
        .filter(|c| c.init && c.node.get_str("restartPolicy") != Some("Always"))
        .find(|c| c.ports().any(|p| p.name == Some(name)))
        .map(|c| c.name.unwrap_or("?"))
}
