//! KW6006: an environment variable whose name says it holds a secret
//! (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*API_KEY*`) given as a literal
//! `value` in the manifest. `valueFrom` (secretKeyRef) is the fix, and is
//! never reported. Names that describe a secret rather than hold one
//! (`TOKEN_FILE`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`) and values that are
//! not secrets (booleans, numbers, paths, `$(VAR)` references) are skipped.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Value;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6006",
    "secret-in-env-value",
    Security,
    Warning,
    "A password, token or key is written as a literal env value in the manifest instead of coming from a Secret"
);

pub struct Rule;

const MARKERS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "SECRET",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
];

/// Name parts after the marker that make the variable about a secret, not
/// the secret itself.
const NOT_THE_SECRET: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "NAME",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "REF",
    "KEY_REF",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "REQUIRED",
    "LENGTH",
    "LEN",
    "TTL",
    "EXPIRY",
    "EXPIRATION",
    "TIMEOUT",
    "LIFETIME",
    "DURATION",
    "HEADER",
    "TYPE",
    "MODE",
    "LOCATION",
    "PROVIDER",
    "ISSUER",
    "AUDIENCE",
    "SCOPE",
    "SCOPES",
    "ROTATION",
    "POLICY",
    "STORE",
    "BACKEND",
    "NAMESPACE",
    "ID",
    "USER",
    "USERNAME",
];

/// Names with a marker that are known not to hold a secret: etcd's
/// initial cluster token only tells clusters apart.
const KNOWN_NOT_SECRET: &[&str] = &["ETCD_INITIAL_CLUSTER_TOKEN", "INITIAL_CLUSTER_TOKEN"];

/// Whether `name` looks like it holds a secret.
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if !MARKERS.iter().any(|m| upper.contains(m)) || KNOWN_NOT_SECRET.contains(&upper.as_str()) {
        return false;
    }
    let last = upper.rsplit(['_', '-', '.']).next().unwrap_or(&upper);
    !NOT_THE_SECRET.contains(&last)
}

/// A value that stands for a secret to be filled in, not a secret:
/// `<Client Secret>`, `{{ .Values.token }}`, or an upper-case identifier
/// without digits (`SECRET`, `GOOGLE_API_KEY_VAL`,
/// `INSERT_ETCD_DISCOVERY_TOKEN`), the way samples mark the blank. Still
/// reported (filled in, it is a plain-text secret), with a message that
/// says so instead of claiming a credential leaks.
pub fn placeholder(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.len() >= 3
            && v.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
            && v.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Whether a literal `value` could be a secret.
pub fn secret_value(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.starts_with('/') || v.contains("$(") || v.contains("${") {
        return false;
    }
    !matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
    )
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in template.containers() {
            for var in c.node.get_seq("env") {
                let Some(name) = var.get_str("name") else {
                    continue;
                };
                let Some(node) = var.get("value") else {
                    continue;
                };
                let Value::Str(value) = &node.value else {
                    continue;
                };
                if !secret_name(name) || !secret_value(value) {
                    continue;
                }
                let message = if placeholder(value) {
                    format!(
                        "{} of {} sets {name} to the placeholder \"{}\": filled in, the secret will be a literal in the manifest, readable by anyone who can read the manifest or get the {}",
                        container_label(&c),
                        obj.describe(),
                        value.trim(),
                        obj.kind()
                    )
                } else {
                    format!(
                        "{} of {} sets {name} to a literal value in the manifest: anyone who can read the manifest or get the {} can read it, and changing it means changing the manifest",
                        container_label(&c),
                        obj.describe(),
                        obj.kind()
                    )
                };
                out.push(
                    finding(&META, obj, node.span, message)
                    .with_label("secret in plain text")
                    .with_help(format!(
                        "put it in a Secret and use `valueFrom: {{secretKeyRef: {{name: ..., key: ...}}}}` for {name}; if it is not a secret, suppress with `# kwire: ignore[KW6006]`"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{placeholder, secret_name, secret_value};

    #[test]
    fn names_and_values() {
        assert!(secret_name("DB_PASSWORD"));
        assert!(secret_name("GITHUB_TOKEN"));
        assert!(secret_name("client_secret"));
        assert!(secret_name("STRIPE_API_KEY"));
        assert!(secret_name("AWS_SECRET_ACCESS_KEY"));
        assert!(!secret_name("TOKEN_FILE"));
        assert!(!secret_name("JWT_SECRET_NAME"));
        assert!(!secret_name("PASSWORD_MIN_LENGTH"));
        assert!(!secret_name("HOSTNAME"));
        assert!(!secret_name("ETCD_INITIAL_CLUSTER_TOKEN"));
        assert!(secret_value("hunter2"));
        assert!(!secret_value(""));
        assert!(!secret_value("true"));
        assert!(!secret_value("/var/run/secrets/token"));
        assert!(!secret_value("$(DB_PASSWORD)"));
        // Placeholders of samples (found on the real corpus): reported,
        // but told apart so the message does not claim a leak.
        for p in [
            "<Client Secret>",
            "SECRET",
            "GOOGLE_API_KEY_VAL",
            "INSERT_ETCD_DISCOVERY_TOKEN",
            "{{ .Values.token }}",
        ] {
            assert!(secret_value(p) && placeholder(p), "{p}");
        }
        for real in ["admin", "minio123", "S3CR3T", "AKIAIOSFODNN7EXAMPLE", "ab"] {
            assert!(!placeholder(real), "{real}");
        }
    }
}
