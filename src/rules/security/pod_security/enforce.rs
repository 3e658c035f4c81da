//! KW6501: a pod template in a Namespace labelled
//! `pod-security.kubernetes.io/enforce: baseline|restricted` that breaks
//! that level of the Pod Security Standards, one finding per field.

use super::{finding, mode_policy, namespace_of, pod_of, rejected, violations};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6501",
    "pod-security-enforce-violation",
    Security,
    Error,
    "A pod template breaks the Pod Security level its Namespace enforces; the admission controller rejects its pods"
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
        let Some(policy) = mode_policy(ns, "enforce", target) else {
            return;
        };
        let consequence = rejected(obj);
        for v in violations(&pod, &policy) {
            out.push(finding(&META, obj, &policy, &v, &consequence));
        }
    }
}
