//! KW6015 (opt-in): a pod that gets its ServiceAccount's API token mounted
//! although nothing says it needs one: `automountServiceAccountToken` is not
//! false on the pod, nor on its ServiceAccount when the input defines it.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6015",
    "service-account-token-automounted",
    Security,
    Warning,
    "A pod mounts its ServiceAccount's API token: automountServiceAccountToken is false neither on the pod nor on the ServiceAccount (opt-in)",
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
        let Some(spec) = template.spec else {
            return;
        };
        let on_pod = spec.get("automountServiceAccountToken");
        if on_pod.is_some_and(|n| !n.is_null()) {
            // The pod decides; an explicit true is a decision too.
            return;
        }
        let account = spec
            .get_str("serviceAccountName")
            .or_else(|| spec.get_str("serviceAccount"))
            .unwrap_or("default");
        let accounts = catalog.find("v1", "ServiceAccount", obj.namespace(), account);
        let account_says = accounts
            .iter()
            .filter_map(|&i| catalog.object(i))
            .filter_map(|sa| sa.root.get("automountServiceAccountToken"))
            .find_map(|n| n.as_bool());
        if account_says.is_some() {
            return;
        }
        let span = spec
            .entry("serviceAccountName")
            .map(|e| e.key.span)
            .unwrap_or_else(|| {
                template
                    .node
                    .entry("spec")
                    .map_or(template.node.span, |e| e.key.span)
            });
        out.push(
            finding(
                &META,
                obj,
                span,
                format!(
                    "{} ServiceAccount \"{account}\"'s API token mounted at /var/run/secrets/kubernetes.io/serviceaccount: whoever gets code execution in any container can call the API server with its permissions",
                    if obj.kind() == "Pod" {
                        format!("{} gets", obj.describe())
                    } else {
                        format!("the pods of {} get", obj.describe())
                    }
                ),
            )
            .with_label("token mounted")
            .with_help("set `automountServiceAccountToken: false` on the pod spec (or the ServiceAccount) unless the application calls the Kubernetes API"),
        );
    }
}
