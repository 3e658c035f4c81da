//! `kwire graph -f text`: a tree a person reads top to bottom — per unit,
//! the ways in from outside first, then each namespace's objects with what
//! they create, select, use and call, then what resolves to nothing.

use std::collections::HashMap;
use std::io;

use crate::topology::model::{Edge, Graph, Node, Relation};

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    let nodes: HashMap<&str, &Node> = graph.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut outgoing: HashMap<&str, Vec<&Edge>> = HashMap::new();
    for e in &graph.edges {
        outgoing.entry(e.from.as_str()).or_default().push(e);
    }
    let dns: HashMap<&str, &crate::topology::model::DnsEntry> =
        graph.dns.iter().map(|d| (d.service.as_str(), d)).collect();
    let name_of = |id: &str| -> String {
        match nodes.get(id) {
            Some(n) => describe(n),
            None => describe_id(id),
        }
    };
    let real = graph.nodes.iter().filter(|n| !n.simulated).count();
    writeln!(
        out,
        "{} objects, {} simulated, {} relations, {} ways in from outside",
        real,
        graph.nodes.len() - real,
        graph.edges.len(),
        graph.exposures.len()
    )?;
    let mut units: Vec<Option<&str>> = graph.nodes.iter().map(|n| n.unit.as_deref()).collect();
    units.sort();
    units.dedup();
    for unit in units {
        let in_unit = |n: &&Node| n.unit.as_deref() == unit;
        if let Some(u) = unit {
            writeln!(out, "\nunit {u}")?;
        }
        let indent = if unit.is_some() { "  " } else { "" };
        // Exposures whose entry object is in this unit.
        let exposures: Vec<_> = graph
            .exposures
            .iter()
            .filter(|x| {
                x.chain
                    .first()
                    .and_then(|id| nodes.get(id.as_str()))
                    .is_some_and(|n| n.unit.as_deref() == unit)
            })
            .collect();
        if !exposures.is_empty() {
            writeln!(out, "\n{indent}exposed")?;
            for x in exposures {
                let mut hops: Vec<String> = x.chain.iter().map(|id| name_of(id)).collect();
                if let Some(p) = &x.port
                    && let Some(last) = hops.last_mut()
                {
                    last.push_str(&format!(" :{p}"));
                }
                let mut tail = String::new();
                if let Some(t) = &x.target_port {
                    tail.push_str(&format!(" → targetPort {t}"));
                }
                if let Some(c) = x.container_port {
                    tail.push_str(&format!(" → container :{c}"));
                }
                let pods = if x.endpoints == 1 { "pod" } else { "pods" };
                tail.push_str(&format!(" → {} {pods}", x.endpoints));
                if let Some(w) = x.weight {
                    tail.push_str(&format!(" (weight {w})"));
                }
                if let Some(code) = &x.finding {
                    tail.push_str(&format!("  [{code}]"));
                }
                writeln!(out, "{indent}  {} → {}{tail}", x.entry, hops.join(" → "))?;
            }
        }
        let mut namespaces: Vec<Option<&str>> = graph
            .nodes
            .iter()
            .filter(in_unit)
            .map(|n| n.namespace.as_deref())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        for ns in namespaces {
            match ns {
                Some(ns) => writeln!(out, "\n{indent}namespace {ns}")?,
                None => writeln!(out, "\n{indent}cluster-scoped")?,
            }
            for n in graph
                .nodes
                .iter()
                .filter(in_unit)
                .filter(|n| n.namespace.as_deref() == ns && !n.simulated)
            {
                write_node(out, indent, n, &outgoing, &nodes, &dns)?;
            }
        }
    }
    let unresolved: Vec<&Edge> = graph
        .edges
        .iter()
        .filter(|e| !e.resolved && !e.assumed)
        .collect();
    if !unresolved.is_empty() {
        writeln!(out, "\nunresolved")?;
        for e in unresolved {
            writeln!(
                out,
                "  {} {} {}: {}  [{}]  {}:{}",
                name_of(&e.from),
                verb(e.relation),
                describe_id(&e.to),
                e.reason.as_deref().unwrap_or("resolves to nothing"),
                e.finding.as_deref().unwrap_or("-"),
                e.via.file,
                e.via.line
            )?;
        }
    }
    Ok(())
}

fn write_node(
    out: &mut dyn io::Write,
    indent: &str,
    n: &Node,
    outgoing: &HashMap<&str, Vec<&Edge>>,
    nodes: &HashMap<&str, &Node>,
    dns: &HashMap<&str, &crate::topology::model::DnsEntry>,
) -> io::Result<()> {
    let mut line = format!("{indent}  {}", describe(n));
    if let Some(d) = &n.detail {
        line.push_str(&format!(" ({d})"));
    }
    if let (Some(f), Some(l)) = (&n.file, n.line) {
        line.push_str(&format!("  {f}:{l}"));
    }
    if !n.findings.is_empty() {
        line.push_str(&format!("  [{}]", n.findings.join(", ")));
    }
    writeln!(out, "{line}")?;
    let edges = outgoing.get(n.id.as_str()).map_or(&[][..], Vec::as_slice);
    // The same relation written twice (one env value and one arg naming the
    // same Service) reads as one line.
    let mut previous: Option<&Edge> = None;
    for e in edges {
        let same = |p: &Edge| {
            p.to == e.to
                && p.relation == e.relation
                && p.label == e.label
                && p.finding == e.finding
                && p.via.field == e.via.field
        };
        if previous.is_some_and(same) {
            continue;
        }
        previous = Some(e);
        write_edge(out, &format!("{indent}    "), e, outgoing, nodes, 0)?;
    }
    if n.kind == "Service" {
        if !edges.iter().any(|e| e.relation == Relation::Selects)
            && n.detail
                .as_deref()
                .is_some_and(|d| !d.starts_with("ExternalName"))
        {
            writeln!(
                out,
                "{indent}    selects no pods of the input: no endpoints"
            )?;
        }
        if let Some(dns) = dns.get(n.id.as_str()) {
            let shown: Vec<&str> = dns.names.iter().map(String::as_str).collect();
            writeln!(out, "{indent}    dns {}", shown.join(", "))?;
        }
    }
    Ok(())
}

fn write_edge(
    out: &mut dyn io::Write,
    indent: &str,
    e: &Edge,
    outgoing: &HashMap<&str, Vec<&Edge>>,
    nodes: &HashMap<&str, &Node>,
    depth: usize,
) -> io::Result<()> {
    let target = nodes.get(e.to.as_str());
    let mut line = format!(
        "{indent}{} {}",
        verb(e.relation),
        target.map_or_else(|| describe_id(&e.to), |t| describe(t))
    );
    if let Some(d) = target
        .filter(|t| t.simulated)
        .and_then(|t| t.detail.as_ref())
    {
        line.push_str(&format!(" ({d})"));
    }
    if let Some(l) = &e.label {
        line.push_str(&format!(" {l}"));
    }
    if !e.resolved {
        let mark = match (&e.finding, e.assumed) {
            (Some(code), _) => format!("  ✗ {code}: {}", e.reason.as_deref().unwrap_or("")),
            (None, true) => format!(
                "  (not in the input: {})",
                e.reason.as_deref().unwrap_or("")
            ),
            (None, false) => "  ✗".to_string(),
        };
        line.push_str(&mark);
    }
    if let Some(field) = &e.via.field
        && matches!(e.relation, Relation::Calls | Relation::Uses)
    {
        line.push_str(&format!("  via {field}"));
    }
    writeln!(out, "{line}")?;
    // A simulated child's own children (ReplicaSet → pods) nest under it.
    if depth < 3
        && let Some(t) = target
        && t.simulated
    {
        for child in outgoing.get(t.id.as_str()).map_or(&[][..], Vec::as_slice) {
            write_edge(
                out,
                &format!("{indent}  "),
                child,
                outgoing,
                nodes,
                depth + 1,
            )?;
        }
    }
    Ok(())
}

fn verb(r: Relation) -> &'static str {
    match r {
        Relation::Owns => "creates",
        Relation::Selects => "selects",
        Relation::Backend => "→",
        Relation::Routes => "routes to",
        Relation::Subset => "subset",
        Relation::Gateway => "on gateway",
        Relation::Scales => "scales",
        Relation::Uses => "uses",
        Relation::Calls => "calls",
    }
}

fn describe(n: &Node) -> String {
    format!("{} {}", n.kind, n.name)
}

/// `Service cart (shop)` from an id that is no node.
fn describe_id(id: &str) -> String {
    let mut parts = id.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(kind), Some(ns), Some(name)) if !ns.is_empty() => format!("{kind} {name} ({ns})"),
        (Some(kind), Some(_), Some(name)) => format!("{kind} {name}"),
        _ => id.to_string(),
    }
}
