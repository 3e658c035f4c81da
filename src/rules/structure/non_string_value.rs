//! KW0008: fields the API declares as strings but the YAML gives a boolean
//! or a number. Kubernetes reads YAML with YAML 1.1 rules, so `yes`, `on`,
//! `off` and `0644` are not strings: `kubectl apply` fails with "cannot
//! unmarshal bool into Go struct field EnvVar.value of type string".

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::{Node, Value};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW0008",
    "non-string-value",
    Yaml,
    Error,
    "A field that must be a string holds a boolean or a number (YAML 1.1 `yes`, `on`, `80`)"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let mut ctx = Ctx { obj, catalog, out };
        if let Some(metadata) = obj.metadata() {
            ctx.map_values(metadata.get("labels"), "label");
            ctx.map_values(metadata.get("annotations"), "annotation");
        }
        match obj.kind() {
            "ConfigMap" => {
                ctx.map_values(obj.root.get("data"), "ConfigMap data");
            }
            "Secret" => {
                ctx.map_values(obj.root.get("data"), "Secret data");
                ctx.map_values(obj.root.get("stringData"), "Secret stringData");
            }
            "Service" => {
                ctx.map_values(obj.root.path(&["spec", "selector"]), "selector");
            }
            _ => {}
        }
        if let Some(sel) = obj.workload_selector() {
            ctx.map_values(sel.node.get("matchLabels"), "selector");
        }
        if let Some(template) = obj.pod_template() {
            if obj.kind() != "Pod" {
                ctx.map_values(template.labels_node, "pod template label");
                ctx.map_values(
                    template.node.path(&["metadata", "annotations"]),
                    "pod template annotation",
                );
            }
            for container in template.containers() {
                for env in container.node.get_seq("env") {
                    if let Some(value) = env.get("value") {
                        let name = env.get_str("name").unwrap_or("?");
                        ctx.scalar(value, format_args!("env var {name} value"));
                    }
                }
                for key in ["command", "args"] {
                    for item in container.node.get_seq(key) {
                        ctx.scalar(item, format_args!("`{key}` item"));
                    }
                }
            }
        }
    }
}

struct Ctx<'r, 'c> {
    obj: &'r Object,
    catalog: &'r Catalog<'c>,
    out: &'r mut Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    fn map_values(&mut self, map: Option<&Node>, what: &str) {
        for entry in map.and_then(Node::as_map).unwrap_or(&[]) {
            let key = entry.key.as_str().unwrap_or("?");
            self.scalar(&entry.value, format_args!("{what} \"{key}\""));
        }
    }

    /// `what` is formatted only when there is a finding (this runs for every
    /// label, annotation and env value of every object).
    fn scalar(&mut self, node: &Node, what: std::fmt::Arguments<'_>) {
        let typed = match node.value {
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Int(i) => format!("the integer {i}"),
            Value::Float(_) => "a number".to_string(),
            _ => return,
        };
        let text = self.catalog.text(self.obj.file, node.span);
        let yaml11 = matches!(node.value, Value::Bool(_))
            && !matches!(text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE");
        let octal = matches!(node.value, Value::Int(_))
            && text.len() > 1
            && text.starts_with('0')
            && text.bytes().all(|b| b.is_ascii_digit());
        let why = if yaml11 {
            format!(" (Kubernetes reads YAML with 1.1 rules, where a plain `{text}` is a boolean)")
        } else if octal {
            format!(" (a plain `{text}` is an octal number in YAML 1.1)")
        } else {
            String::new()
        };
        self.out.push(
            finding(
                &META,
                self.obj,
                node.span,
                format!("{what} must be a string, but `{text}` is {typed}{why}"),
            )
            .with_label("not a string")
            .with_help(format!("quote it: \"{text}\""))
            .with_fix(quote_fix(text, node)),
        );
    }
}

/// `"yes"` for `yes`: the text as written, now a string (what the author
/// meant; the API server rejected the boolean or number).
fn quote_fix(text: &str, node: &Node) -> Option<crate::edit::Fix> {
    let plain = !text.is_empty()
        && !text.contains(['\n', '\r', '"', '\\', '#'])
        && !text.starts_with(['!', '&', '*', '\'', '|', '>']);
    if !plain {
        return None;
    }
    crate::edit::Fix::safe(
        format!("quote `{text}`"),
        vec![crate::edit::Edit::replace(node.span, format!("\"{text}\""))],
    )
}
