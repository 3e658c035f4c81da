//! KW0016: a pod template's `restartPolicy` its controller does not accept.
//! Any of Always, OnFailure and Never is a valid pod `restartPolicy` (the
//! schema's enum, KW1004), but the API server accepts only `Always` in the
//! template of a Deployment, ReplicaSet, DaemonSet, StatefulSet or
//! ReplicationController, and only `OnFailure` or `Never` in a Job's (and a
//! CronJob's): a Job without one gets the pod default, Always, and is
//! rejected too.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0016",
    "invalid-restart-policy",
    Yaml,
    Error,
    "A pod template's restartPolicy is one its controller rejects (only Always for Deployments, never Always for Jobs)"
);

pub struct Rule;

const POLICIES: &[&str] = &["Always", "OnFailure", "Never"];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !crate::model::kinds::is_builtin_group(obj.api_version()) {
            return;
        }
        let batch = match obj.kind() {
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "ReplicationController" => {
                false
            }
            "Job" | "CronJob" => true,
            _ => return,
        };
        let Some(template) = obj.pod_template() else {
            return;
        };
        let Some(spec) = template.spec else {
            return;
        };
        let kind = obj.kind();
        match spec.entry("restartPolicy") {
            Some(entry) => {
                let Some(policy) = entry.value.as_str() else {
                    return;
                };
                // Values outside the enum are KW1004's.
                if !POLICIES.contains(&policy) {
                    return;
                }
                let allowed = if batch {
                    policy != "Always"
                } else {
                    policy == "Always"
                };
                if allowed {
                    return;
                }
                let (message, help) = if batch {
                    (
                        format!(
                            "{} has `restartPolicy: Always` in its pod template; the API server accepts only OnFailure or Never for a {kind}",
                            obj.describe()
                        ),
                        "use `restartPolicy: OnFailure` (retry the pod's containers in place) or `Never` (a new pod per retry); for a process that runs forever use a Deployment".to_string(),
                    )
                } else {
                    (
                        format!(
                            "{} has `restartPolicy: {policy}` in its pod template; the API server accepts only Always for a {kind}",
                            obj.describe()
                        ),
                        "remove the line (Always is the default) or write `restartPolicy: Always`; for work that runs to completion use a Job".to_string(),
                    )
                };
                out.push(
                    finding(&META, obj, entry.value.span, message)
                        .with_label(if batch {
                            "not allowed in a Job".to_string()
                        } else {
                            format!("not allowed in a {kind}")
                        })
                        .with_help(help),
                );
            }
            None => {
                // Patches of a kustomization often leave the field to the base.
                if !batch || catalog.schemas().in_kustomize_dir(obj) {
                    return;
                }
                let span = template
                    .node
                    .entry("spec")
                    .map_or(spec.span, |e| e.key.span);
                out.push(
                    finding(
                        &META,
                        obj,
                        span,
                        format!(
                            "the pod template of {} sets no restartPolicy, so it gets the pod default Always, which the API server rejects for a {kind}",
                            obj.describe()
                        ),
                    )
                    .with_label("no restartPolicy")
                    .with_help("add `restartPolicy: OnFailure` or `restartPolicy: Never` to the pod template's spec"),
                );
            }
        }
    }
}
