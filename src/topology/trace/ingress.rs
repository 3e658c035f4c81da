//! From outside through an Ingress controller: one entry per Ingress class.
//! Host tiers (exact, then one-label wildcard, then rules without a host),
//! then the longest matching path of that host across every Ingress of the
//! class (Exact over Prefix on a tie), as the Ingress specification and
//! ingress-nginx merge them; `defaultBackend`, else the controller's 404.

use std::collections::BTreeMap;

use crate::model::Object;
use crate::model::ingress::{IngressBackend, PortRef as BackendPort, backend};
use crate::parse::Node;
use crate::resolve::services::{ServiceLookup, lookup_service};

use super::matching::{IngressMatch, ingress_host, ingress_path};
use super::service::{PortSel, to_service};
use super::{Cx, Outcome, Request, Result, TracePath, Walk};

struct Candidate<'a> {
    ingress: &'a Object,
    /// Tier of the host match: 0 exact, 1 wildcard, 2 no host.
    tier: u8,
    rule_host: &'a str,
    path: &'a str,
    path_type: &'a str,
    matched: IngressMatch,
    entry: &'a Node,
    backend: Option<IngressBackend<'a>>,
}

pub(super) fn trace(cx: &Cx<'_, '_>, req: &Request, out: &mut Vec<TracePath>) {
    let url = &req.url;
    if !matches!(
        (url.scheme.as_str(), url.port),
        ("http", 80) | ("https", 443)
    ) {
        return;
    }
    route_all(cx, req, req.ingress_class.as_deref(), None, out);
}

/// Routes `req` by the Ingresses of every class (or of `only`), after the
/// hops of `prefix` (a node port that led to the controller's pods).
pub(super) fn route_all(
    cx: &Cx<'_, '_>,
    req: &Request,
    only: Option<&str>,
    prefix: Option<&Walk>,
    out: &mut Vec<TracePath>,
) {
    let default_class = cx
        .catalog
        .of_kind("IngressClass")
        .find(|c| c.annotation("ingressclass.kubernetes.io/is-default-class") == Some("true"))
        .map(|c| c.name().to_string());
    let mut classes: BTreeMap<String, Vec<&Object>> = BTreeMap::new();
    for ing in cx.catalog.of_kind("Ingress").filter(|o| (cx.own)(o)) {
        let class = match ing.ingress_class() {
            "" => default_class.clone().unwrap_or_default(),
            c => c.to_string(),
        };
        if only.is_some_and(|want| want != class) {
            continue;
        }
        classes.entry(class).or_default().push(ing);
    }
    for (class, ingresses) in classes {
        route_class(cx, req, &class, &ingresses, prefix, out);
    }
}

fn route_class<'a>(
    cx: &Cx<'_, 'a>,
    req: &Request,
    class: &str,
    ingresses: &[&'a Object],
    prefix: Option<&Walk>,
    out: &mut Vec<TracePath>,
) {
    let url = &req.url;
    let entry = if class.is_empty() {
        "Ingress (no class)".to_string()
    } else {
        format!("Ingress (class {class})")
    };
    let nginx = class.is_empty() || class.contains("nginx");
    let unit = ingresses.first().and_then(|o| (cx.unit)(o));
    let mut walk = match prefix {
        Some(w) => {
            let mut w = w.clone();
            w.proxied = true;
            w
        }
        None => Walk::new(entry, unit, true),
    };
    let mut candidates: Vec<Candidate<'a>> = Vec::new();
    let mut host_seen = false;
    for &ing in ingresses {
        let Some(spec) = ing.root.get("spec") else {
            continue;
        };
        for rule in spec.get_seq("rules") {
            let rule_host = rule.get_str("host").unwrap_or("");
            let tier = if rule_host.is_empty() {
                2
            } else if rule_host.starts_with("*.") {
                if !ingress_host(rule_host, &url.host) {
                    continue;
                }
                1
            } else if rule_host.eq_ignore_ascii_case(&url.host) {
                0
            } else {
                continue;
            };
            host_seen |= tier < 2;
            for p in rule.get("http").map_or(&[][..], |h| h.get_seq("paths")) {
                let path = p.get_str("path").unwrap_or("");
                let path_type = p.get_str("pathType").unwrap_or("ImplementationSpecific");
                let Some(matched) = ingress_path(path_type, path, &url.path) else {
                    continue;
                };
                candidates.push(Candidate {
                    ingress: ing,
                    tier,
                    rule_host,
                    path,
                    path_type,
                    matched,
                    entry: p,
                    backend: p
                        .get("backend")
                        .and_then(|b| backend(b, Some(rule_host), Some(path), false)),
                });
            }
        }
    }
    // The best tier that has any rule for the host decides; its paths compete.
    let best_tier = candidates.iter().map(|c| c.tier).min();
    let chosen_tier = if host_seen {
        // A host-specific server block takes the request even when none of
        // its paths match (no fallback to the rules without a host).
        best_tier.filter(|t| *t < 2)
    } else {
        best_tier
    };
    // The longest path wins, Exact over Prefix on a tie; among equals the
    // first written (input order).
    let best_index = chosen_tier.and_then(|tier| {
        let mut best: Option<usize> = None;
        for (i, c) in candidates.iter().enumerate() {
            if c.tier == tier
                && best
                    .and_then(|b| candidates.get(b))
                    .is_none_or(|b| c.matched > b.matched)
            {
                best = Some(i);
            }
        }
        best
    });
    let best = best_index.map(|i| candidates.swap_remove(i));
    let Some(mut best) = best else {
        // No rule: the defaultBackend of an Ingress of the class, else 404.
        let reason = if host_seen {
            "no-path-match"
        } else {
            "no-host-match"
        };
        let why = if host_seen {
            format!(
                "no path of the rules for host {} matches {}",
                url.host, url.path
            )
        } else {
            format!(
                "no rule of class {} matches host {}",
                if class.is_empty() { "(none)" } else { class },
                url.host
            )
        };
        for &ing in ingresses {
            let spec = ing.root.get("spec");
            let Some(node) =
                spec.and_then(|s| s.get("defaultBackend").or_else(|| s.get("backend")))
            else {
                continue;
            };
            let hop = cx.hop(ing, node.span, format!("{why}: spec.defaultBackend"));
            let w = walk.with(hop);
            to_backend(cx, w, ing, backend(node, None, None, true), out);
            return;
        }
        out.push(walk.end(Outcome::dropped(
            reason,
            Some(404),
            format!("{why}; no Ingress of the class has a defaultBackend: the controller's default backend answers 404"),
        )));
        return;
    };
    let host_text = match best.tier {
        0 => format!("host {}", url.host),
        1 => format!("host {} matches wildcard {}", url.host, best.rule_host),
        _ => "any host (rule without host)".to_string(),
    };
    let path_text = if best.path_type == "ImplementationSpecific" {
        format!(
            "path {} matches {:?} (ImplementationSpecific{})",
            url.path,
            best.path,
            if nginx {
                ": read as ingress-nginx does, a string prefix"
            } else {
                ": controller-dependent, read as a string prefix"
            }
        )
    } else {
        format!(
            "path {} matches {:?} ({})",
            url.path, best.path, best.path_type
        )
    };
    let mut hop = cx.hop(
        best.ingress,
        best.entry.span,
        format!("{host_text}, {path_text}"),
    );
    let ing = best.ingress;
    if class.is_empty() {
        hop.notes.push(
            "no ingress class and no default IngressClass: only a controller that watches class-less Ingresses takes it (ingress-nginx: --watch-ingress-without-class)"
                .into(),
        );
    }
    if let Some(target) = ing.annotation("nginx.ingress.kubernetes.io/rewrite-target") {
        hop.notes.push(format!(
            "nginx.ingress.kubernetes.io/rewrite-target: the backend receives the path {target}"
        ));
    }
    let tls: Vec<(&str, Option<&str>)> = ing
        .root
        .path(&["spec", "tls"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .flat_map(|t| {
            let secret = t.get_str("secretName");
            t.get_seq("hosts")
                .iter()
                .filter_map(Node::as_str)
                .map(move |h| (h, secret))
        })
        .collect();
    let tls_for_host = tls
        .iter()
        .find(|(h, _)| ingress_host(h, &url.host) || *h == url.host);
    match (url.scheme.as_str(), tls_for_host) {
        ("https", Some((_, secret))) => hop.notes.push(format!(
            "TLS terminated with Secret {}",
            secret.unwrap_or("(the controller's default certificate)")
        )),
        ("https", None) => hop.notes.push(
            "no spec.tls entry for this host: the controller serves its default certificate".into(),
        ),
        ("http", Some(_))
            if nginx
                && ing.annotation("nginx.ingress.kubernetes.io/ssl-redirect") != Some("false") =>
        {
            walk.hops.push(hop);
            out.push(walk.end(Outcome::other(
                Result::Redirected,
                Some(308),
                format!(
                    "TLS is set for {}: ingress-nginx redirects plain http to https (308; nginx.ingress.kubernetes.io/ssl-redirect: \"false\" turns it off)",
                    url.host
                ),
            )));
            return;
        }
        _ => {}
    }
    walk.hops.push(hop);
    to_backend(cx, walk, ing, best.backend.take(), out);
}

fn to_backend<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    ing: &'a Object,
    b: Option<IngressBackend<'a>>,
    out: &mut Vec<TracePath>,
) {
    let Some(b) = b else {
        out.push(walk.end(Outcome::dropped(
            "no-backend",
            Some(503),
            "the matched path has no Service backend (a resource backend, or none)",
        )));
        return;
    };
    let Some(name) = b.service_name.and_then(Node::as_str) else {
        out.push(walk.end(Outcome::dropped(
            "no-backend",
            Some(503),
            "the backend names no Service",
        )));
        return;
    };
    let ns = ing.namespace();
    let port = match &b.port {
        Some((BackendPort::Number(n), _)) => PortSel::Number(*n),
        Some((BackendPort::Name(s), _)) => PortSel::Name(s),
        None => PortSel::Unspecified,
    };
    match lookup_service(cx.catalog, ing, ns, name) {
        ServiceLookup::Found(svc) => to_service(cx, walk, svc, port, None, out),
        ServiceLookup::Unknown => out.push(walk.end(Outcome::other(
            Result::Assumed,
            None,
            format!("Service {ns}/{name} is not in the input; assumed to be deployed elsewhere (docs/references.md)"),
        ))),
        ServiceLookup::Elsewhere(other) => out.push(walk.end(Outcome::dropped(
            "backend-missing",
            Some(503),
            format!("no Service {name} in namespace {ns} (an Ingress reaches only its own namespace; one is in {})", other.namespace()),
        ))),
        ServiceLookup::Missing(_) => out.push(walk.end(Outcome::dropped(
            "backend-missing",
            Some(503),
            format!("no Service {name} in namespace {ns} (KW3201)"),
        ))),
    }
}
