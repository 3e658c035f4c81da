//! KW6003: a pod that shares the node's network, PID or IPC namespace
//! (`hostNetwork`, `hostPID`, `hostIPC: true`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6003",
    "host-namespace",
    Security,
    Warning,
    "A pod shares the node's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC)"
);

pub struct Rule;

const FIELDS: &[(&str, &str)] = &[
    (
        "hostNetwork",
        "its containers listen on and reach the node's interfaces directly, bypassing NetworkPolicy, and can sniff the node's traffic",
    ),
    (
        "hostPID",
        "its containers see every process on the node and can signal or inspect them (and read their environment)",
    ),
    (
        "hostIPC",
        "its containers share the node's shared memory and message queues with every other process on it",
    ),
];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        for (field, effect) in FIELDS {
            let Some(node) = spec.get(field) else {
                continue;
            };
            if node.as_bool() != Some(true) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    if obj.kind() == "Pod" {
                        format!("{} sets {field}: true: {effect}", obj.describe())
                    } else {
                        format!("the pods of {} set {field}: true: {effect}", obj.describe())
                    },
                )
                .with_label("host namespace")
                .with_help(format!(
                    "remove `{field}: true` unless this is a node agent that needs it; then suppress with `# kwire: ignore[KW6003]` and a reason"
                )),
            );
        }
    }
}
