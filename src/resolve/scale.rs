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

/// `minReplicas` (default 1, as the API server defaults it) and
/// `maxReplicas` (its own value, else the minimum) of an HPA, with its target.
pub fn bounds(obj: &Object) -> Option<(&str, &str, i64, i64)> {
    let (_, _, kind, name) = target(obj)?;
    let spec = obj.root.get("spec");
    let min = spec
        .and_then(|s| s.get("minReplicas"))
        .and_then(Node::as_i64)
        .unwrap_or(1);
    let max = spec
        .and_then(|s| s.get("maxReplicas"))
        .and_then(Node::as_i64)
        .unwrap_or(min);
    Some((kind, name, min, max))
}

/// How many pods a scalable workload runs, and where the number comes from.
#[derive(Clone, Copy, Debug)]
pub struct Replicas<'a> {
    /// The count the controllers work with: the HPA's `minReplicas` when an
    /// HPA targets the workload (it overwrites `spec.replicas` as soon as it
    /// acts, and never goes below its minimum), else `spec.replicas`, else 1.
    pub count: i64,
    /// `spec.replicas` as written (`None`: absent, defaulted to 1).
    pub written: Option<i64>,
    /// The HPA that scales it: (object, minReplicas, maxReplicas).
    pub hpa: Option<(&'a Object, i64, i64)>,
}

/// The replicas of `obj` (Deployment, StatefulSet, ReplicaSet,
/// ReplicationController): `None` when `spec.replicas` is not a number.
/// The HPAs are looked up in the object's namespace of `catalog`.
pub fn replicas<'a>(catalog: &crate::catalog::Catalog<'a>, obj: &Object) -> Option<Replicas<'a>> {
    let written = match obj.root.path(&["spec", "replicas"]) {
        None => None,
        Some(n) => Some(n.as_i64()?),
    };
    let index = catalog.scale_targets(|| {
        let mut index = crate::catalog::ScaleTargets::default();
        for (i, h) in catalog.objects.iter().enumerate() {
            if let (Some((_, _, kind, name)), Ok(i)) = (target(h), u32::try_from(i)) {
                index
                    .entry((h.namespace(), kind, name))
                    .or_default()
                    .push(i);
            }
        }
        index
    });
    let hpa = index
        .get(&(obj.namespace(), obj.kind(), obj.name()))
        .and_then(|hs| hs.first())
        .and_then(|&i| catalog.object(i))
        .and_then(|h| bounds(h).map(|(_, _, min, max)| (h, min, max)));
    let count = hpa.map_or(written.unwrap_or(1), |(_, min, _)| min);
    Some(Replicas {
        count,
        written,
        hpa,
    })
}

/// An `IntOrString` count field of the apps and policy APIs (`maxSurge`,
/// `maxUnavailable`, `minAvailable`, `partition` is an int only): a number
/// or a percentage of a total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

impl IntOrPercent {
    /// Reads the field: an integer, or a string `N%`. A string without `%`
    /// (`"1"`) is an error for the controllers (`GetScaledValueFromIntOrPercent`:
    /// "invalid value for IntOrString"), so it is `Err` with the text.
    pub fn from_node(node: &Node) -> Result<Self, String> {
        if let Some(n) = node.as_i64() {
            return Ok(IntOrPercent::Int(n));
        }
        let text = node.as_str().map(str::trim);
        match text.and_then(|t| t.strip_suffix('%')) {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits
                    .parse()
                    .map(IntOrPercent::Percent)
                    .map_err(|_| format!("\"{}\" is too large", text.unwrap_or_default()))
            }
            _ => Err(match node.scalar_text() {
                Some(t) => format!("\"{t}\" is neither an integer nor a percentage like \"25%\""),
                None => format!(
                    "{} is neither an integer nor a percentage",
                    node.type_name()
                ),
            }),
        }
    }

    /// The value as written, before scaling (what API validation compares
    /// with zero: `getIntOrPercentValue`).
    pub fn written(self) -> i64 {
        match self {
            IntOrPercent::Int(n) | IntOrPercent::Percent(n) => n,
        }
    }

    /// `intstr.GetScaledValueFromIntOrPercent`: an integer as is; a
    /// percentage of `total`, rounded up or down.
    pub fn scaled(self, total: i64, round_up: bool) -> i64 {
        match self {
            IntOrPercent::Int(n) => n,
            IntOrPercent::Percent(p) => {
                let product = p.saturating_mul(total);
                if round_up {
                    product.saturating_add(99).div_euclid(100)
                } else {
                    product.div_euclid(100)
                }
            }
        }
    }
}

impl std::fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrPercent::Int(n) => write!(f, "{n}"),
            IntOrPercent::Percent(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IntOrPercent::{Int, Percent};

    #[test]
    fn percentages_round_the_way_the_caller_asks() {
        // 25% of 3 = 0.75; of 10 = 2.5.
        assert_eq!(Percent(25).scaled(3, true), 1);
        assert_eq!(Percent(25).scaled(3, false), 0);
        assert_eq!(Percent(25).scaled(10, true), 3);
        assert_eq!(Percent(25).scaled(10, false), 2);
        assert_eq!(Percent(100).scaled(7, false), 7);
        assert_eq!(Percent(0).scaled(7, true), 0);
        assert_eq!(Percent(1).scaled(1, true), 1);
        assert_eq!(Int(4).scaled(10, false), 4);
    }
}
