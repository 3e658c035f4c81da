//! What a HorizontalPodAutoscaler scales: its `scaleTargetRef`, read the
//! same way by KW3006/KW3007 and by `kwire graph`.

use crate::model::Object;
use crate::parse::Node;

/// Built-in kinds with a scale subresource, and their default apiVersion.
pub const SCALABLE: &[(&str, &str)] = &[
    ("Deployment", "apps/v1"),
    ("StatefulSet", "apps/v1"),
    ("ReplicaSet", "apps/v1"),
    ("ReplicationController", "v1"),
];

/// The target of an HPA: (ref node, apiVersion, kind, name).
pub fn target(obj: &Object) -> Option<(&Node, &str, &str, &str)> {
    if obj.kind() != "HorizontalPodAutoscaler" || !obj.api_version().starts_with("autoscaling/") {
        return None;
    }
    let target = obj.root.path(&["spec", "scaleTargetRef"])?;
    let kind = target.get_str("kind")?;
    let default_version = SCALABLE.iter().find(|(k, _)| *k == kind)?.1;
    let api_version = target.get_str("apiVersion").unwrap_or(default_version);
    // A kind of the same name from another group (a CRD) is not ours.
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if !matches!(group, "" | "apps" | "extensions") {
        return None;
    }
    Some((target, api_version, kind, target.get_str("name")?))
}
