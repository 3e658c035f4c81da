//! KW6010: a container that runs as root because its security context (or
//! the pod's) says `runAsUser: 0`. Leaving the user unset is KW6011's
//! (opt-in) question; this rule reports only the explicit root user, which
//! someone wrote on purpose or copied.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::security::{effective, windows_pod};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6010",
    "runs-as-root",
    Security,
    Warning,
    "A container runs as root: its securityContext (or the pod's) sets runAsUser: 0"
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
            let Some(user) = effective(&template, &c, "runAsUser") else {
                continue;
            };
            if user.as_i64() != Some(0) {
                continue;
            }
            let non_root =
                effective(&template, &c, "runAsNonRoot").and_then(|n| n.as_bool()) == Some(true);
            let effect = if non_root {
                "and runAsNonRoot: true, so the kubelet refuses to start it (CreateContainerConfigError)"
            } else {
                "so a process that escapes the container is root on the node's kernel, and every file the image ships is writable to it"
            };
            out.push(
                finding(
                    &META,
                    obj,
                    user.span,
                    format!(
                        "{} of {} runs as root (runAsUser: 0) {effect}",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("root user")
                .with_help("run as an unprivileged user (`runAsUser: 10001`, `runAsNonRoot: true`); a process that needs a low port needs `capabilities.add: [NET_BIND_SERVICE]`, not root"),
            );
        }
    }
}
