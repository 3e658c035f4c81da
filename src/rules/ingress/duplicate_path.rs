//! KW3207: two Ingresses of the same class define the same host and path.
//! Controllers serve one of them (ingress-nginx: the oldest rule wins, and
//! its admission webhook refuses the second); the other is dead config.

use super::ingress_class;
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::FileId;
use std::path::Path;

pub static META: RuleMeta = rule_meta!(
    "KW3207",
    "ingress-duplicate-path",
    Reference,
    Warning,
    "Two Ingresses of the same class define the same host and path"
);

pub struct Rule;

/// One `rules[].http.paths[]` entry: host, path, pathType, where.
struct PathRule<'a> {
    host: &'a str,
    path: &'a str,
    path_type: &'a str,
    node: &'a Node,
}

fn path_rules(obj: &Object) -> Vec<PathRule<'_>> {
    let Some(spec) = obj.root.get("spec") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for rule in spec.get_seq("rules") {
        let host = rule.get_str("host").unwrap_or("");
        let Some(http) = rule.get("http") else {
            continue;
        };
        for entry in http.get_seq("paths") {
            out.push(PathRule {
                host,
                path: entry.get_str("path").unwrap_or(""),
                path_type: entry
                    .get_str("pathType")
                    .unwrap_or("ImplementationSpecific"),
                node: entry.get("path").unwrap_or(entry),
            });
        }
    }
    out
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" {
            return;
        }
        let mine = path_rules(obj);
        if mine.is_empty() {
            return;
        }
        let class = ingress_class(obj);
        for path in &mine {
            // The first earlier Ingress (input order) with the same rule.
            let earlier = catalog
                .of_kind("Ingress")
                .take_while(|o| !std::ptr::eq(*o, obj))
                .filter(|o| {
                    ingress_class(o) == class
                        && !same_object(o, obj)
                        && co_applied(catalog, o.file, obj.file)
                })
                .find_map(|o| {
                    path_rules(o)
                        .into_iter()
                        .find(|p| {
                            p.host == path.host
                                && p.path == path.path
                                && p.path_type == path.path_type
                        })
                        .map(|p| (o, p.node.span))
                });
            let Some((first, span)) = earlier else {
                continue;
            };
            let host = if path.host.is_empty() { "*" } else { path.host };
            let class_text = if class.is_empty() {
                "the default class".to_string()
            } else {
                format!("class \"{class}\"")
            };
            out.push(
                finding(
                    &META,
                    obj,
                    path.node.span,
                    format!(
                        "{} routes host {host} path \"{}\" ({}), which {} already routes in {class_text}; the controller serves only one of them (ingress-nginx: the oldest)",
                        obj.describe(),
                        path.path,
                        path.path_type,
                        first.describe()
                    ),
                )
                .with_label("duplicate host and path")
                .with_related(first.file, span, "first defined here")
                .with_help(
                    "merge the two rules into one Ingress, or give one of them another host or path",
                ),
            );
        }
    }
}

/// Are two files applied together? Files in different directories are
/// often alternatives (overlays, examples, environments), and so are files
/// that define the same object (KW0010): a conflict needs both files applied
/// to one cluster, so only files of one directory that share no object count.
fn co_applied(catalog: &Catalog<'_>, a: FileId, b: FileId) -> bool {
    if a == b {
        return true;
    }
    let dir = |f: FileId| Path::new(catalog.path(f)).parent().map(Path::to_path_buf);
    if dir(a) != dir(b) {
        return false;
    }
    !catalog.duplicates().any(|group| {
        let files = || {
            group
                .iter()
                .filter_map(|&i| catalog.object(i))
                .map(|o| o.file)
        };
        files().any(|f| f == a) && files().any(|f| f == b)
    })
}

/// The same object defined twice (KW0010 reports that) is not a conflict
/// between two Ingresses.
fn same_object(a: &Object, b: &Object) -> bool {
    a.namespace() == b.namespace() && a.name() == b.name()
}
