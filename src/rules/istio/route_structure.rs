//! KW4014: a VirtualService whose routes Istio rejects or cannot use, most
//! often because a line lost its indentation: a `match` without a `route`,
//! a `destination` that is null with its `host` beside it, a `prefix` beside
//! a null `uri`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{ROUTE_SECTIONS, is_kind};
use crate::parse::{Entry, Node};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4014",
    "istio-route-structure",
    Istio,
    Error,
    "A VirtualService route is malformed: a match with no action, a null or host-less destination, a misindented field"
);

pub struct Rule;

/// What an `http` entry can do with a request it matched.
const HTTP_ACTIONS: &[&str] = &["route", "redirect", "directResponse", "delegate"];
/// Fields of `HTTPMatchRequest` that hold a `StringMatch`.
const STRING_MATCH_FIELDS: &[&str] = &["uri", "scheme", "method", "authority"];
const STRING_MATCH_KEYS: &[&str] = &["exact", "prefix", "regex"];
const DESTINATION_KEYS: &[&str] = &["host", "subset", "port"];
/// Fields of `HTTPMatchRequest` that hold a map of names to `StringMatch`.
const MAP_MATCH_FIELDS: &[&str] = &["headers", "queryParams", "withoutHeaders"];
/// Every field of `HTTPMatchRequest`.
const MATCH_FIELDS: &[&str] = &[
    "name",
    "uri",
    "scheme",
    "method",
    "authority",
    "headers",
    "port",
    "sourceLabels",
    "gateways",
    "queryParams",
    "ignoreUriCase",
    "withoutHeaders",
    "sourceNamespace",
    "statPrefix",
];

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        for section in ROUTE_SECTIONS {
            let entries = spec.get_seq(section);
            for (i, entry) in entries.iter().enumerate() {
                let Some(map) = entry.as_map() else {
                    continue;
                };
                check_entry(obj, section, i, entry, map, entries.get(i + 1), out);
            }
        }
    }
}

fn check_entry(
    obj: &Object,
    section: &str,
    i: usize,
    entry: &Node,
    map: &[Entry],
    next: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let vs = obj.describe();
    let actions: &[&str] = if section == "http" {
        HTTP_ACTIONS
    } else {
        &["route"]
    };
    if !actions.iter().any(|a| entry.get(a).is_some()) {
        let anchor = map.first().map_or(entry.span, |e| e.key.span);
        let what = if entry.get("match").is_some() {
            "matches requests but has"
        } else {
            "has"
        };
        let mut diag = finding(
            &META,
            obj,
            anchor,
            format!(
                "{vs}: {section}[{i}] {what} no {}; Istio rejects the VirtualService",
                actions
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        )
        .with_label("no action in this entry");
        let next_is_orphan_route = next.is_some_and(|n| {
            n.get("route").is_some()
                && n.get("match").is_none()
                && n.as_map().is_some_and(|m| m.len() == 1)
        });
        if let (true, Some(n)) = (next_is_orphan_route, next) {
            let route_key = n.entry("route").map_or(n.span, |e| e.key.span);
            diag = diag
                .with_related(obj.file, route_key, "the route meant for it is a separate entry")
                .with_help(format!(
                    "{section}[{}] holds only the `route`: remove the `- ` before `route:` so that it lines up with `match:` in the same entry",
                    i + 1
                ));
        } else {
            diag = diag.with_help(format!(
                "add `route:` with at least one `destination` to {section}[{i}]"
            ));
        }
        out.push(diag);
    }
    if section == "http" {
        for m in entry.get_seq("match") {
            check_match(obj, section, i, m, out);
            check_map_match(obj, section, i, m, out);
        }
    }
    if let Some(route) = entry.entry("route") {
        check_route(obj, section, i, route, out);
    }
}

/// `- uri:` followed by `prefix:` at the same indentation: `uri` is null and
/// `prefix` a key of the match request.
fn check_match(obj: &Object, section: &str, i: usize, m: &Node, out: &mut Vec<Diagnostic>) {
    let Some(entries) = m.as_map() else {
        return;
    };
    for field in STRING_MATCH_FIELDS {
        let Some(e) = m.entry(field) else {
            continue;
        };
        if !e.value.is_null() {
            continue;
        }
        let stray: Vec<&Entry> = entries
            .iter()
            .filter(|s| {
                s.key
                    .as_str()
                    .is_some_and(|k| STRING_MATCH_KEYS.contains(&k))
            })
            .collect();
        match stray.first() {
            Some(s) => {
                let key = s.key.as_str().unwrap_or("prefix");
                out.push(
                    finding(
                        &META,
                        obj,
                        s.key.span,
                        format!(
                            "{}: in {section}[{i}].match, `{key}` is beside `{field}`, which is null: the match has no `{field}` condition and an unknown field `{key}`",
                            obj.describe()
                        ),
                    )
                    .with_label(format!("belongs under `{field}`"))
                    .with_related(obj.file, e.key.span, format!("`{field}` is null"))
                    .with_help(format!(
                        "indent `{key}:` two more spaces so that it is inside `{field}:`"
                    )),
                );
            }
            None => out.push(
                finding(
                    &META,
                    obj,
                    e.key.span,
                    format!(
                        "{}: {section}[{i}].match `{field}` is null, so it matches nothing specific",
                        obj.describe()
                    ),
                )
                .with_help(format!(
                    "give `{field}` one of `exact`, `prefix` or `regex`, or remove it"
                )),
            ),
        }
    }
}

/// `- headers:` followed by `end-user:` at the same indentation: `headers`
/// is null and `end-user` an unknown field of the match request.
fn check_map_match(obj: &Object, section: &str, i: usize, m: &Node, out: &mut Vec<Diagnostic>) {
    let Some(entries) = m.as_map() else {
        return;
    };
    for field in MAP_MATCH_FIELDS {
        let Some(e) = m.entry(field) else {
            continue;
        };
        if !e.value.is_null() {
            continue;
        }
        let Some(stray) = entries
            .iter()
            .find(|s| s.key.as_str().is_some_and(|k| !MATCH_FIELDS.contains(&k)))
        else {
            continue;
        };
        let key = stray.key.as_str().unwrap_or("?");
        out.push(
            finding(
                &META,
                obj,
                stray.key.span,
                format!(
                    "{}: in {section}[{i}].match, `{key}` is beside `{field}`, which is null: the match has no `{field}` condition and an unknown field `{key}`",
                    obj.describe()
                ),
            )
            .with_label(format!("belongs under `{field}`"))
            .with_related(obj.file, e.key.span, format!("`{field}` is null"))
            .with_help(format!(
                "indent `{key}:` two more spaces so that it is inside `{field}:`"
            )),
        );
    }
}

fn check_route(obj: &Object, section: &str, i: usize, route: &Entry, out: &mut Vec<Diagnostic>) {
    let vs = obj.describe();
    let items = route.value.as_seq().unwrap_or(&[]);
    if items.is_empty() {
        out.push(
            finding(
                &META,
                obj,
                route.key.span,
                format!("{vs}: {section}[{i}].route has no destinations"),
            )
            .with_help("list at least one `- destination: {host: ...}` under `route:`"),
        );
        return;
    }
    let mut weights = 0i64;
    let mut any_weight = false;
    for (j, item) in items.iter().enumerate() {
        let Some(map) = item.as_map() else {
            continue;
        };
        if let Some(w) = item.get("weight").and_then(Node::as_i64) {
            weights += w;
            any_weight = true;
        }
        let at = format!("{section}[{i}].route[{j}]");
        match item.entry("destination") {
            None => out.push(
                finding(
                    &META,
                    obj,
                    map.first().map_or(item.span, |e| e.key.span),
                    format!("{vs}: {at} has no `destination`"),
                )
                .with_help("add `destination: {host: SERVICE}` to the route"),
            ),
            Some(d) if d.value.is_null() => {
                let stray: Vec<&str> = map
                    .iter()
                    .filter_map(|e| e.key.as_str())
                    .filter(|k| DESTINATION_KEYS.contains(k))
                    .collect();
                let mut diag = finding(
                    &META,
                    obj,
                    d.key.span,
                    format!("{vs}: {at}.destination is null"),
                )
                .with_label("null destination");
                if let Some(first) = stray.first() {
                    let stray_span = item.entry(first).map_or(d.key.span, |e| e.key.span);
                    diag.message.push_str(&format!(
                        "; {} is written beside it instead of inside it",
                        stray
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    diag = diag
                        .with_related(obj.file, stray_span, "belongs under `destination`")
                        .with_help(format!(
                            "indent `{first}:` two more spaces so that it is inside `destination:`"
                        ));
                } else {
                    diag = diag.with_help("give the destination a `host`");
                }
                out.push(diag);
            }
            Some(d) => {
                if d.value.as_map().is_some() && d.value.get("host").is_none() {
                    out.push(
                        finding(
                            &META,
                            obj,
                            d.key.span,
                            format!("{vs}: {at}.destination has no `host`"),
                        )
                        .with_help("add `host:` naming the Service (its FQDN is safest)"),
                    );
                }
            }
        }
    }
    if items.len() > 1 && weights == 0 {
        let msg = if any_weight {
            "every destination has weight 0"
        } else {
            "no destination has a weight"
        };
        out.push(
            finding(
                &META,
                obj,
                route.key.span,
                format!(
                    "{vs}: {section}[{i}].route splits traffic over {} destinations but {msg}; Istio rejects a total weight of 0",
                    items.len()
                ),
            )
            .with_help("give the destinations weights (traffic is split in proportion to them)"),
        );
    }
}
