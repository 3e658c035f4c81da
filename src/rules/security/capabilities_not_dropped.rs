//! KW6013 (opt-in): a container that keeps the runtime's default Linux
//! capabilities: `capabilities.drop` does not list `ALL`. Privileged
//! containers are KW6001's (they have every capability whatever is dropped).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::security::{context_span, windows_pod};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6013",
    "capabilities-not-dropped",
    Security,
    Warning,
    "A container does not drop ALL capabilities, so it keeps the runtime's default set (NET_RAW, CHOWN, SETUID, ...) (opt-in)",
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
            let sc = c.node.get("securityContext");
            if sc
                .and_then(|s| s.get("privileged"))
                .and_then(|n| n.as_bool())
                == Some(true)
            {
                continue;
            }
            let drop = sc.and_then(|s| s.path(&["capabilities", "drop"]));
            let drops_all = drop
                .and_then(|d| d.as_seq())
                .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("ALL")));
            if drops_all {
                continue;
            }
            let span = drop.map_or_else(|| context_span(&c), |d| d.span);
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} does not drop ALL capabilities: it keeps the runtime's defaults (NET_RAW for spoofed packets, CHOWN, SETUID, DAC_OVERRIDE, ...), which few applications use",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("default capabilities kept")
                .with_help("set `securityContext.capabilities.drop: [ALL]` and add back only what the process needs (`add: [NET_BIND_SERVICE]`)"),
            );
        }
    }
}
