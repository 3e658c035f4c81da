//! KW3210: a Gateway API route's `backendRefs` names a Service that is not
//! in the namespace the reference points to.

use super::{ServiceLookup, lookup_service};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3210",
    "route-backend-service-missing",
    Reference,
    Warning,
    "A Gateway API route's backendRef names a Service that does not exist"
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
            let explicit_ns = backend.namespace.and_then(Node::as_str);
            let ns = explicit_ns.unwrap_or(obj.namespace());
            match lookup_service(catalog, obj, ns, name) {
                ServiceLookup::Found(_) | ServiceLookup::Unknown => {}
                ServiceLookup::Elsewhere(other) => {
                    let (where_, help) = match explicit_ns {
                        Some(_) => (
                            format!("namespace \"{ns}\" (set by backendRef.namespace)"),
                            format!(
                                "set namespace: {} on the backendRef (a ReferenceGrant in \"{}\" must allow it), or point at a Service in \"{ns}\"",
                                other.namespace(),
                                other.namespace()
                            ),
                        ),
                        None => (
                            format!("the route's namespace \"{ns}\""),
                            format!(
                                "add namespace: {} to the backendRef and a ReferenceGrant in \"{}\" that allows {} from \"{ns}\"",
                                other.namespace(),
                                other.namespace(),
                                obj.kind()
                            ),
                        ),
                    };
                    out.push(
                        finding(
                            &META,
                            obj,
                            backend.name.span,
                            format!(
                                "{} sends traffic to Service \"{name}\", which is not in {where_}; a Service \"{name}\" exists in namespace \"{}\"",
                                obj.describe(),
                                other.namespace()
                            ),
                        )
                        .with_label("no such Service in this namespace")
                        .with_related(other.file, other.anchor_span(), "the Service, in another namespace")
                        .with_help(help),
                    );
                }
                ServiceLookup::Missing(intended) => {
                    let mut diag = finding(
                        &META,
                        obj,
                        backend.name.span,
                        format!(
                            "{} sends traffic to Service \"{name}\", which does not exist in namespace \"{ns}\"; the backend is invalid (ResolvedRefs: BackendNotFound){}",
                            obj.describe(),
                            if matches!(obj.kind(), "HTTPRoute" | "GRPCRoute") {
                                " and its share of requests gets a 500"
                            } else {
                                " and its share of connections is refused"
                            }
                        ),
                    )
                    .with_label("no such Service");
                    diag = intended.explain(diag, name, ns);
                    out.push(diag);
                }
            }
        }
    }
}
