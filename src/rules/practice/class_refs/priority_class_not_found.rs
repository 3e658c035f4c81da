//! KW5510: a pod's `priorityClassName` names a PriorityClass the input does
//! not define, while it defines others (the built-in `system-*` classes
//! always exist). The Priority admission plugin rejects such a pod.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5510",
    "priority-class-not-found",
    Practice,
    Warning,
    "A pod's priorityClassName names a PriorityClass that is not defined, while others are"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        if let Some(node) = spec.get("priorityClassName") {
            super::check_class(
                &super::ClassRef {
                    meta: &META,
                    kind: "PriorityClass",
                    field: "priorityClassName",
                    consequence: "the API server rejects its pods (\"no PriorityClass with name ... was found\")",
                },
                obj,
                node,
                catalog,
                out,
            );
        }
    }
}
