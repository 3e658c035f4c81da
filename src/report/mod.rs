//! Reporters: formatting is the only thing they do.

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// Counts for the report header and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Everything a reporter needs. `diagnostics` are already sorted by file,
/// line, column, code; `diagnostic.file` indexes `files`.
pub struct Report<'a> {
    pub files: &'a [SourceFile],
    pub diagnostics: &'a [Diagnostic],
    pub summary: Summary,
}
