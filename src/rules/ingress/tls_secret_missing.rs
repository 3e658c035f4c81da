//! KW3204: an Ingress `tls[].secretName` names a Secret that is not in the
//! input. Informational: TLS Secrets are usually created outside git
//! (cert-manager, a vault operator, `kubectl create secret tls`). Decided
//! by `crate::resolve::object_refs::resolve_tls_secret`, which `kwire graph`
//! reads too.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::object_refs::{self, RefResolution};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest_name;

pub static META: RuleMeta = rule_meta!(
    "KW3204",
    "ingress-tls-secret-missing",
    Reference,
    Info,
    "An Ingress TLS entry names a Secret that is not in the input"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" {
            return;
        }
        let ns = obj.namespace();
        for tls in object_refs::ingress_tls_secrets(obj) {
            let (name, node) = (tls.name, tls.name_node);
            if !matches!(
                object_refs::resolve_tls_secret(catalog, obj, name),
                RefResolution::Missing
            ) {
                continue;
            }
            let mut diag = finding(
                &META,
                obj,
                node.span,
                format!(
                    "TLS Secret \"{name}\" of {} is not in the input; until it exists in namespace \"{ns}\" the controller serves these hosts with its default certificate",
                    obj.describe()
                ),
            )
            .with_label("Secret not in the input");
            let elsewhere = catalog
                .find_elsewhere("v1", "Secret", ns, name)
                .first()
                .and_then(|&i| catalog.object(i));
            let secrets: Vec<&Object> = catalog
                .in_namespace(ns)
                .filter(|o| o.kind() == "Secret" && o.api_version() == "v1")
                .collect();
            if let Some(other) = elsewhere {
                diag.message.push_str(&format!(
                    "; a Secret \"{name}\" exists in namespace \"{}\", but an Ingress only reads Secrets from its own namespace",
                    other.namespace()
                ));
                diag = diag
                    .with_related(
                        other.file,
                        other.anchor_span(),
                        "the Secret, in another namespace",
                    )
                    .with_help(format!("create the Secret in namespace \"{ns}\""));
            } else if let Some(near) = closest_name(name, secrets.iter().map(|s| s.name()))
                && let Some(secret) = secrets.iter().find(|s| s.name() == near)
            {
                diag = diag
                    .with_related(
                        secret.file,
                        secret.anchor_span(),
                        "a Secret with a similar name",
                    )
                    .with_help(format!("did you mean Secret \"{near}\"?"));
            } else {
                diag = diag.with_help(format!(
                    "if the Secret is created outside this input (cert-manager, an operator, `kubectl create secret tls {name} -n {ns}`), nothing is wrong"
                ));
            }
            out.push(diag);
        }
    }
}
