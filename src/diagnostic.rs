//! The one diagnostic type every stage produces and every reporter consumes.

use crate::source::{FileId, Span};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Yaml,
    Schema,
    Deprecation,
    Reference,
    Istio,
    Practice,
    Security,
    Internal,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Yaml => "yaml",
            Category::Schema => "schema",
            Category::Deprecation => "deprecation",
            Category::Reference => "reference",
            Category::Istio => "istio",
            Category::Practice => "practice",
            Category::Security => "security",
            Category::Internal => "internal",
        }
    }
}

/// Identity of the object a finding belongs to, as written in the manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

/// A secondary location ("the pod template whose labels were expected is here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `KW3002`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: FileId,
    pub span: Span,
    /// Short text shown under the primary span in the pretty reporter.
    pub label: Option<String>,
    pub object: Option<ObjectRef>,
    pub related: Vec<Related>,
    /// The deployment unit whose world the finding was made in (set by the
    /// pipeline when the input forms more than one unit).
    pub unit: Option<std::sync::Arc<str>>,
    /// The edits that fix it, if the rule knows them (`kwire lint --fix`).
    pub fix: Option<Box<crate::edit::Fix>>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            help: None,
            file,
            span,
            label: None,
            object: None,
            related: Vec::new(),
            unit: None,
            fix: None,
        }
    }

    /// The same finding, whatever unit it was made in (a base checked in
    /// two overlays says the same thing twice).
    pub fn same_finding(&self, other: &Diagnostic) -> bool {
        self.code == other.code
            && self.file == other.file
            && self.span == other.span
            && self.message == other.message
            && self.severity == other.severity
            && self.help == other.help
            && self.label == other.label
            && self.object == other.object
            && self.related == other.related
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_object(mut self, object: Option<ObjectRef>) -> Self {
        self.object = object;
        self
    }

    /// Attaches a fix (nothing when `fix` is `None`).
    pub fn with_fix(mut self, fix: Option<crate::edit::Fix>) -> Self {
        if let Some(fix) = fix {
            self.fix = Some(Box::new(fix));
        }
        self
    }

    pub fn with_related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }
}
