//! ResourceQuota and LimitRange admission (KW5501–KW5503): the objects of a
//! pod's namespace that make the API server reject a container for what
//! its `resources` say, or leave out.

pub mod limit_range_violation;
pub mod quota_requires_resources;
pub mod request_above_default_limit;

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::{Entry, Node};
use crate::rules::practice::quantity::Quantity;

/// The objects of `kind` in `namespace` (by the kind index: namespaces
/// without quotas cost nothing).
pub(crate) fn in_namespace<'a>(
    catalog: &Catalog<'a>,
    kind: &'static str,
    namespace: &str,
) -> Vec<&'a Object> {
    catalog
        .of_kind(kind)
        .filter(|o| o.namespace() == namespace && o.api_version() == "v1")
        .collect()
}

/// A quantity entry as written (`cpu: 500m`), parsed exactly; `None` when it
/// does not parse (the schema rules say so).
pub(crate) fn quantity<'a>(
    catalog: &Catalog<'a>,
    file: crate::source::FileId,
    node: &Node,
) -> Option<(Quantity, &'a str)> {
    let text = catalog
        .text(file, node.span)
        .trim_matches(|c| c == '"' || c == '\'');
    Some((Quantity::from_node(node, text)?, text))
}

/// The entry for `resource` in a `resources.requests` / `limits` map.
pub(crate) fn resource_entry<'a>(map: &'a [Entry], resource: &str) -> Option<&'a Entry> {
    map.iter().find(|e| e.key.as_str() == Some(resource))
}

/// The `limits[]` items of a LimitRange for containers.
pub(crate) fn container_limits(limit_range: &Object) -> impl Iterator<Item = &Node> {
    limit_range
        .root
        .path(&["spec", "limits"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter(|l| l.get_str("type") == Some("Container"))
}

/// The containers (and init containers) of a pod template with their
/// `resources.requests` and `resources.limits`.
pub(crate) struct Resources<'a> {
    pub container: crate::model::workload::Container<'a>,
    pub requests: &'a [Entry],
    pub limits: &'a [Entry],
}

pub(crate) fn containers(obj: &Object) -> Vec<Resources<'_>> {
    let Some(template) = obj.pod_template() else {
        return Vec::new();
    };
    template
        .containers()
        .map(|c| {
            let (requests, limits) = match c.node.get("resources") {
                Some(r) => (r.get_map("requests"), r.get_map("limits")),
                None => (&[][..], &[][..]),
            };
            Resources {
                container: c,
                requests,
                limits,
            }
        })
        .collect()
}

/// Where a finding about something a container lacks points: its name.
pub(crate) fn container_anchor(c: &crate::model::workload::Container<'_>) -> crate::source::Span {
    c.node
        .get("name")
        .map_or_else(|| crate::model::first_line_span(c.node), |n| n.span)
}

pub(crate) fn rejected(obj: &Object) -> String {
    if obj.kind() == "Pod" {
        "the API server rejects the Pod".to_string()
    } else {
        "the API server rejects every pod of it, so it never runs one".to_string()
    }
}
