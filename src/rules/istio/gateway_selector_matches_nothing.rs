//! KW4009: a Gateway whose `selector` matches none of the gateway workloads
//! the input deploys.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{gateway_selector, is_kind};
use crate::model::selector::describe_labels;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4009",
    "istio-gateway-selector-matches-nothing",
    Istio,
    Warning,
    "A Gateway's selector matches none of the gateway workloads the input deploys"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "Gateway") {
            return;
        }
        let index = catalog.istio();
        // Without a gateway deployment in the input, the gateway is installed
        // from elsewhere (istioctl, the Helm chart): nothing to match.
        if !index.has_gateway_workload {
            return;
        }
        let Some((selector, key_span)) = gateway_selector(obj) else {
            return;
        };
        let ns = obj.namespace();
        // A Gateway selects gateway pods in any namespace (unless istiod runs
        // with PILOT_SCOPE_GATEWAY_TO_NAMESPACE).
        if !catalog.templates_matching(ns, &selector).is_empty()
            || !catalog
                .templates_matching_elsewhere(ns, &selector)
                .is_empty()
        {
            return;
        }
        let gateways: Vec<_> = catalog
            .objects
            .iter()
            .filter(|o| crate::model::istio::is_gateway_workload(o))
            .collect();
        let mut diag = finding(
            &META,
            obj,
            key_span,
            format!(
                "{} selector {} matches none of the {} gateway workload(s) in the input; no gateway proxy serves its servers",
                obj.describe(),
                selector.describe(),
                gateways.len()
            ),
        )
        .with_label("matches no gateway pod");
        if let Some(gw) = gateways.first()
            && let Some(t) = gw.pod_template()
        {
            diag = diag
                .with_related(
                    gw.file,
                    t.labels_span(),
                    format!("pod labels of {}", gw.describe()),
                )
                .with_help(format!(
                    "select the labels of the gateway deployment, e.g. {} ({})",
                    describe_labels(&t.labels),
                    gw.describe()
                ));
        }
        out.push(diag);
    }
}
