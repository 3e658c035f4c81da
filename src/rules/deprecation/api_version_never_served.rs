//! KW2010: a built-in API group's apiVersion that never served the kind
//! (`policy/v1` PodSecurityPolicy, `v1` Deployment, `apps/v1` Ingress),
//! while other versions did or do: `kubectl apply` fails with "no matches
//! for kind". The finding names the versions that served the kind and when
//! they were removed, from the bundled schemas (which (apiVersion, kind)
//! pairs each bundled release serves) and the deprecation table (the
//! versions removed before the oldest bundled release).
//!
//! "Never" is only claimed for a GA version (`v1`, `v2`): GA versions are
//! not removed, so one that served the kind before the bundled releases
//! would still be in them. An alpha or beta version may have been served
//! and removed before the bundled releases without the table knowing it, so
//! it is reported only when the target is a bundled release, as a version
//! that release (and every bundled one) does not serve.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::deprecation::{api_version_span, table};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::schema::bundle::{self, group_of};
use crate::settings::KubeVersion;

pub static META: RuleMeta = rule_meta!(
    "KW2010",
    "api-version-never-served",
    Deprecation,
    Error,
    "The object's apiVersion is a built-in API version that never served its kind"
);

pub struct Rule;

/// One apiVersion that served the kind.
#[derive(Debug)]
struct Served {
    api_version: String,
    since: Option<KubeVersion>,
    /// First release that no longer serves it.
    removed: Option<KubeVersion>,
}

impl Served {
    fn serves(&self, target: KubeVersion) -> bool {
        self.since.is_none_or(|s| s <= target) && self.removed.is_none_or(|r| r > target)
    }

    fn describe(&self, target: KubeVersion) -> String {
        match (self.since, self.removed) {
            (_, Some(removed)) if removed <= target => match self.since {
                Some(since) => format!("{} (from {since}, removed in {removed})", self.api_version),
                None => format!("{} (removed in {removed})", self.api_version),
            },
            (Some(since), _) if since > target => {
                format!("{} (from {since})", self.api_version)
            }
            _ => self.api_version.clone(),
        }
    }
}

fn is_ga(api_version: &str) -> bool {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    !version.contains("alpha") && !version.contains("beta")
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let (api_version, kind) = (obj.api_version(), obj.kind());
        if api_version.is_empty() || kind.is_empty() {
            return;
        }
        let Some(b) = bundle::bundle() else {
            return;
        };
        let group = group_of(api_version);
        if !b.is_builtin_group(group)
            || b.defines(api_version, kind)
            || table::lookup(api_version, kind).is_some()
            || table::served_since(api_version, kind).is_some()
        {
            return;
        }
        let (Some(&oldest), Some(&newest)) = (b.versions().first(), b.versions().last()) else {
            return;
        };
        let target = catalog.settings().kube_version;
        let served = served_versions(b, kind, oldest, newest);
        if served.is_empty() {
            // Not a kind Kubernetes has: KW1006 or KW1005.
            return;
        }
        let ga = is_ga(api_version);
        if !ga && target < oldest {
            return;
        }
        // A release newer than the bundled ones may add the version.
        if target > newest
            && served
                .iter()
                .any(|s| group_of(&s.api_version) == group && s.removed.is_none())
        {
            return;
        }
        // The versions the target serves, this group's first; else the
        // whole history, most recently removed first.
        let mut now: Vec<&Served> = served.iter().filter(|s| s.serves(target)).collect();
        now.sort_by_key(|s| group_of(&s.api_version) != group);
        let shown: Vec<String> = if now.is_empty() {
            served.iter().map(|s| s.describe(target)).collect()
        } else {
            now.iter().map(|s| s.describe(target)).collect()
        };
        let list = crate::text::join_names(&shown);
        let mut message = if ga {
            format!(
                "{api_version} has never served {kind}: no Kubernetes release has `{api_version}` {kind}"
            )
        } else {
            format!(
                "{api_version} does not serve {kind}: neither Kubernetes {target} nor any release from {oldest} to {newest} has `{api_version}` {kind}"
            )
        };
        if now.is_empty() {
            message.push_str(&format!(
                "; Kubernetes served {kind} as {list}, and {target} serves none of them"
            ));
        } else {
            message.push_str(&format!("; {kind} is served as {list}"));
        }
        message.push_str(" (\"no matches for kind\")");
        let help = match now.first() {
            Some(s) => format!("write `apiVersion: {}`", s.api_version),
            None => table::all()
                .iter()
                .filter(|row| row.kind == kind)
                .max_by_key(|row| row.removed)
                .and_then(|row| row.notes.clone())
                .unwrap_or_else(|| {
                    format!(
                        "Kubernetes {target} has no version of {kind}: remove the object, or pass the cluster's version with --kube-version if it is older"
                    )
                }),
        };
        out.push(
            finding(&META, obj, api_version_span(obj), message)
                .with_label(if ga { "never served" } else { "not served" })
                .with_help(help),
        );
    }
}

/// Every apiVersion that serves or served `kind`: the bundled releases',
/// then the table's removed versions and replacements. Newest-served first.
fn served_versions(
    b: &bundle::Bundle,
    kind: &str,
    oldest: KubeVersion,
    newest: KubeVersion,
) -> Vec<Served> {
    let mut served: Vec<Served> = Vec::new();
    for (api_version, first, last) in b.served_as(kind) {
        let row = table::lookup(api_version, kind);
        served.push(Served {
            api_version: api_version.to_string(),
            since: table::served_since(api_version, kind)
                .or_else(|| (first > oldest).then_some(first)),
            removed: if last < newest {
                Some(KubeVersion::new(last.major, last.minor + 1))
            } else {
                row.and_then(|r| r.removed)
            },
        });
    }
    for row in table::all() {
        if row.kind == kind && !served.iter().any(|s| s.api_version == row.api_version) {
            served.push(Served {
                api_version: row.api_version.clone(),
                since: table::served_since(&row.api_version, kind),
                removed: row.removed,
            });
        }
        for r in &row.replacements {
            let r_kind = r.kind.as_deref().unwrap_or(&row.kind);
            if r_kind == kind && !served.iter().any(|s| s.api_version == r.api_version) {
                served.push(Served {
                    api_version: r.api_version.clone(),
                    since: table::served_since(&r.api_version, kind),
                    removed: table::lookup(&r.api_version, kind).and_then(|d| d.removed),
                });
            }
        }
    }
    // Still served first, then the most recently removed.
    served.sort_by_key(|s| std::cmp::Reverse(s.removed.unwrap_or(KubeVersion::new(u32::MAX, 0))));
    served
}
