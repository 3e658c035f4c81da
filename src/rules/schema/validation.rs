//! KW1001–KW1006: validates each object against its schema (bundled
//! Kubernetes version, a CRD of the run, or `--schema-dir`) and maps every
//! error back to the span of the field through its JSON pointer.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use jsonschema::{JsonType, ValidationError};
use serde_json::Value as Json;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Object, first_line_span};
use crate::parse::{Node, Value};
use crate::rules::schema::{
    INVALID_VALUE, MISSING_REQUIRED, MISSING_SCHEMA, UNKNOWN_FIELD, UNKNOWN_KIND, WRONG_TYPE,
    nearest,
};
use crate::rules::{Check, RuleMeta};
use crate::schema::json::{Target, describe_path, drop_nulls, resolve, to_json};
use crate::schema::{Origin, Resolved};

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &UNKNOWN_FIELD
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(api_version), Some(kind)) = (obj.api_version.as_deref(), obj.kind.as_deref())
        else {
            return;
        };
        let registry = catalog.schemas();
        let cell = registry.resolve(api_version, kind);
        let Some(resolved) = cell.get() else {
            return;
        };
        let settings = catalog.settings();
        match resolved {
            Resolved::Found {
                fast,
                schema,
                origin,
                ..
            } => {
                // A CRD of an alternative unit (another sample, another
                // overlay) does not define the kind for this object.
                if let Origin::Crd { file, .. } = origin
                    && catalog.in_file(*file).next().is_none()
                {
                    return;
                }
                // Most objects are valid: checking kwire's tree directly is
                // much cheaper than copying it to JSON and collecting errors.
                if fast.is_valid(&obj.root) {
                    return;
                }
                let Some(validator) = resolved.full_validator() else {
                    return;
                };
                let mut instance = to_json(&obj.root);
                if origin.prunes_nulls() {
                    // The API server prunes nulls of non-nullable fields
                    // of custom resources before validating them.
                    drop_nulls(&mut instance);
                }
                let mut ctx = Ctx {
                    obj,
                    schema,
                    origin,
                    strict: settings.strict,
                    partial: registry.in_kustomize_dir(obj),
                    misindent_is_kw4014: matches!(origin, Origin::Istio)
                        && kind == "VirtualService",
                    registry,
                    target: settings.kube_version,
                    crd_schema: registry.crd_schema(api_version, kind),
                    crd_related: None,
                    text: crate::rules::fixable::source(catalog, obj),
                    out,
                };
                for error in validator.iter_errors(&instance) {
                    ctx.report(&error);
                }
            }
            Resolved::UnknownKind { near } => {
                let span = obj.root.get("kind").map_or(obj.anchor_span(), |n| n.span);
                let mut d = obj
                    .diag(
                        UNKNOWN_KIND.code,
                        UNKNOWN_KIND.severity,
                        span,
                        format!("`{api_version}` has no kind `{kind}`; did you mean `{near}`?"),
                    )
                    .with_label("unknown kind");
                d = d.with_help(format!("did you mean `{near}`?"));
                out.push(d);
            }
            Resolved::OtherVersion => {}
            Resolved::Missing => {
                if settings.ignore_missing_schemas || !registry.is_first_of_kind(obj) {
                    return;
                }
                let span = obj.root.get("kind").map_or(obj.anchor_span(), |n| n.span);
                out.push(
                    obj.diag(
                        MISSING_SCHEMA.code,
                        MISSING_SCHEMA.severity,
                        span,
                        format!(
                            "no schema for {kind} ({api_version}): the fields of every {kind} are not checked"
                        ),
                    )
                    .with_help(
                        "add its CustomResourceDefinition to the input, or pass `--schema-dir DIR` \
                         with schemas in kubeconform's layout; `--ignore-missing-schemas` silences this",
                    ),
                );
            }
            Resolved::Broken { origin, reason } => {
                if settings.ignore_missing_schemas || !registry.is_first_of_kind(obj) {
                    return;
                }
                let span = obj.root.get("kind").map_or(obj.anchor_span(), |n| n.span);
                let mut d = obj.diag(
                    MISSING_SCHEMA.code,
                    MISSING_SCHEMA.severity,
                    span,
                    format!(
                        "the schema for {kind} ({api_version}) from {} cannot be used, so its fields are not checked: {reason}",
                        origin_text(origin)
                    ),
                );
                if let Origin::Crd { file, span } = origin {
                    d = d.with_related(*file, *span, "the CustomResourceDefinition's schema");
                }
                out.push(d);
            }
        }
    }
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Builtin(v) => format!("the Kubernetes {v} API"),
        Origin::Crd { .. } => "its CustomResourceDefinition".to_string(),
        Origin::File(p) => p.display().to_string(),
        Origin::Istio => {
            "kwire's Istio networking schema (schemas/istio-networking.yaml)".to_string()
        }
    }
}

struct Ctx<'r> {
    obj: &'r Object,
    schema: &'r Json,
    origin: &'r Origin,
    strict: bool,
    /// A kustomize input: patches and bases may leave out required fields.
    partial: bool,
    /// A VirtualService checked against kwire's Istio schema: KW4014 explains
    /// its mis-indented routes (a null field with its content beside it)
    /// better than an unknown field plus a missing one, so those are left to it.
    misindent_is_kw4014: bool,
    /// For "added in 1.30": the bundled schemas of newer versions.
    registry: &'r crate::schema::Registry<'r>,
    /// The Kubernetes version the user targets (`--kube-version`).
    target: crate::settings::KubeVersion,
    /// The CRD's `openAPIV3Schema` node when the schema comes from one.
    crd_schema: Option<&'r Node>,
    /// Where the error being reported is defined in the CRD (set per error).
    crd_related: Option<(crate::source::Span, String)>,
    /// The object's file, for the "did you mean" fix of KW1001.
    text: crate::edit::Text<'r>,
    out: &'r mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn report(&mut self, error: &ValidationError<'_>) {
        let segments: Vec<String> = error
            .instance_path()
            .iter()
            .map(|s| segment_text(&s))
            .collect();
        let target = resolve(&self.obj.root, &segments);
        if target.path.len() < joined_len(&segments) {
            // The pointer leads past the tree (cannot happen for errors
            // about values that exist); stay silent rather than misplace.
            return;
        }
        self.crd_related = self
            .crd_schema
            .map(|schema| crd_definition(schema, &segments));
        let kind = self.obj.kind();
        let at = describe_path(&target.path);
        let field = segments.last().map_or("the object", String::as_str);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed = allowed_properties(self.schema, error);
                for name in unexpected.iter().filter(|n| !is_patch_directive(n)) {
                    let added = match self.origin {
                        Origin::Builtin(_) => {
                            self.registry
                                .added_in(self.obj.api_version(), kind, |newer| {
                                    allowed_properties(newer, error).contains(&name.as_str())
                                })
                        }
                        _ => None,
                    };
                    self.unknown_field(&target, name, &allowed, added);
                }
            }
            ValidationErrorKind::FalseSchema => {
                // `additionalProperties: false` reached through a parent.
                if let Some(parent) = segments.split_last().map(|(_, p)| p) {
                    let parent_target = resolve(&self.obj.root, parent);
                    self.unknown_field(&parent_target, field, &[], None);
                }
            }
            ValidationErrorKind::Type { kind: expected } => {
                let expected = types_text(expected);
                if self.kw0008_covers(&segments, &target, expected.contains("string")) {
                    return;
                }
                self.wrong_type(&target, field, &expected);
            }
            ValidationErrorKind::Required { .. } if self.partial => {}
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?");
                let written_null = target.node.as_map().is_some_and(|m| {
                    m.iter()
                        .any(|e| crate::schema::json::key_text(&e.key) == name && e.value.is_null())
                });
                if self.misindent_is_kw4014 && written_null {
                    return;
                }
                if name == "pathType" && kind == "Ingress" && is_ingress_path(&segments) {
                    // KW3206 reports it, with the pathType the path needs.
                    return;
                }
                let span = match target.key {
                    Some(key) => key.span,
                    None => first_line_span(target.node),
                };
                let where_ = if target.path.is_empty() {
                    kind.to_string()
                } else {
                    format!("{kind} {at}")
                };
                self.push(
                    &MISSING_REQUIRED,
                    MISSING_REQUIRED.severity,
                    span,
                    format!("missing required field `{name}` in {where_}"),
                    format!("`{name}` is missing here"),
                    format!("add `{name}` under {}", describe_path(&target.path)),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let values: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Json::as_str).collect())
                    .unwrap_or_default();
                let text = value_text(target.node);
                let list = values
                    .iter()
                    .map(|v| if v.is_empty() { "\"\"" } else { v })
                    .collect::<Vec<_>>()
                    .join(", ");
                let help = match target
                    .node
                    .as_str()
                    .and_then(|s| nearest(s, values.iter().copied()))
                {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("use one of: {list}"),
                };
                self.push(
                    &INVALID_VALUE,
                    INVALID_VALUE.severity,
                    target.node.span,
                    format!("invalid value {text} for {kind} {at}; expected one of: {list}"),
                    "not an allowed value".to_string(),
                    help,
                );
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                let flat: Vec<&ValidationError<'_>> = context.iter().flatten().collect();
                let quantity = flat
                    .iter()
                    .any(|e| matches!(e.kind(), ValidationErrorKind::Pattern { pattern } if pattern.contains("KMGTPE")));
                let types: Vec<String> = flat
                    .iter()
                    .filter_map(|e| match e.kind() {
                        ValidationErrorKind::Type { kind } => Some(types_text(kind)),
                        _ => None,
                    })
                    .collect();
                if quantity {
                    let text = value_text(target.node);
                    self.push(
                        &INVALID_VALUE,
                        INVALID_VALUE.severity,
                        target.node.span,
                        format!("{text} is not a valid quantity for {kind} {at}"),
                        "not a quantity".to_string(),
                        "a quantity is a number with an optional suffix: `100m`, `0.5`, `128Mi`, `1Gi`, `2` (binary suffixes Ki Mi Gi Ti Pi Ei, decimal n u m k M G T P E)".to_string(),
                    );
                } else if types.len() == flat.len() && !types.is_empty() {
                    let mut expected: Vec<String> = Vec::new();
                    for t in types.iter().flat_map(|t| t.split(" or ")) {
                        if !expected.iter().any(|e| e == t) {
                            expected.push(t.to_string());
                        }
                    }
                    self.wrong_type(&target, field, &expected.join(" or "));
                } else {
                    self.generic(&target, error);
                }
            }
            _ => self.generic(&target, error),
        }
    }

    /// `added`: the first newer Kubernetes version whose schema has the field.
    fn unknown_field(
        &mut self,
        parent: &Target<'_>,
        name: &str,
        allowed: &[&str],
        added: Option<crate::settings::KubeVersion>,
    ) {
        let Some(entry) = parent.node.as_map().and_then(|m| {
            m.iter()
                .find(|e| crate::schema::json::key_text(&e.key) == name)
        }) else {
            return;
        };
        let kind = self.obj.kind();
        let at = if parent.path.is_empty() {
            kind.to_string()
        } else {
            format!("{kind} {}", parent.path)
        };
        // `key:` with nothing under it right before the unknown field: the
        // field most likely lost one level of indentation.
        let entries = parent.node.as_map().unwrap_or(&[]);
        let empty_before = entries
            .iter()
            .position(|e| std::ptr::eq(e, entry))
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| entries.get(i))
            .filter(|e| e.value.is_null())
            .map(|e| crate::schema::json::key_text(&e.key));
        if self.misindent_is_kw4014 && empty_before.is_some() {
            return;
        }
        if let Some(version) = added {
            let severity = if self.strict {
                UNKNOWN_FIELD.severity
            } else {
                Severity::Warning
            };
            let target = self.target;
            self.push(
                &UNKNOWN_FIELD,
                severity,
                entry.key.span,
                format!(
                    "field `{name}` in {at} was added in Kubernetes {version}; your target is {target}, whose API server does not know it"
                ),
                format!("added in {version}"),
                format!(
                    "if every cluster you deploy to runs {version} or later, target it (`--kube-version {version}` or `kube-version: \"{version}\"` in .kwire.yaml); otherwise remove the field"
                ),
            );
            return;
        }
        let misindented = empty_before.is_some();
        let help = match (nearest(name, allowed.iter().copied()), empty_before) {
            (_, Some(empty)) => format!(
                "`{empty}` above it is empty: if `{name}` belongs under `{empty}`, indent it one level deeper"
            ),
            (Some(near), None) => format!("did you mean `{near}`?"),
            (None, None) if !allowed.is_empty() && allowed.len() <= 12 => {
                format!("fields allowed here: {}", allowed.join(", "))
            }
            (None, None) => "remove it, or move it to the level where it belongs".to_string(),
        };
        let mut message = format!("unknown field `{name}` in {at}");
        if let Some(near) = nearest(name, allowed.iter().copied()) {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        let severity = if self.strict {
            UNKNOWN_FIELD.severity
        } else {
            Severity::Warning
        };
        self.push(
            &UNKNOWN_FIELD,
            severity,
            entry.key.span,
            message,
            "unknown field".to_string(),
            help,
        );
        // Unsafe: a rename only when one allowed field is that close and
        // the mapping does not have it already.
        let near = nearest(name, allowed.iter().copied()).filter(|near| {
            !misindented
                && crate::rules::fixable::only_close(name, near, allowed.iter().copied())
                && parent.node.get(near).is_none()
        });
        if let (Some(near), Some(d)) = (near, self.out.last_mut()) {
            let fix = crate::edit::Fix::unsafe_(
                format!("rename `{name}` to `{near}`"),
                self.text
                    .replace_scalar(&entry.key, near)
                    .into_iter()
                    .collect(),
            );
            d.fix = fix.map(Box::new);
        }
    }

    fn wrong_type(&mut self, target: &Target<'_>, field: &str, expected: &str) {
        let kind = self.obj.kind();
        let at = describe_path(&target.path);
        let got = match &target.node.value {
            Value::Seq(_) | Value::Map(_) | Value::Null => {
                format!("it is {}", target.node.type_name())
            }
            _ => format!("{} is {}", value_text(target.node), target.node.type_name()),
        };
        let help = match (&target.node.value, expected) {
            (Value::Str(s), e) if e.contains("integer") && s.trim().parse::<i64>().is_ok() => {
                format!("remove the quotes: {}", s.trim())
            }
            (Value::Bool(_) | Value::Int(_) | Value::Float(_), e) if e.contains("string") => {
                format!(
                    "quote it: \"{}\"",
                    target.node.scalar_text().unwrap_or_default()
                )
            }
            _ => format!("`{field}` takes {expected}"),
        };
        self.push(
            &WRONG_TYPE,
            WRONG_TYPE.severity,
            target.node.span,
            format!("{kind} {at} must be {expected}, but {got}"),
            format!("expected {expected}"),
            help,
        );
    }

    fn generic(&mut self, target: &Target<'_>, error: &ValidationError<'_>) {
        let kind = self.obj.kind();
        let at = describe_path(&target.path);
        self.push(
            &INVALID_VALUE,
            INVALID_VALUE.severity,
            target.node.span,
            format!("invalid value in {kind} {at}: {error}"),
            "invalid value".to_string(),
            format!("see the schema from {}", origin_text(self.origin)),
        );
    }

    fn push(
        &mut self,
        meta: &'static RuleMeta,
        severity: Severity,
        span: crate::source::Span,
        message: String,
        label: String,
        help: String,
    ) {
        let mut d = self
            .obj
            .diag(meta.code, severity, span, message)
            .with_label(label)
            .with_help(help);
        if let Origin::Crd { file, span } = self.origin {
            d = match &self.crd_related {
                Some((span, message)) => d.with_related(*file, *span, message.clone()),
                None => d.with_related(
                    *file,
                    *span,
                    "the schema from this CustomResourceDefinition",
                ),
            };
        }
        self.out.push(d);
    }

    /// KW0008 already reports booleans and numbers in these string fields
    /// (labels, annotations, selectors, ConfigMap/Secret data, env values,
    /// command and args): one finding per mistake.
    fn kw0008_covers(&self, segments: &[String], target: &Target<'_>, wants_string: bool) -> bool {
        if !wants_string
            || !matches!(
                target.node.value,
                Value::Bool(_) | Value::Int(_) | Value::Float(_)
            )
        {
            return false;
        }
        let n = segments.len();
        let parent = n
            .checked_sub(2)
            .and_then(|i| segments.get(i))
            .map_or("", String::as_str);
        let grand = n
            .checked_sub(3)
            .and_then(|i| segments.get(i))
            .map_or("", String::as_str);
        matches!(
            parent,
            "labels" | "annotations" | "matchLabels" | "command" | "args" | "selector"
        ) || (n == 2 && matches!(parent, "data" | "stringData"))
            || (segments.last().is_some_and(|l| l == "value") && grand == "env")
    }
}

/// Property names the schema allows where an AdditionalProperties
/// error was raised (the keyword's schema, reached through `$ref`s).
fn allowed_properties<'s>(schema: &'s Json, error: &ValidationError<'_>) -> Vec<&'s str> {
    let segments: Vec<String> = error
        .schema_path()
        .iter()
        .map(|s| segment_text(&s))
        .collect();
    let Some((_, parents)) = segments.split_last() else {
        return Vec::new();
    };
    let mut node = schema;
    for seg in parents {
        if seg == "$ref" {
            let Some(next) = node
                .get("$ref")
                .and_then(Json::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| schema.pointer(p))
            else {
                return Vec::new();
            };
            node = next;
            continue;
        }
        let next = match node {
            Json::Object(map) => map.get(seg.as_str()),
            Json::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        let Some(next) = next else {
            return Vec::new();
        };
        node = next;
    }
    let mut names: Vec<&str> = node
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    names.sort_unstable();
    names
}

/// `spec.rules[N].http.paths[M]`: an Ingress path entry.
fn is_ingress_path(segments: &[String]) -> bool {
    let at = |i: usize| segments.get(i).map(String::as_str);
    segments.len() == 6
        && at(0) == Some("spec")
        && at(1) == Some("rules")
        && at(3) == Some("http")
        && at(4) == Some("paths")
}

/// Strategic-merge-patch directives (`$patch: delete`, ...) of patch files.
fn is_patch_directive(name: &str) -> bool {
    matches!(
        name,
        "$patch" | "$retainKeys" | "$deleteFromPrimitiveList" | "$setElementOrder"
    ) || name.starts_with("$setElementOrder/")
        || name.starts_with("$deleteFromPrimitiveList/")
}

/// Where the schema of the instance at `segments` is defined in a CRD's
/// `openAPIV3Schema`: the key of the deepest property definition the path
/// reaches (through `properties`, `items` and `additionalProperties`), one
/// line, never the whole subtree. The message names the field it defines.
fn crd_definition(schema: &Node, segments: &[String]) -> (crate::source::Span, String) {
    let mut node = schema;
    let mut key: Option<(&Node, String)> = None;
    let mut path = String::new();
    for seg in segments {
        let index = seg.parse::<usize>().is_ok();
        let next = if index {
            node.get("items").map(|items| (items, None))
        } else {
            node.get("properties")
                .and_then(|p| p.entry(seg))
                .map(|e| (&e.value, Some(&e.key)))
                .or_else(|| {
                    node.get("additionalProperties")
                        .filter(|a| a.as_map().is_some())
                        .map(|a| (a, None))
                })
        };
        let Some((next, next_key)) = next else {
            break;
        };
        if index {
            path.push_str("[]");
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(seg);
        }
        node = next;
        if let Some(k) = next_key {
            key = Some((k, path.clone()));
        }
    }
    match key {
        Some((key, path)) => (
            key.span,
            format!("`{path}` is defined here, in the CustomResourceDefinition"),
        ),
        None => (
            first_line_span(node),
            "the schema from this CustomResourceDefinition".to_string(),
        ),
    }
}

fn segment_text(s: &LocationSegment<'_>) -> String {
    match s {
        LocationSegment::Property(p) => p.to_string(),
        LocationSegment::Index(i) => i.to_string(),
    }
}

/// Length the readable path would have if every segment resolved.
fn joined_len(segments: &[String]) -> usize {
    let mut len = 0;
    for s in segments {
        if s.parse::<usize>().is_ok() {
            len += s.len() + 2;
        } else {
            len += s.len() + usize::from(len > 0);
        }
    }
    len
}

/// "an integer", "a string or an integer" (null left out: it is "unset").
fn types_text(kind: &TypeKind) -> String {
    let name = |t: JsonType| match t {
        JsonType::Array => "a sequence",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "a string",
    };
    let names: Vec<&str> = match kind {
        TypeKind::Single(t) => vec![name(*t)],
        TypeKind::Multiple(set) => set
            .iter()
            .filter(|t| *t != JsonType::Null)
            .map(name)
            .collect(),
    };
    if names.is_empty() {
        "null".to_string()
    } else {
        names.join(" or ")
    }
}

/// The value quoted for a message: `"80"`, `Sometimes`, a mapping.
fn value_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => format!("\"{s}\""),
        Value::Seq(_) => "a sequence".to_string(),
        Value::Map(_) => "a mapping".to_string(),
        Value::Null => "null".to_string(),
        _ => format!("`{}`", node.scalar_text().unwrap_or_default()),
    }
}
