//! Rule docs, embedded in the binary for `kwire explain`. A test checks that
//! every registered rule has a doc here and every doc in `rules/` a rule.

macro_rules! docs {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!("../../rules/", $code, ".md")))),*]
    };
}

pub static DOCS: &[(&str, &str)] = docs![
    "KW0001", "KW0002", "KW0003", "KW0004", "KW0005", "KW0006", "KW0007", "KW0008", "KW0009",
    "KW0010", "KW0011", "KW0012", "KW0013", "KW0014", "KW0015", "KW0016", "KW0098", "KW0099",
    "KW1001", "KW1002", "KW1003", "KW1004", "KW1005", "KW1006", "KW2001", "KW2002", "KW2003",
    "KW2004", "KW2005", "KW2006", "KW2007", "KW2008", "KW2009", "KW2010", "KW3001", "KW3002",
    "KW3003", "KW3004", "KW3005", "KW3006", "KW3007", "KW3101", "KW3102", "KW3103", "KW3104",
    "KW3105", "KW3106", "KW3107", "KW3108", "KW3109", "KW3110", "KW3111", "KW3112", "KW3113",
    "KW3201", "KW3202", "KW3203", "KW3204", "KW3205", "KW3206", "KW3207", "KW3210", "KW3211",
    "KW3212", "KW3213", "KW3214", "KW3215", "KW3216", "KW3301", "KW3302", "KW3303", "KW3401",
    "KW3402", "KW3403", "KW3404", "KW3405", "KW3406", "KW3407", "KW3408", "KW3409", "KW4001",
    "KW4002", "KW4003", "KW4004", "KW4005", "KW4006", "KW4007", "KW4008", "KW4009", "KW4010",
    "KW4011", "KW4012", "KW4013", "KW4014", "KW4015", "KW4016", "KW4017", "KW5001", "KW5002",
    "KW5003", "KW5010", "KW5011", "KW5012", "KW5013", "KW5014", "KW5015", "KW5101", "KW5102",
    "KW5103", "KW5104", "KW5201", "KW5202", "KW5301", "KW5501", "KW5502", "KW5503", "KW5510",
    "KW5511", "KW5512", "KW5600", "KW6001", "KW6002", "KW6003", "KW6004", "KW6005", "KW6006",
    "KW6007", "KW6008", "KW6009", "KW6010", "KW6011", "KW6012", "KW6013", "KW6014", "KW6015",
    "KW6101", "KW6102", "KW6103", "KW6501", "KW6502", "KW6503", "KW6510", "KW6511", "KW6512",
    "KW6513", "KW6514", "KW6515", "KW6516", "KW6520", "KW6521", "KW6522",
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
