//! KW3003: two controllers in one namespace whose selectors overlap fight
//! over the same pods, and a bare Pod carrying a ReplicaSet's labels is
//! adopted by it (the ReplicaSet then creates one pod fewer).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::describe_labels;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::join_names;

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
            if other.kind() != "Pod" {
                continue;
            }
            let labels = describe_labels(&entry.template.labels);
            // Applied together: same file or directory.
            if !crate::resolve::scope::same_directory(catalog, obj.file, other.file) {
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
        }
        let Some(group) = claim_group(obj, catalog) else {
            return;
        };
        if group.len() < 2 {
            return;
        }
        // One finding per group: on the first controller in input order
        // whose selector claims the whole group. A member whose group an
        // earlier member's covers is reported by that member.
        let covered = group.iter().any(|m| {
            m.object.root.span.start < obj.root.span.start
                && claim_group(m.object, catalog).is_some_and(|theirs| {
                    // Members of one file are told apart by where they start.
                    let theirs: std::collections::HashSet<u32> =
                        theirs.iter().map(|t| t.object.root.span.start).collect();
                    group
                        .iter()
                        .all(|g| theirs.contains(&g.object.root.span.start))
                })
        });
        if covered {
            return;
        }
        let others: Vec<&Member<'_>> = group
            .iter()
            .filter(|m| !std::ptr::eq(m.object, obj))
            .collect();
        let Some(first) = others.first() else {
            return;
        };
        let own_labels = &own.labels;
        let mutual = others.iter().all(|m| {
            m.object
                .workload_selector()
                .is_some_and(|s| !s.selector.is_empty() && s.selector.matches(own_labels))
        });
        let count = others.len() + 1;
        let what = match (others.len(), mutual) {
            (1, true) => "and its selector matches the other's pods as well: the two".to_string(),
            (1, false) => "so the two".to_string(),
            (_, true) => {
                format!("and their selectors match its pods as well: the {count}")
            }
            (_, false) => format!("so the {count}"),
        };
        let targets = if others.len() == 1 {
            format!(
                "the pod template of {} ({})",
                first.object.describe(),
                describe_labels(&first.labels)
            )
        } else {
            format!(
                "the pod templates of {} in its namespace",
                name_list(&others)
            )
        };
        let mut diag = finding(
            &META,
            obj,
            sel.key_span,
            format!(
                "{} selector {} also matches {targets}, {what} controllers claim the same pods; Services, PodDisruptionBudgets and rollouts that select by these labels mix them",
                obj.describe(),
                sel.selector.describe(),
            ),
        )
        .with_label("overlaps another workload");
        for m in &others {
            diag = diag.with_related(
                m.object.file,
                m.labels_span,
                format!(
                    "pod template labels of {} ({})",
                    m.object.describe(),
                    describe_labels(&m.labels)
                ),
            );
        }
        out.push(diag.with_help(distinguish_help(obj, &sel.selector, &first.labels)));
    }
}

/// A controller of an overlap group, with its pod template's labels.
struct Member<'a> {
    object: &'a Object,
    labels: Vec<(&'a str, std::borrow::Cow<'a, str>)>,
    labels_span: crate::source::Span,
}

/// At most this many names in a message; related locations list them all.
const NAMES_IN_MESSAGE: usize = 5;

/// `Deployment "a", Deployment "b" and 3 more`.
fn name_list(members: &[&Member<'_>]) -> String {
    let mut names: Vec<String> = members
        .iter()
        .take(NAMES_IN_MESSAGE)
        .map(|m| m.object.describe_short())
        .collect();
    if members.len() > NAMES_IN_MESSAGE {
        names.push(format!("{} more", members.len() - NAMES_IN_MESSAGE));
    }
    join_names(&names)
}

/// A controller whose selector is valid and selects its own template (the
/// others are API errors, KW3001): it and every controller of its file and
/// namespace whose pods its selector matches, in input order. `None` for
/// objects that are not such controllers.
fn claim_group<'o>(obj: &'o Object, catalog: &'o Catalog<'_>) -> Option<Vec<Member<'o>>> {
    if !claims_by_selector(obj.kind()) {
        return None;
    }
    let (sel, own) = (obj.workload_selector()?, obj.pod_template()?);
    if sel.selector.is_empty() || sel.selector.invalid || !sel.selector.matches(&own.labels) {
        return None;
    }
    let me = obj.id();
    let mut members = vec![Member {
        object: obj,
        labels_span: own.labels_span(),
        labels: own.labels,
    }];
    for entry in catalog.templates_matching(obj.namespace(), &sel.selector) {
        let Some(other) = catalog.object(entry.object) else {
            continue;
        };
        // Controllers are compared within one file (a manifest, a rendered
        // chart): separate files next to each other are often alternatives
        // (`deploy-aws.yaml`, `deploy-kind.yaml`), and the same name under
        // another kind is the same app in another shape. Itself, or the
        // same object defined twice (KW0010), is no other controller.
        if std::ptr::eq(other, obj)
            || !claims_by_selector(other.kind())
            || other.file != obj.file
            || other.name() == obj.name()
            || other.id() == me
            || members.iter().any(|m| std::ptr::eq(m.object, other))
        {
            continue;
        }
        members.push(Member {
            object: other,
            labels: entry.template.labels.clone(),
            labels_span: entry.template.labels_span(),
        });
    }
    members.sort_by_key(|m| m.object.root.span.start);
    Some(members)
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
