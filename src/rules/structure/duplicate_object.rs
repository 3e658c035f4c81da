//! KW0010: the same kind/namespace/name defined twice in one file.
//!
//! A file is applied as a whole, so two definitions in it are a real
//! conflict: the later silently replaces the earlier. Across files the same
//! object is usually an alternative (`install.yaml` beside
//! `namespace-install.yaml`, test cases of one resource, overlays), so
//! cross-file copies are not reported: on the real-world corpus that rule
//! would give over a thousand findings, none of them a bug.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0010",
    "duplicate-object",
    Yaml,
    Error,
    "The same kind/namespace/name is defined twice in one file"
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
        // Report each definition after the first one it collides with.
        let earlier = same
            .iter()
            .filter_map(|&i| catalog.object(i))
            .take_while(|o| !std::ptr::eq(*o, obj))
            .find(|o| o.file == obj.file);
        let Some(first) = earlier else {
            return;
        };
        out.push(
            finding(
                &META,
                obj,
                obj.anchor_span(),
                format!("{} is defined twice in this file; the later definition replaces the earlier when applied", obj.describe()),
            )
            .with_label("second definition")
            .with_related(first.file, first.anchor_span(), "first defined here")
            .with_help("remove one definition, or give them different names or namespaces"),
        );
    }
}
