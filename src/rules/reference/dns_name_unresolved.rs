//! KW3301: a Service DNS name (`web.shop.svc`, `web.shop`) that names no
//! Service of the input, in a namespace where the input defines Services.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::dns::{self, Resolution};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3301",
    "dns-name-unresolved",
    Reference,
    Warning,
    "A Service DNS name in an env value, argument, ConfigMap or ExternalName resolves to no Service"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for r in dns::references_once(obj, catalog).iter() {
            let Resolution::Missing {
                name,
                namespace,
                elsewhere,
                alike,
            } = dns::resolve(r, catalog)
            else {
                continue;
            };
            let mut diag = finding(
                &META,
                obj,
                r.span,
                format!(
                    "\"{}\" resolves to no Service: namespace \"{namespace}\" has no Service \"{name}\"",
                    r.host
                ),
            )
            .with_label("no such Service");
            let port = r.port.map(|p| format!(":{p}")).unwrap_or_default();
            if let Some(near) = alike.first() {
                // The port is checked against the Service meant, as KW3303
                // checks it on a name that resolves.
                let exposed = service_port_numbers(near);
                let port_note = match r.port {
                    Some(p) if !exposed.is_empty() && !exposed.contains(&p) => format!(
                        "; it does not expose port {p}, only {}",
                        crate::text::join_names(
                            &exposed.iter().map(i64::to_string).collect::<Vec<_>>()
                        )
                    ),
                    _ => String::new(),
                };
                diag = diag
                    .with_related(near.file, near.anchor_span(), "the Service spelled alike")
                    .with_help(format!(
                        "did you mean `{}`? (Service \"{}\" in namespace \"{namespace}\"{port_note})",
                        replace_label(&r.host, &name, near.name()),
                        near.name()
                    ));
            } else if let Some(other) = elsewhere.first() {
                diag = diag
                    .with_related(
                        other.file,
                        other.anchor_span(),
                        "a Service of that name in another namespace",
                    )
                    .with_help(format!(
                        "Service \"{name}\" is in namespace \"{}\": use `{name}.{}.svc{port}`",
                        other.namespace(),
                        other.namespace()
                    ));
            }
            out.push(diag);
        }
    }
}

/// The `port` numbers of a Service (empty when one is not a number).
fn service_port_numbers(service: &Object) -> Vec<i64> {
    let Some(view) = service.service() else {
        return Vec::new();
    };
    let numbers: Vec<i64> = view
        .ports
        .iter()
        .filter_map(|p| p.get("port").and_then(|n| n.as_i64()))
        .collect();
    if numbers.len() == view.ports.len() {
        numbers
    } else {
        Vec::new()
    }
}

/// `host` with its first label equal to `from` replaced by `to`.
fn replace_label(host: &str, from: &str, to: &str) -> String {
    let mut done = false;
    host.split('.')
        .map(|label| {
            if !done && label == from {
                done = true;
                to
            } else {
                label
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_service_label_only() {
        assert_eq!(
            super::replace_label("web-0.web.shop.svc", "web", "webs"),
            "web-0.webs.shop.svc"
        );
    }
}
