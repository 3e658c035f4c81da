//! KW3406: a StatefulSet's `serviceName` names no Service of its namespace.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::reference::statefulset_service::{Governing, governing};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3406",
    "statefulset-service-not-found",
    Reference,
    Warning,
    "A StatefulSet's serviceName names no Service in its namespace"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Governing::Missing {
            name_node,
            name,
            hint,
        } = governing(obj, catalog)
        else {
            return;
        };
        let ns = obj.namespace();
        let mut diag = finding(
            &META,
            obj,
            name_node.span,
            format!(
                "{} names governing Service \"{name}\", which namespace \"{ns}\" does not define; its pods get no DNS names ({}-0.{name}.{ns}.svc)",
                obj.describe(),
                obj.name()
            ),
        )
        .with_label("no such Service");
        diag = match hint {
            Some(hint) if hint.name() == name => diag
                .with_related(
                    hint.file,
                    hint.anchor_span(),
                    format!("Service of that name in namespace \"{}\"", hint.namespace()),
                )
                .with_help(format!(
                    "the governing Service must be in the StatefulSet's namespace: define a headless Service \"{name}\" in namespace \"{ns}\""
                )),
            Some(hint) => diag
                .with_related(hint.file, hint.anchor_span(), "Service spelled alike")
                .with_help(format!("did you mean \"{}\"?", hint.name())),
            // --closed-world: nothing else will create it.
            None => diag.with_help(crate::policy::missing_help("Service", ns, name, None)),
        };
        out.push(diag);
    }
}
