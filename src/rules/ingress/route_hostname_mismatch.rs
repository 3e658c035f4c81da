//! KW3216: the listeners a route attaches to admit it, but none of their
//! hostnames intersects the route's `spec.hostnames`: the route is not
//! accepted (`Accepted: False`, `NoMatchingListenerHostname`). The
//! intersection is `crate::resolve::gateway_api::effective_hostnames`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::gateway_api::{self, GatewayLookup, Verdict};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3216",
    "route-hostname-mismatch",
    Reference,
    Warning,
    "No hostname of the listeners a route attaches to intersects the route's hostnames"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let (Some(hostnames_node), hostnames) = gateway_api::route_hostnames(obj) else {
            return;
        };
        for parent in obj.route_parent_refs() {
            let Some(attachment) = gateway_api::attach(obj, &parent, catalog) else {
                continue;
            };
            let GatewayLookup::Unique(gateway) = attachment.lookup else {
                continue;
            };
            if attachment.verdict() != Verdict::NoMatchingListenerHostname {
                continue;
            }
            let admitting: Vec<_> = attachment.admitting().collect();
            let listed: Vec<String> = admitting
                .iter()
                .map(|l| {
                    format!(
                        "\"{}\" ({})",
                        l.name(),
                        l.listener.get_str("hostname").unwrap_or("any host")
                    )
                })
                .collect();
            let related = admitting
                .first()
                .map(|l| {
                    l.listener
                        .get("hostname")
                        .map_or(l.listener.span, |h| h.span)
                })
                .unwrap_or(gateway.anchor_span());
            out.push(
                finding(
                    &META,
                    obj,
                    hostnames_node.span,
                    format!(
                        "{} attaches to Gateway \"{}\" (namespace {}), but none of its hostnames ({}) matches the hostname of listener{} {}; the route is not accepted (NoMatchingListenerHostname)",
                        obj.describe(),
                        attachment.name,
                        gateway.namespace(),
                        hostnames.join(", "),
                        if listed.len() == 1 { "" } else { "s" },
                        listed.join(", ")
                    ),
                )
                .with_label("no listener serves these hostnames")
                .with_related(gateway.file, related, "the listener's hostname")
                .with_help(
                    "add a hostname the listener covers (a listener `*.example.com` covers `shop.example.com`), or attach the route to a listener for its hostnames",
                ),
            );
        }
    }
}
