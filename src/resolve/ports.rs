//! Ports: Service ports, container ports of pod templates, probe and
//! handler ports, and how a port reference (number or IANA name) resolves
//! among the ports a pod declares, per protocol.

use crate::model::workload::{ContainerPort, PodTemplate};
use crate::parse::Node;
use crate::source::Span;

/// One entry of a Service's `spec.ports`.
pub struct ServicePort<'a> {
    pub node: &'a Node,
    pub name: Option<&'a str>,
    /// `spec.ports[].port` (None when missing or not an integer).
    pub port: Option<i64>,
    /// `TCP` when omitted.
    pub protocol: &'a str,
    /// `targetPort` as written; `None` when omitted (it defaults to `port`).
    pub target: Option<&'a Node>,
    pub node_port: Option<&'a Node>,
}

impl<'a> ServicePort<'a> {
    pub fn all(ports: &'a [Node]) -> impl Iterator<Item = ServicePort<'a>> {
        ports.iter().map(|node| ServicePort {
            node,
            name: node.get_str("name"),
            port: node.get("port").and_then(Node::as_i64),
            protocol: node.get_str("protocol").unwrap_or("TCP"),
            target: node.get("targetPort"),
            node_port: node.get("nodePort"),
        })
    }

    /// `80/TCP` or `http (80/TCP)` for messages.
    pub fn describe(&self) -> String {
        let number = self.port.map_or_else(|| "?".to_string(), |p| p.to_string());
        match self.name {
            Some(name) => format!("\"{name}\" ({number}/{})", self.protocol),
            None => format!("{number}/{}", self.protocol),
        }
    }

    /// The number the port targets: its numeric `targetPort`, or `port` when
    /// `targetPort` is omitted, 0 or `""` (the API server defaults those to
    /// `port`); with the span to point at and whether the target was written.
    /// `None` for a target by name or a port without a number.
    pub fn numeric_target(&self) -> Option<(i64, Span, bool)> {
        let unset = self
            .target
            .is_none_or(|t| t.as_i64() == Some(0) || t.as_str() == Some(""));
        if unset {
            return self.port.map(|p| (p, self.span(), false));
        }
        match self.target.and_then(port_ref) {
            Some(PortRef::Number(n)) => {
                Some((n, self.target.map_or(self.span(), |t| t.span), true))
            }
            _ => None,
        }
    }

    /// The span to point at for findings about the port entry itself.
    pub fn span(&self) -> Span {
        self.node.entry("port").map_or(self.node.span, |e| Span {
            start: e.key.span.start,
            end: e.value.span.end,
        })
    }
}

/// A container port of a pod template, with the container it belongs to.
pub struct TemplatePort<'a> {
    pub container: Option<&'a str>,
    pub port: ContainerPort<'a>,
}

/// Every container port a Service can reach in a template: those of the
/// containers and of the restartable init containers (sidecars), as the
/// endpoints controller looks them up.
pub fn template_ports<'a>(template: &PodTemplate<'a>) -> Vec<TemplatePort<'a>> {
    let mut out = Vec::new();
    for c in running_containers(template) {
        out.extend(c.ports().map(|port| TemplatePort {
            container: c.name,
            port,
        }));
    }
    out
}

/// Where a related span about a template's ports points: the first
/// container's `ports` list, else its first container, else the template.
pub fn ports_span(template: &PodTemplate<'_>) -> Span {
    let mut first_container = None;
    for c in template.containers() {
        if let Some(ports) = c.node.get("ports") {
            return ports.span;
        }
        first_container.get_or_insert(c.node.span);
    }
    first_container.unwrap_or(template.node.span)
}

/// `"http" (8080/TCP), "metrics" (9090/TCP)` — the named ports of a template.
pub fn describe_named(ports: &[TemplatePort<'_>]) -> String {
    let named: Vec<String> = ports
        .iter()
        .filter_map(|p| {
            let name = p.port.name?;
            let number = p
                .port
                .number
                .map_or_else(|| "?".to_string(), |n| n.to_string());
            Some(format!("\"{name}\" ({number}/{})", p.port.protocol))
        })
        .collect();
    if named.is_empty() {
        "no named ports".to_string()
    } else {
        named.join(", ")
    }
}

/// `IntOrString` as a port reference.
pub enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

pub fn port_ref(node: &Node) -> Option<PortRef<'_>> {
    if let Some(n) = node.as_i64() {
        return Some(PortRef::Number(n));
    }
    let s = node.as_str()?;
    // A quoted number is an invalid IntOrString the schema rules report.
    if s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(PortRef::Name(s))
}

/// How a port reference (a name or a number) resolves among declared
/// container ports, for traffic of one protocol. Every rule that matches a
/// reference to container ports goes through `resolve`.
pub enum Resolution<'p, 'a> {
    /// A port with this name or number and the wanted protocol.
    Declared(&'p ContainerPort<'a>),
    /// Declared, but only with other protocols: the first such port.
    OtherProtocol(&'p ContainerPort<'a>),
    /// No port with this name or number.
    Undeclared,
}

impl PortRef<'_> {
    pub fn matches(&self, port: &ContainerPort<'_>) -> bool {
        match self {
            PortRef::Number(n) => port.number == Some(*n),
            PortRef::Name(name) => port.name == Some(*name),
        }
    }
}

/// Resolves `target` among `ports` for `protocol` traffic (`TCP`, `UDP`, `SCTP`).
pub fn resolve<'p, 'a: 'p>(
    ports: impl IntoIterator<Item = &'p ContainerPort<'a>>,
    target: &PortRef<'_>,
    protocol: &str,
) -> Resolution<'p, 'a> {
    let mut other = None;
    for port in ports {
        if !target.matches(port) {
            continue;
        }
        if port.protocol == protocol {
            return Resolution::Declared(port);
        }
        other.get_or_insert(port);
    }
    other.map_or(Resolution::Undeclared, Resolution::OtherProtocol)
}

/// A probe or lifecycle handler's port: `livenessProbe`, `httpGet`, the node.
pub struct HandlerPort<'a> {
    /// `livenessProbe`, `lifecycle.preStop`, ...
    pub what: String,
    /// `httpGet`, `tcpSocket` or `grpc`: all three connect over TCP.
    pub action: &'static str,
    pub port: &'a Node,
}

/// Probe kinds of a container, as its fields are named.
pub const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];

/// The ports of a container's probes and lifecycle hooks.
pub fn handler_ports<'a>(
    container: &crate::model::workload::Container<'a>,
) -> Vec<HandlerPort<'a>> {
    let mut handlers: Vec<(String, &'a Node)> = PROBES
        .iter()
        .filter_map(|key| Some(((*key).to_string(), container.node.get(key)?)))
        .collect();
    for hook in ["postStart", "preStop"] {
        if let Some(h) = container.node.path(&["lifecycle", hook]) {
            handlers.push((format!("lifecycle.{hook}"), h));
        }
    }
    let mut out = Vec::new();
    for (what, handler) in handlers {
        for action in ["httpGet", "tcpSocket", "grpc"] {
            if let Some(port) = handler.path(&[action, "port"]) {
                out.push(HandlerPort {
                    what: what.clone(),
                    action,
                    port,
                });
            }
        }
    }
    out
}

/// Containers that run side by side in the pod's network namespace: the
/// regular containers and the restartable init containers (sidecars).
pub fn running_containers<'a, 't>(
    template: &'t PodTemplate<'a>,
) -> impl Iterator<Item = crate::model::workload::Container<'a>> + 't {
    template
        .containers()
        .filter(|c| !c.init || c.node.get_str("restartPolicy") == Some("Always"))
}

/// The pod templates a Service's ports are judged against: those its
/// selector matches, nearest to the Service in the file tree (repositories
/// keep alternative versions of a workload side by side), leaving out Jobs
/// and CronJobs when long-running workloads are selected too (a migration
/// Job carrying the app's labels serves nothing).
pub fn served_templates<'c, 'a>(
    obj: &crate::model::Object,
    catalog: &'c crate::catalog::Catalog<'a>,
    selector: &crate::model::selector::Selector<'_>,
) -> Vec<&'c crate::catalog::TemplateEntry<'a>> {
    let templates = crate::resolve::scope::nearest(
        catalog,
        obj.file,
        catalog.templates_matching(obj.namespace(), selector),
    );
    let batch = |e: &crate::catalog::TemplateEntry<'_>| {
        catalog
            .object(e.object)
            .is_some_and(|o| matches!(o.kind(), "Job" | "CronJob"))
    };
    if templates.iter().all(|e| batch(e)) {
        return templates;
    }
    templates.into_iter().filter(|e| !batch(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Value;

    #[test]
    fn port_refs_are_numbers_or_names() {
        let node = |value| Node::new(Span::default(), value);
        assert!(matches!(
            port_ref(&node(Value::Int(8080))),
            Some(PortRef::Number(8080))
        ));
        assert!(matches!(
            port_ref(&node(Value::Str("http".into()))),
            Some(PortRef::Name("http"))
        ));
        // A quoted number is a schema error, not a port name.
        assert!(port_ref(&node(Value::Str("8080".into()))).is_none());
        assert!(port_ref(&node(Value::Null)).is_none());
    }

    #[test]
    fn resolution_tells_protocols_apart() {
        let entry = |number, protocol: &'static str| ContainerPort {
            node: Box::leak(Box::new(Node::new(Span::default(), Value::Null))),
            number: Some(number),
            name: Some("dns"),
            protocol,
        };
        let udp_only = [entry(53, "UDP")];
        let both = [entry(53, "UDP"), entry(53, "TCP")];
        assert!(matches!(
            resolve(&udp_only, &PortRef::Name("dns"), "TCP"),
            Resolution::OtherProtocol(p) if p.protocol == "UDP"
        ));
        assert!(matches!(
            resolve(&udp_only, &PortRef::Number(53), "UDP"),
            Resolution::Declared(_)
        ));
        assert!(matches!(
            resolve(&both, &PortRef::Number(53), "TCP"),
            Resolution::Declared(p) if p.protocol == "TCP"
        ));
        assert!(matches!(
            resolve(&both, &PortRef::Number(80), "TCP"),
            Resolution::Undeclared
        ));
    }
}
