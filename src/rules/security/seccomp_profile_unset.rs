//! KW6014 (opt-in): a container without a seccomp profile (neither it nor
//! the pod sets `seccompProfile`, and no legacy seccomp annotation), or with
//! `type: Unconfined`. Without one, containerd and CRI-O run it unconfined.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::security::{context_span, effective, windows_pod};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6014",
    "seccomp-profile-unset",
    Security,
    Warning,
    "A container runs without a seccomp profile (unset or Unconfined) (opt-in)",
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
        // The annotations the field replaced (KW2006 reports them as
        // deprecated): the profile is set, just the old way.
        let annotations = template.node.path(&["metadata", "annotations"]);
        let annotated = |key: &str| annotations.and_then(|a| a.get(key)).is_some();
        let pod_annotated = annotated("seccomp.security.alpha.kubernetes.io/pod");
        for c in template.containers() {
            let by_container = c.name.is_some_and(|name| {
                annotated(&format!(
                    "container.seccomp.security.alpha.kubernetes.io/{name}"
                ))
            });
            let profile = effective(&template, &c, "seccompProfile");
            let (span, what) = match profile {
                None if pod_annotated || by_container => continue,
                None => (
                    context_span(&c),
                    "has no seccomp profile (nor does the pod)",
                ),
                Some(p) => match p.get("type") {
                    Some(t) if t.as_str() == Some("Unconfined") => {
                        (t.span, "sets seccompProfile type Unconfined")
                    }
                    _ => continue,
                },
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} {what}: every system call is open to it, including the ones most kernel exploits go through",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("no seccomp profile")
                .with_help("set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (every container inherits it)"),
            );
        }
    }
}
