//! KW3213: a Gateway API route's parentRef names a Gateway that is not in
//! the namespace the reference points to.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::gateway::{GROUP, is_gateway_api};
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest_name;

pub static META: RuleMeta = rule_meta!(
    "KW3213",
    "route-parent-missing",
    Reference,
    Warning,
    "A Gateway API route's parentRef names a Gateway that does not exist"
);

pub struct Rule;

/// The Gateway a parentRef names, if the input has it.
pub fn find_gateway<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> Option<&'a Object> {
    gateway_definitions(catalog, ns, name).first().copied()
}

/// Every definition of the Gateway in the input. More than one (KW0010)
/// means alternative versions of it (test fixtures, overlays): checks that
/// read its listeners stay silent then, since kwire cannot know which applies.
pub fn gateway_definitions<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> Vec<&'a Object> {
    catalog
        .find(&format!("{GROUP}/v1"), "Gateway", ns, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .filter(|g| is_gateway_api(g, "Gateway"))
        .collect()
}

/// The Gateway if it is defined exactly once.
pub fn unique_gateway<'a>(catalog: &Catalog<'a>, ns: &str, name: &str) -> Option<&'a Object> {
    match gateway_definitions(catalog, ns, name).as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for parent in obj.route_parent_refs() {
            if !parent.is_gateway() {
                continue;
            }
            let Some(name) = parent.name.as_str() else {
                continue;
            };
            let explicit_ns = parent.namespace.and_then(Node::as_str);
            let ns = explicit_ns.unwrap_or(obj.namespace());
            if find_gateway(catalog, ns, name).is_some() || catalog.assumed("Gateway", ns, name) {
                continue;
            }
            let elsewhere = catalog
                .find_elsewhere(&format!("{GROUP}/v1"), "Gateway", ns, name)
                .iter()
                .filter_map(|&i| catalog.object(i))
                .find(|g| is_gateway_api(g, "Gateway"));
            if let Some(other) = elsewhere {
                let help = if explicit_ns.is_some() {
                    format!("set namespace: {} in the parentRef", other.namespace())
                } else {
                    format!(
                        "add namespace: {} to the parentRef (a parentRef without one means the route's own namespace \"{ns}\")",
                        other.namespace()
                    )
                };
                out.push(
                    finding(
                        &META,
                        obj,
                        parent.name.span,
                        format!(
                            "{} attaches to Gateway \"{name}\" in namespace \"{ns}\", which does not exist; a Gateway \"{name}\" exists in namespace \"{}\"",
                            obj.describe(),
                            other.namespace()
                        ),
                    )
                    .with_label("no such Gateway in this namespace")
                    .with_related(other.file, other.anchor_span(), "the Gateway, in another namespace")
                    .with_help(help),
                );
                continue;
            }
            // Only with evidence of a slip: a Gateway with a similar name in
            // the namespace. A route may well attach to a Gateway that the
            // platform team deploys from elsewhere.
            let gateways: Vec<&Object> = catalog
                .in_namespace(ns)
                .filter(|g| is_gateway_api(g, "Gateway"))
                .collect();
            let Some(near) = closest_name(name, gateways.iter().map(|g| g.name()))
                .and_then(|near| gateways.iter().find(|g| g.name() == near))
            else {
                continue;
            };
            out.push(
                finding(
                    &META,
                    obj,
                    parent.name.span,
                    format!(
                        "{} attaches to Gateway \"{name}\", which does not exist in namespace \"{ns}\"; the route is not served (Accepted: False)",
                        obj.describe()
                    ),
                )
                .with_label("no such Gateway")
                .with_related(near.file, near.anchor_span(), "a Gateway with a similar name")
                .with_help(format!("did you mean Gateway \"{}\"?", near.name())),
            );
        }
    }
}
