//! KW6012 (opt-in): a container whose root filesystem is writable
//! (`readOnlyRootFilesystem` not true). Only a container-level field.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::security::{context_span, windows_pod};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6012",
    "writable-root-filesystem",
    Security,
    Warning,
    "A container's root filesystem is writable: readOnlyRootFilesystem is not true (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        if windows_pod(&template) {
            return;
        }
        for c in template.containers() {
            let node = c.node.path(&["securityContext", "readOnlyRootFilesystem"]);
            if node.and_then(|n| n.as_bool()) == Some(true) {
                continue;
            }
            let (span, what) = match node {
                Some(n) if !n.is_null() => (n.span, "sets readOnlyRootFilesystem: false"),
                _ => (
                    context_span(&c),
                    "does not set readOnlyRootFilesystem: true",
                ),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} {what}: whoever gets code execution in it can change its binaries and drop tools on disk",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("writable root filesystem")
                .with_help("set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the process must write (`/tmp`, a cache directory)"),
            );
        }
    }
}
