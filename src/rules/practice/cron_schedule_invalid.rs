//! KW5101: a CronJob whose `schedule` the API server rejects (it parses it
//! with robfig/cron's standard parser: `cron::parse` here), or that names a
//! time zone twice (`CRON_TZ=` in the schedule and `spec.timeZone`), or
//! whose `timeZone` is empty or `Local`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::cron;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5101",
    "cron-schedule-invalid",
    Practice,
    Error,
    "A CronJob's schedule or timeZone does not parse, so the API server rejects it"
);

pub struct Rule;

const HELP: &str = "five fields `MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK` (`*/15 * * * *`, `0 3 * * MON-FRI`), or a macro (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`); the time zone goes in `spec.timeZone`";

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "CronJob" || !obj.api_version().starts_with("batch/") {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let time_zone = spec.get("timeZone").filter(|n| !n.is_null());
        if let Some(tz) = time_zone.and_then(|n| n.as_str()) {
            let problem = if tz.is_empty() {
                Some("is empty")
            } else if tz.eq_ignore_ascii_case("Local") {
                Some("is `Local`, which the API server refuses (it must name an IANA zone)")
            } else {
                None
            };
            if let (Some(problem), Some(node)) = (problem, time_zone) {
                out.push(
                    finding(&META, obj, node.span, format!("{} spec.timeZone {problem}", obj.describe()))
                        .with_label("invalid time zone")
                        .with_help("name an IANA zone (`Europe/Berlin`, `Etc/UTC`), or leave timeZone out for the controller's zone"),
                );
            }
        }
        // A non-string schedule is the schema rules' finding.
        let Some(node) = spec.get("schedule") else {
            return;
        };
        let Some(schedule) = node.as_str() else {
            return;
        };
        match cron::parse(schedule) {
            Err(e) => out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} schedule \"{schedule}\" does not parse: {e}; the API server rejects the CronJob",
                        obj.describe()
                    ),
                )
                .with_label("invalid schedule")
                .with_help(HELP),
            ),
            Ok(parsed) => {
                if let (Some(zone), Some(_)) = (parsed.time_zone, time_zone) {
                    out.push(
                        finding(
                            &META,
                            obj,
                            node.span,
                            format!(
                                "{} names its time zone twice, `{zone}` in the schedule and spec.timeZone: the API server rejects a schedule with TZ= or CRON_TZ= when timeZone is set",
                                obj.describe()
                            ),
                        )
                        .with_label("time zone in the schedule")
                        .with_help("remove the `CRON_TZ=`/`TZ=` prefix and keep `spec.timeZone`"),
                    );
                }
            }
        }
    }
}
