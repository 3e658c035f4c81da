//! The deprecated/removed API table (`schemas/deprecations.yaml`), embedded
//! in the binary and read once, on first use, with kwire's own YAML parser
//! (about 15 KB: well under a millisecond).

use std::sync::LazyLock;

use crate::parse::{Node, parse_file};
use crate::settings::KubeVersion;
use crate::source::SourceFile;

/// The table's source text, as bundled.
pub static SOURCE: &str = include_str!("../../../schemas/deprecations.yaml");

/// One apiVersion+kind that was deprecated (and maybe removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub api_version: String,
    pub kind: String,
    pub deprecated: KubeVersion,
    /// `None`: deprecated, but no removal is scheduled.
    pub removed: Option<KubeVersion>,
    /// Newest first.
    pub replacements: Vec<Replacement>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub api_version: String,
    /// Set when the replacement is another kind (Endpoints -> EndpointSlice).
    pub kind: Option<String>,
    pub since: KubeVersion,
}

impl Deprecation {
    /// The replacement to suggest for `target`: the newest one the target
    /// serves, else the oldest one (which the user gets by upgrading).
    pub fn replacement_for(&self, target: KubeVersion) -> Option<&Replacement> {
        self.replacements
            .iter()
            .find(|r| r.since <= target)
            .or_else(|| self.replacements.last())
    }
}

impl Replacement {
    /// `networking.k8s.io/v1`, or `discovery.k8s.io/v1 EndpointSlice` when
    /// the kind changes too.
    pub fn describe(&self) -> String {
        match &self.kind {
            Some(kind) => format!("{} {kind}", self.api_version),
            None => self.api_version.clone(),
        }
    }
}

static TABLE: LazyLock<Result<Vec<Deprecation>, String>> = LazyLock::new(|| parse(SOURCE));

/// Every row of the bundled table (empty if the bundled file were broken,
/// which a test rules out).
pub fn all() -> &'static [Deprecation] {
    TABLE.as_deref().unwrap_or(&[])
}

/// The row for an apiVersion+kind, if it was ever deprecated.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static Deprecation> {
    all()
        .iter()
        .find(|d| d.api_version == api_version && d.kind == kind)
}

/// Does the table name `kind` at all (as a deprecated row or a replacement)?
pub fn knows_kind(kind: &str) -> bool {
    all().iter().any(|row| {
        row.kind == kind
            || row
                .replacements
                .iter()
                .any(|r| r.kind.as_deref().unwrap_or(&row.kind) == kind)
    })
}

/// The first release known to serve `api_version` `kind`, from the
/// replacements the table names (`networking.k8s.io/v1` Ingress: 1.19).
/// `None` when the table does not say (most current APIs).
pub fn served_since(api_version: &str, kind: &str) -> Option<KubeVersion> {
    all()
        .iter()
        .flat_map(|row| {
            row.replacements.iter().filter(move |r| {
                r.api_version == api_version && r.kind.as_deref().unwrap_or(&row.kind) == kind
            })
        })
        .map(|r| r.since)
        .min()
}

/// An older apiVersion of `kind` that `target` serves, for someone whose
/// cluster predates the version they wrote: another replacement listed next
/// to it (`networking.k8s.io/v1beta1` next to `networking.k8s.io/v1`), or
/// the deprecated version it replaced, whichever is newest among those the
/// target serves.
pub fn older_alternative(
    api_version: &str,
    kind: &str,
    target: KubeVersion,
) -> Option<&'static str> {
    let kind_of = |row: &'static Deprecation, r: &'static Replacement| -> &'static str {
        r.kind.as_deref().unwrap_or(&row.kind)
    };
    let still_served = |api: &str| {
        lookup(api, kind).is_none_or(|d| d.removed.is_none_or(|removed| removed > target))
    };
    let mut best: Option<(KubeVersion, &'static str)> = None;
    let mut offer = |since: KubeVersion, api: &'static str| {
        if api != api_version
            && since <= target
            && still_served(api)
            && best.is_none_or(|(b, _)| since > b)
        {
            best = Some((since, api));
        }
    };
    for row in all() {
        let names_it = row
            .replacements
            .iter()
            .any(|r| r.api_version == api_version && kind_of(row, r) == kind);
        if !names_it {
            continue;
        }
        for r in &row.replacements {
            if kind_of(row, r) == kind {
                offer(r.since, &r.api_version);
            }
        }
        if row.kind == kind {
            let since = served_since(&row.api_version, kind).unwrap_or(KubeVersion::new(0, 0));
            offer(since, &row.api_version);
        }
    }
    best.map(|(_, api)| api)
}

/// Parses the table; errors name the row at fault.
pub fn parse(text: &str) -> Result<Vec<Deprecation>, String> {
    let source = SourceFile::new("deprecations.yaml", text.to_string());
    let parsed = parse_file(0, &source);
    if let Some(d) = parsed.diagnostics.first() {
        return Err(format!("deprecations.yaml: {}", d.message));
    }
    let Some(doc) = parsed.documents.first() else {
        return Err("deprecations.yaml is empty".into());
    };
    let rows = doc
        .root
        .as_seq()
        .ok_or("deprecations.yaml must be a sequence of rows")?;
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = |what: &str| format!("deprecations.yaml row {}: {what}", i + 1);
        let api_version = row
            .get_str("apiVersion")
            .ok_or_else(|| at("no apiVersion"))?;
        let version = |key: &str| -> Result<Option<KubeVersion>, String> {
            match row.get(key) {
                None => Ok(None),
                Some(n) => version_of(n).map(Some).map_err(|e| at(&e)),
            }
        };
        let deprecated = version("deprecated")?.ok_or_else(|| at("no deprecated version"))?;
        let removed = version("removed")?;
        if removed.is_some_and(|r| r < deprecated) {
            return Err(at("removed before it was deprecated"));
        }
        let mut replacements = Vec::new();
        for r in row.get_seq("replacements") {
            replacements.push(Replacement {
                api_version: r
                    .get_str("apiVersion")
                    .ok_or_else(|| at("replacement without apiVersion"))?
                    .to_string(),
                kind: r.get_str("kind").map(str::to_string),
                since: r
                    .get("since")
                    .ok_or_else(|| at("replacement without since"))
                    .and_then(|n| version_of(n).map_err(|e| at(&e)))?,
            });
        }
        let notes = row.get_str("notes").map(str::to_string);
        let kinds = row.get_seq("kinds");
        if kinds.is_empty() {
            return Err(at("no kinds"));
        }
        for kind in kinds {
            let kind = kind.as_str().ok_or_else(|| at("a kind is not a string"))?;
            out.push(Deprecation {
                api_version: api_version.to_string(),
                kind: kind.to_string(),
                deprecated,
                removed,
                replacements: replacements.clone(),
                notes: notes.clone(),
            });
        }
    }
    Ok(out)
}

/// Versions must be quoted strings: an unquoted `1.30` is the float 1.3.
fn version_of(node: &Node) -> Result<KubeVersion, String> {
    let text = node
        .as_str()
        .ok_or_else(|| format!("version {:?} must be a quoted string", node.scalar_text()))?;
    KubeVersion::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_parses_and_has_no_duplicates() {
        let rows = parse(SOURCE).unwrap();
        assert!(rows.len() > 60, "{}", rows.len());
        let mut seen = std::collections::BTreeSet::new();
        for r in &rows {
            assert!(
                seen.insert((r.api_version.clone(), r.kind.clone())),
                "duplicate row {} {}",
                r.api_version,
                r.kind
            );
        }
        assert_eq!(all().len(), rows.len());
    }

    #[test]
    fn unquoted_versions_are_refused() {
        let err = parse("- apiVersion: a/v1\n  kinds: [A]\n  deprecated: 1.30\n").unwrap_err();
        assert!(err.contains("quoted"), "{err}");
    }

    #[test]
    fn replacement_follows_the_target() {
        let row = lookup("extensions/v1beta1", "Ingress").unwrap();
        let at = |minor| {
            row.replacement_for(KubeVersion::new(1, minor))
                .unwrap()
                .api_version
                .as_str()
        };
        assert_eq!(at(29), "networking.k8s.io/v1");
        assert_eq!(at(18), "networking.k8s.io/v1beta1");
        assert_eq!(at(10), "networking.k8s.io/v1beta1");
    }

    #[test]
    fn served_since_and_older_alternative() {
        let v = KubeVersion::new;
        assert_eq!(
            served_since("networking.k8s.io/v1", "Ingress"),
            Some(v(1, 19))
        );
        assert_eq!(
            served_since("networking.k8s.io/v1beta1", "Ingress"),
            Some(v(1, 14))
        );
        assert_eq!(
            served_since("discovery.k8s.io/v1", "EndpointSlice"),
            Some(v(1, 21))
        );
        assert_eq!(served_since("v1", "Pod"), None);
        let alt = |api, kind, minor| older_alternative(api, kind, v(1, minor));
        assert_eq!(
            alt("networking.k8s.io/v1", "Ingress", 18),
            Some("networking.k8s.io/v1beta1")
        );
        assert_eq!(
            alt("networking.k8s.io/v1", "Ingress", 13),
            Some("extensions/v1beta1")
        );
        assert_eq!(
            alt("autoscaling/v2", "HorizontalPodAutoscaler", 22),
            Some("autoscaling/v2beta2")
        );
        assert_eq!(alt("batch/v1", "CronJob", 20), Some("batch/v1beta1"));
        assert_eq!(
            alt("resource.k8s.io/v1", "ResourceClaim", 33),
            Some("resource.k8s.io/v1beta1")
        );
        assert_eq!(
            alt("resource.k8s.io/v1", "DeviceClass", 31),
            Some("resource.k8s.io/v1alpha3")
        );
        assert_eq!(
            alt("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", 28),
            Some("flowcontrol.apiserver.k8s.io/v1beta3")
        );
    }
}
