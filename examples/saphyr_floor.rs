//! The parse floor kwire's parse-only mode is compared with: read every
//! `.yaml`/`.yml`/`.json` file under the given paths and load it with
//! saphyr's tree loader (`MarkedYaml::load_from_str`), rayon over files,
//! `-j` threads (default: one per core). `--events` iterates saphyr's event
//! parser instead, `--granit` granit-parser's events (kwire's parser).
//!
//! `cargo run --release --example saphyr_floor -- [-j N] [--events|--granit] PATH...`
//!
//! Prints `files documents failed` (failed: files the parser rejects).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use saphyr::{LoadableYamlNode, MarkedYaml};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Tree,
    Events,
    Granit,
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut jobs = None;
    let mut mode = Mode::Tree;
    let mut roots = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-j" | "--jobs" => jobs = args.next().and_then(|v| v.parse::<usize>().ok()),
            "--events" => mode = Mode::Events,
            "--granit" => mode = Mode::Granit,
            _ => roots.push(arg),
        }
    }
    if roots.is_empty() {
        eprintln!("usage: saphyr_floor [-j N] [--events|--granit] PATH...");
        return ExitCode::from(2);
    }
    if let Some(j) = jobs {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global();
    }
    let mut paths = Vec::new();
    for root in &roots {
        collect(Path::new(root), &mut paths);
    }
    let failed = AtomicUsize::new(0);
    let documents: usize = paths
        .par_iter()
        .map(|path| {
            let Ok(text) = std::fs::read_to_string(path) else {
                failed.fetch_add(1, Ordering::Relaxed);
                return 0;
            };
            match mode {
                Mode::Tree => match MarkedYaml::load_from_str(&text) {
                    Ok(docs) => docs.len(),
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        0
                    }
                },
                Mode::Events => {
                    let mut docs = 0;
                    for event in saphyr_parser::Parser::new_from_str(&text) {
                        match event {
                            Ok((saphyr_parser::Event::DocumentStart(_), _)) => docs += 1,
                            Ok(_) => {}
                            Err(_) => {
                                failed.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                    docs
                }
                Mode::Granit => {
                    let opts = granit_parser::options! { emit_comments: false };
                    let parser = granit_parser::Parser::new_from_str_with_options(&text, opts);
                    let mut docs = 0;
                    for event in parser {
                        match event {
                            Ok((granit_parser::Event::DocumentStart(..), _)) => docs += 1,
                            Ok(_) => {}
                            Err(_) => {
                                failed.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                    docs
                }
            }
        })
        .sum();
    println!(
        "{} {documents} {}",
        paths.len(),
        failed.load(Ordering::Relaxed)
    );
    ExitCode::SUCCESS
}
