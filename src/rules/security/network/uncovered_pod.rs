//! KW6520: a pod template that no NetworkPolicy of its namespace selects,
//! in a namespace with a deny-all ingress policy for other pods: the
//! namespace is meant to be locked down, and these pods are left open.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::network_policy::policies_in;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6520",
    "pod-outside-network-policies",
    Security,
    Warning,
    "No NetworkPolicy selects a pod template, while a deny-all policy of its namespace isolates other pods"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(entry) = super::serving_template(obj, catalog) else {
            return;
        };
        let policies = policies_in(catalog, obj.namespace());
        if policies.is_empty() || policies.iter().any(|p| p.selects(entry)) {
            return;
        }
        let Some(deny) = policies
            .iter()
            .find(|p| p.denies_all_ingress() && !p.selector.is_empty())
        else {
            return;
        };
        out.push(
            finding(
                &META,
                obj,
                entry.template.labels_span(),
                format!(
                    "no NetworkPolicy of namespace \"{}\" selects the pods of {} ({}), while NetworkPolicy \"{}\" denies all ingress to the pods it selects ({}): these pods accept traffic from every pod of the cluster",
                    obj.namespace(),
                    obj.describe_short(),
                    crate::model::selector::describe_labels(&entry.template.labels),
                    deny.obj.name(),
                    deny.selector.describe(),
                ),
            )
            .with_label("selected by no NetworkPolicy")
            .with_related(deny.obj.file, deny.obj.anchor_span(), "the deny-all policy")
            .with_help("add a NetworkPolicy that selects these pods and allows only their clients, or widen the deny-all policy to `podSelector: {}`"),
        );
    }
}
