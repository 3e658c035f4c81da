//! KW32xx: Ingress and Gateway API routes against the Services, classes,
//! Secrets and Gateways they name.

pub mod backend_no_endpoints;
pub mod backend_port_missing;
pub mod backend_service_missing;
pub mod class_missing;
pub mod duplicate_path;
pub mod path_invalid;
pub mod route_backend_not_granted;
pub mod route_backend_port_missing;
pub mod route_backend_service_missing;
pub mod route_hostname_mismatch;
pub mod route_not_admitted;
pub mod route_parent_listener_missing;
pub mod route_parent_missing;
pub mod tls_secret_missing;

use crate::model::ingress::IngressBackend;

pub use crate::resolve::services::{
    Intended, ServiceLookup, describe_ports, lookup_service, service_port, service_takes_port,
};

/// What an Ingress backend serves, for messages: `the default backend`,
/// `path /api of host shop.example`, `path /api (any host)`, `every path
/// of host shop.example`.
pub fn route_text(backend: &IngressBackend<'_>) -> String {
    if backend.default {
        return "the default backend".to_string();
    }
    match (backend.host.filter(|h| !h.is_empty()), backend.path) {
        (Some(host), Some(path)) => format!("path {path} of host {host}"),
        (None, Some(path)) => format!("path {path} (any host)"),
        (Some(host), None) => format!("every path of host {host}"),
        (None, None) => "every path (any host)".to_string(),
    }
}
