//! KW2001: an apiVersion+kind the target Kubernetes version no longer
//! serves; `kubectl apply` fails with "no matches for kind".

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::deprecation::{api_version_span, migration_help, table};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2001",
    "removed-api-version",
    Deprecation,
    Error,
    "The object's apiVersion is no longer served by the target Kubernetes version"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let target = catalog.settings().kube_version;
        let Some(row) = table::lookup(obj.api_version(), obj.kind()) else {
            return;
        };
        let Some(removed) = row.removed.filter(|r| *r <= target) else {
            return;
        };
        let replacement = row.replacement_for(target);
        let mut message = format!("{} {} was removed in {removed}", row.api_version, row.kind);
        match replacement {
            Some(r) => message.push_str(&format!(", use {}", r.describe())),
            None => message.push_str(" and has no replacement API"),
        }
        message.push_str(&format!(
            "; Kubernetes {target} rejects it (\"no matches for kind\")"
        ));
        let mut diag = finding(&META, obj, api_version_span(obj), message)
            .with_label(format!("removed in {removed}"));
        if let Some(help) = migration_help(obj, row, replacement) {
            diag = diag.with_help(help);
        }
        let text = crate::rules::fixable::source(catalog, obj);
        diag = diag.with_fix(crate::rules::deprecation::migrate::fix(
            text,
            obj,
            row,
            replacement,
            target,
        ));
        out.push(diag);
    }
}
