//! KW0006: label keys and values (on the object, on its pod template and in
//! `matchLabels`) follow the syntax the API server enforces.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::names;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0006",
    "invalid-label",
    Yaml,
    Error,
    "A label key or value breaks the Kubernetes label syntax"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if let Some(labels) = obj.metadata().and_then(|m| m.get("labels")) {
            check_map(obj, labels, "label", out);
        }
        if let Some(labels) = obj.pod_template().and_then(|t| t.labels_node)
            && obj.kind() != "Pod"
        {
            check_map(obj, labels, "pod template label", out);
        }
        if let Some(sel) = obj.workload_selector() {
            let map = sel.node.get("matchLabels").unwrap_or(sel.node);
            if obj.kind() == "ReplicationController" || sel.node.get("matchLabels").is_some() {
                check_map(obj, map, "selector label", out);
            }
        }
        if let Some(selector) = obj.service().and_then(|s| s.selector_node) {
            check_map(obj, selector, "selector label", out);
        }
    }
}

fn check_map(obj: &Object, map: &Node, what: &str, out: &mut Vec<Diagnostic>) {
    for entry in map.as_map().unwrap_or(&[]) {
        let Some(key) = entry.key.as_str() else {
            continue;
        };
        if let Err(why) = names::qualified_key(key) {
            out.push(
                finding(&META, obj, entry.key.span, format!("{what} key \"{key}\" is not valid: {why}"))
                    .with_label("invalid key")
                    .with_help("a label key is an optional DNS-subdomain prefix and '/', then up to 63 letters, digits, '-', '_' or '.'"),
            );
        }
        // Non-string values are KW0008's finding.
        if let Some(value) = entry.value.as_str()
            && let Err(why) = names::label_value(value)
        {
            out.push(
                finding(&META, obj, entry.value.span, format!("{what} value \"{value}\" for \"{key}\" is not valid: {why}"))
                    .with_label("invalid value")
                    .with_help("label values are at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit; put longer text in an annotation"),
            );
        }
    }
}
