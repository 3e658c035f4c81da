//! What every report of any input must satisfy (issue 17), shared by the
//! tests (`proptest_reports`, `fuzz_regressions`) and the fuzz targets in
//! `fuzz/`, which include this file by path: the library does not depend
//! on the checking crates (jsonschema is a library dependency anyway;
//! quick-xml is a dev-dependency here and a dependency of `fuzz/`).
//!
//! Each check returns `Err(what is wrong)` instead of panicking, so that a
//! proptest can shrink and a fuzz target can panic with the whole story.
//! The positions are checked against the input bytes themselves, with
//! lines counted the way the YAML parser counts them (`\n`, `\r\n` and a
//! lone `\r` each end a line) and columns in characters.

#![allow(dead_code)] // each fuzz target uses a part

use std::sync::OnceLock;

use kwire::lint::{LintOptions, LintResult};
use kwire::report::{Format, Report};
use serde_json::Value;

pub type Checked = Result<(), String>;

macro_rules! ensure {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            return Err(format!($($what)+));
        }
    };
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/docs/{name}", env!("CARGO_MANIFEST_DIR"));
    let path = if std::path::Path::new(&path).exists() {
        path
    } else {
        // Built from fuzz/: the schemas are one level up.
        format!("{}/../docs/{name}", env!("CARGO_MANIFEST_DIR"))
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lint_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| schema("lint-report.schema.json"))
}

fn graph_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| schema("graph-report.schema.json"))
}

fn trace_schema() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| schema("trace-report.schema.json"))
}

fn valid(validator: &jsonschema::Validator, doc: &Value, what: &str) -> Checked {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    ensure!(errors.is_empty(), "{what} off contract: {errors:?}\n{doc}");
    Ok(())
}

/// The input as kwire sees it: its lines, each with its length in
/// characters (without the line break), and whether it ends in `\r\n`.
pub struct Input {
    pub path: String,
    lines: Vec<(usize, bool)>,
}

impl Input {
    pub fn new(path: &str, bytes: &[u8]) -> Input {
        // kwire drops a byte-order mark and shows bad UTF-8 as U+FFFD.
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t).to_string(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        };
        let mut lines = Vec::new();
        let mut chars = 0;
        let mut it = text.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\n' => {
                    lines.push((chars, false));
                    chars = 0;
                }
                '\r' if it.peek() == Some(&'\n') => {
                    it.next();
                    lines.push((chars, true));
                    chars = 0;
                }
                '\r' => {
                    lines.push((chars, false));
                    chars = 0;
                }
                _ => chars += 1,
            }
        }
        lines.push((chars, false));
        let input = Input {
            path: path.to_string(),
            lines,
        };
        debug_assert_eq!(input.lines.len(), line_count(bytes));
        input
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// A 1-based line and character column is a place in the input: on one
    /// of its lines, at most just past its last character (or between the
    /// `\r` and `\n` of a CRLF).
    pub fn position(&self, line: u64, column: u64, what: &str) -> Checked {
        let lines = self.lines.len() as u64;
        ensure!(line >= 1 && line <= lines, "{what}: line {line} of {lines}");
        let (chars, crlf) = self.lines[line as usize - 1];
        let max = chars as u64 + 1 + u64::from(crlf);
        ensure!(
            column >= 1 && column <= max,
            "{what}: column {column} of line {line}, which has {chars} characters"
        );
        Ok(())
    }
}

/// Lines of `bytes` the way YAML (and kwire's parser) counts them.
pub fn line_count(bytes: &[u8]) -> usize {
    kwire::source::line_starts(bytes).len()
}

/// Where every finding is, read from the JSON report: the other formats
/// must say the same.
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// `kwire lint -f json` of one input: valid JSON, one document, on the
/// contract (`docs/lint-report.schema.json`), every finding in that input
/// and every position inside it, ends after starts.
pub fn json_report(text: &str, input: &Input) -> Result<Vec<Finding>, String> {
    ensure!(
        text.ends_with('\n') && text.trim_end().lines().count() <= 1,
        "not one JSON line: {text:?}"
    );
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e}): {text:?}"))?;
    valid(lint_schema(), &doc, "JSON report")?;
    let mut found = Vec::new();
    for d in doc["diagnostics"].as_array().into_iter().flatten() {
        ensure!(
            d["file"] == input.path.as_str(),
            "finding not in the input: {d}"
        );
        let f = Finding {
            code: d["code"].as_str().unwrap_or("").to_string(),
            severity: d["severity"].as_str().unwrap_or("").to_string(),
            line: num(&d["line"]),
            column: num(&d["column"]),
            end_line: num(&d["end_line"]),
            end_column: num(&d["end_column"]),
        };
        input.position(f.line, f.column, &format!("start of {d}"))?;
        input.position(f.end_line, f.end_column, &format!("end of {d}"))?;
        ensure!(
            (f.end_line, f.end_column) >= (f.line, f.column),
            "ends before it starts: {d}"
        );
        for r in d["related"].as_array().into_iter().flatten() {
            ensure!(
                r["file"] == input.path.as_str(),
                "related not in the input: {d}"
            );
            input.position(
                num(&r["line"]),
                num(&r["column"]),
                &format!("related of {d}"),
            )?;
        }
        found.push(f);
    }
    let summary = &doc["summary"];
    let count = |s: &str| found.iter().filter(|f| f.severity == s).count() as u64;
    ensure!(
        num(&summary["errors"]) == count("error")
            && num(&summary["warnings"]) == count("warning")
            && num(&summary["infos"]) == count("info"),
        "summary does not count the findings: {summary}"
    );
    Ok(found)
}

/// SARIF 2.1.0 shape (what GitHub code scanning reads), the same findings
/// at the same places as JSON.
pub fn sarif(text: &str, input: &Input, json: &[Finding]) -> Checked {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("SARIF not JSON ({e})"))?;
    ensure!(
        doc["version"] == "2.1.0",
        "SARIF version: {}",
        doc["version"]
    );
    let runs = doc["runs"].as_array().ok_or("SARIF without runs")?;
    ensure!(runs.len() == 1, "SARIF runs: {}", runs.len());
    let run = &runs[0];
    ensure!(run["tool"]["driver"]["name"] == "kwire", "SARIF driver");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .ok_or("SARIF without rules")?;
    let results = run["results"].as_array().ok_or("SARIF without results")?;
    ensure!(
        results.len() == json.len(),
        "SARIF has {} results, JSON {} findings",
        results.len(),
        json.len()
    );
    for (r, f) in results.iter().zip(json) {
        ensure!(r["ruleId"] == f.code.as_str(), "SARIF ruleId: {r}");
        if let Some(i) = r["ruleIndex"].as_u64() {
            ensure!(
                rules
                    .get(i as usize)
                    .is_some_and(|rule| rule["id"] == r["ruleId"]),
                "SARIF ruleIndex: {r}"
            );
        }
        ensure!(
            ["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")),
            "SARIF level: {r}"
        );
        ensure!(r["message"]["text"].is_string(), "SARIF message: {r}");
        let locations = r["locations"]
            .as_array()
            .ok_or("SARIF result without locations")?;
        ensure!(locations.len() == 1, "SARIF locations: {r}");
        let p = &locations[0]["physicalLocation"];
        ensure!(p["artifactLocation"]["uri"].is_string(), "SARIF uri: {r}");
        let region = &p["region"];
        let got = (
            num(&region["startLine"]),
            num(&region["startColumn"]),
            num(&region["endLine"]),
            num(&region["endColumn"]),
        );
        ensure!(
            got == (f.line, f.column, f.end_line, f.end_column),
            "SARIF region {got:?} is not JSON's {f:?}"
        );
        for rel in r["relatedLocations"].as_array().into_iter().flatten() {
            let region = &rel["physicalLocation"]["region"];
            for (l, c) in [("startLine", "startColumn"), ("endLine", "endColumn")] {
                input.position(
                    num(&region[l]),
                    num(&region[c]),
                    &format!("SARIF related {rel}"),
                )?;
            }
        }
    }
    Ok(())
}

/// `path:line:col: severity[CODE] message`, one line per finding.
pub fn plain(text: &str, input: &Input, json: &[Finding]) -> Checked {
    let lines: Vec<&str> = text.lines().collect();
    ensure!(
        lines.len() == json.len(),
        "plain has {} lines for {} findings: {text:?}",
        lines.len(),
        json.len()
    );
    for (l, f) in lines.iter().zip(json) {
        let rest = l
            .strip_prefix(input.path.as_str())
            .and_then(|r| r.strip_prefix(':'))
            .ok_or_else(|| format!("plain line not of the input: {l:?}"))?;
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().and_then(|p| p.parse().ok());
        let column = parts.next().and_then(|p| p.parse().ok());
        let tail = parts.next().unwrap_or("");
        let head = format!(" {}[{}] ", f.severity, f.code);
        ensure!(
            line == Some(f.line) && column == Some(f.column) && tail.starts_with(&head),
            "plain {l:?} is not JSON's {f:?}"
        );
    }
    Ok(())
}

/// GitHub workflow commands: one `::error file=…,line=…::msg` per finding.
pub fn github(text: &str, json: &[Finding]) -> Checked {
    let lines: Vec<&str> = text.lines().collect();
    ensure!(lines.len() == json.len(), "github: {} lines", lines.len());
    for (l, f) in lines.iter().zip(json) {
        let command = match f.severity.as_str() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let props = l
            .strip_prefix(&format!("::{command} "))
            .and_then(|r| r.split_once("::"))
            .map(|(p, _)| p)
            .ok_or_else(|| format!("github line: {l:?}"))?;
        let prop = |name: &str| -> Option<String> {
            props
                .split(',')
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .map(str::to_string)
        };
        let n = |name: &str| prop(name).and_then(|v| v.parse::<u64>().ok());
        ensure!(
            (n("line"), n("col"), n("endLine"), n("endColumn"))
                == (
                    Some(f.line),
                    Some(f.column),
                    Some(f.end_line),
                    Some(f.end_column)
                )
                && prop("title").as_deref() == Some(f.code.as_str()),
            "github {l:?} is not JSON's {f:?}"
        );
    }
    Ok(())
}

/// GitLab Code Quality: a JSON array, one issue per finding.
pub fn gitlab(text: &str, input: &Input, json: &[Finding]) -> Checked {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("gitlab not JSON ({e})"))?;
    let issues = doc.as_array().ok_or("gitlab is not an array")?;
    ensure!(
        issues.len() == json.len(),
        "gitlab: {} issues",
        issues.len()
    );
    for (i, f) in issues.iter().zip(json) {
        ensure!(
            i["location"]["path"] == input.path.as_str()
                && num(&i["location"]["lines"]["begin"]) == f.line
                && i["check_name"] == f.code.as_str()
                && i["fingerprint"].as_str().is_some_and(|s| !s.is_empty())
                && ["info", "minor", "major"].contains(&i["severity"].as_str().unwrap_or("")),
            "gitlab {i} is not JSON's {f:?}"
        );
    }
    Ok(())
}

/// Well-formed XML: the elements named `element` with their attributes.
fn xml_elements(text: &str, element: &str) -> Result<Vec<Vec<(String, String)>>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut found = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed XML ({e}): {text:?}"))?;
        let start = match &event {
            Event::Start(e) => {
                depth += 1;
                Some(e)
            }
            Event::Empty(e) => Some(e),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                None
            }
            Event::Eof => break,
            _ => None,
        };
        if let Some(e) = start
            && e.name().as_ref() == element
        {
            let mut attrs = Vec::new();
            for a in e.attributes() {
                let a = a.map_err(|e| format!("bad XML attribute ({e})"))?;
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .map_err(|e| format!("bad XML attribute value ({e})"))?;
                attrs.push((a.key.as_ref().to_string(), value.into_owned()));
            }
            found.push(attrs);
        }
    }
    ensure!(depth == 0, "XML elements left open");
    Ok(found)
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// JUnit XML: well-formed, one `<failure>` per finding, of its code.
pub fn junit(text: &str, json: &[Finding]) -> Checked {
    let failures = xml_elements(text, "failure")?;
    ensure!(
        failures.len() == json.len(),
        "junit: {} failures for {} findings",
        failures.len(),
        json.len()
    );
    let mut got: Vec<&str> = failures.iter().filter_map(|a| attr(a, "type")).collect();
    let mut want: Vec<&str> = json.iter().map(|f| f.code.as_str()).collect();
    got.sort_unstable();
    want.sort_unstable();
    ensure!(
        got == want,
        "junit failure types {got:?}, JSON codes {want:?}"
    );
    Ok(())
}

/// Checkstyle XML: well-formed, one `<error>` per finding at its place.
pub fn checkstyle(text: &str, json: &[Finding]) -> Checked {
    let errors = xml_elements(text, "error")?;
    ensure!(
        errors.len() == json.len(),
        "checkstyle: {} errors",
        errors.len()
    );
    for (e, f) in errors.iter().zip(json) {
        let n = |name: &str| attr(e, name).and_then(|v| v.parse::<u64>().ok());
        ensure!(
            n("line") == Some(f.line)
                && n("column") == Some(f.column)
                && attr(e, "source") == Some(format!("kwire.{}", f.code).as_str()),
            "checkstyle {e:?} is not JSON's {f:?}"
        );
    }
    Ok(())
}

fn render(result: &LintResult, format: Format) -> Result<String, String> {
    let mut out = Vec::new();
    kwire::report::write_report(&Report::from(result), format, &mut out, false)
        .map_err(|e| format!("{format:?}: cannot write: {e}"))?;
    String::from_utf8(out).map_err(|_| format!("{format:?}: output is not UTF-8"))
}

/// The JSON report of a lint result of `input` (checked).
pub fn json_of(result: &LintResult, input: &Input) -> Result<Vec<Finding>, String> {
    json_report(&render(result, Format::Json)?, input)
}

/// Every format of the report of a lint result of `input`: JSON on the
/// contract and inside the input, and each other format the same findings
/// at the same places, parsed back. Pretty only has to be written.
pub fn every_format(result: &LintResult, input: &Input) -> Checked {
    let json = json_of(result, input)?;
    sarif(&render(result, Format::Sarif)?, input, &json)?;
    plain(&render(result, Format::Plain)?, input, &json)?;
    github(&render(result, Format::Github)?, &json)?;
    gitlab(&render(result, Format::Gitlab)?, input, &json)?;
    junit(&render(result, Format::Junit)?, &json)?;
    checkstyle(&render(result, Format::Checkstyle)?, &json)?;
    render(result, Format::Pretty)?;
    Ok(())
}

/// What the targets lint with: every rule, opt-in ones included, and
/// unused suppressions reported, so that every rule sees every input.
pub fn every_rule() -> LintOptions {
    LintOptions {
        selection: kwire::selection::RuleSelection {
            select: Some(vec![kwire::selection::Selector::All]),
            ..Default::default()
        },
        report_unused_ignores: true,
        ..LintOptions::default()
    }
}

/// Lints `bytes` as standard input (`-`, shown as `<stdin>`).
pub fn lint_stdin(bytes: &[u8], opts: LintOptions) -> LintResult {
    kwire::lint::lint_with_stdin(
        &LintOptions {
            paths: vec!["-".to_string()],
            ..opts
        },
        bytes,
    )
}

/// Lints `bytes` as a file `input.yaml` in a fresh directory.
pub fn lint_file(bytes: &[u8]) -> Result<(LintResult, String), String> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kwire-fuzz-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join("input.yaml");
    let written = std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()));
    let shown = path.to_string_lossy().into_owned();
    let result = written.map(|()| {
        kwire::lint::lint(&LintOptions {
            paths: vec![shown.clone()],
            ..every_rule()
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
    Ok((result?, shown))
}

/// parse → model → rules: `bytes` linted as a file and as stdin give
/// valid JSON reports with every position inside the input.
pub fn lint_target(bytes: &[u8]) -> Checked {
    let (result, path) = lint_file(bytes)?;
    json_of(&result, &Input::new(&path, bytes)).map_err(|e| format!("as a file: {e}"))?;
    let result = lint_stdin(bytes, every_rule());
    json_of(&result, &Input::new("<stdin>", bytes)).map_err(|e| format!("as stdin: {e}"))?;
    Ok(())
}

/// Every output format of the report of `bytes` (as stdin).
pub fn formats_target(bytes: &[u8]) -> Checked {
    let result = lint_stdin(bytes, every_rule());
    every_format(&result, &Input::new("<stdin>", bytes))
}

/// Every `file`/`line` pair in a graph or trace report lies in the input.
fn lines_inside(v: &Value, input: &Input, what: &str) -> Checked {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(file)), Some(line)) = (map.get("file"), map.get("line"))
                && let Some(line) = line.as_u64()
            {
                ensure!(file == &input.path, "{what}: a file not in the input: {v}");
                input.position(line, 1, &format!("{what}: {v}"))?;
            }
            map.values().try_for_each(|x| lines_inside(x, input, what))
        }
        Value::Array(items) => items.iter().try_for_each(|x| lines_inside(x, input, what)),
        _ => Ok(()),
    }
}

/// The requests the graph target traces; the input's first byte picks one.
pub const TRACE_URLS: &[&str] = &[
    "http://web/",
    "https://example.com/api/v1?x=1",
    "http://web.default.svc.cluster.local:8080/a/b",
    "http://10.0.0.1:30080/",
    "grpc://svc.ns.svc/x",
];

/// `kwire graph` and `kwire trace` of `bytes` (as stdin): no panic, every
/// graph format written, the JSON of both on their contracts
/// (`docs/graph-report.schema.json`, `docs/trace-report.schema.json`),
/// every line they name inside the input.
pub fn graph_target(bytes: &[u8]) -> Checked {
    use kwire::topology::render::{self, GraphFormat};
    let pick = bytes
        .first()
        .map_or(0, |&b| usize::from(b) % (TRACE_URLS.len() * 2));
    let url = TRACE_URLS[pick % TRACE_URLS.len()];
    let Ok(url) = kwire::topology::trace::Url::parse(url) else {
        return Ok(()); // a scheme trace does not take: its own error, not the input's
    };
    let request = kwire::topology::trace::Request {
        url,
        method: "GET".to_string(),
        headers: vec![("x-fuzz".to_string(), "1".to_string())],
        from: (pick >= TRACE_URLS.len()).then(|| "default".to_string()),
        from_labels: vec![("app".to_string(), "fuzz".to_string())],
        ingress_class: None,
    };
    let result = lint_stdin(
        bytes,
        LintOptions {
            graph: true,
            trace: Some(request),
            ..every_rule()
        },
    );
    let input = Input::new("<stdin>", bytes);
    let graph = result.graph.as_ref().ok_or("no graph was built")?;
    for format in [
        GraphFormat::Text,
        GraphFormat::Dot,
        GraphFormat::Mermaid,
        GraphFormat::Html,
        GraphFormat::Json,
    ] {
        let mut out = Vec::new();
        render::write(graph, format, &mut out).map_err(|e| format!("graph {format:?}: {e}"))?;
        let text = String::from_utf8(out).map_err(|_| format!("graph {format:?}: not UTF-8"))?;
        if format == GraphFormat::Json {
            let doc: Value =
                serde_json::from_str(&text).map_err(|e| format!("graph JSON not JSON ({e})"))?;
            valid(graph_schema(), &doc, "graph JSON")?;
            lines_inside(&doc, &input, "graph")?;
        }
    }
    let trace = result.trace.as_ref().ok_or("no trace was made")?;
    let doc = serde_json::to_value(trace).map_err(|e| format!("trace JSON: {e}"))?;
    valid(trace_schema(), &doc, "trace JSON")?;
    lines_inside(&doc, &input, "trace")?;
    kwire::topology::trace::text::render(trace);
    Ok(())
}
