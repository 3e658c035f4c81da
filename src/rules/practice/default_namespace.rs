//! KW5202 (opt-in): a namespaced object that lands in the `default`
//! namespace, by writing it or by leaving the namespace out (and no
//! kustomization giving one). A custom resource without a namespace is
//! reported only when written as `default`: kwire cannot tell whether its
//! kind is namespaced (a `ClusterIssuer` is not).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::kinds::is_builtin_group;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5202",
    "default-namespace",
    Practice,
    Info,
    "An object is in the `default` namespace, written or by leaving the namespace out (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.namespace.as_deref() != Some("default") {
            return;
        }
        let written = obj.metadata().and_then(|m| m.get("namespace"));
        let (span, how) = match written {
            Some(n) if n.as_str() == Some("default") => (n.span, "is in namespace default"),
            _ if !is_builtin_group(obj.api_version()) => return,
            _ => (obj.anchor_span(), "has no namespace, so it goes to default"),
        };
        out.push(
            finding(
                &META,
                obj,
                span,
                format!(
                    "{} {how}: everything that does not choose a namespace ends up there too, so names, quotas, NetworkPolicies and RBAC grants are shared with whatever else was applied without one",
                    obj.describe()
                ),
            )
            .with_label("default namespace")
            .with_help("give the application its own namespace (`metadata.namespace`, or `namespace:` in its kustomization)"),
        );
    }
}
