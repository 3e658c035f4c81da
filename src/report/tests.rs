//! Reporter tests over a hand-built report: two files, three diagnostics
//! (one with a related span in the other file, one after non-ASCII text).

use super::*;
use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::source::{SourceFile, Span};

const WEB: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {équipe: web}\nspec:\n  selector:\n    app: web\n";
const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n";

/// Byte span of the `nth` occurrence (0-based) of `needle` in `text`.
fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let start = text.match_indices(needle).nth(nth).unwrap().0;
    Span::new(start, start + needle.len())
}

pub(crate) fn fixture_files() -> Vec<SourceFile> {
    vec![
        SourceFile::new("manifests/web.yaml", WEB.to_string()),
        SourceFile::new("manifests/web-deploy.yaml", DEPLOY.to_string()),
    ]
}

pub(crate) fn fixture_diagnostics() -> Vec<Diagnostic> {
    let object = ObjectRef {
        api_version: Some("v1".into()),
        kind: Some("Service".into()),
        namespace: Some("default".into()),
        name: Some("web".into()),
    };
    vec![
        // `web` inside `{équipe: web}`: column 20 in characters, 21 in bytes.
        Diagnostic::new(
            "KW0006",
            Severity::Error,
            0,
            span_of(WEB, "web", 1),
            "label \"équipe\" has a key that is not a valid label name",
        )
        .with_object(Some(object.clone())),
        // Not in the registry (yet): rule "unknown", category "internal".
        Diagnostic::new(
            "KW9999",
            Severity::Warning,
            0,
            span_of(WEB, "web", 2),
            "Service \"web\" selects no pod template (app=web)",
        )
        .with_help("set the selector to the template's labels: app=api")
        .with_label("selects nothing")
        .with_object(Some(object))
        .with_related(1, span_of(DEPLOY, "app: api", 0), "pod template labels")
        .with_related(0, span_of(WEB, "name: web", 0), "the service"),
        // Empty span: end == start.
        Diagnostic::new(
            "KW0011",
            Severity::Info,
            1,
            Span::new(30, 30),
            "multi\nline message",
        ),
    ]
}

fn with_report<T>(f: impl FnOnce(&Report) -> T) -> T {
    let files = fixture_files();
    let diagnostics = fixture_diagnostics();
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        summary: Summary {
            files: 2,
            documents: 2,
            objects: 2,
            errors: 1,
            warnings: 1,
            infos: 1,
        },
        ..Report::default()
    };
    f(&report)
}

fn render(format: Format) -> String {
    with_report(|r| {
        let mut out = Vec::new();
        write_report(r, format, &mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    })
}

#[test]
fn plain_is_one_line_per_diagnostic() {
    assert_eq!(
        render(Format::Plain),
        "manifests/web.yaml:5:20: error[KW0006] label \"équipe\" has a key that is not a valid label name\n\
         manifests/web.yaml:8:10: warning[KW9999] Service \"web\" selects no pod template (app=web)\n\
         manifests/web-deploy.yaml:2:11: info[KW0011] multi line message\n"
    );
}

fn schema() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn json_matches_the_contract() {
    let text = render(Format::Json);
    assert!(text.ends_with("}\n"));
    assert_eq!(text.lines().count(), 1, "compact: one line");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    let d = &value["diagnostics"];
    assert_eq!(value["version"], 1);
    assert_eq!(value["summary"]["infos"], 1);
    assert_eq!(d[0]["rule"], "invalid-label");
    assert_eq!(d[0]["category"], "yaml");
    assert_eq!(d[0]["help"], serde_json::Value::Null);
    assert_eq!(
        (
            &d[0]["line"],
            &d[0]["column"],
            &d[0]["end_line"],
            &d[0]["end_column"]
        ),
        (&5.into(), &20.into(), &5.into(), &23.into())
    );
    assert_eq!(d[0]["object"]["apiVersion"], "v1");
    assert_eq!(d[1]["rule"], "unknown");
    assert_eq!(d[1]["category"], "internal");
    assert_eq!(
        d[1]["help"],
        "set the selector to the template's labels: app=api"
    );
    assert_eq!(
        d[1]["related"],
        serde_json::json!([
            {"file": "manifests/web-deploy.yaml", "line": 9, "column": 9, "message": "pod template labels"},
            {"file": "manifests/web.yaml", "line": 4, "column": 3, "message": "the service"}
        ])
    );
    assert_eq!(d[2]["object"], serde_json::Value::Null);
    assert_eq!(
        (
            &d[2]["line"],
            &d[2]["column"],
            &d[2]["end_line"],
            &d[2]["end_column"]
        ),
        (&2.into(), &11.into(), &2.into(), &11.into())
    );
}

#[test]
fn json_with_no_diagnostics_is_valid() {
    let files = fixture_files();
    let report = Report {
        files: &files,
        diagnostics: &[],
        summary: Summary::default(),
        ..Report::default()
    };
    let mut out = Vec::new();
    write_json(&report, &mut out).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(jsonschema::is_valid(&schema(), &value));
    assert_eq!(value["diagnostics"], serde_json::json!([]));
}

#[test]
fn pretty_shows_code_message_location_and_related() {
    let text = render(Format::Pretty);
    assert!(!text.contains('\u{1b}'), "no ANSI escapes without colour");
    for needle in [
        // Headed like rustc and ruff: severity in words, then the code.
        "error[KW0006]\n",
        "label \"équipe\" has a key that is not a valid label name",
        "manifests/web.yaml:5:20",
        "warning[KW9999]\n",
        "manifests/web.yaml:8:10",
        "selects nothing",
        "the service",
        "help: set the selector to the template's labels: app=api",
        "manifests/web-deploy.yaml:9:9",
        "pod template labels",
        "info[KW0011]\n",
        "manifests/web-deploy.yaml:2:11",
        "here",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn pretty_colour_only_when_asked() {
    let text = with_report(|r| {
        let mut out = Vec::new();
        write_pretty(r, &mut out, true).unwrap();
        String::from_utf8(out).unwrap()
    });
    assert!(text.contains('\u{1b}'));
}

#[test]
fn pretty_scales_to_thousands_of_diagnostics() {
    let n = 5_000;
    let text: String = (0..n).map(|i| format!("key{i}: value{i}\n")).collect();
    let files = vec![SourceFile::new("big.yaml", text)];
    let diagnostics: Vec<Diagnostic> = (0..n)
        .map(|i| {
            let start = files[0].line_start(i);
            Diagnostic::new(
                "KW0002",
                Severity::Error,
                0,
                Span::new(start, start + 3),
                format!("finding {i}"),
            )
        })
        .collect();
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        summary: Summary::default(),
        ..Report::default()
    };
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    write_pretty(&report, &mut out, false).unwrap();
    eprintln!("rendered {n} diagnostics in {:?}", started.elapsed());
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("KW0002").count(), n);
    assert!(out.contains("[big.yaml:1:1]"));
    assert!(out.contains("[big.yaml:5000:1]"));
    assert!(out.contains("key4999: value4999"));
    assert!(out.contains("finding 4999"));
}

#[test]
fn indexed_source_matches_miette_for_str() {
    use miette::SourceCode;
    let text = "a: 1\nbb: 2\r\nccc: 3\n\ndd: 4";
    let file = SourceFile::new("f.yaml", text.to_string());
    let ours = pretty::IndexedSource(&file);
    for start in 0..text.len() {
        for len in 0..=(text.len() - start).min(8) {
            // The shapes miette's graphical handler asks for.
            for (before, after) in [(0, 0), (1, 1), (2, 2), (3, 1)] {
                let span = miette::SourceSpan::from((start, len));
                let a = ours.read_span(&span, before, after).unwrap();
                let b = text.read_span(&span, before, after).unwrap();
                let ctx = format!("span {start}+{len} ctx {before}/{after}");
                let is_break = |i: usize| matches!(text.as_bytes()[i], b'\n' | b'\r');
                if len == 0 || is_break(start) || is_break(start + len - 1) {
                    // miette's quirks at the edges (one byte read for an
                    // empty span, a line more after a span ending on a line
                    // break, CR not counted as a column) are not copied.
                    continue;
                }
                assert_eq!(a.data(), b.data(), "{ctx}");
                assert_eq!(a.span(), b.span(), "{ctx}");
                assert_eq!(a.line(), b.line(), "{ctx}");
                assert_eq!(a.column(), b.column(), "{ctx}");
            }
        }
    }
}

#[test]
fn summary_lines() {
    let mut s = Summary {
        files: 12,
        documents: 40,
        objects: 38,
        errors: 2,
        warnings: 5,
        infos: 1,
    };
    assert_eq!(
        summary_line(&s),
        "Found 2 errors, 5 warnings, 1 info in 12 files (40 documents, 38 objects)"
    );
    s.errors = 0;
    s.infos = 0;
    s.warnings = 1;
    assert_eq!(
        summary_line(&s),
        "Found 1 warning in 12 files (40 documents, 38 objects)"
    );
    s.warnings = 0;
    s.files = 1;
    s.documents = 1;
    s.objects = 0;
    assert_eq!(
        summary_line(&s),
        "No problems in 1 file (1 document, 0 objects)"
    );
}

#[test]
#[ignore = "prints the pretty output for eyeballing"]
fn show_pretty() {
    print!("{}", render(Format::Pretty));
}

#[test]
fn pretty_survives_edge_spans() {
    let files = vec![
        SourceFile::new("empty.yaml", String::new()),
        SourceFile::new("crlf.yaml", "a: 1\r\nb: é\r\n".to_string()),
    ];
    let diagnostics = vec![
        Diagnostic::new("KW0001", Severity::Error, 0, Span::new(0, 0), "empty file"),
        // Past the end, and a start inside the two-byte `é`.
        Diagnostic::new(
            "KW0001",
            Severity::Error,
            1,
            Span::new(99, 120),
            "past the end",
        ),
        Diagnostic::new("KW0001", Severity::Error, 1, Span::new(10, 11), "mid-char"),
        // A FileId outside the list.
        Diagnostic::new("KW0001", Severity::Error, 7, Span::new(0, 1), "no file"),
    ];
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        summary: Summary::default(),
        ..Report::default()
    };
    for format in [Format::Pretty, Format::Plain, Format::Json] {
        let mut out = Vec::new();
        write_report(&report, format, &mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("Failed to read"), "{text}");
        assert!(!text.contains('\r'), "{format:?}: {text:?}");
    }
    let mut out = Vec::new();
    write_pretty(&report, &mut out, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("[crlf.yaml:2:4]"), "{text}");
    assert!(text.contains("error[KW0001]: no file"), "{text}");
}

#[test]
#[ignore = "timing comparison with miette's own String source; run with --nocapture"]
fn compare_with_miette_string_source() {
    use std::sync::Arc;
    let n = 5_000;
    let text: String = (0..n).map(|i| format!("key{i}: value{i}\n")).collect();
    let file = SourceFile::new("big.yaml", text.clone());
    let src = Arc::new(text);
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let started = std::time::Instant::now();
    let mut buf = String::new();
    for i in 0..n {
        let start = file.line_start(i);
        let diag = miette::MietteDiagnostic::new(format!("finding {i}"))
            .with_code("KW0002")
            .with_label(miette::LabeledSpan::at(start..start + 3, "here"));
        let report = miette::Report::new(diag)
            .with_source_code(miette::NamedSource::new("big.yaml", Arc::clone(&src)));
        handler.render_report(&mut buf, report.as_ref()).unwrap();
    }
    eprintln!(
        "miette String source: {n} diagnostics in {:?}",
        started.elapsed()
    );
}

/// Markup, quotes, control characters and line breaks in messages and
/// paths: the XML formats stay well-formed, the JSON ones parse, and the
/// line formats keep one line per finding.
#[test]
fn every_format_survives_hostile_text() {
    let files = vec![SourceFile::new(
        "dir/a <&\"'>.yaml",
        "kind: x\nname: y\n".to_string(),
    )];
    let diagnostics = vec![
        Diagnostic::new(
            "KW0005",
            Severity::Error,
            0,
            Span::new(6, 7),
            "bad <tag> & \"quotes\" 'single' \u{1}\u{7f} ]]> 100%\r\nsecond line: a,b",
        )
        .with_help("fix </failure> & co")
        .with_related(0, Span::new(14, 15), "related <x>"),
    ];
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        objects: &[ReportObject {
            file: 0,
            span: Span::new(0, 15),
            id: "Kind/<ns>/&name".to_string(),
        }],
        ..Report::default()
    };
    let render = |format| {
        let mut out = Vec::new();
        write_report(&report, format, &mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    };
    for format in [Format::Junit, Format::Checkstyle] {
        let text = render(format);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut messages = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)) => {
                    if let Some(a) = e.try_get_attribute("message").unwrap() {
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap();
                        assert!(v.contains("<tag> & \"quotes\""), "{v}");
                        messages += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("{format:?} is not well-formed: {e}\n{text}"),
            }
        }
        assert_eq!(messages, 1, "{format:?}");
        assert!(
            !text.contains('\u{1}'),
            "{format:?}: control character kept"
        );
    }
    for format in [Format::Sarif, Format::Gitlab, Format::Json] {
        let value: serde_json::Value = serde_json::from_str(&render(format)).unwrap();
        assert!(value.to_string().contains("<tag>"), "{format:?}");
    }
    let sarif: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir/a%20%3C%26%22%27%3E.yaml"
    );
    for format in [Format::Github, Format::Plain] {
        assert_eq!(render(format).lines().count(), 1, "{format:?}");
    }
    assert!(render(Format::Github).contains("100%25%0D%0Asecond line: a,b%0Ahelp: fix"));
}
