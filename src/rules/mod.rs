//! Rule framework: metadata, the registry, and the per-object checks.

use crate::diagnostic::{Category, Severity};

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

macro_rules! meta {
    ($code:literal, $name:literal, $cat:ident, $sev:ident, $summary:literal) => {
        RuleMeta {
            code: $code,
            name: $name,
            category: Category::$cat,
            severity: Severity::$sev,
            summary: $summary,
        }
    };
}

/// Rules whose diagnostics come from the discovery, parse and model stages
/// rather than from a per-object check.
pub static STAGE_RULES: &[RuleMeta] = &[
    meta!(
        "KW0001",
        "yaml-syntax-error",
        Yaml,
        Error,
        "The file is not valid YAML"
    ),
    meta!(
        "KW0002",
        "duplicate-key",
        Yaml,
        Error,
        "A mapping defines the same key twice"
    ),
    meta!(
        "KW0003",
        "document-not-a-mapping",
        Yaml,
        Error,
        "A YAML document is not a mapping, so it is not a Kubernetes object"
    ),
    meta!(
        "KW0004",
        "missing-required-field",
        Yaml,
        Error,
        "An object lacks apiVersion, kind or metadata.name"
    ),
    meta!(
        "KW0005",
        "invalid-object-name",
        Yaml,
        Error,
        "metadata.name or namespace breaks the DNS naming rules of its kind"
    ),
    meta!(
        "KW0006",
        "invalid-label",
        Yaml,
        Error,
        "A label key or value breaks the Kubernetes label syntax"
    ),
    meta!(
        "KW0007",
        "invalid-annotation-key",
        Yaml,
        Error,
        "An annotation key breaks the Kubernetes key syntax"
    ),
    meta!(
        "KW0008",
        "non-string-value",
        Yaml,
        Error,
        "A field that must be a string holds a boolean or a number (YAML 1.1 `yes`, `on`, `80`)"
    ),
    meta!(
        "KW0009",
        "unreadable-file",
        Yaml,
        Error,
        "A file could not be read (permissions, not UTF-8, missing, a loop)"
    ),
    meta!(
        "KW0010",
        "duplicate-object",
        Yaml,
        Error,
        "The same kind/namespace/name is defined twice"
    ),
    meta!(
        "KW0011",
        "not-a-manifest",
        Yaml,
        Info,
        "A kustomization or Helm chart was skipped: it is not a set of objects to apply"
    ),
    meta!(
        "KW0012",
        "yaml-limit-exceeded",
        Yaml,
        Error,
        "YAML nesting or alias expansion goes past kwire's safety limits"
    ),
];

/// Metadata of a registered rule by code.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    STAGE_RULES.iter().find(|m| m.code == code)
}
