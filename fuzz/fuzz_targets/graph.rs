//! `kwire graph` and `kwire trace` of the bytes (as stdin): no panic, every
//! graph format written, graph and trace JSON on their contracts, every
//! line they name inside the input.
//! The check is `tests/it/report_checks.rs`, shared with `cargo test`.

#![no_main]

#[path = "../../tests/it/report_checks.rs"]
mod report_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = report_checks::graph_target(data) {
        panic!("{e}");
    }
});
