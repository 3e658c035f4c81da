//! Gateway API views (`gateway.networking.k8s.io` v1, v1beta1, v1alpha2):
//! the routes' `backendRefs` and `parentRefs`, a Gateway's listeners, and
//! ReferenceGrants. Defaults are the API's: a backendRef is a core Service,
//! a parentRef a Gateway, and both live in the route's namespace unless
//! they say otherwise.

use super::Object;
use crate::parse::Node;

pub const GROUP: &str = "gateway.networking.k8s.io";

/// Route kinds whose `rules[].backendRefs` forward traffic.
pub const ROUTE_KINDS: &[&str] = &["HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute"];

/// `obj` is a Gateway API object of this kind (not Istio's `Gateway`).
pub fn is_gateway_api(obj: &Object, kind: &str) -> bool {
    obj.kind() == kind && group_of(obj.api_version()) == GROUP
}

/// Is `obj` a Gateway API route?
pub fn is_route(obj: &Object) -> bool {
    ROUTE_KINDS.contains(&obj.kind()) && group_of(obj.api_version()) == GROUP
}

fn group_of(api_version: &str) -> &str {
    api_version.split_once('/').map_or("", |(g, _)| g)
}

/// One `backendRefs[]` entry of a route rule.
#[derive(Debug)]
pub struct BackendRef<'a> {
    pub node: &'a Node,
    pub name: &'a Node,
    /// `group`, `""` (core) when omitted.
    pub group: &'a str,
    /// `kind`, `Service` when omitted.
    pub kind: &'a str,
    pub namespace: Option<&'a Node>,
    pub port: Option<&'a Node>,
}

impl<'a> BackendRef<'a> {
    /// A core Service (the default target).
    pub fn is_service(&self) -> bool {
        self.group.is_empty() && self.kind == "Service"
    }

    /// The namespace the reference points into: its own `namespace`, else
    /// the route's (`route_ns`).
    pub fn target_namespace<'r>(&self, route_ns: &'r str) -> &'r str
    where
        'a: 'r,
    {
        self.namespace.and_then(Node::as_str).unwrap_or(route_ns)
    }
}

/// One `parentRefs[]` entry of a route.
#[derive(Debug)]
pub struct ParentRef<'a> {
    pub node: &'a Node,
    pub name: &'a Node,
    /// `group`, `gateway.networking.k8s.io` when omitted.
    pub group: &'a str,
    /// `kind`, `Gateway` when omitted.
    pub kind: &'a str,
    pub namespace: Option<&'a Node>,
    pub section_name: Option<&'a Node>,
    pub port: Option<&'a Node>,
}

impl<'a> ParentRef<'a> {
    pub fn is_gateway(&self) -> bool {
        self.group == GROUP && self.kind == "Gateway"
    }

    /// The namespace the reference points into: its own `namespace`, else
    /// the route's (`route_ns`).
    pub fn target_namespace<'r>(&self, route_ns: &'r str) -> &'r str
    where
        'a: 'r,
    {
        self.namespace.and_then(Node::as_str).unwrap_or(route_ns)
    }
}

impl Object {
    /// Every `spec.rules[].backendRefs[]` of a Gateway API route.
    pub fn route_backend_refs(&self) -> Vec<BackendRef<'_>> {
        if !is_route(self) {
            return Vec::new();
        }
        let Some(spec) = self.root.get("spec") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for rule in spec.get_seq("rules") {
            for node in rule.get_seq("backendRefs") {
                let Some(name) = node.get("name") else {
                    continue;
                };
                out.push(BackendRef {
                    node,
                    name,
                    group: node.get_str("group").unwrap_or(""),
                    kind: node.get_str("kind").unwrap_or("Service"),
                    namespace: node.get("namespace"),
                    port: node.get("port"),
                });
            }
        }
        out
    }

    /// Every `spec.parentRefs[]` of a Gateway API route.
    pub fn route_parent_refs(&self) -> Vec<ParentRef<'_>> {
        if !is_route(self) {
            return Vec::new();
        }
        let Some(spec) = self.root.get("spec") else {
            return Vec::new();
        };
        spec.get_seq("parentRefs")
            .iter()
            .filter_map(|node| {
                Some(ParentRef {
                    node,
                    name: node.get("name")?,
                    group: node.get_str("group").unwrap_or(GROUP),
                    kind: node.get_str("kind").unwrap_or("Gateway"),
                    namespace: node.get("namespace"),
                    section_name: node.get("sectionName"),
                    port: node.get("port"),
                })
            })
            .collect()
    }

    /// `spec.listeners` of a Gateway API Gateway.
    pub fn gateway_listeners(&self) -> &[Node] {
        if !is_gateway_api(self, "Gateway") {
            return &[];
        }
        self.root
            .get("spec")
            .map_or(&[][..], |s| s.get_seq("listeners"))
    }
}

/// Does a ReferenceGrant in the target namespace allow `from` (group, kind,
/// namespace) to reference `to` (group, kind, name)?
pub fn grant_allows(grant: &Object, from: (&str, &str, &str), to: (&str, &str, &str)) -> bool {
    if !is_gateway_api(grant, "ReferenceGrant") {
        return false;
    }
    let Some(spec) = grant.root.get("spec") else {
        return false;
    };
    let from_ok = spec.get_seq("from").iter().any(|f| {
        f.get_str("group").unwrap_or("") == from.0
            && f.get_str("kind") == Some(from.1)
            && f.get_str("namespace") == Some(from.2)
    });
    let to_ok = spec.get_seq("to").iter().any(|t| {
        t.get_str("group").unwrap_or("") == to.0
            && t.get_str("kind") == Some(to.1)
            && t.get_str("name").is_none_or(|n| n.is_empty() || n == to.2)
    });
    from_ok && to_ok
}
