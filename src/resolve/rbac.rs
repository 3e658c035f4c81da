//! RBAC references: a RoleBinding or ClusterRoleBinding's `roleRef` to the
//! Role or ClusterRole it grants, its `subjects` to ServiceAccounts, and the
//! other way round, a ServiceAccount to the bindings that name it and the
//! rules those grant. The rules KW6510–KW6516 ask these questions, and
//! `kwire graph` can draw the same edges.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;

/// A binding's `roleRef`.
pub struct RoleRef<'a> {
    /// `Role` or `ClusterRole`.
    pub kind: &'a str,
    pub name: &'a str,
    /// The `roleRef.name` scalar.
    pub name_node: &'a Node,
}

/// The roleRef of a RoleBinding or ClusterRoleBinding.
pub fn role_ref(binding: &Object) -> Option<RoleRef<'_>> {
    if !is_binding(binding) {
        return None;
    }
    let r = binding.root.get("roleRef")?;
    let name_node = r.get("name")?;
    let name = name_node.as_str().filter(|n| !n.is_empty())?;
    let kind = r.get_str("kind").unwrap_or("ClusterRole");
    Some(RoleRef {
        kind,
        name,
        name_node,
    })
}

pub fn is_binding(obj: &Object) -> bool {
    matches!(obj.kind(), "RoleBinding" | "ClusterRoleBinding")
        && obj.api_version().starts_with("rbac.authorization.k8s.io/")
}

pub fn is_role(obj: &Object) -> bool {
    matches!(obj.kind(), "Role" | "ClusterRole")
        && obj.api_version().starts_with("rbac.authorization.k8s.io/")
}

/// How a roleRef resolves.
pub enum RoleResolution<'a> {
    /// The Role (in the binding's namespace) or ClusterRole of the world.
    Found(&'a Object),
    /// A ClusterRole every cluster has (`cluster-admin`, `admin`, `edit`,
    /// `view`, `system:*`).
    Builtin,
    /// Not in the input, and `crate::policy` says it comes from elsewhere.
    Outside,
    /// Not in the input, and it should be: KW6510 reports it.
    Missing,
}

/// The namespace a roleRef's Role is looked up in: the binding's for a
/// Role, none (cluster-scoped) for a ClusterRole.
fn role_namespace<'a>(binding: &'a Object, r: &RoleRef<'_>) -> &'a str {
    if r.kind == "Role" {
        binding.namespace()
    } else {
        ""
    }
}

pub fn resolve_role<'a>(
    catalog: &Catalog<'a>,
    binding: &Object,
    r: &RoleRef<'_>,
) -> RoleResolution<'a> {
    let ns = role_namespace(binding, r);
    let found = catalog
        .named(r.kind, r.name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .find(|o| is_role(o) && o.namespace() == ns);
    if let Some(role) = found {
        return RoleResolution::Found(role);
    }
    if crate::policy::builtin(r.kind, ns, r.name) {
        return RoleResolution::Builtin;
    }
    if !crate::policy::report_missing(catalog, binding, r.kind, ns, r.name) {
        return RoleResolution::Outside;
    }
    // A Role written without `metadata.namespace` may be applied into the
    // binding's namespace (`kubectl -n`).
    if r.kind == "Role"
        && catalog
            .named(r.kind, r.name)
            .iter()
            .filter_map(|&i| catalog.object(i))
            .any(|o| !crate::resolve::object_refs::explicit_namespace(o))
    {
        return RoleResolution::Outside;
    }
    RoleResolution::Missing
}

/// One subject of a binding.
pub struct Subject<'a> {
    /// `ServiceAccount`, `User` or `Group`.
    pub kind: &'a str,
    pub name: &'a str,
    /// A ServiceAccount's namespace (`subjects[].namespace`, else the
    /// binding's); `""` for users and groups.
    pub namespace: &'a str,
    /// Whether `namespace` was written on the subject.
    pub explicit_namespace: bool,
    /// The subject's `name` scalar.
    pub name_node: &'a Node,
}

pub fn subjects(binding: &Object) -> Vec<Subject<'_>> {
    if !is_binding(binding) {
        return Vec::new();
    }
    binding
        .root
        .get_seq("subjects")
        .iter()
        .filter_map(|s| {
            let name_node = s.get("name")?;
            let name = name_node.as_str()?;
            let kind = s.get_str("kind")?;
            let written = s.get_str("namespace").filter(|n| !n.is_empty());
            let namespace = match kind {
                "ServiceAccount" => written.unwrap_or(binding.namespace()),
                _ => "",
            };
            Some(Subject {
                kind,
                name,
                namespace,
                explicit_namespace: written.is_some(),
                name_node,
            })
        })
        .collect()
}

/// Does the subject name the ServiceAccount `name` of `namespace` (itself,
/// or a group every ServiceAccount of it is in)?
pub fn subject_covers(s: &Subject<'_>, namespace: &str, name: &str) -> bool {
    match s.kind {
        "ServiceAccount" => s.name == name && s.namespace == namespace,
        "Group" => {
            s.name == "system:serviceaccounts"
                || s.name
                    .strip_prefix("system:serviceaccounts:")
                    .is_some_and(|ns| ns == namespace)
        }
        "User" => s
            .name
            .strip_prefix("system:serviceaccount:")
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(ns, n)| ns == namespace && n == name),
        _ => false,
    }
}

/// The rules a Role or ClusterRole grants: its own, plus for an aggregated
/// ClusterRole those of the world's ClusterRoles its `aggregationRule`
/// selects by label.
/// Each rule comes with the role that writes it.
pub fn role_rules<'a>(catalog: &Catalog<'a>, role: &'a Object) -> Vec<(&'a Object, &'a Node)> {
    let mut rules: Vec<(&'a Object, &'a Node)> = role
        .root
        .get_seq("rules")
        .iter()
        .map(|r| (role, r))
        .collect();
    if role.kind() != "ClusterRole" {
        return rules;
    }
    let selectors = role
        .root
        .path(&["aggregationRule", "clusterRoleSelectors"])
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for sel in selectors {
        let selector = crate::model::selector::Selector::from_label_selector(sel);
        if selector.invalid || selector.is_empty() {
            continue;
        }
        for other in catalog.of_kind("ClusterRole") {
            if std::ptr::eq(other, role) || !is_role(other) {
                continue;
            }
            let labels = other.labels();
            if selector.matches(&labels) {
                rules.extend(other.root.get_seq("rules").iter().map(|r| (other, r)));
            }
        }
    }
    rules
}

/// One binding that grants a ServiceAccount a role, with the role (when the
/// world defines it).
pub struct Grant<'a> {
    pub binding: &'a Object,
    pub role_ref: RoleRef<'a>,
    pub role: Option<&'a Object>,
}

/// The bindings of the world that name the ServiceAccount `name` of
/// `namespace`: RoleBindings of that namespace and every ClusterRoleBinding.
pub fn grants_of<'a>(catalog: &Catalog<'a>, namespace: &str, name: &str) -> Vec<Grant<'a>> {
    let bindings = catalog
        .of_kind("RoleBinding")
        .filter(|b| b.namespace() == namespace)
        .chain(catalog.of_kind("ClusterRoleBinding"));
    let mut out = Vec::new();
    for binding in bindings {
        if !subjects(binding)
            .iter()
            .any(|s| subject_covers(s, namespace, name))
        {
            continue;
        }
        let Some(role_ref) = role_ref(binding) else {
            continue;
        };
        let role = match resolve_role(catalog, binding, &role_ref) {
            RoleResolution::Found(role) => Some(role),
            _ => None,
        };
        out.push(Grant {
            binding,
            role_ref,
            role,
        });
    }
    out
}

/// The strings of a rule's list field (`verbs`, `resources`, `apiGroups`).
pub fn rule_list<'a>(rule: &'a Node, key: &str) -> Vec<&'a str> {
    rule.get_seq(key).iter().filter_map(Node::as_str).collect()
}

/// Does `rule` grant `verb` on `resource` (`secrets`, `pods/exec`) of the
/// core API group, to every object of it (no `resourceNames`)?
pub fn grants(rule: &Node, verbs: &[&str], resource: &str) -> bool {
    let groups = rule_list(rule, "apiGroups");
    let resources = rule_list(rule, "resources");
    let rule_verbs = rule_list(rule, "verbs");
    let (base, sub) = match resource.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (resource, None),
    };
    let resource_ok = resources.iter().any(|r| {
        *r == "*"
            || *r == resource
            || sub.is_some_and(|s| *r == format!("*/{s}") || *r == format!("{base}/*"))
    });
    (groups.contains(&"") || groups.contains(&"*"))
        && resource_ok
        && rule_verbs.iter().any(|v| *v == "*" || verbs.contains(v))
        && rule.get_seq("resourceNames").is_empty()
}
