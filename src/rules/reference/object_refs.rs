//! References from a pod spec to objects of its namespace (KW3401–KW3405):
//! the ServiceAccount, ConfigMaps, Secrets and PersistentVolumeClaims a pod
//! needs before it can start.

use crate::catalog::Catalog;
use crate::model::Object;
pub use crate::resolve::object_refs::{ObjRef, explicit_namespace, pod_references, targets};
use crate::text::{edit_distance_with_swaps, typo_budget};

/// The shared check of KW3401–KW3404: every reference of `obj`'s pods to an
/// object of `kind` that does not resolve and that `crate::policy` says to
/// report.
pub fn check_missing(
    meta: &'static crate::rules::RuleMeta,
    kind: &'static str,
    obj: &Object,
    catalog: &Catalog<'_>,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let ns = obj.namespace();
    for r in pod_references(obj) {
        if r.kind != kind
            || !matches!(
                crate::resolve::object_refs::resolve(catalog, obj, &r),
                crate::resolve::object_refs::RefResolution::Missing
            )
        {
            continue;
        }
        let consequence = match kind {
            "ServiceAccount" => "the API server rejects its pods",
            "PersistentVolumeClaim" => "its pods stay Pending",
            _ => "its pods cannot start (CreateContainerConfigError / stuck in ContainerCreating)",
        };
        let mut diag = crate::rules::finding(
            meta,
            obj,
            r.name_node.span,
            format!(
                "{} uses {kind} \"{}\" ({}), which namespace \"{ns}\" does not define; {consequence}",
                obj.describe(),
                r.name,
                r.via
            ),
        )
        .with_label(format!("no {kind} of this name"));
        let elsewhere: Vec<&Object> = catalog
            .named(kind, r.name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .filter(|o| explicit_namespace(o))
            .collect();
        let existing: Vec<&Object> = catalog
            .in_namespace(ns)
            .filter(|o| o.kind() == kind)
            .collect();
        let closest = existing
            .iter()
            .map(|o| (edit_distance_with_swaps(o.name(), r.name), *o))
            .filter(|(d, o)| *d > 0 && *d <= typo_budget(o.name().len().max(r.name.len())))
            .min_by_key(|(d, _)| *d);
        if let Some((_, near)) = closest {
            diag = diag
                .with_related(
                    near.file,
                    near.anchor_span(),
                    format!("{kind} spelled alike"),
                )
                .with_help(crate::policy::missing_help(
                    kind,
                    ns,
                    r.name,
                    Some(near.name()),
                ));
        } else if let Some(other) = elsewhere.first() {
            diag = diag
                .with_related(
                    other.file,
                    other.anchor_span(),
                    format!("{kind} of that name in namespace \"{}\"", other.namespace()),
                )
                .with_help(format!(
                    "a pod only sees {kind}s of its own namespace: define \"{}\" in namespace \"{ns}\" too",
                    r.name
                ));
        } else {
            // No name spelled alike: point at what the namespace has.
            let names: Vec<String> = existing
                .iter()
                .take(5)
                .map(|o| format!("\"{}\"", o.name()))
                .collect();
            if let Some(first) = existing.first() {
                diag = diag.with_related(
                    first.file,
                    first.anchor_span(),
                    format!(
                        "{kind}s of namespace \"{ns}\": {}",
                        crate::text::join_names(&names)
                    ),
                );
            }
            diag = diag.with_help(crate::policy::missing_help(kind, ns, r.name, None));
        }
        out.push(diag);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn implicit_objects() {
        assert!(crate::policy::builtin("ServiceAccount", "shop", "default"));
        assert!(crate::policy::builtin(
            "ConfigMap",
            "shop",
            "kube-root-ca.crt"
        ));
        assert!(!crate::policy::builtin("Secret", "shop", "default"));
    }
}
