//! Service DNS names written in manifests (KW3301–KW3303): where they are
//! found, how they are tokenised, and how cluster DNS resolves them.
//!
//! Scanned: container `env[].value`, `args[]` and `command[]` of every pod
//! template (init containers included), ConfigMap `data` values, and the
//! `externalName` of ExternalName Services. A reference is resolved the way
//! the pod's resolver does: from the referencing object's namespace, a short
//! name `web` only finds `web.<own-ns>.svc.cluster.local`.
//!
//! To stay free of false positives, only these are checked:
//! - names with the `.svc` / `.svc.cluster.local` suffix whose namespace
//!   holds at least one Service in the input;
//! - `name.ns` where `name` is a Service somewhere and `ns` a namespace of
//!   the input with Services;
//! - short names that are a Service somewhere, written with a scheme
//!   (`http://web`) or a port (`web:8080`), or as the whole value of a
//!   host-like key (`REDIS_HOST: redis`);
//! - short names with a scheme or a port that are no Service anywhere but a
//!   slip of exactly one Service of the referencing namespace
//!   (`productcatalogservce:3550`; see `short_typo`).

use std::borrow::Cow;

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;
use crate::resolve::object_refs::explicit_namespace;
use crate::source::Span;

pub use crate::model::dns_ref::{DnsRef, Form};

/// What a reference resolves to.
pub enum Resolution<'a> {
    /// A Service in the input.
    Service(&'a Object),
    /// Declared by `assume`, or a Service every cluster has.
    Outside,
    /// A short name whose Service exists only in these other namespaces.
    OtherNamespace(Vec<&'a Object>),
    /// No Service with that name in that namespace (which has Services in
    /// the input); the Services of that name elsewhere.
    Missing {
        name: String,
        namespace: String,
        /// Services of that name in other namespaces.
        elsewhere: Vec<&'a Object>,
        /// Services in that namespace one typo away.
        alike: Vec<&'a Object>,
    },
    /// Not checked (not evidently a Service reference, or its namespace is
    /// not in the input).
    Unknown,
}

/// How a scalar is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Free text: short names need a scheme or a port.
    Text,
    /// The value of a host-like key (`REDIS_HOST`, `db.host`): a bare name
    /// filling the whole value is a host.
    HostKey,
    /// The whole value is a host name (`externalName`).
    Host,
}

/// Services every cluster has, whatever the input defines.
const BUILTIN_SERVICES: &[(&str, &str)] = &[("default", "kubernetes"), ("kube-system", "kube-dns")];

/// `references`, computed once per object for all the DNS rules.
pub fn references_once<'c>(obj: &'c Object, catalog: &'c Catalog<'_>) -> Cow<'c, [DnsRef<'c>]> {
    match catalog.dns_references(obj, |o| references(o, catalog)) {
        Some(refs) => Cow::Borrowed(refs),
        None => Cow::Owned(references(obj, catalog)),
    }
}

/// Every Service DNS reference in `obj` that kwire can check.
pub fn references<'a>(obj: &'a Object, catalog: &Catalog<'_>) -> Vec<DnsRef<'a>> {
    let mut out = Vec::new();
    let ns = obj.namespace();
    let mut scan = |node: &'a Node, context: Context| {
        if let Some(text) = node.as_str() {
            scan_scalar(obj, catalog, node, text, context, ns, &mut out);
        }
    };
    if let Some(template) = obj.pod_template() {
        for container in template.containers() {
            for env in container.node.get_seq("env") {
                if let Some(value) = env.get("value") {
                    let context = if env.get_str("name").is_some_and(host_like_key) {
                        Context::HostKey
                    } else {
                        Context::Text
                    };
                    scan(value, context);
                }
            }
            for key in ["command", "args"] {
                for item in container.node.get_seq(key) {
                    scan(item, Context::Text);
                }
            }
        }
    }
    match obj.kind() {
        "ConfigMap" => {
            for entry in obj.root.get_map("data") {
                let context = if entry.key.as_str().is_some_and(host_like_key) {
                    Context::HostKey
                } else {
                    Context::Text
                };
                scan(&entry.value, context);
            }
        }
        "Service" => {
            if let Some(spec) = obj.root.get("spec")
                && spec.get_str("type") == Some("ExternalName")
                && let Some(target) = spec.get("externalName")
            {
                scan(target, Context::Host);
            }
        }
        _ => {}
    }
    out
}

/// `REDIS_HOST`, `db.host`, `kafka-brokers`, `API_ENDPOINT`, `upstream_url`.
fn host_like_key(key: &str) -> bool {
    let last = key
        .rsplit(['_', '.', '-'])
        .next()
        .unwrap_or(key)
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "host"
            | "hostname"
            | "hosts"
            | "addr"
            | "address"
            | "server"
            | "servers"
            | "endpoint"
            | "url"
            | "uri"
            | "broker"
            | "brokers"
    ) || key.to_ascii_lowercase().ends_with("host")
}

/// A candidate host token inside a scalar: byte range, port, scheme.
struct Token {
    start: usize,
    end: usize,
    port: Option<(i64, usize, usize)>,
    scheme: Option<String>,
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

/// Cuts a scalar into host candidates, each with its port and scheme. A
/// candidate is a maximal run of `[A-Za-z0-9._-]` that stands where a host
/// stands: at the start, after a separator, after `//` or `@`; followed by
/// the end, a separator, `/`, or `:PORT`. Runs touching template syntax
/// (`$(`, `${`, `{{`, `%`) are not hosts.
fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).copied().is_some_and(is_host_byte) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).copied().is_some_and(is_host_byte) {
            i += 1;
        }
        let end = i;
        if let Some(token) = token_at(text, start, end) {
            out.push(token);
        }
    }
    out
}

fn token_at(text: &str, start: usize, end: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let before = |k: usize| start.checked_sub(k).and_then(|j| bytes.get(j).copied());
    let mut scheme = None;
    match before(1) {
        None => {}
        Some(b'/') => {
            // Only the authority of a URL: `scheme://HOST`.
            if before(2) != Some(b'/') {
                return None;
            }
            let head = text.get(..start.saturating_sub(2))?;
            let head = head.strip_suffix(':')?;
            let s = head
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
                .next()
                .unwrap_or("");
            scheme = Some(s.to_ascii_lowercase());
        }
        Some(b'@') => {}
        Some(b'(') if before(2) == Some(b'$') => return None,
        Some(b) if is_separator(b) => {}
        Some(_) => return None,
    }
    let mut port = None;
    match bytes.get(end).copied() {
        None => {}
        Some(b':') => {
            let digits_start = end + 1;
            let mut j = digits_start;
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            if j == digits_start || j - digits_start > 5 {
                return None;
            }
            match bytes.get(j).copied() {
                None | Some(b'/') | Some(b'?') | Some(b'#') => {}
                Some(b) if is_separator(b) => {}
                Some(_) => return None,
            }
            let number = text.get(digits_start..j)?.parse().ok()?;
            port = Some((number, digits_start, j));
        }
        Some(b'/') | Some(b'?') | Some(b'#') => {}
        Some(b) if is_separator(b) => {}
        Some(_) => return None,
    }
    Some(Token {
        start,
        end,
        port,
        scheme,
    })
}

/// Bytes that may separate a host from its surroundings in a value.
fn is_separator(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b',' | b';'
                | b'='
                | b'"'
                | b'\''
                | b'('
                | b')'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'`'
                | b'|'
        )
}

#[allow(clippy::too_many_arguments)]
fn scan_scalar<'a>(
    obj: &'a Object,
    catalog: &Catalog<'_>,
    node: &'a Node,
    text: &str,
    context: Context,
    from_ns: &'a str,
    out: &mut Vec<DnsRef<'a>>,
) {
    let whole = text.trim();
    for token in tokens(text) {
        let Some(raw) = text.get(token.start..token.end) else {
            continue;
        };
        // A trailing dot: an absolute name, or the end of a sentence.
        let host = raw.strip_suffix('.').unwrap_or(raw);
        let Some(form) = classify(host) else {
            continue;
        };
        let evidence = token.scheme.is_some()
            || token.port.is_some()
            || context == Context::Host
            || (context == Context::HostKey && whole == host);
        let checked = match &form {
            // A short name that is no Service anywhere is kept when written
            // with a port or a scheme in a namespace with Services: it may
            // be a typo of one (`productcatalogservce:3550`), which
            // `resolve` decides.
            Form::Short { name } => {
                evidence
                    && (!catalog.named("Service", name).is_empty()
                        || ((token.port.is_some() || token.scheme.is_some())
                            && catalog.has_kind_in("Service", from_ns)))
            }
            Form::Qualified {
                name,
                namespace,
                explicit: false,
            } => {
                !catalog.named("Service", name).is_empty()
                    && catalog.has_kind_in("Service", namespace)
            }
            Form::Qualified { .. } | Form::Pod { .. } => true,
        };
        if !checked {
            continue;
        }
        let span = locate(
            catalog,
            obj,
            node,
            text,
            token.start,
            token.start + host.len(),
        );
        let port_span = token
            .port
            .map(|(_, a, b)| locate(catalog, obj, node, text, a, b));
        out.push(DnsRef {
            node,
            span,
            port_span,
            host: host.to_string(),
            port: token.port.map(|(p, _, _)| p),
            scheme: token.scheme,
            form,
            from_ns,
        });
    }
}

/// The shape of a host name, or `None` when it cannot name a Service.
fn classify(host: &str) -> Option<Form> {
    let mut labels: Vec<&str> = host.split('.').collect();
    // SRV names: `_http._tcp.web.shop.svc`.
    while labels.first().is_some_and(|l| l.starts_with('_')) {
        labels.remove(0);
    }
    if labels.is_empty() || !labels.iter().all(|l| dns_label(l)) {
        return None;
    }
    let (core, explicit) = if labels.ends_with(&["svc", "cluster", "local"]) {
        (labels.get(..labels.len() - 3)?, true)
    } else if labels.ends_with(&["svc"]) {
        (labels.get(..labels.len() - 1)?, true)
    } else {
        (&labels[..], false)
    };
    let service_name = |l: &str| l.starts_with(|c: char| c.is_ascii_lowercase());
    match (core, explicit) {
        ([name], false) if service_name(name) => Some(Form::Short {
            name: name.to_string(),
        }),
        ([name, namespace], _) if service_name(name) => Some(Form::Qualified {
            name: name.to_string(),
            namespace: namespace.to_string(),
            explicit,
        }),
        ([_pod, service, namespace], true) if service_name(service) => Some(Form::Pod {
            service: service.to_string(),
            namespace: namespace.to_string(),
        }),
        _ => None,
    }
}

/// A DNS-1123 label: lowercase alphanumerics and `-`, alphanumeric at both ends.
fn dns_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// The span of `value[a..b]` in the source: exact for plain and quoted
/// scalars whose text is their value, and for block scalars where the
/// substring occurs as often in the source as in the value; the whole
/// scalar otherwise.
fn locate(
    catalog: &Catalog<'_>,
    obj: &Object,
    node: &Node,
    value: &str,
    a: usize,
    b: usize,
) -> Span {
    let raw = catalog.text(obj.file, node.span);
    let base = node.span.start as usize;
    if raw == value {
        return Span::new(base + a, base + b);
    }
    if raw.len() >= 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len() - 1) == Some(value)
    {
        return Span::new(base + 1 + a, base + 1 + b);
    }
    let Some(needle) = value.get(a..b) else {
        return node.span;
    };
    let in_value: Vec<usize> = value.match_indices(needle).map(|(i, _)| i).collect();
    let in_raw: Vec<usize> = raw.match_indices(needle).map(|(i, _)| i).collect();
    if in_value.len() == in_raw.len()
        && let Some(k) = in_value.iter().position(|&i| i == a)
        && let Some(&at) = in_raw.get(k)
    {
        return Span::new(base + at, base + at + needle.len());
    }
    node.span
}

/// Resolves a reference the way cluster DNS does from its namespace.
pub fn resolve<'a>(r: &DnsRef<'_>, catalog: &Catalog<'a>) -> Resolution<'a> {
    resolve_with(r, catalog, true)
}

/// `resolve`, where `hints: false` skips the search for what a missing name
/// meant (it then resolves to `Outside`): the rules that only care about
/// found Services and other namespaces do not pay for the typo search.
pub fn resolve_with<'a>(r: &DnsRef<'_>, catalog: &Catalog<'a>, hints: bool) -> Resolution<'a> {
    let services = |name: &str| -> Vec<&'a Object> {
        catalog
            .named("Service", name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .collect()
    };
    let in_ns = |name: &str, ns: &str| services(name).into_iter().find(|s| s.namespace() == ns);
    let outside = |name: &str, ns: &str| {
        BUILTIN_SERVICES.contains(&(ns, name)) || catalog.assumed("Service", ns, name)
    };
    match &r.form {
        Form::Short { name } => {
            if let Some(s) = in_ns(name, r.from_ns) {
                return Resolution::Service(s);
            }
            if outside(name, r.from_ns) {
                return Resolution::Outside;
            }
            let named = services(name);
            if named.is_empty() {
                // No Service of that name anywhere: a typo of a Service of
                // the namespace, or a host outside the input.
                if !hints {
                    return Resolution::Unknown;
                }
                return short_typo(name, r.from_ns, catalog);
            }
            // A Service without metadata.namespace goes wherever it is
            // applied: no evidence that it is elsewhere.
            let elsewhere: Vec<&'a Object> = named
                .into_iter()
                .filter(|s| explicit_namespace(s))
                .collect();
            if elsewhere.is_empty() {
                Resolution::Unknown
            } else {
                Resolution::OtherNamespace(elsewhere)
            }
        }
        Form::Qualified {
            name,
            namespace,
            explicit,
        } => {
            if let Some(s) = in_ns(name, namespace) {
                return Resolution::Service(s);
            }
            // `web-0.web` from the pod's own namespace: a pod of a headless Service.
            if !explicit && in_ns(namespace, r.from_ns).is_some() {
                return Resolution::Unknown;
            }
            if !hints || outside(name, namespace) || !catalog.has_kind_in("Service", namespace) {
                return Resolution::Outside;
            }
            missing(name, namespace, catalog)
        }
        Form::Pod { service, namespace } => {
            if !hints
                || in_ns(service, namespace).is_some()
                || outside(service, namespace)
                || !catalog.has_kind_in("Service", namespace)
            {
                return Resolution::Outside;
            }
            missing(service, namespace, catalog)
        }
    }
}

/// A name that is not a Service of its namespace is only a finding when the
/// input shows what was meant: the Service exists in another namespace, or a
/// Service of that namespace is one typo away. Otherwise the Service is most
/// likely created outside the input (a chart, an operator): no finding.
fn missing<'a>(name: &str, namespace: &str, catalog: &Catalog<'a>) -> Resolution<'a> {
    let objects = |n: &str| {
        catalog
            .named("Service", n)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .collect::<Vec<_>>()
    };
    let elsewhere = objects(name);
    let mut alike: Vec<&'a Object> = Vec::new();
    for_each_one_edit(name, |candidate| {
        alike.extend(
            objects(candidate)
                .into_iter()
                .filter(|s| s.namespace() == namespace),
        );
    });
    alike.sort_by_key(|s| (s.file, s.root.span.start));
    alike.dedup_by_key(|s| (s.file, s.root.span.start));
    if elsewhere.is_empty() && alike.is_empty() {
        return Resolution::Outside;
    }
    Resolution::Missing {
        name: name.to_string(),
        namespace: namespace.to_string(),
        elsewhere,
        alike,
    }
}

/// Hosts that are no Service name, whatever Service is spelled alike.
const NOT_SERVICES: &[&str] = &["localhost", "http", "https", "tcp", "udp", "grpc", "unix"];

/// A short `name:port` (or `scheme://name`) that is no Service anywhere is
/// a finding only when it is a slip of exactly one Service of its own
/// namespace: one edit (two from ten letters on, `typo_budget`), swaps
/// counted as one. Not a slip: names under five letters (`db2` is another
/// database, not a typo of `db`), names that differ from the Service only
/// in digits and dashes (`redis2`, `frontend-1`, `elasticsearch-0`:
/// numbered siblings, StatefulSet pod names), well-known hosts
/// (`localhost`). Anything else is a host outside the input: `Unknown`.
fn short_typo<'a>(name: &str, namespace: &str, catalog: &Catalog<'a>) -> Resolution<'a> {
    let len = name.chars().count();
    if len < 5 || NOT_SERVICES.contains(&name) {
        return Resolution::Unknown;
    }
    let budget = crate::text::typo_budget(len);
    let letters = |s: &str| {
        s.chars()
            .filter(char::is_ascii_lowercase)
            .collect::<String>()
    };
    let mut alike: Vec<&'a Object> = catalog
        .in_namespace(namespace)
        .filter(|s| s.kind() == "Service" && s.api_version() == "v1")
        .filter(|s| s.name().len().abs_diff(name.len()) <= budget)
        .filter(|s| crate::text::edit_distance_with_swaps(name, s.name()) <= budget)
        .filter(|s| letters(s.name()) != letters(name))
        .collect();
    alike.sort_by_key(|s| (s.name().to_string(), s.file, s.root.span.start));
    alike.dedup_by(|a, b| a.name() == b.name());
    if alike.len() != 1 {
        return Resolution::Unknown;
    }
    Resolution::Missing {
        name: name.to_string(),
        namespace: namespace.to_string(),
        elsewhere: Vec::new(),
        alike,
    }
}

/// Calls `f` with every DNS label one edit (insertion, deletion,
/// substitution, transposition) away from `name`: O(length × alphabet)
/// lookups instead of a scan of every Service, built in one reused buffer.
fn for_each_one_edit(name: &str, mut f: impl FnMut(&str)) {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let b = name.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(b.len() + 1);
    let mut visit = |buf: &[u8]| {
        if let Ok(s) = std::str::from_utf8(buf)
            && s != name
            && dns_label(s)
        {
            f(s);
        }
    };
    for i in 0..=b.len() {
        let (head, tail) = b.split_at(i);
        for &c in ALPHABET {
            buf.clear();
            buf.extend_from_slice(head);
            buf.push(c);
            buf.extend_from_slice(tail);
            visit(&buf);
        }
        if let Some((&first, rest)) = tail.split_first() {
            buf.clear();
            buf.extend_from_slice(head);
            buf.extend_from_slice(rest);
            visit(&buf);
            for &c in ALPHABET {
                if c == first {
                    continue;
                }
                buf.clear();
                buf.extend_from_slice(head);
                buf.push(c);
                buf.extend_from_slice(rest);
                visit(&buf);
            }
            if let Some((&second, rest2)) = rest.split_first() {
                buf.clear();
                buf.extend_from_slice(head);
                buf.push(second);
                buf.push(first);
                buf.extend_from_slice(rest2);
                visit(&buf);
            }
        }
    }
}

/// The port a reference connects to: written, or implied by the scheme.
pub fn effective_port(r: &DnsRef<'_>) -> Option<(i64, bool)> {
    match (r.port, r.scheme.as_deref()) {
        (Some(p), _) => Some((p, true)),
        (None, Some("http" | "ws")) => Some((80, false)),
        (None, Some("https" | "wss")) => Some((443, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(text: &str) -> Vec<(String, Option<i64>, Option<String>)> {
        tokens(text)
            .into_iter()
            .filter_map(|t| {
                let raw = text.get(t.start..t.end)?;
                classify(raw.strip_suffix('.').unwrap_or(raw))?;
                Some((raw.to_string(), t.port.map(|p| p.0), t.scheme))
            })
            .collect()
    }

    #[test]
    fn urls_and_host_ports() {
        assert_eq!(
            hosts("http://web.shop.svc.cluster.local:8080/api"),
            vec![(
                "web.shop.svc.cluster.local".into(),
                Some(8080),
                Some("http".into())
            )]
        );
        assert_eq!(
            hosts("redis:6379"),
            vec![("redis".into(), Some(6379), None)]
        );
        assert_eq!(
            hosts("jdbc:postgresql://db.data.svc:5432/app?ssl=true"),
            vec![
                ("db.data.svc".into(), Some(5432), Some("postgresql".into())),
                // a bare word: a candidate only a host-like key makes a host
                ("true".into(), None, None)
            ]
        );
        assert_eq!(
            hosts("kafka-0.kafka:9092,kafka-1.kafka:9092"),
            vec![
                ("kafka-0.kafka".into(), Some(9092), None),
                ("kafka-1.kafka".into(), Some(9092), None)
            ]
        );
        assert_eq!(
            hosts("--upstream=https://api.shop.svc/"),
            vec![("api.shop.svc".into(), None, Some("https".into()))]
        );
        assert_eq!(
            hosts("redis://:secret@cache:6379/0"),
            vec![("cache".into(), Some(6379), None)]
        );
    }

    #[test]
    fn not_hosts() {
        // image tags, template syntax, paths, IPs, prose in capitals
        assert!(hosts("nginx:1.27").is_empty());
        assert!(hosts("redis:latest").is_empty());
        assert!(hosts("http://$(SVC).shop.svc:80").is_empty());
        assert!(hosts("{{ .Values.host }}.svc").is_empty());
        assert!(hosts("10.0.0.1:80").is_empty());
        assert!(hosts(".svc.cluster.local").is_empty());
        assert!(hosts("/etc/config/app.conf").is_empty());
        assert!(hosts("Host:8080").is_empty());
        assert!(hosts("user:1234@").is_empty());
    }

    #[test]
    fn forms() {
        assert_eq!(classify("web"), Some(Form::Short { name: "web".into() }));
        assert_eq!(
            classify("web.shop.svc.cluster.local"),
            Some(Form::Qualified {
                name: "web".into(),
                namespace: "shop".into(),
                explicit: true
            })
        );
        assert_eq!(
            classify("_http._tcp.web.shop.svc"),
            Some(Form::Qualified {
                name: "web".into(),
                namespace: "shop".into(),
                explicit: true
            })
        );
        assert_eq!(
            classify("web-0.web.shop.svc"),
            Some(Form::Pod {
                service: "web".into(),
                namespace: "shop".into()
            })
        );
        assert_eq!(classify("example.com.au"), None);
        assert_eq!(classify("a.b.c.d.svc"), None);
    }

    #[test]
    fn typos() {
        let mut near = Vec::new();
        for_each_one_edit("order", |s| near.push(s.to_string()));
        for n in ["orders", "ordr", "odrer", "ordex", "border"] {
            assert!(near.iter().any(|s| s == n), "{n}");
        }
        assert!(
            !near
                .iter()
                .any(|s| s == "order" || s == "orderss" || s == "-order")
        );
    }

    #[test]
    fn host_keys() {
        assert!(host_like_key("REDIS_HOST"));
        assert!(host_like_key("db.host"));
        assert!(host_like_key("KAFKA_BROKERS"));
        assert!(host_like_key("dbhost"));
        assert!(!host_like_key("SERVICE_NAME"));
        assert!(!host_like_key("LOG_LEVEL"));
    }
}
