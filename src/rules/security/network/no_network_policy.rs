//! KW6521 (opt-in): a pod template that no NetworkPolicy selects: its pods
//! accept traffic from every pod of the cluster.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::network_policy::policies_in;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6521",
    "no-network-policy",
    Security,
    Warning,
    "No NetworkPolicy selects a pod template: its pods accept traffic from anywhere",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if crate::policy::SYSTEM_NAMESPACES.contains(&obj.namespace()) {
            return;
        }
        let Some(entry) = super::serving_template(obj, catalog) else {
            return;
        };
        let policies = policies_in(catalog, obj.namespace());
        if policies
            .iter()
            .any(|p| p.isolates_ingress && p.selects(entry))
        {
            return;
        }
        out.push(
            finding(
                &META,
                obj,
                entry.template.labels_span(),
                format!(
                    "no NetworkPolicy of namespace \"{}\" isolates the pods of {}: they accept traffic from every pod of the cluster",
                    obj.namespace(),
                    obj.describe_short(),
                ),
            )
            .with_label("selected by no NetworkPolicy")
            .with_help("add a default-deny NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress]`) to the namespace and policies that let each workload's clients in"),
        );
    }
}
