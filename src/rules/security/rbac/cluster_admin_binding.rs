//! KW6512: a binding that grants the built-in `cluster-admin` ClusterRole.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{role_ref, subjects};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6512",
    "cluster-admin-binding",
    Security,
    Warning,
    "A binding grants the cluster-admin ClusterRole: full control of the cluster"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(r) = role_ref(obj) else { return };
        if r.kind != "ClusterRole" || r.name != "cluster-admin" {
            return;
        }
        let who: Vec<String> = subjects(obj)
            .iter()
            .map(|s| match s.kind {
                "ServiceAccount" => format!("ServiceAccount {}/{}", s.namespace, s.name),
                kind => format!("{kind} \"{}\"", s.name),
            })
            .collect();
        // The cluster's own binding of its masters group.
        if who.len() == 1 && who[..] == ["Group \"system:masters\"".to_string()] {
            return;
        }
        let scope = if obj.kind() == "RoleBinding" {
            format!("every object of namespace \"{}\"", obj.namespace())
        } else {
            "every object of the cluster".to_string()
        };
        let subjects = if who.is_empty() {
            "its subjects".to_string()
        } else {
            crate::text::join_names(&who)
        };
        out.push(
            finding(
                &META,
                obj,
                r.name_node.span,
                format!(
                    "{} gives {subjects} the cluster-admin ClusterRole: every verb on {scope}, Secrets and RBAC included",
                    obj.describe()
                ),
            )
            .with_label("cluster-admin")
            .with_help("bind a Role (or ClusterRole) that lists only the resources and verbs the subject needs"),
        );
    }
}
