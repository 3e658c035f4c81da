//! KW5301 (info): a Service of type NodePort or LoadBalancer: an entry
//! into the cluster from outside it, which a reviewer should know of.
//! `kwire graph` lists the same exposures.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5301",
    "service-exposed-outside",
    Practice,
    Info,
    "A Service of type NodePort or LoadBalancer is reachable from outside the cluster"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.api_version() != "v1" {
            return;
        }
        let Some(view) = obj.service() else {
            return;
        };
        let node_ports = obj
            .root
            .path(&["spec", "allocateLoadBalancerNodePorts"])
            .and_then(|n| n.as_bool())
            != Some(false);
        let how = match view.service_type {
            "NodePort" => "on a port of every node's address",
            "LoadBalancer" if node_ports => {
                "through a cloud load balancer (and on a port of every node)"
            }
            "LoadBalancer" => "through a cloud load balancer",
            _ => return,
        };
        let span = obj
            .root
            .path(&["spec", "type"])
            .map_or(obj.anchor_span(), |n| n.span);
        out.push(
            finding(
                &META,
                obj,
                span,
                format!(
                    "{} is of type {}: it is reachable from outside the cluster {how}",
                    obj.describe(),
                    view.service_type
                ),
            )
            .with_label("exposed outside the cluster")
            .with_help("if only other pods need it, use `type: ClusterIP` (and an Ingress or Gateway for HTTP from outside); `kwire graph` lists every exposure"),
        );
    }
}
