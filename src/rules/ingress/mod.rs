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
pub mod route_not_admitted;
pub mod route_parent_listener_missing;
pub mod route_parent_missing;
pub mod tls_secret_missing;

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::ingress::PortRef;
use crate::model::kinds::is_workload;
use crate::parse::Node;
use crate::settings::Settings;

/// What the input says about a Service reference.
pub enum ServiceLookup<'a> {
    /// The Service is in the namespace.
    Found(&'a Object),
    /// Not in the namespace, but a Service of that name is in another one.
    Elsewhere(&'a Object),
    /// Not in the input, and the input shows what was meant: a Service with
    /// a similar name in the namespace, or the workload the Service would
    /// front. Either is evidence that the namespace's objects are here and
    /// the reference is a slip.
    Missing(Intended<'a>),
    /// Not in the input, and nothing says it should be (the Service may be
    /// deployed from elsewhere, or is assumed): no finding.
    Unknown,
}

pub enum Intended<'a> {
    SimilarService(&'a Object),
    Workload(&'a Object),
}

pub fn lookup_service<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> ServiceLookup<'a> {
    if let Some(svc) = catalog
        .find("v1", "Service", ns, name)
        .first()
        .and_then(|&i| catalog.object(i))
    {
        return ServiceLookup::Found(svc);
    }
    if assumed(catalog.settings(), "Service", ns, name) {
        return ServiceLookup::Unknown;
    }
    if let Some(other) = catalog
        .find_elsewhere("v1", "Service", ns, name)
        .first()
        .and_then(|&i| catalog.object(i))
    {
        return ServiceLookup::Elsewhere(other);
    }
    let services: Vec<&Object> = catalog
        .in_namespace(ns)
        .filter(|o| o.kind() == "Service" && o.api_version() == "v1")
        .collect();
    if let Some(near) = closest_name(name, services.iter().map(|s| s.name()))
        && let Some(svc) = services.iter().find(|s| s.name() == near)
    {
        return ServiceLookup::Missing(Intended::SimilarService(svc));
    }
    if let Some(workload) = catalog
        .in_namespace(ns)
        .find(|o| is_workload(o.kind()) && o.name() == name)
    {
        return ServiceLookup::Missing(Intended::Workload(workload));
    }
    ServiceLookup::Unknown
}

/// Is `Kind/namespace/name` declared to exist outside the input
/// (`Settings::assume`, `*` wildcards)?
pub fn assumed(settings: &Settings, kind: &str, ns: &str, name: &str) -> bool {
    let id = format!("{kind}/{ns}/{name}");
    settings.assume.iter().any(|pattern| glob(pattern, &id))
}

/// `*` matches any run of characters (also empty); everything else is literal.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The `spec.ports[]` entry a port reference selects: by `port` number or by `name`.
pub fn service_port<'a>(service: &'a Object, port: &PortRef<'_>) -> Option<&'a Node> {
    service.service()?.ports.iter().find(|p| match port {
        PortRef::Number(n) => p.get("port").and_then(Node::as_i64) == Some(*n),
        PortRef::Name(name) => p.get_str("name") == Some(*name),
    })
}

/// `"http" (80), 443` — the ports a Service exposes, for messages.
pub fn describe_ports(service: &Object) -> String {
    let Some(view) = service.service() else {
        return String::new();
    };
    let ports: Vec<String> = view
        .ports
        .iter()
        .filter_map(|p| {
            let number = p.get("port").and_then(Node::as_i64)?;
            Some(match p.get_str("name") {
                Some(name) => format!("\"{name}\" ({number})"),
                None => number.to_string(),
            })
        })
        .collect();
    if ports.is_empty() {
        "none".to_string()
    } else {
        ports.join(", ")
    }
}

/// The name in `candidates` closest to `wanted` if it is a likely slip: a
/// typo (at most 2 edits, and at most a quarter of the name) or the same
/// name with a suffix (`web` / `web-svc`).
pub fn closest_name<'c>(
    wanted: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .filter(|c| *c != wanted)
        .filter_map(|c| {
            let longest = wanted.chars().count().max(c.chars().count());
            let d = edit_distance(wanted, c);
            let typo = d <= 2 && d * 4 <= longest;
            (typo || suffixed(wanted, c) || suffixed(c, wanted)).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `long` is `short` plus a `-`/`.`-separated suffix.
fn suffixed(short: &str, long: &str) -> bool {
    long.strip_prefix(short)
        .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('.'))
        && !short.is_empty()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != *cb))
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// `"a", "b", "c"` (at most `max`, then `, …`).
pub fn quoted_list<'s>(names: impl Iterator<Item = &'s str>, max: usize) -> String {
    let names: Vec<&str> = names.collect();
    let mut out: Vec<String> = names.iter().take(max).map(|n| format!("\"{n}\"")).collect();
    if names.len() > max {
        out.push("…".to_string());
    }
    out.join(", ")
}

/// `host/path` of an Ingress backend for messages (`*` for any host).
pub fn route_text(host: Option<&str>, path: Option<&str>) -> String {
    match (host, path) {
        (None, None) => "the default backend".to_string(),
        (h, p) => format!("{}{}", h.unwrap_or("*"), p.unwrap_or("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("Service/*/web", "Service/shop/web"));
        assert!(glob("*", "Secret/a/b"));
        assert!(glob("Secret/shop/tls-*", "Secret/shop/tls-web"));
        assert!(!glob("Secret/shop/tls-*", "Secret/other/tls-web"));
        assert!(glob("Service/shop/web", "Service/shop/web"));
        assert!(!glob("Service/shop/web", "Service/shop/webb"));
        assert!(glob("*/*/x*y", "A/b/xzzy"));
        assert!(!glob("*/*/x*y", "A/b/xzzyz"));
    }

    #[test]
    fn closest_names() {
        let names = ["web", "api", "frontend"];
        assert_eq!(closest_name("webb", names.iter().copied()), Some("web"));
        assert_eq!(closest_name("database", names.iter().copied()), None);
        assert_eq!(closest_name("web-svc", names.iter().copied()), Some("web"));
        assert_eq!(closest_name("webhook", names.iter().copied()), None);
        assert_eq!(
            closest_name("example-service", ["emailservice"].into_iter()),
            None
        );
    }
}
