//! KW3303: a Service DNS reference whose port (written, or implied by
//! `http://` / `https://`) is not a port of the Service it resolves to.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::dns::{self, Form, Resolution};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3303",
    "dns-port-not-exposed",
    Reference,
    Warning,
    "A Service DNS reference uses a port the Service does not expose"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for r in dns::references_once(obj, catalog).iter() {
            if matches!(r.form, Form::Pod { .. }) {
                continue;
            }
            let Some((port, written)) = dns::effective_port(r) else {
                continue;
            };
            let Resolution::Service(service) = dns::resolve_with(r, catalog, false) else {
                continue;
            };
            let Some(view) = service.service() else {
                continue;
            };
            // Only Services whose ports are enforced: not ExternalName (a
            // CNAME), not headless (clients reach the pods' ports directly).
            let headless = service
                .root
                .path(&["spec", "clusterIP"])
                .and_then(|n| n.as_str())
                == Some("None");
            if !service.api_version().eq("v1")
                || view.service_type == "ExternalName"
                || headless
                || view.ports.is_empty()
            {
                continue;
            }
            let numbers: Vec<i64> = view
                .ports
                .iter()
                .filter_map(|p| p.get("port").and_then(|n| n.as_i64()))
                .collect();
            if numbers.len() != view.ports.len() || numbers.contains(&port) {
                continue;
            }
            let listed: Vec<String> = view
                .ports
                .iter()
                .filter_map(|p| {
                    let n = p.get("port")?.as_i64()?;
                    Some(match p.get_str("name") {
                        Some(name) => format!("{n} ({name})"),
                        None => n.to_string(),
                    })
                })
                .collect();
            let how = if written {
                String::new()
            } else {
                format!(
                    " (`{}://` without a port means {port})",
                    r.scheme.as_deref().unwrap_or("")
                )
            };
            let span = r.port_span.unwrap_or(r.span);
            let mut diag = finding(
                &META,
                obj,
                span,
                format!(
                    "\"{}\" uses port {port}{how}, but {} exposes only {}",
                    r.host,
                    service.describe(),
                    crate::text::join_names(&listed)
                ),
            )
            .with_label("not a port of the Service")
            .with_related(
                service.file,
                service
                    .root
                    .path(&["spec", "ports"])
                    .map_or(service.anchor_span(), |n| n.span),
                "the Service's ports",
            );
            if let [only] = numbers.as_slice() {
                diag = diag.with_help(format!("use `{}:{only}`", r.host));
            } else {
                diag = diag.with_help(format!(
                    "use one of the Service's ports, or add port {port} to it"
                ));
            }
            out.push(diag);
        }
    }
}
