//! References by name from a pod spec to objects of its namespace: the
//! ServiceAccount, ConfigMaps, Secrets and PersistentVolumeClaims a pod
//! needs before it can start, and whether each resolves; and an Ingress's
//! TLS Secrets (KW3204).

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;

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

/// How one pod reference resolves in the world of `from`.
pub enum RefResolution<'a> {
    /// The objects of that kind and name in the pod's namespace.
    Found(Vec<&'a Object>),
    /// `optional: true` and absent: the pod starts without it.
    Optional,
    /// Absent, and `crate::policy` says something outside the input (or the
    /// cluster, or a controller at run time) provides it.
    Outside,
    /// Absent, and it should be here: KW3401–KW3404 report it.
    Missing,
}

/// Resolves `r`, written in `from`'s pod template, the way KW3401–KW3404
/// and `kwire graph` both read it.
pub fn resolve<'a>(catalog: &Catalog<'a>, from: &Object, r: &ObjRef<'_>) -> RefResolution<'a> {
    let ns = from.namespace();
    let found = targets(catalog, r.kind, ns, r.name);
    if !found.is_empty() {
        return RefResolution::Found(found);
    }
    if r.optional {
        return RefResolution::Optional;
    }
    if !crate::policy::report_missing(catalog, from, r.kind, ns, r.name) {
        return RefResolution::Outside;
    }
    // One of that name without `metadata.namespace` goes wherever
    // `kubectl -n` says: perhaps into this namespace.
    if catalog
        .named(r.kind, r.name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .any(|o| !explicit_namespace(o))
    {
        return RefResolution::Outside;
    }
    RefResolution::Missing
}

/// Annotations that make cert-manager (ingress-shim) create an Ingress's
/// TLS Secrets.
pub const CERT_MANAGER_ANNOTATIONS: &[&str] = &[
    "cert-manager.io/cluster-issuer",
    "cert-manager.io/issuer",
    "kubernetes.io/tls-acme",
];

/// One `spec.tls[].secretName` of an Ingress.
pub struct TlsSecret<'a> {
    pub name: &'a str,
    pub name_node: &'a Node,
    /// The index in `spec.tls`.
    pub index: usize,
    /// The entry's `hosts`.
    pub hosts: Vec<&'a str>,
}

/// The TLS Secrets an Ingress names, in order.
pub fn ingress_tls_secrets(obj: &Object) -> Vec<TlsSecret<'_>> {
    if obj.kind() != "Ingress" {
        return Vec::new();
    }
    obj.root
        .path(&["spec", "tls"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let name_node = entry.get("secretName")?;
            Some(TlsSecret {
                name: name_node.as_str()?,
                name_node,
                index,
                hosts: entry
                    .get_seq("hosts")
                    .iter()
                    .filter_map(Node::as_str)
                    .collect(),
            })
        })
        .collect()
}

/// How an Ingress TLS Secret resolves, the way KW3204 and `kwire graph`
/// both read it: `Found` (a Secret of the Ingress's namespace), `Outside`
/// (cert-manager creates it, from the Ingress's annotations or a
/// Certificate of the namespace, or an `assume:` entry provides it), else
/// `Missing` (KW3204). An Ingress reads Secrets from its own namespace only.
pub fn resolve_tls_secret<'a>(
    catalog: &Catalog<'a>,
    ingress: &Object,
    name: &str,
) -> RefResolution<'a> {
    let ns = ingress.namespace();
    let found = catalog.find("v1", "Secret", ns, name);
    if !found.is_empty() {
        return RefResolution::Found(found.iter().filter_map(|&i| catalog.object(i)).collect());
    }
    if CERT_MANAGER_ANNOTATIONS
        .iter()
        .any(|a| ingress.annotation(a).is_some())
        || catalog.assumed("Secret", ns, name)
        || issued_by_certificate(catalog, ns, name)
    {
        return RefResolution::Outside;
    }
    RefResolution::Missing
}

/// A cert-manager Certificate in the namespace writes the Secret.
fn issued_by_certificate(catalog: &Catalog<'_>, ns: &str, name: &str) -> bool {
    catalog.in_namespace(ns).any(|o| {
        o.kind() == "Certificate"
            && o.root.path(&["spec", "secretName"]).and_then(Node::as_str) == Some(name)
    })
}
