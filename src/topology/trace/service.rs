//! The last hops of every path: a Service, its port, and the pods behind
//! it (or the ExternalName it forwards to). Asks the same functions the
//! graph's Service → pods edges come from.

use crate::model::Object;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::resolve::ports::{self, PortRef, Resolution as PortResolution, ServicePort};
use crate::resolve::services::describe_ports;
use crate::source::Span;

use super::super::build::pod_count;
use super::{Cx, Outcome, Request, Result, TracePath, Walk};

/// The Service port a backend names.
#[derive(Clone, Copy, Debug)]
pub(super) enum PortSel<'n> {
    Number(i64),
    Name(&'n str),
    /// Not given (an Istio destination of a one-port Service).
    Unspecified,
}

impl PortSel<'_> {
    pub(super) fn of(node: Option<&Node>) -> PortSel<'_> {
        match node.and_then(ports::port_ref) {
            Some(PortRef::Number(n)) => PortSel::Number(n),
            Some(PortRef::Name(s)) => PortSel::Name(s),
            None => PortSel::Unspecified,
        }
    }
}

impl std::fmt::Display for PortSel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortSel::Number(n) => write!(f, "{n}"),
            PortSel::Name(s) => write!(f, "\"{s}\""),
            PortSel::Unspecified => f.write_str("(unspecified)"),
        }
    }
}

/// A DestinationRule subset narrowing a Service's pods.
pub(super) struct Subset<'a> {
    pub name: String,
    pub labels: Selector<'a>,
    pub rule: &'a Object,
    pub span: Span,
}

/// The request reaches Service `svc` on `port` (through `walk`).
pub(super) fn to_service<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    svc: &'a Object,
    port: PortSel<'_>,
    subset: Option<Subset<'a>>,
    out: &mut Vec<TracePath>,
) {
    let Some(view) = svc.service() else {
        return;
    };
    let spec = svc.root.get("spec");
    if view.service_type == "ExternalName" {
        let target = spec.and_then(|s| s.get_str("externalName")).unwrap_or("?");
        let span = spec
            .and_then(|s| s.get("externalName"))
            .map_or(svc.anchor_span(), |n| n.span);
        let w = walk.with(cx.hop(
            svc,
            span,
            format!("ExternalName: DNS answers with a CNAME for {target}"),
        ));
        out.push(w.end(Outcome::other(
            Result::External,
            None,
            format!("leaves the cluster for {target} (port {port} as requested; ExternalName maps no ports)"),
        )));
        return;
    }
    let sp = ServicePort::all(view.ports).find(|p| match port {
        PortSel::Number(n) => p.port == Some(n),
        PortSel::Name(s) => p.name == Some(s),
        PortSel::Unspecified => true,
    });
    let Some(sp) = sp else {
        let w = walk.with(cx.hop(
            svc,
            svc.anchor_span(),
            format!("Service, asked for port {port}"),
        ));
        let status = w.unavailable();
        out.push(w.end(Outcome::dropped(
            "port-not-exposed",
            status,
            format!(
                "Service {}/{} has no port {port} (it exposes {})",
                svc.namespace(),
                svc.name(),
                describe_ports(svc)
            ),
        )));
        return;
    };
    let target_text = match sp.numeric_target() {
        Some((n, _, _)) => n.to_string(),
        None => sp
            .target
            .and_then(Node::as_str)
            .map_or_else(|| "?".into(), |s| format!("\"{s}\"")),
    };
    let mut hop = cx.hop(
        svc,
        sp.span(),
        format!(
            "port {} → targetPort {target_text}{}",
            sp.describe(),
            if matches!(port, PortSel::Unspecified) {
                " (the Service's first port: none was named)"
            } else {
                ""
            }
        ),
    );
    if spec.and_then(|s| s.get_str("clusterIP")) == Some("None") {
        hop.notes.push(
            "headless: clients resolve the pods' addresses and connect to them directly".into(),
        );
    }
    let w = walk.with(hop);
    if sp.protocol != "TCP" {
        let status = w.unavailable();
        out.push(w.end(Outcome::dropped(
            "port-not-exposed",
            status,
            format!(
                "port {} carries {}; HTTP needs TCP",
                sp.describe(),
                sp.protocol
            ),
        )));
        return;
    }
    let Some(mut selector) = view.pod_selector() else {
        let manual = crate::resolve::services::manual_endpoints(cx.catalog, svc)
            .into_iter()
            .next()
            .map(|e| e.obj);
        let outcome = match manual {
            Some(e) => Outcome::other(
                Result::External,
                None,
                format!(
                    "no selector: the endpoints are the addresses written in {} {}/{} ({}:{})",
                    e.kind(),
                    e.namespace(),
                    e.name(),
                    cx.catalog.path(e.file),
                    cx.hop(e, e.anchor_span(), "").line.unwrap_or(1)
                ),
            ),
            None => Outcome::other(
                Result::Assumed,
                None,
                "no selector and no Endpoints in the input: the endpoints are managed elsewhere",
            ),
        };
        out.push(w.end(outcome));
        return;
    };
    let target = sp.target.and_then(ports::port_ref);
    let numeric = sp.numeric_target().map(|(n, _, _)| n);
    to_pods(
        cx,
        w,
        svc,
        &mut selector,
        subset,
        Target {
            numeric,
            named: target,
            protocol: sp.protocol,
        },
        out,
    );
}

/// The port the pods are asked on.
pub(super) struct Target<'n> {
    pub numeric: Option<i64>,
    pub named: Option<PortRef<'n>>,
    pub protocol: &'n str,
}

/// The pods a Service's selector (narrowed by a subset) picks, one path per
/// workload, shared by pod count as kube-proxy spreads connections.
pub(super) fn to_pods<'a>(
    cx: &Cx<'_, 'a>,
    walk: Walk,
    svc: &'a Object,
    selector: &mut Selector<'a>,
    subset: Option<Subset<'a>>,
    target: Target<'_>,
    out: &mut Vec<TracePath>,
) {
    let mut walk = walk;
    if let Some(s) = &subset {
        selector
            .match_labels
            .extend(s.labels.match_labels.iter().cloned());
        let step = format!("subset {} selects {}", s.name, s.labels.describe());
        walk = walk.with(cx.hop(s.rule, s.span, step));
    }
    let catalog = cx.catalog;
    let templates = catalog.templates_matching(svc.namespace(), selector);
    let owners: Vec<(&'a Object, Option<i64>, &crate::catalog::TemplateEntry<'a>)> = templates
        .iter()
        .filter_map(|e| {
            let o = catalog.object(e.object)?;
            Some((o, pod_count(catalog, cx.hpa, o), *e))
        })
        .collect();
    let status = walk.unavailable();
    let (reason, what) = match &subset {
        Some(s) => (
            "subset-no-pods",
            format!("subset {} ({})", s.name, selector.describe()),
        ),
        None => ("no-endpoints", format!("selector {}", selector.describe())),
    };
    if owners.is_empty() {
        out.push(walk.end(Outcome::dropped(
            reason,
            status,
            format!(
                "no endpoints: no pod in the input in namespace {} matches {what}",
                svc.namespace()
            ),
        )));
        return;
    }
    // A DaemonSet counts as one pod per node; the share assumes one node.
    let weight = |c: Option<i64>| c.map_or(1, |n| n.max(0));
    let total: i64 = owners
        .iter()
        .map(|(_, c, _)| weight(*c))
        .fold(0, i64::saturating_add);
    if total == 0 {
        let names: Vec<String> = owners
            .iter()
            .map(|(o, _, _)| format!("{} {}", o.kind(), o.name()))
            .collect();
        out.push(walk.end(Outcome::dropped(
            reason,
            status,
            format!("no endpoints: {what} picks {}, which run no pods (0 replicas, or Jobs between runs)", names.join(", ")),
        )));
        return;
    }
    for (owner, count, entry) in owners {
        let n = weight(count);
        if n == 0 {
            continue;
        }
        let declared = ports::template_ports(&entry.template);
        let (container_port, note, undeclared) = match (&target.named, target.numeric) {
            (Some(name @ PortRef::Name(text)), _) => {
                match ports::resolve(declared.iter().map(|t| &t.port), name, target.protocol) {
                    PortResolution::Declared(p) => (
                        p.number,
                        Some(format!(
                            "\"{text}\" is containerPort {}",
                            p.number.map_or_else(|| "?".into(), |n| n.to_string())
                        )),
                        None,
                    ),
                    PortResolution::OtherProtocol(p) => (
                        None,
                        None,
                        Some(format!(
                            "targetPort \"{text}\" is declared only for {}",
                            p.protocol
                        )),
                    ),
                    PortResolution::Undeclared => (
                        None,
                        None,
                        Some(format!(
                            "no container of {} {} declares a port named \"{text}\"",
                            owner.kind(),
                            owner.name()
                        )),
                    ),
                }
            }
            (_, Some(num)) => {
                let known = declared.iter().any(|t| t.port.number == Some(num));
                (
                    Some(num),
                    (!known).then(|| format!("no container declares port {num}: the pod receives the connection, whether anything listens is not written down")),
                    None,
                )
            }
            _ => (None, None, None),
        };
        let mut w = walk.clone();
        w.share *= n as f64 / total as f64;
        let pods = match count {
            Some(c) => format!("{c} pod{}", if c == 1 { "" } else { "s" }),
            None => "one pod per node".to_string(),
        };
        let kind_name = if owner.kind() == "Pod" {
            "bare Pod".to_string()
        } else {
            format!(
                "{pods} of {} {}/{}",
                owner.kind(),
                owner.namespace(),
                owner.name()
            )
        };
        let mut hop = cx.hop(
            owner,
            entry
                .template
                .labels_node
                .map_or(owner.anchor_span(), |n| n.span),
            match container_port {
                Some(p) => format!("{kind_name}, container port {p}"),
                None => kind_name.clone(),
            },
        );
        hop.kind = "Pods".into();
        hop.notes.extend(note);
        let workload = cx.ids.id(owner);
        let w = w.with(hop);
        if let Some(why) = undeclared {
            let status = w.unavailable();
            out.push(w.end(Outcome::dropped("target-port-undeclared", status, why)));
            continue;
        }
        let pods_u32 = u32::try_from(count.unwrap_or(1).max(0)).unwrap_or(u32::MAX);
        out.push(w.end(Outcome {
            result: Result::Delivered,
            reason: None,
            status: None,
            message: match container_port {
                Some(p) => format!("{kind_name} on port {p}"),
                None => kind_name.clone(),
            },
            pods: pods_u32,
            workloads: vec![workload.to_string()],
            container_port,
        }));
    }
}

/// Node ports and external IPs: a request to `node:nodePort` or to an
/// `externalIPs` address reaches the Service directly.
pub(super) fn trace_node_ports(cx: &Cx<'_, '_>, req: &Request, out: &mut Vec<TracePath>) {
    for svc in cx.catalog.of_kind("Service").filter(|o| (cx.own)(o)) {
        let Some(view) = svc.service() else {
            continue;
        };
        let spec = svc.root.get("spec");
        let external_ips: Vec<&str> = spec
            .map_or(&[][..], |s| s.get_seq("externalIPs"))
            .iter()
            .filter_map(Node::as_str)
            .collect();
        for sp in ServicePort::all(view.ports) {
            let node_port = sp.node_port.and_then(Node::as_i64);
            let by_node_port = matches!(view.service_type, "NodePort" | "LoadBalancer")
                && node_port == Some(i64::from(req.url.port));
            let by_ip = external_ips.contains(&req.url.host.as_str())
                && sp.port == Some(i64::from(req.url.port));
            if !by_node_port && !by_ip {
                continue;
            }
            let entry = if by_node_port {
                format!("nodePort {} (any node's address)", req.url.port)
            } else {
                format!("externalIP {}:{}", req.url.host, req.url.port)
            };
            let Some(port) = sp.port else {
                continue;
            };
            let walk = Walk::new(entry, (cx.unit)(svc), false);
            if let Some((class, target)) = ingress_controller_behind(cx, svc, &sp) {
                // The walkthrough's bare-metal setup: the node port leads to
                // the ingress-nginx controller, which routes by the Ingresses.
                let mut w = walk;
                let mut hop = cx.hop(
                    svc,
                    sp.span(),
                    format!(
                        "nodePort {} → port {} → the ingress controller's port {target}",
                        req.url.port,
                        sp.describe()
                    ),
                );
                hop.notes.push(format!("the pods behind it run ingress-nginx (class {class}): the request is routed by the Ingresses of that class"));
                w.hops.push(hop);
                let scheme = if target == 443 { "https" } else { "http" };
                let mut inner = req.clone();
                inner.url.scheme = scheme.to_string();
                inner.url.port = if target == 443 { 443 } else { 80 };
                super::ingress::route_all(cx, &inner, Some(&class), Some(&w), out);
                continue;
            }
            to_service(cx, walk, svc, PortSel::Number(port), None, out);
        }
    }
}

/// If Service port `sp` of `svc` leads to ingress-nginx controller pods:
/// the controller's Ingress class and the container port (80 or 443).
fn ingress_controller_behind(
    cx: &Cx<'_, '_>,
    svc: &Object,
    sp: &ServicePort<'_>,
) -> Option<(String, i64)> {
    let selector = svc.service()?.pod_selector()?;
    for entry in cx.catalog.templates_matching(svc.namespace(), &selector) {
        for c in entry.template.containers() {
            let image = c.node.get_str("image").unwrap_or("");
            let args: Vec<&str> = c
                .node
                .get_seq("args")
                .iter()
                .chain(c.node.get_seq("command"))
                .filter_map(Node::as_str)
                .collect();
            let controller = image.contains("ingress-nginx/controller")
                || image.contains("nginx-ingress-controller")
                || args
                    .iter()
                    .any(|a| a.ends_with("/nginx-ingress-controller"));
            if !controller {
                continue;
            }
            let class = args
                .iter()
                .find_map(|a| a.strip_prefix("--ingress-class="))
                .unwrap_or("nginx")
                .to_string();
            let declared = ports::template_ports(&entry.template);
            let target = match (sp.numeric_target(), sp.target.and_then(ports::port_ref)) {
                (Some((n, _, _)), _) => n,
                (None, Some(name)) => {
                    match ports::resolve(declared.iter().map(|t| &t.port), &name, sp.protocol) {
                        PortResolution::Declared(p) => p.number?,
                        _ => return None,
                    }
                }
                _ => return None,
            };
            return matches!(target, 80 | 443).then_some((class, target));
        }
    }
    None
}
