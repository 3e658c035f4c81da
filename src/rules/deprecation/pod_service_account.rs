//! KW2005: a pod spec with `serviceAccount`, the deprecated alias of
//! `serviceAccountName`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::edit::Fix;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW2005",
    "pod-service-account",
    Deprecation,
    Warning,
    "A pod spec uses the deprecated serviceAccount field instead of serviceAccountName"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(spec) = obj.pod_template().and_then(|t| t.spec) else {
            return;
        };
        let Some(entry) = spec.entry("serviceAccount") else {
            return;
        };
        let old = entry.value.scalar_text().unwrap_or_default();
        let name_field = spec.get("serviceAccountName");
        let text = crate::rules::fixable::source(catalog, obj);
        let delete = || text.delete_entry(entry).into_iter().collect::<Vec<_>>();
        let fix = match name_field.and_then(|n| n.scalar_text()) {
            _ if old.trim().is_empty() => Fix::safe("delete the empty `serviceAccount`", delete()),
            Some(name) if name == old => Fix::safe("delete `serviceAccount`", delete()),
            // serviceAccountName wins already; whether it is the one meant
            // is for a person to say.
            Some(_) => Fix::unsafe_("delete `serviceAccount`", delete()),
            None => Fix::safe(
                "rename `serviceAccount` to `serviceAccountName`",
                vec![text.rename_key(entry, "serviceAccountName")],
            ),
        };
        let (message, help) = match name_field.and_then(|n| n.scalar_text()) {
            _ if old.trim().is_empty() => (
                "`serviceAccount` is empty: it is a deprecated alias of `serviceAccountName` and sets nothing"
                    .to_string(),
                "delete the `serviceAccount:` line".to_string(),
            ),
            Some(name) if name == old => (
                "`serviceAccount` is a deprecated alias of `serviceAccountName`, which is also set"
                    .to_string(),
                "delete `serviceAccount`".to_string(),
            ),
            Some(name) => (
                format!(
                    "`serviceAccount: {old}` disagrees with `serviceAccountName: {name}`; the API server uses serviceAccountName, and serviceAccount is deprecated"
                ),
                format!(
                    "delete `serviceAccount`, and check that the pods should run as \"{name}\""
                ),
            ),
            None => (
                "`serviceAccount` is deprecated; write `serviceAccountName`".to_string(),
                format!("rename the field: `serviceAccountName: {old}`"),
            ),
        };
        let mut diag = finding(&META, obj, entry.key.span, message)
            .with_label("deprecated field")
            .with_help(help)
            .with_fix(fix);
        if let Some(n) = name_field {
            diag = diag.with_related(obj.file, n.span, "serviceAccountName");
        }
        out.push(diag);
    }
}
