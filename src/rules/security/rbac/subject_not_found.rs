//! KW6511: a binding subject of kind ServiceAccount that its namespace does
//! not define (reported under the policy every missing reference follows).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::object_refs::targets;
use crate::resolve::rbac::subjects;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6511",
    "rbac-subject-not-found",
    Security,
    Warning,
    "A binding names a ServiceAccount subject that does not exist"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for s in subjects(obj) {
            if s.kind != "ServiceAccount" || s.namespace.is_empty() {
                continue;
            }
            if !targets(catalog, "ServiceAccount", s.namespace, s.name).is_empty()
                || !crate::policy::report_missing(
                    catalog,
                    obj,
                    "ServiceAccount",
                    s.namespace,
                    s.name,
                )
            {
                continue;
            }
            // One written without a namespace may be applied anywhere.
            if catalog
                .named("ServiceAccount", s.name)
                .iter()
                .filter_map(|&i| catalog.object(i))
                .any(|o| !crate::resolve::object_refs::explicit_namespace(o))
            {
                continue;
            }
            let mut diag = finding(
                &META,
                obj,
                s.name_node.span,
                format!(
                    "{} grants its role to ServiceAccount \"{}\" of namespace \"{}\", which is not defined: no pod runs as it",
                    obj.describe(),
                    s.name,
                    s.namespace
                ),
            )
            .with_label("no ServiceAccount of this name");
            let elsewhere = catalog
                .named("ServiceAccount", s.name)
                .iter()
                .filter_map(|&i| catalog.object(i))
                .next();
            diag = match elsewhere {
                Some(other) => diag
                    .with_related(
                        other.file,
                        other.anchor_span(),
                        format!(
                            "ServiceAccount of that name in namespace \"{}\"",
                            other.namespace()
                        ),
                    )
                    .with_help(format!(
                        "set the subject's namespace to \"{}\"",
                        other.namespace()
                    )),
                None => diag.with_help(crate::policy::missing_help(
                    "ServiceAccount",
                    s.namespace,
                    s.name,
                    None,
                )),
            };
            out.push(diag);
        }
    }
}
