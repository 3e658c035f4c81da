//! KW0015: port numbers and port names the API server's validation rejects
//! (apimachinery's `IsValidPortNum` and `IsValidPortName`), which the
//! OpenAPI-derived schemas do not express: numbers outside 1-65535, container
//! port names and port references by name that are not IANA service names
//! (at most 15 characters, lower-case letters, digits and '-', at least one
//! letter), Service port names that are not DNS-1123 labels.
//!
//! `nodePort` is KW3109's (its range is the cluster's, 30000-32767 by default).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::names;
use crate::parse::Node;
use crate::rules::ports::{HandlerPort, handler_ports};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0015",
    "invalid-port",
    Yaml,
    Error,
    "A port number is outside 1-65535, or a port name breaks the Kubernetes port-name syntax"
);

pub struct Rule;

const RANGE: std::ops::RangeInclusive<i64> = 1..=65535;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !crate::model::kinds::is_builtin_group(obj.api_version()) {
            return;
        }
        if let Some(template) = obj.pod_template() {
            for container in template.containers() {
                let owner = format!(
                    "container \"{}\" in {}",
                    container.name.unwrap_or("?"),
                    obj.describe()
                );
                for port in container.node.get_seq("ports") {
                    if let Some(n) = port.get("containerPort") {
                        number(obj, n, "containerPort", &owner, false, out);
                    }
                    if let Some(n) = port.get("hostPort") {
                        number(obj, n, "hostPort", &owner, true, out);
                    }
                    if let Some(n) = port.get("name") {
                        port_name(obj, n, "port name", &owner, out);
                    }
                }
                for HandlerPort { what, action, port } in handler_ports(&container) {
                    let at = format!("{what}.{action}.port");
                    // grpc.port takes a number only: a name there is KW3103's.
                    if port.as_str().is_some() && action != "grpc" {
                        port_name(obj, port, &at, &owner, out);
                    } else {
                        number(obj, port, &at, &owner, false, out);
                    }
                }
            }
        }
        if obj.kind() == "Service"
            && obj.api_version() == "v1"
            && let Some(service) = obj.service()
        {
            let owner = obj.describe();
            for port in service.ports {
                if let Some(n) = port.get("port") {
                    number(obj, n, "port", &owner, false, out);
                }
                if let Some(target) = port.get("targetPort") {
                    match target.as_str() {
                        // Empty (or 0) means "the same as port".
                        Some("") => {}
                        Some(_) => port_name(obj, target, "targetPort", &owner, out),
                        None => number(obj, target, "targetPort", &owner, true, out),
                    }
                }
                if let Some(node) = port.get("name")
                    && let Some(name) = node.as_str()
                    && !name.is_empty()
                    && let Err(why) = names::dns1123_label(name)
                {
                    out.push(
                        finding(
                            &META,
                            obj,
                            node.span,
                            format!(
                                "Service port name \"{name}\" of {} is not valid: a DNS-1123 label {why}; the API server rejects the Service",
                                obj.describe()
                            ),
                        )
                        .with_label("invalid port name")
                        .with_help(format!(
                            "a Service port name is at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit{}",
                            suggestion(name).map(|s| format!(": \"{s}\"")).unwrap_or_default()
                        )),
                    );
                }
            }
        }
    }
}

/// A port number: 1-65535 (`zero_unset`: 0 means "not set" here).
fn number(
    obj: &Object,
    node: &Node,
    what: &str,
    owner: &str,
    zero_unset: bool,
    out: &mut Vec<Diagnostic>,
) {
    let Some(n) = node.as_i64() else {
        return;
    };
    if RANGE.contains(&n) || (zero_unset && n == 0) {
        return;
    }
    out.push(
        finding(
            &META,
            obj,
            node.span,
            format!(
                "{what} {n} of {owner} is not a port number: ports are 1-65535; the API server rejects it"
            ),
        )
        .with_label("out of range")
        .with_help("use a port number from 1 to 65535"),
    );
}

/// A container port name or a port reference by name: an IANA service name.
fn port_name(obj: &Object, node: &Node, what: &str, owner: &str, out: &mut Vec<Diagnostic>) {
    let Some(name) = node.as_str() else {
        return;
    };
    let Err(why) = names::iana_svc_name(name) else {
        return;
    };
    let help = if let Ok(n) = name.trim().parse::<i64>() {
        format!("a quoted number is a port name, not a number: remove the quotes (`{n}`)")
    } else {
        let base = "a port name is at most 15 lower-case letters, digits or '-', with at least one letter, no '--' and no '-' at either end";
        match suggestion(name).filter(|s| names::iana_svc_name(s).is_ok()) {
            Some(s) => format!("{base}: \"{s}\"; rename the port and every reference to it"),
            None => format!("{base}; rename the port and every reference to it"),
        }
    };
    out.push(
        finding(
            &META,
            obj,
            node.span,
            format!(
                "{what} \"{name}\" of {owner} is not a valid port name: it {why}; the API server rejects it"
            ),
        )
        .with_label("invalid port name")
        .with_help(help),
    );
}

/// The name lower-cased, with other characters turned into single '-'.
fn suggestion(name: &str) -> Option<String> {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    (!s.is_empty() && s != name).then_some(s)
}
