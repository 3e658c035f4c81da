//! The governing Service of a StatefulSet (`spec.serviceName`), shared by
//! KW3406 (missing) and KW3407 (not headless).

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::reference::object_refs::explicit_namespace;
use crate::text::{edit_distance_with_swaps, typo_budget};

pub enum Governing<'a> {
    /// No `serviceName`, or nothing kwire can check.
    Unchecked,
    Found {
        name_node: &'a Node,
        service: &'a Object,
    },
    Missing {
        name_node: &'a Node,
        name: &'a str,
        /// The Service spelled alike in the namespace, or of that name in
        /// another namespace.
        /// None under `--closed-world`, where a missing name needs no evidence.
        hint: Option<&'a Object>,
    },
}

pub fn governing<'a, 'c>(obj: &'a Object, catalog: &Catalog<'c>) -> Governing<'a>
where
    'c: 'a,
{
    if obj.kind() != "StatefulSet" {
        return Governing::Unchecked;
    }
    let Some(name_node) = obj.root.path(&["spec", "serviceName"]) else {
        return Governing::Unchecked;
    };
    let Some(name) = name_node.as_str().filter(|n| !n.is_empty()) else {
        return Governing::Unchecked;
    };
    let ns = obj.namespace();
    let found = catalog
        .named("Service", name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .find(|s| s.namespace() == ns && s.api_version() == "v1");
    if let Some(service) = found {
        return Governing::Found { name_node, service };
    }
    if catalog.assumed("Service", ns, name) || crate::policy::builtin("Service", ns, name) {
        return Governing::Unchecked;
    }
    // --closed-world: every reference that does not resolve is reported.
    let closed = crate::policy::closed_for(catalog, obj);
    if !closed && !catalog.has_kind_in("Service", ns) {
        return Governing::Unchecked;
    }
    // Only when the input shows what was meant: a Service of the namespace
    // spelled alike, or one of that name in another namespace. Otherwise
    // the Service is created elsewhere, or the application does not use
    // the pods' DNS names (some projects name a Service they never create).
    let elsewhere = catalog
        .named("Service", name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .find(|o| explicit_namespace(o));
    let alike = catalog
        .in_namespace(ns)
        .filter(|o| o.kind() == "Service")
        .find(|o| {
            let d = edit_distance_with_swaps(o.name(), name);
            d > 0 && d <= typo_budget(name.len())
        });
    match alike.or(elsewhere) {
        Some(hint) => Governing::Missing {
            name_node,
            name,
            hint: Some(hint),
        },
        None if closed => Governing::Missing {
            name_node,
            name,
            hint: None,
        },
        None => Governing::Unchecked,
    }
}

pub fn is_headless(service: &Object) -> bool {
    service
        .root
        .path(&["spec", "clusterIP"])
        .and_then(Node::as_str)
        == Some("None")
}
