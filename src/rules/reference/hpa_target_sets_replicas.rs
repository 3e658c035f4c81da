//! KW3007: a workload scaled by a HorizontalPodAutoscaler that also sets
//! `spec.replicas`: every apply resets the replica count to the manifest's
//! value until the autoscaler corrects it again.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::hpa_target_not_found::target;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3007",
    "hpa-target-sets-replicas",
    Reference,
    Info,
    "A workload scaled by a HorizontalPodAutoscaler also sets spec.replicas"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some((target_node, api_version, kind, name)) = target(obj) else {
            return;
        };
        for &idx in &catalog.find(api_version, kind, obj.namespace(), name) {
            let Some(workload) = catalog.object(idx) else {
                continue;
            };
            let Some(entry) = workload.root.get("spec").and_then(|s| s.entry("replicas")) else {
                continue;
            };
            let count = entry.value.scalar_text().unwrap_or_default();
            out.push(
                workload
                    .diag(
                        META.code,
                        META.severity,
                        entry.key.span,
                        format!(
                            "{} sets replicas: {count} but {} scales it; every apply resets the replica count to {count} until the autoscaler scales it again",
                            workload.describe(),
                            obj.describe()
                        ),
                    )
                    .with_label("fights the autoscaler")
                    .with_related(obj.file, target_node.span, "scaleTargetRef of the autoscaler")
                    .with_help("remove spec.replicas from the manifest and let the autoscaler's minReplicas set the floor"),
            );
        }
    }
}
