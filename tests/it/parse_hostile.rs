//! The YAML layer against hostile and awkward inputs: every case must end
//! with diagnostics (or a clean parse), never a panic or a stack overflow,
//! and fast.

use std::time::{Duration, Instant};

use kwire::parse::{Node, ParsedFile, Value, parse_file};
use kwire::source::{SourceFile, Span};

fn parse(text: &str) -> (SourceFile, ParsedFile) {
    let source = SourceFile::new("test.yaml", text.to_string());
    let started = Instant::now();
    let parsed = parse_file(7, &source);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "parsing took {:?}",
        started.elapsed()
    );
    (source, parsed)
}

fn codes(p: &ParsedFile) -> Vec<&'static str> {
    p.diagnostics.iter().map(|d| d.code).collect()
}

fn s(node: &Node) -> &str {
    node.as_str().unwrap_or("<not a string>")
}

#[test]
fn byte_spans_for_multibyte_text() {
    let (src, p) = parse("k: \"ééé\"\n");
    let value = p.documents[0].root.get("k").unwrap();
    assert_eq!(value.span, Span { start: 3, end: 11 });
    assert_eq!(src.slice(value.span), "\"ééé\"");
    assert_eq!(s(value), "ééé");
}

#[test]
fn spans_of_scalars_and_collections() {
    let text = "a:\n  - x\n  - 'y'\nb: {c: 1}\n";
    let (src, p) = parse(text);
    let root = &p.documents[0].root;
    assert_eq!(src.slice(root.get("a").unwrap().span), "- x\n  - 'y'");
    assert_eq!(
        src.slice(root.get("a").unwrap().get_seq_item(1).span),
        "'y'"
    );
    assert_eq!(src.slice(root.get("b").unwrap().span), "{c: 1}");
    assert_eq!(src.slice(root.span), text.trim_end());
    assert_eq!(p.documents[0].span, root.span);
}

trait SeqItem {
    fn get_seq_item(&self, i: usize) -> &Node;
}
impl SeqItem for Node {
    fn get_seq_item(&self, i: usize) -> &Node {
        &self.as_seq().unwrap()[i]
    }
}

#[test]
fn control_characters_and_nuls_are_errors_not_panics() {
    for text in [
        "a: \0b\n",
        "\0\0\0",
        "a: \u{1}\u{2}\u{7f}\n",
        "\u{1b}[31m: x",
        "a: \"\u{0}\"\n",
        "- \u{8}\n- \u{c}\n",
    ] {
        let (_, p) = parse(text);
        assert!(
            p.documents.is_empty() || !p.diagnostics.is_empty(),
            "{text:?}"
        );
        assert!(codes(&p).iter().all(|c| *c == "KW0001"), "{text:?}");
    }
    // Arbitrary bytes that happen to be UTF-8: no panic, whatever the outcome.
    let mut seed = 0x2545_f491_u32;
    for _ in 0..300 {
        let len = (seed % 64) as usize;
        let mut text = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            text.push(char::from_u32(seed % 0x80).unwrap_or('?'));
        }
        let _ = parse(&text);
    }
}

#[test]
fn empty_inputs_have_no_documents() {
    for text in [
        "",
        "---",
        "---\n",
        "--- \n---\n",
        "# only a comment\n",
        "\n\n",
        "...\n",
        "\u{feff}",
    ] {
        let (_, p) = parse(text);
        assert!(p.documents.is_empty(), "{text:?}");
        assert!(p.diagnostics.is_empty(), "{text:?}: {:?}", p.diagnostics);
    }
}

#[test]
fn scalar_and_sequence_roots_are_kept() {
    let (_, p) = parse("--- hello\n--- [1, 2]\n--- ~\n");
    assert_eq!(p.documents.len(), 3);
    assert_eq!(s(&p.documents[0].root), "hello");
    assert!(p.documents[1].root.as_seq().is_some());
    assert!(p.documents[2].root.is_null());
    let indexes: Vec<usize> = p.documents.iter().map(|d| d.index).collect();
    assert_eq!(indexes, [0, 1, 2]);
}

#[test]
fn deep_flow_sequence_is_a_limit_error() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (_, p) = parse(&text);
    assert!(p.documents.is_empty());
    assert_eq!(codes(&p), ["KW0012"]);
}

#[test]
fn deep_block_sequence_is_a_limit_error() {
    let text = "- ".repeat(20_000) + "x\n";
    let (_, p) = parse(&text);
    assert!(p.documents.is_empty());
    assert_eq!(codes(&p), ["KW0012"]);
}

#[test]
fn deep_nesting_then_a_good_document() {
    let text = format!("{}\n---\nkind: Pod\n", "[".repeat(300));
    let (_, p) = parse(&text);
    assert_eq!(codes(&p)[0], "KW0012");
    assert_eq!(p.documents.len(), 1);
    assert_eq!(p.documents[0].root.get_str("kind"), Some("Pod"));
}

#[test]
fn nesting_up_to_the_limit_loads() {
    let depth = kwire::parse::MAX_DEPTH;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let (_, p) = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.documents.len(), 1);
}

#[test]
fn billion_laughs_stops_fast() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text.push_str("---\nafter: bomb\n");
    let (_, p) = parse(&text);
    assert_eq!(codes(&p), ["KW0012"]);
    assert_eq!(p.documents.len(), 1);
    assert_eq!(p.documents[0].root.get_str("after"), Some("bomb"));
}

#[test]
fn alias_depth_is_bounded_too() {
    // Each alias adds the anchor's depth: chained, they would build a tree
    // deeper than MAX_DEPTH out of a shallow text.
    let mut text = format!("a0: &a0 {}x{}\n", "[".repeat(200), "]".repeat(200));
    for i in 1..5 {
        text.push_str(&format!(
            "a{i}: &a{i} {}*a{}{}\n",
            "[".repeat(100),
            i - 1,
            "]".repeat(100)
        ));
    }
    let (_, p) = parse(&text);
    assert_eq!(codes(&p), ["KW0012"]);
}

#[test]
fn unterminated_quotes() {
    for text in ["a: \"abc\n", "a: 'abc\nb: 1\n", "- \"x"] {
        let (src, p) = parse(text);
        assert_eq!(codes(&p), ["KW0001"], "{text:?}");
        assert!(p.documents.is_empty());
        let d = &p.diagnostics[0];
        assert!(d.message.starts_with("YAML syntax error"), "{}", d.message);
        assert!(d.span.end as usize <= src.text.len());
    }
}

#[test]
fn tab_indentation() {
    let (src, p) = parse("a:\n\tb: 1\n");
    assert_eq!(codes(&p), ["KW0001"]);
    let d = &p.diagnostics[0];
    assert_eq!(src.line_col(d.span.start as usize).line, 2);
    assert!(d.help.as_deref().unwrap_or("").contains("tab"), "{d:?}");
}

#[test]
fn error_in_second_of_three_documents() {
    let text = "a: 1\n---\nb: [1, 2\nc: }\n---\nd: 4\n";
    let (src, p) = parse(text);
    assert_eq!(codes(&p), ["KW0001"]);
    let keys: Vec<&str> = p
        .documents
        .iter()
        .map(|d| s(&d.root.as_map().unwrap()[0].key))
        .collect();
    assert_eq!(keys, ["a", "d"]);
    assert_eq!(p.documents[1].index, 2);
    let line = src.line_col(p.diagnostics[0].span.start as usize).line;
    assert!((3..=4).contains(&line), "error on line {line}");
}

#[test]
fn unknown_alias_is_a_syntax_error() {
    let (src, p) = parse("a: *nope\n---\nb: 1\n");
    assert_eq!(codes(&p), ["KW0001"]);
    assert_eq!(src.slice(p.diagnostics[0].span), "*nope");
    assert!(p.diagnostics[0].message.contains("*nope"));
    assert_eq!(p.documents.len(), 1);
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let text = "metadata:\n  name: a\n  labels: {x: 1}\n  name: b\nkind: Pod\n";
    let (src, p) = parse(text);
    assert_eq!(codes(&p), ["KW0002"]);
    let d = &p.diagnostics[0];
    assert_eq!(src.line_col(d.span.start as usize).line, 4);
    assert_eq!(d.related.len(), 1);
    assert_eq!(src.line_col(d.related[0].span.start as usize).line, 2);
    assert_eq!(d.related[0].message, "first defined here");
    let meta = p.documents[0].root.get("metadata").unwrap();
    assert_eq!(meta.as_map().unwrap().len(), 2);
    assert_eq!(meta.get_str("name"), Some("b"));
    assert_eq!(p.documents[0].root.get_str("kind"), Some("Pod"));
}

#[test]
fn duplicate_keys_in_a_large_mapping_and_as_json_keys() {
    let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k50: again\n\"80\": a\n80: b\n");
    let (_, p) = parse(&text);
    assert_eq!(codes(&p), ["KW0002", "KW0002"]);
    let root = &p.documents[0].root;
    assert_eq!(root.get_str("k50"), Some("again"));
    assert_eq!(root.as_map().unwrap().len(), 101);
}

#[test]
fn merge_keys_like_go_yaml() {
    let text = "base: &base {a: 1, b: 2}\nmore: &more {b: 3, c: 4}\n\
                one:\n  <<: *base\n  b: 20\n\
                many:\n  <<: [*base, *more]\n  d: 5\n\
                quoted:\n  \"<<\": *base\n";
    let (_, p) = parse(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let root = &p.documents[0].root;
    let one = root.get("one").unwrap();
    assert_eq!(one.get("a").and_then(Node::as_i64), Some(1));
    assert_eq!(one.get("b").and_then(Node::as_i64), Some(20));
    assert_eq!(one.as_map().unwrap().len(), 2);
    let many = root.get("many").unwrap();
    // Earlier mappings in the list win.
    assert_eq!(many.get("b").and_then(Node::as_i64), Some(2));
    assert_eq!(many.get("c").and_then(Node::as_i64), Some(4));
    assert_eq!(many.get("d").and_then(Node::as_i64), Some(5));
    // A quoted "<<" is an ordinary key.
    assert!(root.get("quoted").unwrap().get("<<").is_some());
}

#[test]
fn merge_of_a_scalar_is_an_error() {
    let (_, p) = parse("a: &s x\nb:\n  <<: *s\n");
    assert_eq!(codes(&p), ["KW0001"]);
}

#[test]
fn alias_copies_are_reported_at_the_alias() {
    let (src, p) = parse("a: &x {k: v}\nb: *x\n");
    let b = p.documents[0].root.get("b").unwrap();
    assert_eq!(src.slice(b.span), "*x");
    assert_eq!(b.get_str("k"), Some("v"));
}

#[test]
fn recursive_alias_is_rejected() {
    let (_, p) = parse("a: &x [1, *x]\n");
    assert_eq!(codes(&p), ["KW0001"]);
    assert!(p.documents.is_empty());
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}apiVersion: v1\r\nkind: ConfigMap\r\ndata:\r\n  k: |\r\n    line\r\n---\r\nkind: Pod\r\n";
    let (src, p) = parse(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.documents.len(), 2);
    let root = &p.documents[0].root;
    assert_eq!(root.get_str("apiVersion"), Some("v1"));
    assert_eq!(src.slice(root.get("apiVersion").unwrap().span), "v1");
    assert_eq!(
        root.path(&["data", "k"]).and_then(Node::as_str),
        Some("line\n")
    );
    assert_eq!(p.documents[1].root.get_str("kind"), Some("Pod"));
}

#[test]
fn json_manifest() {
    let text = "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Service\",\n\t\"spec\": {\"ports\": [{\"port\": 80, \"x\": true, \"n\": null, \"f\": 1.5e2}]}\n}\n";
    let (_, p) = parse(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let port = &p.documents[0]
        .root
        .path(&["spec", "ports"])
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(port.get("port").and_then(Node::as_i64), Some(80));
    assert_eq!(port.get("x").and_then(Node::as_bool), Some(true));
    assert!(port.get("n").unwrap().is_null());
    assert_eq!(port.get("f").map(|n| &n.value), Some(&Value::Float(150.0)));
}

#[test]
fn kubernetes_typing_in_the_tree() {
    let text = "a: yes\nb: \"yes\"\nc: 0644\nd: !!str 80\ne: !!int \"42\"\nf: |\n  80\ng: on\nh: 1_000\ni: !!int abc\n";
    let (_, p) = parse(text);
    let root = &p.documents[0].root;
    assert_eq!(root.get("a").unwrap().value, Value::Bool(true));
    assert_eq!(root.get("b").unwrap().value, Value::Str("yes".into()));
    assert_eq!(root.get("c").unwrap().value, Value::Int(420));
    assert_eq!(root.get("d").unwrap().value, Value::Str("80".into()));
    assert_eq!(root.get("e").unwrap().value, Value::Int(42));
    assert_eq!(root.get("f").unwrap().value, Value::Str("80\n".into()));
    assert_eq!(root.get("g").unwrap().value, Value::Bool(true));
    assert_eq!(root.get("h").unwrap().value, Value::Int(1000));
    assert_eq!(codes(&p), ["KW0001"]);
}

#[test]
fn only_kwire_comments_are_kept() {
    let text = "# plain comment\na: 1 # kwire: ignore[KW3101]\n# kwire: ignore[KW0002]\nb: 2\n";
    let (src, p) = parse(text);
    assert_eq!(p.comments.len(), 2);
    assert_eq!(&*p.comments[0].text, " kwire: ignore[KW3101]");
    assert_eq!(src.slice(p.comments[0].span), "# kwire: ignore[KW3101]");
}

#[test]
fn many_broken_documents_stop_without_looping() {
    let text = "a: [\n---\n".repeat(500);
    let (_, p) = parse(&text);
    assert!(p.diagnostics.len() <= 101, "{}", p.diagnostics.len());
    assert!(codes(&p).iter().all(|c| *c == "KW0001"));
}

#[test]
fn many_comments_between_entries_are_fine() {
    let text = format!(
        "kwire_note: x\nitems:\n{}  - a\n",
        "  # kwire: c\n".repeat(500)
    );
    let (_, p) = parse(&text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.comments.len(), 500);
}
