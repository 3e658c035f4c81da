//! Builds the [`Graph`] of one world from its catalog, by asking the
//! resolution layer (`crate::resolve`) the questions the rules ask: the same
//! functions decide whether a reference resolves and whether a finding is
//! due, so `kwire graph` and `kwire lint` cannot disagree.
//!
//! What is simulated, and the Kubernetes behaviour followed, is written up in
//! `docs/topology.md`.

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::ingress::PortRef as BackendPort;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::resolve::dns::{self, Resolution as DnsResolution};
use crate::resolve::gateway_api::{self, Admission, GatewayLookup, ListenerProblem, Verdict};
use crate::resolve::monitors::{self, Namespaces, Resolution as MonitorResolution, Targets};
use crate::resolve::network_policy;
use crate::resolve::object_refs::{self, RefResolution};
use crate::resolve::ports::{self, PortRef, Resolution as PortResolution, ServicePort};
use crate::resolve::services::{self, ServiceLookup, lookup_service};
use crate::source::Span;

use super::model::{DnsEntry, Edge, Exposure, Node as GNode, PortValue, Relation, Str, Via};

/// Node ids of the run's object instances: `Kind/namespace/name`, with
/// `@unit` appended when the same id occurs in more than one unit.
pub struct Ids {
    /// The run's instances, as a slice: an object's index is its offset.
    base: usize,
    len: usize,
    /// `@unit` for an id seen before, by instance index (only repeats:
    /// most ids have none, and an empty `String` per object was 24 bytes).
    suffix: rustc_hash::FxHashMap<usize, String>,
    /// Each instance's id, spelled once: its node and every edge to or from
    /// it share the one string.
    spelled: Vec<std::sync::OnceLock<Str>>,
}

impl Ids {
    /// `objects` are the run's instances; `unit_names[i]` the unit of
    /// instance `i` (None when the run is one unit).
    pub fn new(objects: &[Object], unit_names: &[Option<&str>]) -> Self {
        // Ids repeat only for the same object in several units (and for
        // duplicate objects): count identities without building any string,
        // and spell out a suffix only for the repeats.
        let mut count: rustc_hash::FxHashMap<(&str, &str, &str, Option<u32>), u32> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(objects.len(), Default::default());
        let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut suffix = rustc_hash::FxHashMap::default();
        for (i, obj) in objects.iter().enumerate() {
            let line = obj.name().is_empty().then_some(obj.line.unwrap_or(0));
            let n = count
                .entry((obj.kind(), obj.namespace(), obj.name(), line))
                .or_insert(0);
            *n += 1;
            if *n == 1 {
                continue;
            }
            let base = base_id(obj.kind(), obj.namespace(), &node_name(obj));
            let unit = unit_names
                .get(i)
                .copied()
                .flatten()
                .unwrap_or("")
                .replace('/', ":");
            let mut tail = format!("@{unit}");
            let mut k = 2;
            while !taken.insert(format!("{base}{tail}")) {
                tail = format!("@{unit}~{k}");
                k += 1;
            }
            suffix.insert(i, tail);
        }
        Ids {
            base: objects.as_ptr() as usize,
            len: objects.len(),
            spelled: std::iter::repeat_with(std::sync::OnceLock::new)
                .take(objects.len())
                .collect(),
            suffix,
        }
    }

    /// The instance index of an object of the run (objects are one slice).
    fn index(&self, obj: &Object) -> Option<usize> {
        let size = std::mem::size_of::<Object>().max(1);
        let at = (obj as *const Object as usize).checked_sub(self.base)?;
        (at % size == 0 && at / size < self.len).then_some(at / size)
    }

    fn suffix(&self, obj: &Object) -> &str {
        self.index(obj)
            .and_then(|i| self.suffix.get(&i))
            .map_or("", String::as_str)
    }

    pub fn id(&self, obj: &Object) -> Str {
        match self.index(obj).and_then(|i| self.spelled.get(i)) {
            Some(cell) => cell.get_or_init(|| Str::from(self.spell(obj))).clone(),
            None => Str::from(self.spell(obj)),
        }
    }

    fn spell(&self, obj: &Object) -> String {
        // One allocation, no formatting, for the usual named object.
        let suffix = self.suffix(obj);
        let mut id = match obj.name() {
            "" => base_id(obj.kind(), obj.namespace(), &node_name(obj)),
            name => base_id(obj.kind(), obj.namespace(), name),
        };
        id.push_str(suffix);
        id
    }
}

fn base_id(kind: &str, ns: &str, name: &str) -> String {
    let mut id = String::with_capacity(kind.len() + ns.len() + name.len() + 2);
    if kind.bytes().all(|b| b.is_ascii_alphanumeric()) {
        id.push_str(kind);
    } else {
        id.extend(kind.chars().filter(char::is_ascii_alphanumeric));
    }
    if id.is_empty() {
        id.push_str("Object");
    }
    for part in [ns, name] {
        id.push('/');
        if part.contains('/') {
            id.push_str(&part.replace('/', "%2F"));
        } else {
            id.push_str(part);
        }
    }
    id
}

/// The name part of a node id: the object's name, or `(line N)` for an
/// unnamed object.
fn node_name(obj: &Object) -> String {
    match obj.name() {
        "" => format!("(line {})", obj.line.unwrap_or(0)),
        name => name.to_string(),
    }
}

/// The id an unresolved reference points at: the name as written.
pub fn written_id(kind: &str, ns: &str, name: &str) -> Str {
    Str::from(base_id(
        kind,
        ns,
        if name.is_empty() { "(empty)" } else { name },
    ))
}

/// What one world contributes to the report.
#[derive(Default)]
pub struct Part {
    pub nodes: Vec<Box<GNode>>,
    pub edges: Vec<Box<Edge>>,
    pub exposures: Vec<Exposure>,
    pub dns: Vec<DnsEntry>,
    pub rollouts: Vec<crate::topology::model::Rollout>,
}

impl Part {
    /// A part sized for `objects` objects: about one and a half nodes and
    /// edges each (a workload adds its pods, a Service its selections), so
    /// the lists of ~200-byte items are not copied over and over as they grow.
    fn for_objects(objects: usize) -> Self {
        let room = objects + objects / 2;
        Part {
            nodes: Vec::with_capacity(room),
            edges: Vec::with_capacity(room),
            ..Part::default()
        }
    }
}

struct Ctx<'c, 'a> {
    catalog: &'c Catalog<'a>,
    ids: &'c Ids,
    unit_name: &'c (dyn Fn(&Object) -> Option<String> + Sync),
    /// (namespace, kind, name) -> (minReplicas, maxReplicas) of the HPAs of the world.
    hpa: &'c HpaReplicas<'a>,
    part: Part,
    /// The kinds, namespaces, file paths and units of this chunk's nodes
    /// and edges, one string each.
    strings: rustc_hash::FxHashSet<Str>,
}

/// The graph of the objects `checked` says belong to this world's own units
/// (objects of coexisting units are only reached through edges).
pub fn build_world<'a>(
    catalog: &Catalog<'a>,
    ids: &Ids,
    unit_name: &(dyn Fn(&Object) -> Option<String> + Sync),
    checked: &(dyn Fn(&Object) -> bool + Sync),
) -> Vec<Part> {
    let hpa = hpa_replicas(catalog);
    // One part per chunk of objects, chunks on every core, concatenated in
    // input order (the report is sorted afterwards; the order only keeps it
    // deterministic). Chunks, not one part per object (five small vectors
    // per object were most of the graph's memory on large repositories) nor
    // one per core (vectors that double to tens of megabytes touch twice
    // that much fresh memory; a chunk's buffers are reused by the next).
    let own: Vec<&Object> = catalog
        .objects
        .iter()
        .copied()
        .filter(|o| checked(o))
        .collect();
    own.par_chunks(256)
        .map(|chunk| {
            let mut ctx = Ctx {
                catalog,
                ids,
                unit_name,
                hpa: &hpa,
                part: Part::for_objects(chunk.len()),
                strings: Default::default(),
            };
            for obj in chunk {
                ctx.object(obj);
            }
            ctx.part
        })
        .collect()
}

/// (namespace, kind, name) → (minReplicas, maxReplicas) of the HPAs of a world.
pub type HpaReplicas<'a> = rustc_hash::FxHashMap<(&'a str, &'a str, &'a str), (i64, i64)>;

/// The HPAs of a world by the workload they scale: the simulation runs a
/// scaled workload at the HPA's `minReplicas`.
pub fn hpa_replicas<'a>(catalog: &Catalog<'a>) -> HpaReplicas<'a> {
    let mut hpa = HpaReplicas::default();
    for obj in catalog.of_kind("HorizontalPodAutoscaler") {
        if let Some((kind, name, min, max)) = crate::resolve::scale::bounds(obj) {
            hpa.insert((obj.namespace(), kind, name), (min, max));
        }
    }
    hpa
}

/// Bare Pods a ReplicaSet / ReplicationController adopts: in its
/// namespace, matching its selector, without an owner.
pub fn adopted_pods<'a>(catalog: &Catalog<'a>, obj: &Object) -> Vec<&'a Object> {
    if !matches!(obj.kind(), "ReplicaSet" | "ReplicationController") {
        return Vec::new();
    }
    let selector = match obj.workload_selector() {
        Some(ws) => ws.selector,
        None => match obj.pod_template() {
            // A ReplicationController without a selector uses the template's labels.
            Some(t) => Selector {
                match_labels: t.labels,
                expressions: Vec::new(),
                invalid: false,
            },
            None => return Vec::new(),
        },
    };
    if selector.is_empty() {
        return Vec::new();
    }
    catalog
        .templates_matching(obj.namespace(), &selector)
        .into_iter()
        .filter_map(|e| catalog.object(e.object))
        .filter(|o| o.kind() == "Pod")
        .filter(|o| {
            o.metadata()
                .and_then(|m| m.get("ownerReferences"))
                .is_none()
        })
        .collect()
}

/// How many pods a template entry's owner runs (None: one per node; Jobs
/// and CronJobs: none running between runs).
pub fn pod_count(catalog: &Catalog<'_>, hpa: &HpaReplicas<'_>, owner: &Object) -> Option<i64> {
    match owner.kind() {
        "Pod" => Some(1),
        "DaemonSet" => None,
        "Job" | "CronJob" => Some(0),
        kind => {
            let count = hpa
                .get(&(owner.namespace(), kind, owner.name()))
                .map(|(min, _)| *min)
                .or_else(|| {
                    owner
                        .root
                        .path(&["spec", "replicas"])
                        .map_or(Some(1), Node::as_i64)
                });
            // Adopted bare Pods are counted as themselves.
            let adopted = i64::try_from(adopted_pods(catalog, owner).len()).unwrap_or(0);
            count.map(|n| n.saturating_sub(adopted).max(0))
        }
    }
}

/// Kinds that create pods from a template, and the ones `kwire graph` draws
/// as plain objects.
fn creates_pods(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "ReplicaSet"
            | "ReplicationController"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "CronJob"
            | "DeploymentConfig"
    )
}

/// The pods (or pod sets) a workload creates, as simulated nodes.
struct PodSet {
    id: Str,
    name: String,
    detail: String,
}

impl<'c, 'a> Ctx<'c, 'a> {
    fn line(&self, obj: &Object, span: Span) -> u32 {
        // Counted from the last line asked: no index of every line start.
        self.catalog.sources.get(obj.file as usize).map_or(1, |f| {
            u32::try_from(f.line_number(span.start as usize)).unwrap_or(1)
        })
    }

    /// `s` as the chunk's one copy of it.
    fn shared(&mut self, s: &str) -> Str {
        if let Some(known) = self.strings.get(s) {
            return known.clone();
        }
        let new = Str::from(s);
        self.strings.insert(new.clone());
        new
    }

    fn file(&mut self, obj: &Object) -> Str {
        let catalog = self.catalog;
        self.shared(catalog.path(obj.file))
    }

    fn unit(&mut self, obj: &Object) -> Option<Str> {
        (self.unit_name)(obj).map(|u| self.shared(&u))
    }

    /// Where an edge comes from. Field paths repeat from object to object
    /// (`spec.selector`): the chunk keeps one copy of each.
    fn via(&mut self, obj: &Object, span: Span, field: impl AsRef<str>) -> Via {
        Via {
            file: self.file(obj),
            line: self.line(obj, span),
            field: Some(self.shared(field.as_ref())),
        }
    }

    /// A node for a simulated object or group of `owner`: in its file, at `line`.
    #[allow(clippy::too_many_arguments)]
    fn extra_node(
        &mut self,
        owner: &Object,
        id: Str,
        kind: &str,
        namespace: Option<&str>,
        name: String,
        line: u32,
        detail: String,
    ) {
        let node = GNode {
            id,
            kind: self.shared(kind),
            namespace: namespace.map(|ns| self.shared(ns)),
            name: Str::from(name),
            simulated: true,
            file: Some(self.file(owner)),
            line: Some(line),
            unit: self.unit(owner),
            findings: Vec::new(),
            detail: Some(self.shared(&detail)),
            exposed: false,
        };
        self.part.nodes.push(Box::new(node));
    }

    fn node(&mut self, obj: &Object, detail: Option<String>) -> Str {
        let id = self.ids.id(obj);
        let node = GNode {
            id: id.clone(),
            kind: self.shared(obj.kind()),
            namespace: (!obj.namespace().is_empty()).then(|| self.shared(obj.namespace())),
            name: Str::from(obj.name()),
            simulated: false,
            file: Some(self.file(obj)),
            line: Some(self.line(obj, obj.anchor_span())),
            unit: self.unit(obj),
            findings: Vec::new(),
            // Details repeat (`2 replicas`, `ClusterIP`): one copy each.
            detail: detail.map(|d| self.shared(&d)),
            exposed: false,
        };
        self.part.nodes.push(Box::new(node));
        id
    }

    fn simulated(&mut self, owner: &Object, kind: &str, id: &Str, name: &str, detail: String) {
        let line = self.line(owner, owner.anchor_span());
        self.extra_node(
            owner,
            id.clone(),
            kind,
            Some(owner.namespace()),
            name.to_string(),
            line,
            detail,
        );
    }

    fn edge(
        &mut self,
        from: &Str,
        to: impl Into<Str>,
        relation: Relation,
        via: Via,
        label: Option<String>,
        resolution: EdgeResolution,
    ) {
        let (resolved, assumed, finding, reason) = match resolution {
            EdgeResolution::Resolved => (true, false, None, None),
            EdgeResolution::Finding(code, reason) => (
                false,
                false,
                Some(self.shared(code)),
                Some(Str::from(reason)),
            ),
            EdgeResolution::Assumed(reason) => (false, true, None, Some(Str::from(reason))),
            EdgeResolution::Unresolved(reason) => (false, false, None, Some(Str::from(reason))),
        };
        // Labels repeat as field paths do (`80→8080/TCP`): one copy each.
        let label = label.map(|l| self.shared(&l));
        self.part.edges.push(Box::new(Edge {
            from: from.clone(),
            to: to.into(),
            relation,
            via,
            resolved,
            assumed,
            finding,
            label,
            reason,
        }));
    }

    fn object(&mut self, obj: &'a Object) {
        let kind = obj.kind();
        if kind.is_empty() {
            return;
        }
        if creates_pods(kind) {
            self.workload(obj);
        } else if kind == "Pod" {
            let id = self.node(obj, Some(phase_of_pod(obj)));
            self.pod_references(obj, &id);
            self.dns_calls(obj, &id);
        } else if kind == "Service" && obj.api_version() == "v1" {
            self.service(obj);
        } else if kind == "Ingress" {
            self.ingress(obj);
        } else if crate::model::gateway::is_route(obj) {
            self.route(obj);
        } else if crate::model::gateway::is_gateway_api(obj, "Gateway") {
            let listeners = obj.gateway_listeners().len();
            self.node(obj, Some(format!("{listeners} listener(s)")));
        } else if kind == "HorizontalPodAutoscaler" {
            self.hpa(obj);
        } else if let Some(m) = monitors::monitor(obj) {
            self.monitor(obj, &m);
        } else if kind == "PodDisruptionBudget" || kind == "NetworkPolicy" {
            self.pod_selector_object(obj);
        } else if crate::model::istio::is_networking(obj) && kind == "VirtualService" {
            self.virtual_service(obj);
        } else if crate::model::istio::is_networking(obj) && kind == "Gateway" {
            self.istio_gateway(obj);
        } else if matches!(kind, "Endpoints" | "EndpointSlice") {
            self.endpoints_node(obj);
        } else if kind == "ConfigMap" {
            let id = self.node(obj, None);
            self.dns_calls(obj, &id);
        } else if matches!(
            kind,
            "Secret" | "ServiceAccount" | "PersistentVolumeClaim" | "DestinationRule"
        ) {
            self.node(obj, None);
        }
        // Other kinds (RBAC, CRDs, Namespaces, ...) are not part of the
        // traffic and workload topology: not drawn.
    }

    /// A controller: its node, the pods it creates, and what they use and call.
    fn workload(&mut self, obj: &'a Object) {
        let ns = obj.namespace();
        let kind = obj.kind();
        let spec = obj.root.get("spec");
        let replicas = spec
            .and_then(|s| s.get("replicas"))
            .map_or(Some(1), Node::as_i64);
        let hpa = self.hpa.get(&(ns, kind, obj.name())).copied();
        let detail = match kind {
            "DaemonSet" => "one pod per node".to_string(),
            "Job" => job_detail(spec),
            "CronJob" => format!(
                "schedule \"{}\"",
                spec.and_then(|s| s.get_str("schedule")).unwrap_or("?")
            ),
            _ => match (hpa, replicas) {
                (Some((min, max)), _) => format!("{min}–{max} replicas (HorizontalPodAutoscaler)"),
                (None, Some(n)) => format!("{n} replica{}", if n == 1 { "" } else { "s" }),
                (None, None) => "replicas not a number".to_string(),
            },
        };
        let id = self.node(obj, Some(detail));
        let suffix = self.ids.suffix(obj).to_string();
        let name = node_name(obj);
        let via = self.via(
            obj,
            obj.pod_template()
                .map_or(obj.anchor_span(), |t| t.node.span),
            "spec.template",
        );
        // A selector that does not select its own template: the API server
        // rejects the object (apps/v1 validation), so nothing is created.
        let selects_own = match (obj.workload_selector(), self.template_entry(obj)) {
            (Some(ws), Some(entry)) => entry.selected_by(&ws.selector),
            _ => true,
        };
        if let Some(mut rollout) = crate::topology::rollout::simulate(
            obj,
            self.catalog,
            &id,
            self.catalog.settings().nodes,
        ) {
            if !selects_own {
                rollout.steps = Default::default();
                rollout.notes.clear();
                rollout.error = Some(
                    "spec.selector does not select the template's labels: the API server rejects the object (KW3001)".into(),
                );
            }
            self.part.rollouts.push(rollout);
        }
        if !selects_own {
            let pods = Str::from(format!("Pod/{ns}/{name}-*{suffix}"));
            self.simulated(
                obj,
                "Pod",
                &pods,
                &format!("{name}-*"),
                "0 pods: the selector does not match the template's labels, the API server rejects the object".into(),
            );
            self.edge(
                &id,
                pods,
                Relation::Owns,
                via,
                None,
                EdgeResolution::Finding(
                    "KW3001",
                    "spec.selector does not select the template's labels".into(),
                ),
            );
        } else {
            let adopted = self.adopted_pods(obj);
            let count = hpa.map(|(min, _)| min).or(replicas);
            let pods = self.pod_sets(obj, &name, &suffix, count, adopted.len());
            let mut parent = id.clone();
            // The object between the controller and its pods: a Deployment's
            // ReplicaSet, a CronJob's Job, a DeploymentConfig's first RC.
            let middle = match kind {
                "Deployment" => Some(("ReplicaSet", format!("{name}-<hash>"), detail_count(count))),
                "CronJob" => Some((
                    "Job",
                    format!("{name}-<time>"),
                    "one Job per schedule".into(),
                )),
                "DeploymentConfig" => Some((
                    "ReplicationController",
                    format!("{name}-1"),
                    detail_count(count),
                )),
                _ => None,
            };
            if let Some((middle_kind, middle_name, detail)) = middle {
                let middle_id = Str::from(format!("{middle_kind}/{ns}/{middle_name}{suffix}"));
                self.simulated(obj, middle_kind, &middle_id, &middle_name, detail);
                self.edge(
                    &id,
                    middle_id.clone(),
                    Relation::Owns,
                    via.clone(),
                    None,
                    EdgeResolution::Resolved,
                );
                parent = middle_id;
            }
            for p in pods {
                self.simulated(obj, "Pod", &p.id, &p.name, p.detail);
                self.edge(
                    &parent,
                    p.id,
                    Relation::Owns,
                    via.clone(),
                    None,
                    EdgeResolution::Resolved,
                );
            }
            for pod in adopted {
                let to = self.ids.id(pod);
                let v = self.via(obj, obj.anchor_span(), "spec.selector");
                self.edge(
                    &id,
                    to,
                    Relation::Owns,
                    v,
                    Some("adopts".into()),
                    EdgeResolution::Resolved,
                );
            }
        }
        self.pod_references(obj, &id);
        self.dns_calls(obj, &id);
    }

    fn template_entry(&self, obj: &Object) -> Option<&'c crate::catalog::TemplateEntry<'a>> {
        let catalog: &'c Catalog<'a> = self.catalog;
        catalog.template_of(obj)
    }

    fn adopted_pods(&self, obj: &Object) -> Vec<&'a Object> {
        adopted_pods(self.catalog, obj)
    }

    fn pod_sets(
        &self,
        obj: &Object,
        name: &str,
        suffix: &str,
        count: Option<i64>,
        adopted: usize,
    ) -> Vec<PodSet> {
        let ns = obj.namespace();
        let adopted = i64::try_from(adopted).unwrap_or(0);
        match obj.kind() {
            "StatefulSet" => {
                let n = count.unwrap_or(1).max(0);
                if n <= 12 {
                    (0..n)
                        .map(|i| PodSet {
                            id: format!("Pod/{ns}/{name}-{i}{suffix}").into(),
                            name: format!("{name}-{i}"),
                            detail: format!("ordinal {i}"),
                        })
                        .collect()
                } else {
                    vec![PodSet {
                        id: format!("Pod/{ns}/{name}-N{suffix}").into(),
                        name: format!("{name}-0 … {name}-{}", n - 1),
                        detail: format!("{n} pods, ordinals 0–{}", n - 1),
                    }]
                }
            }
            "DaemonSet" => vec![PodSet {
                id: format!("Pod/{ns}/{name}-<node>{suffix}").into(),
                name: format!("{name}-<node>"),
                detail: "one per node".into(),
            }],
            "Deployment" => vec![PodSet {
                id: format!("Pod/{ns}/{name}-<hash>-*{suffix}").into(),
                name: format!("{name}-<hash>-*"),
                detail: detail_pods(count),
            }],
            "CronJob" | "Job" => vec![PodSet {
                id: format!("Pod/{ns}/{name}-*{suffix}").into(),
                name: format!("{name}-*"),
                detail: "run to completion".into(),
            }],
            _ => {
                let count = count.map(|n| n.saturating_sub(adopted).max(0));
                vec![PodSet {
                    id: format!("Pod/{ns}/{name}-*{suffix}").into(),
                    name: format!("{name}-*"),
                    detail: if adopted > 0 {
                        format!("{}, plus {adopted} adopted", detail_pods(count))
                    } else {
                        detail_pods(count)
                    },
                }]
            }
        }
    }

    /// The pod node ids a template entry's owner creates (a bare Pod: itself).
    /// `selects` edges from `from` to the simulated pods of each template's
    /// owner (PDB, NetworkPolicy, monitor and Istio Gateway selectors).
    fn select_pods(
        &mut self,
        from: &Str,
        templates: &[&crate::catalog::TemplateEntry<'_>],
        via: &Via,
        label: Option<&String>,
    ) {
        for entry in templates {
            let Some(owner) = self.catalog.object(entry.object) else {
                continue;
            };
            for pod in self.pod_ids_of(owner) {
                self.edge(
                    from,
                    pod,
                    Relation::Selects,
                    via.clone(),
                    label.cloned(),
                    EdgeResolution::Resolved,
                );
            }
        }
    }

    fn pod_ids_of(&self, owner: &Object) -> Vec<Str> {
        if owner.kind() == "Pod" {
            return vec![self.ids.id(owner)];
        }
        let name = node_name(owner);
        let suffix = self.ids.suffix(owner).to_string();
        let count = self
            .hpa
            .get(&(owner.namespace(), owner.kind(), owner.name()))
            .map(|(min, _)| *min)
            .or_else(|| {
                owner
                    .root
                    .path(&["spec", "replicas"])
                    .map_or(Some(1), Node::as_i64)
            });
        let selects_own = match (owner.workload_selector(), self.template_entry(owner)) {
            (Some(ws), Some(entry)) => entry.selected_by(&ws.selector),
            _ => true,
        };
        if !selects_own {
            return vec![format!("Pod/{}/{name}-*{suffix}", owner.namespace()).into()];
        }
        self.pod_sets(owner, &name, &suffix, count, self.adopted_pods(owner).len())
            .into_iter()
            .map(|p| p.id)
            .collect()
    }

    fn pod_count(&self, owner: &Object) -> Option<i64> {
        pod_count(self.catalog, self.hpa, owner)
    }

    /// ServiceAccount, ConfigMap, Secret and PVC references of a pod template.
    fn pod_references(&mut self, obj: &'a Object, id: &Str) {
        let ns = obj.namespace();
        for r in object_refs::pod_references(obj) {
            let code = match r.kind {
                "ServiceAccount" => "KW3401",
                "ConfigMap" => "KW3402",
                "Secret" => "KW3403",
                _ => "KW3404",
            };
            let via = self.via(obj, r.name_node.span, r.via);
            match object_refs::resolve(self.catalog, obj, &r) {
                RefResolution::Found(found) => {
                    let to = found
                        .first()
                        .map_or_else(|| written_id(r.kind, ns, r.name), |o| self.ids.id(o));
                    self.edge(id, to, Relation::Uses, via, None, EdgeResolution::Resolved);
                    // The Services a used ConfigMap names are called by the pods.
                    if r.kind == "ConfigMap"
                        && let Some(cm) = found.first()
                    {
                        self.calls_through(cm, id);
                    }
                }
                RefResolution::Optional => self.edge(
                    id,
                    written_id(r.kind, ns, r.name),
                    Relation::Uses,
                    via,
                    Some("optional".into()),
                    EdgeResolution::Assumed(
                        "optional, and not in the input: the pod starts without it".into(),
                    ),
                ),
                RefResolution::Outside => {
                    // The default ServiceAccount and other built-ins are not drawn.
                    if crate::policy::builtin(r.kind, ns, r.name) {
                        continue;
                    }
                    self.edge(
                        id,
                        written_id(r.kind, ns, r.name),
                        Relation::Uses,
                        via,
                        None,
                        EdgeResolution::Assumed("not in the input; assumed to be created elsewhere (docs/references.md)".into()),
                    );
                }
                RefResolution::Missing => self.edge(
                    id,
                    written_id(r.kind, ns, r.name),
                    Relation::Uses,
                    via,
                    None,
                    EdgeResolution::Finding(
                        code,
                        format!("no {} \"{}\" in namespace \"{ns}\"", r.kind, r.name),
                    ),
                ),
            }
        }
    }

    /// Calls a workload makes through the Service names of a ConfigMap it
    /// reads (only those that resolve; the ConfigMap's own node carries the
    /// unresolved ones and their findings).
    fn calls_through(&mut self, cm: &'a Object, id: &Str) {
        let catalog = self.catalog;
        let refs = dns::references_once(cm, catalog);
        for r in refs.iter() {
            if let DnsResolution::Service(svc) = dns::resolve_with(r, catalog, false) {
                let to = self.ids.id(svc);
                let via = self.via(cm, r.span, format!("ConfigMap {}", cm.name()));
                let label = dns::effective_port(r).map(|(p, _)| format!(":{p}"));
                self.edge(
                    id,
                    to,
                    Relation::Calls,
                    via,
                    label,
                    EdgeResolution::Resolved,
                );
            }
        }
    }

    /// Service DNS names in env values, args and ConfigMap data.
    fn dns_calls(&mut self, obj: &'a Object, id: &Str) {
        let catalog = self.catalog;
        let refs = dns::references_once(obj, catalog);
        for r in refs.iter() {
            let field = match r.port {
                Some(p) => format!("{}:{p}", r.host),
                None => r.host.clone(),
            };
            let via = self.via(obj, r.span, field);
            let label = dns::effective_port(r).map(|(p, _)| format!(":{p}"));
            match dns::resolve(r, catalog) {
                DnsResolution::Service(svc) => {
                    let to = self.ids.id(svc);
                    self.edge(
                        id,
                        to,
                        Relation::Calls,
                        via,
                        label,
                        EdgeResolution::Resolved,
                    );
                }
                DnsResolution::OtherNamespace(services) => {
                    let others: Vec<&str> = services.iter().map(|s| s.namespace()).collect();
                    self.edge(
                        id,
                        written_id("Service", obj.namespace(), &dns_target_name(&r.form)),
                        Relation::Calls,
                        via,
                        label,
                        EdgeResolution::Finding(
                            "KW3302",
                            format!("a short name resolves only in namespace \"{}\"; the Service is in {}", obj.namespace(), others.join(", ")),
                        ),
                    );
                }
                DnsResolution::Missing {
                    name, namespace, ..
                } => self.edge(
                    id,
                    written_id("Service", &namespace, &name),
                    Relation::Calls,
                    via,
                    label,
                    EdgeResolution::Finding(
                        "KW3301",
                        format!("no Service \"{name}\" in namespace \"{namespace}\""),
                    ),
                ),
                DnsResolution::Outside | DnsResolution::Unknown => {
                    // `web-0.web.ns.svc`: one pod of a headless Service.
                    if let dns::Form::Pod { service, namespace } = &r.form
                        && let Some(svc) = catalog
                            .named("Service", service)
                            .iter()
                            .filter_map(|&i| catalog.object(i))
                            .find(|s| s.namespace() == namespace)
                    {
                        let pod = r.host.split('.').next().unwrap_or("");
                        let to = self.ids.id(svc);
                        let label = Some(match label {
                            Some(port) => format!("pod {pod} {port}"),
                            None => format!("pod {pod}"),
                        });
                        self.edge(
                            id,
                            to,
                            Relation::Calls,
                            via,
                            label,
                            EdgeResolution::Resolved,
                        );
                    }
                }
            }
        }
    }

    fn service(&mut self, obj: &'a Object) {
        let Some(view) = obj.service() else {
            return;
        };
        let ns = obj.namespace();
        let spec = obj.root.get("spec");
        let headless = spec.and_then(|s| s.get_str("clusterIP")) == Some("None");
        let mut detail = match view.service_type {
            "ExternalName" => format!(
                "ExternalName → {}",
                spec.and_then(|s| s.get_str("externalName")).unwrap_or("?")
            ),
            t if headless => format!("{t}, headless"),
            t => t.to_string(),
        };
        let port_list: Vec<String> = ServicePort::all(view.ports).map(|p| p.describe()).collect();
        if !port_list.is_empty() {
            detail.push_str(&format!(" · {}", port_list.join(", ")));
        }
        let id = self.node(obj, Some(detail));
        self.dns_names(obj, &id, headless);
        self.dns_calls(obj, &id);
        let Some(selector) = view.pod_selector() else {
            self.manual_endpoints(obj, &id);
            return;
        };
        let catalog: &'c Catalog<'a> = self.catalog;
        let templates = catalog.templates_matching(ns, &selector);
        let via = self.via(obj, view.selector_key_span, "spec.selector");
        let mut endpoints = 0u32;
        for entry in &templates {
            let Some(owner) = catalog.object(entry.object) else {
                continue;
            };
            let label = port_mapping(&view.ports.iter().collect::<Vec<_>>(), entry);
            endpoints = endpoints.saturating_add(
                self.pod_count(owner)
                    .map_or(1, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)),
            );
            for pod in self.pod_ids_of(owner) {
                self.edge(
                    &id,
                    pod,
                    Relation::Selects,
                    via.clone(),
                    label.clone(),
                    EdgeResolution::Resolved,
                );
            }
        }
        // Ways in from outside the cluster, straight to the Service.
        if matches!(view.service_type, "NodePort" | "LoadBalancer")
            || spec.is_some_and(|s| !s.get_seq("externalIPs").is_empty())
        {
            let external_ips: Vec<&str> = spec
                .map_or(&[][..], |s| s.get_seq("externalIPs"))
                .iter()
                .filter_map(Node::as_str)
                .collect();
            for sp in ServicePort::all(view.ports) {
                let port = sp.port.map(PortValue::Number);
                let target = sp.target.and_then(port_value).or_else(|| port.clone());
                let container = resolve_container_port(&sp, &templates);
                let mut entries = Vec::new();
                if matches!(view.service_type, "NodePort" | "LoadBalancer") {
                    entries.push(match sp.node_port.and_then(Node::as_i64) {
                        Some(n) => format!("nodePort {n}"),
                        None => "nodePort (allocated from 30000–32767)".to_string(),
                    });
                }
                if view.service_type == "LoadBalancer" {
                    entries.push(format!(
                        "LoadBalancer :{}",
                        sp.port.map_or_else(|| "?".into(), |p| p.to_string())
                    ));
                }
                for ip in &external_ips {
                    entries.push(format!(
                        "externalIP {ip}:{}",
                        sp.port.map_or_else(|| "?".into(), |p| p.to_string())
                    ));
                }
                for entry in entries {
                    self.part.exposures.push(Exposure {
                        entry,
                        chain: vec![id.clone()],
                        service: Some(id.clone()),
                        port: port.clone(),
                        target_port: target.clone(),
                        container_port: container,
                        endpoints,
                        weight: None,
                        finding: None,
                    });
                }
            }
        }
    }

    /// A Service without a selector: the Endpoints / EndpointSlices written
    /// for it are its endpoints (`services::manual_endpoints`).
    fn manual_endpoints(&mut self, svc: &'a Object, id: &Str) {
        for e in services::manual_endpoints(self.catalog, svc) {
            let to = self.ids.id(e.obj);
            let via = self.via(e.obj, e.link.span, e.field);
            let label = endpoints_text(&e.addresses, &e.ports);
            self.edge(
                id,
                to,
                Relation::Selects,
                via,
                Some(label),
                EdgeResolution::Resolved,
            );
        }
    }

    /// An Endpoints / EndpointSlice: its addresses and ports.
    fn endpoints_node(&mut self, obj: &'a Object) {
        let detail = services::endpoints_owner(obj).map(|(svc, _, _)| {
            let (addresses, ports) = services::endpoint_addresses(obj);
            format!(
                "for Service \"{svc}\" · {}",
                endpoints_text(&addresses, &ports)
            )
        });
        self.node(obj, detail);
    }

    fn dns_names(&mut self, obj: &Object, id: &Str, headless: bool) {
        let (name, ns) = (obj.name(), obj.namespace());
        if name.is_empty() {
            return;
        }
        let mut names = vec![
            name.to_string(),
            format!("{name}.{ns}"),
            format!("{name}.{ns}.svc"),
            format!("{name}.{ns}.svc.cluster.local"),
        ];
        if headless {
            // Per-pod names of the StatefulSets that name this Service.
            for sts in self
                .catalog
                .in_namespace(ns)
                .filter(|o| o.kind() == "StatefulSet")
            {
                if sts
                    .root
                    .path(&["spec", "serviceName"])
                    .and_then(Node::as_str)
                    != Some(name)
                {
                    continue;
                }
                let n = sts
                    .root
                    .path(&["spec", "replicas"])
                    .map_or(Some(1), Node::as_i64)
                    .unwrap_or(1)
                    .clamp(0, 12);
                for i in 0..n {
                    names.push(format!("{}-{i}.{name}.{ns}.svc.cluster.local", sts.name()));
                }
            }
        }
        self.part.dns.push(DnsEntry {
            service: id.clone(),
            names,
            short_name_namespaces: vec![ns.to_string()],
        });
    }

    /// The Service a backend names, as the rules resolve it (KW3201, KW3210).
    fn service_edge(
        &mut self,
        (from, from_id): (&Object, &Str),
        (ns, name): (&str, &str),
        via: Via,
        label: Option<String>,
        code: &'static str,
    ) -> Option<&'a Object> {
        match lookup_service(self.catalog, from, ns, name) {
            ServiceLookup::Found(svc) => {
                let to = self.ids.id(svc);
                self.edge(
                    from_id,
                    to,
                    Relation::Backend,
                    via,
                    label,
                    EdgeResolution::Resolved,
                );
                Some(svc)
            }
            ServiceLookup::Elsewhere(other) => {
                self.edge(
                    from_id,
                    written_id("Service", ns, name),
                    Relation::Backend,
                    via,
                    label,
                    EdgeResolution::Finding(
                        code,
                        format!(
                            "no Service \"{name}\" in namespace \"{ns}\" (one in \"{}\")",
                            other.namespace()
                        ),
                    ),
                );
                None
            }
            ServiceLookup::Missing(_) => {
                self.edge(
                    from_id,
                    written_id("Service", ns, name),
                    Relation::Backend,
                    via,
                    label,
                    EdgeResolution::Finding(
                        code,
                        format!("no Service \"{name}\" in namespace \"{ns}\""),
                    ),
                );
                None
            }
            ServiceLookup::Unknown => {
                self.edge(
                    from_id,
                    written_id("Service", ns, name),
                    Relation::Backend,
                    via,
                    label,
                    EdgeResolution::Assumed(
                        "not in the input; assumed to be deployed elsewhere (docs/references.md)"
                            .into(),
                    ),
                );
                None
            }
        }
    }

    /// Pods a Service reaches, and the container port a Service port
    /// resolves to in the first of them.
    fn reach(&self, svc: &Object, port: Option<&Node>) -> (u32, Option<i64>, Option<PortValue>) {
        let Some(view) = svc.service() else {
            return (0, None, None);
        };
        let Some(selector) = view.pod_selector() else {
            return (0, None, None);
        };
        let catalog: &'c Catalog<'a> = self.catalog;
        let templates = catalog.templates_matching(svc.namespace(), &selector);
        let endpoints = templates
            .iter()
            .filter_map(|e| catalog.object(e.object))
            .map(|o| {
                self.pod_count(o)
                    .map_or(1, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX))
            })
            .fold(0u32, u32::saturating_add);
        let sp = ServicePort::all(view.ports).find(|p| match port {
            None => true,
            Some(node) => match node.as_i64() {
                Some(n) => p.port == Some(n),
                None => node.as_str().is_some_and(|s| p.name == Some(s)),
            },
        });
        let target = sp.as_ref().and_then(|p| {
            p.target
                .and_then(port_value)
                .or(p.port.map(PortValue::Number))
        });
        let container = sp
            .as_ref()
            .and_then(|p| resolve_container_port(p, &templates));
        (endpoints, container, target)
    }

    fn ingress(&mut self, obj: &'a Object) {
        let ns = obj.namespace();
        let class = obj.ingress_class().to_string();
        let tls_hosts: Vec<&str> = obj
            .root
            .path(&["spec", "tls"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .flat_map(|t| t.get_seq("hosts"))
            .filter_map(Node::as_str)
            .collect();
        let detail = if class.is_empty() {
            None
        } else {
            Some(format!("class {class}"))
        };
        let id = self.node(obj, detail);
        self.tls_secrets(obj, &id);
        let path_types: Vec<(Option<&str>, Option<&str>, &str)> = obj
            .ingress_paths()
            .into_iter()
            .map(|p| {
                (
                    Some(p.host).filter(|h| !h.is_empty()),
                    Some(p.path),
                    p.path_type,
                )
            })
            .collect();
        for backend in obj.ingress_backends() {
            let Some(name) = backend.service_name.and_then(Node::as_str) else {
                continue;
            };
            let host = backend.host.filter(|h| !h.is_empty());
            let path_type = path_types
                .iter()
                .find(|(h, p, _)| *h == host && *p == backend.path)
                .map_or("", |(_, _, t)| *t);
            let route = if backend.default {
                "default backend".to_string()
            } else {
                let mut s = format!("{}{}", host.unwrap_or("*"), backend.path.unwrap_or("/"));
                if !path_type.is_empty() {
                    s.push_str(&format!(" ({path_type})"));
                }
                s
            };
            let port_text = backend.port.as_ref().map(|(p, _)| match p {
                BackendPort::Number(n) => format!(":{n}"),
                BackendPort::Name(n) => format!(":{n}"),
            });
            let label = Some(format!("{route}{}", port_text.clone().unwrap_or_default()));
            let span = backend.service_name.map_or(backend.node.span, |n| n.span);
            let via = self.via(
                obj,
                span,
                if backend.default {
                    "spec.defaultBackend"
                } else {
                    "backend"
                },
            );
            let svc = self.service_edge((obj, &id), (ns, name), via, label, "KW3201");
            let scheme = if host.is_some_and(|h| tls_hosts.contains(&h)) {
                "https"
            } else {
                "http"
            };
            let entry = if backend.default {
                format!("{scheme}://*/ (default backend)")
            } else {
                format!(
                    "{scheme}://{}{}",
                    host.unwrap_or("*"),
                    backend.path.unwrap_or("/")
                )
            };
            let port_node = backend
                .port
                .as_ref()
                .and_then(|(_, span)| find_port_node(backend.node, *span));
            let (endpoints, container_port, target_port) =
                svc.map_or((0, None, None), |s| self.reach(s, port_node));
            let service_id = svc
                .map(|s| self.ids.id(s))
                .unwrap_or_else(|| written_id("Service", ns, name));
            self.part.exposures.push(Exposure {
                entry,
                chain: vec![id.clone(), service_id.clone()],
                service: Some(service_id),
                port: backend.port.as_ref().map(|(p, _)| match p {
                    BackendPort::Number(n) => PortValue::Number(*n),
                    BackendPort::Name(n) => PortValue::Name((*n).to_string()),
                }),
                target_port,
                container_port,
                endpoints,
                weight: None,
                finding: self
                    .part
                    .edges
                    .last()
                    .and_then(|e| e.finding.as_deref().map(str::to_string)),
            });
        }
    }

    /// An Ingress's `spec.tls[].secretName` Secrets, as KW3204 resolves them.
    fn tls_secrets(&mut self, obj: &'a Object, id: &Str) {
        let ns = obj.namespace();
        for tls in object_refs::ingress_tls_secrets(obj) {
            let via = self.via(
                obj,
                tls.name_node.span,
                format!("spec.tls[{}].secretName", tls.index),
            );
            let label = Some(if tls.hosts.is_empty() {
                "tls".to_string()
            } else {
                format!("tls {}", tls.hosts.join(", "))
            });
            let written = written_id("Secret", ns, tls.name);
            match object_refs::resolve_tls_secret(self.catalog, obj, tls.name) {
                RefResolution::Found(found) => {
                    let to = found.first().map_or(written, |o| self.ids.id(o));
                    self.edge(id, to, Relation::Uses, via, label, EdgeResolution::Resolved);
                }
                RefResolution::Missing => self.edge(
                    id,
                    written,
                    Relation::Uses,
                    via,
                    label,
                    EdgeResolution::Finding(
                        "KW3204",
                        format!("no Secret \"{}\" in namespace \"{ns}\"", tls.name),
                    ),
                ),
                RefResolution::Optional | RefResolution::Outside => self.edge(
                    id,
                    written,
                    Relation::Uses,
                    via,
                    label,
                    EdgeResolution::Assumed(
                        "not in the input; assumed to be created elsewhere (cert-manager, an `assume:` entry; docs/references.md)"
                            .into(),
                    ),
                ),
            }
        }
    }

    /// A Gateway API route: its parent Gateways and its backends.
    fn route(&mut self, obj: &'a Object) {
        let ns = obj.namespace();
        let hostnames: Vec<&str> = obj
            .root
            .path(&["spec", "hostnames"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let id = self.node(obj, (!hostnames.is_empty()).then(|| hostnames.join(", ")));
        // Each Gateway the route is served by, with the hostnames it is
        // served on there (the listeners' intersections with the route's).
        let mut gateways: Vec<(Str, Vec<String>)> = Vec::new();
        for parent in obj.route_parent_refs() {
            let Some(name) = parent.name.as_str() else {
                continue;
            };
            let target_ns = parent.target_namespace(ns);
            let via = self.via(obj, parent.name.span, "spec.parentRefs");
            // A parent that is not a Gateway (a mesh route's Service), or a
            // Gateway not found: one `gateway` edge to the name as written.
            let attachment = gateway_api::attach(obj, &parent, self.catalog);
            let Some(gw) = attachment.as_ref().and_then(|a| a.lookup.gateway()) else {
                let missing = format!("no {} \"{name}\" in namespace \"{target_ns}\"", parent.kind);
                let resolution = match attachment.map(|a| a.lookup) {
                    Some(GatewayLookup::Elsewhere(other)) => EdgeResolution::Finding(
                        "KW3213",
                        format!(
                            "{missing}; one exists in namespace \"{}\"",
                            other.namespace()
                        ),
                    ),
                    Some(GatewayLookup::Near(near)) => EdgeResolution::Finding(
                        "KW3213",
                        format!("{missing}; did you mean \"{}\"?", near.name()),
                    ),
                    _ => EdgeResolution::Assumed(format!("{missing} in the input")),
                };
                self.edge(
                    &id,
                    written_id(parent.kind, target_ns, name),
                    Relation::Gateway,
                    via,
                    None,
                    resolution,
                );
                continue;
            };
            let Some(attachment) = attachment else {
                continue;
            };
            let gw_id = self.ids.id(gw);
            let label = parent
                .section_name
                .and_then(Node::as_str)
                .map(|s| format!("listener {s}"));
            let (via, resolution) = match attachment.verdict() {
                Verdict::Accepted => {
                    let hosts: Vec<String> = match attachment.lookup {
                        GatewayLookup::Unique(_) => {
                            let mut hosts: Vec<String> = Vec::new();
                            for h in attachment.accepting().flat_map(|l| l.hostnames.iter()) {
                                if !hosts.contains(h) {
                                    hosts.push(h.clone());
                                }
                            }
                            hosts
                        }
                        // Alternative definitions: listeners not judged.
                        _ if hostnames.is_empty() => vec!["*".to_string()],
                        _ => hostnames.iter().map(|h| (*h).to_string()).collect(),
                    };
                    gateways.push((gw_id.clone(), hosts));
                    (via, EdgeResolution::Resolved)
                }
                Verdict::NoMatchingParent => {
                    let problem = attachment.problem.as_ref();
                    let reason = match problem {
                        Some(ListenerProblem::NoSuchSection { wanted, .. }) => {
                            format!("Gateway \"{name}\" has no listener \"{wanted}\"")
                        }
                        Some(ListenerProblem::PortDiffers { wanted, port, .. }) => {
                            format!("listener \"{wanted}\" does not listen on port {port}")
                        }
                        Some(ListenerProblem::NoListenerOnPort { port, .. }) => {
                            format!("no listener of Gateway \"{name}\" listens on port {port}")
                        }
                        None => String::new(),
                    };
                    let (span, field) = match problem {
                        Some(ListenerProblem::NoSuchSection { section, .. }) => {
                            (section.span, "spec.parentRefs[].sectionName")
                        }
                        Some(p) => (p.span(), "spec.parentRefs[].port"),
                        None => (parent.name.span, "spec.parentRefs"),
                    };
                    (
                        self.via(obj, span, field),
                        EdgeResolution::Finding("KW3214", format!("{reason} (NoMatchingParent)")),
                    )
                }
                Verdict::NoListeners => (
                    via,
                    EdgeResolution::Unresolved(format!("Gateway \"{name}\" has no listeners")),
                ),
                Verdict::NotAllowedByListeners => {
                    let reasons: Vec<&str> = attachment
                        .listeners
                        .iter()
                        .filter_map(|l| match &l.admission {
                            Admission::Refused(reason, _) => Some(reason.as_str()),
                            Admission::Admits | Admission::Unknown => None,
                        })
                        .collect();
                    (
                        via,
                        EdgeResolution::Finding(
                            "KW3215",
                            format!("{} (NotAllowedByListeners)", reasons.join("; ")),
                        ),
                    )
                }
                Verdict::NoMatchingListenerHostname => {
                    let listed: Vec<String> = attachment
                        .admitting()
                        .map(|l| {
                            format!(
                                "{} ({})",
                                l.name(),
                                l.listener.get_str("hostname").unwrap_or("any host")
                            )
                        })
                        .collect();
                    let span = gateway_api::route_hostnames(obj)
                        .0
                        .map_or(parent.name.span, |n| n.span);
                    (
                        self.via(obj, span, "spec.hostnames"),
                        EdgeResolution::Finding(
                            "KW3216",
                            format!(
                                "no hostname of listener {} intersects {} (NoMatchingListenerHostname)",
                                listed.join(", "),
                                hostnames.join(", ")
                            ),
                        ),
                    )
                }
                Verdict::NoGateway => (via, EdgeResolution::Resolved),
            };
            self.edge(&gw_id, id.clone(), Relation::Routes, via, label, resolution);
        }
        let spec = obj.root.get("spec");
        for rule in spec.map_or(&[][..], |s| s.get_seq("rules")) {
            let paths: Vec<String> = rule
                .get_seq("matches")
                .iter()
                .filter_map(|m| {
                    m.path(&["path", "value"])
                        .and_then(Node::as_str)
                        .map(str::to_string)
                })
                .collect();
            let paths = if paths.is_empty() {
                vec!["/".to_string()]
            } else {
                paths
            };
            for backend in rule.get_seq("backendRefs") {
                let Some(name) = backend.get_str("name") else {
                    continue;
                };
                let kind = backend.get_str("kind").unwrap_or("Service");
                let group = backend.get_str("group").unwrap_or("");
                if kind != "Service" || !group.is_empty() {
                    continue;
                }
                let target_ns = backend.get_str("namespace").unwrap_or(ns);
                let weight = backend.get("weight").and_then(Node::as_i64);
                let port = backend.get("port");
                let mut label = port
                    .and_then(Node::as_i64)
                    .map(|p| format!(":{p}"))
                    .unwrap_or_default();
                if let Some(w) = weight {
                    label.push_str(&format!(" weight {w}"));
                }
                let via = self.via(
                    obj,
                    backend.get("name").map_or(backend.span, |n| n.span),
                    "spec.rules[].backendRefs",
                );
                let svc = self.service_edge(
                    (obj, &id),
                    (target_ns, name),
                    via,
                    (!label.is_empty()).then(|| label.trim().to_string()),
                    "KW3210",
                );
                let (endpoints, container_port, target_port) =
                    svc.map_or((0, None, None), |s| self.reach(s, port));
                let service_id = svc
                    .map(|s| self.ids.id(s))
                    .unwrap_or_else(|| written_id("Service", target_ns, name));
                for (gw, hosts) in &gateways {
                    for host in hosts {
                        for path in &paths {
                            self.part.exposures.push(Exposure {
                                entry: format!("http://{host}{path}"),
                                chain: vec![gw.clone(), id.clone(), service_id.clone()],
                                service: Some(service_id.clone()),
                                port: port.and_then(Node::as_i64).map(PortValue::Number),
                                target_port: target_port.clone(),
                                container_port,
                                endpoints,
                                weight,
                                finding: None,
                            });
                        }
                    }
                }
            }
        }
    }

    fn hpa(&mut self, obj: &'a Object) {
        let spec = obj.root.get("spec");
        let min = spec
            .and_then(|s| s.get("minReplicas"))
            .and_then(Node::as_i64)
            .unwrap_or(1);
        let max = spec
            .and_then(|s| s.get("maxReplicas"))
            .and_then(Node::as_i64);
        let detail = max.map(|m| format!("{min}–{m} replicas"));
        let id = self.node(obj, detail);
        let Some((node, api_version, kind, name)) = crate::resolve::scale::target(obj) else {
            return;
        };
        let ns = obj.namespace();
        let via = self.via(
            obj,
            node.get("name").map_or(node.span, |n| n.span),
            "spec.scaleTargetRef",
        );
        match self
            .catalog
            .find(api_version, kind, ns, name)
            .first()
            .and_then(|&i| self.catalog.object(i))
        {
            Some(target) => {
                let to = self.ids.id(target);
                self.edge(
                    &id,
                    to,
                    Relation::Scales,
                    via,
                    None,
                    EdgeResolution::Resolved,
                );
            }
            None => self.edge(
                &id,
                written_id(kind, ns, name),
                Relation::Scales,
                via,
                None,
                EdgeResolution::Assumed(format!(
                    "no {kind} \"{name}\" in namespace \"{ns}\" in the input"
                )),
            ),
        }
    }

    /// A ServiceMonitor / PodMonitor: the Services or pods it selects, as
    /// the Prometheus operator finds them (`monitors::resolve`, KW3408's
    /// function); the label names the endpoints' ports it scrapes.
    fn monitor(&mut self, obj: &'a Object, m: &monitors::Monitor<'_>) {
        let id = self.node(obj, Some(format!("watches {}", m.namespaces.describe())));
        let ports: Vec<String> = m
            .endpoints
            .iter()
            .filter_map(|e| e.get("port").or_else(|| e.get("targetPort")))
            .filter_map(port_value)
            .map(|p| p.to_string())
            .collect();
        let label = (!ports.is_empty()).then(|| format!("scrapes {}", ports.join(", ")));
        let via = self.via(obj, m.selector_span, "spec.selector");
        let catalog: &'c Catalog<'a> = self.catalog;
        let what = if m.pods { "Pod" } else { "Service" };
        let placeholder = || {
            let ns = match &m.namespaces {
                Namespaces::Any => "*",
                Namespaces::Names(names) => names.first().copied().unwrap_or(""),
            };
            written_id(what, ns, &m.selector.describe())
        };
        match monitors::resolve(catalog, obj, m) {
            MonitorResolution::Found(Targets::Services(services)) => {
                for svc in services {
                    let to = self.ids.id(svc);
                    self.edge(
                        &id,
                        to,
                        Relation::Selects,
                        via.clone(),
                        label.clone(),
                        EdgeResolution::Resolved,
                    );
                }
            }
            MonitorResolution::Found(Targets::Pods(entries)) => {
                self.select_pods(&id, &entries, &via, label.as_ref());
            }
            MonitorResolution::Missing(_) => self.edge(
                &id,
                placeholder(),
                Relation::Selects,
                via,
                label,
                EdgeResolution::Finding(
                    "KW3408",
                    format!(
                        "selects no {what} in {} ({})",
                        m.namespaces.describe(),
                        m.selector.describe()
                    ),
                ),
            ),
            MonitorResolution::Outside => self.edge(
                &id,
                placeholder(),
                Relation::Selects,
                via,
                label,
                EdgeResolution::Assumed(format!(
                    "no {what} of the input in {} matches {}; assumed to be deployed elsewhere (docs/references.md)",
                    m.namespaces.describe(),
                    m.selector.describe()
                )),
            ),
            MonitorResolution::Unchecked => {}
        }
    }

    /// PodDisruptionBudgets and NetworkPolicies: the pods their selector
    /// picks (a NetworkPolicy's through `network_policy::templates_selected`,
    /// KW3004's function), and a NetworkPolicy's peers.
    fn pod_selector_object(&mut self, obj: &'a Object) {
        let id = self.node(obj, None);
        let policy = obj.kind() == "NetworkPolicy";
        if policy {
            self.network_policy_peers(obj, &id);
        }
        let Some(node) = obj
            .root
            .path(&["spec", "podSelector"])
            .or_else(|| obj.root.path(&["spec", "selector"]))
        else {
            return;
        };
        let selector = Selector::from_label_selector(node);
        let catalog: &'c Catalog<'a> = self.catalog;
        // A NetworkPolicy's edge points at the `podSelector` key, where
        // KW3004 points.
        let span = obj
            .root
            .get("spec")
            .and_then(|s| s.entry("podSelector"))
            .filter(|_| policy)
            .map_or(node.span, |e| e.key.span);
        let via = self.via(
            obj,
            span,
            if policy {
                "spec.podSelector"
            } else {
                "spec.selector"
            },
        );
        let templates = if policy {
            network_policy::templates_selected(catalog, obj.namespace(), &selector, None)
        } else {
            catalog.templates_matching(obj.namespace(), &selector)
        };
        self.select_pods(&id, &templates, &via, None);
    }

    /// A NetworkPolicy's `ingress[].from[]` / `egress[].to[]` peers: `selects`
    /// edges to the pods a peer's podSelector / namespaceSelector picks, or
    /// to a node for its ipBlock; the label gives the direction and the
    /// rule's ports.
    fn network_policy_peers(&mut self, obj: &'a Object, id: &Str) {
        let catalog: &'c Catalog<'a> = self.catalog;
        let ns = obj.namespace();
        for peer in network_policy::peers(obj) {
            let ports = if peer.ports.is_empty() {
                "all ports".to_string()
            } else {
                peer.ports.join(", ")
            };
            let side = if peer.direction == "ingress" {
                "ingress from"
            } else {
                "egress to"
            };
            if let Some((cidr, except, span)) = &peer.ip_block {
                let block = written_id("IPBlock", "", cidr);
                let except = if except.is_empty() {
                    String::new()
                } else {
                    format!(" except {}", except.join(", "))
                };
                let line = self.line(obj, *span);
                self.extra_node(
                    obj,
                    block.clone(),
                    "IPBlock",
                    None,
                    (*cidr).to_string(),
                    line,
                    "addresses outside the cluster's pods".to_string(),
                );
                let via = self.via(obj, *span, format!("{}.ipBlock", peer.field));
                self.edge(
                    id,
                    block,
                    Relation::Selects,
                    via,
                    Some(format!("{side} ipBlock {cidr}{except} · {ports}")),
                    EdgeResolution::Resolved,
                );
                continue;
            }
            let all = Selector {
                match_labels: Vec::new(),
                expressions: Vec::new(),
                invalid: false,
            };
            let (pod_selector, span, field) = match &peer.pod_selector {
                Some((sel, span)) => (sel, *span, format!("{}.podSelector", peer.field)),
                None => (
                    &all,
                    peer.node.span,
                    format!("{}.namespaceSelector", peer.field),
                ),
            };
            if pod_selector.invalid || peer.namespace_selector.as_ref().is_some_and(|s| s.invalid) {
                continue;
            }
            let via = self.via(obj, span, field);
            let label = Some(format!("{side} · {ports}"));
            // A peer that admits every pod of a namespace, or of every
            // namespace (`namespaceSelector: {}`, common in real policies),
            // is one edge to a group: an edge per pod would draw the whole
            // cluster once per such peer.
            let everything =
                |sel: &Selector| sel.match_labels.is_empty() && sel.expressions.is_empty();
            if everything(pod_selector) {
                let (group, detail) = match &peer.namespace_selector {
                    None => (
                        written_id("Pods", ns, "all pods"),
                        format!("every pod of namespace {ns}"),
                    ),
                    Some(sel) if everything(sel) => (
                        written_id("Pods", "", "all namespaces"),
                        "every pod of every namespace".to_string(),
                    ),
                    Some(_) => (Str::default(), String::new()),
                };
                if !group.is_empty() {
                    let all_namespaces = peer.namespace_selector.is_some();
                    let name = if all_namespaces {
                        "all namespaces"
                    } else {
                        "all pods"
                    };
                    self.extra_node(
                        obj,
                        group.clone(),
                        "Pods",
                        (!all_namespaces).then_some(ns),
                        name.to_string(),
                        via.line,
                        detail,
                    );
                    self.edge(
                        id,
                        group,
                        Relation::Selects,
                        via,
                        label,
                        EdgeResolution::Resolved,
                    );
                    continue;
                }
            }
            let templates = network_policy::templates_selected(
                catalog,
                ns,
                pod_selector,
                peer.namespace_selector.as_ref(),
            );
            self.select_pods(id, &templates, &via, label.as_ref());
        }
    }

    fn istio_gateway(&mut self, obj: &'a Object) {
        let servers = obj
            .root
            .path(&["spec", "servers"])
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        let detail: Vec<String> = servers
            .iter()
            .map(|s| {
                let port = s
                    .path(&["port", "number"])
                    .and_then(Node::as_i64)
                    .map_or_else(|| "?".into(), |p| p.to_string());
                let hosts: Vec<&str> = s.get_seq("hosts").iter().filter_map(Node::as_str).collect();
                format!(":{port} {}", hosts.join(" "))
            })
            .collect();
        let id = self.node(obj, (!detail.is_empty()).then(|| detail.join("; ")));
        // The gateway workload (istio-ingressgateway pods) this Gateway configures.
        let Some((selector, span)) = crate::model::istio::gateway_selector(obj) else {
            return;
        };
        let catalog: &'c Catalog<'a> = self.catalog;
        let via = self.via(obj, span, "spec.selector");
        // Istio matches a Gateway's selector against pods in every namespace.
        let workload = catalog.templates_matching_anywhere(&selector);
        self.select_pods(&id, &workload, &via, Some(&"gateway workload".to_string()));
    }

    fn virtual_service(&mut self, obj: &'a Object) {
        let ns = obj.namespace();
        let hosts: Vec<&str> = obj
            .root
            .path(&["spec", "hosts"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let id = self.node(obj, (!hosts.is_empty()).then(|| hosts.join(", ")));
        let catalog: &'c Catalog<'a> = self.catalog;
        let istio = catalog.istio();
        let mut gateways = Vec::new();
        for g in crate::model::istio::gateway_names(obj) {
            if g.host == "mesh" {
                continue;
            }
            let (gw_ns, gw_name) = crate::model::istio::gateway_ref(g.host, ns);
            let via = self.via(obj, g.span, "spec.gateways");
            match istio.gateway(gw_ns, gw_name) {
                Some(gw) => {
                    let gw_id = self.ids.id(gw);
                    self.edge(
                        &gw_id,
                        id.clone(),
                        Relation::Routes,
                        via,
                        None,
                        EdgeResolution::Resolved,
                    );
                    gateways.push((gw_id, gw));
                }
                None => self.edge(
                    &id,
                    written_id("Gateway", gw_ns, gw_name),
                    Relation::Gateway,
                    via,
                    None,
                    EdgeResolution::Assumed(format!(
                        "no Gateway \"{gw_name}\" in namespace \"{gw_ns}\" in the input"
                    )),
                ),
            }
        }
        for d in crate::model::istio::destinations(obj) {
            let Some(host) = d.host else {
                continue;
            };
            let weight = d.weight;
            let subset = d.subset.and_then(Node::as_str);
            let mut label = Vec::new();
            if let Some(p) = d.port.and_then(Node::as_i64) {
                label.push(format!(":{p}"));
            }
            if let Some(s) = subset {
                label.push(format!("subset {s}"));
            }
            if let Some(w) = weight {
                label.push(format!("weight {w}"));
            }
            if d.protocol == "mirror" {
                label.push("mirror".into());
            }
            let label = (!label.is_empty()).then(|| label.join(" "));
            let via = self.via(obj, host.span, format!("{} route destination", d.protocol));
            match istio.resolve_destination(host.host, obj, catalog) {
                crate::model::istio::Target::Service(svc) => {
                    let to = self.ids.id(svc);
                    self.edge(
                        &id,
                        to.clone(),
                        Relation::Backend,
                        via,
                        label,
                        EdgeResolution::Resolved,
                    );
                    let in_subset = subset.and_then(|s| self.subset_edges(svc, s, obj));
                    let (endpoints, container_port, target_port) = self.reach(svc, d.port);
                    // A subset narrows the Service's pods to those with its labels.
                    let endpoints = in_subset.unwrap_or(endpoints);
                    for (gw_id, gw) in &gateways {
                        for server in gw
                            .root
                            .path(&["spec", "servers"])
                            .and_then(Node::as_seq)
                            .unwrap_or(&[])
                        {
                            let port = server.path(&["port", "number"]).and_then(Node::as_i64);
                            let scheme =
                                match server.path(&["port", "protocol"]).and_then(Node::as_str) {
                                    Some("HTTPS") => "https",
                                    _ => "http",
                                };
                            for h in &hosts {
                                let port_text = match (scheme, port) {
                                    ("http", Some(80)) | ("https", Some(443)) | (_, None) => {
                                        String::new()
                                    }
                                    (_, Some(p)) => format!(":{p}"),
                                };
                                self.part.exposures.push(Exposure {
                                    entry: format!("{scheme}://{h}{port_text}/"),
                                    chain: vec![gw_id.clone(), id.clone(), to.clone()],
                                    service: Some(to.clone()),
                                    port: d.port.and_then(Node::as_i64).map(PortValue::Number),
                                    target_port: target_port.clone(),
                                    container_port,
                                    endpoints,
                                    weight,
                                    finding: None,
                                });
                            }
                        }
                    }
                }
                crate::model::istio::Target::ServiceEntry(se) => {
                    let to = self.ids.id(se);
                    self.edge(
                        &id,
                        to,
                        Relation::Backend,
                        via,
                        label,
                        EdgeResolution::Resolved,
                    );
                }
                crate::model::istio::Target::Wildcard => {}
                crate::model::istio::Target::Missing(m) => self.edge(
                    &id,
                    written_id("Service", service_ns_of(&m.fqdn), service_name_of(&m.fqdn)),
                    Relation::Backend,
                    via,
                    label,
                    EdgeResolution::Assumed(format!(
                        "host {} is not a Service of the input",
                        m.fqdn
                    )),
                ),
            }
        }
    }

    /// A VirtualService destination's subset: the DestinationRule that
    /// defines it and the pods its labels select.
    fn subset_edges(&mut self, svc: &'a Object, subset: &str, vs: &Object) -> Option<u32> {
        let mut reached: Option<u32> = None;
        let catalog: &'c Catalog<'a> = self.catalog;
        let fqdn = format!("{}.{}.svc.cluster.local", svc.name(), svc.namespace());
        for dr in catalog.istio().destination_rules_for(&fqdn, vs.namespace()) {
            for s in dr
                .root
                .path(&["spec", "subsets"])
                .and_then(Node::as_seq)
                .unwrap_or(&[])
            {
                if s.get_str("name") != Some(subset) {
                    continue;
                }
                let Some(labels) = s.get("labels") else {
                    continue;
                };
                let mut selector = Selector::from_map(labels);
                if let Some(svc_selector) = svc.service().and_then(|v| v.pod_selector()) {
                    selector.match_labels.extend(svc_selector.match_labels);
                }
                let dr_id = self.ids.id(dr);
                let via = self.via(dr, s.span, format!("spec.subsets {subset}"));
                let mut count = 0u32;
                for entry in catalog.templates_matching(svc.namespace(), &selector) {
                    let Some(owner) = catalog.object(entry.object) else {
                        continue;
                    };
                    count = count.saturating_add(
                        self.pod_count(owner)
                            .map_or(1, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)),
                    );
                    for pod in self.pod_ids_of(owner) {
                        self.edge(
                            &dr_id,
                            pod,
                            Relation::Subset,
                            via.clone(),
                            Some(format!("subset {subset}")),
                            EdgeResolution::Resolved,
                        );
                    }
                }
                reached = Some(reached.unwrap_or(0).saturating_add(count));
            }
        }
        reached
    }
}

/// How an edge resolves.
enum EdgeResolution {
    Resolved,
    /// Unresolved, and the rule with this code reports it.
    Finding(&'static str, String),
    /// Not in the input, and the reference policy assumes it is provided
    /// elsewhere (or it is optional): no finding.
    Assumed(String),
    /// Unresolved, and no rule reports it (the schema's concern).
    Unresolved(String),
}

/// `10.0.0.5, 10.0.0.6 :5432/TCP`: the addresses (at most 4 named) and ports
/// an Endpoints / EndpointSlice writes.
fn endpoints_text(addresses: &[&str], ports: &[String]) -> String {
    let shown = match addresses.len() {
        0 => "no addresses".to_string(),
        n if n <= 4 => addresses.join(", "),
        n => format!(
            "{}, … ({n} addresses)",
            addresses.get(..4).unwrap_or(&[]).join(", ")
        ),
    };
    if ports.is_empty() {
        shown
    } else {
        format!("{shown} :{}", ports.join(", "))
    }
}

fn detail_count(count: Option<i64>) -> String {
    match count {
        Some(n) => format!("{n} replica{}", if n == 1 { "" } else { "s" }),
        None => "replicas not a number".into(),
    }
}

fn detail_pods(count: Option<i64>) -> String {
    match count {
        Some(n) => format!("×{n}"),
        None => "×?".into(),
    }
}

fn job_detail(spec: Option<&Node>) -> String {
    let get = |k| spec.and_then(|s| s.get(k)).and_then(Node::as_i64);
    format!(
        "completions {}, parallelism {}",
        get("completions").unwrap_or(1),
        get("parallelism").unwrap_or(1)
    )
}

fn phase_of_pod(obj: &Object) -> String {
    let containers = obj
        .pod_template()
        .map_or(0, |t| t.containers().filter(|c| !c.init).count());
    format!(
        "bare Pod, {containers} container{}",
        if containers == 1 { "" } else { "s" }
    )
}

fn dns_target_name(form: &dns::Form) -> String {
    match form {
        dns::Form::Short { name } | dns::Form::Qualified { name, .. } => name.clone(),
        dns::Form::Pod { service, .. } => service.clone(),
    }
}

fn service_name_of(fqdn: &str) -> &str {
    fqdn.split('.').next().unwrap_or(fqdn)
}

fn service_ns_of(fqdn: &str) -> &str {
    fqdn.split('.').nth(1).unwrap_or("")
}

pub fn port_value(node: &Node) -> Option<PortValue> {
    match ports::port_ref(node)? {
        PortRef::Number(n) => Some(PortValue::Number(n)),
        PortRef::Name(s) => Some(PortValue::Name(s.to_string())),
    }
}

/// The `port` node of an Ingress backend whose port is at `span`.
pub fn find_port_node(backend: &Node, span: Span) -> Option<&Node> {
    for path in [
        &["service", "port", "number"][..],
        &["service", "port", "name"],
        &["servicePort"],
    ] {
        if let Some(n) = backend.path(path)
            && n.span == span
        {
            return Some(n);
        }
    }
    None
}

/// The container port a Service port resolves to in the first template
/// that declares it (numbers pass through when no container declares them:
/// the kubelet forwards to the number anyway).
pub fn resolve_container_port(
    sp: &ServicePort<'_>,
    templates: &[&crate::catalog::TemplateEntry<'_>],
) -> Option<i64> {
    if let Some((n, _, _)) = sp.numeric_target() {
        return Some(n);
    }
    let target = sp.target.and_then(ports::port_ref)?;
    for entry in templates {
        let declared = ports::template_ports(&entry.template);
        if let PortResolution::Declared(p) =
            ports::resolve(declared.iter().map(|t| &t.port), &target, sp.protocol)
        {
            return p.number;
        }
    }
    None
}

/// `80→8080/TCP, 9090→metrics(9090)/TCP` for a Service's ports against one template.
fn port_mapping(
    ports_nodes: &[&Node],
    entry: &crate::catalog::TemplateEntry<'_>,
) -> Option<String> {
    let declared = ports::template_ports(&entry.template);
    let mut parts = Vec::new();
    for node in ports_nodes {
        let Some(sp) = ServicePort::all(std::slice::from_ref(*node)).next() else {
            continue;
        };
        let port = sp.port.map_or_else(|| "?".to_string(), |p| p.to_string());
        let text = match sp.numeric_target() {
            Some((n, _, _)) => format!("{port}→{n}/{}", sp.protocol),
            None => match sp.target.and_then(ports::port_ref) {
                Some(target @ PortRef::Name(name)) => {
                    match ports::resolve(declared.iter().map(|t| &t.port), &target, sp.protocol) {
                        PortResolution::Declared(p) => format!(
                            "{port}→{name}({})/{}",
                            p.number.map_or_else(|| "?".into(), |n| n.to_string()),
                            sp.protocol
                        ),
                        PortResolution::OtherProtocol(p) => {
                            format!("{port}→{name}({} only)", p.protocol)
                        }
                        PortResolution::Undeclared => format!("{port}→{name}(undeclared)"),
                    }
                }
                _ => format!("{port}→?"),
            },
        };
        parts.push(text);
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::{base_id, written_id};

    #[test]
    fn ids_keep_only_letters_and_digits_of_the_kind_and_escape_slashes() {
        assert_eq!(base_id("Deployment", "shop", "web"), "Deployment/shop/web");
        assert_eq!(base_id("Node", "", "n1"), "Node//n1");
        assert_eq!(
            base_id("My-Kind.v1", "a/b", "c/d/e"),
            "MyKindv1/a%2Fb/c%2Fd%2Fe"
        );
        assert_eq!(base_id("Ünï", "ns", "é/x"), "n/ns/é%2Fx");
        assert_eq!(base_id("", "", ""), "Object//");
        assert_eq!(base_id("-", "ns", "x"), "Object/ns/x");
        assert_eq!(written_id("Service", "shop", ""), "Service/shop/(empty)");
    }
}
