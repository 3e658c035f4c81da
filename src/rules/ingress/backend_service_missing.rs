//! KW3201: an Ingress backend names a Service that is not in the Ingress's
//! namespace.

use super::{ServiceLookup, lookup_service, route_text};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3201",
    "ingress-backend-service-missing",
    Reference,
    Warning,
    "An Ingress backend names a Service that does not exist in the Ingress's namespace"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let ns = obj.namespace();
        for backend in obj.ingress_backends() {
            let Some(name_node) = backend.service_name else {
                continue;
            };
            let Some(name) = name_node.as_str() else {
                continue;
            };
            let route = route_text(&backend);
            match lookup_service(catalog, obj, ns, name) {
                ServiceLookup::Found(_) | ServiceLookup::Unknown => {}
                ServiceLookup::Elsewhere(other) => out.push(
                    finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "{} routes {route} to Service \"{name}\", which is not in namespace \"{ns}\"; a Service \"{name}\" exists in namespace \"{}\", but an Ingress only reaches Services in its own namespace",
                            obj.describe(),
                            other.namespace()
                        ),
                    )
                    .with_label("no such Service in this namespace")
                    .with_related(other.file, other.anchor_span(), "the Service, in another namespace")
                    .with_help(format!(
                        "put the Ingress in namespace \"{}\" (an Ingress per namespace), or define the Service in \"{ns}\" (an ExternalName Service pointing at {name}.{}.svc.cluster.local works)",
                        other.namespace(),
                        other.namespace()
                    )),
                ),
                ServiceLookup::Missing(intended) => {
                    let mut diag = finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "{} routes {route} to Service \"{name}\", which does not exist in namespace \"{ns}\"; the controller answers 503",
                            obj.describe()
                        ),
                    )
                    .with_label("no such Service");
                    diag = intended.explain(diag, name, ns);
                    // Unsafe: the one Service of the namespace that close.
                    if let crate::resolve::services::Intended::SimilarService(svc) = &intended {
                        let names: Vec<&str> = catalog
                            .in_namespace(ns)
                            .filter(|o| o.kind() == "Service")
                            .map(|o| o.name())
                            .collect();
                        let near = svc.name();
                        if crate::rules::fixable::only_close(name, near, names.iter().copied()) {
                            diag = diag.with_fix(crate::edit::Fix::unsafe_(
                                format!("write Service \"{near}\""),
                                crate::rules::fixable::source(catalog, obj)
                                    .replace_scalar(name_node, near)
                                    .into_iter()
                                    .collect(),
                            ));
                        }
                    }
                    out.push(diag);
                }
            }
        }
    }
}
