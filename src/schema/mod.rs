//! Schema validation support: the bundled Kubernetes schemas, schemas of
//! CustomResourceDefinitions in the input, `--schema-dir` schemas, and a
//! thread-safe cache that compiles one validator per (apiVersion, kind)
//! present in the input, on first use.

pub mod bundle;
pub mod crd;
pub mod istio;
pub mod json;
pub mod tree_json;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde_json::Value;

use crate::model::Object;
use crate::parse::Node;
use crate::settings::{KubeVersion, Settings};
use crate::source::{FileId, SourceFile, Span};

/// Where an object's schema came from.
#[derive(Clone, Debug)]
pub enum Origin {
    /// The bundled Kubernetes schemas of this version.
    Builtin(KubeVersion),
    /// A CustomResourceDefinition in the input.
    Crd { file: FileId, span: Span },
    /// A file of a `--schema-dir`.
    File(PathBuf),
    /// kwire's hand-written Istio networking schemas.
    Istio,
}

/// The outcome of looking up (and compiling) an object's schema.
pub enum Resolved {
    Found {
        /// Validates kwire's tree directly (no `serde_json` copy): most
        /// objects are valid, and this is all they cost.
        fast: Fast,
        /// The same schema for the `serde_json` copy of an object the fast
        /// check rejected, to collect the errors; compiled on first need.
        validator: OnceLock<Option<Box<jsonschema::Validator>>>,
        /// The compiled schema, to read allowed names for "did you mean".
        schema: Box<Value>,
        origin: Origin,
    },
    /// A built-in apiVersion that has no such kind, but one spelled alike.
    UnknownKind { near: String },
    /// A built-in apiVersion the target version does not serve (removed or
    /// not yet added): the deprecation rules speak about it.
    OtherVersion,
    /// No schema anywhere (a custom resource without its CRD).
    Missing,
    /// A schema was found but cannot be used.
    Broken { origin: Origin, reason: String },
}

type Key = (String, String);

/// kind -> its schema, compiled once.
type KindCells = HashMap<String, Arc<OnceLock<Resolved>>>;

/// A CRD's schema for one served version, converted when first needed.
struct CrdSchema<'a> {
    schema: &'a Node,
    file: FileId,
}

pub struct Registry<'a> {
    kube_version: KubeVersion,
    crds: HashMap<Key, CrdSchema<'a>>,
    schema_dirs: Vec<PathBuf>,
    /// apiVersion -> kind -> the compiled schema.
    cache: Mutex<HashMap<String, KindCells>>,
    /// The first object (file, document) of each (apiVersion, kind).
    first: HashMap<(&'a str, &'a str), (FileId, usize)>,
    /// Files in (or one level below) a kustomize directory: partial objects (patches, fields
    /// kustomize adds such as selectors from `labels`) are normal there.
    kustomized: HashSet<FileId>,
    /// Bundled schemas of versions newer than the target, built only to
    /// tell a field that is unknown in the target from a field added later:
    /// (definition, version) -> its root schema.
    newer: Mutex<NewerSchemas>,
}

type NewerSchemas = HashMap<(String, bundle::VersionIdx), Option<Arc<Value>>>;

impl<'a> Registry<'a> {
    pub fn build(objects: &'a [Object], sources: &[SourceFile], settings: &Settings) -> Self {
        let mut crds = HashMap::new();
        let mut first: HashMap<(&'a str, &'a str), (FileId, usize)> = HashMap::new();
        for obj in objects {
            let here = (obj.file, obj.doc_index);
            first
                .entry((obj.api_version(), obj.kind()))
                .and_modify(|f| *f = (*f).min(here))
                .or_insert(here);
            if obj.kind() == "CustomResourceDefinition" {
                for (api_version, kind, schema) in crd::schemas(obj) {
                    crds.entry((api_version, kind)).or_insert(CrdSchema {
                        schema,
                        file: obj.file,
                    });
                }
            }
        }
        let mut dirs: HashMap<&Path, bool> = HashMap::new();
        let mut kustomized = HashSet::new();
        for obj in objects {
            let Some(dir) = sources
                .get(obj.file as usize)
                .and_then(|f| Path::new(&f.path).parent())
            else {
                continue;
            };
            // The directory or its parent (`overlays/` and `patches/`
            // directories next to a kustomization).
            let is_kustomize = *dirs.entry(dir).or_insert_with(|| {
                dir.ancestors().take(2).any(|d| {
                    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
                        .iter()
                        .any(|n| d.join(n).is_file())
                })
            });
            if is_kustomize {
                kustomized.insert(obj.file);
            }
        }
        Registry {
            kube_version: settings.kube_version,
            kustomized,
            crds,
            schema_dirs: settings.schema_dirs.clone(),
            cache: Mutex::new(HashMap::new()),
            first,
            newer: Mutex::new(HashMap::new()),
        }
    }

    /// The `openAPIV3Schema` node of the CRD that defines (apiVersion,
    /// kind), if one of the input does: to point at a property's own
    /// definition rather than at the whole schema.
    pub fn crd_schema(&self, api_version: &str, kind: &str) -> Option<&'a Node> {
        self.crds
            .get(&(api_version.to_string(), kind.to_string()))
            .map(|c| c.schema)
    }

    /// Is the object's file next to a kustomization file?
    pub fn in_kustomize_dir(&self, obj: &Object) -> bool {
        self.kustomized.contains(&obj.file)
    }

    /// Is `obj` the first object of its (apiVersion, kind) in the run?
    pub fn is_first_of_kind(&self, obj: &Object) -> bool {
        self.first
            .get(&(obj.api_version(), obj.kind()))
            .is_some_and(|f| *f == (obj.file, obj.doc_index))
    }

    /// The schema of (apiVersion, kind), compiled once per run.
    pub fn resolve(&self, api_version: &str, kind: &str) -> Arc<OnceLock<Resolved>> {
        let cell = {
            // Looked up once per object: no key is allocated when it is there.
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            let kinds = match cache.get_mut(api_version) {
                Some(kinds) => kinds,
                None => cache.entry(api_version.to_string()).or_default(),
            };
            match kinds.get(kind) {
                Some(cell) => cell.clone(),
                None => kinds.entry(kind.to_string()).or_default().clone(),
            }
        };
        cell.get_or_init(|| self.compile(api_version, kind));
        cell
    }

    fn compile(&self, api_version: &str, kind: &str) -> Resolved {
        // Extra schema files win: that is what `--schema-dir` is for.
        for dir in &self.schema_dirs {
            if let Some(path) = schema_file(dir, api_version, kind) {
                let origin = Origin::File(path.clone());
                let schema = crate::fsio::read_text(&path, crate::fsio::DEFAULT_MAX_FILE_SIZE)
                    .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()));
                return match schema {
                    Ok(schema) => compiled(schema, origin),
                    Err(reason) => Resolved::Broken { origin, reason },
                };
            }
        }
        if let Some(crd) = self.crds.get(&(api_version.to_string(), kind.to_string())) {
            // The schema's first line, not the whole schema (thousands of
            // lines in real CRDs): what a related location shows.
            let origin = Origin::Crd {
                file: crd.file,
                span: crate::model::first_line_span(crd.schema),
            };
            return compiled(crd::from_node(crd.schema), origin);
        }
        if let Some(schema) = istio::schema(api_version, kind) {
            return compiled(schema, Origin::Istio);
        }
        let Some(b) = bundle::bundle() else {
            return Resolved::Missing;
        };
        let (v, version) = b.select(self.kube_version);
        if let Some(def) = b.kind_def(api_version, kind, v) {
            return match b.root_schema(def, v) {
                Some(schema) => compiled(schema, Origin::Builtin(version)),
                None => Resolved::Broken {
                    origin: Origin::Builtin(version),
                    reason: format!("the bundled schema of {def} is incomplete"),
                },
            };
        }
        if b.is_builtin_group(bundle::group_of(api_version)) {
            if b.knows_kind(kind) || crate::rules::deprecation::table::knows_kind(kind) {
                // Served by another version, or removed (before the
                // bundled versions, too): the deprecation rules speak
                // about it (KW2001, KW2009, KW2010).
                return Resolved::OtherVersion;
            }
            let known = b.kinds_of(api_version, v);
            if let Some(near) = crate::rules::schema::nearest(kind, known.iter().copied()) {
                return Resolved::UnknownKind {
                    near: near.to_string(),
                };
            }
        }
        Resolved::Missing
    }

    /// Compiles the schema of every (apiVersion, kind) of the input on all
    /// cores at once, before the rules ask: a large schema (a CRD's, the
    /// CustomResourceDefinition kind's own) compiled inside a check holds
    /// up every thread that meets the same kind.
    pub fn precompile(&self) {
        use rayon::prelude::*;
        let mut kinds: Vec<(&str, &str)> = self.first.keys().copied().collect();
        kinds.sort_unstable();
        kinds.par_iter().for_each(|(api_version, kind)| {
            if !api_version.is_empty() && !kind.is_empty() {
                self.resolve(api_version, kind);
            }
        });
    }

    /// The compiled schemas, to be freed apart from the registry (which
    /// borrows the objects): they own no borrowed data.
    pub fn take_compiled(&mut self) -> impl Send + 'static + use<'a> {
        std::mem::take(self.cache.get_mut().unwrap_or_else(PoisonError::into_inner))
    }

    /// The first bundled version newer than the one checked against whose
    /// schema of (apiVersion, kind) passes `has_it` (the field is there):
    /// "added in 1.30". `None` when no newer version has it.
    pub fn added_in(
        &self,
        api_version: &str,
        kind: &str,
        has_it: impl Fn(&Value) -> bool,
    ) -> Option<KubeVersion> {
        let b = bundle::bundle()?;
        let (current, _) = b.select(self.kube_version);
        for (v, version) in b.newer_than(current) {
            let Some(def) = b.kind_def(api_version, kind, v) else {
                continue;
            };
            let schema = {
                let mut newer = self.newer.lock().unwrap_or_else(PoisonError::into_inner);
                newer
                    .entry((def.to_string(), v))
                    .or_insert_with(|| b.root_schema(def, v).map(Arc::new))
                    .clone()
            };
            if schema.is_some_and(|s| has_it(&s)) {
                return Some(version);
            }
        }
        None
    }

    /// The bundled version schemas are checked against.
    pub fn schema_version(&self) -> Option<KubeVersion> {
        bundle::bundle().map(|b| b.select(self.kube_version).1)
    }
}

/// `is_valid` on kwire's tree: with null members left out for the kinds
/// whose API server prunes them (custom resources, Istio).
pub struct Fast {
    validator: Box<jsonschema::Validator<tree_json::Tree>>,
    skip_nulls: bool,
}

impl Fast {
    pub fn is_valid(&self, root: &Node) -> bool {
        self.validator
            .is_valid(tree_json::TreeNode::root(root, self.skip_nulls))
    }
}

impl Origin {
    /// Does the API server drop null fields before validating (custom
    /// resources and Istio kinds)?
    pub fn prunes_nulls(&self) -> bool {
        matches!(self, Origin::Crd { .. } | Origin::Istio)
    }
}

impl Resolved {
    /// The `serde_json` validator of a found schema, compiled on first use.
    pub fn full_validator(&self) -> Option<&jsonschema::Validator> {
        let Resolved::Found {
            validator, schema, ..
        } = self
        else {
            return None;
        };
        validator
            .get_or_init(|| {
                jsonschema::draft202012::options()
                    .build(schema)
                    .ok()
                    .map(Box::new)
            })
            .as_deref()
    }
}

fn compiled(schema: Value, origin: Origin) -> Resolved {
    let fast = jsonschema::options_for::<tree_json::Tree>()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .map(|v| Fast {
            validator: Box::new(v),
            skip_nulls: origin.prunes_nulls(),
        });
    match fast {
        Ok(fast) => Resolved::Found {
            fast,
            validator: OnceLock::new(),
            schema: Box::new(schema),
            origin,
        },
        Err(e) => Resolved::Broken {
            origin,
            reason: e.to_string(),
        },
    }
}

/// kubeconform's file layouts: `{kind}-{group}-{version}.json`,
/// `{kind}-{version}.json` (core and legacy), `{kind}_{version}.json` and
/// `{group}/{kind}_{version}.json` (the CRD catalog). Kind in lower case;
/// the group's first label only in the standalone layout, as kubeconform's
/// openapi2jsonschema writes it, and the full group too.
fn schema_file(dir: &Path, api_version: &str, kind: &str) -> Option<PathBuf> {
    let kind = kind.to_ascii_lowercase();
    let (group, version) = match api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    };
    let short_group = group.split('.').next().unwrap_or(group);
    let mut names = Vec::new();
    if group.is_empty() {
        names.push(format!("{kind}-{version}.json"));
    } else {
        names.push(format!("{kind}-{short_group}-{version}.json"));
        names.push(format!("{kind}-{group}-{version}.json"));
        names.push(format!("{group}/{kind}_{version}.json"));
    }
    names.push(format!("{kind}_{version}.json"));
    names.into_iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_kubeconform_layouts() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("widget-example-v1.json"), "{}").expect("write");
        std::fs::create_dir(dir.path().join("acme.io")).expect("mkdir");
        std::fs::write(dir.path().join("acme.io/gadget_v2.json"), "{}").expect("write");
        std::fs::write(dir.path().join("thing_v1.json"), "{}").expect("write");
        let found = |av, kind| schema_file(dir.path(), av, kind).is_some();
        assert!(found("example.com/v1", "Widget"));
        assert!(found("acme.io/v2", "Gadget"));
        assert!(found("other.io/v1", "Thing"));
        assert!(!found("acme.io/v1", "Gadget"));
    }
}
