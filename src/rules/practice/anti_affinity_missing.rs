//! KW5103 (opt-in): a workload of more than one replica that does nothing
//! to spread its pods: no pod anti-affinity term and no topology spread
//! constraint whose label selector selects its own pods (in its own
//! namespace). A term that selects other pods, or only other namespaces,
//! spreads nothing.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::Selector;
use crate::model::workload::PodTemplate;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5103",
    "anti-affinity-missing",
    Practice,
    Info,
    "A workload of several replicas has no pod anti-affinity or topology spread over its own pods, so they may all land on one node (opt-in)",
    opt_in
);

pub struct Rule;

/// Does `term` (a PodAffinityTerm or a TopologySpreadConstraint) select the
/// template's pods in `namespace`?
fn spreads(term: &Node, template: &PodTemplate<'_>, namespace: &str) -> bool {
    let Some(selector) = term.get("labelSelector").filter(|n| !n.is_null()) else {
        // A null selector selects no pod.
        return false;
    };
    let namespaces = term.get_seq("namespaces");
    let own_namespace = term.get("namespaceSelector").is_some()
        || namespaces.is_empty()
        || namespaces.iter().any(|n| n.as_str() == Some(namespace));
    own_namespace && Selector::from_label_selector(selector).matches(&template.labels)
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !matches!(
            obj.kind(),
            "Deployment"
                | "StatefulSet"
                | "ReplicaSet"
                | "ReplicationController"
                | "DeploymentConfig"
        ) {
            return;
        }
        let Some(replicas_node) = obj.root.path(&["spec", "replicas"]) else {
            return;
        };
        let Some(replicas) = replicas_node.as_i64().filter(|r| *r > 1) else {
            return;
        };
        let Some(template) = obj.pod_template() else {
            return;
        };
        let spec = template.spec;
        let anti = spec.and_then(|s| s.path(&["affinity", "podAntiAffinity"]));
        let required = anti.map_or(&[][..], |a| {
            a.get_seq("requiredDuringSchedulingIgnoredDuringExecution")
        });
        let preferred = anti.map_or(&[][..], |a| {
            a.get_seq("preferredDuringSchedulingIgnoredDuringExecution")
        });
        let spread = spec.map_or(&[][..], |s| s.get_seq("topologySpreadConstraints"));
        let namespace = obj.namespace();
        if required.iter().any(|t| spreads(t, &template, namespace))
            || preferred
                .iter()
                .filter_map(|p| p.get("podAffinityTerm"))
                .any(|t| spreads(t, &template, namespace))
            || spread.iter().any(|t| spreads(t, &template, namespace))
        {
            return;
        }
        out.push(
            finding(
                &META,
                obj,
                replicas_node.span,
                format!(
                    "{} runs {replicas} replicas with no pod anti-affinity or topology spread over its own pods: the scheduler may put them all on one node or zone, and losing it loses them all",
                    obj.describe()
                ),
            )
            .with_label("replicas not spread")
            .with_help("add `topologySpreadConstraints` (`topologyKey: kubernetes.io/hostname`, `whenUnsatisfiable: ScheduleAnyway`) or a preferred `podAntiAffinity` term whose `labelSelector` selects the pod template's labels"),
        );
    }
}
