//! KW3302: a short Service name (`http://web`, `web:8080`) only resolves in
//! the referencing object's own namespace; the Service is elsewhere.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::dns::{self, Resolution};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3302",
    "dns-short-name-other-namespace",
    Reference,
    Warning,
    "A short Service name resolves only in its own namespace, but the Service is in another one"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        // A unit kwire cannot see whole may move either object.
        if crate::policy::in_open_unit(catalog, obj) {
            return;
        }
        for r in dns::references_once(obj, catalog).iter() {
            let Resolution::OtherNamespace(services) = dns::resolve_with(r, catalog, false) else {
                continue;
            };
            let Some(first) = services.first() else {
                continue;
            };
            let namespaces: Vec<String> = services
                .iter()
                .map(|s| format!("\"{}\"", s.namespace()))
                .collect();
            let port = r.port.map(|p| format!(":{p}")).unwrap_or_default();
            let mut diag = finding(
                &META,
                obj,
                r.span,
                format!(
                    "short name \"{}\" resolves only in namespace \"{}\", but Service \"{}\" is in namespace {}",
                    r.host,
                    r.from_ns,
                    r.host,
                    crate::text::join_names(&namespaces)
                ),
            )
            .with_label("resolves in this object's namespace only")
            .with_help(format!(
                "use `{}.{}.svc{port}`",
                r.host,
                first.namespace()
            ));
            for s in &services {
                diag = diag.with_related(
                    s.file,
                    s.anchor_span(),
                    format!("Service in namespace \"{}\"", s.namespace()),
                );
            }
            out.push(diag);
        }
    }
}
