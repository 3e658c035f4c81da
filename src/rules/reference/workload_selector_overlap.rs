//! KW3003: two controllers in one namespace whose selectors overlap fight
//! over the same pods, and a bare Pod carrying a ReplicaSet's labels is
//! adopted by it (the ReplicaSet then creates one pod fewer).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::describe_labels;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3003",
    "workload-selector-overlap",
    Reference,
    Warning,
    "A controller's selector also matches the pods of another workload in its namespace"
);

pub struct Rule;

/// Controllers that claim pods by selector. Jobs and CronJobs are left out:
/// their generated selectors carry the Job's uid.
fn claims_by_selector(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "ReplicationController"
    )
}

/// Orphans a controller adopts when their labels match its selector. A
/// Deployment's ReplicaSets also require `pod-template-hash`, and a
/// StatefulSet only adopts pods named after it (`is_ordinal_pod`).
fn adopts_orphans(kind: &str) -> bool {
    matches!(kind, "ReplicaSet" | "ReplicationController" | "DaemonSet")
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !claims_by_selector(obj.kind()) {
            return;
        }
        let (Some(sel), Some(own)) = (obj.workload_selector(), obj.pod_template()) else {
            return;
        };
        if sel.selector.is_empty() || sel.selector.invalid || !sel.selector.matches(&own.labels) {
            // Empty and mismatched selectors are API errors (KW3001).
            return;
        }
        let me = obj.id();
        for entry in catalog.templates_matching(obj.namespace(), &sel.selector) {
            let Some(other) = catalog.object(entry.object) else {
                continue;
            };
            // Itself, or the same object defined twice (KW0010).
            if std::ptr::eq(other, obj) || other.id() == me {
                continue;
            }
            let labels = describe_labels(&entry.template.labels);
            if other.kind() == "Pod" {
                // Applied together: same file or directory.
                if !crate::rules::scope::same_directory(catalog, obj.file, other.file) {
                    continue;
                }
                if other
                    .metadata()
                    .is_some_and(|m| m.get("ownerReferences").is_some())
                {
                    continue;
                }
                let effect = if adopts_orphans(obj.kind())
                    || (obj.kind() == "StatefulSet" && is_ordinal_pod(obj.name(), other.name()))
                {
                    let replicas = obj
                        .root
                        .path(&["spec", "replicas"])
                        .and_then(|n| n.scalar_text())
                        .unwrap_or_else(|| "1".to_string());
                    if obj.kind() == "DaemonSet" {
                        "the DaemonSet adopts it as one of its pods".to_string()
                    } else {
                        format!(
                            "the {} adopts it and creates one pod fewer than its replicas: {replicas} (deleting the Pod later makes it create another)",
                            obj.kind()
                        )
                    }
                } else {
                    format!(
                        "the {} does not adopt it, but Services and PodDisruptionBudgets selecting {} count it among its pods",
                        obj.kind(),
                        sel.selector.describe()
                    )
                };
                out.push(
                    other
                        .diag(
                            META.code,
                            META.severity,
                            entry.template.labels_span(),
                            format!(
                                "bare {} has labels {labels} that the selector of {} matches; {effect}",
                                other.describe(),
                                obj.describe()
                            ),
                        )
                        .with_label("matched by a controller's selector")
                        .with_related(obj.file, sel.key_span, format!("selector of {}", obj.describe()))
                        .with_help(format!(
                            "give the Pod labels the selector {} does not match, or let {} create the pods",
                            sel.selector.describe(),
                            obj.describe()
                        )),
                );
                continue;
            }
            // Controllers are compared within one file (a manifest, a
            // rendered chart): separate files next to each other are often
            // alternatives (`deploy-aws.yaml`, `deploy-kind.yaml`), and the
            // same name under another kind is the same app in another shape.
            if !claims_by_selector(other.kind())
                || other.file != obj.file
                || other.name() == obj.name()
            {
                continue;
            }
            // Mutual overlap: report once, on the later of the two.
            let mutual = other
                .workload_selector()
                .is_some_and(|s| !s.selector.is_empty() && s.selector.matches(&own.labels));
            if mutual && (other.file, other.root.span.start) > (obj.file, obj.root.span.start) {
                continue;
            }
            let what = if mutual {
                "and its selector matches the other's pods as well: the two".to_string()
            } else {
                "so the two".to_string()
            };
            out.push(
                finding(
                    &META,
                    obj,
                    sel.key_span,
                    format!(
                        "{} selector {} also matches the pod template of {} ({labels}), {what} controllers claim the same pods; Services, PodDisruptionBudgets and rollouts that select by these labels mix them",
                        obj.describe(),
                        sel.selector.describe(),
                        other.describe()
                    ),
                )
                .with_label("overlaps another workload")
                .with_related(
                    other.file,
                    entry.template.labels_span(),
                    format!("pod template labels of {}", other.describe()),
                )
                .with_help(distinguish_help(obj, &sel.selector, &entry.template.labels)),
            );
        }
    }
}

/// How to tell the two apart: a label the other template has and the
/// selector does not constrain, given a value of this workload's own.
fn distinguish_help(
    obj: &Object,
    selector: &crate::model::selector::Selector<'_>,
    other_labels: &crate::model::selector::Labels<'_>,
) -> String {
    let constrained = |key: &str| {
        selector.match_labels.iter().any(|(k, _)| *k == key)
            || selector.expressions.iter().any(|r| r.key == key)
    };
    match other_labels.iter().find(|(k, _)| !constrained(k)) {
        Some((key, value)) => {
            let mine = if *key == "track" && value != "stable" {
                "stable"
            } else {
                obj.name()
            };
            format!(
                "the other template has {key}={value}: add `{key}: {mine}` to the selector and pod template of {} (selectors are immutable: recreate the workload)",
                obj.describe()
            )
        }
        None => format!(
            "add a label with a value of its own (e.g. `app.kubernetes.io/instance: {}`) to the selector and pod template of each workload",
            obj.name()
        ),
    }
}

/// `web-0` for the StatefulSet `web`: the only orphans a StatefulSet adopts.
fn is_ordinal_pod(set: &str, pod: &str) -> bool {
    pod.strip_prefix(set)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_ordinal_pod;

    #[test]
    fn statefulset_pods_are_named_by_ordinal() {
        assert!(is_ordinal_pod("web", "web-0"));
        assert!(is_ordinal_pod("web", "web-12"));
        assert!(!is_ordinal_pod("web", "web-debug"));
        assert!(!is_ordinal_pod("web", "web-"));
        assert!(!is_ordinal_pod("web", "webapp-0"));
    }
}
