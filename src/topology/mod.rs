//! `kwire graph`: the topology the manifests create, simulated on the
//! resolution layer the rules read (`crate::resolve`), and its renderers.

pub mod build;
pub mod model;
pub mod render;
pub mod rollout;
pub mod trace;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
pub use model::Graph;

/// Puts the worlds' parts together: one node per id (the first), edges and
/// exposures deduplicated, everything in a stable order.
pub fn assemble(parts: Vec<build::Part>, units: Vec<model::UnitInfo>) -> Graph {
    let total = |f: fn(&build::Part) -> usize| parts.iter().map(f).sum::<usize>();
    let mut graph = Graph {
        version: 1,
        units,
        nodes: Vec::new(),
        edges: Vec::new(),
        exposures: Vec::with_capacity(total(|p| p.exposures.len())),
        dns: Vec::with_capacity(total(|p| p.dns.len())),
        rollouts: Vec::with_capacity(total(|p| p.rollouts.len())),
    };
    let mut node_lists = Vec::with_capacity(parts.len());
    let mut edge_lists = Vec::with_capacity(parts.len());
    for part in parts {
        node_lists.push(part.nodes);
        edge_lists.push(part.edges);
        graph.exposures.extend(part.exposures);
        graph.dns.extend(part.dns);
        graph.rollouts.extend(part.rollouts);
    }
    // Nodes and edges are the large lists (a 10,000-app repository has
    // ~90,000 of each): they are ordered by sorting small keys that point
    // into the parts, then their boxes are moved into place, instead of
    // being concatenated and merge-sorted whole (docs/performance.md).
    let (nodes, edges) = rayon::join(
        || gather(node_lists, node_order),
        || gather(edge_lists, edge_order),
    );
    graph.nodes = nodes;
    graph.edges = edges;
    // Equal edges are adjacent in key order unless an edge with the same key
    // but other fields sits between them; this is what a sort then `dedup`
    // of the whole list did.
    graph.edges.dedup();
    graph
        .exposures
        .sort_by(|a, b| (&a.entry, &a.chain).cmp(&(&b.entry, &b.chain)));
    graph.exposures.dedup();
    graph.dns.sort_by(|a, b| a.service.cmp(&b.service));
    graph.dns.dedup();
    graph.rollouts.sort_by(|a, b| a.workload.cmp(&b.workload));
    graph.rollouts.dedup_by(|a, b| a.workload == b.workload);
    // What the report says of each node, decided on borrowed ids (sets of
    // cloned strings copied most ids of a large graph once more).
    let marks: Vec<(bool, bool)> = {
        use rustc_hash::FxHashSet;
        let exposed: FxHashSet<&str> = graph
            .exposures
            .iter()
            .flat_map(|e| e.chain.iter().map(model::Str::as_str))
            .collect();
        // Pods of long-running workloads that no Service selects: reachable by
        // pod IP only (often intended: workers, batch; sometimes a forgotten Service).
        let selected: FxHashSet<&str> = graph
            .edges
            .iter()
            .filter(|e| e.relation == model::Relation::Selects && e.from.starts_with("Service/"))
            .map(|e| e.to.as_str())
            .collect();
        let batch: FxHashSet<&str> = graph
            .nodes
            .iter()
            .filter(|n| matches!(n.kind.as_str(), "Job" | "CronJob"))
            .map(|n| n.id.as_str())
            .collect();
        let batch_pods: FxHashSet<&str> = graph
            .edges
            .iter()
            .filter(|e| e.relation == model::Relation::Owns && batch.contains(e.from.as_str()))
            .map(|e| e.to.as_str())
            .collect();
        graph
            .nodes
            .iter()
            .map(|n| {
                let id = n.id.as_str();
                let lonely = n.kind == "Pod"
                    && !selected.contains(id)
                    && !batch_pods.contains(id)
                    && !n
                        .detail
                        .as_deref()
                        .is_some_and(|d| d.starts_with("0 pods") || d == "run to completion");
                (exposed.contains(id), lonely)
            })
            .collect()
    };
    for (n, (exposed, lonely)) in graph.nodes.iter_mut().zip(marks) {
        n.exposed = exposed;
        if lonely {
            let note = "behind no Service";
            n.detail = Some(match n.detail.take() {
                Some(d) => model::Str::from(format!("{d} · {note}")),
                None => model::Str::from(note),
            });
        }
    }
    graph
}

/// Where an item sits among the parts: (part, index in it).
type Slot = (u32, u32);

/// Moves the items of `lists` into one list, in the order (and keeping only
/// the slots) `order` gives. Items are boxes: what moves is a pointer.
fn gather<T: Send>(lists: Vec<Vec<T>>, order: fn(&[Vec<T>]) -> Vec<Slot>) -> Vec<T> {
    let slots = order(&lists);
    // `Option<Box<_>>` is a pointer too: the lists are rewritten in place.
    let mut lists: Vec<Vec<Option<T>>> = lists
        .into_iter()
        .map(|list| list.into_iter().map(Some).collect())
        .collect();
    slots
        .into_iter()
        .filter_map(|(part, i)| {
            lists
                .get_mut(part as usize)
                .and_then(|l| l.get_mut(i as usize))
                .and_then(Option::take)
        })
        .collect()
}

/// Every item of `lists` with its slot.
fn slots<T>(lists: &[Vec<T>]) -> impl Iterator<Item = (Slot, &T)> {
    lists.iter().enumerate().flat_map(|(p, list)| {
        list.iter()
            .enumerate()
            .map(move |(i, item)| ((p as u32, i as u32), item))
    })
}

/// Ranks of the distinct values of an optional string (`None` first), so a
/// sort compares two integers where it compared two equal strings.
fn ranks<'a>(values: impl Iterator<Item = &'a str>) -> rustc_hash::FxHashMap<&'a str, u32> {
    let distinct: rustc_hash::FxHashSet<&str> = values.collect();
    let mut sorted: Vec<&str> = distinct.into_iter().collect();
    sorted.sort_unstable();
    sorted
        .into_iter()
        .enumerate()
        .map(|(r, v)| (v, r as u32 + 1))
        .collect()
}

/// Nodes by unit, namespace, kind (ways in first), name and id; of the nodes
/// with one id, the first in part order.
// The boxes are the point: the lists are sorted as pointers (`Graph::nodes`).
#[allow(clippy::vec_box)]
fn node_order(lists: &[Vec<Box<model::Node>>]) -> Vec<Slot> {
    use rayon::slice::ParallelSliceMut;
    let units = ranks(slots(lists).filter_map(|(_, n)| n.unit.as_deref()));
    let namespaces = ranks(slots(lists).filter_map(|(_, n)| n.namespace.as_deref()));
    let rank = |map: &rustc_hash::FxHashMap<&str, u32>, v: Option<&str>| {
        v.and_then(|v| map.get(v).copied()).unwrap_or(0)
    };
    // References to the strings (8 bytes) rather than `&str` (16): the keys
    // are a large graph's biggest temporary, made while the parts and the
    // catalogs are all alive, and fresh memory is what `graph` pays for
    // most (docs/performance.md). Sized exactly: a growing vector is the
    // old and the new buffer at once.
    let mut keys: Vec<(u32, u32, u8, &model::Str, &model::Str, Slot)> =
        Vec::with_capacity(lists.iter().map(Vec::len).sum());
    keys.extend(slots(lists).map(|(slot, n)| {
        (
            rank(&units, n.unit.as_deref()),
            rank(&namespaces, n.namespace.as_deref()),
            kind_rank(&n.kind),
            &n.name,
            &n.id,
            slot,
        )
    }));
    // The slot ends every key, so keys are distinct and an unstable sort
    // gives the order a stable sort of the concatenated parts gave.
    keys.par_sort_unstable();
    // The same id means the same unit, namespace, kind and name: adjacent.
    keys.dedup_by(|a, b| a.4.as_str() == b.4.as_str());
    keys.into_iter().map(|k| k.5).collect()
}

/// Edges by from, to, relation, file, line and label, then part order.
#[allow(clippy::vec_box)]
fn edge_order(lists: &[Vec<Box<model::Edge>>]) -> Vec<Slot> {
    use rayon::slice::ParallelSliceMut;
    // Shared strings compare equal by pointer first: most neighbours in
    // this order have the same source (and often the same target and file).
    type Key<'a> = (
        &'a model::Str,
        &'a model::Str,
        model::Relation,
        &'a model::Str,
        u32,
        Option<&'a model::Str>,
        Slot,
    );
    // Small and sized exactly, as in `node_order`.
    let mut keys: Vec<Key<'_>> = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    keys.extend(slots(lists).map(|(slot, e)| {
        (
            &e.from,
            &e.to,
            e.relation,
            &e.via.file,
            e.via.line,
            e.label.as_ref(),
            slot,
        )
    }));
    keys.par_sort_unstable();
    keys.into_iter().map(|k| k.6).collect()
}

/// Order of kinds inside a namespace: entry points first, then Services,
/// workloads, their pods, configuration.
pub fn kind_rank(kind: &str) -> u8 {
    match kind {
        "Gateway" => 0,
        "Ingress" | "HTTPRoute" | "GRPCRoute" | "TLSRoute" | "TCPRoute" | "UDPRoute" => 1,
        "VirtualService" | "DestinationRule" => 2,
        "Service" => 3,
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job"
        | "CronJob"
        | "DeploymentConfig" => 4,
        "Pod" => 5,
        "HorizontalPodAutoscaler" | "PodDisruptionBudget" | "NetworkPolicy" => 6,
        _ => 7,
    }
}

/// Writes the codes of the lint findings onto the nodes of their objects.
pub fn attach_findings(graph: &mut Graph, diagnostics: &[Diagnostic]) {
    // By name, then kind, namespace and unit: borrowed keys, so a graph of
    // many nodes and few findings costs a lookup per node, no string.
    type Finding<'d> = (&'d str, &'d str, Option<&'d str>, &'static str);
    let mut by_name: rustc_hash::FxHashMap<&str, Vec<Finding<'_>>> = Default::default();
    for d in diagnostics {
        let Some(obj) = &d.object else {
            continue;
        };
        by_name
            .entry(obj.name.as_deref().unwrap_or(""))
            .or_default()
            .push((
                obj.kind.as_deref().unwrap_or(""),
                obj.namespace.as_deref().unwrap_or(""),
                d.unit.as_deref(),
                d.code,
            ));
    }
    let mut node_findings: HashMap<model::Str, Vec<String>> = HashMap::new();
    if !by_name.is_empty() {
        for node in &mut graph.nodes {
            if node.simulated {
                continue;
            }
            let Some(found) = by_name.get(node.name.as_str()) else {
                continue;
            };
            let ns = node.namespace.as_deref().unwrap_or("");
            let mut codes: Vec<String> = found
                .iter()
                .filter(|(kind, in_ns, unit, _)| {
                    *kind == node.kind && *in_ns == ns && *unit == node.unit.as_deref()
                })
                .map(|(_, _, _, code)| (*code).to_string())
                .collect();
            if codes.is_empty() {
                continue;
            }
            codes.sort();
            codes.dedup();
            node_findings.insert(node.id.clone(), codes.clone());
            node.findings = codes;
        }
    }
    // An exposure that reaches no pods carries the finding that says why:
    // the Service has no endpoints (KW3002), the subset selects no pods
    // (KW4003), the route's backend is missing (already set when built).
    for x in graph.exposures.iter_mut().filter(|x| x.endpoints == 0) {
        if x.finding.is_some() {
            continue;
        }
        x.finding = x.chain.iter().rev().find_map(|id| {
            let codes = node_findings.get(id)?;
            ["KW3002", "KW4003", "KW3203"]
                .into_iter()
                .find(|c| codes.iter().any(|have| have == c))
                .map(str::to_string)
        });
    }
}

/// `--namespace` / `--unit`: keeps the nodes of these namespaces and units
/// (none given: all), and the edges, exposures and DNS entries among them.
pub fn filter(graph: &mut Graph, namespaces: &[String], units: &[String]) {
    if namespaces.is_empty() && units.is_empty() {
        return;
    }
    graph.nodes.retain(|n| {
        (namespaces.is_empty()
            || n.namespace
                .as_ref()
                .is_some_and(|ns| namespaces.iter().any(|want| want == ns)))
            && (units.is_empty()
                || n.unit
                    .as_ref()
                    .is_some_and(|u| units.iter().any(|want| want == u)))
    });
    let kept: std::collections::HashSet<model::Str> =
        graph.nodes.iter().map(|n| n.id.clone()).collect();
    graph.edges.retain(|e| kept.contains(&e.from));
    graph
        .exposures
        .retain(|x| x.chain.first().is_some_and(|id| kept.contains(id)));
    graph.dns.retain(|d| kept.contains(&d.service));
    graph.rollouts.retain(|r| kept.contains(&r.workload));
    graph
        .units
        .retain(|u| units.is_empty() || units.contains(&u.name));
}

/// Finding codes whose decision the graph takes from the resolution layer
/// itself: each such finding has an unresolved edge carrying its code at the
/// same place, and each such edge has its finding.
pub const EDGE_CODES: &[&str] = &[
    "KW3201", "KW3204", "KW3210", "KW3213", "KW3214", "KW3215", "KW3216", "KW3301", "KW3302",
    "KW3401", "KW3402", "KW3403", "KW3404", "KW3408",
];

/// Where `kwire graph` and `kwire lint` disagree on the same run: an
/// unresolved edge without its finding, a reference finding without its
/// unresolved edge, a Service reported without endpoints that the graph
/// connects to pods, or a Service the graph connects with no pods that the
/// rules say has endpoints via its ports. Empty when they agree.
pub fn disagreements(
    graph: &Graph,
    diagnostics: &[Diagnostic],
    files: &[crate::source::SourceFile],
) -> Vec<String> {
    use std::collections::HashSet;
    let mut out = Vec::new();
    let at = |d: &Diagnostic| -> (String, u32) {
        let file = files.get(d.file as usize);
        let path = file.map_or(String::new(), |f| f.path.clone());
        let line = file.map_or(0, |f| f.line_col(d.span.start as usize).line);
        (path, u32::try_from(line).unwrap_or(0))
    };
    let findings: HashSet<(String, String, u32)> = diagnostics
        .iter()
        .filter(|d| EDGE_CODES.contains(&d.code))
        .map(|d| {
            let (path, line) = at(d);
            (d.code.to_string(), path, line)
        })
        .collect();
    let drawn: HashSet<&str> = graph
        .nodes
        .iter()
        .filter_map(|n| n.file.as_deref())
        .collect();
    let mut edges: HashSet<(String, String, u32)> = HashSet::new();
    for e in &graph.edges {
        if let Some(code) = &e.finding
            && EDGE_CODES.contains(&code.as_str())
        {
            let at = (code.to_string(), e.via.file.to_string(), e.via.line);
            if !e.resolved && !findings.contains(&at) {
                out.push(format!(
                    "{}:{}: the graph has an unresolved {} edge {} -> {} ({code}) but lint reports no {code} there",
                    e.via.file,
                    e.via.line,
                    e.relation.as_str(),
                    e.from,
                    e.to
                ));
            }
            edges.insert(at);
        }
    }
    for (code, path, line) in &findings {
        // Findings in files the graph does not draw (context files) have no edge.
        if !drawn.contains(path.as_str()) {
            continue;
        }
        if !edges.contains(&(code.clone(), path.clone(), *line)) {
            out.push(format!(
                "{path}:{line}: lint reports {code} but the graph has no unresolved edge for it"
            ));
        }
    }
    // A Service without endpoints (KW3002) has no `selects` edge.
    let selecting: HashSet<&str> = graph
        .edges
        .iter()
        .filter(|e| e.relation == model::Relation::Selects)
        .map(|e| e.from.as_str())
        .collect();
    for d in diagnostics.iter().filter(|d| d.code == "KW3002") {
        let Some(obj) = &d.object else {
            continue;
        };
        let id = format!(
            "Service/{}/{}",
            obj.namespace.as_deref().unwrap_or(""),
            obj.name.as_deref().unwrap_or("")
        );
        let unit = d.unit.as_deref();
        let node = graph.nodes.iter().find(|n| {
            n.kind == "Service"
                && (n.id == id || n.id.starts_with(&format!("{id}@")))
                && n.unit.as_deref() == unit
        });
        if let Some(node) = node
            && selecting.contains(node.id.as_str())
        {
            let (path, line) = at(d);
            out.push(format!(
                "{path}:{line}: lint reports {} without endpoints (KW3002) but the graph connects it to pods",
                node.id
            ));
        }
    }
    // A NetworkPolicy selector reported as matching nothing (KW3004) has no
    // `selects` edge from that field: both read
    // `resolve::network_policy::templates_selected`.
    for d in diagnostics.iter().filter(|d| d.code == "KW3004") {
        let (path, line) = at(d);
        if let Some(e) = graph.edges.iter().find(|e| {
            e.relation == model::Relation::Selects
                && e.resolved
                && e.from.starts_with("NetworkPolicy/")
                && e.via.file == path
                && e.via.line == line
        }) {
            out.push(format!(
                "{path}:{line}: lint reports KW3004 (selects no pod) but the graph has {} -> {}",
                e.from, e.to
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}
