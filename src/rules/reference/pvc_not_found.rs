//! KW3404: A pod mounts a PersistentVolumeClaim its namespace does not define. Reported only when the input defines at least one
//! PersistentVolumeClaim in that namespace, never for `optional: true`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::object_refs;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3404",
    "pvc-not-found",
    Reference,
    Warning,
    "A pod mounts a PersistentVolumeClaim its namespace does not define"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        object_refs::check_missing(&META, "PersistentVolumeClaim", obj, catalog, out);
    }
}
