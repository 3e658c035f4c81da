//! `kwire graph -f dot|mermaid|html` over the fixtures the text and JSON
//! goldens use (tests/it/graph.rs): dot and Mermaid as golden files, the html
//! page checked for what its script reads (the embedded graph, one drawn
//! node per node). `scripts/graph-render-check.sh` renders the same
//! outputs with Graphviz and headless Chromium.

use kwire::lint::{LintOptions, lint};
use kwire::topology::Graph;
use kwire::topology::render::{self, GraphFormat};

const INPUTS: [(&str, &str); 4] = [
    ("seeds", "fixtures/seeds"),
    ("bookinfo", "fixtures/istio/bookinfo"),
    ("multi_ns", "fixtures/topology/multi-ns"),
    ("units_shop", "fixtures/units/shop"),
];

/// Paths relative to the crate root, so the goldens hold no machine paths.
fn graph_of(path: &str) -> Graph {
    lint(&LintOptions {
        paths: vec![path.to_string()],
        graph: true,
        ..LintOptions::default()
    })
    .graph
    .expect("graph requested")
}

fn render(graph: &Graph, format: GraphFormat) -> String {
    let mut out = Vec::new();
    render::write(graph, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn dot_golden() {
    for (name, path) in INPUTS {
        let g = graph_of(path);
        let text = render(&g, GraphFormat::Dot);
        // One node statement per node (placeholders for unresolved targets come on top).
        assert!(text.matches(" [label=").count() >= g.nodes.len(), "{name}");
        insta::assert_snapshot!(format!("dot_{name}"), text);
    }
}

#[test]
fn mermaid_golden() {
    for (name, path) in INPUTS {
        let g = graph_of(path);
        insta::assert_snapshot!(format!("mermaid_{name}"), render(&g, GraphFormat::Mermaid));
    }
}

#[test]
fn html_draws_every_node_and_embeds_the_graph() {
    for (name, path) in INPUTS {
        let g = graph_of(path);
        let page = render(&g, GraphFormat::Html);
        assert!(page.starts_with("<!DOCTYPE html>"), "{name}");
        let start_tag = "<script type=\"application/json\" id=\"kwire-graph\">";
        let start = page.find(start_tag).unwrap() + start_tag.len();
        let end = start + page[start..].find("</script>").unwrap();
        let value: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        let back: Graph = serde_json::from_value(value["graph"].clone()).unwrap();
        assert_eq!(back, g, "{name}");
        let drawn = page.matches("<g class=\"node ").count();
        assert_eq!(drawn, value["items"].as_array().unwrap().len(), "{name}");
        assert!(drawn >= g.nodes.len(), "{name}");
        assert_eq!(
            page.matches("<li data-x=").count(),
            g.exposures.len(),
            "{name}: every exposure listed"
        );
        // A node's hover text: its id, then file:line.
        for id in g.nodes.iter().filter(|n| !n.findings.is_empty()) {
            assert!(
                page.contains(&format!(
                    "<title>{}\n",
                    id.id
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                        .replace('"', "&quot;")
                        .replace('\'', "&#39;")
                )),
                "{name}: {}",
                id.id
            );
        }
        assert_eq!(
            page.lines()
                .filter(|l| l.starts_with("<g class=\"node ") && l.contains(" flagged"))
                .count(),
            g.nodes.iter().filter(|n| !n.findings.is_empty()).count()
                + g.edges
                    .iter()
                    .filter(|e| !e.resolved && !e.assumed && g.node(&e.to).is_none())
                    .map(|e| e.to.as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
            "{name}: nodes with findings and missing targets are flagged"
        );
    }
}
