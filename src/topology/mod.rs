//! `kwire graph`: the topology the manifests create, simulated on the
//! resolution layer the rules read (`crate::resolve`), and its renderers.

pub mod build;
pub mod model;
pub mod render;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
pub use model::Graph;

/// Puts the worlds' parts together: one node per id (the first), edges and
/// exposures deduplicated, everything in a stable order.
pub fn assemble(parts: Vec<build::Part>, units: Vec<model::UnitInfo>) -> Graph {
    let mut graph = Graph {
        version: 1,
        units,
        ..Graph::default()
    };
    for part in parts {
        graph.nodes.extend(part.nodes);
        graph.edges.extend(part.edges);
        graph.exposures.extend(part.exposures);
        graph.dns.extend(part.dns);
    }
    let key = |n: &model::Node| {
        (
            n.unit.clone(),
            n.namespace.clone(),
            kind_rank(&n.kind),
            n.name.clone(),
            n.id.clone(),
        )
    };
    graph.nodes.sort_by_cached_key(key);
    let mut seen = std::collections::HashSet::new();
    graph.nodes.retain(|n| seen.insert(n.id.clone()));
    graph.edges.sort_by(|a, b| {
        (
            &a.from,
            &a.to,
            a.relation,
            &a.via.file,
            a.via.line,
            &a.label,
        )
            .cmp(&(
                &b.from,
                &b.to,
                b.relation,
                &b.via.file,
                b.via.line,
                &b.label,
            ))
    });
    graph.edges.dedup();
    graph
        .exposures
        .sort_by(|a, b| (&a.entry, &a.chain).cmp(&(&b.entry, &b.chain)));
    graph.exposures.dedup();
    graph.dns.sort_by(|a, b| a.service.cmp(&b.service));
    graph.dns.dedup();
    let exposed: std::collections::HashSet<&String> = graph
        .exposures
        .iter()
        .flat_map(|e| e.chain.iter())
        .collect();
    let exposed: std::collections::HashSet<String> = exposed.into_iter().cloned().collect();
    for n in &mut graph.nodes {
        n.exposed = exposed.contains(&n.id);
    }
    graph
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
    let mut by_object: HashMap<(String, Option<String>), Vec<String>> = HashMap::new();
    for d in diagnostics {
        let Some(obj) = &d.object else {
            continue;
        };
        let kind = obj.kind.as_deref().unwrap_or("");
        let name = obj.name.as_deref().unwrap_or("");
        let ns = obj.namespace.as_deref().unwrap_or("");
        by_object
            .entry((
                format!("{kind}/{ns}/{name}"),
                d.unit.as_deref().map(str::to_string),
            ))
            .or_default()
            .push(d.code.to_string());
    }
    for node in &mut graph.nodes {
        if node.simulated {
            continue;
        }
        let ns = node.namespace.as_deref().unwrap_or("");
        let key = (
            format!("{}/{ns}/{}", node.kind, node.name),
            node.unit.clone(),
        );
        if let Some(codes) = by_object.get(&key) {
            let mut codes = codes.clone();
            codes.sort();
            codes.dedup();
            node.findings = codes;
        }
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
                .is_some_and(|ns| namespaces.contains(ns)))
            && (units.is_empty() || n.unit.as_ref().is_some_and(|u| units.contains(u)))
    });
    let kept: std::collections::HashSet<String> =
        graph.nodes.iter().map(|n| n.id.clone()).collect();
    graph.edges.retain(|e| kept.contains(&e.from));
    graph
        .exposures
        .retain(|x| x.chain.first().is_some_and(|id| kept.contains(id)));
    graph.dns.retain(|d| kept.contains(&d.service));
    graph
        .units
        .retain(|u| units.is_empty() || units.contains(&u.name));
}
