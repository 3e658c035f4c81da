//! The matching rules of the three routing APIs, as their specifications
//! state them (sources in `docs/topology.md`, "Trace a request"). Pure
//! functions, each tested with its specification's own examples.

/// How an Ingress path matched, for precedence: longer wins, then Exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IngressMatch {
    /// Length of the matched path (trailing `/` ignored for Prefix).
    pub len: usize,
    pub exact: bool,
}

/// Does an Ingress `path` of `path_type` match the request path?
/// `ImplementationSpecific` (and a v1beta1 path without `pathType`) is read
/// as ingress-nginx reads it without `use-regex`: a plain string prefix.
pub fn ingress_path(path_type: &str, pattern: &str, request: &str) -> Option<IngressMatch> {
    match path_type {
        "Exact" => (pattern == request).then_some(IngressMatch {
            len: pattern.len(),
            exact: true,
        }),
        "Prefix" => element_prefix(pattern, request).map(|len| IngressMatch { len, exact: false }),
        _ => {
            let pattern = if pattern.is_empty() { "/" } else { pattern };
            request.starts_with(pattern).then_some(IngressMatch {
                len: pattern.len(),
                exact: false,
            })
        }
    }
}

/// Prefix matching by path elements (Ingress `Prefix`, Gateway API
/// `PathPrefix`): `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not
/// `/foobar`; a trailing `/` on either side is ignored. Returns the length
/// of the pattern without its trailing `/`.
pub fn element_prefix(pattern: &str, request: &str) -> Option<usize> {
    let p = pattern.trim_end_matches('/');
    if p.is_empty() {
        return Some(0);
    }
    let r = request.trim_end_matches('/');
    let hit = r == p || r.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'));
    hit.then_some(p.len())
}

/// Ingress host wildcards (`*.foo.com`) cover exactly one DNS label.
pub fn ingress_host(rule_host: &str, host: &str) -> bool {
    match rule_host.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
        None => rule_host == host,
    }
}

/// Gateway API and Istio host wildcards (`*.example.com`) are suffix
/// matches: any number of labels, but not the bare domain. `*` matches all.
pub fn suffix_host(pattern: &str, host: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix('*') {
        Some(suffix) if suffix.starts_with('.') => {
            host.len() > suffix.len() && host.ends_with(suffix)
        }
        _ => pattern == host,
    }
}

/// A string condition of an Istio match (`exact`, `prefix`, `regex`); a
/// regex must match the whole value (RE2, anchored as Envoy does).
pub fn istio_string(cond: &str, want: &str, value: &str, ignore_case: bool) -> Option<bool> {
    let (value, want) = if ignore_case {
        (value.to_ascii_lowercase(), want.to_ascii_lowercase())
    } else {
        (value.to_string(), want.to_string())
    };
    match cond {
        "exact" => Some(value == want),
        "prefix" => Some(value.starts_with(&want)),
        "regex" => whole_regex(&want, &value),
        _ => None,
    }
}

/// Does `re` match all of `value`? None when `re` does not compile.
pub fn whole_regex(re: &str, value: &str) -> Option<bool> {
    let anchored = format!("^(?:{re})$");
    regex::RegexBuilder::new(&anchored)
        .size_limit(1 << 20)
        .build()
        .ok()
        .map(|r| r.is_match(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples table of the Kubernetes Ingress documentation
    /// ("Examples" under "Path types"): kind, paths, request, match?
    #[test]
    fn ingress_examples_table() {
        let table: &[(&str, &[&str], &str, Option<&str>)] = &[
            ("Prefix", &["/"], "/anything/at/all", Some("/")),
            ("Exact", &["/foo"], "/foo", Some("/foo")),
            ("Exact", &["/foo"], "/bar", None),
            ("Exact", &["/foo"], "/foo/", None),
            ("Exact", &["/foo/"], "/foo", None),
            ("Prefix", &["/foo"], "/foo", Some("/foo")),
            ("Prefix", &["/foo"], "/foo/", Some("/foo")),
            ("Prefix", &["/foo/"], "/foo", Some("/foo/")),
            ("Prefix", &["/foo/"], "/foo/", Some("/foo/")),
            ("Prefix", &["/aaa/bb"], "/aaa/bbb", None),
            ("Prefix", &["/aaa/bbb"], "/aaa/bbb", Some("/aaa/bbb")),
            ("Prefix", &["/aaa/bbb/"], "/aaa/bbb", Some("/aaa/bbb/")),
            ("Prefix", &["/aaa/bbb"], "/aaa/bbb/", Some("/aaa/bbb")),
            ("Prefix", &["/aaa/bbb"], "/aaa/bbb/ccc", Some("/aaa/bbb")),
            ("Prefix", &["/aaa/bbb"], "/aaa/bbbxyz", None),
            ("Prefix", &["/", "/aaa"], "/aaa/ccc", Some("/aaa")),
            (
                "Prefix",
                &["/", "/aaa", "/aaa/bbb"],
                "/aaa/bbb",
                Some("/aaa/bbb"),
            ),
            ("Prefix", &["/", "/aaa", "/aaa/bbb"], "/ccc", Some("/")),
            ("Prefix", &["/aaa"], "/ccc", None),
        ];
        for (kind, paths, request, want) in table {
            let best = paths
                .iter()
                .filter_map(|p| ingress_path(kind, p, request).map(|m| (m, *p)))
                .max_by_key(|(m, _)| *m)
                .map(|(_, p)| p);
            assert_eq!(best, *want, "{kind} {paths:?} against {request}");
        }
        // Mixed: /foo (Prefix) and /foo (Exact) for /foo prefers Exact.
        let prefix = ingress_path("Prefix", "/foo", "/foo").unwrap();
        let exact = ingress_path("Exact", "/foo", "/foo").unwrap();
        assert!(exact > prefix);
    }

    #[test]
    fn implementation_specific_is_a_string_prefix() {
        assert!(ingress_path("ImplementationSpecific", "/echo", "/echo-hostname").is_some());
        assert!(ingress_path("ImplementationSpecific", "", "/x").is_some());
        assert!(ingress_path("ImplementationSpecific", "/a", "/b").is_none());
    }

    #[test]
    fn ingress_wildcards_cover_one_label() {
        assert!(ingress_host("*.foo.com", "bar.foo.com"));
        assert!(!ingress_host("*.foo.com", "baz.bar.foo.com"));
        assert!(!ingress_host("*.foo.com", "foo.com"));
        assert!(ingress_host("foo.bar.com", "foo.bar.com"));
        assert!(!ingress_host("foo.bar.com", "bar.com"));
    }

    /// Gateway API: "*.example.com would match both test.example.com, and
    /// foo.test.example.com, but not example.com".
    #[test]
    fn gateway_wildcards_are_suffixes() {
        assert!(suffix_host("*.example.com", "test.example.com"));
        assert!(suffix_host("*.example.com", "foo.test.example.com"));
        assert!(!suffix_host("*.example.com", "example.com"));
        assert!(suffix_host("*", "anything"));
        assert!(suffix_host("a.b", "a.b"));
    }

    #[test]
    fn istio_strings() {
        assert_eq!(istio_string("prefix", "/api", "/apiv2", false), Some(true));
        assert_eq!(istio_string("exact", "/api", "/API", true), Some(true));
        assert_eq!(istio_string("regex", "/v[0-9]+", "/v12", false), Some(true));
        assert_eq!(
            istio_string("regex", "/v[0-9]+", "/v12/x", false),
            Some(false)
        );
        assert_eq!(istio_string("regex", "(", "x", false), None);
        assert_eq!(istio_string("suffix", "x", "x", false), None);
    }
}
