//! KW3203: an Ingress routes to a Service whose selector matches no pod
//! template: Ingress → Service → no pods.

use std::collections::HashSet;

use super::route_text;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::service_selector_matches_nothing as kw3002;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3203",
    "ingress-backend-no-endpoints",
    Reference,
    Warning,
    "An Ingress routes to a Service whose selector matches no pods"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let ns = obj.namespace();
        let mut seen = HashSet::new();
        for backend in obj.ingress_backends() {
            let Some(name_node) = backend.service_name else {
                continue;
            };
            let Some(name) = name_node.as_str() else {
                continue;
            };
            if !seen.insert(name) {
                continue;
            }
            let Some(svc) = catalog
                .find("v1", "Service", ns, name)
                .first()
                .and_then(|&i| catalog.object(i))
            else {
                continue;
            };
            // The same evidence KW3002 requires: ask it about the Service.
            let mut verdict = Vec::new();
            kw3002::Rule.check(svc, catalog, &mut verdict);
            let Some(empty) = verdict.into_iter().next() else {
                continue;
            };
            let selector = svc
                .service()
                .and_then(|v| v.selector())
                .map(|s| s.describe())
                .unwrap_or_default();
            let mut diag = finding(
                &META,
                obj,
                name_node.span,
                format!(
                    "{} routes {} to Service \"{name}\", but the Service's selector {selector} matches no pods in namespace \"{ns}\": Ingress → Service \"{name}\" → no endpoints, so the controller answers 503",
                    obj.describe(),
                    route_text(&backend),
                ),
            )
            .with_label("this Service has no endpoints")
            .with_related(svc.file, empty.span, "selector that matches no pod template");
            if let Some(more) = empty.related.first() {
                diag = diag.with_related(more.file, more.span, more.message.clone());
            }
            let help = empty.help.unwrap_or_else(|| {
                "make the Service's selector match the pod template labels of the workload it fronts"
                    .to_string()
            });
            diag = diag.with_help(format!(
                "fix Service \"{name}\" (KW3002 reports it too): {help}"
            ));
            out.push(diag);
        }
    }
}
