//! KW4015: two VirtualServices bound to one Gateway claim the same host and
//! their HTTP routes collide.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{
    MESH, fqdn, gateway_hosts_for, gateway_names, gateway_ref, host_list, hosts_match, is_kind,
    visible_from,
};
use crate::parse::Node;
use crate::rules::istio::unreachable_route::{catches_all, same_condition};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW4015",
    "istio-conflicting-gateway-virtual-services",
    Istio,
    Warning,
    "Two VirtualServices on one Gateway route the same host with colliding HTTP matches"
);

pub struct Rule;

/// The first `http` entry that takes every request: its index and the span
/// to point at (its `match` key, or the entry's first key).
fn catch_all(vs: &Object) -> Option<(usize, Span)> {
    let entries = vs.root.path(&["spec", "http"]).and_then(Node::as_seq)?;
    entries.iter().enumerate().find_map(|(i, entry)| {
        let map = entry.as_map()?;
        let anchor = entry.entry("match").map_or_else(
            || map.first().map_or(entry.span, |e| e.key.span),
            |e| e.key.span,
        );
        let matches = entry.get_seq("match");
        let takes_all = match entry.entry("match") {
            None => true,
            Some(e) => {
                (matches.is_empty() && e.value.as_seq().is_some())
                    || matches.iter().any(catches_all)
            }
        };
        takes_all.then_some((i, anchor))
    })
}

/// `(entry index, match node)` of every specific match condition.
fn conditions(vs: &Object) -> Vec<(usize, &Node)> {
    vs.root
        .path(&["spec", "http"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.get_seq("match")
                .iter()
                .filter(|m| !catches_all(m))
                .map(move |m| (i, m))
        })
        .collect()
}

/// Hosts (registry names) of a VirtualService that the Gateway serves for
/// it (all of them when the Gateway is not in the input), with their spans.
fn served_hosts(vs: &Object, gateway: Option<&Object>) -> Vec<(String, Span)> {
    let served = gateway.map(|gw| gateway_hosts_for(gw, vs.namespace()));
    host_list(vs.root.path(&["spec", "hosts"]))
        .into_iter()
        .filter(|h| {
            served
                .as_ref()
                .is_none_or(|s| s.iter().any(|g| hosts_match(g.host, h.host)))
        })
        .map(|h| (fqdn(h.host, vs.namespace()).into_owned(), h.span))
        .collect()
}

/// The first host both VirtualServices claim on the Gateway, with the span
/// of `vs`'s host entry.
fn shared_host(vs: &Object, other: &Object, gateway: Option<&Object>) -> Option<(String, Span)> {
    let theirs = served_hosts(other, gateway);
    served_hosts(vs, gateway)
        .into_iter()
        .find(|(name, _)| theirs.iter().any(|(o, _)| o == name))
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let index = catalog.istio();
        let ns = obj.namespace();
        // Each other VirtualService is compared once, on the first Gateway
        // and host the two share.
        let mut seen: Vec<&Object> = Vec::new();
        for g in gateway_names(obj) {
            if g.host == MESH {
                continue;
            }
            let (gw_ns, gw_name) = gateway_ref(g.host, ns);
            if !visible_from(obj, gw_ns) {
                continue;
            }
            let gateway = index.gateway(gw_ns, gw_name);
            for other in index.gateway_virtual_services(gw_ns, gw_name) {
                // Report on the later one; same-named objects of one
                // namespace are one object written twice (alternative files).
                if (other.namespace() == ns && other.name() == obj.name())
                    || (other.file, other.doc_index) >= (obj.file, obj.doc_index)
                    || !visible_from(other, gw_ns)
                    || seen.iter().any(|s| std::ptr::eq(*s, *other))
                {
                    continue;
                }
                let Some((host, host_span)) = shared_host(obj, other, gateway) else {
                    continue;
                };
                seen.push(other);
                report(
                    obj,
                    other,
                    &format!("{gw_ns}/{gw_name}"),
                    &host,
                    host_span,
                    out,
                );
            }
        }
    }
}

fn report(
    obj: &Object,
    other: &Object,
    gateway: &str,
    host: &str,
    host_span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let both = format!(
        "{} and {} both route {host} on Gateway {gateway}",
        obj.describe(),
        other.describe()
    );
    let merged = "Istio merges their `http` routes in the order the VirtualServices were created, which the manifests do not fix";
    // A catch-all in either one shadows everything of the other that comes after it.
    if let Some((k, span)) = catch_all(other) {
        let this = catch_all(obj);
        out.push(
            finding(
                &META,
                obj,
                this.map_or(host_span, |(_, s)| s),
                format!(
                    "{both}; {merged}, and {}'s http[{k}] takes every request, so the routes of {} work only if it happens to be created first",
                    other.describe(),
                    obj.describe()
                ),
            )
            .with_label(if this.is_some() { "also takes every request" } else { "host shared on the gateway" })
            .with_related(other.file, span, "takes every request of the merged host")
            .with_help(format!(
                "give {} a `match` that leaves these routes' requests alone (for example a `uri.prefix` of its own), or merge the two VirtualServices into one, catch-all last",
                other.describe()
            )),
        );
        return;
    }
    if let Some((i, span)) = catch_all(obj) {
        out.push(
            finding(
                &META,
                obj,
                span,
                format!(
                    "{both}; {merged}, and http[{i}] here takes every request, so the routes of {} work only if it happens to be created first",
                    other.describe()
                ),
            )
            .with_label("takes every request of the merged host")
            .with_related(other.file, other.anchor_span(), "its routes for the host are shadowed")
            .with_help(format!(
                "give http[{i}] a `match` of its own, or merge the two VirtualServices into one, catch-all last"
            )),
        );
        return;
    }
    let theirs = conditions(other);
    for (i, m) in conditions(obj) {
        if let Some((k, p)) = theirs.iter().find(|(_, p)| same_condition(p, m)) {
            out.push(
                finding(
                    &META,
                    obj,
                    m.span,
                    format!(
                        "{both}; {merged}, and this match of http[{i}] is the same as {}'s http[{k}], so which of the two receives these requests is not defined",
                        other.describe()
                    ),
                )
                .with_label("same match as the other VirtualService")
                .with_related(other.file, p.span, "the identical match")
                .with_help("keep this match in one of the two VirtualServices, or make one of them more specific"),
            );
        }
    }
}
