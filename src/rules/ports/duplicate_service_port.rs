//! KW3107: a Service's ports must differ in port number (per protocol) and in
//! name; the API server rejects duplicates.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::ServicePort;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3107",
    "duplicate-service-port",
    Reference,
    Error,
    "A Service lists the same port number and protocol, or the same port name, twice"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        let mut numbers: HashMap<(i64, &str), Span> = HashMap::new();
        let mut names: HashMap<&str, Span> = HashMap::new();
        for sp in ServicePort::all(service.ports) {
            if let (Some(port), Some(node)) = (sp.port, sp.node.get("port")) {
                match numbers.get(&(port, sp.protocol)) {
                    None => {
                        numbers.insert((port, sp.protocol), node.span);
                    }
                    Some(&first) => out.push(
                        finding(
                            &META,
                            obj,
                            node.span,
                            format!(
                                "{} lists port {port}/{} twice; the API server rejects duplicate ports",
                                obj.describe(),
                                sp.protocol
                            ),
                        )
                        .with_label("listed again")
                        .with_related(obj.file, first, "first listed here")
                        .with_help("remove one entry, or give it another port number"),
                    ),
                }
            }
            if let (Some(name), Some(node)) = (sp.name, sp.node.get("name")) {
                match names.get(name) {
                    None => {
                        names.insert(name, node.span);
                    }
                    Some(&first) => out.push(
                        finding(
                            &META,
                            obj,
                            node.span,
                            format!(
                                "{} names two ports \"{name}\"; the API server rejects duplicate port names",
                                obj.describe()
                            ),
                        )
                        .with_label("name used again")
                        .with_related(obj.file, first, "first named here")
                        .with_help(format!(
                            "give each port its own name, e.g. \"{name}-{}\"",
                            sp.protocol.to_ascii_lowercase()
                        )),
                    ),
                }
            }
        }
    }
}
