//! KW3206: Ingress paths the API server rejects: `pathType` missing in
//! `networking.k8s.io/v1`, an unknown `pathType`, a path that is not
//! absolute, or an `Exact`/`Prefix` path with `//`, `/./`, `/../`, `%2f`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3206",
    "ingress-path-invalid",
    Reference,
    Error,
    "An Ingress path or pathType the API server rejects"
);

/// Sequences an `Exact`/`Prefix` path must not contain (apiserver validation).
const INVALID_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const INVALID_SUFFIXES: &[&str] = &["/..", "/."];

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" {
            return;
        }
        let v1 = obj.api_version() == "networking.k8s.io/v1";
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        for rule in spec.get_seq("rules") {
            let Some(http) = rule.get("http") else {
                continue;
            };
            for entry in http.get_seq("paths") {
                check_path(obj, v1, entry, out);
            }
        }
    }
}

fn check_path(obj: &Object, v1: bool, entry: &Node, out: &mut Vec<Diagnostic>) {
    let path_node = entry.get("path");
    let path = path_node.and_then(Node::as_str).unwrap_or("");
    let path_span = path_node.map_or(entry.span, |n| n.span);
    let path_type = match entry.get("pathType") {
        Some(node) => match node.as_str() {
            Some(t @ ("Exact" | "Prefix" | "ImplementationSpecific")) => t,
            _ => {
                out.push(
                    finding(
                        &META,
                        obj,
                        node.span,
                        format!(
                            "pathType {} is not one of Exact, Prefix, ImplementationSpecific; the API server rejects {}",
                            quote(node),
                            obj.describe()
                        ),
                    )
                    .with_label("unknown pathType")
                    .with_help(
                        match node.as_str().and_then(|t| {
                            ["Exact", "Prefix", "ImplementationSpecific"]
                                .into_iter()
                                .find(|k| k.eq_ignore_ascii_case(t))
                        }) {
                            Some(k) => format!("pathType values are case-sensitive: write pathType: {k}"),
                            None => suggest_type(path),
                        },
                    ),
                );
                return;
            }
        },
        None if v1 => {
            let at = entry
                .as_map()
                .and_then(|m| m.first())
                .map_or(entry.span, |e| e.key.span);
            out.push(
                finding(
                    &META,
                    obj,
                    at,
                    format!(
                        "path {} of {} has no pathType; networking.k8s.io/v1 requires one and the API server rejects the Ingress",
                        if path.is_empty() { "(none)".to_string() } else { format!("\"{path}\"") },
                        obj.describe()
                    ),
                )
                .with_label("pathType missing")
                .with_help(suggest_type(path)),
            );
            return;
        }
        // The old API versions default it.
        None => "ImplementationSpecific",
    };
    let strict = path_type != "ImplementationSpecific";
    if (strict || !path.is_empty()) && !path.starts_with('/') {
        let fixed = format!("/{}", path.trim_start_matches('/'));
        out.push(
            finding(
                &META,
                obj,
                path_span,
                format!(
                    "path \"{path}\" of {} must be absolute (start with `/`); the API server rejects it",
                    obj.describe()
                ),
            )
            .with_label("not an absolute path")
            .with_help(format!("write path: {fixed}")),
        );
        return;
    }
    if strict
        && let Some(bad) = INVALID_SEQUENCES
            .iter()
            .find(|s| path.contains(*s))
            .or_else(|| INVALID_SUFFIXES.iter().find(|s| path.ends_with(*s)))
    {
        out.push(
            finding(
                &META,
                obj,
                path_span,
                format!(
                    "{path_type} path \"{path}\" of {} contains `{bad}`, which the API server rejects for pathType {path_type}",
                    obj.describe()
                ),
            )
            .with_label("invalid sequence")
            .with_help(
                "normalize the path, or use pathType: ImplementationSpecific if the controller needs it as written",
            ),
        );
    }
}

fn quote(node: &Node) -> String {
    node.as_str()
        .map_or_else(|| node.type_name().to_string(), |s| format!("\"{s}\""))
}

fn suggest_type(path: &str) -> String {
    if path.contains(['(', '*', '$', '^', '[']) {
        "this looks like a regular expression: add pathType: ImplementationSpecific".to_string()
    } else {
        "add pathType: Prefix (matches the path and everything under it), Exact, or ImplementationSpecific"
            .to_string()
    }
}
