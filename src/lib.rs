//! kwire: a Kubernetes manifest linter that resolves references between objects.

pub mod catalog;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod lint;
pub mod model;
pub mod parse;
pub mod report;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
