//! KW6516 (opt-in): a workload whose ServiceAccount, through the bindings that name
//! it, can read every Secret of a namespace or create pods (and so run any
//! image with any ServiceAccount of the namespace). Says which binding and
//! which rule grant it.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::rbac::{grants, grants_of, role_rules};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6516",
    "service-account-powers",
    Security,
    Warning,
    "A workload's ServiceAccount can read Secrets or create pods through its bindings",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        let Some(spec) = template.spec else { return };
        let sa_node = spec
            .get("serviceAccountName")
            .or_else(|| spec.get("serviceAccount"));
        let sa = sa_node
            .and_then(|n| n.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        // A pod that mounts no token cannot use the grants.
        if spec
            .get("automountServiceAccountToken")
            .and_then(|n| n.as_bool())
            == Some(false)
        {
            return;
        }
        let ns = obj.namespace();
        let span = sa_node.map_or_else(|| obj.anchor_span(), |n| n.span);
        for grant in grants_of(catalog, ns, sa) {
            let Some(role) = grant.role else { continue };
            let rules = role_rules(catalog, role);
            let checks: [(&[&str], &str, &str); 2] = [
                (super::reads_secrets::READ, "secrets", "read every Secret"),
                (&["create"], "pods", "create pods"),
            ];
            for (verbs, resource, power) in checks {
                let Some((writer, rule)) = rules.iter().find(|(_, r)| grants(r, verbs, resource))
                else {
                    continue;
                };
                let scope = if grant.binding.kind() == "RoleBinding" {
                    format!("of namespace \"{}\"", grant.binding.namespace())
                } else {
                    "of every namespace".to_string()
                };
                out.push(
                    finding(
                        &META,
                        obj,
                        span,
                        format!(
                            "{} runs as ServiceAccount \"{sa}\", which can {power} {scope} through {} ({})",
                            obj.describe(),
                            grant.binding.describe(),
                            role.describe(),
                        ),
                    )
                    .with_label(format!("can {power}"))
                    .with_related(grant.binding.file, grant.role_ref.name_node.span, "the binding that grants it")
                    .with_related(writer.file, super::rule_span(rule), "the rule")
                    .with_help("give the workload its own ServiceAccount bound to a role without this grant, or name the objects it needs in resourceNames"),
                );
            }
        }
    }
}
