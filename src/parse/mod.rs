//! YAML (and JSON) text -> documents with spans, plus the diagnostics of the
//! YAML layer (syntax errors, duplicate keys, limits).

pub mod scalar;
pub mod tree;

pub use tree::{Entry, Node, Value};
