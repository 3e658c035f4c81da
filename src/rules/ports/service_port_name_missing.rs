//! KW3108: when a Service has more than one port, every port needs a name
//! (the API server rejects the Service otherwise).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::ServicePort;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3108",
    "service-port-name-missing",
    Reference,
    Error,
    "A port of a multi-port Service has no name"
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
        let count = service.ports.len();
        if count < 2 {
            return;
        }
        for (i, sp) in ServicePort::all(service.ports).enumerate() {
            if sp.node.get("name").is_some_and(|n| !n.is_null()) || sp.node.as_map().is_none() {
                continue;
            }
            let suggestion = match (sp.port, sp.protocol) {
                (Some(80 | 8080), "TCP") => "http".to_string(),
                (Some(443 | 8443), "TCP") => "https".to_string(),
                (Some(53), p) => format!("dns-{}", p.to_ascii_lowercase()),
                (Some(p), proto) => format!("{}-{p}", proto.to_ascii_lowercase()),
                (None, _) => "web".to_string(),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    sp.span(),
                    format!(
                        "port {} of {} has no name; a Service with {count} ports must name every port",
                        match sp.port {
                            Some(_) => sp.describe(),
                            None => format!("#{}", i + 1),
                        },
                        obj.describe()
                    ),
                )
                .with_label("no `name`")
                .with_help(format!("add `name: {suggestion}` (lowercase letters, digits and '-')")),
            );
        }
    }
}
