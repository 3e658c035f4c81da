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
    /// True for `spec.defaultBackend` (`spec.backend`), false for the
    /// backend of a `rules[].http.paths[]` entry.
    pub default: bool,
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
                out.extend(backend(node, None, None, true));
            }
        }
        for rule in spec.get_seq("rules") {
            let host = rule.get_str("host");
            let paths = rule.get("http").map_or(&[][..], |h| h.get_seq("paths"));
            for path in paths {
                if let Some(node) = path.get("backend") {
                    out.extend(backend(node, host, path.get_str("path"), false));
                }
            }
        }
        out
    }
}

/// One `rules[].http.paths[]` entry of an Ingress, as the controller keys it.
#[derive(Debug)]
pub struct IngressPath<'a> {
    /// `rules[].host`, `""` for any host.
    pub host: &'a str,
    /// `path`, `""` when omitted.
    pub path: &'a str,
    /// `pathType`, `ImplementationSpecific` when omitted.
    pub path_type: &'a str,
    /// The `path` node (the entry when there is none), where findings point.
    pub node: &'a Node,
}

impl Object {
    /// The class of an Ingress: `spec.ingressClassName`, else the
    /// `kubernetes.io/ingress.class` annotation, else `""` (the default class).
    pub fn ingress_class(&self) -> &str {
        self.root
            .path(&["spec", "ingressClassName"])
            .and_then(Node::as_str)
            .or_else(|| self.annotation("kubernetes.io/ingress.class"))
            .unwrap_or("")
    }

    /// Every `rules[].http.paths[]` entry of an Ingress.
    pub fn ingress_paths(&self) -> Vec<IngressPath<'_>> {
        if self.kind() != "Ingress" {
            return Vec::new();
        }
        let Some(spec) = self.root.get("spec") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for rule in spec.get_seq("rules") {
            let host = rule.get_str("host").unwrap_or("");
            let Some(http) = rule.get("http") else {
                continue;
            };
            for entry in http.get_seq("paths") {
                out.push(IngressPath {
                    host,
                    path: entry.get_str("path").unwrap_or(""),
                    path_type: entry
                        .get_str("pathType")
                        .unwrap_or("ImplementationSpecific"),
                    node: entry.get("path").unwrap_or(entry),
                });
            }
        }
        out
    }
}

pub fn backend<'a>(
    node: &'a Node,
    host: Option<&'a str>,
    path: Option<&'a str>,
    default: bool,
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
            default,
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
            default,
        });
    }
    // `resource:` backends point at custom objects, not Services.
    None
}

#[cfg(test)]
mod tests {
    use crate::model::{Modeled, model_document};
    use crate::parse::parse_file;
    use crate::source::SourceFile;

    use super::PortRef;

    /// (service name, port as text, legacy shape) of every backend.
    fn backends(yaml: &str) -> Vec<(Option<String>, Option<String>, bool)> {
        let source = SourceFile::new("t.yaml", yaml.to_string());
        let mut parsed = parse_file(0, &source);
        let mut modeled = Modeled::default();
        let doc = parsed.documents.remove(0);
        model_document(0, doc.index, doc.root, &mut modeled);
        let obj = &modeled.objects[0];
        obj.ingress_backends()
            .into_iter()
            .map(|b| {
                let port = b.port.map(|(p, _)| match p {
                    PortRef::Number(n) => format!("#{n}"),
                    PortRef::Name(s) => s.to_string(),
                });
                (
                    b.service_name.and_then(|n| n.as_str()).map(str::to_string),
                    port,
                    b.legacy,
                )
            })
            .collect()
    }

    #[test]
    fn v1_shape_with_default_backend_and_named_port() {
        let got = backends(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend:\n    service: {name: fallback, port: {number: 80}}\n  rules:\n    - host: a.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {name: http}}\n",
        );
        assert_eq!(
            got,
            vec![
                (Some("fallback".into()), Some("#80".into()), false),
                (Some("web".into()), Some("http".into()), false),
            ]
        );
    }

    #[test]
    fn legacy_shape_with_numeric_and_named_service_port() {
        let got = backends(
            "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  backend: {serviceName: fallback, servicePort: 8080}\n  rules:\n    - http:\n        paths:\n          - backend: {serviceName: web, servicePort: http}\n",
        );
        assert_eq!(
            got,
            vec![
                (Some("fallback".into()), Some("#8080".into()), true),
                (Some("web".into()), Some("http".into()), true),
            ]
        );
    }
}
