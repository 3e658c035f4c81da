//! Pod Security admission (KW6501–KW6503): the namespace a pod template
//! lands in, its `pod-security.kubernetes.io/*` labels, and the fields of
//! the template the Pod Security Standards forbid at that level.

pub mod enforce;
pub mod standard;
pub mod unlabelled;
pub mod warn;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::settings::KubeVersion;
use crate::source::Span;
use standard::{Level, Pod, Violation};

pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// One mode label of a Namespace (`enforce`, `warn`, `audit`) with its level
/// and the policy version it is evaluated at.
pub struct ModePolicy<'a> {
    pub namespace: &'a Object,
    pub mode: &'static str,
    pub level: Level,
    /// `enforce-version` (or `latest`, the cluster's version), never newer
    /// than the target version.
    pub version: KubeVersion,
    /// The label's value, where related locations point.
    pub level_node: &'a Node,
}

/// The Namespace object `obj` is applied to, when the world defines it.
pub fn namespace_of<'a>(catalog: &Catalog<'a>, obj: &Object) -> Option<&'a Object> {
    let ns = obj.namespace();
    if ns.is_empty() {
        return None;
    }
    catalog
        .named("Namespace", ns)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .next()
}

/// The labels node of a Namespace.
fn labels(ns: &Object) -> Option<&Node> {
    ns.metadata().and_then(|m| m.get("labels"))
}

/// Does the Namespace carry any Pod Security label?
pub fn labelled(ns: &Object) -> bool {
    labels(ns)
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .any(|e| e.key.as_str().is_some_and(|k| k.starts_with(LABEL_PREFIX)))
}

/// The policy of one mode of a Namespace; `None` when the label is absent,
/// `privileged`, or not a level the admission controller knows.
pub fn mode_policy<'a>(
    ns: &'a Object,
    mode: &'static str,
    target: KubeVersion,
) -> Option<ModePolicy<'a>> {
    let labels = labels(ns)?;
    let level_node = labels.get(&format!("{LABEL_PREFIX}{mode}"))?;
    let level = Level::parse(level_node.as_str()?)?;
    if level == Level::Privileged {
        return None;
    }
    let version = labels
        .get_str(&format!("{LABEL_PREFIX}{mode}-version"))
        .and_then(|v| match v {
            "latest" => None,
            v => KubeVersion::parse(v).ok(),
        })
        .map_or(target, |v| v.min(target));
    Some(ModePolicy {
        namespace: ns,
        mode,
        level,
        version,
        level_node,
    })
}

/// The pod template of `obj`, read for the standard.
pub fn pod_of(obj: &Object) -> Option<Pod<'_>> {
    let template = obj.pod_template()?;
    let spec = template.spec?;
    Some(Pod {
        spec,
        annotations: template.node.path(&["metadata", "annotations"]),
        anchor: spec.span,
    })
}

/// `1.30` as the admission controller names it: `v1.30`.
pub fn version_label(v: KubeVersion) -> String {
    format!("v{}.{}", v.major, v.minor)
}

/// What happens to the pods of `obj` when the admission controller rejects them.
pub fn rejected(obj: &Object) -> String {
    if obj.kind() == "Pod" {
        "the API server rejects the Pod".to_string()
    } else {
        format!(
            "the API server rejects every pod of {}, so it never runs one",
            obj.describe_short()
        )
    }
}

/// The violations of `pod` under `policy`, as (span, check, violation).
pub fn violations(pod: &Pod<'_>, policy: &ModePolicy<'_>) -> Vec<Violation> {
    standard::evaluate(pod, policy.level, policy.version)
}

/// A finding for one violation under one Namespace policy.
pub fn finding(
    meta: &'static crate::rules::RuleMeta,
    obj: &Object,
    policy: &ModePolicy<'_>,
    v: &Violation,
    consequence: &str,
) -> Diagnostic {
    let verb = match policy.mode {
        "enforce" => "enforces",
        "warn" => "warns at",
        _ => "audits at",
    };
    crate::rules::finding(
        meta,
        obj,
        v.span,
        format!(
            "Namespace \"{}\" {verb} the \"{}\" Pod Security level ({}): in {}, {}, which that level forbids ({}); {consequence}",
            policy.namespace.name(),
            policy.level.as_str(),
            version_label(policy.version),
            obj.describe(),
            v.what,
            v.check,
        ),
    )
    .with_label(format!("forbidden at {}", policy.level.as_str()))
    .with_related(
        policy.namespace.file,
        policy.level_node.span,
        format!("{LABEL_PREFIX}{}: {}", policy.mode, policy.level.as_str()),
    )
    .with_help(v.fix)
}

/// Spans already reported for `(check, span)` pairs, to keep a warning from
/// repeating what the enforce level already says.
pub fn same(a: &Violation, check: &str, span: Span) -> bool {
    a.check == check && a.span == span
}
