//! KW6011 (opt-in): a container that may run as root because nothing says
//! otherwise: neither it nor the pod sets `runAsNonRoot: true` or a non-zero
//! `runAsUser`, so the image's `USER` decides. An explicit `runAsUser: 0` is
//! KW6010's; Windows pods are skipped.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::security::{context_span, effective, windows_pod};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6011",
    "run-as-non-root-unset",
    Security,
    Warning,
    "A container may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser (opt-in)",
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
            let non_root = effective(&template, &c, "runAsNonRoot");
            if non_root.and_then(|n| n.as_bool()) == Some(true) {
                continue;
            }
            // A user id: non-root by number, or root by number (KW6010's).
            if effective(&template, &c, "runAsUser")
                .and_then(|n| n.as_i64())
                .is_some()
            {
                continue;
            }
            let (span, what) = match non_root {
                Some(n) if n.as_bool() == Some(false) => (n.span, "sets runAsNonRoot: false"),
                _ => (
                    context_span(&c),
                    "sets neither runAsNonRoot: true nor a runAsUser",
                ),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} {what} (nor does the pod): it runs as whatever user the image's USER says, root unless the image was built otherwise",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("may run as root")
                .with_help("set `securityContext.runAsNonRoot: true` (the kubelet then refuses an image that would run as root) and, for an image without a numeric USER, `runAsUser: 10001`"),
            );
        }
    }
}
