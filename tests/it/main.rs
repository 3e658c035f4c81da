//! All integration tests in one binary: one link of the crate and its
//! dependencies instead of one per file (issue 18: set-up time). Each
//! module is what used to be its own `tests/NAME.rs`.

mod accuracy;
mod bench_corpus;
mod cli;
mod config;
mod corpus_real;
mod cross_rules;
mod deprecation_table;
mod fix;
mod formats;
mod fuzz_regressions;
mod graph;
mod graph_render;
mod hostile_rules;
mod ingress_rules;
mod istio;
mod layering;
mod parse_hostile;
mod peer_fixtures;
mod proptest_reports;
mod report_checks;
mod robustness;
mod rollout;
mod rule_docs;
mod rule_fixtures;
mod schema;
mod seeds;
mod trace;
mod units;
mod usability;
