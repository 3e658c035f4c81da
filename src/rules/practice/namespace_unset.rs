//! KW5201 (opt-in): a namespaced object without a namespace in a unit
//! whose other objects set one (most of them), so it lands wherever
//! `kubectl apply` happens to point. The counts come from the catalog
//! (`Catalog::unit_namespace_counts`); a namespace a kustomization gives
//! counts as set. Custom resources are left out (their scope is unknown).

use crate::catalog::{Catalog, namespace_given};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::kinds::is_builtin_group;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5201",
    "namespace-unset-in-unit",
    Practice,
    Warning,
    "An object has no namespace while most objects of its deployment unit set one (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.namespace.is_none() || !is_builtin_group(obj.api_version()) || namespace_given(obj) {
            return;
        }
        let Some((set, unset)) = catalog.unit_namespace_counts(obj) else {
            return;
        };
        if set <= unset {
            return;
        }
        let unit = catalog
            .unit_of(obj)
            .map_or_else(|| "the input".to_string(), |u| format!("unit {}", u.name));
        out.push(
            finding(
                &META,
                obj,
                obj.anchor_span(),
                format!(
                    "{} has no namespace, while {set} of the {} namespaced objects of {unit} set one: it lands in whatever namespace `kubectl apply` points to (default, or the context's), apart from the objects it belongs with",
                    obj.describe_short(),
                    set + unset
                ),
            )
            .with_label("no namespace")
            .with_help("set `metadata.namespace` like the unit's other objects (or `namespace:` in its kustomization)"),
        );
    }
}
