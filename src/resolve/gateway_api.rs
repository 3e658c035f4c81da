//! Gateway API attachment: how a route's `parentRefs[]` entry attaches to a
//! Gateway. Which Gateway it names (or why it is not in the input, with the
//! evidence KW3213 reports), which listeners the entry selects
//! (`sectionName`, `port`: KW3214), whether each admits the route
//! (`allowedRoutes.namespaces` / `kinds`: KW3215), and the hostnames the
//! route is served on there: the intersection of the listener's `hostname`
//! with the route's `spec.hostnames` (KW3216).
//!
//! The rules KW3213–KW3216 and `kwire graph` (the `routes` edge and the
//! exposures of a route) read these answers, so they cannot disagree.

use std::borrow::Cow;

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::gateway::{GROUP, ParentRef, is_gateway_api};
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::source::Span;
use crate::text::closest_name;

/// The label the API server puts on every Namespace.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Route kinds that have `spec.hostnames` (TCPRoute and UDPRoute do not).
const HOSTNAME_KINDS: &[&str] = &["HTTPRoute", "GRPCRoute", "TLSRoute"];

/// The Gateway a parentRef names, as the input has it.
#[derive(Debug, Clone, Copy)]
pub enum GatewayLookup<'a> {
    /// Defined exactly once in the unit: its listeners are read.
    Unique(&'a Object),
    /// Defined more than once (KW0010), the first given: alternative
    /// versions of one Gateway, so its listeners are not judged.
    Several(&'a Object),
    /// Not in the input, and an `assume:` entry says it is provided.
    Assumed,
    /// Not in the input; a Gateway of that name exists in another namespace.
    Elsewhere(&'a Object),
    /// Not in the input; a Gateway with a similar name is in the namespace.
    Near(&'a Object),
    /// Not in the input, and nothing suggests a slip: it may well be
    /// deployed by a platform team from elsewhere.
    Absent,
}

impl<'a> GatewayLookup<'a> {
    /// The Gateway, when the input defines it.
    pub fn gateway(&self) -> Option<&'a Object> {
        match *self {
            GatewayLookup::Unique(g) | GatewayLookup::Several(g) => Some(g),
            _ => None,
        }
    }
}

/// Why a parentRef's `sectionName` / `port` selects no listener (KW3214).
#[derive(Debug, Clone, Copy)]
pub enum ListenerProblem<'a> {
    /// `sectionName` names no listener.
    NoSuchSection { wanted: &'a str, section: &'a Node },
    /// The named listener listens on another port than `port`.
    PortDiffers {
        wanted: &'a str,
        port: i64,
        port_node: &'a Node,
        listener: &'a Node,
    },
    /// No listener listens on `port` (no `sectionName`).
    NoListenerOnPort { port: i64, port_node: &'a Node },
}

impl ListenerProblem<'_> {
    /// The field the problem is reported on.
    pub fn span(&self) -> Span {
        match self {
            ListenerProblem::NoSuchSection { section, .. } => section.span,
            ListenerProblem::PortDiffers { port_node, .. }
            | ListenerProblem::NoListenerOnPort { port_node, .. } => port_node.span,
        }
    }
}

/// Whether a listener admits the route (`allowedRoutes`).
#[derive(Debug, Clone)]
pub enum Admission {
    Admits,
    /// kwire cannot tell (a namespace selector on labels of a Namespace
    /// that is not in the input): taken as admitting.
    Unknown,
    /// Refused, with the reason and the field that refuses.
    Refused(String, Span),
}

/// One listener the parentRef selects.
#[derive(Debug, Clone)]
pub struct ListenerAttachment<'a> {
    pub listener: &'a Node,
    pub admission: Admission,
    /// The hostnames the route is served on through this listener: the
    /// intersection of the listener's hostname with the route's (see
    /// [`effective_hostnames`]); `"*"` for any host. Empty: none intersect.
    pub hostnames: Vec<String>,
}

impl ListenerAttachment<'_> {
    pub fn admits(&self) -> bool {
        !matches!(self.admission, Admission::Refused(..))
    }

    /// Admits the route and serves it on at least one hostname.
    pub fn accepts(&self) -> bool {
        self.admits() && !self.hostnames.is_empty()
    }

    pub fn name(&self) -> &str {
        self.listener.get_str("name").unwrap_or("?")
    }
}

/// One parentRef of a route, followed.
#[derive(Debug)]
pub struct Attachment<'a> {
    /// The Gateway's name and the namespace the reference points into.
    pub name: &'a str,
    pub namespace: &'a str,
    pub lookup: GatewayLookup<'a>,
    /// Set when the Gateway is unique and `sectionName` / `port` select no
    /// listener (then `listeners` is empty).
    pub problem: Option<ListenerProblem<'a>>,
    /// The listeners selected, when the Gateway is unique.
    pub listeners: Vec<ListenerAttachment<'a>>,
}

/// What an attachment comes to, in the order the checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The Gateway is in the input and the route is served (or, for a
    /// Gateway defined several times, its listeners are not judged).
    Accepted,
    /// The Gateway is not in the input (see [`GatewayLookup`]).
    NoGateway,
    /// KW3214: no listener selected.
    NoMatchingParent,
    /// The Gateway has no listener at all to select (no rule: the schema's).
    NoListeners,
    /// KW3215: every selected listener refuses the route.
    NotAllowedByListeners,
    /// KW3216: the admitting listeners' hostnames do not intersect the route's.
    NoMatchingListenerHostname,
}

impl<'a> Attachment<'a> {
    pub fn verdict(&self) -> Verdict {
        match self.lookup {
            GatewayLookup::Several(_) => return Verdict::Accepted,
            GatewayLookup::Unique(_) => {}
            _ => return Verdict::NoGateway,
        }
        if self.problem.is_some() {
            return Verdict::NoMatchingParent;
        }
        if self.listeners.is_empty() {
            return Verdict::NoListeners;
        }
        if !self.listeners.iter().any(ListenerAttachment::admits) {
            return Verdict::NotAllowedByListeners;
        }
        if !self.listeners.iter().any(ListenerAttachment::accepts) {
            return Verdict::NoMatchingListenerHostname;
        }
        Verdict::Accepted
    }

    /// The listeners that admit the route and serve it on some hostname.
    pub fn accepting(&self) -> impl Iterator<Item = &ListenerAttachment<'a>> {
        self.listeners.iter().filter(|l| l.accepts())
    }

    /// The listeners that admit the route (whatever their hostnames).
    pub fn admitting(&self) -> impl Iterator<Item = &ListenerAttachment<'a>> {
        self.listeners.iter().filter(|l| l.admits())
    }
}

/// Every definition of the Gateway in the unit, in input order.
pub fn gateway_definitions<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> Vec<&'a Object> {
    catalog
        .find(&format!("{GROUP}/v1"), "Gateway", ns, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .filter(|g| is_gateway_api(g, "Gateway"))
        .collect()
}

/// The Gateway named `name` in `ns`, or why the input has none.
pub fn lookup_gateway<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> GatewayLookup<'a> {
    match gateway_definitions(catalog, ns, name).as_slice() {
        [only] => return GatewayLookup::Unique(only),
        [first, ..] => return GatewayLookup::Several(first),
        [] => {}
    }
    if catalog.assumed("Gateway", ns, name) {
        return GatewayLookup::Assumed;
    }
    let elsewhere = catalog
        .find_elsewhere(&format!("{GROUP}/v1"), "Gateway", ns, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .find(|g| is_gateway_api(g, "Gateway"));
    if let Some(other) = elsewhere {
        return GatewayLookup::Elsewhere(other);
    }
    let gateways: Vec<&Object> = catalog
        .in_namespace(ns)
        .filter(|g| is_gateway_api(g, "Gateway"))
        .collect();
    closest_name(name, gateways.iter().map(|g| g.name()))
        .and_then(|near| gateways.iter().find(|g| g.name() == near))
        .map_or(GatewayLookup::Absent, |g| GatewayLookup::Near(g))
}

/// `spec.hostnames` of a route kind that has them: the node and its strings.
pub fn route_hostnames(route: &Object) -> (Option<&Node>, Vec<&str>) {
    if !HOSTNAME_KINDS.contains(&route.kind()) {
        return (None, Vec::new());
    }
    let node = route.root.path(&["spec", "hostnames"]);
    let names = node
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect();
    (node, names)
}

/// Follows one parentRef of `route`: `None` when it is not a Gateway
/// (a Service parent of a mesh route, another implementation's kind) or its
/// name is not a string.
pub fn attach<'a, 'c: 'a>(
    route: &'a Object,
    parent: &ParentRef<'a>,
    catalog: &Catalog<'c>,
) -> Option<Attachment<'a>> {
    if !parent.is_gateway() {
        return None;
    }
    let name = parent.name.as_str()?;
    let namespace = parent.target_namespace(route.namespace());
    let lookup: GatewayLookup<'a> = lookup_gateway(catalog, namespace, name);
    let mut attachment = Attachment {
        name,
        namespace,
        lookup,
        problem: None,
        listeners: Vec::new(),
    };
    let GatewayLookup::Unique(gateway) = lookup else {
        return Some(attachment);
    };
    let listeners = gateway.gateway_listeners();
    attachment.problem = listener_problem(parent, listeners);
    if attachment.problem.is_some() {
        return Some(attachment);
    }
    let section = parent.section_name.and_then(Node::as_str);
    let port = parent.port.and_then(Node::as_i64);
    let (_, route_hosts) = route_hostnames(route);
    let has_hostnames = HOSTNAME_KINDS.contains(&route.kind());
    attachment.listeners = listeners
        .iter()
        .filter(|l| section.is_none_or(|s| l.get_str("name") == Some(s)))
        .filter(|l| port.is_none_or(|p| l.get("port").and_then(Node::as_i64) == Some(p)))
        .map(|listener| ListenerAttachment {
            listener,
            admission: admission(listener, gateway, route, catalog),
            hostnames: if has_hostnames {
                effective_hostnames(listener.get_str("hostname"), &route_hosts)
            } else {
                vec!["*".to_string()]
            },
        })
        .collect();
    Some(attachment)
}

/// KW3214's question: do `sectionName` / `port` name a listener?
fn listener_problem<'a>(
    parent: &ParentRef<'a>,
    listeners: &'a [Node],
) -> Option<ListenerProblem<'a>> {
    if let Some(section) = parent.section_name {
        // A sectionName that is not a string is the schema's finding.
        let wanted = section.as_str()?;
        let Some(listener) = listeners.iter().find(|l| l.get_str("name") == Some(wanted)) else {
            return Some(ListenerProblem::NoSuchSection { wanted, section });
        };
        let port_node = parent.port?;
        let port = port_node.as_i64()?;
        if listener.get("port").and_then(Node::as_i64) != Some(port) {
            return Some(ListenerProblem::PortDiffers {
                wanted,
                port,
                port_node,
                listener,
            });
        }
        return None;
    }
    let port_node = parent.port?;
    let port = port_node.as_i64()?;
    if listeners
        .iter()
        .any(|l| l.get("port").and_then(Node::as_i64) == Some(port))
    {
        return None;
    }
    Some(ListenerProblem::NoListenerOnPort { port, port_node })
}

/// Whether `listener` of `gateway` admits `route` (KW3215's question).
fn admission(
    listener: &Node,
    gateway: &Object,
    route: &Object,
    catalog: &Catalog<'_>,
) -> Admission {
    let allowed = listener.get("allowedRoutes");
    let listener_name = listener.get_str("name").unwrap_or("?");
    // Kinds first: the explicit list, else the protocol's kinds.
    let kinds = allowed.map_or(&[][..], |a| a.get_seq("kinds"));
    if !kinds.is_empty() {
        let ok = kinds.iter().any(|k| {
            k.get_str("kind") == Some(route.kind()) && k.get_str("group").unwrap_or(GROUP) == GROUP
        });
        if !ok {
            let names: Vec<&str> = kinds.iter().filter_map(|k| k.get_str("kind")).collect();
            let span_node = allowed.and_then(|a| a.get("kinds")).unwrap_or(listener);
            return Admission::Refused(
                format!(
                    "listener \"{listener_name}\" admits only {} routes",
                    names.join(", ")
                ),
                span_node.span,
            );
        }
    } else if let Some(protocol) = listener.get_str("protocol")
        && !protocol_carries(protocol, route.kind())
    {
        let span_node = listener.get("protocol").unwrap_or(listener);
        return Admission::Refused(
            format!(
                "listener \"{listener_name}\" speaks {protocol}, which does not carry {}",
                route.kind()
            ),
            span_node.span,
        );
    }
    let namespaces = allowed.and_then(|a| a.get("namespaces"));
    let from = namespaces.and_then(|n| n.get_str("from")).unwrap_or("Same");
    let route_ns = route.namespace();
    let span_node = namespaces.unwrap_or(listener);
    match from {
        "Same" if route_ns != gateway.namespace() => Admission::Refused(
            format!(
                "listener \"{listener_name}\" admits routes from its own namespace \"{}\" only (allowedRoutes.namespaces.from: Same{})",
                gateway.namespace(),
                if namespaces.is_none() {
                    ", the default"
                } else {
                    ""
                }
            ),
            span_node.span,
        ),
        "Selector" => {
            let Some(selector_node) = namespaces.and_then(|n| n.get("selector")) else {
                return Admission::Unknown;
            };
            let selector = Selector::from_label_selector(selector_node);
            let mut labels: Vec<(&str, Cow<'_, str>)> = vec![(NAME_LABEL, Cow::Borrowed(route_ns))];
            match catalog
                .find("v1", "Namespace", "", route_ns)
                .first()
                .and_then(|&i| catalog.object(i))
            {
                Some(ns_obj) => labels.extend(ns_obj.labels()),
                // Without the Namespace object kwire knows only the name label.
                None => {
                    let keys_known = selector.match_labels.iter().all(|(k, _)| *k == NAME_LABEL)
                        && selector.expressions.iter().all(|r| r.key == NAME_LABEL);
                    if !keys_known {
                        return Admission::Unknown;
                    }
                }
            }
            if selector.matches(&labels) {
                Admission::Admits
            } else {
                Admission::Refused(
                    format!(
                        "listener \"{listener_name}\" admits routes from namespaces matching {}, and namespace \"{route_ns}\" does not match",
                        selector.describe()
                    ),
                    selector_node.span,
                )
            }
        }
        _ => Admission::Admits,
    }
}

/// Route kinds a listener protocol carries when `allowedRoutes.kinds` is
/// not set. Implementation-specific protocols carry anything.
fn protocol_carries(protocol: &str, kind: &str) -> bool {
    match protocol {
        "HTTP" | "HTTPS" => matches!(kind, "HTTPRoute" | "GRPCRoute"),
        "TLS" => matches!(kind, "TLSRoute" | "TCPRoute"),
        "TCP" => kind == "TCPRoute",
        "UDP" => kind == "UDPRoute",
        _ => true,
    }
}

/// Does the hostname pattern `pattern` (exact, or `*.suffix`) cover the
/// name `name` (itself exact or a wildcard)? A wildcard covers names with
/// at least one more label, never the bare parent domain. Case-insensitive.
fn covers(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix('*') {
        Some(suffix) if suffix.starts_with('.') => {
            let under = |n: &str| {
                n.len() > suffix.len()
                    && n.get(n.len() - suffix.len()..)
                        .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
            };
            match name.strip_prefix('*') {
                // A wildcard name: `*.example.com` itself, or `*.a.example.com`.
                Some(rest) if rest.starts_with('.') => {
                    rest.eq_ignore_ascii_case(suffix) || under(rest)
                }
                _ => under(name),
            }
        }
        _ => pattern.eq_ignore_ascii_case(name),
    }
}

/// The intersection of a listener's `hostname` with one route hostname,
/// per the Gateway API: the more specific of the two when one covers the
/// other (a listener `*.example.com` and a route `foo.example.com` give
/// `foo.example.com`; a route `*.example.com` and a listener
/// `foo.example.com` give `foo.example.com`), else none. No listener
/// hostname takes the route's as written.
pub fn intersect_hostname(listener: Option<&str>, route: &str) -> Option<String> {
    let Some(listener) = listener else {
        return Some(route.to_string());
    };
    if covers(listener, route) {
        Some(route.to_string())
    } else if covers(route, listener) {
        Some(listener.to_string())
    } else {
        None
    }
}

/// The hostnames a route with `route` hostnames is served on through a
/// listener with `listener` hostname: the intersections, in the route's
/// order, without repeats. A route without hostnames takes the listener's;
/// `"*"` when neither side names one (any host). Empty: no intersection,
/// the route is not accepted on that listener (`NoMatchingListenerHostname`).
pub fn effective_hostnames(listener: Option<&str>, route: &[&str]) -> Vec<String> {
    if route.is_empty() {
        return vec![listener.unwrap_or("*").to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    for host in route {
        if let Some(h) = intersect_hostname(listener, host)
            && !out.iter().any(|o| o.eq_ignore_ascii_case(&h))
        {
            out.push(h);
        }
    }
    out
}

/// Does a request for `host` match the hostname `pattern` (a listener's or
/// a route's)? Exact names compare case-insensitively; `*.example.com`
/// matches `a.example.com` and `a.b.example.com`, not `example.com`.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    !host.starts_with('*') && covers(pattern, host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(l: Option<&str>, r: &str) -> Option<String> {
        intersect_hostname(l, r)
    }

    #[test]
    fn exact_hostnames() {
        assert_eq!(
            i(Some("foo.example.com"), "foo.example.com").as_deref(),
            Some("foo.example.com")
        );
        assert_eq!(i(Some("foo.example.com"), "bar.example.com"), None);
    }

    #[test]
    fn listener_wildcard() {
        let l = Some("*.example.com");
        assert_eq!(i(l, "foo.example.com").as_deref(), Some("foo.example.com"));
        assert_eq!(
            i(l, "a.foo.example.com").as_deref(),
            Some("a.foo.example.com")
        );
        assert_eq!(i(l, "*.example.com").as_deref(), Some("*.example.com"));
        assert_eq!(
            i(l, "*.foo.example.com").as_deref(),
            Some("*.foo.example.com")
        );
        assert_eq!(i(l, "foo.example.net"), None);
        assert_eq!(i(l, "fooexample.com"), None);
    }

    #[test]
    fn route_wildcard() {
        assert_eq!(
            i(Some("foo.example.com"), "*.example.com").as_deref(),
            Some("foo.example.com")
        );
        assert_eq!(
            i(Some("*.foo.example.com"), "*.example.com").as_deref(),
            Some("*.foo.example.com")
        );
        assert_eq!(i(Some("foo.example.net"), "*.example.com"), None);
    }

    #[test]
    fn both_wildcards() {
        assert_eq!(
            i(Some("*.example.com"), "*.example.com").as_deref(),
            Some("*.example.com")
        );
        assert_eq!(
            i(Some("*.example.com"), "*.a.example.com").as_deref(),
            Some("*.a.example.com")
        );
        assert_eq!(
            i(Some("*.a.example.com"), "*.example.com").as_deref(),
            Some("*.a.example.com")
        );
        assert_eq!(i(Some("*.a.example.com"), "*.b.example.com"), None);
    }

    #[test]
    fn wildcards_never_match_the_bare_domain() {
        assert_eq!(i(Some("*.example.com"), "example.com"), None);
        assert_eq!(i(Some("example.com"), "*.example.com"), None);
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(host_matches("*.example.com", "a.b.example.com"));
    }

    #[test]
    fn case_insensitive() {
        assert_eq!(
            i(Some("Foo.Example.COM"), "foo.example.com").as_deref(),
            Some("foo.example.com")
        );
        assert_eq!(
            i(Some("*.EXAMPLE.com"), "foo.example.com").as_deref(),
            Some("foo.example.com")
        );
        assert_eq!(
            i(Some("foo.example.com"), "*.Example.Com").as_deref(),
            Some("foo.example.com")
        );
        assert!(host_matches("*.Example.com", "shop.example.COM"));
    }

    #[test]
    fn empty_on_either_side() {
        assert_eq!(effective_hostnames(None, &[]), vec!["*"]);
        assert_eq!(
            effective_hostnames(Some("*.example.com"), &[]),
            vec!["*.example.com"]
        );
        assert_eq!(
            effective_hostnames(None, &["a.example.com", "b.example.net"]),
            vec!["a.example.com", "b.example.net"]
        );
    }

    #[test]
    fn effective_hostnames_are_the_intersections() {
        assert_eq!(
            effective_hostnames(
                Some("*.example.com"),
                &[
                    "a.example.com",
                    "b.example.net",
                    "*.example.com",
                    "A.example.com"
                ]
            ),
            vec!["a.example.com", "*.example.com"]
        );
        assert!(effective_hostnames(Some("shop.example.com"), &["blog.example.com"]).is_empty());
        assert_eq!(
            effective_hostnames(Some("shop.example.com"), &["*.example.com"]),
            vec!["shop.example.com"]
        );
    }
}
