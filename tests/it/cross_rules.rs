//! The cross-object practice and security rules (KW55xx, KW65xx) beyond
//! their fixtures: the Pod Security policy version and the target version,
//! warnings that repeat no enforce finding, Namespaces per deployment unit,
//! and RBAC followed through groups and aggregated ClusterRoles.

use std::path::Path;

use kwire::lint::{LintOptions, lint};
use kwire::selection::{RuleSelection, Selector};
use kwire::settings::{KubeVersion, Settings};

/// `(code, file name, line, related file names)` of the KW55xx/KW65xx
/// findings of linting `dir` with every rule on.
fn lint_dir(dir: &Path, kube: KubeVersion) -> Vec<(String, String, usize, Vec<String>)> {
    let settings = Settings {
        kube_version: kube,
        ..Settings::default()
    };
    let result = lint(&LintOptions {
        paths: vec![dir.to_string_lossy().into_owned()],
        settings,
        selection: RuleSelection {
            select: Some(vec![Selector::parse("ALL").unwrap()]),
            // Every pod here is outside NetworkPolicies: not the subject.
            ignore: vec![Selector::parse("KW6521").unwrap()],
            ..RuleSelection::default()
        },
        ..LintOptions::default()
    });
    let name = |id: u32| {
        Path::new(&result.files[id as usize].path)
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut out: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("KW55") || d.code.starts_with("KW65"))
        .map(|d| {
            let file = &result.files[d.file as usize];
            (
                d.code.to_string(),
                name(d.file),
                file.line_col(d.span.start as usize).line,
                d.related.iter().map(|r| name(r.file)).collect(),
            )
        })
        .collect();
    out.sort();
    out
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn namespace(labels: &str) -> String {
    format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n{labels}")
}

/// A restricted-clean pod with one sysctl that the baseline level allows
/// only from policy version 1.29.
const SYSCTL_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
    sysctls:
      - name: net.ipv4.tcp_keepalive_time
        value: \"600\"
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
";

fn codes(found: &[(String, String, usize, Vec<String>)]) -> Vec<(&str, usize)> {
    found.iter().map(|(c, _, l, _)| (c.as_str(), *l)).collect()
}

#[test]
fn the_policy_version_is_the_label_capped_by_the_target_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let enforce = |version: &str| {
        namespace(&format!(
            "    pod-security.kubernetes.io/enforce: baseline\n{version}"
        ))
    };
    // Pinned to 1.28: the sysctl is not in that version's safe set.
    write(
        dir,
        &[
            (
                "ns.yaml",
                &enforce("    pod-security.kubernetes.io/enforce-version: v1.28\n"),
            ),
            ("pod.yaml", SYSCTL_POD),
        ],
    );
    assert_eq!(codes(&lint_dir(dir, KubeVersion::NEWEST)), [("KW6501", 11)]);
    // `latest` on a 1.29 cluster allows it; on a 1.28 cluster it does not.
    write(
        dir,
        &[(
            "ns.yaml",
            &enforce("    pod-security.kubernetes.io/enforce-version: latest\n"),
        )],
    );
    assert!(lint_dir(dir, KubeVersion::new(1, 29)).is_empty());
    assert_eq!(
        codes(&lint_dir(dir, KubeVersion::new(1, 28))),
        [("KW6501", 11)]
    );
    // A policy version newer than the cluster is the cluster's own.
    write(
        dir,
        &[(
            "ns.yaml",
            &enforce("    pod-security.kubernetes.io/enforce-version: v1.33\n"),
        )],
    );
    assert_eq!(
        codes(&lint_dir(dir, KubeVersion::new(1, 28))),
        [("KW6501", 11)]
    );
}

#[test]
fn a_warning_never_repeats_what_enforce_rejects() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let pod = SYSCTL_POD.replace("net.ipv4.tcp_keepalive_time", "kernel.msgmax");
    write(
        dir,
        &[
            (
                "ns.yaml",
                &namespace(
                    "    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: baseline\n    pod-security.kubernetes.io/audit: restricted\n",
                ),
            ),
            ("pod.yaml", &pod),
        ],
    );
    // The related location is the enforce label in the Namespace's file.
    assert_eq!(
        lint_dir(dir, KubeVersion::NEWEST),
        [(
            "KW6501".to_string(),
            "pod.yaml".to_string(),
            11,
            vec!["ns.yaml".to_string()]
        )]
    );
}

#[test]
fn a_namespace_of_an_alternative_unit_is_not_the_pods_namespace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let pod = SYSCTL_POD.replace("net.ipv4.tcp_keepalive_time", "kernel.msgmax");
    let kustomization = |extra: &str| {
        format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\n{extra}"
        )
    };
    write(
        dir,
        &[
            ("base/kustomization.yaml", "resources:\n  - pod.yaml\n"),
            ("base/pod.yaml", &pod),
            (
                "overlays/prod/kustomization.yaml",
                &kustomization("  - ns.yaml\n"),
            ),
            (
                "overlays/prod/ns.yaml",
                &namespace("    pod-security.kubernetes.io/enforce: baseline\n"),
            ),
            ("overlays/dev/kustomization.yaml", &kustomization("")),
        ],
    );
    let found = lint_dir(dir, KubeVersion::NEWEST);
    // Only the prod instance of the base pod is rejected (one finding: the
    // dev instance is in no labelled namespace; KW6503 is about unlabelled
    // ones and reports it there).
    let enforce: Vec<_> = found.iter().filter(|f| f.0 == "KW6501").collect();
    assert_eq!(enforce.len(), 1, "{found:?}");
    assert_eq!(enforce[0].3, ["overlays/prod/ns.yaml"]);
    assert!(found.iter().any(|f| f.0 == "KW6503"), "{found:?}");
}

#[test]
fn rbac_follows_groups_and_aggregated_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        &[
            (
                "roles.yaml",
                "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
aggregationRule:
  clusterRoleSelectors:
    - matchLabels:
        shop.example.com/aggregate-to-reader: \"true\"
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader-secrets
  labels:
    shop.example.com/aggregate-to-reader: \"true\"
rules:
  - apiGroups: [\"\"]
    resources: [secrets]
    verbs: [list]
",
            ),
            (
                "binding.yaml",
                "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: all-accounts-read
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader
subjects:
  - kind: Group
    name: system:serviceaccounts:shop
    apiGroup: rbac.authorization.k8s.io
",
            ),
            ("pod.yaml", SYSCTL_POD),
        ],
    );
    let found = lint_dir(dir, KubeVersion::NEWEST);
    let powers: Vec<_> = found.iter().filter(|f| f.0 == "KW6516").collect();
    // The default ServiceAccount is in the group; the rule comes from the
    // aggregated role, in its own file.
    assert_eq!(powers.len(), 1, "{found:?}");
    assert_eq!(powers[0].1, "pod.yaml");
    assert_eq!(powers[0].3, ["binding.yaml", "roles.yaml"]);
}
