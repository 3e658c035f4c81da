//! parse → model → rules: the bytes linted as a file and as stdin give one
//! valid JSON report each, on the contract, every position inside the input.
//! The check is `tests/it/report_checks.rs`, shared with `cargo test`.

#![no_main]

#[path = "../../tests/it/report_checks.rs"]
mod report_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = report_checks::lint_target(data) {
        panic!("{e}");
    }
});
