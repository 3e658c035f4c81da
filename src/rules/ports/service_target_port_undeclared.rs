//! KW3102: a Service `targetPort` given by number (or omitted, so equal to
//! `port`) that the selected pod templates do not declare as a container
//! port. Undeclared ports still receive traffic, so this is a warning; but
//! when a template declares its ports and the target is not among them, the
//! two usually disagree by mistake (8080 vs 80).

use crate::catalog::{Catalog, TemplateEntry};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::{PortRef, Resolution, ServicePort, ports_span, resolve, template_ports};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3102",
    "service-target-port-undeclared",
    Reference,
    Warning,
    "A Service's numeric targetPort is not declared by the pod templates it selects"
);

pub struct Rule;

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
            return;
        }
        for sp in ServicePort::all(service.ports) {
            let Some((number, span, written)) = sp.numeric_target() else {
                continue;
            };
            let mut missing: Vec<(&TemplateEntry<'_>, &Object, String)> = Vec::new();
            for entry in &templates {
                let Some(owner) = catalog.object(entry.object) else {
                    continue;
                };
                let ports = template_ports(&entry.template);
                // No evidence: a template that declares no port at all
                // relies on undeclared ports throughout.
                if ports.is_empty() || host_network(entry) {
                    continue;
                }
                // Declared with another protocol only: KW3113 says so.
                if !matches!(
                    resolve(
                        ports.iter().map(|p| &p.port),
                        &PortRef::Number(number),
                        sp.protocol
                    ),
                    Resolution::Undeclared
                ) {
                    continue;
                }
                let declared: Vec<String> = ports
                    .iter()
                    .map(|p| {
                        let n = p.port.number.map_or_else(|| "?".into(), |n| n.to_string());
                        match p.port.name {
                            Some(name) => format!("{n}/{} (\"{name}\")", p.port.protocol),
                            None => format!("{n}/{}", p.port.protocol),
                        }
                    })
                    .collect();
                missing.push((entry, owner, declared.join(", ")));
            }
            let Some((_, first_owner, declared)) = missing.first() else {
                continue;
            };
            let what = if written {
                format!("targetPort {number}/{}", sp.protocol)
            } else {
                format!(
                    "port {} (no targetPort, so it targets {number}/{})",
                    sp.describe(),
                    sp.protocol
                )
            };
            let which = if missing.len() == 1 {
                first_owner.describe()
            } else {
                format!(
                    "{} of the {} pod templates it selects",
                    missing.len(),
                    templates.len()
                )
            };
            let mut diag = finding(
                &META,
                obj,
                span,
                format!(
                    "{} {what} is not a declared containerPort of {which}",
                    obj.describe()
                ),
            )
            .with_label("not declared by the pods")
            .with_help(format!(
                "{} declares {declared}; point targetPort at one of them, or declare {number} in the container's ports",
                first_owner.describe()
            ));
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

/// Pods on the host network serve on the node's ports; declarations there
/// are often partial.
pub(crate) fn host_network(entry: &TemplateEntry<'_>) -> bool {
    entry
        .template
        .spec
        .and_then(|s| s.get("hostNetwork"))
        .and_then(|n| n.as_bool())
        == Some(true)
}
