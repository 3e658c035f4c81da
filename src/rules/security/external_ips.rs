//! KW6101: a Service with `spec.externalIPs`. Any address listed there is
//! captured on every node by kube-proxy (CVE-2020-8554), which is why the
//! `DenyServiceExternalIPs` admission plugin exists.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6101",
    "service-external-ips",
    Security,
    Warning,
    "A Service lists externalIPs: kube-proxy captures traffic to those addresses on every node"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Service" || obj.api_version() != "v1" {
            return;
        }
        let Some(entry) = obj.root.get("spec").and_then(|s| s.entry("externalIPs")) else {
            return;
        };
        let node = &entry.value;
        let ips: Vec<&str> = node
            .as_seq()
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        if ips.is_empty() {
            return;
        }
        out.push(
            finding(
                &META,
                obj,
                entry.key.span,
                format!(
                    "{} lists externalIPs {}: kube-proxy on every node captures traffic to these addresses, whoever owns them, so anyone who may create a Service can intercept another destination's traffic (CVE-2020-8554)",
                    obj.describe(),
                    ips.join(", ")
                ),
            )
            .with_label("external IPs")
            .with_help("use `type: LoadBalancer` (or an Ingress/Gateway) to take outside traffic; clusters should enable the DenyServiceExternalIPs admission plugin"),
        );
    }
}
