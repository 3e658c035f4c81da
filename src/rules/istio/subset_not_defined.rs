//! KW4002: a VirtualService destination names a subset that no
//! DestinationRule for its host defines (or no DestinationRule exists).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{Target, destinations, fqdn, is_kind, is_wildcard, service_of};
use crate::parse::Node;
use crate::rules::istio::{list, suggest};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4002",
    "istio-subset-not-defined",
    Istio,
    Error,
    "A VirtualService routes to a subset that no DestinationRule for the host defines"
);

pub struct Rule;

/// Subset names a DestinationRule defines.
pub fn subset_names(dr: &Object) -> Vec<String> {
    dr.root
        .path(&["spec", "subsets"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|s| s.get_str("name").map(str::to_string))
        .collect()
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let index = catalog.istio();
        let ns = obj.namespace();
        for d in destinations(obj) {
            let (Some(host), Some(subset_node)) = (d.host, d.subset) else {
                continue;
            };
            let Some(subset) = subset_node.as_str() else {
                continue;
            };
            if is_wildcard(host.host) {
                continue;
            }
            // A host that is itself the mistake (KW4001 names the Service
            // meant): fixing it fixes the subset lookup too.
            if let Target::Missing(m) = index.resolve_destination(host.host, obj, catalog)
                && m.confident
            {
                continue;
            }
            let name = fqdn(host.host, ns);
            let rules = index.destination_rules_for(&name, ns);
            let Some(first) = rules.first() else {
                // Evidence that the DestinationRules of this namespace are in
                // the input: it holds one for the VirtualService's namespace or
                // the host's. Otherwise they are applied from elsewhere.
                let host_ns = service_of(&name).map(|(_, n)| n);
                let kept_here = index
                    .all_destination_rules()
                    .iter()
                    .any(|(_, dr)| dr.namespace() == ns || Some(dr.namespace()) == host_ns);
                if !kept_here {
                    continue;
                }
                let mut diag = finding(
                    &META,
                    obj,
                    subset_node.span,
                    format!(
                        "{} routes to subset \"{subset}\" of {name}, but no DestinationRule for {name} exists, so no subset does; Istio answers 503 (no healthy upstream)",
                        obj.describe()
                    ),
                )
                .with_label("undefined subset");
                // A rule for the same name written in another namespace's terms?
                let near = index
                    .all_destination_rules()
                    .iter()
                    .find(|(h, dr)| {
                        h.split('.').next() == name.split('.').next()
                            && subset_names(dr).iter().any(|s| s == subset)
                    })
                    .map(|(h, dr)| (h.clone(), *dr));
                diag = match near {
                    Some((h, dr)) => diag
                        .with_related(dr.file, dr.anchor_span(), format!("defines subset \"{subset}\" for {h}"))
                        .with_help(format!(
                            "{} is for {h}, not {name}: make the hosts agree (an FQDN on both sides avoids the namespace trap)",
                            dr.describe()
                        )),
                    None => diag.with_help(format!(
                        "add a DestinationRule with `host: {}` and a subset `{{name: {subset}, labels: {{...}}}}`, or drop `subset`",
                        host.host
                    )),
                };
                out.push(diag);
                continue;
            };
            let mut defined: Vec<String> = rules.iter().flat_map(|dr| subset_names(dr)).collect();
            defined.sort();
            defined.dedup();
            if defined.iter().any(|s| s == subset) {
                continue;
            }
            let mut diag = finding(
                &META,
                obj,
                subset_node.span,
                format!(
                    "{} routes to subset \"{subset}\" of {name}, which {} does not define (subsets: {}); Istio answers 503 (no healthy upstream)",
                    obj.describe(),
                    first.describe(),
                    list(&defined)
                ),
            )
            .with_label("undefined subset")
            .with_related(first.file, first.anchor_span(), "the DestinationRule for the host");
            diag = match suggest(subset, &defined) {
                Some(s) => {
                    // Unsafe: the one defined subset that close.
                    let fix = crate::rules::fixable::only_close(
                        subset,
                        s,
                        defined.iter().map(String::as_str),
                    )
                    .then(|| {
                        crate::edit::Fix::unsafe_(
                            format!("write subset: {s}"),
                            crate::rules::fixable::source(catalog, obj)
                                .replace_scalar(subset_node, s)
                                .into_iter()
                                .collect(),
                        )
                    })
                    .flatten();
                    diag.with_help(format!("did you mean `subset: {s}`?"))
                        .with_fix(fix)
                }
                None => diag.with_help(format!(
                    "add `- name: {subset}` with the pod labels of that version to the subsets of {}",
                    first.describe()
                )),
            };
            out.push(diag);
        }
    }
}
