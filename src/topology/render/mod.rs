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

/// Writes `items` in order, `chunk` items per task and `window` tasks at a
/// time on every core: the long lists of a large graph are rendered in
/// parallel while the memory held stays a few megabytes. `part` renders a
/// run of items into an empty buffer; `first` is the index of its first item.
pub(super) fn in_batches<T: Sync>(
    out: &mut dyn io::Write,
    items: &[T],
    chunk: usize,
    window: usize,
    part: impl Fn(&mut Vec<u8>, usize, &[T]) -> io::Result<()> + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    let chunk = chunk.max(1);
    let batch = chunk.saturating_mul(window.max(1));
    for (b, items) in items.chunks(batch).enumerate() {
        let parts: Vec<io::Result<Vec<u8>>> = items
            .par_chunks(chunk)
            .enumerate()
            .map(|(i, run)| {
                let mut buf = Vec::with_capacity(run.len() * 128);
                part(&mut buf, b * batch + i * chunk, run)?;
                Ok(buf)
            })
            .collect();
        for p in parts {
            out.write_all(&p?)?;
        }
    }
    Ok(())
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
