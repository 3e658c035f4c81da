//! The bundled Kubernetes schemas (`schemas/kubernetes.json.zst`, written by
//! `scripts/update-schemas.py`): decompressed and parsed once, on first use.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::settings::KubeVersion;

static BYTES: &[u8] = include_bytes!("../../schemas/kubernetes.json.zst");

#[derive(Deserialize)]
struct Raw {
    versions: Vec<String>,
    /// Kept as text: a run parses only the definitions its kinds reach.
    defs: Vec<Box<RawValue>>,
    /// Definition name -> [(version bit mask, index into `defs`)].
    names: HashMap<String, Vec<(u64, usize)>>,
    /// `apiVersion/kind` -> [(version bit mask, definition name)].
    kinds: HashMap<String, Vec<(u64, String)>>,
}

pub struct Bundle {
    versions: Vec<KubeVersion>,
    raw: Raw,
    /// API groups the bundle knows in any version ("" is the core group).
    groups: HashSet<String>,
}

/// The bundle, or `None` if it cannot be read (a build defect, reported by a test).
pub fn bundle() -> Option<&'static Bundle> {
    static BUNDLE: OnceLock<Option<Bundle>> = OnceLock::new();
    BUNDLE.get_or_init(load).as_ref()
}

fn load() -> Option<Bundle> {
    let mut decoder = ruzstd::decoding::StreamingDecoder::new(BYTES).ok()?;
    let mut json = Vec::new();
    decoder.read_to_end(&mut json).ok()?;
    let raw: Raw = serde_json::from_slice(&json).ok()?;
    let versions = raw
        .versions
        .iter()
        .map(|v| KubeVersion::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let groups = raw
        .kinds
        .keys()
        .map(|k| group_of(k.rsplit_once('/').map_or("", |(av, _)| av)).to_string())
        .collect();
    Some(Bundle {
        versions,
        raw,
        groups,
    })
}

/// The API group of an apiVersion ("" for the core group `v1`).
pub fn group_of(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

/// A bundled schema version, as an index into the bundle's versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VersionIdx(usize);

impl Bundle {
    pub fn versions(&self) -> &[KubeVersion] {
        &self.versions
    }

    /// The bundled version nearest to `wanted` (the oldest or newest bundled
    /// one outside the bundled range) and that version.
    pub fn select(&self, wanted: KubeVersion) -> (VersionIdx, KubeVersion) {
        let mut best = 0;
        for (i, v) in self.versions.iter().enumerate() {
            if *v <= wanted {
                best = i;
            }
        }
        let best = match self.versions.first() {
            Some(first) if wanted < *first => 0,
            _ => best,
        };
        (
            VersionIdx(best),
            self.versions.get(best).copied().unwrap_or(wanted),
        )
    }

    /// The bundled versions after `v`, oldest first.
    pub fn newer_than(
        &self,
        v: VersionIdx,
    ) -> impl Iterator<Item = (VersionIdx, KubeVersion)> + '_ {
        self.versions
            .iter()
            .enumerate()
            .skip(v.0 + 1)
            .map(|(i, version)| (VersionIdx(i), *version))
    }

    fn bit(v: VersionIdx) -> u64 {
        1u64.checked_shl(u32::try_from(v.0).unwrap_or(u32::MAX))
            .unwrap_or(0)
    }

    /// The definition name of a kind in a version.
    pub fn kind_def(&self, api_version: &str, kind: &str, v: VersionIdx) -> Option<&str> {
        let entries = self.raw.kinds.get(&format!("{api_version}/{kind}"))?;
        entries
            .iter()
            .find(|(mask, _)| mask & Self::bit(v) != 0)
            .map(|(_, name)| name.as_str())
    }

    /// Does any bundled version define this apiVersion (any kind)?
    pub fn has_api_version(&self, api_version: &str, v: Option<VersionIdx>) -> bool {
        let prefix = format!("{api_version}/");
        self.raw.kinds.iter().any(|(k, entries)| {
            k.strip_prefix(&prefix)
                .is_some_and(|kind| !kind.contains('/'))
                && v.is_none_or(|v| entries.iter().any(|(m, _)| m & Self::bit(v) != 0))
        })
    }

    /// Is `kind` a kind of any API group in any bundled version?
    pub fn knows_kind(&self, kind: &str) -> bool {
        self.raw
            .kinds
            .keys()
            .any(|k| k.rsplit_once('/').is_some_and(|(_, k)| k == kind))
    }

    /// Does any bundled version define this apiVersion and kind?
    pub fn defines(&self, api_version: &str, kind: &str) -> bool {
        self.raw
            .kinds
            .contains_key(&format!("{api_version}/{kind}"))
    }

    /// Every apiVersion that serves `kind` in some bundled version, with the
    /// first and last bundled version serving it; sorted by apiVersion.
    pub fn served_as(&self, kind: &str) -> Vec<(&str, KubeVersion, KubeVersion)> {
        let mut out = Vec::new();
        for (key, entries) in &self.raw.kinds {
            let Some((api_version, k)) = key.rsplit_once('/') else {
                continue;
            };
            if k != kind {
                continue;
            }
            let mask = entries.iter().fold(0u64, |m, (bits, _)| m | bits);
            let served: Vec<KubeVersion> = self
                .versions
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & Self::bit(VersionIdx(*i)) != 0)
                .map(|(_, v)| *v)
                .collect();
            if let (Some(first), Some(last)) = (served.first(), served.last()) {
                out.push((api_version, *first, *last));
            }
        }
        out.sort_unstable();
        out
    }

    /// The kinds of an apiVersion in a version (for "did you mean").
    pub fn kinds_of(&self, api_version: &str, v: VersionIdx) -> Vec<&str> {
        let prefix = format!("{api_version}/");
        let mut kinds: Vec<&str> = self
            .raw
            .kinds
            .iter()
            .filter(|(_, entries)| entries.iter().any(|(m, _)| m & Self::bit(v) != 0))
            .filter_map(|(k, _)| k.strip_prefix(&prefix))
            .filter(|kind| !kind.contains('/'))
            .collect();
        kinds.sort_unstable();
        kinds
    }

    /// Is this a Kubernetes built-in API group (one the bundle knows, or a
    /// removed one)?
    pub fn is_builtin_group(&self, group: &str) -> bool {
        self.groups.contains(group) || group == "extensions"
    }

    fn def(&self, name: &str, v: VersionIdx) -> Option<Value> {
        let entries = self.raw.names.get(name)?;
        let (_, idx) = entries.iter().find(|(m, _)| m & Self::bit(v) != 0)?;
        serde_json::from_str(self.raw.defs.get(*idx)?.get()).ok()
    }

    /// A standalone schema for a definition: `$ref` to it plus every
    /// definition it reaches.
    pub fn root_schema(&self, name: &str, v: VersionIdx) -> Option<Value> {
        let mut defs = Map::new();
        let mut todo = vec![name.to_string()];
        while let Some(next) = todo.pop() {
            if defs.contains_key(&next) {
                continue;
            }
            let body = self.def(&next, v)?;
            collect_refs(&body, &mut todo);
            defs.insert(next, body);
        }
        let mut root = Map::new();
        root.insert("$defs".into(), Value::Object(defs));
        root.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
        Some(Value::Object(root))
    }
}

fn collect_refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    if let Some(name) = v.as_str().and_then(|r| r.strip_prefix("#/$defs/")) {
                        out.push(name.to_string());
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_loads_and_selects_versions() {
        let b = bundle().expect("bundle");
        assert!(b.versions().len() >= 4);
        assert_eq!(b.versions().last(), Some(&KubeVersion::NEWEST));
        let (_, v) = b.select(KubeVersion::new(1, 99));
        assert_eq!(v, KubeVersion::NEWEST);
        let (_, v) = b.select(KubeVersion::new(1, 10));
        assert_eq!(Some(&v), b.versions().first());
        let (i, v) = b.select(KubeVersion::new(1, 34));
        assert_eq!(v, KubeVersion::new(1, 34));
        assert_eq!(
            b.kind_def("apps/v1", "Deployment", i),
            Some("api.apps.v1.Deployment")
        );
        assert!(b.root_schema("api.apps.v1.Deployment", i).is_some());
        assert!(b.is_builtin_group("apps") && b.is_builtin_group(""));
        assert!(!b.is_builtin_group("monitoring.coreos.com"));
    }

    #[test]
    fn kinds_differ_by_version() {
        let b = bundle().expect("bundle");
        // flowcontrol v1beta3 was removed in 1.32.
        let (old, _) = b.select(KubeVersion::new(1, 29));
        let (new, _) = b.select(KubeVersion::new(1, 33));
        let av = "flowcontrol.apiserver.k8s.io/v1beta3";
        assert!(b.kind_def(av, "FlowSchema", old).is_some());
        assert!(b.kind_def(av, "FlowSchema", new).is_none());
    }
}
