//! KW6503 (opt-in): a pod template in a namespace without Pod Security
//! labels that would break the `restricted` level, so the namespace cannot
//! be labelled `enforce: restricted` as it is.

use super::standard::{self, Level};
use super::{LABEL_PREFIX, labelled, namespace_of, pod_of, version_label};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6503",
    "pod-security-restricted",
    Security,
    Warning,
    "A pod template in a namespace without Pod Security labels breaks the restricted level",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(pod) = pod_of(obj) else { return };
        if crate::policy::SYSTEM_NAMESPACES.contains(&obj.namespace()) {
            return;
        }
        if namespace_of(catalog, obj).is_some_and(labelled) {
            return;
        }
        let version = catalog.settings().kube_version;
        for v in standard::evaluate(&pod, Level::Restricted, version) {
            out.push(
                crate::rules::finding(
                    &META,
                    obj,
                    v.span,
                    format!(
                        "{}: {}, which the \"restricted\" Pod Security level forbids ({}, {}); namespace \"{}\" has no {LABEL_PREFIX}enforce label, and labelling it restricted would reject these pods",
                        obj.describe(),
                        v.what,
                        v.check,
                        version_label(version),
                        obj.namespace(),
                    ),
                )
                .with_label("forbidden at restricted")
                .with_help(v.fix),
            );
        }
    }
}
