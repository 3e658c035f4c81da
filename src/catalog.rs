//! The index of every object in the run, built once and shared read-only by
//! all rules. Lookups are O(1) or O(matching objects): a selector is matched
//! by walking the posting list of its rarest `matchLabels` pair, never by
//! scanning every object per object.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxBuildHasher;
use std::sync::OnceLock;

use crate::model::Object;
use crate::model::dns_ref::DnsRef;
use crate::model::istio::IstioIndex;
use crate::model::kinds::{canonical_group, is_builtin_group};
use crate::model::selector::{Lookup, Selector};
use crate::model::workload::PodTemplate;
use crate::settings::Settings;
use crate::source::{FileId, SourceFile, Span};
use crate::units::{UnitId, Units};

/// The catalog's maps: keys are short strings and integers, hashed many
/// times per object; FxHash is several times cheaper than SipHash here and
/// the input is the user's own repository, not an adversary.
pub type Map<K, V> = HashMap<K, V, FxBuildHasher>;
type Set<T> = HashSet<T, FxBuildHasher>;

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
    "deploymentconfig",
    "deployment",
];

/// The labels `obj`'s controller adds to its pods (Kubernetes' controllers:
/// deployment, statefulset, daemonset, job; OpenShift's DeploymentConfig).
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
        // OpenShift's deployer labels the pods of DeploymentConfig `web`
        // `deploymentconfig: web` and `deployment: web-<version>`; templates
        // and Services select on the first.
        "DeploymentConfig" if obj.api_version().starts_with("apps.openshift.io/") => vec![
            ("deploymentconfig", OneOf(vec![obj.name().to_string()])),
            ("deployment", Any),
        ],
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

/// How a controller keys an Ingress rule: class, host, path, pathType.
pub type IngressPathKey<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Identity of an object: canonical group, kind, namespace, name.
pub type ObjectKey<'a> = (&'a str, &'a str, &'a str, &'a str);

pub struct Catalog<'a> {
    /// The objects this catalog sees: a unit and the units that coexist
    /// with it (`crate::units`), in input order.
    pub objects: Vec<&'a Object>,
    /// Catalog index of each object, by address (objects are borrowed, so
    /// their addresses are stable).
    positions: Map<usize, ObjectIdx>,
    /// The unit of each object (parallel to `objects`; empty when the run
    /// is one unit).
    unit_of: Vec<UnitId>,
    units: Option<&'a Units>,
    /// Objects kustomize generators create in this world: (kind, namespace, name).
    generated: Set<(&'a str, &'a str, &'a str)>,
    /// The run's files, indexed by `FileId` (for rules that quote source text).
    pub sources: &'a [SourceFile],
    settings: &'a Settings,
    by_key: Map<ObjectKey<'a>, Vec<ObjectIdx>>,
    /// Ingress (class, host, path, pathType) -> Ingresses defining it, in input order.
    ingress_paths: Map<IngressPathKey<'a>, Vec<ObjectIdx>>,
    /// Kind -> objects of that kind, in input order.
    by_kind: Map<&'a str, Vec<ObjectIdx>>,
    /// Namespace -> objects in it ("" for cluster-scoped).
    by_ns: Map<&'a str, Vec<ObjectIdx>>,
    /// (namespace, name) -> objects of any kind, in input order.
    by_ns_name: Map<(&'a str, &'a str), Vec<ObjectIdx>>,
    /// File -> objects defined in it, in input order.
    by_file: Map<FileId, Vec<ObjectIdx>>,
    /// Namespace -> objects of a kind outside the built-in API groups.
    custom_by_ns: Map<&'a str, Vec<ObjectIdx>>,
    templates: Vec<TemplateEntry<'a>>,
    /// Namespace -> template indexes (for selectors without matchLabels).
    templates_by_ns: Map<&'a str, Vec<u32>>,
    /// (label key, label value) -> template indexes, all namespaces.
    label_index: Map<(&'a str, &'a str), Vec<u32>>,
    /// (namespace, label key, label value) -> template indexes, so that a
    /// selector in one namespace never walks another namespace's templates.
    ns_label_index: Map<(&'a str, &'a str, &'a str), Vec<u32>>,
    /// nodePort -> the Services (and the `nodePort` value spans) asking for
    /// it, in input order: node ports are allocated cluster-wide.
    node_ports: Map<i64, Vec<(ObjectIdx, Span)>>,
    /// (kind, name) -> objects in every namespace (DNS names, "exists in
    /// namespace X" hints).
    by_kind_name: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    /// kind -> the namespaces the input defines at least one object of it in.
    kind_in_ns: Map<&'a str, Set<&'a str>>,
    /// Service label key -> value -> Services (ServiceMonitor selectors).
    service_labels: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    /// Service `spec.selector` key -> value -> Services.
    service_selectors: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    /// `Settings::assume`, parsed once.
    assumed: Vec<AssumePattern<'a>>,
    /// Istio's registry view, built by the first Istio rule that asks.
    istio: OnceLock<IstioIndex<'a>>,
    /// Schemas (bundled, CRDs of the run, `--schema-dir`), compiled lazily,
    /// shared by every world of the run (compiling a schema is the costliest
    /// step of a run; worlds must not repeat it), and the objects whose CRDs
    /// the registry reads.
    schemas: SharedSchemas<'a>,
    schema_objects: &'a [Object],
    /// Per object, its Service DNS references: three rules read them, and
    /// finding them scans every env value, argument and ConfigMap value.
    dns_refs: OnceLock<Vec<OnceLock<Vec<DnsRef<'a>>>>>,
    /// Per unit of this world: how many namespaced built-in objects have a
    /// namespace (written, or given by their unit) and how many leave it
    /// out; counted once, by the first rule that asks (KW5201).
    unit_namespaces: OnceLock<Map<UnitId, (u32, u32)>>,
    /// (namespace, kind, name) of a scale target -> the HPAs naming it,
    /// built by the first caller (`resolve::scale::replicas`), which reads
    /// `scaleTargetRef` (the catalog does not).
    scale_targets: OnceLock<ScaleTargets<'a>>,
    /// Object owning a pod template -> the PodDisruptionBudgets selecting
    /// its pods, built by the first caller (`resolve::pdb::budgets_for`).
    budgets_by_owner: OnceLock<Map<ObjectIdx, Vec<ObjectIdx>>>,
}

/// (namespace, kind, name) -> objects (HPAs) that scale it.
pub type ScaleTargets<'a> = HashMap<(&'a str, &'a str, &'a str), Vec<ObjectIdx>, FxBuildHasher>;

/// The schema registry every world of a run shares.
pub type SharedSchemas<'a> = std::sync::Arc<OnceLock<crate::schema::Registry<'a>>>;

/// A namespaced object whose namespace is written, or given by its unit
/// (a kustomization's `namespace:` is applied before the catalog is built).
pub fn namespace_given(obj: &Object) -> bool {
    obj.metadata().and_then(|m| m.get("namespace")).is_some() || obj.namespace() != "default"
}

/// What a world's catalog knows of the run's units.
pub struct WorldUnits<'a> {
    pub units: &'a Units,
    /// The unit of each object, parallel to the world's objects.
    pub unit_of: Vec<UnitId>,
    /// The registry every world shares, and the objects it is built from.
    pub schemas: SharedSchemas<'a>,
    pub all_objects: &'a [Object],
}

/// One `Kind/namespace/name` entry of `Settings::assume`; each part may use
/// `*` wildcards. A two-part entry (`Kind/name`) is for cluster-scoped kinds.
struct AssumePattern<'a> {
    kind: &'a str,
    namespace: &'a str,
    name: &'a str,
}

impl<'a> AssumePattern<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let parts: Vec<&str> = text.trim().split('/').collect();
        match parts.as_slice() {
            [kind, namespace, name] => Some(AssumePattern {
                kind,
                namespace,
                name,
            }),
            [kind, name] => Some(AssumePattern {
                kind,
                namespace: "",
                name,
            }),
            _ => None,
        }
    }

    fn matches(&self, kind: &str, namespace: &str, name: &str) -> bool {
        glob_match(self.kind, kind)
            && glob_match(self.namespace, namespace)
            && glob_match(self.name, name)
    }
}

/// `*` matches any run of characters (none included); everything else is
/// literal. Kinds compare case-insensitively (`configmap` is `ConfigMap`).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    // Iterative wildcard matching with one backtrack point: linear-ish, no recursion.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if t.get(ti) == Some(c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

/// Indexes by identity: kind, name, namespace.
struct Identity<'a> {
    by_key: Map<ObjectKey<'a>, Vec<ObjectIdx>>,
    by_kind_name: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    kind_in_ns: Map<&'a str, Set<&'a str>>,
    by_ns: Map<&'a str, Vec<ObjectIdx>>,
    by_ns_name: Map<(&'a str, &'a str), Vec<ObjectIdx>>,
    by_kind: Map<&'a str, Vec<ObjectIdx>>,
}

impl<'a> Identity<'a> {
    fn build(objects: &[&'a Object]) -> Self {
        let mut ix = Identity {
            by_key: Map::with_capacity_and_hasher(objects.len(), Default::default()),
            by_kind_name: Map::default(),
            kind_in_ns: Map::default(),
            by_ns: Map::default(),
            by_ns_name: Map::with_capacity_and_hasher(objects.len(), Default::default()),
            by_kind: Map::default(),
        };
        for (idx, obj) in indexed(objects) {
            if obj.kind.is_some() && obj.name.is_some() {
                ix.by_key.entry(key_of(obj)).or_default().push(idx);
                ix.by_kind_name
                    .entry(obj.kind())
                    .or_default()
                    .entry(obj.name())
                    .or_default()
                    .push(idx);
            }
            if obj.kind.is_some() {
                ix.kind_in_ns
                    .entry(obj.kind())
                    .or_default()
                    .insert(obj.namespace());
            }
            ix.by_ns.entry(obj.namespace()).or_default().push(idx);
            ix.by_ns_name
                .entry((obj.namespace(), obj.name()))
                .or_default()
                .push(idx);
            ix.by_kind.entry(obj.kind()).or_default().push(idx);
        }
        ix
    }
}

/// Service label and selector indexes, files, custom resources, Ingress
/// paths, node ports.
struct Misc<'a> {
    service_labels: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    service_selectors: Map<&'a str, Map<&'a str, Vec<ObjectIdx>>>,
    by_file: Map<FileId, Vec<ObjectIdx>>,
    custom_by_ns: Map<&'a str, Vec<ObjectIdx>>,
    ingress_paths: Map<IngressPathKey<'a>, Vec<ObjectIdx>>,
    node_ports: Map<i64, Vec<(ObjectIdx, Span)>>,
}

impl<'a> Misc<'a> {
    fn build(objects: &[&'a Object]) -> Self {
        let mut ix = Misc {
            service_labels: Map::default(),
            service_selectors: Map::default(),
            by_file: Map::default(),
            custom_by_ns: Map::default(),
            ingress_paths: Map::default(),
            node_ports: Map::default(),
        };
        for (idx, obj) in indexed(objects) {
            if obj.kind() == "Service" {
                let labels = obj.metadata().and_then(|m| m.get("labels"));
                let selector = obj.root.path(&["spec", "selector"]);
                for (node, index) in [
                    (labels, &mut ix.service_labels),
                    (selector, &mut ix.service_selectors),
                ] {
                    for entry in node.and_then(crate::parse::Node::as_map).unwrap_or(&[]) {
                        if let (Some(k), Some(v)) = (entry.key.as_str(), entry.value.as_str()) {
                            index.entry(k).or_default().entry(v).or_default().push(idx);
                        }
                    }
                }
            }
            ix.by_file.entry(obj.file).or_default().push(idx);
            if obj.kind.is_some() && !is_builtin_group(obj.api_version()) {
                ix.custom_by_ns
                    .entry(obj.namespace())
                    .or_default()
                    .push(idx);
            }
            let class = obj.ingress_class();
            for p in obj.ingress_paths() {
                let owners = ix
                    .ingress_paths
                    .entry((class, p.host, p.path, p.path_type))
                    .or_default();
                if owners.last() != Some(&idx) {
                    owners.push(idx);
                }
            }
            if let Some(service) = obj.service() {
                for port in service.ports {
                    if let Some(node) = port.get("nodePort")
                        && let Some(n) = node.as_i64().filter(|&n| n != 0)
                    {
                        ix.node_ports.entry(n).or_default().push((idx, node.span));
                    }
                }
            }
        }
        ix
    }
}

/// Pod templates and their label indexes.
struct Pods<'a> {
    templates: Vec<TemplateEntry<'a>>,
    templates_by_ns: Map<&'a str, Vec<u32>>,
    label_index: Map<(&'a str, &'a str), Vec<u32>>,
    ns_label_index: Map<(&'a str, &'a str, &'a str), Vec<u32>>,
}

impl<'a> Pods<'a> {
    fn build(objects: &[&'a Object]) -> Self {
        let mut ix = Pods {
            templates: Vec::new(),
            templates_by_ns: Map::default(),
            label_index: Map::default(),
            ns_label_index: Map::default(),
        };
        for (idx, obj) in indexed(objects) {
            if let Some(template) = obj.pod_template() {
                let t = u32::try_from(ix.templates.len()).unwrap_or(u32::MAX);
                ix.templates_by_ns
                    .entry(obj.namespace())
                    .or_default()
                    .push(t);
                ix.templates.push(TemplateEntry {
                    object: idx,
                    template,
                    generated: generated_labels(obj),
                });
            }
        }
        for (t, entry) in ix.templates.iter().enumerate() {
            let t = u32::try_from(t).unwrap_or(u32::MAX);
            let ns = objects
                .get(entry.object as usize)
                .map_or("", |o| o.namespace());
            for (k, v) in &entry.template.labels {
                // Only borrowed values can be index keys; a label whose value
                // is not a string is invalid (KW0008) and never matches.
                if let Cow::Borrowed(v) = v {
                    ix.label_index.entry((*k, *v)).or_default().push(t);
                    ix.ns_label_index.entry((ns, *k, *v)).or_default().push(t);
                }
            }
        }
        ix
    }
}

/// The objects with their catalog index.
fn indexed<'a>(objects: &[&'a Object]) -> impl Iterator<Item = (ObjectIdx, &'a Object)> {
    objects
        .iter()
        .enumerate()
        .map(|(i, o)| (ObjectIdx::try_from(i).unwrap_or(ObjectIdx::MAX), *o))
}

impl<'a> Catalog<'a> {
    /// A catalog of every object, as one unit (tests, benchmarks, and runs
    /// whose input is one unit).
    pub fn build(objects: &'a [Object], sources: &'a [SourceFile], settings: &'a Settings) -> Self {
        let refs: Vec<&'a Object> = objects.iter().collect();
        Self::build_from(refs, sources, settings, None, (Default::default(), objects))
    }

    /// The catalog of one world: the objects of some units and of the units
    /// they coexist with.
    pub fn build_world(
        objects: Vec<&'a Object>,
        sources: &'a [SourceFile],
        settings: &'a Settings,
        world: WorldUnits<'a>,
    ) -> Self {
        let schemas = (world.schemas, world.all_objects);
        Self::build_from(
            objects,
            sources,
            settings,
            Some((world.units, world.unit_of)),
            schemas,
        )
    }

    fn build_from(
        objects: Vec<&'a Object>,
        sources: &'a [SourceFile],
        settings: &'a Settings,
        units: Option<(&'a Units, Vec<UnitId>)>,
        (schemas, schema_objects): (SharedSchemas<'a>, &'a [Object]),
    ) -> Self {
        // Three independent groups of indexes, each one pass over the objects
        // in input order (so every posting list is in input order), built
        // on both cores: this is the largest serial step between parsing and
        // the rules.
        let ((identity, misc), pods) = rayon::join(
            || rayon::join(|| Identity::build(&objects), || Misc::build(&objects)),
            || Pods::build(&objects),
        );
        let Identity {
            by_key,
            by_kind_name,
            kind_in_ns,
            by_ns,
            by_ns_name,
            by_kind,
        } = identity;
        let Misc {
            service_labels,
            service_selectors,
            by_file,
            custom_by_ns,
            ingress_paths,
            node_ports,
        } = misc;
        let Pods {
            templates,
            templates_by_ns,
            label_index,
            ns_label_index,
        } = pods;
        let positions = indexed(&objects)
            .map(|(i, o)| (o as *const Object as usize, i))
            .collect();
        let (units, unit_of) = match units {
            Some((u, of)) => (Some(u), of),
            None => (None, Vec::new()),
        };
        let mut generated = Set::default();
        if let Some(all) = units {
            let mut seen: Set<UnitId> = Set::default();
            for &u in &unit_of {
                if !seen.insert(u) {
                    continue;
                }
                for (kind, name, ns) in all.get(u).map_or(&[][..], |u| u.generated.as_slice()) {
                    generated.insert((*kind, ns.as_deref().unwrap_or("default"), name.as_str()));
                }
            }
        }
        Catalog {
            objects,
            positions,
            unit_of,
            units,
            generated,
            sources,
            settings,
            by_key,
            by_kind,
            ingress_paths,
            by_ns,
            by_ns_name,
            by_file,
            custom_by_ns,
            templates,
            templates_by_ns,
            label_index,
            ns_label_index,
            node_ports,
            by_kind_name,
            kind_in_ns,
            service_labels,
            service_selectors,
            assumed: settings
                .assume
                .iter()
                .filter_map(|a| AssumePattern::parse(a))
                .collect(),
            istio: OnceLock::new(),
            schemas,
            schema_objects,
            dns_refs: OnceLock::new(),
            unit_namespaces: OnceLock::new(),
            scale_targets: OnceLock::new(),
            budgets_by_owner: OnceLock::new(),
        }
    }

    /// The index of scale targets, built once by `build` on first use.
    pub fn scale_targets(&self, build: impl FnOnce() -> ScaleTargets<'a>) -> &ScaleTargets<'a> {
        self.scale_targets.get_or_init(build)
    }

    /// Template owner -> the budgets selecting its pods, built once by
    /// `build` on first use.
    pub fn budgets_by_owner(
        &self,
        build: impl FnOnce() -> Map<ObjectIdx, Vec<ObjectIdx>>,
    ) -> &Map<ObjectIdx, Vec<ObjectIdx>> {
        self.budgets_by_owner.get_or_init(build)
    }

    /// The schema registry: validators per (apiVersion, kind), compiled on first use.
    /// Built by the first check that asks, so a run without schema rules
    /// (`--select KW3`) never converts the input's CRD schemas.
    pub fn schemas(&self) -> &crate::schema::Registry<'a> {
        self.schemas.get_or_init(|| {
            crate::schema::Registry::build(self.schema_objects, self.sources, self.settings)
        })
    }

    /// The compiled schemas, taken out to be freed on another thread while
    /// the rest of the run goes on (freeing thousands of validator nodes is
    /// serial work nothing waits for).
    pub fn take_compiled_schemas(&mut self) -> Option<impl Send + 'static> {
        std::sync::Arc::get_mut(&mut self.schemas)
            .and_then(OnceLock::get_mut)
            .map(crate::schema::Registry::take_compiled)
    }

    /// Istio's hosts, DestinationRules, mesh VirtualServices and Gateways.
    pub fn istio(&self) -> &IstioIndex<'a> {
        self.istio.get_or_init(|| IstioIndex::build(&self.objects))
    }

    /// Objects with this kind (group taken from `api_version`) and name in
    /// any namespace, in input order.
    pub fn find_any_namespace(&self, api_version: &str, kind: &str, name: &str) -> Vec<ObjectIdx> {
        self.named_in_group(api_version, kind, name).collect()
    }

    /// Objects of this group (taken from `api_version`), kind and name in any
    /// namespace, in input order: the (kind, name) index, filtered by group.
    fn named_in_group<'s>(
        &'s self,
        api_version: &'s str,
        kind: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = ObjectIdx> + 's {
        let group = canonical_group(api_version, kind);
        self.named(kind, name).iter().copied().filter(move |&i| {
            self.object(i)
                .is_some_and(|o| canonical_group(o.api_version(), o.kind()) == group)
        })
    }

    /// The Services requesting this nodePort, in input order, with the span
    /// of each request.
    pub fn node_port_claims(&self, node_port: i64) -> &[(ObjectIdx, Span)] {
        self.node_ports.get(&node_port).map_or(&[], Vec::as_slice)
    }

    /// Is an object declared to exist outside the input (`Settings::assume`,
    /// `--assume`, `.kwire.yaml` `assume:`)? Every reference rule asks this
    /// before reporting a missing target. Cluster-scoped kinds use `""` as
    /// the namespace (`Kind/name` or `Kind/*/name` in the pattern).
    pub fn assumed(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.assumed
            .iter()
            .any(|p| p.matches(kind, namespace, name))
    }

    /// Objects of `kind` named `name`, in every namespace, in input order.
    pub fn named(&self, kind: &str, name: &str) -> &[ObjectIdx] {
        self.by_kind_name
            .get(kind)
            .and_then(|names| names.get(name))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Services (any namespace) carrying the label `key=value`.
    pub fn services_with_label(&self, key: &str, value: &str) -> &[ObjectIdx] {
        self.service_labels
            .get(key)
            .and_then(|values| values.get(value))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Services (any namespace) whose `spec.selector` has `key=value`.
    pub fn services_selecting(&self, key: &str, value: &str) -> &[ObjectIdx] {
        self.service_selectors
            .get(key)
            .and_then(|values| values.get(value))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Does the input define at least one object of `kind` in `namespace`?
    /// Reference rules stay silent otherwise: such objects come from elsewhere.
    pub fn has_kind_in(&self, kind: &str, namespace: &str) -> bool {
        self.kind_in_ns
            .get(kind)
            .is_some_and(|namespaces| namespaces.contains(namespace))
    }

    /// The source text under a span of a file ("" when out of range).
    pub fn text(&self, file: FileId, span: Span) -> &'a str {
        self.sources
            .get(file as usize)
            .map_or("", |f| f.slice(span))
    }

    /// The whole text of a file ("" when out of range): what fixes edit.
    pub fn source_text(&self, file: FileId) -> &'a str {
        self.sources
            .get(file as usize)
            .map_or("", |f| f.text.as_str())
    }

    pub fn path(&self, file: FileId) -> &'a str {
        self.sources
            .get(file as usize)
            .map_or("", |f| f.path.as_str())
    }

    pub fn object(&self, idx: ObjectIdx) -> Option<&'a Object> {
        self.objects.get(idx as usize).copied()
    }

    /// The position of `obj` in the catalog's objects, if it is one of them.
    pub fn index_of(&self, obj: &Object) -> Option<usize> {
        let at = *self.positions.get(&(obj as *const Object as usize))?;
        Some(at as usize)
    }

    /// The unit `obj` belongs to in this run (`None` when the run is one
    /// unit, or `obj` is not one of the catalog's objects).
    pub fn unit_of(&self, obj: &Object) -> Option<&'a crate::units::Unit> {
        let at = self.index_of(obj)?;
        let id = *self.unit_of.get(at)?;
        self.units?.get(id)
    }

    /// Of the namespaced built-in objects of `obj`'s unit (the whole world
    /// when the run is one unit): how many have a namespace, written or
    /// given by the unit, and how many leave it out. `None` for an object
    /// outside the catalog. Counted once per catalog.
    pub fn unit_namespace_counts(&self, obj: &Object) -> Option<(u32, u32)> {
        let at = self.index_of(obj)?;
        let unit = self.unit_of.get(at).copied().unwrap_or(0);
        let counts = self.unit_namespaces.get_or_init(|| {
            let mut counts: Map<UnitId, (u32, u32)> = Map::default();
            for (i, o) in self.objects.iter().enumerate() {
                if o.namespace.is_none() || !is_builtin_group(o.api_version()) {
                    continue;
                }
                let u = self.unit_of.get(i).copied().unwrap_or(0);
                let entry = counts.entry(u).or_default();
                if namespace_given(o) {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
            counts
        });
        counts.get(&unit).copied()
    }

    /// Does a kustomize generator of this world create the object?
    pub fn generated(&self, kind: &str, namespace: &str, name: &str) -> bool {
        self.generated.contains(&(kind, namespace, name))
    }

    /// The Service DNS references of one of the catalog's objects, computed
    /// once by `compute` (`crate::resolve::dns::references`) for the three
    /// DNS rules and the graph. `None` for an object outside the catalog.
    pub fn dns_references(
        &self,
        obj: &Object,
        compute: impl FnOnce(&'a Object) -> Vec<DnsRef<'a>>,
    ) -> Option<&[DnsRef<'a>]> {
        let at = self.index_of(obj)?;
        let obj = self.object(u32::try_from(at).ok()?)?;
        let cells = self
            .dns_refs
            .get_or_init(|| (0..self.objects.len()).map(|_| OnceLock::new()).collect());
        let cell = cells.get(at)?;
        Some(cell.get_or_init(|| compute(obj)))
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

    /// Objects with this kind and name in namespaces other than `namespace`
    /// (for "it exists, but in namespace X" hints).
    pub fn find_elsewhere(
        &self,
        api_version: &str,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Vec<ObjectIdx> {
        self.named_in_group(api_version, kind, name)
            .filter(|&i| self.object(i).is_some_and(|o| o.namespace() != namespace))
            .collect()
    }

    /// Groups of objects sharing one identity, in input order.
    pub fn duplicates(&self) -> impl Iterator<Item = &[ObjectIdx]> {
        self.by_key
            .values()
            .filter(|v| v.len() > 1)
            .map(Vec::as_slice)
    }

    /// The pod template entry of one of the catalog's objects (templates
    /// are built in object order: a binary search).
    pub fn template_of(&self, obj: &Object) -> Option<&TemplateEntry<'a>> {
        let at = ObjectIdx::try_from(self.index_of(obj)?).ok()?;
        let t = self
            .templates
            .binary_search_by_key(&at, |e| e.object)
            .ok()?;
        self.templates.get(t)
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

    /// Pod templates in any namespace that the selector matches.
    pub fn templates_matching_anywhere(&self, selector: &Selector<'_>) -> Vec<&TemplateEntry<'a>> {
        self.candidates(None, selector)
    }

    /// The namespaces holding at least one pod template, sorted.
    pub fn template_namespaces(&self) -> Vec<&'a str> {
        let mut all: Vec<&'a str> = self.templates_by_ns.keys().copied().collect();
        all.sort_unstable();
        all
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
    pub fn named_in_namespace<'s>(
        &'s self,
        namespace: &'s str,
        name: &'s str,
    ) -> impl Iterator<Item = &'a Object> + 's {
        lookup(&self.by_ns_name, (namespace, name))
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

    /// Ingresses defining this (class, host, path, pathType), in input order.
    pub fn ingresses_with_path<'s>(&'s self, key: IngressPathKey<'s>) -> &'s [ObjectIdx] {
        lookup(&self.ingress_paths, key).map_or(&[][..], Vec::as_slice)
    }

    /// Every object of a kind (any group, any namespace), in input order.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &'a Object> + '_ {
        self.by_kind
            .get(kind)
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
fn lookup<K: Eq + std::hash::Hash, V>(map: &Map<K, V>, key: K) -> Option<&V> {
    map.get(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("vault-*", "vault-token"));
        assert!(!glob_match("vault-*", "token-vault"));
        assert!(glob_match("*-tls", "web-tls"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("secret", "Secret"));
        assert!(!glob_match("web", "web2"));
    }

    #[test]
    fn assumed_objects() {
        let settings = Settings {
            assume: vec![
                "ServiceAccount/*/builder".into(),
                "Secret/shop/vault-*".into(),
                "ClusterRole/admin".into(),
                "not a pattern".into(),
            ],
            ..Settings::default()
        };
        let catalog = Catalog::build(&[], &[], &settings);
        assert!(catalog.assumed("ServiceAccount", "ci", "builder"));
        assert!(catalog.assumed("Secret", "shop", "vault-db"));
        assert!(!catalog.assumed("Secret", "other", "vault-db"));
        assert!(!catalog.assumed("ConfigMap", "shop", "vault-db"));
        assert!(catalog.assumed("ClusterRole", "", "admin"));
        assert!(!catalog.assumed("ClusterRole", "", "edit"));
    }
}
