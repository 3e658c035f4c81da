//! kwire: a Kubernetes manifest linter that resolves references between objects.

pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod context_files;
pub mod diagnostic;
pub mod discover;
pub mod fingerprint;
pub mod fsio;
pub mod lint;
pub mod model;
pub mod parse;
pub mod policy;
pub mod progress;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod selection;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod text;
pub mod topology;
pub mod units;
