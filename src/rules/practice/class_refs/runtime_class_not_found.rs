//! KW5512: a pod's `runtimeClassName` names a RuntimeClass the input does
//! not define, while it defines others. The pod is admitted and never
//! starts (the kubelet cannot find the handler).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5512",
    "runtime-class-not-found",
    Practice,
    Warning,
    "A pod's runtimeClassName names a RuntimeClass that is not defined, while others are"
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
        if let Some(node) = spec.get("runtimeClassName") {
            super::check_class(
                &super::ClassRef {
                    meta: &META,
                    kind: "RuntimeClass",
                    field: "runtimeClassName",
                    consequence: "its pods are rejected by the RuntimeClass admission plugin, or never start",
                },
                obj,
                node,
                catalog,
                out,
            );
        }
    }
}
