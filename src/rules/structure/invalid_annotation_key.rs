//! KW0007: annotation keys follow the qualified-name syntax.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::names;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0007",
    "invalid-annotation-key",
    Yaml,
    Error,
    "An annotation key breaks the Kubernetes key syntax"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let own = obj.metadata().and_then(|m| m.get("annotations"));
        let template = obj
            .pod_template()
            .filter(|_| obj.kind() != "Pod")
            .and_then(|t| t.node.path(&["metadata", "annotations"]));
        for map in [own, template].into_iter().flatten() {
            check_map(obj, map, out);
        }
    }
}

fn check_map(obj: &Object, map: &Node, out: &mut Vec<Diagnostic>) {
    for entry in map.as_map().unwrap_or(&[]) {
        let Some(key) = entry.key.as_str() else {
            continue;
        };
        if let Err(why) = names::qualified_key(key) {
            out.push(
                finding(&META, obj, entry.key.span, format!("annotation key \"{key}\" is not valid: {why}"))
                    .with_label("invalid key")
                    .with_help("an annotation key is an optional DNS-subdomain prefix and '/', then up to 63 letters, digits, '-', '_' or '.'"),
            );
        }
    }
}
