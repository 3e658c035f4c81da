//! KW3104: containers of one pod share its network namespace, so two
//! declarations of the same containerPort and protocol collide: only one
//! process can listen there.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::running_containers;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3104",
    "container-port-conflict",
    Reference,
    Warning,
    "Two containers of one pod declare the same containerPort and protocol"
);

pub struct Rule;

/// The first declaration of a port in the pod.
#[derive(Clone, Copy)]
struct First<'a> {
    container: Option<&'a str>,
    /// The `containerPort` value.
    span: crate::source::Span,
    named: bool,
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        // (port, protocol, hostIP) -> the first declaration.
        let mut seen: HashMap<(i64, &str, &str), First<'_>> = HashMap::new();
        for container in running_containers(&template) {
            for port in container.ports() {
                let (Some(number), Some(num_node)) = (port.number, port.node.get("containerPort"))
                else {
                    continue;
                };
                let host_ip = port.node.get_str("hostIP").unwrap_or("");
                let key = (number, port.protocol, host_ip);
                let named = port.name.is_some();
                let Some(&First {
                    container: first_container,
                    span: first_span,
                    named: first_named,
                }) = seen.get(&key)
                else {
                    seen.insert(
                        key,
                        First {
                            container: container.name,
                            span: num_node.span,
                            named,
                        },
                    );
                    continue;
                };
                if first_container == container.name {
                    // One container may declare a port twice under two names
                    // (an alias a Service can target); that is no conflict.
                    // The same unnamed declaration twice is a leftover.
                    if !named && !first_named {
                        out.push(
                            finding(
                                &META,
                                obj,
                                num_node.span,
                                format!(
                                    "container \"{}\" in {} declares containerPort {number}/{} twice",
                                    container.name.unwrap_or("?"),
                                    obj.describe(),
                                    port.protocol
                                ),
                            )
                            .with_label("declared again")
                            .with_related(obj.file, first_span, "first declared here")
                            .with_help("remove the duplicate entry"),
                        );
                    }
                    continue;
                }
                let this = container.name.unwrap_or("?");
                let first = first_container.unwrap_or("?");
                let message = format!(
                    "containers \"{first}\" and \"{this}\" in {} both declare containerPort {number}/{}; containers of a pod share one network namespace, so only one of them can listen on it",
                    obj.describe(),
                    port.protocol
                );
                let help = format!(
                    "give one of the containers another port, or drop the declaration from the container that does not serve {number}"
                );
                out.push(
                    finding(&META, obj, num_node.span, message)
                        .with_label("declared again")
                        .with_related(
                            obj.file,
                            first_span,
                            format!("first declared by container \"{first}\""),
                        )
                        .with_help(help),
                );
            }
        }
    }
}
