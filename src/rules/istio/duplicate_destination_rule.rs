//! KW4004: two DestinationRules in one namespace for the same host.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{fqdn, is_kind};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4004",
    "istio-duplicate-destination-rule",
    Istio,
    Warning,
    "Two DestinationRules in one namespace configure the same host"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "DestinationRule") || has_workload_selector(obj) {
            return;
        }
        let Some(host) = obj.root.path(&["spec", "host"]) else {
            return;
        };
        let Some(h) = host.as_str() else {
            return;
        };
        let name = fqdn(h, obj.namespace());
        // Report on the later one, pointing at the first. Same-named rules
        // are versions of one object (alternative files), not a conflict.
        let first = catalog
            .istio()
            .destination_rules_with_host(&name)
            .iter()
            .filter(|other| {
                other.namespace() == obj.namespace()
                    && other.name() != obj.name()
                    && !has_workload_selector(other)
            })
            .copied()
            .filter(|other| (other.file, other.doc_index) < (obj.file, obj.doc_index))
            .min_by_key(|other| (other.file, other.doc_index));
        let Some(first) = first else {
            return;
        };
        out.push(
            finding(
                &META,
                obj,
                host.span,
                format!(
                    "{} and {} both configure {name}; Istio merges them in creation order: the later rule's trafficPolicy is ignored and its subsets with taken names are dropped",
                    obj.describe(),
                    first.describe()
                ),
            )
            .with_label("host already configured")
            .with_related(first.file, first.anchor_span(), "the other DestinationRule for the host")
            .with_help(format!(
                "merge the subsets and traffic policy into {} and delete this one",
                first.describe()
            )),
        );
    }
}

fn has_workload_selector(dr: &Object) -> bool {
    dr.root.path(&["spec", "workloadSelector"]).is_some()
}
