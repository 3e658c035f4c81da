//! `kwire trace URL`: one request followed hop by hop through the objects of
//! the input, the way the controllers that read them route it, with the file
//! and line of every rule used, or the hop where it is dropped and why.
//!
//! The matching rules and where each comes from are in `docs/topology.md`
//! ("Trace a request"); the report shape is `docs/trace-report.schema.json`.

mod cluster;
mod gateway;
mod ingress;
mod istio;
pub mod matching;
mod service;
pub mod text;
pub mod url;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::model::Object;
use crate::source::Span;

use super::build::{HpaReplicas, Ids};
pub use url::Url;

/// What to trace.
#[derive(Clone, Debug)]
pub struct Request {
    pub url: Url,
    /// Upper-case HTTP method (`GET` unless `-X`).
    pub method: String,
    /// `-H 'name: value'`, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// In-cluster: the namespace the request starts from (`--from`).
    pub from: Option<String>,
    /// The client pod's labels (`--from-pod app=web,version=v1`): Istio
    /// `sourceLabels` matches read them.
    pub from_labels: Vec<(String, String)>,
    /// Only this Ingress class (`--ingress-class`).
    pub ingress_class: Option<String>,
}

/// The report: `kwire trace -f json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceReport {
    pub version: u32,
    pub request: RequestInfo,
    /// Every way the request can go: one path per entry point (Ingress
    /// class, Gateway listener, Istio gateway, node port, cluster DNS) and
    /// per branch of a weighted split. `share` says how much of the traffic
    /// entering through that entry takes the path.
    pub paths: Vec<TracePath>,
    /// Paths left out beyond `MAX_PATHS` (weighted splits over many
    /// workloads multiply): the report stays bounded on any input.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The most paths a report lists.
pub const MAX_PATHS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub url: String,
    pub method: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The namespace of an in-cluster request; null from outside.
    pub from: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TracePath {
    /// `Ingress (class nginx)`, `Gateway default/web listener http`,
    /// `Istio Gateway istio-system/bookinfo-gateway :80`, `nodePort 30080`,
    /// `cluster DNS from namespace default`.
    pub entry: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Fraction (0–1) of the requests entering through `entry` that take
    /// this path (weights and endpoint counts multiplied along the way).
    pub share: f64,
    pub hops: Vec<Hop>,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hop {
    /// Kind of the object the hop is on (`Pods` for the endpoints).
    pub kind: String,
    /// Its node id, as `kwire graph` names it.
    pub object: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    /// What matched, and how.
    pub step: String,
    /// What the controller does beyond routing (rewrites, TLS, assumptions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// How a path ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Result {
    /// Reaches pods of the input.
    Delivered,
    /// Stops at `reason`.
    Dropped,
    /// Answered with a redirect (`status`).
    Redirected,
    /// Leaves the cluster (ExternalName, an external host).
    External,
    /// Goes to something not in the input that the reference policy assumes
    /// exists (`docs/references.md`).
    Assumed,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub result: Result,
    /// Why a request is dropped: `no-entry`, `no-host-match`,
    /// `no-path-match`, `no-route-match`, `no-listener`, `tls-only`,
    /// `backend-missing`, `port-not-exposed`, `target-port-undeclared`,
    /// `no-endpoints`, `subset-no-pods`, `no-backend`, `nxdomain` (an
    /// in-cluster name no Service answers to), `internal-error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The HTTP status the client sees, when a proxy answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub message: String,
    /// Pods reached (simulated replicas).
    pub pods: u32,
    /// Node ids of the workloads whose pods answer.
    #[serde(default)]
    pub workloads: Vec<String>,
    pub container_port: Option<i64>,
}

impl Outcome {
    fn dropped(reason: &str, status: Option<u16>, message: impl Into<String>) -> Self {
        Outcome {
            result: Result::Dropped,
            reason: Some(reason.to_string()),
            status,
            message: message.into(),
            pods: 0,
            workloads: Vec::new(),
            container_port: None,
        }
    }

    fn other(result: Result, status: Option<u16>, message: impl Into<String>) -> Self {
        Outcome {
            result,
            reason: None,
            status,
            message: message.into(),
            pods: 0,
            workloads: Vec::new(),
            container_port: None,
        }
    }
}

/// What a trace reads in one world.
pub struct Cx<'c, 'a> {
    pub catalog: &'c Catalog<'a>,
    pub ids: &'c Ids,
    pub hpa: &'c HpaReplicas<'a>,
    /// Objects of this world's own units (entries are taken only from them,
    /// so that a unit seen by two worlds is not traced twice).
    pub own: &'c (dyn Fn(&Object) -> bool + Sync),
    pub unit: &'c (dyn Fn(&Object) -> Option<String> + Sync),
}

impl Cx<'_, '_> {
    fn hop(&self, obj: &Object, span: Span, step: impl Into<String>) -> Hop {
        let line = self
            .catalog
            .sources
            .get(obj.file as usize)
            .map(|f| u32::try_from(f.line_col(span.start as usize).line).unwrap_or(1));
        Hop {
            kind: obj.kind().to_string(),
            object: Some(self.ids.id(obj).to_string()),
            file: Some(self.catalog.path(obj.file).to_string()),
            line,
            step: step.into(),
            notes: Vec::new(),
        }
    }
}

/// A path under construction.
#[derive(Clone, Debug)]
struct Walk {
    entry: String,
    unit: Option<String>,
    share: f64,
    hops: Vec<Hop>,
    /// Through a proxy (Ingress controller, Gateway, Envoy): a dropped
    /// request gets an HTTP status instead of a refused connection.
    proxied: bool,
}

impl Walk {
    fn new(entry: impl Into<String>, unit: Option<String>, proxied: bool) -> Self {
        Walk {
            entry: entry.into(),
            unit,
            share: 1.0,
            hops: Vec::new(),
            proxied,
        }
    }

    fn with(&self, hop: Hop) -> Walk {
        let mut w = self.clone();
        w.hops.push(hop);
        w
    }

    fn end(self, outcome: Outcome) -> TracePath {
        TracePath {
            entry: self.entry,
            unit: self.unit,
            share: self.share,
            hops: self.hops,
            outcome,
        }
    }

    /// 503 through a proxy with no healthy upstream; none for a direct
    /// connection (it is refused or times out).
    fn unavailable(&self) -> Option<u16> {
        self.proxied.then_some(503)
    }
}

/// The paths of `req` through one world.
pub fn trace_world(cx: &Cx<'_, '_>, req: &Request) -> Vec<TracePath> {
    let mut out = Vec::new();
    match &req.from {
        Some(ns) => cluster::trace(cx, req, ns, &mut out),
        None => {
            ingress::trace(cx, req, &mut out);
            gateway::trace(cx, req, &mut out);
            istio::trace_gateways(cx, req, &mut out);
            service::trace_node_ports(cx, req, &mut out);
        }
    }
    out
}

/// The path reported when tracing one world panicked (a kwire bug): the
/// other worlds' paths still count.
pub fn internal_error(message: &str) -> TracePath {
    TracePath {
        entry: "kwire".into(),
        unit: None,
        share: 1.0,
        hops: Vec::new(),
        outcome: Outcome::dropped(
            "internal-error",
            None,
            format!("kwire trace failed on one world: {message}"),
        ),
    }
}

/// Puts the worlds' paths together into the report.
pub fn report(req: &Request, mut paths: Vec<TracePath>) -> TraceReport {
    // An entry that does not know the host at all (another Ingress class,
    // another gateway) says nothing about the request once some entry takes
    // it: DNS sends the host to that one.
    let unknown = |p: &TracePath| {
        matches!(
            p.outcome.reason.as_deref(),
            Some("no-host-match" | "nxdomain")
        )
    };
    if paths.iter().any(|p| !unknown(p)) {
        paths.retain(|p| !unknown(p));
    }
    // Worlds that do not know a name say so alike: once is enough.
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| !unknown(p) || seen.insert((p.entry.clone(), p.outcome.message.clone())));
    if paths.is_empty() {
        let where_ = if req.from.is_some() {
            "in the cluster"
        } else {
            "from outside"
        };
        paths.push(TracePath {
            entry: "none".into(),
            unit: None,
            share: 1.0,
            hops: Vec::new(),
            outcome: Outcome::dropped(
                "no-entry",
                None,
                format!(
                    "nothing in the input accepts {}://{} {where_}: no Ingress rule, Gateway listener, Istio Gateway server or node port for it",
                    req.url.scheme,
                    req.url.authority()
                ),
            ),
        });
    }
    paths.dedup();
    let omitted = paths.len().saturating_sub(MAX_PATHS) as u64;
    paths.truncate(MAX_PATHS);
    TraceReport {
        version: 1,
        request: RequestInfo {
            url: format!(
                "{}://{}{}{}",
                req.url.scheme,
                req.url.authority(),
                req.url.path,
                query_text(&req.url.query)
            ),
            method: req.method.clone(),
            scheme: req.url.scheme.clone(),
            host: req.url.host.clone(),
            port: req.url.port,
            path: req.url.path.clone(),
            headers: req.headers.clone(),
            from: req.from.clone(),
        },
        paths,
        omitted,
    }
}

fn query_text(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    format!("?{}", parts.join("&"))
}
