//! The index of every object in the run, built once and shared read-only by
//! all rules. Lookups are O(1) or O(matching objects): a selector is matched
//! by walking the posting list of its rarest `matchLabels` pair, never by
//! scanning every object per object.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::model::Object;
use crate::model::kinds::{canonical_group, is_builtin_group};
use crate::model::selector::{Lookup, Selector};
use crate::model::workload::PodTemplate;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};

/// Index of an object in `Catalog::objects`.
pub type ObjectIdx = u32;

/// A pod template together with the object that owns it.
pub struct TemplateEntry<'a> {
    pub object: ObjectIdx,
    pub template: PodTemplate<'a>,
    /// Labels the owning controller adds to every pod it creates.
    pub generated: Vec<(&'static str, Generated)>,
}

/// The value of a label a controller adds.
#[derive(Clone, Debug)]
pub enum Generated {
    /// Unknowable before the pod exists (a hash, a uid, a generated name).
    Any,
    /// One of these per pod.
    OneOf(Vec<String>),
}

/// Label keys controllers set on the pods they create. They are never in a
/// template, so the label index cannot answer for them.
const GENERATED_KEYS: &[&str] = &[
    "pod-template-hash",
    "controller-revision-hash",
    "pod-template-generation",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "job-name",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
];

/// The labels `obj`'s controller adds to its pods (Kubernetes' controllers:
/// deployment, statefulset, daemonset, job).
fn generated_labels(obj: &Object) -> Vec<(&'static str, Generated)> {
    use Generated::{Any, OneOf};
    match obj.kind() {
        "Deployment" => vec![("pod-template-hash", Any)],
        "StatefulSet" => {
            let replicas = obj
                .root
                .path(&["spec", "replicas"])
                .map_or(Some(1), |n| n.as_i64());
            let (names, indexes) = match replicas {
                // An HPA may scale it: beyond a sane count, any ordinal.
                Some(n) if (0..=1000).contains(&n) => (
                    OneOf((0..n).map(|i| format!("{}-{i}", obj.name())).collect()),
                    OneOf((0..n).map(|i| i.to_string()).collect()),
                ),
                _ => (Any, Any),
            };
            vec![
                ("controller-revision-hash", Any),
                ("statefulset.kubernetes.io/pod-name", names),
                ("apps.kubernetes.io/pod-index", indexes),
            ]
        }
        "DaemonSet" => vec![
            ("controller-revision-hash", Any),
            ("pod-template-generation", Any),
        ],
        "Job" | "CronJob" => {
            let job_name = if obj.kind() == "Job" {
                OneOf(vec![obj.name().to_string()])
            } else {
                Any
            };
            vec![
                ("job-name", job_name.clone()),
                ("batch.kubernetes.io/job-name", job_name),
                ("controller-uid", Any),
                ("batch.kubernetes.io/controller-uid", Any),
                ("batch.kubernetes.io/job-completion-index", Any),
            ]
        }
        _ => Vec::new(),
    }
}

impl TemplateEntry<'_> {
    /// Does the selector select the pods this template creates, counting the
    /// labels the controller adds?
    pub fn selected_by(&self, selector: &Selector<'_>) -> bool {
        selector.matches_with(|key| {
            if let Some((_, v)) = self.template.labels.iter().find(|(k, _)| *k == key) {
                return Lookup::Value(v.as_ref());
            }
            match self.generated.iter().find(|(k, _)| *k == key) {
                Some((_, Generated::Any)) => Lookup::Any,
                Some((_, Generated::OneOf(set))) => Lookup::OneOf(set),
                None => Lookup::Absent,
            }
        })
    }
}

/// Identity of an object: canonical group, kind, namespace, name.
pub type ObjectKey<'a> = (&'a str, &'a str, &'a str, &'a str);

pub struct Catalog<'a> {
    pub objects: &'a [Object],
    /// The run's files, indexed by `FileId` (for rules that quote source text).
    pub sources: &'a [SourceFile],
    settings: &'a Settings,
    by_key: HashMap<ObjectKey<'a>, Vec<ObjectIdx>>,
    /// Namespace -> objects in it ("" for cluster-scoped).
    by_ns: HashMap<&'a str, Vec<ObjectIdx>>,
    /// (namespace, name) -> objects of any kind, in input order.
    by_name: HashMap<(&'a str, &'a str), Vec<ObjectIdx>>,
    /// File -> objects defined in it, in input order.
    by_file: HashMap<FileId, Vec<ObjectIdx>>,
    /// Namespace -> objects of a kind outside the built-in API groups.
    custom_by_ns: HashMap<&'a str, Vec<ObjectIdx>>,
    templates: Vec<TemplateEntry<'a>>,
    /// Namespace -> template indexes (for selectors without matchLabels).
    templates_by_ns: HashMap<&'a str, Vec<u32>>,
    /// (label key, label value) -> template indexes, all namespaces.
    label_index: HashMap<(&'a str, &'a str), Vec<u32>>,
    /// (namespace, label key, label value) -> template indexes, so that a
    /// selector in one namespace never walks another namespace's templates.
    ns_label_index: HashMap<(&'a str, &'a str, &'a str), Vec<u32>>,
}

impl<'a> Catalog<'a> {
    pub fn build(objects: &'a [Object], sources: &'a [SourceFile], settings: &'a Settings) -> Self {
        let mut by_key: HashMap<ObjectKey<'a>, Vec<ObjectIdx>> =
            HashMap::with_capacity(objects.len());
        let mut by_ns: HashMap<&'a str, Vec<ObjectIdx>> = HashMap::new();
        let mut by_name: HashMap<(&'a str, &'a str), Vec<ObjectIdx>> =
            HashMap::with_capacity(objects.len());
        let mut by_file: HashMap<FileId, Vec<ObjectIdx>> = HashMap::new();
        let mut custom_by_ns: HashMap<&'a str, Vec<ObjectIdx>> = HashMap::new();
        let mut templates = Vec::new();
        let mut templates_by_ns: HashMap<&'a str, Vec<u32>> = HashMap::new();
        let mut label_index: HashMap<(&'a str, &'a str), Vec<u32>> = HashMap::new();
        let mut ns_label_index: HashMap<(&'a str, &'a str, &'a str), Vec<u32>> = HashMap::new();
        for (i, obj) in objects.iter().enumerate() {
            let idx = ObjectIdx::try_from(i).unwrap_or(ObjectIdx::MAX);
            if obj.kind.is_some() && obj.name.is_some() {
                by_key.entry(key_of(obj)).or_default().push(idx);
            }
            by_ns.entry(obj.namespace()).or_default().push(idx);
            by_name
                .entry((obj.namespace(), obj.name()))
                .or_default()
                .push(idx);
            by_file.entry(obj.file).or_default().push(idx);
            if obj.kind.is_some() && !is_builtin_group(obj.api_version()) {
                custom_by_ns.entry(obj.namespace()).or_default().push(idx);
            }
            if let Some(template) = obj.pod_template() {
                let t = u32::try_from(templates.len()).unwrap_or(u32::MAX);
                templates_by_ns.entry(obj.namespace()).or_default().push(t);
                templates.push(TemplateEntry {
                    object: idx,
                    template,
                    generated: generated_labels(obj),
                });
            }
        }
        for (t, entry) in templates.iter().enumerate() {
            let t = u32::try_from(t).unwrap_or(u32::MAX);
            let ns = objects
                .get(entry.object as usize)
                .map_or("", |o| o.namespace());
            for (k, v) in &entry.template.labels {
                // Only borrowed values can be index keys; a label whose value
                // is not a string is invalid (KW0008) and never matches.
                if let Cow::Borrowed(v) = v {
                    label_index.entry((*k, *v)).or_default().push(t);
                    ns_label_index.entry((ns, *k, *v)).or_default().push(t);
                }
            }
        }
        Catalog {
            objects,
            sources,
            settings,
            by_key,
            by_ns,
            by_name,
            by_file,
            custom_by_ns,
            templates,
            templates_by_ns,
            label_index,
            ns_label_index,
        }
    }

    /// The source text under a span of a file ("" when out of range).
    pub fn text(&self, file: FileId, span: Span) -> &'a str {
        self.sources
            .get(file as usize)
            .map_or("", |f| f.slice(span))
    }

    pub fn path(&self, file: FileId) -> &'a str {
        self.sources
            .get(file as usize)
            .map_or("", |f| f.path.as_str())
    }

    pub fn object(&self, idx: ObjectIdx) -> Option<&'a Object> {
        self.objects.get(idx as usize)
    }

    /// Objects with this kind (group taken from `api_version`), namespace and name.
    /// The run's settings (target Kubernetes version, strictness, assumed objects).
    pub fn settings(&self) -> &'a Settings {
        self.settings
    }

    pub fn find(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Vec<ObjectIdx> {
        let group = canonical_group(api_version, kind);
        lookup(&self.by_key, (group, kind, namespace, name))
            .cloned()
            .unwrap_or_default()
    }

    /// Groups of objects sharing one identity, in input order.
    pub fn duplicates(&self) -> impl Iterator<Item = &[ObjectIdx]> {
        self.by_key
            .values()
            .filter(|v| v.len() > 1)
            .map(Vec::as_slice)
    }

    pub fn template(&self, t: u32) -> Option<&TemplateEntry<'a>> {
        self.templates.get(t as usize)
    }

    /// Pod templates in `namespace` whose labels the selector matches.
    pub fn templates_matching(
        &self,
        namespace: &str,
        selector: &Selector<'_>,
    ) -> Vec<&TemplateEntry<'a>> {
        self.candidates(Some(namespace), selector)
    }

    /// Pod templates in any namespace other than `namespace` that the selector
    /// would match (for "a match exists in namespace X" hints).
    pub fn templates_matching_elsewhere(
        &self,
        namespace: &str,
        selector: &Selector<'_>,
    ) -> Vec<&TemplateEntry<'a>> {
        self.candidates(None, selector)
            .into_iter()
            .filter(|e| {
                self.object(e.object)
                    .is_some_and(|o| o.namespace() != namespace)
            })
            .collect()
    }

    fn candidates(
        &self,
        namespace: Option<&str>,
        selector: &Selector<'_>,
    ) -> Vec<&TemplateEntry<'a>> {
        if selector.invalid {
            return Vec::new();
        }
        // The rarest matchLabels pair bounds the work; without one, fall back
        // to the namespace's templates (or all of them).
        let posting: Option<&[u32]> = selector
            .match_labels
            .iter()
            .filter(|(k, _)| !GENERATED_KEYS.contains(k))
            .map(|(k, v)| {
                let list = match namespace {
                    Some(ns) => lookup(&self.ns_label_index, (ns, *k, v.as_ref())),
                    None => lookup(&self.label_index, (*k, v.as_ref())),
                };
                list.map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|p| p.len());
        let in_ns = |e: &&TemplateEntry<'a>| {
            namespace.is_none_or(|ns| self.object(e.object).is_some_and(|o| o.namespace() == ns))
        };
        let check = |e: &&TemplateEntry<'a>| e.selected_by(selector);
        match posting {
            Some(list) => list
                .iter()
                .filter_map(|&t| self.template(t))
                .filter(in_ns)
                .filter(check)
                .collect(),
            None => match namespace {
                Some(ns) => self
                    .templates_by_ns
                    .get(ns)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter_map(|&t| self.template(t))
                    .filter(check)
                    .collect(),
                None => self.templates.iter().filter(check).collect(),
            },
        }
    }

    /// Every object in a namespace ("" for cluster-scoped), in input order.
    pub fn in_namespace(&self, namespace: &str) -> impl Iterator<Item = &'a Object> + '_ {
        self.by_ns
            .get(namespace)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.object(i))
    }

    /// Objects of any kind named `name` in `namespace`, in input order.
    pub fn named<'s>(
        &'s self,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = &'a Object> + 's {
        lookup(&self.by_name, (namespace, name))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.object(i))
    }

    /// Objects defined in `file`, in input order.
    pub fn in_file(&self, file: FileId) -> impl Iterator<Item = &'a Object> + '_ {
        self.by_file
            .get(&file)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.object(i))
    }

    /// Objects in `namespace` whose kind is outside the built-in API groups
    /// (custom resources), in input order.
    pub fn custom_resources_in(&self, namespace: &str) -> impl Iterator<Item = &'a Object> + '_ {
        self.custom_by_ns
            .get(namespace)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.object(i))
    }

    /// Does the namespace hold any pod template at all?
    pub fn namespace_has_templates(&self, namespace: &str) -> bool {
        self.templates_by_ns.contains_key(namespace)
    }
}

fn key_of(obj: &Object) -> ObjectKey<'_> {
    (
        canonical_group(obj.api_version(), obj.kind()),
        obj.kind(),
        obj.namespace(),
        obj.name(),
    )
}

/// `HashMap::get` with a key of shorter lifetime than the map's keys: the map
/// is covariant in its key type, so the borrow can be shortened to match.
fn lookup<K: Eq + std::hash::Hash, V>(map: &HashMap<K, V>, key: K) -> Option<&V> {
    map.get(&key)
}
