//! Service view.

use super::Object;
use super::selector::Selector;
use crate::parse::Node;
use crate::source::Span;

#[derive(Debug)]
pub struct ServiceView<'a> {
    /// `spec.type`, `ClusterIP` when omitted.
    pub service_type: &'a str,
    /// `spec.selector` when it is a non-empty mapping: without one the
    /// Service's endpoints are managed by hand (or by a controller).
    pub selector_node: Option<&'a Node>,
    /// The `selector` key, where findings about the selector point.
    pub selector_key_span: Span,
    pub ports: &'a [Node],
}

impl<'a> ServiceView<'a> {
    pub fn selector(&self) -> Option<Selector<'a>> {
        self.selector_node.map(Selector::from_map)
    }

    /// The selector that picks the Service's endpoints: none for an
    /// ExternalName Service, a DNS alias whose selector is ignored (KW3112
    /// says so), nor for a Service without a selector.
    pub fn pod_selector(&self) -> Option<Selector<'a>> {
        if self.service_type == "ExternalName" {
            return None;
        }
        self.selector()
    }
}

impl Object {
    pub fn service(&self) -> Option<ServiceView<'_>> {
        if self.kind() != "Service" {
            return None;
        }
        let spec = self.root.get("spec");
        let selector_entry = spec
            .and_then(|s| s.entry("selector"))
            .filter(|e| e.value.as_map().is_some_and(|m| !m.is_empty()));
        let selector_node = selector_entry.map(|e| &e.value);
        Some(ServiceView {
            service_type: spec.and_then(|s| s.get_str("type")).unwrap_or("ClusterIP"),
            selector_node,
            selector_key_span: selector_entry.map_or(self.anchor_span(), |e| e.key.span),
            ports: spec.map_or(&[], |s| s.get_seq("ports")),
        })
    }
}
