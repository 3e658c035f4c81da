//! KW3205: `spec.ingressClassName` names an IngressClass the input does not
//! define, while the input defines IngressClasses.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::text::{closest_name, quoted_list};

pub static META: RuleMeta = rule_meta!(
    "KW3205",
    "ingress-class-missing",
    Reference,
    Warning,
    "An Ingress names an IngressClass that is not defined, while others are"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if obj.kind() != "Ingress" {
            return;
        }
        let Some(node) = obj.root.path(&["spec", "ingressClassName"]) else {
            return;
        };
        let Some(class) = node.as_str() else {
            return;
        };
        let classes: Vec<&Object> = catalog
            .of_kind("IngressClass")
            .filter(|c| c.api_version().starts_with("networking.k8s.io/"))
            .collect();
        if classes.is_empty()
            || classes.iter().any(|c| c.name() == class)
            || catalog.assumed("IngressClass", "", class)
        {
            return;
        }
        let mut diag = finding(
            &META,
            obj,
            node.span,
            format!(
                "{} uses IngressClass \"{class}\", which is not defined; the input defines {}; no controller picks this Ingress up unless the class exists in the cluster",
                obj.describe(),
                quoted_list(classes.iter().map(|c| c.name()), 6)
            ),
        )
        .with_label("no such IngressClass");
        if let Some(near) = closest_name(class, classes.iter().map(|c| c.name()))
            && let Some(c) = classes.iter().find(|c| c.name() == near)
        {
            diag = diag
                .with_related(
                    c.file,
                    c.anchor_span(),
                    "an IngressClass with a similar name",
                )
                .with_help(format!("did you mean ingressClassName: {near}?"));
        } else if let Some(c) = classes.first() {
            diag = diag
                .with_related(c.file, c.anchor_span(), "an IngressClass the input defines")
                .with_help(format!(
                    "use one of the defined classes ({}), or add the IngressClass \"{class}\"",
                    quoted_list(classes.iter().map(|c| c.name()), 6)
                ));
        }
        out.push(diag);
    }
}
