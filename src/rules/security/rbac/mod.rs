//! RBAC (KW6510–KW6516): bindings whose role or ServiceAccount does not
//! exist, grants a reviewer must see (cluster-admin, wildcards, Secrets,
//! exec, escalation), and what a workload's ServiceAccount can do through
//! its bindings. References are followed by `crate::resolve::rbac`.

pub mod cluster_admin_binding;
pub mod privilege_verbs;
pub mod reads_secrets;
pub mod role_not_found;
pub mod service_account_powers;
pub mod subject_not_found;
pub mod wildcard;

use crate::model::Object;
use crate::parse::Node;
use crate::source::Span;

/// `Role "x" (namespace y)` / `ClusterRole "x"`.
pub(crate) fn role_label(role: &Object) -> String {
    role.describe()
}

/// The span of a rule entry's first line (`- apiGroups: [""]`).
pub(crate) fn rule_span(rule: &Node) -> Span {
    crate::model::first_line_span(rule)
}

/// `get, list on secrets` for messages.
pub(crate) fn list(items: &[&str]) -> String {
    items.join(", ")
}
