//! KW5013 (opt-in): a long-running container without a liveness probe.
//! Jobs and CronJobs (run to completion) and init containers that are not
//! sidecars are not judged.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::ports::running_containers;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5013",
    "liveness-probe-missing",
    Practice,
    Info,
    "A long-running container has no liveness probe, so a hung process is never restarted (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if matches!(obj.kind(), "Job" | "CronJob") {
            return;
        }
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in running_containers(&template) {
            if c.node.get("livenessProbe").is_some() {
                continue;
            }
            let span = c.node.get("name").map_or(c.node.span, |n| n.span);
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} has no liveness probe: a process that deadlocks without exiting keeps its pod Running and is never restarted",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("no liveness probe")
                .with_help("add a `livenessProbe` that fails only when the process cannot recover (not the readiness check: a slow dependency should take the pod out of the endpoints, not restart it)"),
            );
        }
    }
}
