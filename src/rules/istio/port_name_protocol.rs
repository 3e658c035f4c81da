//! KW4012: a Service port that Istio cannot tell the protocol of (IST0118).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4012",
    "istio-port-name-protocol",
    Istio,
    Info,
    "A Service port routed by Istio has neither a protocol-prefixed name nor appProtocol"
);

pub struct Rule;

/// Istio's protocol selection by port name: `<protocol>[-<suffix>]`.
const PROTOCOLS: &[&str] = &[
    "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp",
];

/// Does the port name select a protocol (`http`, `http-web`, `grpc-api`)?
pub fn names_protocol(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    PROTOCOLS.iter().any(|p| {
        lower == *p
            || lower
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// The port has `appProtocol` or a protocol-prefixed name.
fn selects_protocol(port: &Node) -> bool {
    port.get("appProtocol").is_some() || port.get_str("name").is_some_and(names_protocol)
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(view) = obj.service() else {
            return;
        };
        if view.service_type == "ExternalName"
            || !catalog.istio().is_destination(obj.namespace(), obj.name())
        {
            return;
        }
        // The same Service written again elsewhere with every port named for
        // its protocol is the one in the mesh (the input holds unrelated apps
        // that reuse the name, or an old copy).
        let named_elsewhere = catalog
            .find(obj.api_version(), "Service", obj.namespace(), obj.name())
            .into_iter()
            .filter_map(|i| catalog.object(i))
            .filter(|o| !std::ptr::eq(*o, obj))
            .any(|o| {
                o.service()
                    .is_some_and(|v| !v.ports.is_empty() && v.ports.iter().all(selects_protocol))
            });
        if named_elsewhere {
            return;
        }
        for port in view.ports {
            if port.get("appProtocol").is_some() {
                continue;
            }
            let number = port
                .get("port")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let (span, what) = match port.entry("name") {
                Some(e) => match e.value.as_str() {
                    Some(n) if names_protocol(n) => continue,
                    Some(n) => (e.value.span, format!("is named \"{n}\"")),
                    None => continue,
                },
                None => (port.span, "has no name".to_string()),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} port {number} {what}, which tells Istio no protocol; it falls back to protocol sniffing (or plain TCP), so HTTP routes, retries and metrics may not apply",
                        obj.describe()
                    ),
                )
                .with_label("no protocol")
                .with_help(format!(
                    "name it `<protocol>[-<suffix>]` (http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis), e.g. `name: http-{}`, or set `appProtocol: http`",
                    port.get_str("name").unwrap_or("web")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_protocol;

    #[test]
    fn protocol_prefixes() {
        assert!(names_protocol("http"));
        assert!(names_protocol("grpc-web"));
        assert!(names_protocol("http-metrics"));
        assert!(names_protocol("HTTP2-api"));
        assert!(!names_protocol("web"));
        assert!(!names_protocol("httpx"));
        assert!(!names_protocol("metrics-http"));
    }
}
