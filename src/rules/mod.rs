//! Rule framework: metadata, the registry, embedded docs, and the
//! per-object checks. A rule never parses, prints or touches the file system.

pub mod docs;
pub mod reference;
pub mod schema;
pub mod structure;

use crate::catalog::Catalog;
use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::model::Object;

/// What every rule declares about itself; `rules/CODE.md` holds the long doc.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: never reused, never changes meaning.
    pub code: &'static str,
    /// kebab-case name, e.g. `service-selector-matches-nothing`.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line for `kwire rules`.
    pub summary: &'static str,
}

/// A rule that looks at one object at a time, with the whole catalog to
/// resolve references.
pub trait Check: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>);
}

macro_rules! rule_meta {
    ($code:literal, $name:literal, $cat:ident, $sev:ident, $summary:literal) => {
        $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::diagnostic::Category::$cat,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
        }
    };
}
pub(crate) use rule_meta;

/// Rules whose diagnostics come from the discovery, parse and model stages
/// rather than from a per-object check.
pub static STAGE_RULES: &[RuleMeta] = &[
    rule_meta!(
        "KW0001",
        "yaml-syntax-error",
        Yaml,
        Error,
        "The file is not valid YAML"
    ),
    rule_meta!(
        "KW0002",
        "duplicate-key",
        Yaml,
        Error,
        "A mapping defines the same key twice"
    ),
    rule_meta!(
        "KW0003",
        "document-not-a-mapping",
        Yaml,
        Error,
        "A YAML document is not a mapping, so it is not a Kubernetes object"
    ),
    rule_meta!(
        "KW0004",
        "missing-required-field",
        Yaml,
        Error,
        "An object lacks apiVersion, kind or metadata.name"
    ),
    rule_meta!(
        "KW0009",
        "unreadable-file",
        Yaml,
        Error,
        "A file could not be read (missing, permissions, not UTF-8, a directory loop)"
    ),
    rule_meta!(
        "KW0011",
        "not-a-manifest",
        Yaml,
        Info,
        "A kustomization or Helm chart was skipped: it is not a set of objects to apply"
    ),
    rule_meta!(
        "KW0012",
        "yaml-limit-exceeded",
        Yaml,
        Error,
        "YAML nesting or alias expansion goes past kwire's safety limits"
    ),
];

/// Every per-object check, in code order.
pub static CHECKS: &[&dyn Check] = &[
    &structure::invalid_object_name::Rule,
    &structure::invalid_label::Rule,
    &structure::invalid_annotation_key::Rule,
    &structure::non_string_value::Rule,
    &structure::duplicate_object::Rule,
    &schema::validation::Rule,
    &reference::workload_selector_mismatch::Rule,
    &reference::service_selector_matches_nothing::Rule,
];

/// Every rule kwire knows, sorted by code.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = STAGE_RULES
        .iter()
        .chain(CHECKS.iter().map(|c| c.meta()))
        .chain(schema::OTHER_CODES.iter().copied())
        .collect();
    all.sort_by_key(|m| m.code);
    all
}

/// Metadata of a registered rule by code.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    STAGE_RULES
        .iter()
        .find(|m| m.code == code)
        .or_else(|| CHECKS.iter().map(|c| c.meta()).find(|m| m.code == code))
        .or_else(|| schema::OTHER_CODES.iter().copied().find(|m| m.code == code))
}

/// A finding of `meta`'s rule about `obj`, at the rule's default severity.
pub fn finding(
    meta: &'static RuleMeta,
    obj: &Object,
    span: crate::source::Span,
    message: impl Into<String>,
) -> Diagnostic {
    obj.diag(meta.code, meta.severity, span, message)
}
