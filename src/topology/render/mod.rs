//! Renderers of a [`Graph`](super::Graph): formatting is all they do.

use std::io;

use super::Graph;

pub mod dot;
pub mod html;
mod json;
mod layout;
pub mod mermaid;
pub mod text;
mod view;

#[cfg(test)]
mod tests;

/// `kwire graph -f FORMAT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// A readable tree by unit and namespace, exposures first.
    Text,
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// The graph-report contract, version 1.
    Json,
    /// One self-contained page: pan, zoom, click a node.
    Html,
}

pub fn write(graph: &Graph, format: GraphFormat, out: &mut dyn io::Write) -> io::Result<()> {
    match format {
        // Compact, like `kwire lint -f json`: a large repository's graph is
        // tens of megabytes (`jq .` prints it indented).
        GraphFormat::Json => json::write(graph, out),
        GraphFormat::Text => text::write(graph, out),
        GraphFormat::Dot => dot::write(graph, out),
        GraphFormat::Mermaid => mermaid::write(graph, out),
        GraphFormat::Html => html::write(graph, out),
    }
}
