//! KW3405: `configMapKeyRef` / `secretKeyRef` / volume `items[].key` naming
//! a key that the referenced ConfigMap or Secret of the input lacks.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::object_refs;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::{edit_distance_with_swaps, join_names};

pub static META: RuleMeta = rule_meta!(
    "KW3405",
    "referenced-key-not-found",
    Reference,
    Warning,
    "A configMapKeyRef, secretKeyRef or volume item names a key the ConfigMap or Secret does not have"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let ns = obj.namespace();
        for r in object_refs::pod_references(obj) {
            if r.optional || r.keys.is_empty() || !matches!(r.kind, "ConfigMap" | "Secret") {
                continue;
            }
            let targets = object_refs::targets(catalog, r.kind, ns, r.name);
            // Every definition must be checkable; a Secret the cluster fills
            // in (service-account tokens) or an object without any data
            // section (filled by a controller) is not.
            let Some(target) = targets.first() else {
                continue;
            };
            if targets.iter().any(|t| !checkable(t)) {
                continue;
            }
            for (key, key_node) in &r.keys {
                if targets.iter().any(|t| has_key(t, key)) {
                    continue;
                }
                let keys = keys_of(target);
                let mut diag = finding(
                    &META,
                    obj,
                    key_node.span,
                    format!(
                        "{} reads key \"{key}\" of {} \"{}\" ({}), which has no such key; its pods cannot start",
                        obj.describe(),
                        r.kind,
                        r.name,
                        r.via
                    ),
                )
                .with_label("no such key")
                .with_related(
                    target.file,
                    target.anchor_span(),
                    format!("the {} it reads", r.kind),
                );
                let near = keys
                    .iter()
                    .map(|k| (edit_distance_with_swaps(k, key), *k))
                    .filter(|(d, k)| *d <= (k.len().max(key.len()) / 3).max(1))
                    .min_by_key(|(d, _)| *d);
                let help = match near {
                    Some((_, k)) => format!("did you mean \"{k}\"?"),
                    None if keys.is_empty() => format!("{} \"{}\" has no keys", r.kind, r.name),
                    None => {
                        let quoted: Vec<String> =
                            keys.iter().take(8).map(|k| format!("\"{k}\"")).collect();
                        format!(
                            "its keys are {}; or mark the reference `optional: true`",
                            join_names(&quoted)
                        )
                    }
                };
                diag = diag.with_help(help);
                out.push(diag);
            }
        }
    }
}

const SECTIONS: [&str; 3] = ["data", "stringData", "binaryData"];

fn checkable(target: &Object) -> bool {
    let generated_type = target.kind() == "Secret"
        && matches!(
            target.root.get_str("type"),
            Some("kubernetes.io/service-account-token")
        );
    !generated_type && SECTIONS.iter().any(|s| target.root.get(s).is_some())
}

fn has_key(target: &Object, key: &str) -> bool {
    SECTIONS
        .iter()
        .any(|s| target.root.get(s).is_some_and(|m| m.get(key).is_some()))
}

fn keys_of(target: &Object) -> Vec<&str> {
    SECTIONS
        .iter()
        .flat_map(|s| target.root.get_map(s))
        .filter_map(|e| e.key.as_str())
        .collect()
}
