//! KW5015 (opt-in): a container behind a Service without a readiness probe. The
//! Services come from the resolution layer (`resolve::services`); the
//! containers judged are those a Service port targets (by number or name),
//! or every running container when a numeric target is declared by none.
//! A Service with `publishNotReadyAddresses: true` ignores readiness, so it
//! does not count.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::ports::{PortRef, ServicePort, port_ref, running_containers};
use crate::resolve::services::services_serving;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5015",
    "readiness-probe-missing",
    Practice,
    Warning,
    "A container that a Service sends traffic to has no readiness probe (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        let running: Vec<_> = running_containers(&template).collect();
        if running
            .iter()
            .all(|c| c.node.get("readinessProbe").is_some())
        {
            return;
        }
        let services: Vec<&Object> = services_serving(catalog, obj)
            .into_iter()
            .filter(|s| {
                s.root
                    .path(&["spec", "publishNotReadyAddresses"])
                    .and_then(|n| n.as_bool())
                    != Some(true)
            })
            .collect();
        let Some(first) = services.first() else {
            return;
        };
        // Which running containers each Service port reaches.
        let mut served = vec![false; running.len()];
        for service in &services {
            let ports = service.service().map_or(&[][..], |v| v.ports);
            for sp in ServicePort::all(ports) {
                let target = match sp.target.and_then(port_ref) {
                    Some(PortRef::Name(name)) => PortRef::Name(name),
                    _ => match sp.numeric_target() {
                        Some((n, _, _)) => PortRef::Number(n),
                        None => continue,
                    },
                };
                let declares = |i: usize| {
                    running
                        .get(i)
                        .is_some_and(|c| c.ports().any(|p| target.matches(&p)))
                };
                let declared_by_any = (0..running.len()).any(declares);
                for (i, flag) in served.iter_mut().enumerate() {
                    if declares(i) || (!declared_by_any && matches!(target, PortRef::Number(_))) {
                        *flag = true;
                    }
                }
            }
        }
        for (c, _) in running.iter().zip(&served).filter(|(_, s)| **s) {
            if c.node.get("readinessProbe").is_some() {
                continue;
            }
            let span = c.node.get("name").map_or(c.node.span, |n| n.span);
            let names: Vec<String> = services
                .iter()
                .map(|s| format!("\"{}\"", s.name()))
                .collect();
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} has no readiness probe, yet Service {} sends it traffic: a pod joins the endpoints as soon as the container starts, before it can answer, and stays there when it stops answering",
                        container_label(c),
                        obj.describe(),
                        names.join(", ")
                    ),
                )
                .with_label("no readiness probe")
                .with_related(first.file, first.anchor_span(), "the Service selecting these pods")
                .with_help("add a `readinessProbe` (an `httpGet` on a health path, or a `tcpSocket` on the served port)"),
            );
        }
    }
}
