//! KW3111: `externalTrafficPolicy` governs traffic arriving from outside the
//! cluster (node ports, load balancers, external IPs); on a ClusterIP Service
//! it does nothing, and the author likely meant `internalTrafficPolicy` or
//! another Service type.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3111",
    "external-traffic-policy-cluster-ip",
    Reference,
    Warning,
    "externalTrafficPolicy: Local on a Service that receives no external traffic"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        if service.service_type != "ClusterIP" {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        let Some(policy) = spec.get("externalTrafficPolicy") else {
            return;
        };
        if policy.as_str() != Some("Local") || !spec.get_seq("externalIPs").is_empty() {
            return;
        }
        let type_span = spec.get("type").map(|t| t.span);
        let mut diag = finding(
            &META,
            obj,
            policy.span,
            format!(
                "{} is of type ClusterIP and has no externalIPs, so externalTrafficPolicy: Local has no effect",
                obj.describe()
            ),
        )
        .with_label("no effect on ClusterIP")
        .with_help("for node-local routing of in-cluster traffic use `internalTrafficPolicy: Local`; to keep client IPs on external traffic make the Service `type: NodePort` or `LoadBalancer`");
        if let Some(span) = type_span {
            diag = diag.with_related(obj.file, span, "the Service type");
        }
        out.push(diag);
    }
}
