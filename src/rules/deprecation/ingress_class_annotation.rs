//! KW2004: the `kubernetes.io/ingress.class` annotation, deprecated since
//! 1.18 in favour of `spec.ingressClassName` (an IngressClass object).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::settings::KubeVersion;

pub static META: RuleMeta = rule_meta!(
    "KW2004",
    "ingress-class-annotation",
    Deprecation,
    Warning,
    "An Ingress picks its controller with the deprecated kubernetes.io/ingress.class annotation"
);

const ANNOTATION: &str = "kubernetes.io/ingress.class";
/// `spec.ingressClassName` and IngressClass arrived in 1.18.
const FIELD_SINCE: KubeVersion = KubeVersion::new(1, 18);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" || catalog.settings().kube_version < FIELD_SINCE {
            return;
        }
        let Some(entry) = obj
            .metadata()
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.entry(ANNOTATION))
        else {
            return;
        };
        let class = entry.value.scalar_text().unwrap_or_default();
        let field = obj.root.path(&["spec", "ingressClassName"]);
        let (message, help) = match field.and_then(|f| f.as_str()) {
            Some(name) if name == class => (
                format!(
                    "annotation {ANNOTATION} is deprecated since 1.18 and repeats spec.ingressClassName"
                ),
                format!(
                    "delete the annotation; spec.ingressClassName: {name} already selects the class"
                ),
            ),
            Some(name) => (
                format!(
                    "annotation {ANNOTATION}: {class} contradicts spec.ingressClassName: {name}; the annotation is deprecated since 1.18 and controllers disagree on which one wins"
                ),
                "keep only spec.ingressClassName, set to the IngressClass you mean".to_string(),
            ),
            None => (
                format!(
                    "annotation {ANNOTATION} is deprecated since 1.18; set spec.ingressClassName instead"
                ),
                format!(
                    "delete the annotation and write `spec.ingressClassName: {class}` (the name of an IngressClass object, e.g. the one your controller installs)"
                ),
            ),
        };
        let exists = !catalog.named("IngressClass", &class).is_empty();
        let mut diag = finding(&META, obj, entry.key.span, message)
            .with_label("deprecated annotation")
            .with_help(help)
            .with_fix(class_fix(
                crate::rules::fixable::source(catalog, obj),
                obj,
                entry,
                field,
                exists,
            ));
        if let Some(f) = field {
            diag = diag.with_related(obj.file, f.span, "spec.ingressClassName");
        }
        out.push(diag);
    }
}

/// The annotation deleted and, unless the field already says the same,
/// `spec.ingressClassName` written. Safe when an IngressClass of that name
/// is in the input; otherwise the controller may only know the annotation.
fn class_fix(
    text: crate::edit::Text<'_>,
    obj: &Object,
    entry: &crate::parse::Entry,
    field: Option<&crate::parse::Node>,
    exists: bool,
) -> Option<crate::edit::Fix> {
    use crate::edit::{Applicability, Fix};
    // extensions/v1beta1 has no ingressClassName.
    if !obj.api_version().starts_with("networking.k8s.io/") {
        return None;
    }
    let metadata = obj.metadata()?;
    let annotations = metadata.entry("annotations")?;
    let delete = if annotations.value.as_map()?.len() == 1 {
        text.delete_entry(annotations)?
    } else {
        text.delete_entry(entry)?
    };
    let class = text.scalar(&entry.value)?;
    match field {
        Some(f) if f.as_str() == entry.value.as_str() => {
            Fix::safe("delete the annotation", vec![delete])
        }
        Some(_) => None,
        None => {
            let spec = obj.root.get("spec")?;
            let first = spec.as_map()?.first()?;
            let insert =
                if text.is_block_map(spec) && text.starts_line(first.key.span.start as usize) {
                    text.insert_before(first, &[format!("ingressClassName: {class}")])?
                } else {
                    return None;
                };
            let applicability = if exists {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            Fix::new(
                applicability,
                "write spec.ingressClassName",
                vec![delete, insert],
            )
        }
    }
}
