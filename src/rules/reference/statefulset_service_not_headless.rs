//! KW3407: a StatefulSet's governing Service is not headless.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::statefulset_service::{Governing, governing, is_headless};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3407",
    "statefulset-service-not-headless",
    Reference,
    Warning,
    "A StatefulSet's governing Service is not headless (clusterIP: None)"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Governing::Found { name_node, service } = governing(obj, catalog) else {
            return;
        };
        // A Service defined apart from the StatefulSet may belong to another
        // install mode of the same application: only judge the pair when
        // they are written together.
        if is_headless(service)
            || !crate::resolve::scope::same_directory(catalog, obj.file, service.file)
        {
            return;
        }
        let Some(view) = service.service() else {
            return;
        };
        let ns = obj.namespace();
        let what = match service
            .root
            .path(&["spec", "clusterIP"])
            .and_then(|n| n.as_str())
        {
            Some(ip) => format!("has clusterIP {ip}"),
            None => format!("is a {} Service", view.service_type),
        };
        let span = service
            .root
            .path(&["spec", "clusterIP"])
            .or_else(|| service.root.get("spec"))
            .map_or(service.anchor_span(), |n| n.span);
        out.push(
            finding(
                &META,
                obj,
                name_node.span,
                format!(
                    "governing Service \"{}\" of {} {what}, not `clusterIP: None`; the pods get no stable DNS names ({}-0.{}.{ns}.svc)",
                    service.name(),
                    obj.describe(),
                    obj.name(),
                    service.name()
                ),
            )
            .with_label("governing Service")
            .with_related(service.file, span, "not headless")
            .with_help(format!(
                "set `clusterIP: None` on Service \"{}\" (clusterIP is immutable: recreate it), or add a separate headless Service and name it here",
                service.name()
            )),
        );
    }
}
