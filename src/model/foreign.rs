//! Documents that look like Kubernetes objects (`apiVersion` and `kind`) but
//! are not for the API server: configuration files of tools that borrowed
//! the shape, and status snapshots. They are not objects: no schema check,
//! no KW1005 "unknown kind" note, not in the catalog, no reference resolved
//! to them. A file holding only such documents is skipped like any other
//! file that is not a manifest (`model::classify_file`).
//!
//! This is the one list of them. Add an entry only for an API no cluster
//! serves (a group that some cluster serves as a CustomResourceDefinition,
//! such as Cluster API's `cluster.x-k8s.io`, is a real object and stays out),
//! with a comment saying who reads it instead.

use crate::parse::Node;

/// Why a document is not an object to apply.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAnObject {
    /// What the document is, for the KW0011 note of a skipped file.
    pub what: &'static str,
    /// A note reported for every such document even without
    /// `--show-skipped`: `(message, help)`. Only kustomize has one (the
    /// advice to lint what it renders is worth saying unasked).
    pub always_noted: Option<(&'static str, &'static str)>,
}

/// How an entry recognises its documents.
enum Match {
    /// Every kind of this API group (`group/version` apiVersions).
    Group(&'static str),
    /// Every group whose name ends with this.
    GroupSuffix(&'static str),
    /// One kind of one exact apiVersion.
    Exact {
        api_version: &'static str,
        kind: &'static str,
    },
}

struct Entry {
    matches: Match,
    reason: NotAnObject,
}

const fn group(name: &'static str, what: &'static str) -> Entry {
    Entry {
        matches: Match::Group(name),
        reason: NotAnObject {
            what,
            always_noted: None,
        },
    }
}

/// Tool configurations, by apiVersion (first match wins).
const TOOL_CONFIGS: &[Entry] = &[
    // kustomize's Kustomization and Component: read by `kustomize build` and
    // `kubectl apply -k`. Files named kustomization.yaml never get here
    // (`discover` skips them); this catches the others, and keeps the note
    // kwire always gave them.
    Entry {
        matches: Match::Group("kustomize.config.k8s.io"),
        reason: NotAnObject {
            what: "kustomize configuration (kustomize.config.k8s.io), read by `kustomize build`",
            always_noted: Some((
                "kustomize configuration skipped: it is not an object to apply",
                "lint what it renders: `kustomize build DIR | kwire lint -`",
            )),
        },
    },
    // KRM functions (kustomize and kpt): `ResourceList` is the wire format
    // a function reads and writes, never applied.
    group(
        "config.kubernetes.io",
        "KRM function input (config.kubernetes.io), read by kustomize or kpt functions",
    ),
    // kind's cluster configuration: `kind create cluster --config FILE`.
    group(
        "kind.x-k8s.io",
        "kind cluster configuration (kind.x-k8s.io), read by `kind create cluster --config`",
    ),
    // kubeadm's InitConfiguration, ClusterConfiguration, JoinConfiguration...:
    // `kubeadm init|join --config FILE` (kubeadm stores a copy in a
    // ConfigMap, but that ConfigMap is the object, not this document).
    group(
        "kubeadm.k8s.io",
        "kubeadm configuration (kubeadm.k8s.io), read by `kubeadm --config`",
    ),
    // KubeletConfiguration, CredentialProviderConfig: the kubelet's `--config`
    // and `--image-credential-provider-config` files.
    group(
        "kubelet.config.k8s.io",
        "kubelet configuration (kubelet.config.k8s.io), read by the kubelet from its --config file",
    ),
    // KubeProxyConfiguration: kube-proxy's `--config` file.
    group(
        "kubeproxy.config.k8s.io",
        "kube-proxy configuration (kubeproxy.config.k8s.io), read by kube-proxy from its --config file",
    ),
    // KubeSchedulerConfiguration (and the old `Policy` of this group):
    // kube-scheduler's `--config` file.
    group(
        "kubescheduler.config.k8s.io",
        "kube-scheduler configuration (kubescheduler.config.k8s.io), read by kube-scheduler from its --config file",
    ),
    // The other component configurations follow the same naming convention
    // (`<component>.config.k8s.io`): apiserver.config.k8s.io
    // (EncryptionConfiguration, AdmissionConfiguration, ...),
    // kubecontrollermanager, cloudcontrollermanager, pod-security.admission,
    // kubectl's kuberc. No API server serves a `.config.k8s.io` group.
    Entry {
        matches: Match::GroupSuffix(".config.k8s.io"),
        reason: NotAnObject {
            what: "Kubernetes component configuration (a *.config.k8s.io API), read by the component from a file",
            always_noted: None,
        },
    },
    // The audit policy: kube-apiserver's `--audit-policy-file`.
    group(
        "audit.k8s.io",
        "audit policy (audit.k8s.io), read by kube-apiserver from its --audit-policy-file",
    ),
    // The legacy scheduler policy (`--policy-config-file`, removed in
    // Kubernetes 1.23): `{"kind": "Policy", "apiVersion": "v1",
    // "predicates": [...], "priorities": [...]}`. Core v1 has no Policy.
    Entry {
        matches: Match::Exact {
            api_version: "v1",
            kind: "Policy",
        },
        reason: NotAnObject {
            what: "legacy kube-scheduler policy (v1 Policy), read by kube-scheduler --policy-config-file",
            always_noted: None,
        },
    },
    // A kubeconfig: read by kubectl and client libraries ($KUBECONFIG).
    Entry {
        matches: Match::Exact {
            api_version: "v1",
            kind: "Config",
        },
        reason: NotAnObject {
            what: "kubeconfig (v1 Config), read by kubectl and other clients",
            always_noted: None,
        },
    },
    // IstioOperator: `istioctl install -f FILE`. Istio's in-cluster
    // operator (removed in 1.24) also served it as a custom resource;
    // kwire bundles no schema for it, so all an object of it would get is
    // KW1005's "no schema" note (and KW0004, istioctl files having no name).
    group(
        "install.istio.io",
        "Istio install configuration (install.istio.io IstioOperator), read by `istioctl install -f`",
    ),
    // skaffold.yaml (`apiVersion: skaffold/v4beta11`, `kind: Config`).
    group(
        "skaffold",
        "Skaffold configuration (skaffold/*), read by skaffold",
    ),
    // Backstage's catalog-info.yaml (`backstage.io/v1alpha1`, kind
    // Component, API, System...): read by the Backstage catalog.
    group(
        "backstage.io",
        "Backstage catalog entity (backstage.io), read by Backstage",
    ),
];

/// kustomize and kpt function configuration: an object of any kind that
/// names the function to run in this annotation.
const FUNCTION_ANNOTATIONS: &[&str] = &["config.kubernetes.io/function", "config.k8s.io/function"];

const FUNCTION_CONFIG: NotAnObject = NotAnObject {
    what: "KRM function configuration (config.kubernetes.io/function annotation), read by kustomize or kpt",
    always_noted: None,
};

/// An object's `status` without `metadata.name` (nor `generateName`): a
/// captured status, the test data of a health check (argo-cd's
/// `resource_customizations/*/*/testdata/*.yaml`). An object to apply has a
/// name, and the API server ignores `status` on create.
const STATUS_SNAPSHOT: NotAnObject = NotAnObject {
    what: "a status snapshot (status, but no metadata.name), not an object to apply",
    always_noted: None,
};

/// Files recognised by name. They never hold objects, whatever they contain.
const FILE_NAMES: &[(&str, NotAnObject)] = &[
    // Helm chart metadata met outside a chart (no `templates/` beside it;
    // `discover` skips whole charts).
    (
        "Chart.yaml",
        NotAnObject {
            what: "Helm chart metadata (Chart.yaml), read by helm",
            always_noted: None,
        },
    ),
    // Helm values: input of a chart's templates, never applied (a value
    // may well be called `kind` or `apiVersion`).
    (
        "values.yaml",
        NotAnObject {
            what: "Helm values (values.yaml), read by helm when it renders a chart",
            always_noted: None,
        },
    ),
];

/// Whether a document with `apiVersion` and `kind` is not for the API
/// server, and why.
pub fn recognise(root: &Node) -> Option<&'static NotAnObject> {
    // A document without both is an incomplete object (KW0004), or no
    // object at all; either way not one of these.
    if root.get("apiVersion").is_none() || root.get("kind").is_none() {
        return None;
    }
    let api_version = root.get_str("apiVersion").unwrap_or("");
    let kind = root.get_str("kind").unwrap_or("");
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    let listed = TOOL_CONFIGS.iter().find(|e| match e.matches {
        Match::Group(g) => group == g,
        Match::GroupSuffix(s) => group.ends_with(s),
        Match::Exact {
            api_version: v,
            kind: k,
        } => api_version == v && kind == k,
    });
    if let Some(entry) = listed {
        return Some(&entry.reason);
    }
    let metadata = root.get("metadata");
    let annotated = metadata
        .and_then(|m| m.get("annotations"))
        .is_some_and(|a| FUNCTION_ANNOTATIONS.iter().any(|k| a.get(k).is_some()));
    if annotated {
        return Some(&FUNCTION_CONFIG);
    }
    let named = metadata.is_some_and(|m| {
        ["name", "generateName"]
            .iter()
            .any(|k| m.get_str(k).is_some_and(|s| !s.is_empty()))
    });
    if root.get("status").is_some() && !named {
        return Some(&STATUS_SNAPSHOT);
    }
    None
}

/// Whether the file is skipped by its name (the last path component).
pub fn by_file_name(path: &str) -> Option<&'static NotAnObject> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    FILE_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, reason)| reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn recognised(text: &str) -> Option<&'static str> {
        let file = SourceFile::new("t.yaml", text.to_string());
        let parsed = crate::parse::parse_file(0, &file);
        let doc = parsed.documents.first().expect("a document");
        recognise(&doc.root).map(|r| r.what)
    }

    #[test]
    fn tool_configurations_are_not_objects() {
        for text in [
            "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n",
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
            "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\n",
            "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n",
            "apiVersion: audit.k8s.io/v1\nkind: Policy\n",
            "{\"kind\": \"Policy\", \"apiVersion\": \"v1\", \"predicates\": []}",
            "apiVersion: v1\nkind: Config\nclusters: []\n",
            "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n",
            "apiVersion: skaffold/v2beta22\nkind: Config\n",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n",
            "apiVersion: example.com/v1\nkind: SetNs\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: x\n",
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n",
        ] {
            assert!(recognised(text).is_some(), "{text}");
        }
    }

    #[test]
    fn objects_stay_objects() {
        for text in [
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            "apiVersion: v1\nkind: ConfigMap\n",
            // Cluster API is served by a management cluster.
            "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: a}\n",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: a}\n",
            // `kubectl get -o yaml` output: a name, so an object.
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nstatus: {replicas: 1}\n",
        ] {
            assert_eq!(recognised(text), None, "{text}");
        }
    }

    #[test]
    fn status_without_a_name_is_a_snapshot() {
        assert!(
            recognised(
                "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nstatus: {phase: Healthy}\n"
            )
            .is_some_and(|w| w.contains("status snapshot"))
        );
    }

    #[test]
    fn helm_files_by_name() {
        assert!(by_file_name("chart/values.yaml").is_some());
        assert!(by_file_name("Chart.yaml").is_some());
        assert!(by_file_name("k8s/values-prod.yaml").is_none());
        assert!(by_file_name("k8s/deploy.yaml").is_none());
    }
}
