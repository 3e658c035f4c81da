//! KW2009: an apiVersion+kind newer than the target Kubernetes version: the
//! cluster does not serve it yet (`networking.k8s.io/v1` Ingress on 1.18).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::deprecation::{api_version_span, table};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2009",
    "api-version-not-yet-served",
    Deprecation,
    Error,
    "The object's apiVersion is newer than the target Kubernetes version"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let target = catalog.settings().kube_version;
        let (api_version, kind) = (obj.api_version(), obj.kind());
        let Some(since) = table::served_since(api_version, kind).filter(|s| *s > target) else {
            return;
        };
        let message = format!(
            "{api_version} {kind} is served from Kubernetes {since} on; {target} rejects it (\"no matches for kind\")"
        );
        let help = match table::older_alternative(api_version, kind, target) {
            Some(old) => format!(
                "for Kubernetes {target} write `apiVersion: {old}` (and move to {api_version} when the cluster reaches {since}); if the cluster is newer, pass its version with --kube-version"
            ),
            None => format!(
                "Kubernetes {target} has no version of {kind} to use instead; upgrade the cluster to {since}, or pass the cluster's version with --kube-version if it is newer"
            ),
        };
        out.push(
            finding(&META, obj, api_version_span(obj), message)
                .with_label(format!("served from {since} on"))
                .with_help(help),
        );
    }
}
