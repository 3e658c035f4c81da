//! References to cluster-scoped classes (KW5510–KW5512): PriorityClass,
//! StorageClass and RuntimeClass names that the unit defines classes of
//! that kind for, but not this one. Missing names follow the policy every
//! missing reference follows (`crate::policy::report_missing`): a unit that
//! defines no class of the kind leaves them to the cluster.

pub mod priority_class_not_found;
pub mod runtime_class_not_found;
pub mod storage_class_not_found;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;

/// What a class reference is: the rule, the class kind, the field and what
/// a missing class does.
pub(crate) struct ClassRef<'s> {
    pub meta: &'static crate::rules::RuleMeta,
    pub kind: &'static str,
    pub field: &'s str,
    pub consequence: &'s str,
}

/// Reports `name_node` (a class name written by `obj`) when the class is
/// missing.
pub(crate) fn check_class(
    r: &ClassRef<'_>,
    obj: &Object,
    name_node: &Node,
    catalog: &Catalog<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let ClassRef {
        meta,
        kind,
        field,
        consequence,
    } = *r;
    let Some(name) = name_node.as_str().filter(|n| !n.is_empty()) else {
        return;
    };
    if catalog
        .named(kind, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .any(|o| o.api_version() != "")
    {
        return;
    }
    if !crate::policy::report_missing(catalog, obj, kind, "", name) {
        return;
    }
    let defined: Vec<&Object> = catalog.of_kind(kind).collect();
    let names: Vec<String> = defined
        .iter()
        .take(5)
        .map(|o| format!("\"{}\"", o.name()))
        .collect();
    let nearest = defined
        .iter()
        .map(|o| (crate::text::edit_distance_with_swaps(o.name(), name), *o))
        .filter(|(d, o)| *d > 0 && *d <= crate::text::typo_budget(o.name().len().max(name.len())))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o);
    let mut diag = crate::rules::finding(
        meta,
        obj,
        name_node.span,
        format!(
            "{} uses {kind} \"{name}\" ({field}), which is not defined, while the input defines {kind}es {}: {consequence}",
            obj.describe(),
            crate::text::join_names(&names),
        ),
    )
    .with_label(format!("no {kind} of this name"))
    .with_help(crate::policy::missing_help(
        kind,
        "",
        name,
        nearest.map(|o| o.name()),
    ));
    if let Some(first) = nearest.or(defined.first().copied()) {
        diag = diag.with_related(
            first.file,
            first.anchor_span(),
            if nearest.is_some() {
                format!("{kind} spelled alike")
            } else {
                format!("a {kind} of the input")
            },
        );
    }
    out.push(diag);
}
