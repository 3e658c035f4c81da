//! Objects: typed, span-carrying views over the YAML tree of one document.

pub mod dns_ref;
pub mod foreign;
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
use crate::parse::{Node, ParsedFile, Value};
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
/// documents that are not objects (KW0003, KW0004) and leaves out the
/// documents that are not for the API server (`foreign`), noting kustomize
/// configuration (KW0011). Call it for the documents of a manifest only
/// (`classify_file`).
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
    if let Some(reason) = foreign::recognise(&root) {
        note_always(file, &root, reason, &mut out.diagnostics);
        return;
    }
    let api_version = root.get_str("apiVersion").map(Box::from);
    let kind = root.get_str("kind").map(Box::from);
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

/// The KW0011 note a kind of foreign document always gets (kustomize's).
fn note_always(
    file: FileId,
    root: &Node,
    reason: &foreign::NotAnObject,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some((message, help)) = reason.always_noted else {
        return false;
    };
    out.push(
        Diagnostic::new(
            "KW0011",
            Severity::Info,
            file,
            root.get("kind").map_or(first_line_span(root), |n| n.span),
            message,
        )
        .with_help(help),
    );
    true
}

/// What a file is: a manifest to lint, or a file to skip.
///
/// The rule (README, "Which files are manifests"): a file is a manifest
/// when one of its documents is an object or was clearly meant to be one —
/// a mapping with both `apiVersion` and `kind` that `foreign` does not
/// recognise, a mapping with one of the two and a `metadata.name` (or
/// `generateName`), or a sequence holding such a mapping (KW0003's
/// indentation slip). Everything else is skipped, KW0001-KW0004 included,
/// with one exception: when YAML syntax errors or limits (KW0001, KW0012)
/// cost the file a document, the file is still linted (its errors reported)
/// unless a document that did parse shows it is something else — a
/// foreign document, or one with neither `apiVersion` nor `kind`. A broken
/// manifest never vanishes; a broken docker-compose.yml next to a good one
/// is not reported.
#[derive(Debug, PartialEq, Eq)]
pub enum FileClass {
    Manifest,
    /// Skipped; the KW0011 note `--show-skipped` gives it.
    NotManifest(Skip),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Skip {
    /// Why, after "not a Kubernetes manifest: ".
    pub reason: String,
    pub help: &'static str,
}

/// What one document says about its file.
enum Shape {
    /// An object, or a document meant to be one.
    Object,
    /// Looks like an object but is not for the API server.
    Foreign(&'static foreign::NotAnObject),
    /// A mapping with only one of `apiVersion` and `kind`, and no name.
    Partial,
    /// Anything else: a mapping with neither, a scalar, a list of non-objects.
    Other,
}

fn shape(root: &Node) -> Shape {
    match &root.value {
        Value::Map(_) => {
            let api_version = root.get("apiVersion").is_some();
            let kind = root.get("kind").is_some();
            if api_version && kind {
                return foreign::recognise(root).map_or(Shape::Object, Shape::Foreign);
            }
            if !api_version && !kind {
                return Shape::Other;
            }
            let named = root.get("metadata").is_some_and(|m| {
                ["name", "generateName"]
                    .iter()
                    .any(|k| m.get_str(k).is_some_and(|s| !s.is_empty()))
            });
            if named { Shape::Object } else { Shape::Partial }
        }
        // Only mappings are looked at inside: a sequence of sequences of
        // objects is not a slip anyone makes.
        Value::Seq(items) => {
            let object = items
                .iter()
                .any(|i| i.as_map().is_some() && matches!(shape(i), Shape::Object));
            if object { Shape::Object } else { Shape::Other }
        }
        _ => Shape::Other,
    }
}

/// Decides whether a parsed file is a manifest (see [`FileClass`]).
pub fn classify_file(parsed: &ParsedFile) -> FileClass {
    let shapes: Vec<Shape> = parsed.documents.iter().map(|d| shape(&d.root)).collect();
    if shapes.iter().any(|s| matches!(s, Shape::Object)) {
        return FileClass::Manifest;
    }
    // A syntax error may have eaten the object; only a document that
    // parsed and is plainly something else tells otherwise.
    if parsed.dropped > 0 && shapes.iter().all(|s| matches!(s, Shape::Partial)) {
        return FileClass::Manifest;
    }
    let foreign = shapes.iter().find_map(|s| match s {
        Shape::Foreign(f) => Some(*f),
        _ => None,
    });
    let (mut reason, help) = match foreign {
        Some(f) => (f.what.to_string(), FOREIGN_HELP),
        None if shapes.is_empty() => (
            "it holds no YAML document".to_string(),
            "nothing to fix: an empty file has nothing to apply",
        ),
        None => (
            "no document has both apiVersion and kind".to_string(),
            "nothing to fix if it is not meant to hold Kubernetes objects; if it is, give each document `apiVersion`, `kind` and `metadata.name`",
        ),
    };
    if parsed.dropped > 0 {
        reason.push_str(" (its YAML errors are not reported either)");
    }
    FileClass::NotManifest(Skip { reason, help })
}

const FOREIGN_HELP: &str = "nothing to fix: kwire checks only objects to apply to a cluster";

/// A file skipped for its name alone (Helm's `Chart.yaml`, `values.yaml`;
/// see `foreign`), before it is parsed.
pub fn skipped_by_name(path: &str) -> Option<Skip> {
    foreign::by_file_name(path).map(|f| Skip {
        reason: f.what.to_string(),
        help: FOREIGN_HELP,
    })
}

/// The notes of a skipped file: the ones its documents always get
/// (kustomize's), and the `--show-skipped` note when it has none of those.
pub fn note_skipped(
    file: FileId,
    parsed: &ParsedFile,
    skip: &Skip,
    show_skipped: bool,
    out: &mut Vec<Diagnostic>,
) {
    let mut noted = false;
    for doc in &parsed.documents {
        if let Some(reason) = foreign::recognise(&doc.root) {
            noted |= note_always(file, &doc.root, reason, out);
        }
    }
    if show_skipped && !noted {
        out.push(skipped_note(file, skip));
    }
}

/// The `--show-skipped` note of a skipped file (at its start).
pub fn skipped_note(file: FileId, skip: &Skip) -> Diagnostic {
    Diagnostic::new(
        "KW0011",
        Severity::Info,
        file,
        Span::default(),
        format!("not a Kubernetes manifest: {}", skip.reason),
    )
    .with_help(skip.help)
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
