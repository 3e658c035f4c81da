//! PodDisruptionBudgets: which workloads' pods a budget selects, and how
//! many voluntary evictions it allows, computed the way the disruption
//! controller does (`pkg/controller/disruption/disruption.go`,
//! `getExpectedPodCount`). Read by KW5600 and by the rollout simulation
//! (`crate::topology::rollout`), so the finding and `kwire rollout` agree.
//!
//! A budget only limits the Eviction API (node drains, the cluster
//! autoscaler, `kubectl drain`); the Deployment and StatefulSet controllers
//! delete pods directly during a rollout and are not held back by it.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::resolve::scale::IntOrPercent;

/// One budget as the disruption controller reads it.
#[derive(Debug)]
pub struct Budget<'a> {
    pub obj: &'a Object,
    /// `minAvailable` or `maxUnavailable`.
    pub field: &'static str,
    pub value: IntOrPercent,
    /// The value's node (for its span).
    pub node: &'a Node,
    pub selector: Selector<'a>,
}

/// The budget of a `policy/*` PodDisruptionBudget; `None` when it has no
/// usable selector (an empty selector means "every pod" in `policy/v1` and
/// "no pod" in `v1beta1`: not guessed), sets both fields (the API server
/// rejects it), neither (no limit), or a value that does not parse (the
/// schema rules report it).
pub fn budget(obj: &Object) -> Option<Budget<'_>> {
    if obj.kind() != "PodDisruptionBudget" || !obj.api_version().starts_with("policy/") {
        return None;
    }
    let spec = obj.root.get("spec")?;
    let selector = Selector::from_label_selector(spec.get("selector")?);
    if selector.is_empty() || selector.invalid {
        return None;
    }
    let present = |key: &str| spec.get(key).filter(|n| !n.is_null());
    let (field, node) = match (present("minAvailable"), present("maxUnavailable")) {
        (Some(n), None) => ("minAvailable", n),
        (None, Some(n)) => ("maxUnavailable", n),
        _ => return None,
    };
    let value = IntOrPercent::from_node(node).ok()?;
    Some(Budget {
        obj,
        field,
        value,
        node,
        selector,
    })
}

impl Budget<'_> {
    /// How many selected pods must stay healthy when the workloads it
    /// selects expect `expected` pods in all (the sum of their scales).
    /// `maxUnavailable` and a `minAvailable` percentage are scaled rounding
    /// up; an integer `minAvailable` is used as written.
    pub fn desired_healthy(&self, expected: i64) -> i64 {
        match (self.field, self.value) {
            ("maxUnavailable", v) => expected.saturating_sub(v.scaled(expected, true)).max(0),
            (_, IntOrPercent::Int(n)) => n,
            (_, v) => v.scaled(expected, true),
        }
    }

    /// `status.disruptionsAllowed` with `healthy` healthy pods:
    /// `healthy - desiredHealthy`, never below zero.
    pub fn disruptions_allowed(&self, healthy: i64, expected: i64) -> i64 {
        healthy
            .saturating_sub(self.desired_healthy(expected))
            .max(0)
    }

    /// `minAvailable: 2`, `maxUnavailable: 25%`.
    pub fn describe_value(&self) -> String {
        format!("{}: {}", self.field, self.value)
    }
}

/// The objects owning pod templates this budget selects, in its namespace
/// (Deployments, StatefulSets, bare Pods, ...), each once, in input order.
pub fn selected<'a>(catalog: &Catalog<'a>, budget: &Budget<'_>) -> Vec<&'a Object> {
    let mut out: Vec<&'a Object> = Vec::new();
    for entry in catalog.templates_matching(budget.obj.namespace(), &budget.selector) {
        if let Some(owner) = catalog.object(entry.object)
            && !out.iter().any(|o| std::ptr::eq(*o, owner))
        {
            out.push(owner);
        }
    }
    out
}

/// The budgets whose selector selects `workload`'s pods (the labels its
/// controller adds included), in input order. The reverse index (owner ->
/// budgets) is built once per catalog from each budget's own selector
/// lookup, so a namespace of many budgets is not walked per workload.
pub fn budgets_for<'a>(catalog: &Catalog<'a>, workload: &Object) -> Vec<Budget<'a>> {
    let index = catalog.budgets_by_owner(|| {
        let mut index: crate::catalog::Map<u32, Vec<u32>> = Default::default();
        for (i, obj) in catalog.objects.iter().enumerate() {
            let (Some(b), Ok(i)) = (budget(obj), u32::try_from(i)) else {
                continue;
            };
            for entry in catalog.templates_matching(obj.namespace(), &b.selector) {
                let list = index.entry(entry.object).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        index
    });
    let Some(at) = catalog
        .index_of(workload)
        .and_then(|i| u32::try_from(i).ok())
    else {
        return Vec::new();
    };
    index
        .get(&at)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .filter_map(budget)
        .collect()
}

/// The pods the workloads a budget selects expect in all (the disruption
/// controller's `expectedCount`: the sum of their controllers' scales; a
/// bare Pod counts one). `None` when one of them has no fixed count (a
/// DaemonSet: one per node; a Job; replicas that are not a number).
pub fn expected_pods(catalog: &Catalog<'_>, owners: &[&Object]) -> Option<i64> {
    owners.iter().try_fold(0i64, |sum, o| {
        let n = match o.kind() {
            "Pod" => 1,
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
                crate::resolve::scale::replicas(catalog, o)?.count
            }
            _ => return None,
        };
        Some(sum.saturating_add(n))
    })
}
