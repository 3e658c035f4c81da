//! Ingress view over both API shapes: `networking.k8s.io/v1`
//! (`backend.service.name` + `port.number|name`, `defaultBackend`) and the
//! old `serviceName`/`servicePort` of `extensions/v1beta1` and
//! `networking.k8s.io/v1beta1`. The shape is read from the fields, not from
//! the apiVersion, so a mixed-up manifest is still understood.

use super::Object;
use crate::parse::Node;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

#[derive(Debug)]
pub struct IngressBackend<'a> {
    /// The backend mapping (`backend:` or `defaultBackend:`).
    pub node: &'a Node,
    pub service_name: Option<&'a Node>,
    pub port: Option<(PortRef<'a>, Span)>,
    /// `rules[].host`, if the backend belongs to a rule with a host.
    pub host: Option<&'a str>,
    /// `paths[].path`, if any.
    pub path: Option<&'a str>,
    /// True for the `serviceName`/`servicePort` shape.
    pub legacy: bool,
}

impl Object {
    /// Every backend an Ingress routes to, default backend first.
    pub fn ingress_backends(&self) -> Vec<IngressBackend<'_>> {
        if self.kind() != "Ingress" {
            return Vec::new();
        }
        let Some(spec) = self.root.get("spec") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for key in ["defaultBackend", "backend"] {
            if let Some(node) = spec.get(key) {
                out.extend(backend(node, None, None));
            }
        }
        for rule in spec.get_seq("rules") {
            let host = rule.get_str("host");
            let paths = rule.get("http").map_or(&[][..], |h| h.get_seq("paths"));
            for path in paths {
                if let Some(node) = path.get("backend") {
                    out.extend(backend(node, host, path.get_str("path")));
                }
            }
        }
        out
    }
}

fn backend<'a>(
    node: &'a Node,
    host: Option<&'a str>,
    path: Option<&'a str>,
) -> Option<IngressBackend<'a>> {
    if let Some(service) = node.get("service") {
        let port = service.get("port").and_then(|p| {
            if let Some(n) = p.get("number") {
                n.as_i64().map(|i| (PortRef::Number(i), n.span))
            } else {
                let n = p.get("name")?;
                n.as_str().map(|s| (PortRef::Name(s), n.span))
            }
        });
        return Some(IngressBackend {
            node,
            service_name: service.get("name"),
            port,
            host,
            path,
            legacy: false,
        });
    }
    if node.get("serviceName").is_some() || node.get("servicePort").is_some() {
        let port = node
            .get("servicePort")
            .and_then(|p| match (p.as_i64(), p.as_str()) {
                (Some(i), _) => Some((PortRef::Number(i), p.span)),
                (None, Some(s)) => Some((PortRef::Name(s), p.span)),
                _ => None,
            });
        return Some(IngressBackend {
            node,
            service_name: node.get("serviceName"),
            port,
            host,
            path,
            legacy: true,
        });
    }
    // `resource:` backends point at custom objects, not Services.
    None
}
