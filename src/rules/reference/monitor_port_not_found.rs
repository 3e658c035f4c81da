//! KW3409: a ServiceMonitor endpoint `port` that no selected Service names,
//! a `targetPort` name no selected pod declares, or a PodMonitor `port`
//! that no selected pod template names.

use crate::catalog::{Catalog, TemplateEntry};
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::resolve::monitors;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;
use crate::text::{edit_distance_with_swaps, join_names};

pub static META: RuleMeta = rule_meta!(
    "KW3409",
    "monitor-port-not-found",
    Reference,
    Warning,
    "A ServiceMonitor or PodMonitor endpoint names a port the selected Services or pods do not have"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(m) = monitors::monitor(obj) else {
            return;
        };
        if m.selector.invalid {
            return;
        }
        if m.pods {
            let templates = monitors::templates_matching(catalog, &m.selector, &m.namespaces);
            let Some(first) = templates.first() else {
                return;
            };
            let Some(owner) = catalog.object(first.object) else {
                return;
            };
            let names = container_port_names(&templates);
            for endpoint in m.endpoints {
                check_name(
                    obj,
                    endpoint.get("port"),
                    &names,
                    "named containerPort",
                    &format!("the {} pod templates it selects", templates.len()),
                    (owner, first.template.node.span),
                    out,
                );
            }
            return;
        }
        let services: Vec<&Object> =
            monitors::services_matching(catalog, &m.selector, &m.namespaces)
                .into_iter()
                .filter(|s| m.namespaces.covers(s.namespace()))
                .collect();
        let Some(first) = services.first() else {
            return;
        };
        let port_names: Vec<&str> = services
            .iter()
            .filter_map(|s| s.service())
            .flat_map(|v| v.ports.iter().filter_map(|p| p.get_str("name")))
            .collect();
        let ports_span = first
            .root
            .path(&["spec", "ports"])
            .map_or(first.anchor_span(), |n| n.span);
        // Pods behind the selected Services, for `targetPort` names.
        let mut templates = Vec::new();
        for s in &services {
            if let Some(sel) = s.service().and_then(|v| v.selector()) {
                templates.extend(catalog.templates_matching(s.namespace(), &sel));
            }
        }
        let container_names = container_port_names(&templates);
        for endpoint in m.endpoints {
            check_name(
                obj,
                endpoint.get("port"),
                &port_names,
                "named port",
                &format!("the {} Services it selects", services.len()),
                (first, ports_span),
                out,
            );
            if let (Some(t), Some(owner)) = (
                templates.first(),
                templates.first().and_then(|t| catalog.object(t.object)),
            ) {
                check_name(
                    obj,
                    endpoint.get("targetPort"),
                    &container_names,
                    "named containerPort",
                    "the pods behind the Services it selects",
                    (owner, t.template.node.span),
                    out,
                );
            }
        }
    }
}

/// The named container ports of the templates, in order (duplicates kept).
fn container_port_names<'a>(templates: &[&TemplateEntry<'a>]) -> Vec<&'a str> {
    templates
        .iter()
        .flat_map(|e| e.template.containers())
        .flat_map(|c| c.ports().filter_map(|p| p.name).collect::<Vec<_>>())
        .collect()
}

/// Reports a port name (a string; numbers are not checked) missing from
/// `names`.
fn check_name(
    obj: &Object,
    node: Option<&Node>,
    names: &[&str],
    what: &str,
    among: &str,
    related: (&Object, Span),
    out: &mut Vec<Diagnostic>,
) {
    let Some(node) = node else {
        return;
    };
    let Some(port) = node.as_str() else {
        return;
    };
    if names.contains(&port) {
        return;
    }
    let mut unique: Vec<&str> = names.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let listed: Vec<String> = unique.iter().map(|n| format!("\"{n}\"")).collect();
    let help = match unique
        .iter()
        .map(|n| (edit_distance_with_swaps(n, port), *n))
        .filter(|(d, n)| *d <= (n.len().max(port.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
    {
        Some((_, near)) => format!("did you mean \"{near}\"?"),
        None if unique.is_empty() => format!("name the port \"{port}\" there, or use its number"),
        None => format!("use one of {}", join_names(&listed)),
    };
    let (owner, span) = related;
    out.push(
        finding(
            &META,
            obj,
            node.span,
            format!(
                "{} scrapes port \"{port}\", but no {what} of {among} has that name; Prometheus gets no targets from this endpoint",
                obj.describe()
            ),
        )
        .with_label("no such port")
        .with_related(owner.file, span, format!("ports of {}", owner.describe()))
        .with_help(help),
    );
}
