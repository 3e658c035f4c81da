//! KW4011: a route that can never be used, because an earlier entry of the
//! same VirtualService matches everything or the same requests.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::is_kind;
use crate::parse::{Node, Value};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4011",
    "istio-unreachable-route",
    Istio,
    Warning,
    "A VirtualService route can never match: an earlier route catches all requests or the same requests"
);

pub struct Rule;

/// Same YAML value, spans ignored, mapping order ignored.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    y.iter()
                        .any(|f| same(&e.key, &f.key) && same(&e.value, &f.value))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (x, y) => x == y,
    }
}

/// Same match condition: the same value apart from its `name` (a label for
/// stats and logs, not a condition).
pub(crate) fn same_condition(a: &Node, b: &Node) -> bool {
    match (a.as_map(), b.as_map()) {
        (Some(x), Some(y)) => {
            let conditions = |m: &'_ [crate::parse::Entry]| {
                m.iter().filter(|e| e.key.as_str() != Some("name")).count()
            };
            conditions(x) == conditions(y)
                && x.iter()
                    .filter(|e| e.key.as_str() != Some("name"))
                    .all(|e| {
                        y.iter()
                            .any(|f| same(&e.key, &f.key) && same(&e.value, &f.value))
                    })
        }
        _ => same(a, b),
    }
}

/// A match condition that every request satisfies: `{}`, or only
/// `uri: {prefix: /}` (every path starts with `/`).
pub(crate) fn catches_all(m: &Node) -> bool {
    let Some(entries) = m.as_map() else {
        return false;
    };
    let mut rest = entries.iter().filter(|e| e.key.as_str() != Some("name"));
    match (rest.next(), rest.next()) {
        (None, _) => true,
        (Some(e), None) => {
            e.key.as_str() == Some("uri")
                && e.value.as_map().is_some_and(|u| u.len() == 1)
                && e.value.get_str("prefix") == Some("/")
        }
        _ => false,
    }
}

/// The URI prefix of a match condition that is nothing but `uri: {prefix: P}`
/// (its `name` aside): it takes every request whose path starts with `P`.
fn prefix_only(m: &Node) -> Option<&str> {
    let entries = m.as_map()?;
    let mut rest = entries.iter().filter(|e| e.key.as_str() != Some("name"));
    let (Some(e), None) = (rest.next(), rest.next()) else {
        return None;
    };
    if e.key.as_str() != Some("uri") || e.value.as_map().is_none_or(|u| u.len() != 1) {
        return None;
    }
    e.value.get_str("prefix")
}

/// Does every request `m` matches start with `prefix`? Istio prefixes are
/// plain string prefixes: `/a` covers `/ab` and `/a/b`. Any other condition
/// of `m` only narrows it; `ignoreUriCase` widens it, so it is not covered.
fn covered_by_prefix(m: &Node, prefix: &str) -> bool {
    if m.get("ignoreUriCase")
        .is_some_and(|v| v.value != Value::Bool(false))
    {
        return false;
    }
    let Some(uri) = m.get("uri").and_then(Node::as_map) else {
        return false;
    };
    let [e] = uri else {
        return false;
    };
    matches!(e.key.as_str(), Some("prefix" | "exact"))
        && e.value.as_str().is_some_and(|v| v.starts_with(prefix))
}

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
        for section in ["http", "tcp", "tls"] {
            let entries = spec.get_seq(section);
            // (index, why) of the first entry that takes every request.
            let mut catch_all: Option<(usize, crate::source::Span, &'static str)> = None;
            for (i, entry) in entries.iter().enumerate() {
                let Some(map) = entry.as_map() else {
                    continue;
                };
                let anchor = entry.entry("match").map_or_else(
                    || map.first().map_or(entry.span, |e| e.key.span),
                    |e| e.key.span,
                );
                if let Some((first, span, why)) = catch_all
                    && section != "tls"
                {
                    out.push(
                        finding(
                            &META,
                            obj,
                            anchor,
                            format!(
                                "{}: {section}[{i}] is never used: {section}[{first}] {why} and comes first",
                                obj.describe()
                            ),
                        )
                        .with_label("unreachable")
                        .with_related(obj.file, span, "catches every request")
                        .with_help(format!(
                            "move {section}[{i}] before {section}[{first}] (routes are tried in order, the catch-all goes last), or delete it"
                        )),
                    );
                    break;
                }
                let matches = entry.get_seq("match");
                match entry.entry("match") {
                    None => {
                        catch_all = Some((i, anchor, "has no `match`, so it takes every request"));
                    }
                    Some(e) if matches.is_empty() && e.value.as_seq().is_some() => {
                        catch_all = Some((
                            i,
                            e.key.span,
                            "has an empty `match`, so it takes every request",
                        ));
                    }
                    Some(e) if matches.iter().any(catches_all) => {
                        catch_all = Some((i, e.key.span, "matches every request"));
                    }
                    Some(_) => {}
                }
                // The same condition written before, in this entry or an earlier one.
                for (j, m) in matches.iter().enumerate() {
                    if catches_all(m) {
                        continue;
                    }
                    let earlier = entries.iter().take(i).enumerate().find_map(|(k, e)| {
                        e.get_seq("match")
                            .iter()
                            .find(|p| same_condition(p, m))
                            .map(|p| (k, p))
                    });
                    let within = matches.iter().take(j).find(|p| same_condition(p, m));
                    if let Some((k, p)) = earlier {
                        out.push(
                            finding(
                                &META,
                                obj,
                                m.span,
                                format!(
                                    "{}: {section}[{i}].match[{j}] never fires: {section}[{k}] has the same condition and comes first",
                                    obj.describe()
                                ),
                            )
                            .with_label("same as an earlier match")
                            .with_related(obj.file, p.span, "the earlier identical match")
                            .with_help("remove this condition, or make it more specific than the earlier one"),
                        );
                    } else if let Some((k, p, prefix)) = (section == "http")
                        .then(|| {
                            entries.iter().take(i).enumerate().find_map(|(k, e)| {
                                e.get_seq("match").iter().find_map(|p| {
                                    let prefix = prefix_only(p)?;
                                    covered_by_prefix(m, prefix).then_some((k, p, prefix))
                                })
                            })
                        })
                        .flatten()
                    {
                        out.push(
                            finding(
                                &META,
                                obj,
                                m.span,
                                format!(
                                    "{}: {section}[{i}].match[{j}] never fires: {section}[{k}] matches every URI starting with \"{prefix}\", which covers it, and comes first",
                                    obj.describe()
                                ),
                            )
                            .with_label("shadowed by an earlier prefix")
                            .with_related(obj.file, p.span, format!("prefix \"{prefix}\" (a plain string prefix)"))
                            .with_help(format!(
                                "move {section}[{i}] before {section}[{k}] (routes are tried in order, the more specific first), or delete this condition"
                            )),
                        );
                    } else if let Some(p) = within {
                        out.push(
                            finding(
                                &META,
                                obj,
                                m.span,
                                format!(
                                    "{}: {section}[{i}].match[{j}] repeats an earlier condition of the same entry; it has no effect",
                                    obj.describe()
                                ),
                            )
                            .with_label("duplicate condition")
                            .with_related(obj.file, p.span, "written here first")
                            .with_help("delete the duplicate"),
                        );
                    }
                }
            }
        }
    }
}
