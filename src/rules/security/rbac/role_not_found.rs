//! KW6510: a RoleBinding or ClusterRoleBinding whose `roleRef` names a Role
//! or ClusterRole that is neither in the input nor built into every cluster
//! (reported under the policy every missing reference follows).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{RoleResolution, resolve_role, role_ref};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6510",
    "rbac-role-not-found",
    Security,
    Warning,
    "A RoleBinding or ClusterRoleBinding refers to a Role or ClusterRole that does not exist"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(r) = role_ref(obj) else { return };
        if !matches!(resolve_role(catalog, obj, &r), RoleResolution::Missing) {
            return;
        }
        let ns = if r.kind == "Role" {
            obj.namespace()
        } else {
            ""
        };
        let wrong_kind = if r.kind == "Role" {
            "ClusterRole"
        } else {
            "Role"
        };
        let other_kind = catalog
            .named(wrong_kind, r.name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .find(|o| wrong_kind == "ClusterRole" || o.namespace() == obj.namespace());
        let whereabouts = if ns.is_empty() {
            String::new()
        } else {
            format!(" in namespace \"{ns}\"")
        };
        let mut diag = finding(
            &META,
            obj,
            r.name_node.span,
            format!(
                "{} grants {} \"{}\", which is not defined{whereabouts}: the binding grants nothing until it exists",
                obj.describe(),
                r.kind,
                r.name
            ),
        )
        .with_label(format!("no {} of this name", r.kind));
        diag = match other_kind {
            Some(other) => diag
                .with_related(
                    other.file,
                    other.anchor_span(),
                    format!("a {wrong_kind} of that name"),
                )
                .with_help(format!("set roleRef.kind: {wrong_kind}")),
            None => diag.with_help(crate::policy::missing_help(r.kind, ns, r.name, None)),
        };
        out.push(diag);
    }
}
