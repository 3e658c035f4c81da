//! In-cluster requests: the host is a cluster DNS name read from the
//! client's namespace (`svc`, `svc.ns`, `svc.ns.svc`,
//! `svc.ns.svc.cluster.local`, `pod.svc.ns.svc.cluster.local` for a headless
//! Service's pods), then the sidecar's VirtualService when Istio routes
//! that host, else the Service itself.

use crate::model::Object;
use crate::resolve::ports::PortRef;

use super::istio::{mesh_virtual_service, route};
use super::service::{PortSel, Target, to_pods, to_service};
use super::{Cx, Request, TracePath, Walk};

/// `(pod, service, namespace)` a cluster DNS name stands for, read from
/// namespace `from`; None for a name that is no cluster DNS form.
pub fn dns_form<'h>(host: &'h str, from: &'h str) -> Option<(Option<&'h str>, &'h str, &'h str)> {
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [name] => Some((None, name, from)),
        [name, ns] | [name, ns, "svc"] | [name, ns, "svc", "cluster", "local"] => {
            Some((None, name, ns))
        }
        [pod, name, ns, "svc", "cluster", "local"] => Some((Some(pod), name, ns)),
        _ => None,
    }
}

pub(super) fn trace(cx: &Cx<'_, '_>, req: &Request, from: &str, out: &mut Vec<TracePath>) {
    let host = req.url.host.as_str();
    let Some((pod, name, ns)) = dns_form(host, from) else {
        return;
    };
    let found = cx
        .catalog
        .find("v1", "Service", ns, name)
        .first()
        .and_then(|&i| cx.catalog.object(i));
    let Some(svc) = found.filter(|s| (cx.own)(s)) else {
        if found.is_none() {
            nxdomain(cx, req, from, name, ns, out);
        }
        return;
    };
    let entry = format!("cluster DNS from namespace {from}");
    let walk = Walk::new(entry, (cx.unit)(svc), false);
    let fqdn = format!("{name}.{ns}.svc.cluster.local");
    let mut hop = cx.hop(
        svc,
        svc.anchor_span(),
        format!("{host} resolves to Service {ns}/{name} ({fqdn})"),
    );
    hop.kind = "DNS".into();
    let headless = svc
        .root
        .path(&["spec", "clusterIP"])
        .and_then(crate::parse::Node::as_str)
        == Some("None");
    if let Some(vs) = mesh_virtual_service(cx, &fqdn) {
        hop.notes.push(format!(
            "Istio: the client's sidecar routes {fqdn} by VirtualService {}/{} (assumes the client pod has a sidecar)",
            vs.namespace(),
            vs.name()
        ));
        let mut w = walk.with(hop);
        w.proxied = true;
        route(cx, w, vs, None, req, out);
        return;
    }
    let w = walk.with(hop);
    if headless {
        headless_pods(cx, w, svc, pod, req, out);
    } else {
        to_service(
            cx,
            w,
            svc,
            PortSel::Number(i64::from(req.url.port)),
            None,
            out,
        );
    }
}

/// No Service answers to the name: the resolver tries the search list and
/// fails; say which namespace has a Service of that name, if one does.
fn nxdomain(
    cx: &Cx<'_, '_>,
    req: &Request,
    from: &str,
    name: &str,
    ns: &str,
    out: &mut Vec<TracePath>,
) {
    let elsewhere: Vec<&str> = cx
        .catalog
        .of_kind("Service")
        .filter(|s| s.name() == name && s.namespace() != ns)
        .map(Object::namespace)
        .collect();
    let hint = match elsewhere.first() {
        Some(other) => {
            format!("; a Service {name} is in namespace {other}: call it {name}.{other}")
        }
        None => String::new(),
    };
    let walk = Walk::new(format!("cluster DNS from namespace {from}"), None, false);
    out.push(walk.end(super::Outcome::dropped(
        "nxdomain",
        None,
        format!(
            "{} does not resolve from namespace {from}: no Service {name}.{ns}.svc.cluster.local in the input{hint}",
            req.url.host
        ),
    )));
}

/// A headless Service: DNS answers with pod addresses, the client connects
/// to the requested port on the pods themselves (no Service port mapping).
fn headless_pods<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    svc: &'a Object,
    pod: Option<&str>,
    req: &Request,
    out: &mut Vec<TracePath>,
) {
    let Some(mut selector) = svc.service().and_then(|v| v.pod_selector()) else {
        to_service(
            cx,
            walk,
            svc,
            PortSel::Number(i64::from(req.url.port)),
            None,
            out,
        );
        return;
    };
    let mut walk = walk;
    if let Some(p) = pod
        && let Some(last) = walk.hops.last_mut()
    {
        last.notes
            .push(format!("per-pod name: only pod {p} answers"));
    }
    if let Some(last) = walk.hops.last_mut() {
        last.notes.push(format!(
            "headless Service: the client connects to port {} of the pods directly",
            req.url.port
        ));
    }
    let port = i64::from(req.url.port);
    to_pods(
        cx,
        walk,
        svc,
        &mut selector,
        None,
        Target {
            numeric: Some(port),
            named: None::<PortRef<'_>>,
            protocol: "TCP",
        },
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::dns_form;

    #[test]
    fn cluster_dns_forms() {
        assert_eq!(dns_form("web", "shop"), Some((None, "web", "shop")));
        assert_eq!(dns_form("web.data", "shop"), Some((None, "web", "data")));
        assert_eq!(
            dns_form("web.data.svc", "shop"),
            Some((None, "web", "data"))
        );
        assert_eq!(
            dns_form("web.data.svc.cluster.local", "shop"),
            Some((None, "web", "data"))
        );
        assert_eq!(
            dns_form("db-0.db.data.svc.cluster.local", "shop"),
            Some((Some("db-0"), "db", "data"))
        );
        assert_eq!(dns_form("www.example.com", "shop"), None);
    }
}
