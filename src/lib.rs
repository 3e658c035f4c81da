//! kwire: a Kubernetes manifest linter that resolves references between objects.

pub mod diagnostic;
pub mod discover;
pub mod parse;
pub mod report;
pub mod rules;
pub mod source;
