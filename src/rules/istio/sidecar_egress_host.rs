//! KW4017: a Sidecar `egress[].hosts` entry names a namespace or a host that
//! the input shows was meant differently.

use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{Target, is_kind, is_wildcard, service_of};
use crate::parse::Node;
use crate::rules::istio::{evidently_missing, list, service_names, suggest};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4017",
    "istio-sidecar-egress-host-not-found",
    Istio,
    Warning,
    "A Sidecar egress host names a namespace or Service that does not exist"
);

pub struct Rule;

/// Namespaces of the input: of every namespaced object and every Namespace.
fn namespaces<'c>(catalog: &Catalog<'c>) -> BTreeSet<&'c str> {
    let mut set: BTreeSet<&str> = catalog.objects.iter().map(|o| o.namespace()).collect();
    set.extend(catalog.of_kind("Namespace").map(Object::name));
    set.remove("");
    set
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "Sidecar") {
            return;
        }
        let sidecar_ns = obj.namespace();
        let egress = obj
            .root
            .path(&["spec", "egress"])
            .and_then(Node::as_seq)
            .unwrap_or(&[]);
        let mut known: Option<BTreeSet<&str>> = None;
        for (i, listener) in egress.iter().enumerate() {
            for (j, entry) in listener.get_seq("hosts").iter().enumerate() {
                let Some(text) = entry.as_str() else { continue };
                let Some((ns_part, host)) = text.split_once('/') else {
                    continue;
                };
                let at = format!("egress[{i}].hosts[{j}]");
                let target_ns = match ns_part {
                    "*" | "~" => None,
                    "." => Some(sidecar_ns),
                    ns => Some(ns),
                };
                // A namespace that exists nowhere, spelled like one that does.
                if let Some(ns) = target_ns.filter(|_| ns_part != ".") {
                    let known = known.get_or_insert_with(|| namespaces(catalog));
                    if !known.contains(ns)
                        && let Some(meant) = crate::text::closest_name(ns, known.iter().copied())
                    {
                        out.push(
                                finding(
                                    &META,
                                    obj,
                                    entry.span,
                                    format!(
                                        "{}: {at} imports from namespace \"{ns}\", which nothing in the input uses; namespace \"{meant}\" does",
                                        obj.describe()
                                    ),
                                )
                                .with_label("unknown namespace")
                                .with_help(format!("did you mean `{meant}/{host}`?")),
                            );
                        continue;
                    }
                }
                if is_wildcard(host) || !host.contains('.') {
                    continue;
                }
                let index = catalog.istio();
                // A Service FQDN of another namespace than the one imported from.
                if let (Some(ns), Some((name, svc_ns))) = (target_ns, service_of(host))
                    && ns != svc_ns
                    && let Some(svc) = index
                        .services_named(name)
                        .iter()
                        .find(|s| s.namespace() == svc_ns)
                {
                    out.push(
                        finding(
                            &META,
                            obj,
                            entry.span,
                            format!(
                                "{}: {at} imports {host} from namespace \"{ns}\", but that host is {}; the entry imports nothing",
                                obj.describe(),
                                svc.describe()
                            ),
                        )
                        .with_label("host of another namespace")
                        .with_related(svc.file, svc.anchor_span(), "the Service")
                        .with_help(format!("write `{svc_ns}/{host}` (or `*/{host}`)")),
                    );
                    continue;
                }
                if let Target::Missing(missing) = index.resolve(host, sidecar_ns, catalog)
                    && service_of(&missing.fqdn).is_some()
                    && (missing.confident || evidently_missing(catalog, obj, &missing.fqdn))
                {
                    let (name, svc_ns) = service_of(&missing.fqdn).unwrap_or((host, sidecar_ns));
                    let names = service_names(catalog, svc_ns);
                    let help = match (missing.meant, suggest(name, &names)) {
                        (Some(svc), _) => format!(
                            "write `{ns_part}/{}.{}.svc.cluster.local`",
                            svc.name(),
                            svc.namespace()
                        ),
                        (None, Some(s)) => {
                            format!("did you mean `{ns_part}/{s}.{svc_ns}.svc.cluster.local`?")
                        }
                        (None, None) => format!(
                            "fix the host; Services in namespace \"{svc_ns}\": {}",
                            list(&names)
                        ),
                    };
                    out.push(
                        finding(
                            &META,
                            obj,
                            entry.span,
                            format!(
                                "{}: {at} imports {host}, which matches no Service or ServiceEntry; the sidecars get no route to it",
                                obj.describe()
                            ),
                        )
                        .with_label("unknown host")
                        .with_help(help),
                    );
                }
            }
        }
    }
}
