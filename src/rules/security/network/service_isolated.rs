//! KW6522: a workload that calls a Service by DNS name, while every pod
//! behind the Service is isolated by NetworkPolicies none of whose rules
//! admits the caller's pods (from its namespace, with its labels).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::selector::Selector;
use crate::resolve::dns::{self, Resolution};
use crate::resolve::network_policy::{admits, any, policies_in};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6522",
    "service-isolated-from-client",
    Security,
    Warning,
    "A workload calls a Service whose pods NetworkPolicies isolate from it"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !any(catalog) {
            return;
        }
        let Some(client) = catalog.template_of(obj) else {
            return;
        };
        let client_ns = obj.namespace();
        let mut seen: Vec<*const Object> = Vec::new();
        for r in dns::references_once(obj, catalog).iter() {
            let Resolution::Service(service) = dns::resolve_with(r, catalog, false) else {
                continue;
            };
            if seen.contains(&(service as *const Object)) {
                continue;
            }
            let Some(sel_node) = service.root.path(&["spec", "selector"]) else {
                continue;
            };
            let selector = Selector::from_map(sel_node);
            if selector.is_empty() {
                continue;
            }
            let targets = crate::resolve::ports::served_templates(service, catalog, &selector);
            if targets.is_empty() {
                continue;
            }
            let policies = policies_in(catalog, service.namespace());
            // Every pod behind the Service must be shut to the client.
            let mut blocking = None;
            let mut all_blocked = true;
            for t in &targets {
                let isolating: Vec<_> = policies
                    .iter()
                    .filter(|p| p.isolates_ingress && p.selects(t))
                    .collect();
                if isolating.is_empty()
                    || isolating
                        .iter()
                        .any(|p| admits(catalog, p, client_ns, client) != Some(false))
                {
                    all_blocked = false;
                    break;
                }
                blocking.get_or_insert(isolating[0]);
            }
            let Some(policy) = blocking.filter(|_| all_blocked) else {
                continue;
            };
            // The caller, the policy and the Service's pods written to be
            // applied together: one unit (a unit that merely coexists may be
            // an alternative kwire could not tell apart, e.g. plain
            // manifests beside a kustomization of the same app).
            let same_unit = |a: &Object, b: &Object| match (catalog.unit_of(a), catalog.unit_of(b))
            {
                (Some(x), Some(y)) => std::ptr::eq(x, y),
                (None, None) => true,
                _ => false,
            };
            let target_objects = targets.iter().filter_map(|t| catalog.object(t.object));
            if !same_unit(obj, policy.obj)
                || !same_unit(obj, service)
                || target_objects.clone().any(|o| !same_unit(obj, o))
            {
                continue;
            }
            seen.push(service as *const Object);
            let whence = if client_ns == service.namespace() {
                format!(
                    "pods labelled {}",
                    crate::model::selector::describe_labels(&client.template.labels)
                )
            } else {
                format!("namespace \"{client_ns}\"")
            };
            out.push(
                finding(
                    &META,
                    obj,
                    r.span,
                    format!(
                        "{} calls Service \"{}\" (namespace {}) at {}, but NetworkPolicy \"{}\" isolates the Service's pods and no ingress rule of the policies selecting them admits traffic from {whence}: the connection times out",
                        obj.describe(),
                        service.name(),
                        service.namespace(),
                        r.host,
                        policy.obj.name(),
                    ),
                )
                .with_label("blocked by NetworkPolicy")
                .with_related(policy.obj.file, policy.obj.anchor_span(), "the isolating policy")
                .with_related(service.file, service.anchor_span(), "the Service")
                .with_help(format!(
                    "add an ingress rule to NetworkPolicy \"{}\" whose `from` admits {} (namespaceSelector and podSelector)",
                    policy.obj.name(),
                    obj.describe_short()
                )),
            );
        }
    }
}
