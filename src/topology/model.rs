//! The simulated topology as data: what `kwire graph -f json` prints
//! (`docs/graph-report.schema.json`, version 1) and what every renderer reads.
//!
//! Node ids are `Kind/namespace/name` (`Kind//name` for cluster-scoped
//! objects). Simulated objects (the ReplicaSet and pods a Deployment creates,
//! StatefulSet pods, CronJob Jobs) carry `simulated: true`; a simulated set
//! of identical pods is one node whose `detail` says how many.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A string many nodes and edges of a report share (an id, a kind, a
/// namespace, a file path): a clone is a reference count, not a copy. A
/// 10,000-app repository's graph holds about a million strings, most of
/// them repeats; building, sorting and freeing them was much of what `kwire
/// graph` costs over `kwire lint` (docs/performance.md). Reads and compares
/// as the `str` it holds; the empty string is a static, no allocation. Eight
/// bytes, and eight as an `Option` (an `ArcStr` keeps the length beside the
/// text, where `Arc<str>` is a 16-byte pointer and length): a node holds
/// seven, an edge seven (two in its `Via`).
#[derive(Clone, Default)]
pub struct Str(arcstr::ArcStr);

impl Str {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(arcstr::ArcStr::from(s))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(arcstr::ArcStr::from(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str::from(s.as_str())
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        // Shared strings are usually the same allocation.
        arcstr::ArcStr::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        if arcstr::ArcStr::ptr_eq(&self.0, &other.0) {
            std::cmp::Ordering::Equal
        } else {
            self.as_str().cmp(other.as_str())
        }
    }
}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::fmt::Display for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Str::from)
    }
}

/// The whole report. Renderers draw it; nothing in it refers to source text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    pub version: u32,
    /// The deployment units drawn, in order (one section each in `text`).
    #[serde(default)]
    pub units: Vec<UnitInfo>,
    /// Boxed, like `edges`: a large graph's ~90,000 nodes of ~170 bytes are
    /// sorted and gathered from the worlds' parts as pointers, not copied
    /// (docs/performance.md).
    pub nodes: Vec<Box<Node>>,
    pub edges: Vec<Box<Edge>>,
    pub exposures: Vec<Exposure>,
    pub dns: Vec<DnsEntry>,
    /// One rollout per Deployment, StatefulSet and DaemonSet drawn
    /// (`crate::topology::rollout`), sorted by workload id.
    pub rollouts: Vec<Rollout>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitInfo {
    pub name: String,
    /// `kustomization path`, `config`, `directory` or `input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: Str,
    pub kind: Str,
    pub namespace: Option<Str>,
    pub name: Str,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub simulated: bool,
    /// Where the object is written (for a simulated node: its owner's file).
    pub file: Option<Str>,
    pub line: Option<u32>,
    pub unit: Option<Str>,
    /// Codes of the lint findings on this object, sorted, deduplicated.
    #[serde(default)]
    pub findings: Vec<String>,
    /// One line the simulation says about the node: `3 replicas`,
    /// `one per node`, `ClusterIP 10.x`, `headless`, `ExternalName db.example.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Str>,
    /// Reachable from outside the cluster (the start or a hop of an exposure).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exposed: bool,
}

/// The kinds of edge, as the contract names them.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// A controller creates the target (Deployment → ReplicaSet → pods).
    /// (The default only fills the place an edge was moved out of.)
    #[default]
    Owns,
    /// A selector matches the target's labels (Service, PDB, NetworkPolicy → pods).
    Selects,
    /// An Ingress / route / VirtualService sends traffic to a Service.
    Backend,
    /// A route attaches to a Gateway listener, or a Gateway server to a route.
    Routes,
    /// A VirtualService destination or DestinationRule subset selects pods.
    Subset,
    /// A VirtualService or route names a Gateway.
    Gateway,
    /// An HPA scales a workload.
    Scales,
    /// A pod template mounts / reads / runs as the target (ConfigMap, Secret, PVC, ServiceAccount).
    Uses,
    /// A DNS reference (env value, arg, ConfigMap) from a workload to a Service.
    Calls,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Owns => "owns",
            Relation::Selects => "selects",
            Relation::Backend => "backend",
            Relation::Routes => "routes",
            Relation::Subset => "subset",
            Relation::Gateway => "gateway",
            Relation::Scales => "scales",
            Relation::Uses => "uses",
            Relation::Calls => "calls",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Via {
    pub file: Str,
    pub line: u32,
    /// The field that made the edge, as a path: `spec.selector`,
    /// `spec.rules[0].http.paths[1].backend`, `env PRODUCT_CATALOG_SERVICE_ADDR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Str>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: Str,
    /// A node id; for an unresolved reference, the name as written
    /// (`Service/shop/cart`), which is then not a node.
    pub to: Str,
    pub relation: Relation,
    pub via: Via,
    pub resolved: bool,
    /// Unresolved, and not a finding: the target is not in the input and
    /// the reference policy (`docs/references.md`) assumes something else
    /// provides it, or the reference is optional.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assumed: bool,
    /// The code of the lint finding this edge carries (unresolved edges, and
    /// resolved ones a rule still reports, such as a port protocol mismatch).
    #[serde(default)]
    pub finding: Option<Str>,
    /// Short text drawn on the edge: `80→8080/TCP`, `weight 90`, `/api (Prefix)`, `:7070`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Str>,
    /// Why an unresolved edge resolves to nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Str>,
}

/// A port as written: a number or an IANA name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortValue {
    Number(i64),
    Name(String),
}

impl std::fmt::Display for PortValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortValue::Number(n) => write!(f, "{n}"),
            PortValue::Name(s) => f.write_str(s),
        }
    }
}

/// One way in from outside, as a chain of node ids ending at a Service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    /// `http://host/path`, `nodePort 30080`, `LoadBalancer :80`, `externalIP 1.2.3.4:80`.
    pub entry: String,
    /// Node ids from the entry object to the Service (Ingress, Service) or
    /// (Gateway, HTTPRoute, Service) or (Istio Gateway, VirtualService, Service).
    pub chain: Vec<Str>,
    pub service: Option<Str>,
    pub port: Option<PortValue>,
    pub target_port: Option<PortValue>,
    pub container_port: Option<i64>,
    /// Number of pods reached (simulated replicas summed).
    pub endpoints: u32,
    pub weight: Option<i64>,
    /// Code of the finding when the exposure ends nowhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DnsEntry {
    /// Node id of the Service.
    pub service: Str,
    /// `name.ns.svc.cluster.local` and its shorter forms; per-pod names of a
    /// headless Service's StatefulSet pods.
    pub names: Vec<String>,
    /// Namespaces where the bare `name` resolves (the Service's own).
    #[serde(default)]
    pub short_name_namespaces: Vec<String>,
}

/// One workload's update, played the way its controller plays it
/// (`crate::topology::rollout`; `docs/topology.md#rollouts`). The contract
/// names `workload`, `strategy`, `max_surge`, `max_unavailable` and `steps`;
/// the other fields are kwire's additions, all optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rollout {
    /// Node id of the workload.
    pub workload: Str,
    /// `RollingUpdate`, `Recreate` or `OnDelete`.
    pub strategy: String,
    /// The surge as a pod count, after rounding (percentages round up).
    pub max_surge: Option<i64>,
    /// The unavailability as a pod count, after rounding (a Deployment's
    /// percentage rounds down; a DaemonSet's up).
    pub max_unavailable: Option<i64>,
    /// Shared: most workloads of a repository play the same steps, and a
    /// 10,000-app repository's 70,000 steps were 7 MB of fresh memory
    /// (`rollout::simulate`; docs/performance.md).
    pub steps: Arc<[RolloutStep]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The pods updated: the replicas (a DaemonSet: one per assumed node).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i64>,
    /// Where `replicas` comes from: `spec.replicas`, `spec.replicas unset
    /// (defaults to 1)`, `HorizontalPodAutoscaler "web" minReplicas`,
    /// `3 nodes assumed (--nodes)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas_from: Option<String>,
    /// `maxSurge` as written, or its default (`25% (default)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge_written: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable_written: Option<String>,
    /// StatefulSet `partition`: ordinals below it keep the old revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i64>,
    /// Why the API server rejects the strategy (no steps then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What other objects, or missing fields, change about the rollout.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<RolloutNote>,
}

/// One state of a rollout. `old`/`new`: pods of the old and the new
/// revision that exist (a Deployment: the ReplicaSets' replicas); `ready`:
/// how many of all of them are ready and serve.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RolloutStep {
    pub old: i64,
    pub new: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<i64>,
    /// Ready pods of the new revision (old pods are ready until deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_ready: Option<i64>,
    /// `old + new`: pods that exist (and take resources) at this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// What the controller (or the wait for readiness) did to get here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Str>,
    /// Evictions the tightest PodDisruptionBudget allows at this step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disruptions_allowed: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RolloutNote {
    /// The lint finding that says the same, when there is one (`KW5600`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
    /// Where the other object (or the field) is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id).map(Box::as_ref)
    }
}
