//! KW5600: a PodDisruptionBudget that allows no eviction of the Deployment
//! or StatefulSet pods it selects (`minAvailable` at or above the replicas,
//! `maxUnavailable: 0`, `100%`/`0%`): every node drain waits on those pods
//! until a person intervenes. The arithmetic is the disruption controller's
//! (`crate::resolve::pdb`), which `kwire rollout` reads too.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::pdb;
use crate::resolve::scale;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5600",
    "pdb-unevictable",
    Practice,
    Warning,
    "A PodDisruptionBudget allows no eviction of the Deployment or StatefulSet pods it selects: node drains block"
);

pub struct Rule;

/// `3 replicas`, `2 replicas, the minReplicas of HorizontalPodAutoscaler "web"`.
fn replicas_text(r: &scale::Replicas<'_>) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    match r.hpa {
        Some((hpa, min, _)) => format!(
            "{min} replica{}, the minReplicas of HorizontalPodAutoscaler \"{}\"",
            plural(min),
            hpa.name()
        ),
        None if r.written.is_none() => "1 replica, spec.replicas unset".to_string(),
        None => format!("{} replica{}", r.count, plural(r.count)),
    }
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(budget) = pdb::budget(obj) else {
            return;
        };
        let owners = pdb::selected(catalog, &budget);
        let workloads: Vec<&Object> = owners
            .iter()
            .copied()
            .filter(|o| matches!(o.kind(), "Deployment" | "StatefulSet"))
            .collect();
        if workloads.is_empty() {
            return;
        }
        // Pods of a DaemonSet or Job among them: their count is not in the
        // manifests, so the budget's arithmetic is not either.
        let Some(expected) = pdb::expected_pods(catalog, &owners) else {
            return;
        };
        // Scaled to zero: nothing to evict, nothing blocked.
        if expected <= 0 {
            return;
        }
        let desired = budget.desired_healthy(expected);
        if budget.disruptions_allowed(expected, expected) > 0 {
            return;
        }
        let mut described = Vec::new();
        let mut related = Vec::new();
        for w in &workloads {
            let Some(r) = scale::replicas(catalog, w) else {
                return;
            };
            described.push(format!("{} with {}", w.describe(), replicas_text(&r)));
            let span = w
                .root
                .path(&["spec", "replicas"])
                .map_or_else(|| w.anchor_span(), |n| n.span);
            related.push((w.file, span, format!("{} pods", r.count)));
        }
        let message = format!(
            "{} with `{}` keeps {desired} of {expected} pod{} healthy, so it allows no eviction of {}: a node drain (`kubectl drain`, a node upgrade, the cluster autoscaler) waits on these pods until someone deletes them or changes the budget",
            obj.describe(),
            budget.describe_value(),
            if expected == 1 { "" } else { "s" },
            described.join(", ")
        );
        let help = if expected == 1 {
            "one replica cannot be both protected and evicted: run at least 2 replicas with `maxUnavailable: 1` (or `minAvailable: 1`), or drop the budget".to_string()
        } else {
            format!(
                "allow at least one disruption: `maxUnavailable: 1`, or `minAvailable: {}` (at most replicas − 1)",
                expected - 1
            )
        };
        let mut d = finding(&META, obj, budget.node.span, message)
            .with_label("allows 0 disruptions")
            .with_help(help);
        for (file, span, text) in related {
            d = d.with_related(file, span, text);
        }
        out.push(d);
    }
}
