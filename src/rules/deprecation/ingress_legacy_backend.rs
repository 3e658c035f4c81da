//! KW2003: an Ingress backend written as `serviceName`/`servicePort` (the
//! extensions/v1beta1 and networking.k8s.io/v1beta1 shape) where
//! networking.k8s.io/v1 wants `service.name` and `service.port.number|name`.

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Object;
use crate::model::ingress::IngressBackend;
use crate::parse::Node;
use crate::rules::deprecation::converted_backend;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::settings::KubeVersion;

pub static META: RuleMeta = rule_meta!(
    "KW2003",
    "ingress-legacy-backend",
    Deprecation,
    Warning,
    "An Ingress backend uses serviceName/servicePort instead of service.name/service.port"
);

/// networking.k8s.io/v1 Ingress (and the new backend shape) arrived in 1.19.
const V1_INGRESS: KubeVersion = KubeVersion::new(1, 19);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let target = catalog.settings().kube_version;
        let is_v1 = obj.api_version() == "networking.k8s.io/v1";
        // Before 1.19 the old shape is the only one there is.
        if !is_v1 && target < V1_INGRESS {
            return;
        }
        for b in obj.ingress_backends().iter().filter(|b| b.legacy) {
            let Some(key) = b
                .node
                .entry("serviceName")
                .or_else(|| b.node.entry("servicePort"))
            else {
                continue;
            };
            let message = if is_v1 {
                "networking.k8s.io/v1 Ingress has no serviceName/servicePort: the API server rejects this backend; write service.name and service.port".to_string()
            } else {
                "Ingress backend uses serviceName/servicePort, the v1beta1 shape; networking.k8s.io/v1 writes service.name and service.port.number|name".to_string()
            };
            let mut diag = finding(&META, obj, key.key.span, message)
                .with_label("v1beta1 backend")
                .with_help(format!(
                    "in networking.k8s.io/v1 this reads:\n{}",
                    converted(obj, b)
                ));
            if is_v1 {
                diag.severity = Severity::Error;
                // In an older apiVersion the migration (KW2001/KW2002)
                // converts the backends with the rest.
                diag = diag.with_fix(crate::rules::deprecation::migrate::backend_fix(
                    crate::rules::fixable::source(catalog, obj),
                    obj,
                    b.node,
                ));
            }
            out.push(diag);
        }
    }
}

/// The v1 form of one backend, with its path (and a `pathType`, which v1
/// requires) when it belongs to a path, or as `defaultBackend`.
fn converted(obj: &Object, b: &IngressBackend<'_>) -> String {
    let spec = obj.root.get("spec");
    let is_default = spec
        .and_then(|s| s.get("backend"))
        .is_some_and(|n| std::ptr::eq(n, b.node));
    if is_default {
        return converted_backend(b, "defaultBackend", 2);
    }
    let path_node = spec
        .map(|s| s.get_seq("rules"))
        .into_iter()
        .flatten()
        .find_map(|rule| {
            rule.get("http")
                .map_or(&[][..], |h| h.get_seq("paths"))
                .iter()
                .find(|p| p.get("backend").is_some_and(|n| std::ptr::eq(n, b.node)))
        });
    let Some(path) = path_node else {
        return converted_backend(b, "backend", 2);
    };
    let path_text = path
        .get("path")
        .and_then(Node::scalar_text)
        .unwrap_or_else(|| "/".to_string());
    let path_type = path
        .get_str("pathType")
        .unwrap_or("ImplementationSpecific  # what v1beta1 did; or Prefix / Exact");
    format!(
        "  - path: {path_text}\n    pathType: {path_type}\n{}",
        converted_backend(b, "backend", 4)
    )
}

/// For KW2001/KW2002 on an old Ingress: the first old-shape backend,
/// converted, so the apiVersion fix comes with the body fix.
pub(crate) fn conversion_example(obj: &Object) -> Option<String> {
    if obj.kind() != "Ingress" {
        return None;
    }
    let backends = obj.ingress_backends();
    let legacy: Vec<_> = backends.iter().filter(|b| b.legacy).collect();
    let first = legacy.first()?;
    let more = match legacy.len() {
        1 => String::new(),
        n => format!(" ({} more backends likewise)", n - 1),
    };
    Some(format!(
        "networking.k8s.io/v1 backends name the Service under `service:`; the first one becomes{more}:\n{}",
        converted(obj, first)
    ))
}
