//! KW0005: `metadata.name` and `metadata.namespace` follow the DNS naming
//! rules the API server enforces for the kind.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::names::{self, NameRule};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0005",
    "invalid-object-name",
    Yaml,
    Error,
    "metadata.name or metadata.namespace breaks the DNS naming rules of its kind"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(metadata) = obj.metadata() else {
            return;
        };
        if let Some(node) = metadata.get("name")
            && let Some(name) = node.as_str()
            && !name.is_empty()
        {
            let rule = names::name_rule(obj.api_version(), obj.kind());
            let (result, what) = match rule {
                NameRule::Label => (names::dns1123_label(name), "a DNS-1123 label"),
                NameRule::Subdomain => (names::dns1123_subdomain(name), "a DNS-1123 subdomain"),
                NameRule::PathSegment => (names::path_segment(name), "a path segment"),
                NameRule::Unchecked => (Ok(()), ""),
            };
            if let Err(why) = result {
                out.push(
                    finding(
                        &META,
                        obj,
                        node.span,
                        format!("{} name \"{name}\" is not valid: {what} {why}", obj.kind()),
                    )
                    .with_label("invalid name")
                    .with_help(suggest(name, rule)),
                );
            }
        }
        if let Some(node) = metadata.get("namespace")
            && let Some(ns) = node.as_str()
            && let Err(why) = names::dns1123_label(ns)
        {
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!("namespace \"{ns}\" is not valid: a namespace is a DNS-1123 label that {why}"),
                )
                .with_label("invalid namespace")
                .with_help(suggest(ns, NameRule::Label)),
            );
        }
    }
}

/// A valid spelling of the name: lower-cased, other characters turned to '-'.
fn suggest(name: &str, rule: NameRule) -> String {
    let keep_dots = rule == NameRule::Subdomain;
    let fixed: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            '.' if keep_dots => '.',
            _ => '-',
        })
        .collect();
    let fixed = fixed.trim_matches(|c| c == '-' || c == '.');
    let max = if rule == NameRule::Label { 63 } else { 253 };
    let fixed: String = fixed.chars().take(max).collect();
    if fixed.is_empty() || fixed == name {
        "use lower-case letters, digits and '-' only, starting and ending with a letter or digit"
            .to_string()
    } else {
        format!(
            "a valid name would be \"{}\"",
            fixed.trim_end_matches(['-', '.'])
        )
    }
}
