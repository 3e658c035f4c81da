//! KW2006: seccomp and AppArmor profiles set by annotation on a pod (or pod
//! template) instead of the `securityContext` fields that replaced them:
//! `seccompProfile` (1.19) and `appArmorProfile` (1.30).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::settings::KubeVersion;

pub static META: RuleMeta = rule_meta!(
    "KW2006",
    "security-profile-annotation",
    Deprecation,
    Warning,
    "A pod sets its seccomp or AppArmor profile with a deprecated annotation instead of securityContext"
);

const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";
const SECCOMP_FIELD_SINCE: KubeVersion = KubeVersion::new(1, 19);
const APPARMOR_FIELD_SINCE: KubeVersion = KubeVersion::new(1, 30);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let target = catalog.settings().kube_version;
        let Some(template) = obj.pod_template() else {
            return;
        };
        let annotations = template
            .node
            .path(&["metadata", "annotations"])
            .and_then(|a| a.as_map())
            .unwrap_or(&[]);
        let prefix = if obj.kind() == "Pod" {
            "spec"
        } else {
            "spec.template.spec"
        };
        for entry in annotations {
            let Some(key) = entry.key.as_str() else {
                continue;
            };
            let value = entry.value.scalar_text().unwrap_or_default();
            let (field, where_, since, profile) = if key == SECCOMP_POD {
                (
                    "seccompProfile",
                    format!("{prefix}.securityContext"),
                    SECCOMP_FIELD_SINCE,
                    profile_of(&value),
                )
            } else if let Some(container) = key.strip_prefix(SECCOMP_CONTAINER) {
                (
                    "seccompProfile",
                    format!("the securityContext of container \"{container}\""),
                    SECCOMP_FIELD_SINCE,
                    profile_of(&value),
                )
            } else if let Some(container) = key.strip_prefix(APPARMOR_CONTAINER) {
                (
                    "appArmorProfile",
                    format!("the securityContext of container \"{container}\""),
                    APPARMOR_FIELD_SINCE,
                    profile_of(&value),
                )
            } else {
                continue;
            };
            if target < since {
                continue;
            }
            let fix = profile_fix(
                crate::rules::fixable::source(catalog, obj),
                &template,
                entry,
                field,
                key.strip_prefix(SECCOMP_CONTAINER)
                    .or_else(|| key.strip_prefix(APPARMOR_CONTAINER)),
                &value,
            );
            let kind = if field == "seccompProfile" {
                "seccomp"
            } else {
                "AppArmor"
            };
            out.push(
                finding(
                    &META,
                    obj,
                    entry.key.span,
                    format!(
                        "{kind} annotation {key} is deprecated since {since}; set securityContext.{field} instead"
                    ),
                )
                .with_label("deprecated annotation")
                .with_help(format!(
                    "delete the annotation and write, in {where_}:\n  {field}:\n{profile}"
                ))
                .with_fix(fix),
            );
        }
    }
}

/// The field form of an annotation value (`runtime/default`,
/// `docker/default`, `unconfined`, `localhost/PATH`), as YAML lines.
fn profile_of(value: &str) -> String {
    let pad = "    ";
    match value {
        "runtime/default" | "docker/default" => format!("{pad}type: RuntimeDefault"),
        "unconfined" => format!("{pad}type: Unconfined"),
        other => match other.strip_prefix("localhost/") {
            Some(path) => format!("{pad}type: Localhost\n{pad}localhostProfile: {path}"),
            None => format!("{pad}type: RuntimeDefault  # `{other}` has no field form"),
        },
    }
}

/// The annotation deleted (with `annotations:` when it was the only one)
/// and the field written into the pod's or the container's
/// securityContext: the kubelet reads both the same way.
fn profile_fix(
    text: crate::edit::Text<'_>,
    template: &crate::model::workload::PodTemplate<'_>,
    entry: &crate::parse::Entry,
    field: &str,
    container: Option<&str>,
    value: &str,
) -> Option<crate::edit::Fix> {
    use crate::parse::Node;
    let profile: Vec<String> = match value {
        "runtime/default" => vec!["type: RuntimeDefault".into()],
        "docker/default" if field == "seccompProfile" => vec!["type: RuntimeDefault".into()],
        "unconfined" => vec!["type: Unconfined".into()],
        other => {
            let path = other.strip_prefix("localhost/")?;
            if path.is_empty() || path.contains(['\n', '#', '"', '\'']) {
                return None;
            }
            vec![
                "type: Localhost".into(),
                format!("localhostProfile: {path}"),
            ]
        }
    };
    let spec = template.spec?;
    let target: &Node = match container {
        None => spec,
        Some(name) => ["containers", "initContainers", "ephemeralContainers"]
            .iter()
            .flat_map(|k| spec.get_seq(k).iter())
            .find(|c| c.get_str("name") == Some(name))?,
    };
    if !text.is_block_map(target) {
        return None;
    }
    let step = text.indent_step(spec);
    let pad = |n: usize| " ".repeat(step * n);
    let insert = match target.entry("securityContext") {
        Some(sc) => {
            if sc.value.get(field).is_some() {
                return None;
            }
            let mut lines = vec![format!("{field}:")];
            lines.extend(profile.iter().map(|l| format!("{}{l}", pad(1))));
            text.insert_into(&sc.value, &lines)?
        }
        None => {
            let mut lines = vec![
                "securityContext:".to_string(),
                format!("{}{field}:", pad(1)),
            ];
            lines.extend(profile.iter().map(|l| format!("{}{l}", pad(2))));
            text.insert_into(target, &lines)?
        }
    };
    let annotations = template.node.get("metadata")?.entry("annotations")?;
    let delete = if annotations.value.as_map()?.len() == 1 {
        text.delete_entry(annotations)?
    } else {
        text.delete_entry(entry)?
    };
    crate::edit::Fix::safe(
        format!("write securityContext.{field}"),
        vec![delete, insert],
    )
}
