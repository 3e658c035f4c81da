//! YAML (and JSON) text -> documents with spans, plus the diagnostics of the
//! YAML layer (syntax errors, duplicate keys, limits).
//!
//! granit-parser turns the text into events with byte spans; [`builder`]
//! turns those events into one span-carrying [`Node`] tree per document with
//! an explicit stack (no recursion), resolving aliases and merge keys the way
//! go-yaml v2 (Kubernetes' reader) does.

mod builder;
pub mod scalar;
pub mod tree;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceFile, Span};

pub use builder::{
    ALIAS_NODE_BUDGET, FILE_ALIAS_NODE_BUDGET, MAX_DEPTH, RUN_ALIAS_NODE_BUDGET, RunBudget,
};
pub use tree::{Entry, Node, Value};

/// One non-empty YAML document of a stream.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedDocument {
    pub root: Node,
    pub span: Span,
    /// 0-based position of the document in the stream, counting every
    /// document granit saw (empty and broken ones included), so it matches
    /// what `yq`'s `documentIndex` would say.
    pub index: usize,
}

/// A comment that mentions `kwire:` (suppressions such as
/// `# kwire: ignore[KW3101]`); other comments are not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, `#` included.
    pub span: Span,
    /// The text after `#`.
    pub text: Box<str>,
}

#[derive(Debug, Default)]
pub struct ParsedFile {
    pub documents: Vec<ParsedDocument>,
    pub diagnostics: Vec<Diagnostic>,
    pub comments: Vec<Comment>,
    /// How many times the parser gave up on a document (a syntax error,
    /// KW0001, or a limit, KW0012) and dropped what it had of it: the file
    /// may hold more than `documents` shows.
    pub dropped: usize,
}

/// Parses every document of `source`. Never panics and never recurses on
/// input structure; broken documents become diagnostics and the others load.
pub fn parse_file(file: FileId, source: &SourceFile) -> ParsedFile {
    builder::build(file, &source.text, &RunBudget::default())
}

/// [`parse_file`] within a run: the files of one run share one alias
/// budget ([`RUN_ALIAS_NODE_BUDGET`]).
pub fn parse_file_in_run(file: FileId, source: &SourceFile, run: &RunBudget) -> ParsedFile {
    builder::build(file, &source.text, run)
}
