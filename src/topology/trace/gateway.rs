//! From outside through a Gateway API Gateway: the listener for the port,
//! protocol and hostname, the HTTPRoutes attached to it, and the one match
//! that wins by the HTTPRoute precedence rules; weighted `backendRefs`.

use std::cmp::Ordering;

use crate::model::Object;
use crate::model::gateway::{GROUP, grant_allows, is_gateway_api};
use crate::parse::Node;
use crate::resolve::gateway_api::{self, GatewayLookup, host_matches};
use crate::resolve::services::{ServiceLookup, lookup_service};

use super::matching::{element_prefix, whole_regex};
use super::service::{PortSel, to_service};
use super::{Cx, Outcome, Request, Result, TracePath, Walk};

/// A match's rank, compared field by field (greater wins), as the
/// HTTPRoute specification orders them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// The route hostname that matched: 2 exact, 1 wildcard, 0 none
    /// (the listener's), then its length.
    pub hostname: (u8, usize),
    /// 2 Exact, 1 PathPrefix, 0 RegularExpression; then the value's length.
    pub path: (u8, usize),
    pub method: bool,
    pub headers: usize,
    pub query: usize,
}

struct Winner<'a> {
    route: &'a Object,
    rule: &'a Node,
    rule_index: usize,
    match_node: Option<&'a Node>,
    match_index: usize,
    rank: Rank,
    described: String,
}

pub(super) fn trace(cx: &Cx<'_, '_>, req: &Request, out: &mut Vec<TracePath>) {
    let gateways: Vec<&Object> = cx
        .catalog
        .of_kind("Gateway")
        .filter(|o| is_gateway_api(o, "Gateway") && (cx.own)(o))
        .collect();
    for gw in gateways {
        gateway(cx, req, gw, out);
    }
}

fn listener_protocol_fits(protocol: &str, scheme: &str) -> bool {
    matches!((protocol, scheme), ("HTTP", "http") | ("HTTPS", "https"))
}

fn gateway<'a>(cx: &Cx<'_, 'a>, req: &Request, gw: &'a Object, out: &mut Vec<TracePath>) {
    let url = &req.url;
    let on_port: Vec<&Node> = gw
        .gateway_listeners()
        .iter()
        .filter(|l| l.get("port").and_then(Node::as_i64) == Some(i64::from(url.port)))
        .collect();
    let host_fits_any = |l: &&Node| {
        l.get_str("hostname")
            .is_none_or(|h| host_matches(h, &url.host))
    };
    if url.scheme == "http" && !on_port.iter().any(host_fits_any) {
        // A plain http request for a host served only by a TLS listener.
        let tls = gw.gateway_listeners().iter().find(|l| {
            matches!(l.get_str("protocol"), Some("HTTPS" | "TLS"))
                && host_fits_any(l)
                && l.get_str("hostname").is_some()
        });
        if let Some(l) = tls {
            let tls_port = l.get("port").and_then(Node::as_i64).unwrap_or(443);
            let entry = format!("Gateway {}/{} :{}", gw.namespace(), gw.name(), url.port);
            let w = Walk::new(entry, (cx.unit)(gw), true).with(cx.hop(
                gw,
                l.span,
                format!(
                    "listener {} HTTPS :{tls_port} hostname {}",
                    l.get_str("name").unwrap_or("?"),
                    l.get_str("hostname").unwrap_or("")
                ),
            ));
            out.push(w.end(Outcome::dropped(
                "tls-only",
                None,
                format!("{} is served only over HTTPS on port {tls_port}; no listener takes plain http on port {}", url.host, url.port),
            )));
            return;
        }
    }
    if on_port.is_empty() {
        return;
    }
    let entry_of = |l: &Node| {
        format!(
            "Gateway {}/{} listener {} :{}",
            gw.namespace(),
            gw.name(),
            l.get_str("name").unwrap_or("?"),
            url.port
        )
    };
    let host_fits = |l: &Node| {
        l.get_str("hostname")
            .is_none_or(|h| host_matches(h, &url.host))
    };
    let specificity = |l: &Node| match l.get_str("hostname") {
        None => (0u8, 0usize),
        Some(h) if h.starts_with('*') => (1, h.len()),
        Some(h) => (2, h.len()),
    };
    let listener = on_port
        .iter()
        .copied()
        .filter(|l| {
            host_fits(l) && listener_protocol_fits(l.get_str("protocol").unwrap_or(""), &url.scheme)
        })
        .max_by_key(|l| specificity(l));
    let unit = (cx.unit)(gw);
    let Some(listener) = listener else {
        let l = on_port.first().copied();
        let Some(l) = l else { return };
        let protocol = l.get_str("protocol").unwrap_or("?");
        let walk = Walk::new(entry_of(l), unit, true);
        let hop = cx.hop(
            gw,
            l.span,
            format!(
                "listener {} {protocol} :{}",
                l.get_str("name").unwrap_or("?"),
                url.port
            ),
        );
        let w = walk.with(hop);
        let outcome = if !host_fits(l) {
            Outcome::dropped(
                "no-host-match",
                Some(404),
                format!("no listener on port {} accepts host {}", url.port, url.host),
            )
        } else if protocol == "HTTPS" || protocol == "TLS" {
            Outcome::dropped(
                "tls-only",
                None,
                format!(
                    "port {} takes only TLS ({protocol}); a plain http request fails the handshake",
                    url.port
                ),
            )
        } else {
            Outcome::dropped(
                "no-listener",
                None,
                format!(
                    "port {} is a {protocol} listener, not {}",
                    url.port,
                    url.scheme.to_ascii_uppercase()
                ),
            )
        };
        out.push(w.end(outcome));
        return;
    };
    let lname = listener.get_str("name").unwrap_or("");
    let walk = Walk::new(entry_of(listener), unit, true);
    let mut hop = cx.hop(
        gw,
        listener.span,
        format!(
            "listener {lname} {} :{}{}",
            listener.get_str("protocol").unwrap_or("?"),
            url.port,
            listener
                .get_str("hostname")
                .map(|h| format!(" hostname {h}"))
                .unwrap_or_default()
        ),
    );
    if url.scheme == "https" {
        let secret = listener
            .path(&["tls", "certificateRefs"])
            .and_then(Node::as_seq)
            .and_then(|s| s.first())
            .and_then(|c| c.get_str("name"));
        hop.notes.push(format!(
            "TLS terminated{}",
            secret
                .map(|s| format!(" with Secret {s}"))
                .unwrap_or_default()
        ));
    }
    let walk = walk.with(hop);
    let from = listener
        .path(&["allowedRoutes", "namespaces", "from"])
        .and_then(Node::as_str)
        .unwrap_or("Same");
    let mut attached = 0usize;
    let mut best: Option<Winner<'a>> = None;
    for route in cx.catalog.of_kind("HTTPRoute") {
        let mut attaches = false;
        let mut allowed = false;
        for p in route.route_parent_refs() {
            if p.name.as_str() != Some(gw.name())
                || p.target_namespace(route.namespace()) != gw.namespace()
            {
                continue;
            }
            let Some(attachment) = gateway_api::attach(route, &p, cx.catalog) else {
                continue;
            };
            match attachment.lookup {
                // The attachment the lint rules and the graph read: this
                // listener is among those selected, and admits the route.
                GatewayLookup::Unique(g) if std::ptr::eq(g, gw) => {
                    if let Some(l) = attachment
                        .listeners
                        .iter()
                        .find(|l| std::ptr::eq(l.listener, listener))
                    {
                        attaches = true;
                        allowed |= l.admits();
                    }
                }
                // Alternative definitions of the Gateway: this one's listener
                // is matched by name and port, and its namespaces rule.
                _ => {
                    let selects = p
                        .section_name
                        .and_then(Node::as_str)
                        .is_none_or(|s| s == lname)
                        && p.port
                            .and_then(Node::as_i64)
                            .is_none_or(|n| n == i64::from(url.port));
                    if selects {
                        attaches = true;
                        allowed |= match from {
                            "All" | "Selector" => true,
                            _ => route.namespace() == gw.namespace(),
                        };
                    }
                }
            }
        }
        if !attaches || !allowed {
            continue;
        }
        attached += 1;
        let Some(hostname) = route_hostname(route, listener, &url.host) else {
            continue;
        };
        let spec = route.root.get("spec");
        for (ri, rule) in spec
            .map_or(&[][..], |s| s.get_seq("rules"))
            .iter()
            .enumerate()
        {
            let matches = rule.get_seq("matches");
            let defaults = [None];
            let list: Vec<Option<&Node>> = if matches.is_empty() {
                defaults.to_vec()
            } else {
                matches.iter().map(Some).collect()
            };
            for (mi, m) in list.into_iter().enumerate() {
                let Some((rank, described)) = match_request(m, req, hostname) else {
                    continue;
                };
                let w = Winner {
                    route,
                    rule,
                    rule_index: ri,
                    match_node: m,
                    match_index: mi,
                    rank,
                    described,
                };
                if best.as_ref().is_none_or(|b| precedes(&w, b)) {
                    best = Some(w);
                }
            }
        }
    }
    let Some(win) = best else {
        out.push(walk.end(Outcome::dropped(
            "no-route-match",
            Some(404),
            format!(
                "none of the {attached} HTTPRoute(s) attached to listener {lname} matches {} {}{}",
                req.method, url.host, url.path
            ),
        )));
        return;
    };
    let mut hop = cx.hop(
        win.route,
        win.match_node.map_or(win.rule.span, |m| m.span),
        format!(
            "rule {} match {}: {}",
            win.rule_index, win.match_index, win.described
        ),
    );
    for f in win.rule.get_seq("filters") {
        match f.get_str("type") {
            Some("RequestRedirect") => {
                let code = f
                    .path(&["requestRedirect", "statusCode"])
                    .and_then(Node::as_i64)
                    .unwrap_or(302);
                let w = walk.with(hop);
                out.push(w.end(Outcome::other(
                    Result::Redirected,
                    u16::try_from(code).ok(),
                    format!("RequestRedirect filter answers {code}"),
                )));
                return;
            }
            Some("URLRewrite") => hop
                .notes
                .push("URLRewrite filter rewrites the request before it is forwarded".into()),
            Some(other) => hop.notes.push(format!("{other} filter")),
            None => {}
        }
    }
    let walk = walk.with(hop);
    backends(cx, walk, win.route, win.rule, out);
}

/// The route hostname that accepts `host` (None: the route does not), with
/// its rank; a route without hostnames takes the listener's.
fn route_hostname(route: &Object, listener: &Node, host: &str) -> Option<(u8, usize)> {
    let names: Vec<&str> = route
        .root
        .path(&["spec", "hostnames"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect();
    if names.is_empty() {
        return Some((0, 0));
    }
    let _ = listener;
    names
        .iter()
        .filter(|h| host_matches(h, host))
        .map(|h| {
            if h.starts_with('*') {
                (1, h.len())
            } else {
                (2, h.len())
            }
        })
        .max()
}

/// Does one `matches[]` entry (None: the default `PathPrefix /`) match?
fn match_request(m: Option<&Node>, req: &Request, hostname: (u8, usize)) -> Option<(Rank, String)> {
    let url = &req.url;
    let mut said = Vec::new();
    let path = m.and_then(|m| m.get("path"));
    let kind = path.and_then(|p| p.get_str("type")).unwrap_or("PathPrefix");
    let value = path.and_then(|p| p.get_str("value")).unwrap_or("/");
    let path_rank = match kind {
        "Exact" => (url.path == value).then_some((2u8, value.len()))?,
        "PathPrefix" => element_prefix(value, &url.path).map(|len| (1u8, len))?,
        "RegularExpression" => whole_regex(value, &url.path)
            .filter(|b| *b)
            .map(|_| (0u8, 0))?,
        _ => return None,
    };
    said.push(format!("path {} matches {value:?} ({kind})", url.path));
    let method = m.and_then(|m| m.get_str("method"));
    if let Some(want) = method {
        if !want.eq_ignore_ascii_case(&req.method) {
            return None;
        }
        said.push(format!("method {want}"));
    }
    let headers = m.map_or(&[][..], |m| m.get_seq("headers"));
    for h in headers {
        let name = h.get_str("name")?.to_ascii_lowercase();
        let want = h.get_str("value")?;
        let got = req
            .headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())?;
        let ok = match h.get_str("type").unwrap_or("Exact") {
            "RegularExpression" => whole_regex(want, got)?,
            _ => got == want,
        };
        if !ok {
            return None;
        }
        said.push(format!("header {name}: {got}"));
    }
    let query = m.map_or(&[][..], |m| m.get_seq("queryParams"));
    for q in query {
        let name = q.get_str("name")?;
        let want = q.get_str("value")?;
        let got = url
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())?;
        let ok = match q.get_str("type").unwrap_or("Exact") {
            "RegularExpression" => whole_regex(want, got)?,
            _ => got == want,
        };
        if !ok {
            return None;
        }
        said.push(format!("query {name}={got}"));
    }
    Some((
        Rank {
            hostname,
            path: path_rank,
            method: method.is_some(),
            headers: headers.len(),
            query: query.len(),
        },
        said.join(", "),
    ))
}

/// Does `a` win over `b`? Rank first; then the oldest route, then
/// `namespace/name`, then rule and match order.
fn precedes(a: &Winner<'_>, b: &Winner<'_>) -> bool {
    let created = |w: &Winner<'_>| {
        w.route
            .metadata()
            .and_then(|m| m.get_str("creationTimestamp"))
            .map(str::to_string)
    };
    let key = |w: &Winner<'_>| format!("{}/{}", w.route.namespace(), w.route.name());
    match a.rank.cmp(&b.rank) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => {
            // Oldest first: a written timestamp is older than none.
            match (created(a), created(b)) {
                (Some(x), Some(y)) if x != y => return x < y,
                (Some(_), None) => return true,
                (None, Some(_)) => return false,
                _ => {}
            }
            (key(a), a.rule_index, a.match_index) < (key(b), b.rule_index, b.match_index)
        }
    }
}

fn backends<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    route: &'a Object,
    rule: &'a Node,
    out: &mut Vec<TracePath>,
) {
    let refs = rule.get_seq("backendRefs");
    let weight = |b: &Node| b.get("weight").and_then(Node::as_i64).unwrap_or(1).max(0);
    let total: i64 = refs.iter().map(weight).fold(0, i64::saturating_add);
    if refs.is_empty() || total == 0 {
        out.push(walk.end(Outcome::dropped(
            "no-backend",
            Some(500),
            "the rule has no backendRefs with a weight above 0: the gateway answers 500",
        )));
        return;
    }
    for b in refs {
        let w_n = weight(b);
        if w_n == 0 {
            continue;
        }
        let mut w = walk.clone();
        w.share *= w_n as f64 / total as f64;
        if refs.len() > 1
            && let Some(last) = w.hops.last_mut()
        {
            last.notes.push(format!(
                "backend {} gets weight {w_n} of {total}",
                b.get_str("name").unwrap_or("?")
            ));
        }
        let Some(name) = b.get_str("name") else {
            continue;
        };
        let group = b.get_str("group").unwrap_or("");
        let kind = b.get_str("kind").unwrap_or("Service");
        if !group.is_empty() || kind != "Service" {
            out.push(w.end(Outcome::other(
                Result::Assumed,
                None,
                format!("backend {kind} {name} ({group}): not a Service, not followed"),
            )));
            continue;
        }
        let ns = b.get_str("namespace").unwrap_or(route.namespace());
        if ns != route.namespace() {
            let granted = cx.catalog.in_namespace(ns).any(|g| {
                grant_allows(
                    g,
                    (GROUP, "HTTPRoute", route.namespace()),
                    ("", "Service", name),
                )
            });
            if !granted {
                out.push(w.end(Outcome::dropped(
                    "backend-missing",
                    Some(500),
                    format!("backendRef to Service {ns}/{name} crosses namespaces and no ReferenceGrant in {ns} allows it: 500"),
                )));
                continue;
            }
        }
        let port = PortSel::of(b.get("port"));
        match lookup_service(cx.catalog, route, ns, name) {
            ServiceLookup::Found(svc) => to_service(cx, w, svc, port, None, out),
            ServiceLookup::Unknown => out.push(w.end(Outcome::other(
                Result::Assumed,
                None,
                format!(
                    "Service {ns}/{name} is not in the input; assumed to be deployed elsewhere"
                ),
            ))),
            ServiceLookup::Elsewhere(_) | ServiceLookup::Missing(_) => {
                out.push(w.end(Outcome::dropped(
                    "backend-missing",
                    Some(500),
                    format!(
                        "no Service {name} in namespace {ns} (KW3210): the gateway answers 500"
                    ),
                )))
            }
        }
    }
}
