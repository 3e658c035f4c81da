//! KW3207: two Ingresses of the same class define the same host and path.
//! Controllers serve one of them (ingress-nginx: the oldest rule wins, and
//! its admission webhook refuses the second); the other is dead config.

use std::path::Path;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::FileId;

pub static META: RuleMeta = rule_meta!(
    "KW3207",
    "ingress-duplicate-path",
    Reference,
    Warning,
    "Two Ingresses of the same class define the same host and path"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let class = obj.ingress_class();
        let me = (obj.file, obj.root.span.start);
        for path in obj.ingress_paths() {
            let key = (class, path.host, path.path, path.path_type);
            // The first Ingress before this one (input order) with the same
            // rule, applied together with it.
            let Some(first) = catalog
                .ingresses_with_path(key)
                .iter()
                .filter_map(|&i| catalog.object(i))
                .filter(|o| (o.file, o.root.span.start) < me)
                .find(|o| !same_object(o, obj) && co_applied(catalog, o.file, obj.file))
            else {
                continue;
            };
            let span = first
                .ingress_paths()
                .into_iter()
                .find(|p| (p.host, p.path, p.path_type) == (path.host, path.path, path.path_type))
                .map_or(first.anchor_span(), |p| p.node.span);
            let host = if path.host.is_empty() { "*" } else { path.host };
            let shown = if path.path.is_empty() {
                "(none)".to_string()
            } else {
                format!("\"{}\"", path.path)
            };
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
                        "{} routes host {host} path {shown} ({}), which {} already routes in {class_text}; the controller serves only one of them (ingress-nginx: the oldest)",
                        obj.describe(),
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
