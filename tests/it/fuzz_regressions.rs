//! The fuzz targets of `fuzz/` in `cargo test`: every input a campaign
//! found a defect with (`fuzz/regressions/TARGET/`) and every seed of the
//! corpus (`fuzz/corpus/TARGET/`) is replayed through the same check the
//! target makes (`report_checks`), so a fixed bug stays fixed without
//! cargo-fuzz or a nightly toolchain.

use crate::report_checks::{self, Checked};

fn replay(target: &str, check: fn(&[u8]) -> Checked) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut inputs = Vec::new();
    for dir in ["regressions", "corpus"] {
        let dir = format!("{root}/fuzz/{dir}/{target}");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_file() && path.extension().is_none_or(|x| x != "md") {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "no seeds for {target}");
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).unwrap();
            check(&bytes)
                .err()
                .map(|e| format!("{}: {e}", path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn lint_inputs_give_valid_reports_as_file_and_stdin() {
    replay("lint", report_checks::lint_target);
}

#[test]
fn every_format_reads_back_for_the_fuzz_inputs() {
    replay("formats", report_checks::formats_target);
}

#[test]
fn graph_and_trace_keep_their_contracts_for_the_fuzz_inputs() {
    replay("graph", report_checks::graph_target);
}

/// The checks are not vacuous: each rejects a report that breaks it.
#[test]
fn the_checks_reject_broken_reports() {
    use report_checks::{Input, json_report};
    let input = Input::new("<stdin>", b"a: 1\r\nbb: 2\rc");
    assert_eq!(input.line_count(), 3, "CRLF and a lone CR each end a line");
    assert!(input.position(2, 6, "").is_ok(), "just past `bb: 2`");
    assert!(
        input.position(1, 6, "").is_ok(),
        "between the CR and the LF"
    );
    assert!(input.position(2, 7, "").is_err(), "past the line");
    assert!(input.position(4, 1, "").is_err(), "past the input");
    assert!(input.position(1, 0, "").is_err(), "columns are 1-based");
    let report = |line: u64, file: &str| {
        format!(
            "{{\"version\":1,\"summary\":{{\"files\":1,\"documents\":1,\"objects\":0,\"errors\":1,\"warnings\":0,\"infos\":0}},\"diagnostics\":[{{\"code\":\"KW0001\",\"rule\":\"yaml-syntax-error\",\"category\":\"yaml\",\"severity\":\"error\",\"message\":\"m\",\"help\":null,\"file\":\"{file}\",\"line\":{line},\"column\":1,\"end_line\":{line},\"end_column\":1,\"object\":null,\"related\":[]}}]}}\n"
        )
    };
    let good = json_report(&report(3, "<stdin>"), &input);
    assert!(good.is_ok(), "{good:?}");
    assert!(json_report(&report(4, "<stdin>"), &input).is_err());
    assert!(json_report(&report(1, "other.yaml"), &input).is_err());
    assert!(
        json_report("{\"version\":1}\n", &input).is_err(),
        "off contract"
    );
    assert!(json_report("", &input).is_err(), "empty output");
    let findings = good.unwrap();
    assert!(report_checks::plain("<stdin>:3:1: error[KW0001] m\n", &input, &findings).is_ok());
    assert!(report_checks::plain("<stdin>:2:1: error[KW0001] m\n", &input, &findings).is_err());
    assert!(report_checks::checkstyle("<checkstyle><error line=\"3\"", &findings).is_err());
    assert!(report_checks::junit("<testsuites></testsuites>", &findings).is_err());
}
