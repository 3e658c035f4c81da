//! What the drawing renderers (dot, mermaid, html) share: every node's role,
//! a placeholder for each reference that resolves to nothing, the edges as
//! index pairs, and the groups (unit, namespace) nodes are drawn in.
//!
//! Everything here follows the graph's own order, so the output is as
//! deterministic as the graph.

use rustc_hash::FxHashMap;

use crate::topology::model::{Edge, Graph, Str};

/// Where a node stands in the picture, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Role {
    /// A way in from outside: Ingress, Gateway, a Service that starts an
    /// exposure (LoadBalancer, NodePort, externalIPs).
    Entry,
    /// Routes and traffic policy: HTTPRoute, GRPCRoute, VirtualService, DestinationRule.
    Route,
    /// Services and their manual endpoints.
    Service,
    /// Controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
    Workload,
    Pod,
    /// ConfigMap, Secret, PersistentVolumeClaim, ServiceAccount.
    Config,
    /// Anything else: HPA, PDB, NetworkPolicy, ServiceMonitor, custom kinds.
    Other,
    /// The target of an unresolved reference: not an object of the input.
    Missing,
}

impl Role {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Role::Entry => "entry",
            Role::Route => "route",
            Role::Service => "service",
            Role::Workload => "workload",
            Role::Pod => "pod",
            Role::Config => "config",
            Role::Other => "other",
            Role::Missing => "missing",
        }
    }
}

/// A node to draw: an object of the graph, or a placeholder for an edge
/// target that is not one.
pub(super) struct Item<'g> {
    pub id: &'g str,
    pub kind: &'g str,
    pub namespace: Option<&'g str>,
    pub name: &'g str,
    pub unit: Option<&'g str>,
    pub role: Role,
    pub simulated: bool,
    pub exposed: bool,
    pub findings: &'g [String],
    pub detail: Option<&'g str>,
    /// Where the object is written.
    pub file: Option<&'g str>,
    pub line: Option<u32>,
    /// A placeholder every edge to which is `assumed` (provided from
    /// outside the input, by the reference policy): drawn, not flagged.
    pub assumed: bool,
    /// Index of the group the item is drawn in.
    pub group: usize,
}

impl Item<'_> {
    /// Has lint findings (or is a missing reference target).
    pub(super) fn flagged(&self) -> bool {
        !self.findings.is_empty() || (self.role == Role::Missing && !self.assumed)
    }

    /// The lines of a node's label, unescaped: kind, name, the detail, what
    /// a placeholder stands for, the finding codes (dot and Mermaid).
    pub(super) fn label_lines(&self) -> Vec<String> {
        let mut lines = vec![self.kind.to_string(), self.name.to_string()];
        if let Some(detail) = self.detail {
            lines.push(detail.to_string());
        }
        if self.role == Role::Missing {
            let note = if self.assumed {
                "(assumed, not in the input)"
            } else {
                "(not found)"
            };
            lines.push(note.to_string());
        }
        if !self.findings.is_empty() {
            lines.push(self.findings.join(", "));
        }
        lines
    }
}

/// A box around the nodes of one namespace (of one unit when the graph
/// draws more than one).
pub(super) struct Group<'g> {
    pub unit: Option<&'g str>,
    pub namespace: Option<&'g str>,
    /// Item indices in drawing order.
    pub items: Vec<usize>,
}

impl Group<'_> {
    pub(super) fn title(&self) -> String {
        match self.namespace {
            Some(ns) => format!("namespace {ns}"),
            None => "cluster-scoped".to_string(),
        }
    }
}

/// Edges between items: `(from item, to item, edge)`.
pub(super) struct View<'g> {
    pub items: Vec<Item<'g>>,
    pub edges: Vec<(usize, usize, &'g Edge)>,
    pub groups: Vec<Group<'g>>,
    /// More than one unit: groups are drawn inside one box per unit.
    pub multi_unit: bool,
}

const ROUTE_KINDS: &[&str] = &[
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "VirtualService",
    "DestinationRule",
    "ServiceEntry",
];
const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
];
const CONFIG_KINDS: &[&str] = &[
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "ServiceAccount",
];

pub(super) fn role_of(kind: &str, starts_exposure: bool) -> Role {
    match kind {
        "Ingress" | "Gateway" => Role::Entry,
        "Service" if starts_exposure => Role::Entry,
        "Service" | "Endpoints" | "EndpointSlice" => Role::Service,
        "Pod" => Role::Pod,
        k if ROUTE_KINDS.contains(&k) => Role::Route,
        k if WORKLOAD_KINDS.contains(&k) => Role::Workload,
        k if CONFIG_KINDS.contains(&k) => Role::Config,
        _ => Role::Other,
    }
}

/// `Kind/namespace/name` → its parts; `None` when the id has another shape.
pub(super) fn split_id(id: &str) -> Option<(&str, Option<&str>, &str)> {
    let mut parts = id.splitn(3, '/');
    let kind = parts.next()?;
    let namespace = parts.next()?;
    let name = parts.next()?;
    let namespace = (!namespace.is_empty()).then_some(namespace);
    Some((kind, namespace, name))
}

impl<'g> View<'g> {
    pub(super) fn new(graph: &'g Graph) -> Self {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        let mut items: Vec<Item<'g>> = Vec::with_capacity(graph.nodes.len());
        // A Service that starts an exposure (LoadBalancer, NodePort) is a way in.
        let entries: rustc_hash::FxHashSet<&str> = graph
            .exposures
            .iter()
            .filter_map(|x| x.chain.first().map(Str::as_str))
            .collect();
        for node in &graph.nodes {
            if index.contains_key(node.id.as_str()) {
                continue; // a duplicate id is drawn once
            }
            index.insert(&node.id, items.len());
            items.push(Item {
                id: &node.id,
                kind: &node.kind,
                namespace: node.namespace.as_deref(),
                name: &node.name,
                unit: node.unit.as_deref(),
                role: role_of(&node.kind, entries.contains(node.id.as_str())),
                simulated: node.simulated,
                exposed: node.exposed,
                findings: &node.findings,
                detail: node.detail.as_deref(),
                file: node.file.as_deref(),
                line: node.line,
                assumed: false,
                group: 0,
            });
        }
        let mut edges = Vec::with_capacity(graph.edges.len());
        for edge in &graph.edges {
            let from = placeholder(&mut items, &mut index, &edge.from, None, false);
            let unit = items.get(from).and_then(|i| i.unit);
            let to = placeholder(&mut items, &mut index, &edge.to, unit, edge.assumed);
            edges.push((from, to, edge.as_ref()));
        }

        // Groups in order of first appearance: units as the graph lists
        // them, then namespaces by name, cluster-scoped last.
        let unit_order: FxHashMap<&str, usize> = graph
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.name.as_str(), i))
            .collect();
        let mut keys: Vec<(usize, Option<&str>, bool, Option<&str>)> = items
            .iter()
            .map(|i| {
                let u = i.unit.map_or(usize::MAX, |u| {
                    *unit_order.get(u).unwrap_or(&(usize::MAX - 1))
                });
                (u, i.unit, i.namespace.is_none(), i.namespace)
            })
            .collect();
        keys.sort();
        keys.dedup();
        let group_of: FxHashMap<(Option<&str>, Option<&str>), usize> = keys
            .iter()
            .enumerate()
            .map(|(g, &(_, unit, _, ns))| ((unit, ns), g))
            .collect();
        let mut groups: Vec<Group<'g>> = keys
            .iter()
            .map(|&(_, unit, _, namespace)| Group {
                unit,
                namespace,
                items: Vec::new(),
            })
            .collect();
        for (i, item) in items.iter_mut().enumerate() {
            let g = group_of
                .get(&(item.unit, item.namespace))
                .copied()
                .unwrap_or(0);
            item.group = g;
            if let Some(group) = groups.get_mut(g) {
                group.items.push(i);
            }
        }
        let mut units: Vec<Option<&str>> = groups.iter().map(|g| g.unit).collect();
        units.dedup();
        let multi_unit = units.len() > 1;
        View {
            items,
            edges,
            groups,
            multi_unit,
        }
    }
}

/// The item for `id`, adding a placeholder when it is not a node.
fn placeholder<'g>(
    items: &mut Vec<Item<'g>>,
    index: &mut FxHashMap<&'g str, usize>,
    id: &'g str,
    unit: Option<&'g str>,
    assumed: bool,
) -> usize {
    if let Some(&i) = index.get(id) {
        if let Some(item) = items.get_mut(i) {
            item.assumed &= assumed;
        }
        return i;
    }
    let (kind, namespace, name) = split_id(id).unwrap_or(("", None, id));
    let i = items.len();
    index.insert(id, i);
    items.push(Item {
        id,
        kind,
        namespace,
        name,
        unit,
        role: Role::Missing,
        simulated: false,
        exposed: false,
        findings: &[],
        detail: None,
        file: None,
        line: None,
        assumed,
        group: 0,
    });
    i
}

impl Item<'_> {
    /// `Kind/namespace/name` and, when known, `file:line` on a second line.
    pub(super) fn tooltip(&self) -> String {
        match (self.file, self.line) {
            (Some(file), Some(line)) => format!("{}\n{file}:{line}", self.id),
            (Some(file), None) => format!("{}\n{file}", self.id),
            _ => self.id.to_string(),
        }
    }
}

/// At most `max` characters of `s`, with `…` when cut.
pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
