//! KW5102 (opt-in): a HorizontalPodAutoscaler that may scale its target to
//! one pod: `minReplicas` below 2 (unset means 1).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5102",
    "hpa-min-replicas-below-two",
    Practice,
    Warning,
    "A HorizontalPodAutoscaler lets its target scale down to one pod (minReplicas below 2) (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "HorizontalPodAutoscaler" || !obj.api_version().starts_with("autoscaling/")
        {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let node = spec.get("minReplicas");
        let min = match node {
            None => 1,
            Some(n) => match n.as_i64() {
                Some(v) => v,
                None => return,
            },
        };
        // minReplicas 0 is the alpha scale-to-zero feature: a choice.
        if min != 1 {
            return;
        }
        let max = spec.get("maxReplicas").and_then(|n| n.as_i64());
        if max == Some(1) {
            // Autoscaling pinned to one pod: the one replica is the design.
            return;
        }
        let (span, what) = match node {
            Some(n) => (n.span, "minReplicas: 1"),
            None => (
                obj.root
                    .entry("spec")
                    .map_or(obj.anchor_span(), |e| e.key.span),
                "no minReplicas (1 by default)",
            ),
        };
        out.push(
            finding(
                &META,
                obj,
                span,
                format!(
                    "{} has {what}: at low load it scales the target to a single pod, so a node drain or that pod's crash takes the service down",
                    obj.describe()
                ),
            )
            .with_label("can scale to one pod")
            .with_help("set `minReplicas: 2` (or more) for a service that must stay up"),
        );
    }
}
