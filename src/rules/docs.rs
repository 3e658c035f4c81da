//! Rule docs, embedded in the binary for `kwire explain`. A test checks that
//! every registered rule has a doc here and every doc in `rules/` a rule.

macro_rules! docs {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!("../../rules/", $code, ".md")))),*]
    };
}

pub static DOCS: &[(&str, &str)] = docs![
    "KW0001", "KW0002", "KW0003", "KW0004", "KW0005", "KW0006", "KW0007", "KW0008", "KW0009",
    "KW0010", "KW0011", "KW0012", "KW1001", "KW1002", "KW1003", "KW1004", "KW1005", "KW1006",
    "KW3001", "KW3002",
];

/// The Markdown doc of a rule (front matter included).
pub fn doc(code: &str) -> Option<&'static str> {
    DOCS.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

/// The doc without its front matter, for printing.
pub fn body(doc: &str) -> &str {
    doc.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(doc, |(_, body)| body.trim_start_matches('\n'))
}
