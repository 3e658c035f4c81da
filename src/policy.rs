//! When a reference that does not resolve is reported: one policy for every
//! reference rule, stated in `docs/references.md`.
//!
//! - Built-ins (the `default` ServiceAccount, `kube-root-ca.crt`, the
//!   `kubernetes` Service, objects of the system namespaces, built-in
//!   ClusterRoles and PriorityClasses) and `assume:` entries always exist.
//! - So do objects another object of the world produces: kustomize
//!   generators, SealedSecrets, ExternalSecrets, cert-manager Certificates.
//! - In a unit kwire cannot see whole (remote resources, Helm charts in a
//!   kustomization), nothing is reported missing.
//! - Closed world (`--closed-world`): everything else that is not in the
//!   unit or a unit coexisting with it is missing.
//! - Default: a reference to a kind the world defines in that namespace is
//!   missing when the name is not there; a reference to a kind the world
//!   does not define there at all (no Secrets, no Gateways) is assumed to
//!   come from elsewhere.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;

/// Namespaces every cluster has; their objects come with the cluster.
pub const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

/// Objects every cluster has without the input defining them.
pub fn builtin(kind: &str, namespace: &str, name: &str) -> bool {
    if SYSTEM_NAMESPACES.contains(&namespace) {
        return true;
    }
    match kind {
        "ServiceAccount" => name == "default",
        "ConfigMap" => matches!(name, "kube-root-ca.crt" | "openshift-service-ca.crt"),
        "Service" => namespace == "default" && name == "kubernetes",
        "Namespace" => matches!(name, "default") || SYSTEM_NAMESPACES.contains(&name),
        "ClusterRole" | "ClusterRoleBinding" => {
            matches!(name, "cluster-admin" | "admin" | "edit" | "view")
                || name.starts_with("system:")
        }
        "PriorityClass" => matches!(name, "system-cluster-critical" | "system-node-critical"),
        _ => false,
    }
}

/// Is a `kind`/`name` reference in `namespace` that the world does not
/// resolve to be reported? `from` is the referencing object (its unit may be
/// open); `namespace` is `""` for cluster-scoped kinds.
pub fn report_missing(
    catalog: &Catalog<'_>,
    from: &Object,
    kind: &str,
    namespace: &str,
    name: &str,
) -> bool {
    if builtin(kind, namespace, name)
        || catalog.assumed(kind, namespace, name)
        || catalog.generated(kind, namespace, name)
        || (kind == "Secret" && generated_secret(catalog, namespace, name))
        || created_at_run_time(catalog, kind, namespace, name)
    {
        return false;
    }
    if in_open_unit(catalog, from) {
        return false;
    }
    // IngressClasses are the controller's: known only when the repo defines some.
    if catalog.settings().closed_world && kind != "IngressClass" {
        return true;
    }
    catalog.has_kind_in(kind, namespace)
}

/// Is `from`'s world closed: `--closed-world`, and its unit is not open
/// (kwire read all of it)? Then a selector that matches nothing is reported
/// without further evidence.
pub fn closed_for(catalog: &Catalog<'_>, from: &Object) -> bool {
    catalog.settings().closed_world && !in_open_unit(catalog, from)
}

/// Is `from` in a unit kwire cannot see whole (`crate::units::Unit::open`)?
pub fn in_open_unit(catalog: &Catalog<'_>, from: &Object) -> bool {
    catalog.unit_of(from).is_some_and(|u| u.open.is_some())
}

/// The help line for a reference reported missing: the nearest existing
/// object of the kind (when one is spelled alike) and how to declare an
/// object created at run time.
pub fn missing_help(kind: &str, namespace: &str, name: &str, nearest: Option<&str>) -> String {
    let assume = if namespace.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}/{namespace}/{name}")
    };
    match nearest {
        Some(near) => format!(
            "did you mean \"{near}\"? If \"{name}\" is created outside these manifests, add `assume: [{assume}]` to .kwire.yaml"
        ),
        None => format!(
            "define {kind} \"{name}\" in namespace \"{namespace}\", or, if something creates it at run time (a chart, an operator, `kubectl create`), add `assume: [{assume}]` to .kwire.yaml"
        ),
    }
}

/// Does RBAC of the world let a workload create the object at run time?
/// A Role of the namespace that grants `create` on the resource (named in
/// `resources`, not `*`) is how an init Job or container makes its Secret
/// (argo-cd's `argocd-redis`, ingress-nginx's admission certificates); a
/// ClusterRole counts when it also names the object in `resourceNames`.
pub fn created_at_run_time(catalog: &Catalog<'_>, kind: &str, namespace: &str, name: &str) -> bool {
    let resource = match kind {
        "Secret" => "secrets",
        "ConfigMap" => "configmaps",
        "ServiceAccount" => "serviceaccounts",
        "PersistentVolumeClaim" => "persistentvolumeclaims",
        "Service" => "services",
        _ => return false,
    };
    let names = |rule: &Node, key: &str, want: &str| {
        rule.get_seq(key).iter().any(|v| v.as_str() == Some(want))
    };
    let creates = |rule: &Node| {
        names(rule, "resources", resource)
            && rule
                .get_seq("verbs")
                .iter()
                .any(|v| matches!(v.as_str(), Some("create" | "*")))
    };
    let in_namespace = catalog
        .in_namespace(namespace)
        .filter(|o| o.kind() == "Role")
        .any(|role| role.root.get_seq("rules").iter().any(creates));
    in_namespace
        || catalog.of_kind("ClusterRole").any(|role| {
            let rules = role.root.get_seq("rules");
            rules.iter().any(creates) && rules.iter().any(|r| names(r, "resourceNames", name))
        })
}

/// Is a Secret of that name produced by another object of the namespace
/// (SealedSecret, ExternalSecret, cert-manager Certificate)?
pub fn generated_secret(catalog: &Catalog<'_>, namespace: &str, name: &str) -> bool {
    let in_ns = |kind: &str, n: &str| {
        catalog
            .named(kind, n)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .any(|o| o.namespace() == namespace)
    };
    if in_ns("SealedSecret", name) || in_ns("ExternalSecret", name) {
        return true;
    }
    catalog.in_namespace(namespace).any(|o| {
        let spec = o.root.get("spec");
        match o.kind() {
            "Certificate" => spec.and_then(|s| s.get_str("secretName")) == Some(name),
            "ExternalSecret" | "SealedSecret" => {
                spec.and_then(|s| s.path(&["target", "name"]))
                    .and_then(Node::as_str)
                    == Some(name)
                    || spec
                        .and_then(|s| s.path(&["template", "metadata", "name"]))
                        .and_then(Node::as_str)
                        == Some(name)
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins() {
        assert!(builtin("ServiceAccount", "shop", "default"));
        assert!(builtin("ConfigMap", "shop", "kube-root-ca.crt"));
        assert!(builtin("Service", "default", "kubernetes"));
        assert!(!builtin("Service", "shop", "kubernetes"));
        assert!(builtin("Service", "kube-system", "kube-dns"));
        assert!(builtin("ClusterRole", "", "system:auth-delegator"));
        assert!(builtin("PriorityClass", "", "system-node-critical"));
        assert!(!builtin("Secret", "shop", "default"));
    }
}
