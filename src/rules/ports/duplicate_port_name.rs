//! KW3105: container port names identify ports for Services and probes.
//! Within one container a repeated name is rejected by the API server;
//! across the containers of a pod it is accepted, but a Service targeting the
//! name gets whichever container the endpoints controller finds first.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Object;
use crate::parse::Node;
use crate::rules::ports::running_containers;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3105",
    "duplicate-port-name",
    Reference,
    Warning,
    "Two container ports of one pod have the same name"
);

pub struct Rule;

/// Where a port name was first used: the container (its node), its name,
/// the name's span and the port number.
type FirstUse<'a> = (&'a Node, Option<&'a str>, Span, Option<i64>);

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        // By port name: the container (its node: two containers may share a
        // name, KW3106), the name's span and the port number.
        let mut seen: HashMap<&str, FirstUse<'_>> = HashMap::new();
        for container in running_containers(&template) {
            for port in container.ports() {
                let (Some(name), Some(name_node)) = (port.name, port.node.get("name")) else {
                    continue;
                };
                let Some(&(first_node, first_container, first_span, first_number)) = seen.get(name)
                else {
                    seen.insert(
                        name,
                        (container.node, container.name, name_node.span, port.number),
                    );
                    continue;
                };
                let same_container = std::ptr::eq(first_node, container.node);
                let this = container.name.unwrap_or("?");
                let first = first_container.unwrap_or("?");
                let number = |n: Option<i64>| n.map_or_else(|| "?".to_string(), |n| n.to_string());
                let mut diag = if same_container {
                    let mut d = finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "container \"{this}\" in {} names two ports \"{name}\" ({} and {}); the API server rejects duplicate port names in a container",
                            obj.describe(),
                            number(first_number),
                            number(port.number)
                        ),
                    );
                    d.severity = Severity::Error;
                    d
                } else {
                    let containers = if first_container == container.name {
                        format!("two containers named \"{this}\"")
                    } else {
                        format!("containers \"{first}\" and \"{this}\"")
                    };
                    finding(
                        &META,
                        obj,
                        name_node.span,
                        format!(
                            "{containers} in {} both name a port \"{name}\" ({} and {}); a Service or probe using the name cannot tell them apart",
                            obj.describe(),
                            number(first_number),
                            number(port.number)
                        ),
                    )
                };
                diag = diag
                    .with_label("name used again")
                    .with_related(
                        obj.file,
                        first_span,
                        format!("first named in container \"{first}\""),
                    )
                    .with_help(format!(
                        "give each port its own name (at most 15 characters), e.g. \"{}\"",
                        rename(this, name, same_container)
                    ));
                out.push(diag);
            }
        }
    }
}

/// A port name for the second port: `proxy-http`, or `http-2` when that
/// is too long for a port name (15 characters) or the container is the same.
fn rename(container: &str, name: &str, same_container: bool) -> String {
    let prefixed = format!("{container}-{name}");
    if same_container || prefixed.len() > 15 {
        format!("{name}-2")
    } else {
        prefixed
    }
}
