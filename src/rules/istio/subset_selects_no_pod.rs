//! KW4003: a DestinationRule subset whose labels select none of the pods
//! of the host's Service.

use std::borrow::Cow;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{Target, is_kind};
use crate::model::selector::{Selector, string_pairs};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4003",
    "istio-subset-selects-no-pod",
    Istio,
    Warning,
    "A DestinationRule subset's labels select none of the pods of the host's Service"
);

pub struct Rule;

/// Labels Istio puts on every workload endpoint, whatever its pod template says.
const TOPOLOGY_LABELS: &[&str] = &[
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.istio.io/subzone",
    "topology.istio.io/cluster",
    "topology.istio.io/network",
    "kubernetes.io/hostname",
];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "DestinationRule") {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let Some(host) = spec.get_str("host") else {
            return;
        };
        let Target::Service(svc) = catalog.istio().resolve(host, obj.namespace(), catalog) else {
            return;
        };
        let Some(view) = svc.service() else {
            return;
        };
        let Some(svc_selector) = view.selector() else {
            return;
        };
        let svc_ns = svc.namespace();
        let pods = catalog.templates_matching(svc_ns, &svc_selector);
        if pods.is_empty() {
            // The Service's own pods are not in the input (KW3002's concern).
            return;
        }
        for subset in spec.get_seq("subsets") {
            let Some(labels_entry) = subset.entry("labels") else {
                continue;
            };
            let mut labels = string_pairs(Some(&labels_entry.value));
            // Istio adds the topology labels to every endpoint (from the
            // node and the mesh): any pod satisfies them, as far as the
            // input can tell.
            labels.retain(|(k, _)| !TOPOLOGY_LABELS.contains(k));
            if labels.is_empty() {
                continue;
            }
            let mut selector = Selector {
                match_labels: svc_selector.match_labels.clone(),
                ..Selector::default()
            };
            selector.match_labels.extend(labels.iter().cloned());
            if !catalog.templates_matching(svc_ns, &selector).is_empty() {
                continue;
            }
            let name = subset.get_str("name").unwrap_or("?");
            let subset_sel = Selector {
                match_labels: labels.clone(),
                ..Selector::default()
            };
            // What the Service's pods carry under the subset's label keys.
            let mut seen: Vec<String> = Vec::new();
            for (k, _) in &labels {
                for p in &pods {
                    let v = p
                        .template
                        .labels
                        .iter()
                        .find(|(tk, _)| tk == k)
                        .map_or(Cow::Borrowed("(none)"), |(_, v)| v.clone());
                    let item = format!("{k}={v}");
                    if !seen.contains(&item) {
                        seen.push(item);
                    }
                }
            }
            let mut diag = finding(
                &META,
                obj,
                labels_entry.key.span,
                format!(
                    "{} subset \"{name}\" ({}) selects none of the {} pod template(s) of {} ({}); traffic routed to the subset fails (503)",
                    obj.describe(),
                    subset_sel.describe(),
                    pods.len(),
                    svc.describe(),
                    svc_selector.describe()
                ),
            )
            .with_label("matches no pod of the Service");
            if let Some(p) = pods.first()
                && let Some(owner) = catalog.object(p.object)
            {
                diag = diag.with_related(
                    owner.file,
                    p.template.labels_span(),
                    format!("pod template of {}", owner.describe()),
                );
            }
            out.push(diag.with_help(format!(
                "the Service's pods have {}: make the subset labels name one of them, or deploy the version the subset is for",
                seen.join(", ")
            )));
        }
    }
}
