//! Objects: typed, span-carrying views over the YAML tree of one document.

pub mod gateway;
pub mod ingress;
pub mod istio;
pub mod kinds;
pub mod names;
pub mod selector;
pub mod service;
pub mod workload;

use std::borrow::Cow;

use crate::diagnostic::{Diagnostic, ObjectRef, Severity};
use crate::parse::{Node, Value};
use crate::source::{FileId, Span};

/// One Kubernetes object as written in a manifest. It owns its part of the
/// YAML tree; views (`pod_template`, `service`, `ingress`) borrow from it.
#[derive(Clone, Debug)]
pub struct Object {
    pub file: FileId,
    /// Position of the document in its file (0-based).
    pub doc_index: usize,
    pub root: Node,
    pub api_version: Option<Box<str>>,
    pub kind: Option<Box<str>>,
    pub name: Option<Box<str>>,
    /// Effective namespace: `metadata.namespace`, else `default`; `None` for
    /// cluster-scoped kinds.
    pub namespace: Option<Box<str>>,
    /// 1-based line of the object, set by the pipeline for objects without
    /// a name only: messages tell unnamed objects apart by it.
    pub line: Option<u32>,
}

impl Object {
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.api_version.as_deref().unwrap_or("")
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    pub fn metadata(&self) -> Option<&Node> {
        self.root.get("metadata")
    }

    /// `metadata.labels` as pairs.
    pub fn labels(&self) -> Vec<(&str, Cow<'_, str>)> {
        selector::string_pairs(self.metadata().and_then(|m| m.get("labels")))
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata()?.get("annotations")?.get_str(key)
    }

    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            api_version: self.api_version.as_deref().map(str::to_string),
            kind: self.kind.as_deref().map(str::to_string),
            namespace: self.namespace.as_deref().map(str::to_string),
            name: self.name.as_deref().map(str::to_string),
        }
    }

    /// `Kind/namespace/name` (cluster-scoped: `Kind//name`), the id used in
    /// messages and in the graph contract.
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.kind(), self.namespace(), self.name())
    }

    /// `Service "web" (namespace shop)`-style description for messages.
    /// Without a name: `Deployment (unnamed, line 3, namespace shop)`, or
    /// `Job (generateName "pi-", ...)`; without a kind, `object`.
    pub fn describe(&self) -> String {
        self.description(true)
    }

    /// `describe` without the namespace, for lists of objects that share it.
    pub fn describe_short(&self) -> String {
        self.description(false)
    }

    fn description(&self, with_namespace: bool) -> String {
        let kind = match self.kind() {
            "" => "object",
            kind => kind,
        };
        let mut notes: Vec<String> = Vec::new();
        let named = match self.name() {
            "" => {
                let generated = self
                    .metadata()
                    .and_then(|m| m.get_str("generateName"))
                    .filter(|g| !g.is_empty());
                notes.push(match generated {
                    Some(prefix) => format!("generateName \"{prefix}\""),
                    None => "unnamed".to_string(),
                });
                if let Some(line) = self.line {
                    notes.push(format!("line {line}"));
                }
                kind.to_string()
            }
            name => format!("{kind} \"{name}\""),
        };
        if let Some(ns) = self.namespace.as_ref().filter(|_| with_namespace) {
            notes.push(format!("namespace {ns}"));
        }
        if notes.is_empty() {
            named
        } else {
            format!("{named} ({})", notes.join(", "))
        }
    }

    /// Span to point at for object-level findings: `metadata.name` if
    /// present, else `kind`, else the document.
    pub fn anchor_span(&self) -> Span {
        self.metadata()
            .and_then(|m| m.get("name"))
            .or_else(|| self.root.get("kind"))
            .map_or(self.root.span, |n| n.span)
    }

    /// A diagnostic about this object.
    pub fn diag(
        &self,
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, severity, self.file, span, message)
            .with_object(Some(self.object_ref()))
    }
}

/// Result of turning one parsed document into objects.
#[derive(Default)]
pub struct Modeled {
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Turns a document's root node into objects: expands `kind: List`, reports
/// documents that are not objects (KW0003, KW0004) and skips kustomize
/// configuration (KW0011).
pub fn model_document(file: FileId, doc_index: usize, root: Node, out: &mut Modeled) {
    if !matches!(root.value, Value::Map(_)) {
        let what = root.type_name();
        out.diagnostics.push(
            Diagnostic::new(
                "KW0003",
                Severity::Error,
                file,
                first_line_span(&root),
                format!("this YAML document is {what}, not a mapping, so it is not a Kubernetes object"),
            )
            .with_help("a manifest document is a mapping with apiVersion, kind and metadata; check the indentation of its first lines"),
        );
        return;
    }
    if is_list(&root) {
        let Value::Map(entries) = root.value else {
            return;
        };
        for entry in entries {
            if entry.key.as_str() != Some("items") {
                continue;
            }
            match entry.value.value {
                Value::Seq(items) => {
                    for item in items {
                        model_document(file, doc_index, item, out);
                    }
                }
                Value::Null => {}
                _ => out.diagnostics.push(Diagnostic::new(
                    "KW0003",
                    Severity::Error,
                    file,
                    entry.value.span,
                    "the `items` of a List must be a sequence of objects",
                )),
            }
        }
        return;
    }
    let api_version = root.get_str("apiVersion").map(Box::from);
    let kind = root.get_str("kind").map(Box::from);
    if api_version
        .as_deref()
        .is_some_and(|v: &str| v.starts_with("kustomize.config.k8s.io/"))
    {
        out.diagnostics.push(
            Diagnostic::new(
                "KW0011",
                Severity::Info,
                file,
                root.get("kind").map_or(first_line_span(&root), |n| n.span),
                "kustomize configuration skipped: it is not an object to apply",
            )
            .with_help("lint what it renders: `kustomize build DIR | kwire lint -`"),
        );
        return;
    }
    let metadata = root.get("metadata");
    let name = metadata.and_then(|m| m.get_str("name")).map(Box::from);
    let namespace = match kind.as_deref() {
        Some(k) if kinds::is_builtin_cluster_scoped(k) => None,
        _ => Some(
            metadata
                .and_then(|m| m.get_str("namespace"))
                .unwrap_or("default")
                .into(),
        ),
    };
    let object = Object {
        file,
        doc_index,
        root,
        api_version,
        kind,
        name,
        namespace,
        line: None,
    };
    report_missing_fields(&object, &mut out.diagnostics);
    out.objects.push(object);
}

fn is_list(root: &Node) -> bool {
    let kind = root.get_str("kind").unwrap_or("");
    root.get("items").is_some()
        && (kind == "List"
            || (kind.ends_with("List")
                && root.get("metadata").is_none_or(|m| m.get("name").is_none())))
}

/// KW0004: what every object must have before the API server looks at it.
fn report_missing_fields(obj: &Object, out: &mut Vec<Diagnostic>) {
    let root = &obj.root;
    let doc_span = first_line_span(root);
    let missing = |field: &str, span: Span, help: &str| {
        obj.diag(
            "KW0004",
            Severity::Error,
            span,
            format!("object has no `{field}`"),
        )
        .with_help(help.to_string())
    };
    for (field, help) in [
        (
            "apiVersion",
            "add the API version of the kind, e.g. `apiVersion: apps/v1`",
        ),
        ("kind", "add the kind of object, e.g. `kind: Deployment`"),
    ] {
        match root.get(field) {
            None => out.push(missing(field, doc_span, help)),
            Some(n) if n.as_str().is_none_or(str::is_empty) => out.push(
                obj.diag(
                    "KW0004",
                    Severity::Error,
                    n.span,
                    format!(
                        "`{field}` must be a non-empty string, not {}",
                        n.type_name()
                    ),
                )
                .with_help(help.to_string()),
            ),
            Some(_) => {}
        }
    }
    let metadata = root.get("metadata");
    let has_name = metadata.is_some_and(|m| {
        m.get_str("name").is_some_and(|s| !s.is_empty())
            || m.get_str("generateName").is_some_and(|s| !s.is_empty())
    });
    if !has_name {
        let span = root.entry("metadata").map_or(doc_span, |e| e.key.span);
        out.push(missing(
            "metadata.name",
            span,
            "every object needs `metadata.name` (or `metadata.generateName` for `kubectl create`)",
        ));
    }
}

/// The first line of a node, for findings about a whole document.
pub fn first_line_span(node: &Node) -> Span {
    let start = node.span.start;
    let first_key_end = match &node.value {
        Value::Map(entries) => entries.first().map(|e| e.key.span.end),
        _ => None,
    };
    Span {
        start,
        end: first_key_end.unwrap_or(node.span.end).max(start),
    }
}
