//! KW0010: the same kind/namespace/name defined twice where both would be
//! applied together.
//!
//! `kubectl apply -f DIR` applies one directory, so two definitions in the
//! same file or the same directory are a real conflict: the later silently
//! replaces the earlier. Definitions in different directories are usually
//! alternatives (overlays, `ha/` variants, per-environment copies) and are
//! not reported.

use std::path::Path;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0010",
    "duplicate-object",
    Yaml,
    Error,
    "The same kind/namespace/name is defined twice in one file or directory"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind.is_none() || obj.name.is_none() {
            return;
        }
        let same = catalog.find(obj.api_version(), obj.kind(), obj.namespace(), obj.name());
        if same.len() < 2 {
            return;
        }
        let dir = |file| {
            Path::new(catalog.path(file))
                .parent()
                .map(Path::to_path_buf)
        };
        // Report each definition after the first one it collides with.
        let earlier = same
            .iter()
            .filter_map(|&i| catalog.object(i))
            .take_while(|o| !std::ptr::eq(*o, obj))
            .find(|o| o.file == obj.file || dir(o.file) == dir(obj.file));
        let Some(first) = earlier else {
            return;
        };
        let where_ = if first.file == obj.file {
            "this file"
        } else {
            "this directory"
        };
        out.push(
            finding(
                &META,
                obj,
                obj.anchor_span(),
                format!("{} is defined twice in {where_}; the later definition replaces the earlier when applied", obj.describe()),
            )
            .with_label("second definition")
            .with_related(first.file, first.anchor_span(), "first defined here")
            .with_help("remove one definition, or give them different names or namespaces"),
        );
    }
}
