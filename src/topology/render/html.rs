//! `kwire graph -f html`: one self-contained page. The layout is computed
//! by kwire (`layout.rs`) and drawn as inline SVG; a small inline script
//! (`page.js`, kwire's own) pans, zooms, shows a clicked node's details and
//! highlights an exposure's chain. Nothing is fetched when the page is
//! viewed: no CDN, no font, no image.
//!
//! The graph is embedded as JSON in `<script type="application/json">`,
//! with every `<` written `\u003c` so no text in it can close the element;
//! every other string is HTML-escaped.

use std::fmt::Write as _;
use std::io;

use super::layout::{self, Layout};
use super::view::{Role, View, truncate};
use crate::topology::Graph;
use crate::topology::model::Edge;

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
const LEGEND: &str = "<div id=\"legend\"><span class=\"sw entry\"></span>way in <span class=\"sw route\"></span>route <span class=\"sw service\"></span>Service <span class=\"sw workload\"></span>controller <span class=\"sw pod\"></span>pod (dashed: simulated) <span class=\"sw config\"></span>config <span class=\"sw flagged\"></span>finding or not found</div>\n";

pub fn write(graph: &Graph, out: &mut dyn io::Write) -> io::Result<()> {
    let view = View::new(graph);
    let layout = layout::compute(&view);
    let mut page = String::with_capacity(4096 + graph.nodes.len() * 600);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<title>kwire graph</title>\n<style>\n");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n");
    header(graph, &view, &mut page);
    page.push_str("<div id=\"main\">\n<div id=\"canvas\">\n");
    svg(&view, &layout, &mut page);
    page.push_str(LEGEND);
    page.push_str("</div>\n<aside id=\"panel\"><p class=\"hint\">Click a node to see its kind, file:line, findings and edges. Drag to pan, wheel or the buttons to zoom.</p></aside>\n</div>\n");
    page.push_str("<script type=\"application/json\" id=\"kwire-graph\">");
    page.push_str(&embedded_json(graph, &view, &layout)?);
    page.push_str("</script>\n<script>\n");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn header(graph: &Graph, view: &View<'_>, page: &mut String) {
    let findings = view.items.iter().filter(|i| i.flagged()).count();
    let unresolved = graph
        .edges
        .iter()
        .filter(|e| !e.resolved && !e.assumed)
        .count();
    let _ = write!(
        page,
        "<header><h1>kwire graph</h1><span class=\"counts\">{} nodes · {} edges · {} exposures · {} nodes with findings · {} unresolved references</span>",
        graph.nodes.len(),
        graph.edges.len(),
        graph.exposures.len(),
        findings,
        unresolved
    );
    page.push_str("<span class=\"tools\"><button id=\"zoom-in\" title=\"zoom in\">+</button><button id=\"zoom-out\" title=\"zoom out\">−</button><button id=\"zoom-fit\" title=\"fit the graph\">fit</button><button id=\"clear\" title=\"clear the highlight\">clear</button></span></header>\n");
    page.push_str("<nav id=\"exposures\"><b>Exposures</b>");
    if graph.exposures.is_empty() {
        page.push_str(
            " <span class=\"none\">none: nothing is reachable from outside the cluster</span>",
        );
    } else {
        page.push_str("<ol>");
        for (k, x) in graph.exposures.iter().enumerate() {
            let mut text = x.entry.clone();
            if let Some(service) = &x.service {
                let _ = write!(text, " → {service}");
            }
            if let Some(port) = &x.port {
                let _ = write!(text, " :{port}");
            }
            if let Some(target) = &x.target_port {
                let _ = write!(text, " → {target}");
            }
            if let Some(container) = x.container_port {
                let _ = write!(text, " (container {container})");
            }
            if let Some(weight) = x.weight {
                let _ = write!(text, " weight {weight}");
            }
            let _ = write!(text, " · {} endpoints", x.endpoints);
            if let Some(code) = &x.finding {
                let _ = write!(text, " · {code}");
            }
            let class = if x.finding.is_some() || x.endpoints == 0 {
                " class=\"bad\""
            } else {
                ""
            };
            let _ = write!(
                page,
                "<li data-x=\"{k}\"{class} tabindex=\"0\">{}</li>",
                escape(&text)
            );
        }
        page.push_str("</ol>");
    }
    page.push_str("</nav>\n");
}

fn svg(view: &View<'_>, layout: &Layout, page: &mut String) {
    let _ = writeln!(
        page,
        "<svg id=\"svg\" xmlns=\"http://www.w3.org/2000/svg\" data-width=\"{:.0}\" data-height=\"{:.0}\">",
        layout.width, layout.height
    );
    page.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker><marker id=\"arrow-bad\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c00\"/></marker></defs>\n");
    page.push_str("<g id=\"world\">\n");
    for (unit, r) in &layout.units {
        let _ = writeln!(
            page,
            "<g class=\"unit\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"10\"/><text x=\"{:.1}\" y=\"{:.1}\">unit {}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 10.0,
            r.y + 19.0,
            escape(unit.as_deref().unwrap_or("(none)"))
        );
    }
    for (group, r) in view.groups.iter().zip(&layout.groups) {
        let _ = writeln!(
            page,
            "<g class=\"group\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"8\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 10.0,
            r.y + 18.0,
            escape(&group.title())
        );
    }
    page.push_str("<g id=\"edges\">\n");
    for (k, (from, to, edge)) in view.edges.iter().enumerate() {
        let (Some(&a), Some(&b)) = (layout.nodes.get(*from), layout.nodes.get(*to)) else {
            continue;
        };
        let ca = layout.columns.get(*from).copied().unwrap_or(0);
        let cb = layout.columns.get(*to).copied().unwrap_or(0);
        let (d, (mx, my)) = layout::edge_path(a, b, ca, cb);
        let bad = (!edge.resolved && !edge.assumed) || edge.finding.is_some();
        let mut class = format!("edge rel-{}", edge.relation.as_str());
        if !edge.resolved {
            class.push_str(" unresolved");
        }
        if edge.assumed {
            class.push_str(" assumed");
        }
        if bad {
            class.push_str(" bad");
        }
        let marker = if bad { "arrow-bad" } else { "arrow" };
        let _ = write!(
            page,
            "<g class=\"{class}\" data-e=\"{k}\"><title>{}</title><path d=\"{d}\" marker-end=\"url(#{marker})\"/>",
            escape(&edge_title(edge))
        );
        let mut text: Vec<&str> = Vec::new();
        if let Some(label) = &edge.label {
            text.push(label);
        }
        if let Some(code) = &edge.finding {
            text.push(code);
        }
        if !text.is_empty() {
            let _ = write!(
                page,
                "<text class=\"elabel\" x=\"{mx:.1}\" y=\"{:.1}\">{}</text>",
                my - 3.0,
                escape(&truncate(&text.join(" "), 40))
            );
        }
        page.push_str("</g>\n");
    }
    page.push_str("</g>\n<g id=\"nodes\">\n");
    for (i, (item, r)) in view.items.iter().zip(&layout.nodes).enumerate() {
        let mut class = format!("node role-{}", item.role.as_str());
        if item.simulated {
            class.push_str(" simulated");
        }
        if item.exposed || item.role == Role::Entry {
            class.push_str(" exposed");
        }
        if item.flagged() {
            class.push_str(" flagged");
        }
        if item.assumed {
            class.push_str(" assumed");
        }
        let third = if item.role == Role::Missing && item.assumed {
            "assumed, not in the input".to_string()
        } else if item.role == Role::Missing {
            "not found".to_string()
        } else if !item.findings.is_empty() {
            format!("⚠ {}", item.findings.join(", "))
        } else {
            item.detail.unwrap_or("").to_string()
        };
        let _ = writeln!(
            page,
            "<g class=\"{class}\" data-i=\"{i}\" transform=\"translate({:.1},{:.1})\"><title>{}</title><rect width=\"{:.0}\" height=\"{:.0}\" rx=\"6\"/><text class=\"k\" x=\"8\" y=\"14\">{}</text><text class=\"n\" x=\"8\" y=\"30\">{}</text><text class=\"d\" x=\"8\" y=\"44\">{}</text></g>",
            r.x,
            r.y,
            escape(&item.tooltip()),
            r.w,
            r.h,
            escape(&truncate(item.kind, 30)),
            escape(&truncate(item.name, 26)),
            escape(&truncate(&third, 32))
        );
    }
    page.push_str("</g>\n</g>\n</svg>\n");
}

/// An edge's hover text: `selects shop/web.yaml:12 spec.selector`, the
/// finding and why an unresolved one resolves to nothing.
fn edge_title(edge: &Edge) -> String {
    let mut t = format!(
        "{} → {} · {} {}:{}",
        edge.from,
        edge.to,
        edge.relation.as_str(),
        edge.via.file,
        edge.via.line
    );
    if let Some(field) = &edge.via.field {
        let _ = write!(t, " {field}");
    }
    if let Some(code) = &edge.finding {
        let _ = write!(t, " · {code}");
    }
    if edge.assumed {
        t.push_str(" · assumed: provided outside the input");
    } else if !edge.resolved {
        t.push_str(" · unresolved");
    }
    if let Some(reason) = &edge.reason {
        let _ = write!(t, ": {reason}");
    }
    t
}

/// `{"graph": …, "items": [id, …], "edges": [[from, to], …], "width", "height"}`:
/// the contract JSON plus what the script needs to map the drawing back to it.
fn embedded_json(graph: &Graph, view: &View<'_>, layout: &Layout) -> io::Result<String> {
    let items: Vec<&str> = view.items.iter().map(|i| i.id).collect();
    let edges: Vec<[usize; 2]> = view.edges.iter().map(|&(a, b, _)| [a, b]).collect();
    let value = serde_json::json!({
        "graph": graph,
        "items": items,
        "edges": edges,
        "width": layout.width.round(),
        "height": layout.height.round(),
    });
    let text = serde_json::to_string(&value).map_err(io::Error::other)?;
    Ok(script_safe(&text))
}

/// JSON text that cannot end its `<script>` element: `<` only occurs inside
/// JSON strings, where `\u003c` means the same character.
pub(super) fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Text and attribute values in HTML.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
