//! KW4007: a VirtualService binds to a Gateway that the input does not define.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{MESH, assumed, gateway_names, gateway_ref, is_kind};
use crate::rules::istio::suggest;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4007",
    "istio-gateway-not-found",
    Istio,
    Error,
    "A VirtualService's spec.gateways names a Gateway that does not exist"
);

pub struct Rule;

/// Any version of the Gateway API group: lookups compare the group only.
const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let index = catalog.istio();
        let vs_ns = obj.namespace();
        for entry in gateway_names(obj) {
            if entry.host == MESH {
                continue;
            }
            let (ns, name) = gateway_ref(entry.host, vs_ns);
            // Istio also binds a VirtualService to a Gateway API Gateway
            // (`gateway.networking.k8s.io`) named in `gateways:`.
            if index.gateway(ns, name).is_some()
                || !catalog.find(GATEWAY_API, "Gateway", ns, name).is_empty()
                || assumed(catalog, "Gateway", ns, name)
            {
                continue;
            }
            let gateways: Vec<&Object> = index
                .gateways
                .iter()
                .copied()
                .chain(
                    catalog
                        .of_kind("Gateway")
                        .filter(|g| g.api_version().starts_with("gateway.networking.k8s.io/")),
                )
                .collect();
            let same_name: Vec<&Object> = gateways
                .iter()
                .filter(|g| g.name() == name)
                .copied()
                .collect();
            let in_ns: Vec<String> = gateways
                .iter()
                .filter(|g| g.namespace() == ns)
                .map(|g| g.name().to_string())
                .collect();
            let slip = suggest(name, &in_ns);
            let written_in_vs_ns = !entry.host.contains('/');
            // Evidence that the Gateway belongs in the input: one of that
            // name elsewhere, one spelled alike, or a short reference while
            // the input holds the namespace's Gateways.
            let evidence =
                !same_name.is_empty() || slip.is_some() || (written_in_vs_ns && !in_ns.is_empty());
            if !evidence {
                continue;
            }
            let mut diag = finding(
                &META,
                obj,
                entry.span,
                format!(
                    "{} binds to Gateway \"{name}\" in namespace \"{ns}\"{}, which does not exist; the routes apply to no gateway",
                    obj.describe(),
                    if written_in_vs_ns { " (a name without `ns/` is looked up in the VirtualService's namespace)" } else { "" }
                ),
            )
            .with_label("no such Gateway");
            diag = if let Some(gw) = same_name.first() {
                diag.with_related(
                    gw.file,
                    gw.anchor_span(),
                    "a Gateway of that name in another namespace",
                )
                .with_help(format!("write `{}/{}`", gw.namespace(), gw.name()))
            } else if let Some(s) = slip {
                diag.with_help(format!("did you mean `{s}`?"))
            } else {
                diag.with_help(format!(
                    "Gateways in namespace \"{ns}\": {}; define \"{name}\" or fix the reference (`mesh` means the sidecars)",
                    crate::rules::istio::list(&in_ns)
                ))
            };
            out.push(diag);
        }
    }
}
