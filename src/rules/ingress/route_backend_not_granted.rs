//! KW3212: a Gateway API route sends traffic to a Service in another
//! namespace, and no ReferenceGrant there allows it.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::gateway::{GROUP, grant_allows};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3212",
    "route-backend-not-granted",
    Reference,
    Warning,
    "A route's cross-namespace backendRef is not allowed by a ReferenceGrant"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let route_ns = obj.namespace();
        for backend in obj.route_backend_refs() {
            let Some(ns_node) = backend.namespace else {
                continue;
            };
            let Some(ns) = ns_node.as_str() else {
                continue;
            };
            let Some(name) = backend.name.as_str() else {
                continue;
            };
            if ns == route_ns {
                continue;
            }
            // Only when the input holds the target namespace's objects:
            // otherwise its grants are managed elsewhere.
            if catalog.in_namespace(ns).next().is_none()
                || catalog.assumed("ReferenceGrant", ns, "*")
            {
                continue;
            }
            let from = (GROUP, obj.kind(), route_ns);
            let to = (backend.group, backend.kind, name);
            if catalog.in_namespace(ns).any(|g| grant_allows(g, from, to)) {
                continue;
            }
            let mut diag = finding(
                &META,
                obj,
                ns_node.span,
                format!(
                    "{} sends traffic to {} \"{name}\" in namespace \"{ns}\", but no ReferenceGrant in \"{ns}\" allows {} from namespace \"{route_ns}\"; the backend is refused (ResolvedRefs: RefNotPermitted)",
                    obj.describe(),
                    backend.kind,
                    obj.kind()
                ),
            )
            .with_label("cross-namespace reference without a ReferenceGrant");
            if let Some(grant) = catalog
                .in_namespace(ns)
                .find(|g| g.kind() == "ReferenceGrant")
            {
                diag = diag.with_related(
                    grant.file,
                    grant.anchor_span(),
                    "a ReferenceGrant in that namespace, which does not cover this reference",
                );
            }
            let group_line = if backend.group.is_empty() {
                "\"\"".to_string()
            } else {
                backend.group.to_string()
            };
            out.push(diag.with_help(format!(
                "add to namespace \"{ns}\": a ReferenceGrant with from: [{{group: {GROUP}, kind: {}, namespace: {route_ns}}}] and to: [{{group: {group_line}, kind: {}, name: {name}}}]",
                obj.kind(),
                backend.kind
            )));
        }
    }
}
