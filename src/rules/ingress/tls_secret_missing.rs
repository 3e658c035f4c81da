//! KW3204: an Ingress `tls[].secretName` names a Secret that is not in the
//! input. Informational: TLS Secrets are usually created outside git
//! (cert-manager, a vault operator, `kubectl create secret tls`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::closest_name;

pub static META: RuleMeta = rule_meta!(
    "KW3204",
    "ingress-tls-secret-missing",
    Reference,
    Info,
    "An Ingress TLS entry names a Secret that is not in the input"
);

/// Annotations that make cert-manager (ingress-shim) create the Secret.
const CERT_MANAGER_ANNOTATIONS: &[&str] = &[
    "cert-manager.io/cluster-issuer",
    "cert-manager.io/issuer",
    "kubernetes.io/tls-acme",
];

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" {
            return;
        }
        if CERT_MANAGER_ANNOTATIONS
            .iter()
            .any(|a| obj.annotation(a).is_some())
        {
            return;
        }
        let ns = obj.namespace();
        let Some(tls) = obj.root.path(&["spec", "tls"]).and_then(|n| n.as_seq()) else {
            return;
        };
        for entry in tls {
            let Some(node) = entry.get("secretName") else {
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            if !catalog.find("v1", "Secret", ns, name).is_empty()
                || catalog.assumed("Secret", ns, name)
                || issued_by_certificate(catalog, ns, name)
            {
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

/// A cert-manager Certificate in the namespace writes the Secret.
fn issued_by_certificate(catalog: &Catalog<'_>, ns: &str, name: &str) -> bool {
    catalog.in_namespace(ns).any(|o| {
        o.kind() == "Certificate"
            && o.root
                .path(&["spec", "secretName"])
                .and_then(|n| n.as_str())
                == Some(name)
    })
}
