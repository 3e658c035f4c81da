//! KW3112: an ExternalName Service is a DNS CNAME. A selector on it selects
//! nothing (no endpoints are made), and its ports do not remap anything:
//! clients connect to the external host on whatever port they use.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3112",
    "external-name-ignored-fields",
    Reference,
    Warning,
    "An ExternalName Service has a selector or port mappings that do nothing"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        if service.service_type != "ExternalName" {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let external = spec.get_str("externalName").unwrap_or("?");
        if service.selector_node.is_some() {
            out.push(
                finding(
                    &META,
                    obj,
                    service.selector_key_span,
                    format!(
                        "{} is an ExternalName Service (a DNS alias of \"{external}\"); its selector is ignored and selects no pods",
                        obj.describe()
                    ),
                )
                .with_label("ignored")
                .with_help("remove the selector, or make the Service `type: ClusterIP` if it should front the selected pods"),
            );
        }
        // Ports are informational on an ExternalName Service (meshes such as
        // Istio read them), but a targetPort that differs from the port
        // promises a remapping that never happens.
        for port in service.ports {
            let (Some(number), Some(target)) = (
                port.get("port").and_then(|p| p.as_i64()),
                port.get("targetPort"),
            ) else {
                continue;
            };
            let remaps = match target.as_i64() {
                Some(t) => t != number,
                None => target.as_str().is_some(),
            };
            if !remaps {
                continue;
            }
            let target_text = target.scalar_text().unwrap_or_default();
            let diag = finding(
                &META,
                obj,
                target.span,
                format!(
                    "{} is an ExternalName Service: clients resolve \"{external}\" and connect on port {number} themselves; targetPort {target_text} is never applied",
                    obj.describe()
                ),
            )
            .with_label("never applied")
            .with_help(format!("remove targetPort, and connect to \"{external}\" on the port it really serves"));
            out.push(diag);
        }
    }
}
