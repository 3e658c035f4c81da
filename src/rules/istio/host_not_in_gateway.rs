//! KW4008: a VirtualService bound to a Gateway has no host the Gateway serves.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{
    MESH, gateway_hosts_for, gateway_names, gateway_ref, host_list, hosts_match, is_kind,
};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4008",
    "istio-host-not-in-gateway",
    Istio,
    Warning,
    "No host of a VirtualService is served by a Gateway it binds to"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let vs_hosts = host_list(obj.root.path(&["spec", "hosts"]));
        if vs_hosts.is_empty() {
            return;
        }
        let index = catalog.istio();
        let vs_ns = obj.namespace();
        for entry in gateway_names(obj) {
            if entry.host == MESH {
                continue;
            }
            let (ns, name) = gateway_ref(entry.host, vs_ns);
            let Some(gw) = index.gateway(ns, name) else {
                continue;
            };
            let gw_hosts = gateway_hosts_for(gw, vs_ns);
            if vs_hosts
                .iter()
                .any(|v| gw_hosts.iter().any(|g| hosts_match(g.host, v.host)))
            {
                continue;
            }
            let all_hosts = gateway_hosts_for(gw, "*");
            let served: Vec<String> = gw
                .root
                .path(&["spec", "servers"])
                .and_then(|s| s.as_seq())
                .unwrap_or(&[])
                .iter()
                .flat_map(|s| host_list(s.get("hosts")))
                .map(|h| h.host.to_string())
                .collect();
            let restricted = gw_hosts.len() < all_hosts.len()
                || served
                    .iter()
                    .any(|h| h.contains('/') && !h.starts_with("*/"));
            let mut diag = finding(
                &META,
                obj,
                entry.span,
                format!(
                    "{} binds to {}, which serves none of its hosts ({}); the gateway ignores these routes",
                    obj.describe(),
                    gw.describe(),
                    vs_hosts.iter().map(|h| h.host).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_label("hosts not served here")
            .with_related(
                gw.file,
                gw.root
                    .path(&["spec", "servers"])
                    .and_then(|s| s.as_seq())
                    .and_then(|s| s.iter().find_map(|server| server.get("hosts")))
                    .map_or(gw.anchor_span(), |h| h.span),
                format!("the Gateway serves {}", served.join(", ")),
            );
            let first = vs_hosts.first().map_or("HOST", |h| h.host);
            diag = if served.is_empty() {
                diag.message = format!(
                    "{} binds to {}, which has no server hosts; the gateway serves none of the VirtualService's hosts",
                    obj.describe(),
                    gw.describe()
                );
                diag.with_help(format!(
                    "add a server to {} with `hosts: [\"{first}\"]` and a port",
                    gw.describe()
                ))
            } else if restricted && gw_hosts.is_empty() {
                diag.with_help(format!(
                    "the Gateway's hosts are restricted to other namespaces (`ns/host`); add `{vs_ns}/{first}` to a server of {}",
                    gw.describe()
                ))
            } else {
                diag.with_help(format!(
                    "add `{first}` to the hosts of a server of {}, or give the VirtualService a host the Gateway serves ({})",
                    gw.describe(),
                    served.join(", ")
                ))
            };
            out.push(diag);
        }
    }
}
