//! Istio: a request through an ingress Gateway's server, or a sidecar's
//! `mesh` routing, by the VirtualService for its host. `http` entries in
//! list order, the first match wins; conditions of one match block are
//! ANDed, blocks ORed; string `prefix` is a plain prefix (not path
//! elements); weights are shares of their sum; a subset narrows the
//! Service's pods through the DestinationRule.

use crate::model::Object;
use crate::model::istio::{Target, fqdn, gateway_hosts_for, gateway_names, host_list};
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::resolve::istio::evidently_missing;

use super::matching::{istio_string, suffix_host};
use super::service::{PortSel, Subset, to_service};
use super::{Cx, Outcome, Request, Result, TracePath, Walk};

pub(super) fn trace_gateways(cx: &Cx<'_, '_>, req: &Request, out: &mut Vec<TracePath>) {
    let istio = cx.catalog.istio();
    for &gw in &istio.gateways {
        if (cx.own)(gw) {
            gateway(cx, req, gw, out);
        }
    }
}

fn server_host_fits(server: &Node, host: &str) -> bool {
    host_list(server.get("hosts")).iter().any(|h| {
        let pattern = h.host.split_once('/').map_or(h.host, |(_, x)| x);
        suffix_host(pattern, host)
    })
}

fn gateway<'a>(cx: &Cx<'_, 'a>, req: &Request, gw: &'a Object, out: &mut Vec<TracePath>) {
    let url = &req.url;
    let servers = gw
        .root
        .path(&["spec", "servers"])
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    let on_port: Vec<&Node> = servers
        .iter()
        .filter(|s| s.path(&["port", "number"]).and_then(Node::as_i64) == Some(i64::from(url.port)))
        .collect();
    let protocol = |s: &Node| {
        s.path(&["port", "protocol"])
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_ascii_uppercase()
    };
    // A plain http request for a host this gateway serves only over TLS.
    let on_port_has_host = on_port.iter().any(|s| server_host_fits(s, &url.host));
    if url.scheme == "http" && !on_port_has_host {
        let tls_server = servers
            .iter()
            .find(|s| protocol(s) == "HTTPS" && server_host_fits(s, &url.host));
        if let Some(s) = tls_server {
            let tls_port = s
                .path(&["port", "number"])
                .and_then(Node::as_i64)
                .unwrap_or(443);
            let entry = format!(
                "Istio Gateway {}/{} :{}",
                gw.namespace(),
                gw.name(),
                url.port
            );
            let w = Walk::new(entry, (cx.unit)(gw), true).with(cx.hop(
                gw,
                s.span,
                format!("server HTTPS :{tls_port} lists {}", url.host),
            ));
            out.push(w.end(Outcome::dropped(
                "tls-only",
                None,
                format!(
                    "{} is served only over HTTPS on port {tls_port}; nothing takes plain http on port {}",
                    url.host, url.port
                ),
            )));
            return;
        }
    }
    if on_port.is_empty() {
        return;
    }
    let fits = |s: &Node| {
        matches!(
            (protocol(s).as_str(), url.scheme.as_str()),
            ("HTTP" | "HTTP2", "http") | ("HTTPS", "https")
        )
    };
    let entry = format!(
        "Istio Gateway {}/{} :{}",
        gw.namespace(),
        gw.name(),
        url.port
    );
    let walk = Walk::new(entry, (cx.unit)(gw), true);
    let server = on_port
        .iter()
        .copied()
        .find(|s| fits(s) && server_host_fits(s, &url.host));
    let Some(server) = server else {
        let Some(s) = on_port.first().copied() else {
            return;
        };
        let w = walk.with(cx.hop(gw, s.span, format!("server {} :{}", protocol(s), url.port)));
        let outcome = if !on_port.iter().any(|s| server_host_fits(s, &url.host)) {
            Outcome::dropped(
                "no-host-match",
                Some(404),
                format!("no server on port {} lists host {}", url.port, url.host),
            )
        } else if url.scheme == "http" && protocol(s) == "HTTPS" {
            Outcome::dropped(
                "tls-only",
                None,
                format!(
                    "port {} serves only HTTPS; a plain http request fails the TLS handshake",
                    url.port
                ),
            )
        } else {
            Outcome::dropped(
                "no-listener",
                None,
                format!(
                    "port {} is a {} server, not {}",
                    url.port,
                    protocol(s),
                    url.scheme.to_ascii_uppercase()
                ),
            )
        };
        out.push(w.end(outcome));
        return;
    };
    let mut hop = cx.hop(
        gw,
        server.span,
        format!(
            "server {} :{} hosts {}",
            protocol(server),
            url.port,
            host_list(server.get("hosts"))
                .iter()
                .map(|h| h.host)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    if url.scheme == "http"
        && server
            .path(&["tls", "httpsRedirect"])
            .and_then(Node::as_bool)
            == Some(true)
    {
        let w = walk.with(hop);
        out.push(w.end(Outcome::other(
            Result::Redirected,
            Some(301),
            "tls.httpsRedirect: the gateway answers 301 to https".to_string(),
        )));
        return;
    }
    if url.scheme == "https" {
        let cred = server
            .path(&["tls", "credentialName"])
            .and_then(Node::as_str);
        let mode = server
            .path(&["tls", "mode"])
            .and_then(Node::as_str)
            .unwrap_or("SIMPLE");
        hop.notes.push(format!(
            "TLS {mode}{}",
            cred.map(|c| format!(" with credential {c}"))
                .unwrap_or_default()
        ));
    }
    let walk = walk.with(hop);
    let istio = cx.catalog.istio();
    let bound = istio.gateway_virtual_services(gw.namespace(), gw.name());
    let vs = bound.iter().copied().find(|vs| {
        let allowed = gateway_hosts_for(gw, vs.namespace());
        host_list(vs.root.path(&["spec", "hosts"])).iter().any(|h| {
            let h_fqdn = fqdn(h.host, vs.namespace());
            let hit = suffix_host(h.host, &url.host) || suffix_host(&h_fqdn, &url.host);
            hit && allowed
                .iter()
                .any(|a| suffix_host(a.host, &url.host) || suffix_host(&url.host, a.host))
        })
    });
    let Some(vs) = vs else {
        out.push(walk.end(Outcome::dropped(
            "no-route-match",
            Some(404),
            format!(
                "no VirtualService bound to Gateway {}/{} claims host {} ({} bound)",
                gw.namespace(),
                gw.name(),
                url.host,
                bound.len()
            ),
        )));
        return;
    };
    route(cx, walk, vs, Some(gw), req, out);
}

/// Routes `req` by VirtualService `vs`, on gateway `gw` (None: `mesh`).
pub(super) fn route<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    vs: &'a Object,
    gw: Option<&'a Object>,
    req: &Request,
    out: &mut Vec<TracePath>,
) {
    let spec = vs.root.get("spec");
    let http = spec.map_or(&[][..], |s| s.get_seq("http"));
    if http.is_empty() {
        let w = walk.with(cx.hop(
            vs,
            vs.anchor_span(),
            "no http routes (tcp/tls routes are not traced)",
        ));
        out.push(w.end(Outcome::other(
            Result::Assumed,
            None,
            "the VirtualService routes only TCP/TLS: not traced",
        )));
        return;
    }
    // The gateway names a match block may restrict itself to.
    let here: Vec<String> = match gw {
        Some(g) => vec![
            format!("{}/{}", g.namespace(), g.name()),
            g.name().to_string(),
        ],
        None => vec!["mesh".to_string()],
    };
    for (i, entry) in http.iter().enumerate() {
        let blocks = entry.get_seq("match");
        let hit = if blocks.is_empty() {
            Some((
                0usize,
                "no match conditions, takes every request".to_string(),
            ))
        } else {
            blocks
                .iter()
                .enumerate()
                .find_map(|(j, b)| match_block(b, req, &here, vs).map(|s| (j, s)))
        };
        let Some((j, said)) = hit else {
            continue;
        };
        let span = blocks.get(j).map_or(entry.span, |b| b.span);
        let where_ = if blocks.is_empty() {
            format!("http[{i}]")
        } else {
            format!("http[{i}] match[{j}]")
        };
        let mut hop = cx.hop(
            vs,
            span,
            format!("{where_}: {said} (the first http entry that matches wins)"),
        );
        if let Some(redirect) = entry.get("redirect") {
            let code = redirect
                .get("redirectCode")
                .and_then(Node::as_i64)
                .unwrap_or(301);
            let w = walk.with(hop);
            out.push(w.end(Outcome::other(
                Result::Redirected,
                u16::try_from(code).ok(),
                format!("redirect: answers {code}"),
            )));
            return;
        }
        if let Some(direct) = entry.get("directResponse") {
            let code = direct.get("status").and_then(Node::as_i64).unwrap_or(200);
            let w = walk.with(hop);
            out.push(w.end(Outcome::other(
                Result::Redirected,
                u16::try_from(code).ok(),
                format!("directResponse: Envoy answers {code} itself"),
            )));
            return;
        }
        if let Some(uri) = entry.path(&["rewrite", "uri"]).and_then(Node::as_str) {
            hop.notes.push(format!(
                "rewrite: the backend receives the path prefix {uri}"
            ));
        }
        if entry.get("fault").is_some() {
            hop.notes
                .push("fault injection configured on this route".into());
        }
        let routes = entry.get_seq("route");
        let weights: Vec<i64> = routes
            .iter()
            .map(|r| {
                r.get("weight")
                    .and_then(Node::as_i64)
                    .unwrap_or(if routes.len() == 1 { 100 } else { 0 })
                    .max(0)
            })
            .collect();
        let total: i64 = weights.iter().sum();
        if routes.is_empty() || total == 0 {
            let w = walk.with(hop);
            out.push(w.end(Outcome::dropped(
                "no-backend",
                Some(503),
                "the matched http route has no destination with weight",
            )));
            return;
        }
        let walk = walk.with(hop);
        for (r, weight) in routes.iter().zip(weights) {
            if weight == 0 {
                continue;
            }
            let mut w = walk.clone();
            w.share *= weight as f64 / total as f64;
            let Some(dest) = r.get("destination") else {
                continue;
            };
            let host = dest.get_str("host").unwrap_or("");
            if routes.len() > 1
                && let Some(last) = w.hops.last_mut()
            {
                let subset = dest
                    .get_str("subset")
                    .map(|s| format!(" subset {s}"))
                    .unwrap_or_default();
                last.notes.push(format!(
                    "destination {host}{subset} gets weight {weight} of {total}"
                ));
            }
            // A sidecar forwards to the port the client called unless the
            // destination names one; a gateway to the Service's only port.
            let default_port = gw.is_none().then_some(i64::from(req.url.port));
            destination(cx, w, vs, dest, host, default_port, out);
        }
        return;
    }
    out.push(walk.end(Outcome::dropped(
        "no-route-match",
        Some(404),
        format!(
            "no http route of VirtualService {}/{} matches {} {}",
            vs.namespace(),
            vs.name(),
            req.method,
            req.url.path
        ),
    )));
}

/// One `match` block: every condition written must hold.
fn match_block(b: &Node, req: &Request, here: &[String], vs: &Object) -> Option<String> {
    let url = &req.url;
    let ignore_case = b.get("ignoreUriCase").and_then(Node::as_bool) == Some(true);
    let mut said = Vec::new();
    let string_cond = |node: &Node, value: &str, ic: bool| -> Option<(bool, String)> {
        let e = node.as_map()?.first()?;
        let cond = e.key.as_str()?;
        let want = e.value.as_str()?;
        istio_string(cond, want, value, ic).map(|ok| (ok, format!("{cond} {want:?}")))
    };
    if let Some(uri) = b.get("uri") {
        let (ok, text) = string_cond(uri, &url.path, ignore_case)?;
        if !ok {
            return None;
        }
        said.push(format!("uri {text}"));
    }
    if let Some(scheme) = b.get("scheme") {
        let (ok, text) = string_cond(scheme, &url.scheme, false)?;
        if !ok {
            return None;
        }
        said.push(format!("scheme {text}"));
    }
    if let Some(method) = b.get("method") {
        let (ok, text) = string_cond(method, &req.method, false)?;
        if !ok {
            return None;
        }
        said.push(format!("method {text}"));
    }
    if let Some(authority) = b.get("authority") {
        let (ok, text) = string_cond(authority, &url.authority(), false)?;
        if !ok {
            return None;
        }
        said.push(format!("authority {text}"));
    }
    for e in b.get_map("headers") {
        let name = e.key.as_str()?.to_ascii_lowercase();
        let got = req
            .headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())?;
        let (ok, text) = string_cond(&e.value, got, false)?;
        if !ok {
            return None;
        }
        said.push(format!("header {name} {text}"));
    }
    for e in b.get_map("withoutHeaders") {
        let name = e.key.as_str()?.to_ascii_lowercase();
        if let Some((_, got)) = req.headers.iter().find(|(k, _)| *k == name) {
            let (ok, _) = string_cond(&e.value, got, false).unwrap_or((true, String::new()));
            if ok {
                return None;
            }
        }
    }
    for e in b.get_map("queryParams") {
        let name = e.key.as_str()?;
        let got = url
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())?;
        let (ok, text) = string_cond(&e.value, got, false)?;
        if !ok {
            return None;
        }
        said.push(format!("query {name} {text}"));
    }
    if let Some(port) = b.get("port").and_then(Node::as_i64) {
        if port != i64::from(url.port) {
            return None;
        }
        said.push(format!("port {port}"));
    }
    // Conditions on the client: only a sidecar (mesh) request has one.
    let source_labels = b.get_map("sourceLabels");
    if !source_labels.is_empty() {
        for e in source_labels {
            let (k, v) = (e.key.as_str()?, e.value.as_str()?);
            if !req.from_labels.iter().any(|(lk, lv)| lk == k && lv == v) {
                return None;
            }
        }
        said.push("sourceLabels".into());
    }
    if let Some(ns) = b.get_str("sourceNamespace") {
        if req.from.as_deref() != Some(ns) {
            return None;
        }
        said.push(format!("sourceNamespace {ns}"));
    }
    let gateways: Vec<&str> = b
        .get_seq("gateways")
        .iter()
        .filter_map(Node::as_str)
        .collect();
    if !gateways.is_empty() {
        let ok = gateways.iter().any(|g| {
            let full = if g.contains('/') || *g == "mesh" {
                (*g).to_string()
            } else {
                format!("{}/{g}", vs.namespace())
            };
            here.iter().any(|h| *h == full || h == g)
        });
        if !ok {
            return None;
        }
        said.push(format!("gateways {}", gateways.join(", ")));
    }
    if said.is_empty() {
        said.push("an empty match block: matches everything".into());
    }
    Some(said.join(" and "))
}

fn destination<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    vs: &'a Object,
    dest: &'a Node,
    host: &str,
    default_port: Option<i64>,
    out: &mut Vec<TracePath>,
) {
    let istio = cx.catalog.istio();
    match istio.resolve_destination(host, vs, cx.catalog) {
        Target::Service(svc) => {
            let subset = match dest.get("subset") {
                Some(node) => {
                    let Some(name) = node.as_str() else {
                        return;
                    };
                    match subset_of(cx, svc, vs, name) {
                        Some(s) => Some(s),
                        None => {
                            let w = walk;
                            out.push(w.end(Outcome::dropped(
                                "subset-no-pods",
                                Some(503),
                                format!(
                                    "no DestinationRule for {}.{}.svc.cluster.local defines subset {name}: Envoy has no such cluster (503 NR)",
                                    svc.name(),
                                    svc.namespace()
                                ),
                            )));
                            return;
                        }
                    }
                }
                None => None,
            };
            let port = match (PortSel::of(dest.path(&["port", "number"])), default_port) {
                (PortSel::Unspecified, Some(p)) => PortSel::Number(p),
                (p, _) => p,
            };
            to_service(cx, walk, svc, port, subset, out);
        }
        Target::ServiceEntry(se) => out.push(walk.end(Outcome::other(
            Result::External,
            None,
            format!(
                "host {host} is ServiceEntry {}/{}: leaves the mesh",
                se.namespace(),
                se.name()
            ),
        ))),
        Target::Wildcard => out.push(walk.end(Outcome::other(
            Result::Assumed,
            None,
            format!("wildcard destination {host}: not one Service"),
        ))),
        // The same decision as KW4001: a host the author evidently meant
        // to be in the input fails; any other is assumed deployed elsewhere.
        Target::Missing(m) if m.confident || evidently_missing(cx.catalog, vs, &m.fqdn) => out
            .push(walk.end(Outcome::dropped(
                "backend-missing",
                Some(503),
                format!(
                    "host {host} ({}) is no Service of the input (KW4001): Envoy answers 503",
                    m.fqdn
                ),
            ))),
        Target::Missing(m) => out.push(walk.end(Outcome::other(
            Result::Assumed,
            None,
            format!(
                "host {} is not a Service of the input; assumed to exist elsewhere",
                m.fqdn
            ),
        ))),
    }
}

/// The subset `name` of Service `svc`'s DestinationRule, as `vs` sees it.
fn subset_of<'a>(
    cx: &Cx<'_, 'a>,
    svc: &'a Object,
    vs: &'a Object,
    name: &str,
) -> Option<Subset<'a>> {
    let host = format!("{}.{}.svc.cluster.local", svc.name(), svc.namespace());
    for dr in cx
        .catalog
        .istio()
        .destination_rules_for(&host, vs.namespace())
    {
        for s in dr
            .root
            .path(&["spec", "subsets"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if s.get_str("name") != Some(name) {
                continue;
            }
            let labels = s.get("labels").map(Selector::from_map).unwrap_or_default();
            return Some(Subset {
                name: name.to_string(),
                labels,
                rule: dr,
                span: s.span,
            });
        }
    }
    None
}

/// VirtualServices a sidecar applies to traffic for `fqdn` (`mesh`).
pub(super) fn mesh_virtual_service<'a>(cx: &Cx<'_, 'a>, fqdn: &str) -> Option<&'a Object> {
    let _ = gateway_names;
    cx.catalog
        .istio()
        .mesh_virtual_services_for(fqdn)
        .first()
        .copied()
}
