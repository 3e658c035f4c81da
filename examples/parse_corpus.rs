//! Parses every `.yaml`/`.yml`/`.json` file under a directory and reports
//! files with KW0001/KW0012 errors, KW0002 counts, the deepest tree, and
//! throughput against raw event iteration (granit-parser and saphyr-parser).
//!
//! `cargo run --release --example parse_corpus -- /work/shared/corpus/real`

use std::path::{Path, PathBuf};
use std::time::Instant;

use kwire::parse::{Node, Value, parse_file};
use kwire::source::SourceFile;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
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

/// Collection nesting of a tree, iteratively.
fn depth(root: &Node) -> usize {
    let mut max = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, d)) = stack.pop() {
        max = max.max(d);
        match &node.value {
            Value::Seq(items) => stack.extend(items.iter().map(|n| (n, d + 1))),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| (&e.value, d + 1))),
            _ => {}
        }
    }
    max
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut paths = Vec::new();
    collect(Path::new(&dir), &mut paths);
    paths.sort();
    let mut sources = Vec::new();
    for path in &paths {
        match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => sources.push(SourceFile::new(path.display().to_string(), text)),
            _ => println!("unreadable or not UTF-8: {}", path.display()),
        }
    }
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} files, {:.1} MB", sources.len(), mb);

    // Best of 3 runs each, one thread.
    let time = |f: &dyn Fn() -> usize| {
        let mut best = f64::MAX;
        let mut n = 0;
        for _ in 0..3 {
            let t = Instant::now();
            n = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        (best, n)
    };

    let (granit_s, granit_failed) = time(&|| {
        let mut failed = 0;
        for s in &sources {
            let opts = granit_parser::options! { emit_comments: false };
            let parser = granit_parser::Parser::new_from_str_with_options(&s.text, opts);
            if parser.into_iter().any(|e| e.is_err()) {
                failed += 1;
            }
        }
        failed
    });
    let (saphyr_s, saphyr_failed) = time(&|| {
        let mut failed = 0;
        for s in &sources {
            if saphyr_parser::Parser::new_from_str(&s.text).any(|e| e.is_err()) {
                failed += 1;
            }
        }
        failed
    });
    let (kwire_s, docs) = time(&|| {
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| parse_file(i as u32, s).documents.len())
            .sum()
    });

    for s in &sources {
        if let Some(Err(e)) = saphyr_parser::Parser::new_from_str(&s.text).find(|e| e.is_err()) {
            println!("saphyr-parser rejects {}: {e}", s.path);
        }
    }
    let mut error_files = 0;
    let mut dup_files = 0;
    let mut max_depth = (0, String::new());
    for (i, s) in sources.iter().enumerate() {
        let parsed = parse_file(i as u32, s);
        for d in &parsed.documents {
            let depth = depth(&d.root);
            if depth > max_depth.0 {
                max_depth = (depth, s.path.clone());
            }
        }
        let mut had_error = false;
        let mut had_dup = false;
        for d in &parsed.diagnostics {
            let at = s.line_col(d.span.start as usize);
            match d.code {
                "KW0002" => had_dup = true,
                _ => had_error = true,
            }
            if d.code != "KW0002" {
                println!(
                    "{} {}:{}:{} {}",
                    d.code, s.path, at.line, at.column, d.message
                );
            }
        }
        error_files += usize::from(had_error);
        if had_dup {
            dup_files += 1;
            println!("KW0002 in {}", s.path);
        }
    }
    println!(
        "documents: {docs}; files with KW0001/KW0012: {error_files}; files with KW0002: {dup_files}"
    );
    println!("deepest tree: {} levels ({})", max_depth.0, max_depth.1);
    let rate = |secs: f64| mb / secs;
    println!(
        "granit events : {granit_s:.3} s {:6.1} MB/s, files rejected: {granit_failed}",
        rate(granit_s)
    );
    println!(
        "saphyr events : {saphyr_s:.3} s {:6.1} MB/s, files rejected: {saphyr_failed}",
        rate(saphyr_s)
    );
    println!(
        "kwire parse   : {kwire_s:.3} s {:6.1} MB/s ({:.2}x granit events)",
        rate(kwire_s),
        kwire_s / granit_s
    );
}
