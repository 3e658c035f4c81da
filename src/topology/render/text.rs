//! `kwire graph -f text`: a tree a person reads top to bottom — per unit,
//! the ways in from outside first, then each namespace's objects with what
//! they create, select, use and call, then what resolves to nothing.
//!
//! The report is laid out first as a list of pieces (headers, exposure
//! lines, node blocks, unresolved lines) in reading order; the pieces are
//! then written in parallel batches and copied out in order, as `-f json`
//! does: the default format of a large repository is megabytes of text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use rustc_hash::FxHashMap;

use crate::topology::model::{DnsEntry, Edge, Exposure, Graph, Node, Relation};

/// Pieces written by one task, and tasks in flight (as in `-f json`).
const CHUNK: usize = 512;
const WINDOW: usize = 8;

/// One part of the report, in reading order.
enum Piece<'g> {
    /// A header or blank-line-led title, written as is.
    Line(String),
    Exposure(&'g str, &'g Exposure),
    Node(&'g str, &'g Node),
    Unresolved(&'g Edge),
}

/// What every piece looks up: nodes by id, edges by source, DNS by Service.
struct Index<'g> {
    nodes: FxHashMap<&'g str, &'g Node>,
    /// The edges in source order (stable: graph order within one source),
    /// and each source's run of them.
    by_source: Vec<&'g Edge>,
    runs: FxHashMap<&'g str, (usize, usize)>,
    dns: FxHashMap<&'g str, &'g DnsEntry>,
}

impl<'g> Index<'g> {
    fn new(graph: &'g Graph) -> Self {
        let ((nodes, dns), (by_source, runs)) = rayon::join(
            || {
                let mut nodes: FxHashMap<&str, &Node> = FxHashMap::default();
                nodes.reserve(graph.nodes.len());
                for n in &graph.nodes {
                    nodes.insert(n.id.as_str(), n);
                }
                let dns = graph.dns.iter().map(|d| (d.service.as_str(), d)).collect();
                (nodes, dns)
            },
            || {
                // An assembled graph's edges are already in source order.
                let mut by_source: Vec<&Edge> = graph.edges.iter().map(Box::as_ref).collect();
                if !by_source.is_sorted_by(|a, b| a.from <= b.from) {
                    by_source.sort_by(|a, b| a.from.cmp(&b.from));
                }
                let mut runs: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
                let mut start = 0;
                for (i, e) in by_source.iter().enumerate() {
                    let next = by_source.get(i + 1);
                    if next.is_none_or(|n| n.from != e.from) {
                        runs.insert(e.from.as_str(), (start, i + 1));
                        start = i + 1;
                    }
                }
                (by_source, runs)
            },
        );
        Index {
            nodes,
            by_source,
            runs,
            dns,
        }
    }

    /// The edges from `id`, in graph order.
    fn outgoing(&self, id: &str) -> &[&'g Edge] {
        self.runs
            .get(id)
            .and_then(|&(start, end)| self.by_source.get(start..end))
            .unwrap_or_default()
    }
}

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    write_with(graph, out, CHUNK, WINDOW)
}

/// [`write`] with the batching as parameters (tests cut small batches).
pub(super) fn write_with(
    graph: &Graph,
    out: &mut dyn io::Write,
    chunk: usize,
    window: usize,
) -> io::Result<()> {
    let index = Index::new(graph);
    let pieces = layout(graph, &index);
    super::in_batches(out, &pieces, chunk, window, |buf, _, run| {
        // The batch's empty buffer, as text (keeps its room; no second allocation).
        let mut text = String::from_utf8(std::mem::take(buf)).unwrap_or_default();
        for piece in run {
            piece.write(&mut text, &index);
        }
        *buf = text.into_bytes();
        Ok(())
    })
}

/// The report's pieces in reading order: the summary, then per unit its
/// exposures and its namespaces' objects, then what resolves to nothing.
fn layout<'g>(graph: &'g Graph, index: &Index<'g>) -> Vec<Piece<'g>> {
    let real = graph.nodes.iter().filter(|n| !n.simulated).count();
    let mut pieces = vec![Piece::Line(format!(
        "{} objects, {} simulated, {} relations, {} ways in from outside\n",
        real,
        graph.nodes.len() - real,
        graph.edges.len(),
        graph.exposures.len()
    ))];
    // (unit, namespace) → the objects drawn there, in graph order; a
    // namespace with only simulated nodes still gets its title.
    let mut groups: BTreeMap<Option<&str>, BTreeMap<Option<&str>, Vec<&Node>>> = BTreeMap::new();
    for n in &graph.nodes {
        let objects = groups
            .entry(n.unit.as_deref())
            .or_default()
            .entry(n.namespace.as_deref())
            .or_default();
        if !n.simulated {
            objects.push(n);
        }
    }
    // Exposures by the unit of their entry object (none: not drawn).
    let mut exposures: FxHashMap<Option<&str>, Vec<&Exposure>> = FxHashMap::default();
    for x in &graph.exposures {
        if let Some(n) = x.chain.first().and_then(|id| index.nodes.get(id.as_str())) {
            exposures.entry(n.unit.as_deref()).or_default().push(x);
        }
    }
    for (unit, namespaces) in groups {
        if let Some(u) = unit {
            pieces.push(Piece::Line(format!("\nunit {u}\n")));
        }
        let indent = if unit.is_some() { "  " } else { "" };
        if let Some(list) = exposures.get(&unit) {
            pieces.push(Piece::Line(format!("\n{indent}exposed\n")));
            pieces.extend(list.iter().map(|x| Piece::Exposure(indent, x)));
        }
        for (ns, objects) in namespaces {
            pieces.push(Piece::Line(match ns {
                Some(ns) => format!("\n{indent}namespace {ns}\n"),
                None => format!("\n{indent}cluster-scoped\n"),
            }));
            pieces.extend(objects.into_iter().map(|n| Piece::Node(indent, n)));
        }
    }
    let mut unresolved = graph
        .edges
        .iter()
        .map(Box::as_ref)
        .filter(|e| !e.resolved && !e.assumed)
        .peekable();
    if unresolved.peek().is_some() {
        pieces.push(Piece::Line("\nunresolved\n".to_string()));
        pieces.extend(unresolved.map(Piece::Unresolved));
    }
    pieces
}

impl Piece<'_> {
    fn write(&self, buf: &mut String, index: &Index<'_>) {
        match self {
            Piece::Line(text) => buf.push_str(text),
            Piece::Exposure(indent, x) => exposure(buf, indent, x, index),
            Piece::Node(indent, n) => node(buf, indent, n, index),
            Piece::Unresolved(e) => {
                buf.push_str("  ");
                name_of(buf, &e.from, index);
                buf.push(' ');
                buf.push_str(verb(e.relation));
                buf.push(' ');
                describe_id(buf, &e.to);
                // Writing to a String cannot fail.
                let _ = writeln!(
                    buf,
                    ": {}  [{}]  {}:{}",
                    e.reason.as_deref().unwrap_or("resolves to nothing"),
                    e.finding.as_deref().unwrap_or("-"),
                    e.via.file,
                    e.via.line
                );
            }
        }
    }
}

/// `http://host/ → Ingress web → Service web :http → targetPort http → container :8080 → 2 pods`
fn exposure(buf: &mut String, indent: &str, x: &Exposure, index: &Index<'_>) {
    buf.push_str(indent);
    buf.push_str("  ");
    buf.push_str(&x.entry);
    buf.push_str(" → ");
    for (i, id) in x.chain.iter().enumerate() {
        if i > 0 {
            buf.push_str(" → ");
        }
        name_of(buf, id, index);
    }
    // The port goes on the last hop (exposures drawn have a chain).
    if let Some(p) = &x.port {
        let _ = write!(buf, " :{p}");
    }
    if let Some(t) = &x.target_port {
        let _ = write!(buf, " → targetPort {t}");
    }
    if let Some(c) = x.container_port {
        let _ = write!(buf, " → container :{c}");
    }
    let pods = if x.endpoints == 1 { "pod" } else { "pods" };
    let _ = write!(buf, " → {} {pods}", x.endpoints);
    if let Some(w) = x.weight {
        let _ = write!(buf, " (weight {w})");
    }
    if let Some(code) = &x.finding {
        let _ = write!(buf, "  [{code}]");
    }
    buf.push('\n');
}

fn node(buf: &mut String, indent: &str, n: &Node, index: &Index<'_>) {
    buf.push_str(indent);
    buf.push_str("  ");
    describe(buf, n);
    if let Some(d) = &n.detail {
        let _ = write!(buf, " ({d})");
    }
    if let (Some(f), Some(l)) = (&n.file, n.line) {
        let _ = write!(buf, "  {f}:{l}");
    }
    if !n.findings.is_empty() {
        buf.push_str("  [");
        buf.push_str(&n.findings.join(", "));
        buf.push(']');
    }
    buf.push('\n');
    let edges = index.outgoing(&n.id);
    // The same relation written twice (one env value and one arg naming the
    // same Service) reads as one line.
    let mut previous: Option<&Edge> = None;
    let nested = format!("{indent}    ");
    for &e in edges {
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
        edge(buf, &nested, e, index, 0);
    }
    if n.kind == "Service" {
        if !edges.iter().any(|e| e.relation == Relation::Selects)
            && n.detail
                .as_deref()
                .is_some_and(|d| !d.starts_with("ExternalName"))
        {
            let _ = writeln!(
                buf,
                "{indent}    selects no pods of the input: no endpoints"
            );
        }
        if let Some(dns) = index.dns.get(n.id.as_str()) {
            let _ = writeln!(buf, "{indent}    dns {}", dns.names.join(", "));
        }
    }
}

fn edge(buf: &mut String, indent: &str, e: &Edge, index: &Index<'_>, depth: usize) {
    let target = index.nodes.get(e.to.as_str());
    buf.push_str(indent);
    buf.push_str(verb(e.relation));
    buf.push(' ');
    match target {
        Some(t) => describe(buf, t),
        None => describe_id(buf, &e.to),
    }
    if let Some(d) = target
        .filter(|t| t.simulated)
        .and_then(|t| t.detail.as_ref())
    {
        let _ = write!(buf, " ({d})");
    }
    if let Some(l) = &e.label {
        buf.push(' ');
        buf.push_str(l);
    }
    if !e.resolved {
        let reason = e.reason.as_deref().unwrap_or("");
        match (&e.finding, e.assumed) {
            (Some(code), _) => {
                let _ = write!(buf, "  ✗ {code}: {reason}");
            }
            (None, true) => {
                let _ = write!(buf, "  (not in the input: {reason})");
            }
            (None, false) => buf.push_str("  ✗"),
        }
    }
    if let Some(field) = &e.via.field
        && matches!(e.relation, Relation::Calls | Relation::Uses)
    {
        buf.push_str("  via ");
        buf.push_str(field);
    }
    buf.push('\n');
    // A simulated child's own children (ReplicaSet → pods) nest under it.
    if depth < 3
        && let Some(t) = target
        && t.simulated
    {
        let nested = format!("{indent}  ");
        for child in index.outgoing(&t.id) {
            edge(buf, &nested, child, index, depth + 1);
        }
    }
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

/// `Kind name` of a node, or of an id that is none.
fn name_of(buf: &mut String, id: &str, index: &Index<'_>) {
    match index.nodes.get(id) {
        Some(n) => describe(buf, n),
        None => describe_id(buf, id),
    }
}

fn describe(buf: &mut String, n: &Node) {
    buf.push_str(&n.kind);
    buf.push(' ');
    buf.push_str(&n.name);
}

/// `Service cart (shop)` from an id that is no node.
fn describe_id(buf: &mut String, id: &str) {
    let mut parts = id.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(kind), Some(ns), Some(name)) if !ns.is_empty() => {
            let _ = write!(buf, "{kind} {name} ({ns})");
        }
        (Some(kind), Some(_), Some(name)) => {
            buf.push_str(kind);
            buf.push(' ');
            buf.push_str(name);
        }
        _ => buf.push_str(id),
    }
}
