//! Writes the synthetic benchmark corpus (see `benches/gen/corpus.rs`).
//!
//! `cargo run --release --example gen_corpus -- OUT_DIR [--apps N] [--namespaces K] [--mistakes EVERY]`
//!
//! Prints `files documents bytes` on one line to stdout; with `--mistakes`,
//! each finding an injected mistake must cause as a `path code` line to
//! stderr.

#[path = "../benches/gen/corpus.rs"]
mod corpus;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut opts = corpus::Options::default();
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> Option<usize> {
            let n = args.next().and_then(|v| v.parse().ok());
            if n.is_none() {
                eprintln!("gen_corpus: {what} needs a number");
            }
            n
        };
        match arg.as_str() {
            "--apps" => match number("--apps") {
                Some(n) => opts.apps = n,
                None => return ExitCode::from(2),
            },
            "--namespaces" => match number("--namespaces") {
                Some(n) => opts.namespaces = n,
                None => return ExitCode::from(2),
            },
            "--mistakes" => match number("--mistakes") {
                Some(n) => opts.mistake_every = n,
                None => return ExitCode::from(2),
            },
            _ if out.is_none() && !arg.starts_with('-') => out = Some(arg),
            _ => {
                eprintln!(
                    "usage: gen_corpus OUT_DIR [--apps N] [--namespaces K] [--mistakes EVERY]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_corpus OUT_DIR [--apps N] [--namespaces K] [--mistakes EVERY]");
        return ExitCode::from(2);
    };
    let corpus = corpus::generate(&opts);
    match corpus::write(&corpus, std::path::Path::new(&out)) {
        Ok(bytes) => {
            println!("{} {} {bytes}", corpus.files.len(), corpus.documents);
            for (path, m) in &corpus.expected {
                for code in m.codes() {
                    eprintln!("{path} {code}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: cannot write {out}: {e}");
            ExitCode::from(2)
        }
    }
}
