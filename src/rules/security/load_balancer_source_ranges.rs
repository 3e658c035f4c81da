//! KW6102 (opt-in): a LoadBalancer Service reachable from any address: no
//! `loadBalancerSourceRanges` and no source-ranges annotation. Internal load
//! balancers (the cloud annotations that make one) are not reported.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6102",
    "load-balancer-source-ranges-missing",
    Security,
    Warning,
    "A LoadBalancer Service accepts traffic from any address: no loadBalancerSourceRanges (opt-in)",
    opt_in
);

pub struct Rule;

/// Annotations that make a cloud load balancer internal to the network
/// (GKE, AWS, Azure, OCI, IBM), or restrict its sources another way.
const INTERNAL: &[(&str, &[&str])] = &[
    ("networking.gke.io/load-balancer-type", &["Internal"]),
    (
        "cloud.google.com/load-balancer-type",
        &["Internal", "internal"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        &["true", "0.0.0.0/0"],
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        &["internal"],
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        &["true"],
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        &["true"],
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        &["private"],
    ),
];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Service" || obj.api_version() != "v1" {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let Some(kind) = spec
            .get("type")
            .filter(|t| t.as_str() == Some("LoadBalancer"))
        else {
            return;
        };
        if !spec.get_seq("loadBalancerSourceRanges").is_empty()
            || obj
                .annotation("service.beta.kubernetes.io/load-balancer-source-ranges")
                .is_some()
        {
            return;
        }
        let internal = INTERNAL.iter().any(|(key, values)| {
            obj.annotation(key)
                .is_some_and(|v| values.iter().any(|w| v.eq_ignore_ascii_case(w)))
        });
        if internal {
            return;
        }
        out.push(
            finding(
                &META,
                obj,
                kind.span,
                format!(
                    "{} is a LoadBalancer without loadBalancerSourceRanges: the cloud load balancer accepts connections from the whole internet",
                    obj.describe()
                ),
            )
            .with_label("open to any address")
            .with_help("list the client networks in `spec.loadBalancerSourceRanges` (`[203.0.113.0/24]`), or make the load balancer internal with your cloud's annotation"),
        );
    }
}
