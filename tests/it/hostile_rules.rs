//! Every rule and reporter must survive what users feed them. The fixtures
//! under `fixtures/` reach every rule; here they are damaged in the ways
//! real files are (non-ASCII text, a file cut short, a scalar where a map
//! belongs) and linted again, and the findings rendered in every format.
//! The lint must return normally: a panic (a string sliced off a char
//! boundary, an index out of range, an underflow) fails the test.
//!
//! Each variant is linted as one directory, so cross-object rules see the
//! damaged objects of every fixture together.

use std::fs;
use std::path::{Path, PathBuf};

use kwire::lint::{LintOptions, LintResult, lint};
use kwire::report::{Format, Report, write_report};

/// Every YAML/JSON fixture, as (path relative to `fixtures/`, text).
fn fixtures() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                // Files that are not UTF-8 on purpose are hostile already.
                let Ok(text) = fs::read_to_string(&path) else {
                    continue;
                };
                out.push((path.strip_prefix(&root).unwrap().to_path_buf(), text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 100, "fixtures not found");
    out
}

/// Lints `files` written into a fresh directory and renders the findings
/// in every format; panics (failing the test) if kwire does.
fn lint_all(variant: &str, files: &[(PathBuf, String)]) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let target = dir.path().join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, text).unwrap();
    }
    let opts = LintOptions {
        paths: vec![dir.path().to_string_lossy().into_owned()],
        ..LintOptions::default()
    };
    let result = std::panic::catch_unwind(|| lint(&opts))
        .unwrap_or_else(|_| panic!("kwire panicked on the {variant} variant"));
    render(variant, &result);
}

fn render(variant: &str, result: &LintResult) {
    let report = Report::from(result);
    for format in [
        Format::Pretty,
        Format::Plain,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Checkstyle,
        Format::Gitlab,
    ] {
        let mut out = Vec::new();
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            write_report(&report, format, &mut out, false).unwrap()
        }));
        assert!(
            rendered.is_ok(),
            "the {format:?} reporter panicked on the {variant} variant"
        );
    }
}

/// The letters of values (after `key: ` or `- `) replaced by multi-byte
/// characters; `apiVersion` and `kind` are kept when `keep_kinds`, so the
/// rules still see the objects and judge non-ASCII names.
fn non_ascii(text: &str, keep_kinds: bool) -> String {
    const WIDE: [char; 3] = ['é', '한', '𝔸'];
    let mut out = String::with_capacity(text.len() * 2);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let keep =
            keep_kinds && (trimmed.starts_with("apiVersion:") || trimmed.starts_with("kind:"));
        let value_at = line
            .find(": ")
            .map(|i| i + 2)
            .or_else(|| line.find("- ").map(|i| i + 2));
        match value_at {
            Some(at) if !keep && line.is_char_boundary(at) => {
                let (head, value) = line.split_at(at);
                out.push_str(head);
                for (i, c) in value.chars().enumerate() {
                    // Every other letter, so names keep a recognisable shape.
                    if c.is_ascii_alphabetic() && (i + n) % 2 == 0 {
                        out.push(WIDE[(i + n) % WIDE.len()]);
                    } else {
                        out.push(c);
                    }
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The replacements for a scalar value: other node types, and scalars of
/// other YAML types.
const SWAPS: [&str; 8] = [
    "{}",
    "[]",
    "null",
    "{a: [1, {b: c}]}",
    "[x, 8080, {name: http}]",
    "-1",
    "99999999999999999999",
    "\"é한\"",
];

/// The value of every `period`-th `key: value` line (from `phase`) swapped
/// for another node type.
fn swapped(text: &str, period: usize, phase: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let scalar = body.find(": ").filter(|&i| {
            let value = body[i + 2..].trim();
            !value.is_empty() && !value.starts_with('#') && !value.starts_with('|')
        });
        match scalar {
            Some(i) => {
                seen += 1;
                if seen % period == phase {
                    out.push_str(&body[..i + 2]);
                    out.push_str(SWAPS[(seen / period) % SWAPS.len()]);
                    out.push_str(&line[body.len()..]);
                    continue;
                }
                out.push_str(line);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Broken and odd suppression comments after every third line, and a
/// `kwire.io/ignore` annotation value made of them.
fn odd_comments(text: &str) -> String {
    const COMMENTS: [&str; 7] = [
        "# kwire: ignore[KW3001",
        "# kwire: ignore[é한, ]",
        "# kwire: ignore-file",
        "# kwire:",
        "# kwire: ignore[KW9999, KW] 한",
        "# kwire: ignorefile[KW3]",
        "#kwire: ignore[]",
    ];
    let mut out = String::with_capacity(text.len() * 2);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        out.push_str(body);
        if n % 3 == 0 && !body.contains('#') && !body.trim_end().ends_with('|') {
            out.push_str("  ");
            out.push_str(COMMENTS[n % COMMENTS.len()]);
        }
        out.push_str(&line[body.len()..]);
        if body.trim_start().starts_with("annotations:") {
            let indent = body.len() - body.trim_start().len() + 2;
            out.push_str(&format!(
                "{:indent$}kwire.io/ignore: \"KW3, é한,,KW99999\"\n",
                ""
            ));
        }
    }
    out
}

/// The text cut at `at` (moved back onto a char boundary).
fn cut(text: &str, mut at: usize) -> &str {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    &text[..at]
}

#[test]
fn non_ascii_values_do_not_panic() {
    let files = fixtures();
    for keep_kinds in [true, false] {
        let mutated: Vec<_> = files
            .iter()
            .map(|(p, t)| (p.clone(), non_ascii(t, keep_kinds)))
            .collect();
        lint_all(&format!("non-ASCII (keep kinds: {keep_kinds})"), &mutated);
    }
}

#[test]
fn scalars_swapped_for_other_nodes_do_not_panic() {
    let files = fixtures();
    for phase in 0..4 {
        let mutated: Vec<_> = files
            .iter()
            .map(|(p, t)| (p.clone(), swapped(t, 4, phase)))
            .collect();
        lint_all(&format!("swapped scalars (phase {phase})"), &mutated);
    }
}

#[test]
fn odd_suppression_comments_do_not_panic() {
    let mutated: Vec<_> = fixtures()
        .iter()
        .map(|(p, t)| (p.clone(), odd_comments(t)))
        .collect();
    lint_all("odd suppression comments", &mutated);
}

#[test]
fn truncated_files_do_not_panic() {
    let files = fixtures();
    // A cut every 50 bytes (about 30 cuts for files over 1.5 KB), taken in
    // turn from the file as written and after non-ASCII damage (where cuts
    // fall inside multi-byte characters), so the test stays fast.
    let mut cuts = Vec::new();
    for (path, text) in &files {
        let wide = non_ascii(text, true);
        let step = (text.len() / 30).max(50);
        for (n, at) in (0..text.len()).step_by(step).enumerate() {
            let (tag, source) = if n % 2 == 0 {
                ("plain", text.as_str())
            } else {
                ("wide", wide.as_str())
            };
            // The damaged text is longer: cut it at the same share.
            let at = at * source.len() / text.len().max(1);
            let name = format!("{}.{tag}.{n}.yaml", path.display());
            cuts.push((PathBuf::from(name), cut(source, at).to_string()));
        }
    }
    // In a few directories, so one lint does not hold every cut at once.
    for (i, chunk) in cuts.chunks(200).enumerate() {
        lint_all(&format!("truncated (chunk {i})"), chunk);
    }
}
