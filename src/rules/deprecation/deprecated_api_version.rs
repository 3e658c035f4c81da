//! KW2002: an apiVersion+kind that the target Kubernetes version still
//! serves but has deprecated; the message says when it goes away.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Object;
use crate::rules::deprecation::{api_version_span, migration_help, table};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2002",
    "deprecated-api-version",
    Deprecation,
    Warning,
    "The object's apiVersion is deprecated in the target Kubernetes version and will be removed"
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
        // Not yet deprecated at the target: nothing to say. Removed: KW2001.
        if row.deprecated > target || row.removed.is_some_and(|r| r <= target) {
            return;
        }
        let replacement = row.replacement_for(target);
        let mut message = format!(
            "{} {} is deprecated since {}",
            row.api_version, row.kind, row.deprecated
        );
        match row.removed {
            Some(removed) => message.push_str(&format!(" and removed in {removed}")),
            None => message.push_str(" (no removal scheduled)"),
        }
        match replacement {
            Some(r) if r.since <= target => {
                message.push_str(&format!(", use {}", r.describe()));
            }
            Some(r) => message.push_str(&format!(
                "; its replacement {} is served from {} on",
                r.describe(),
                r.since
            )),
            None => message.push_str("; it has no replacement API"),
        }
        let mut diag =
            finding(&META, obj, api_version_span(obj), message).with_label(match row.removed {
                Some(removed) => format!("deprecated, removed in {removed}"),
                None => "deprecated".to_string(),
            });
        // A deprecation with no removal date breaks nothing: say it, softly.
        if row.removed.is_none() {
            diag.severity = Severity::Info;
        }
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
