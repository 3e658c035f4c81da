//! References from a pod spec to objects of its namespace (KW3401–KW3405):
//! the ServiceAccount, ConfigMaps, Secrets and PersistentVolumeClaims a pod
//! needs before it can start.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;
use crate::text::{edit_distance_with_swaps, typo_budget};

/// One reference by name to an object in the pod's namespace.
#[derive(Debug)]
pub struct ObjRef<'a> {
    /// `ServiceAccount`, `ConfigMap`, `Secret`, `PersistentVolumeClaim`.
    pub kind: &'static str,
    pub name: &'a str,
    /// The name's scalar, where findings point.
    pub name_node: &'a Node,
    /// `optional: true`: the pod starts without it.
    pub optional: bool,
    /// Keys the reference needs in the object (`configMapKeyRef.key`,
    /// volume `items[].key`), with their scalars.
    pub keys: Vec<(&'a str, &'a Node)>,
    /// The field that makes the reference, for messages.
    pub via: &'static str,
}

/// Every object reference of `obj`'s pod template.
pub fn pod_references(obj: &Object) -> Vec<ObjRef<'_>> {
    let mut out = Vec::new();
    let Some(template) = obj.pod_template() else {
        return out;
    };
    let Some(spec) = template.spec else {
        return out;
    };
    for key in ["serviceAccountName", "serviceAccount"] {
        if let Some(node) = spec.get(key)
            && let Some(name) = node.as_str()
            && !name.is_empty()
        {
            out.push(ObjRef {
                kind: "ServiceAccount",
                name,
                name_node: node,
                optional: false,
                keys: Vec::new(),
                via: "serviceAccountName",
            });
            // Both set: the API server uses serviceAccountName.
            break;
        }
    }
    let containers = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .flat_map(|k| spec.get_seq(k));
    for container in containers {
        for env in container.get_seq("env") {
            let Some(from) = env.get("valueFrom") else {
                continue;
            };
            for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
                if let Some(r) = from.get(field) {
                    push_named(&mut out, r, "name", kind, field, |r| {
                        r.get("key")
                            .and_then(|k| k.as_str().map(|s| (s, k)))
                            .into_iter()
                            .collect()
                    });
                }
            }
        }
        for source in container.get_seq("envFrom") {
            for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                if let Some(r) = source.get(field) {
                    push_named(&mut out, r, "name", kind, field, |_| Vec::new());
                }
            }
        }
    }
    // A StatefulSet's claim templates replace pod volumes of the same name.
    let claim_templates: Vec<&str> = if obj.kind() == "StatefulSet" {
        obj.root
            .path(&["spec", "volumeClaimTemplates"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|t| t.path(&["metadata", "name"]).and_then(Node::as_str))
            .collect()
    } else {
        Vec::new()
    };
    for volume in spec.get_seq("volumes") {
        if volume
            .get_str("name")
            .is_some_and(|n| claim_templates.contains(&n))
        {
            continue;
        }
        if let Some(v) = volume.get("configMap") {
            push_named(
                &mut out,
                v,
                "name",
                "ConfigMap",
                "volume configMap",
                item_keys,
            );
        }
        if let Some(v) = volume.get("secret") {
            push_named(
                &mut out,
                v,
                "secretName",
                "Secret",
                "volume secret",
                item_keys,
            );
        }
        if let Some(v) = volume.get("persistentVolumeClaim") {
            push_named(
                &mut out,
                v,
                "claimName",
                "PersistentVolumeClaim",
                "volume persistentVolumeClaim",
                |_| Vec::new(),
            );
        }
        if let Some(projected) = volume.get("projected") {
            for source in projected.get_seq("sources") {
                if let Some(v) = source.get("configMap") {
                    push_named(
                        &mut out,
                        v,
                        "name",
                        "ConfigMap",
                        "projected configMap",
                        item_keys,
                    );
                }
                if let Some(v) = source.get("secret") {
                    push_named(&mut out, v, "name", "Secret", "projected secret", item_keys);
                }
            }
        }
    }
    out
}

fn item_keys(source: &Node) -> Vec<(&str, &Node)> {
    source
        .get_seq("items")
        .iter()
        .filter_map(|item| {
            let k = item.get("key")?;
            Some((k.as_str()?, k))
        })
        .collect()
}

fn push_named<'a>(
    out: &mut Vec<ObjRef<'a>>,
    node: &'a Node,
    name_key: &str,
    kind: &'static str,
    via: &'static str,
    keys: impl Fn(&'a Node) -> Vec<(&'a str, &'a Node)>,
) {
    let Some(name_node) = node.get(name_key) else {
        return;
    };
    let Some(name) = name_node.as_str().filter(|n| !n.is_empty()) else {
        return;
    };
    out.push(ObjRef {
        kind,
        name,
        name_node,
        optional: node.get("optional").and_then(Node::as_bool) == Some(true),
        keys: keys(node),
        via,
    });
}

/// Does the object set `metadata.namespace`? One that does not is applied
/// to whatever namespace `kubectl -n` names, so "it is in another
/// namespace" is no evidence against it.
pub fn explicit_namespace(obj: &Object) -> bool {
    obj.metadata()
        .and_then(|m| m.get_str("namespace"))
        .is_some()
}

/// The objects of `kind` named `name` in `namespace`, including Secrets that
/// other objects of the input create (SealedSecret, ExternalSecret,
/// cert-manager Certificate).
pub fn targets<'a>(
    catalog: &Catalog<'a>,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Vec<&'a Object> {
    catalog
        .named(kind, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .filter(|o| o.namespace() == namespace)
        .collect()
}

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
        if r.kind != kind || r.optional {
            continue;
        }
        if !targets(catalog, kind, ns, r.name).is_empty()
            || !crate::policy::report_missing(catalog, obj, kind, ns, r.name)
        {
            continue;
        }
        // One of that name without `metadata.namespace` goes wherever
        // `kubectl -n` says: perhaps into this namespace.
        if catalog
            .named(kind, r.name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .any(|o| !explicit_namespace(o))
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
