//! KW5104 (opt-in): a Job without `ttlSecondsAfterFinished`, so the
//! finished Job and its pods stay until someone deletes them. CronJobs are
//! not judged: their history limits clean up.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5104",
    "job-ttl-missing",
    Practice,
    Info,
    "A Job has no ttlSecondsAfterFinished, so it and its pods stay after it finishes (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Job" || !obj.api_version().starts_with("batch/") {
            return;
        }
        let Some(spec) = obj.root.entry("spec") else {
            return;
        };
        if spec
            .value
            .get("ttlSecondsAfterFinished")
            .is_some_and(|n| !n.is_null())
        {
            return;
        }
        out.push(
            finding(
                &META,
                obj,
                spec.key.span,
                format!(
                    "{} has no ttlSecondsAfterFinished: once it finishes, the Job and its pods (with their logs) stay in the namespace until deleted by hand, and re-applying the manifest does not run it again",
                    obj.describe()
                ),
            )
            .with_label("finished Job kept")
            .with_help("set `spec.ttlSecondsAfterFinished` (`86400` keeps it a day for its logs)"),
        );
    }
}
