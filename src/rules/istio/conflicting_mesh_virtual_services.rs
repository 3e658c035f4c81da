//! KW4010: two VirtualServices bound to the mesh claim the same host.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::{binds_mesh, fqdn, host_list, is_kind, visible_from};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4010",
    "istio-conflicting-mesh-virtual-services",
    Istio,
    Warning,
    "Two VirtualServices bound to the mesh define routes for the same host"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") || !binds_mesh(obj) {
            return;
        }
        let index = catalog.istio();
        let ns = obj.namespace();
        for host in host_list(obj.root.path(&["spec", "hosts"])) {
            let name = fqdn(host.host, ns);
            // Report on the later one; same-named objects of one namespace
            // are one object written twice (alternative files).
            let first = index
                .mesh_virtual_services_for(&name)
                .iter()
                .filter(|o| !(o.namespace() == ns && o.name() == obj.name()))
                .filter(|o| (o.file, o.doc_index) < (obj.file, obj.doc_index))
                .filter(|o| visible_from(o, ns) || visible_from(obj, o.namespace()))
                .min_by_key(|o| (o.file, o.doc_index));
            let Some(first) = first else {
                continue;
            };
            out.push(
                finding(
                    &META,
                    obj,
                    host.span,
                    format!(
                        "{} and {} both route {name} for the mesh; sidecars use only one of them, and which one is not defined",
                        obj.describe(),
                        first.describe()
                    ),
                )
                .with_label("host already routed")
                .with_related(first.file, first.anchor_span(), "the other VirtualService for the host")
                .with_help(format!(
                    "merge the routes into {} (one VirtualService per host for the mesh), or use `delegate`",
                    first.describe()
                )),
            );
        }
    }
}
