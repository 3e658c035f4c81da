//! Every output format of the report of the bytes (as stdin): JSON on its
//! contract, SARIF in shape, plain/github/gitlab/junit/checkstyle parsed
//! back to the same findings at the same places, all inside the input.
//! The check is `tests/it/report_checks.rs`, shared with `cargo test`.

#![no_main]

#[path = "../../tests/it/report_checks.rs"]
mod report_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = report_checks::formats_target(data) {
        panic!("{e}");
    }
});
