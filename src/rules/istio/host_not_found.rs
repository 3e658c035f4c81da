//! KW4001: a VirtualService destination or a DestinationRule names a host
//! that is neither a Service nor a ServiceEntry host, as Istio resolves it.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{HostRef, Missing, Target, destinations, is_kind, is_short, service_of};
use crate::rules::istio::{evidently_missing, list, service_names, suggest};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4001",
    "istio-host-not-found",
    Istio,
    Warning,
    "A VirtualService destination or DestinationRule host is no Service or ServiceEntry host, as Istio resolves it"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let hosts: Vec<(HostRef<'_>, &str)> = if is_kind(obj, "VirtualService") {
            destinations(obj)
                .into_iter()
                .filter_map(|d| {
                    let what = if d.protocol == "mirror" {
                        "mirror host"
                    } else {
                        "destination host"
                    };
                    Some((d.host?, what))
                })
                .collect()
        } else if is_kind(obj, "DestinationRule") {
            obj.root
                .path(&["spec", "host"])
                .and_then(|n| {
                    Some(HostRef {
                        host: n.as_str()?,
                        span: n.span,
                    })
                })
                .map(|h| vec![(h, "host")])
                .unwrap_or_default()
        } else {
            return;
        };
        let index = catalog.istio();
        let ns = obj.namespace();
        for (host, what) in hosts {
            // A VirtualService is used by the namespaces it is exported to:
            // its destinations must be visible there.
            let target = if is_kind(obj, "VirtualService") {
                index.resolve_destination(host.host, obj, catalog)
            } else {
                index.resolve(host.host, ns, catalog)
            };
            if let Target::Missing(missing) = target
                && (missing.confident || evidently_missing(catalog, obj, &missing.fqdn))
            {
                out.push(report(catalog, obj, host, what, &missing));
            }
        }
    }
}

fn report(
    catalog: &Catalog<'_>,
    obj: &Object,
    host: HostRef<'_>,
    what: &str,
    missing: &Missing<'_>,
) -> Diagnostic {
    let ns = obj.namespace();
    let h = host.host;
    let fqdn = &missing.fqdn;
    let read_as = if is_short(h) {
        format!(" (a short name: Istio reads it in the rule's namespace as {fqdn})")
    } else {
        String::new()
    };
    let mut diag = finding(
        &META,
        obj,
        host.span,
        format!(
            "{} {what} \"{h}\"{read_as} matches no Service or ServiceEntry host; {}",
            obj.describe(),
            if what == "host" {
                "the DestinationRule applies to nothing"
            } else {
                "traffic to it fails (503)"
            }
        ),
    )
    .with_label("unknown host");
    if let Some(hidden) = missing.hidden {
        let viewer = missing.hidden_from.as_str();
        let used_by = if viewer == ns {
            String::new()
        } else {
            format!(" (the VirtualService is exported to namespace \"{viewer}\")")
        };
        let ns = viewer;
        let (field, fix) = if hidden.kind() == "Service" {
            (
                "networking.istio.io/exportTo annotation",
                format!("add \"{ns}\" to the Service's networking.istio.io/exportTo annotation"),
            )
        } else {
            (
                "spec.exportTo",
                format!("add \"{ns}\" to spec.exportTo of the {}", hidden.kind()),
            )
        };
        diag.message = format!(
            "{} {what} \"{h}\" names {}, whose {field} hides it from namespace \"{ns}\"{used_by}",
            obj.describe(),
            hidden.describe()
        );
        return diag
            .with_related(
                hidden.file,
                hidden.anchor_span(),
                "not exported to the rule's namespace",
            )
            .with_help(if used_by.is_empty() {
                format!(
                    "{fix}, or move the rule to namespace \"{}\"",
                    hidden.namespace()
                )
            } else {
                format!("{fix}, or do not export the VirtualService to \"{ns}\"")
            });
    }
    match missing.meant {
        Some(svc) if missing.dns_style => {
            let want = format!("{}.{}.svc.cluster.local", svc.name(), svc.namespace());
            diag.message = format!(
                "{} {what} \"{h}\" is not a registry name: Istio takes a name with dots literally, so it does not mean {}; a pod's DNS search path would resolve it, Istio's registry does not",
                obj.describe(),
                svc.describe()
            );
            diag.with_related(svc.file, svc.anchor_span(), "the Service meant")
                .with_help(format!("write the FQDN: `host: {want}`"))
        }
        Some(svc) => {
            let want = format!("{}.{}.svc.cluster.local", svc.name(), svc.namespace());
            diag.message.push_str(&format!(
                "; a Service \"{}\" exists in namespace \"{}\"",
                svc.name(),
                svc.namespace()
            ));
            diag.with_related(svc.file, svc.anchor_span(), "Service with that name in another namespace")
                .with_help(format!(
                    "short names resolve in the rule's namespace (\"{ns}\"), not the Service's: write `host: {want}`"
                ))
        }
        None => {
            let svc_ns = service_of(fqdn).map_or(ns, |(_, n)| n);
            let wanted = service_of(fqdn).map_or(h, |(name, _)| name);
            diag.with_help(match suggest(wanted, &service_names(catalog, svc_ns)) {
                Some(s) => format!("did you mean `{s}`? (a Service in namespace \"{svc_ns}\")"),
                None => format!(
                    "define a Service or a ServiceEntry for {fqdn}, or fix the host; Services in namespace \"{svc_ns}\": {}",
                    list(&service_names(catalog, svc_ns))
                ),
            })
        }
    }
}
