//! A Service DNS name written in a manifest, as `crate::resolve::dns` finds
//! it (the data only: finding and resolving it is the resolution layer's).

use crate::parse::Node;
use crate::source::Span;

/// One host name found in a scalar.
#[derive(Debug, Clone)]
pub struct DnsRef<'a> {
    /// The scalar the name was found in.
    pub node: &'a Node,
    /// Where the host name is written (the whole scalar when the scalar's
    /// source text does not map onto its value, e.g. escapes).
    pub span: Span,
    /// Where the port is written, if any.
    pub port_span: Option<Span>,
    /// The host as written (`web.shop.svc.cluster.local`).
    pub host: String,
    pub port: Option<i64>,
    /// `http`, `https`, … when written as a URL.
    pub scheme: Option<String>,
    pub form: Form,
    /// The namespace the name is resolved from.
    pub from_ns: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `web`: resolves only in the referencing namespace.
    Short { name: String },
    /// `web.shop` or `web.shop.svc[.cluster.local]`.
    Qualified {
        name: String,
        namespace: String,
        explicit: bool,
    },
    /// `web-0.web.shop.svc[.cluster.local]`: a pod of a headless Service.
    Pod { service: String, namespace: String },
}
