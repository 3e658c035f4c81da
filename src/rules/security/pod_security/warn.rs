//! KW6502: a pod template that breaks the Pod Security level its Namespace
//! names in a `warn` or `audit` label (and that the `enforce` label, if
//! any, does not already reject: KW6501 says that).

use super::{finding, mode_policy, namespace_of, pod_of, same, violations};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6502",
    "pod-security-warn-violation",
    Security,
    Warning,
    "A pod template breaks the Pod Security level its Namespace warns or audits at"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(pod) = pod_of(obj) else { return };
        let Some(ns) = namespace_of(catalog, obj) else {
            return;
        };
        let target = catalog.settings().kube_version;
        let mut reported = mode_policy(ns, "enforce", target)
            .map(|p| violations(&pod, &p))
            .unwrap_or_default();
        for mode in ["warn", "audit"] {
            let Some(policy) = mode_policy(ns, mode, target) else {
                continue;
            };
            let consequence = if mode == "warn" {
                "the pod is admitted, and `kubectl apply` prints a warning"
            } else {
                "the pod is admitted, and the audit log records the violation"
            };
            for v in violations(&pod, &policy) {
                if reported.iter().any(|r| same(r, v.check, v.span)) {
                    continue;
                }
                out.push(finding(&META, obj, &policy, &v, consequence));
                reported.push(v);
            }
        }
    }
}
