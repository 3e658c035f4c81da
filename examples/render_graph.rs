//! Renders a graph report (the `kwire graph -f json` contract) read from a
//! file or stdin in another format, with kwire's renderers. Lets
//! `scripts/graph-render-check.sh` check the renderers on a JSON file
//! when no `kwire graph` is at hand.
//!
//! `cargo run --example render_graph -- dot|mermaid|html|json [FILE]`

use std::io::Read;
use std::process::ExitCode;

use clap::ValueEnum;
use kwire::topology::Graph;
use kwire::topology::render::{GraphFormat, write};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(format) = args
        .next()
        .and_then(|f| GraphFormat::from_str(&f, true).ok())
    else {
        eprintln!("usage: render_graph dot|mermaid|html|json|text [FILE]");
        return ExitCode::from(2);
    };
    let mut text = String::new();
    let read = match args.next() {
        Some(path) => std::fs::read_to_string(path).map(|t| text = t),
        None => std::io::stdin().read_to_string(&mut text).map(|_| ()),
    };
    if let Err(e) = read {
        eprintln!("render_graph: {e}");
        return ExitCode::from(2);
    }
    let graph: Graph = match serde_json::from_str(&text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("render_graph: not a graph report: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    match write(&graph, format, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render_graph: {e}");
            ExitCode::from(2)
        }
    }
}
