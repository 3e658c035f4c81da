//! Prometheus-operator `ServiceMonitor` and `PodMonitor` (KW3408, KW3409,
//! `kwire graph`):
//! which Services or pod templates a monitor selects, through its
//! `selector` and `namespaceSelector`, the way the operator does.

use crate::catalog::{Catalog, ObjectIdx, TemplateEntry};
use crate::model::Object;
use crate::model::selector::Selector;
use crate::parse::Node;
use crate::source::Span;
use crate::text::{edit_distance_with_swaps, typo_budget};

/// Which namespaces a monitor looks in.
pub enum Namespaces<'a> {
    /// `namespaceSelector: {any: true}`.
    Any,
    /// `matchNames`, or the monitor's own namespace.
    Names(Vec<&'a str>),
}

impl Namespaces<'_> {
    pub fn covers(&self, ns: &str) -> bool {
        match self {
            Namespaces::Any => true,
            Namespaces::Names(names) => names.contains(&ns),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Namespaces::Any => "any namespace".to_string(),
            Namespaces::Names(names) if names.len() == 1 => {
                format!("namespace \"{}\"", names.first().copied().unwrap_or(""))
            }
            Namespaces::Names(names) => format!(
                "namespaces {}",
                names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

pub struct Monitor<'a> {
    /// PodMonitor (pods) or ServiceMonitor (Services).
    pub pods: bool,
    pub selector: Selector<'a>,
    /// The `selector` key, where "selects nothing" points.
    pub selector_span: Span,
    pub namespaces: Namespaces<'a>,
    /// `endpoints` / `podMetricsEndpoints`.
    pub endpoints: &'a [Node],
}

/// The monitor view of a ServiceMonitor or PodMonitor of
/// `monitoring.coreos.com`; `None` for anything else, and for monitors
/// whose namespaceSelector kwire cannot evaluate (label selectors on
/// Namespace objects).
pub fn monitor(obj: &Object) -> Option<Monitor<'_>> {
    if !obj.api_version().starts_with("monitoring.coreos.com/") {
        return None;
    }
    let pods = match obj.kind() {
        "ServiceMonitor" => false,
        "PodMonitor" => true,
        _ => return None,
    };
    let spec = obj.root.get("spec")?;
    let entry = spec.entry("selector")?;
    let namespaces = match spec.get("namespaceSelector") {
        Some(ns) if ns.get("any").and_then(Node::as_bool) == Some(true) => Namespaces::Any,
        Some(ns) if !ns.get_seq("matchNames").is_empty() => Namespaces::Names(
            ns.get_seq("matchNames")
                .iter()
                .filter_map(Node::as_str)
                .collect(),
        ),
        _ => Namespaces::Names(vec![obj.namespace()]),
    };
    let endpoints = spec.get_seq(if pods {
        "podMetricsEndpoints"
    } else {
        "endpoints"
    });
    Some(Monitor {
        pods,
        selector: Selector::from_label_selector(&entry.value),
        selector_span: entry.key.span,
        namespaces,
        endpoints,
    })
}

/// Services the selector matches, in any namespace (callers filter by
/// `Namespaces::covers`). Uses the Service label index when the selector
/// has `matchLabels`; otherwise the Services of the covered namespaces.
pub fn services_matching<'a>(
    catalog: &Catalog<'a>,
    selector: &Selector<'_>,
    namespaces: &Namespaces<'_>,
) -> Vec<&'a Object> {
    if selector.invalid {
        return Vec::new();
    }
    let posting: Option<&[ObjectIdx]> = selector
        .match_labels
        .iter()
        .map(|(k, v)| catalog.services_with_label(k, v))
        .min_by_key(|p| p.len());
    let candidates: Vec<&'a Object> = match (posting, namespaces) {
        (Some(list), _) => list.iter().filter_map(|&i| catalog.object(i)).collect(),
        (None, Namespaces::Names(names)) => names
            .iter()
            .flat_map(|ns| catalog.in_namespace(ns))
            .filter(|o| o.kind() == "Service")
            .collect(),
        (None, Namespaces::Any) => catalog.of_kind("Service").collect(),
    };
    candidates
        .into_iter()
        .filter(|s| s.api_version() == "v1" && selector.matches(&s.labels()))
        .collect()
}

/// Pod templates the selector matches in the covered namespaces.
pub fn templates_matching<'c, 'a>(
    catalog: &'c Catalog<'a>,
    selector: &Selector<'_>,
    namespaces: &Namespaces<'_>,
) -> Vec<&'c TemplateEntry<'a>> {
    match namespaces {
        Namespaces::Any => catalog.templates_matching_elsewhere("", selector),
        Namespaces::Names(names) => names
            .iter()
            .flat_map(|ns| catalog.templates_matching(ns, selector))
            .collect(),
    }
}

/// A Service of the covered namespaces that misses the selector by one
/// `matchLabels` value spelled alike (`app: kube-state-metric` for
/// `kube-state-metrics`), with the differing `key=value` it has.
pub fn near_miss<'a>(
    catalog: &Catalog<'a>,
    selector: &Selector<'_>,
    namespaces: &Namespaces<'_>,
) -> Option<(&'a Object, String)> {
    if selector.match_labels.len() < 2 || !selector.expressions.is_empty() {
        return None;
    }
    for (k, v) in &selector.match_labels {
        for &i in catalog.services_with_label(k, v) {
            let Some(svc) = catalog.object(i) else {
                continue;
            };
            if !namespaces.covers(svc.namespace()) {
                continue;
            }
            let labels = svc.labels();
            let differing: Vec<(&str, Option<String>)> = selector
                .match_labels
                .iter()
                .filter(|(sk, sv)| !labels.iter().any(|(lk, lv)| lk == sk && lv == sv))
                .map(|(sk, _)| {
                    (
                        *sk,
                        labels
                            .iter()
                            .find(|(lk, _)| lk == sk)
                            .map(|(_, lv)| lv.to_string()),
                    )
                })
                .collect();
            if let [(key, Some(have))] = differing.as_slice() {
                let want = selector
                    .match_labels
                    .iter()
                    .find(|(sk, _)| sk == key)
                    .map(|(_, sv)| sv.as_ref())
                    .unwrap_or("");
                let d = edit_distance_with_swaps(have, want);
                if d > 0 && d <= typo_budget(want.len()) {
                    return Some((svc, format!("{key}={have}")));
                }
            }
        }
    }
    None
}

/// A Service whose pod selector (`spec.selector`), not its labels, fits
/// the monitor's selector: the classic mix-up, since a ServiceMonitor
/// matches Services by `metadata.labels`.
pub fn selects_by_pod_selector<'a>(
    catalog: &Catalog<'a>,
    selector: &Selector<'_>,
) -> Option<&'a Object> {
    let posting = selector
        .match_labels
        .iter()
        .map(|(k, v)| catalog.services_selecting(k, v))
        .min_by_key(|p| p.len())?;
    posting.iter().filter_map(|&i| catalog.object(i)).find(|s| {
        s.api_version() == "v1"
            && s.service()
                .and_then(|v| v.selector_node)
                .is_some_and(|n| selector.matches(&crate::model::selector::string_pairs(Some(n))))
    })
}

/// What a monitor selects in the namespaces it watches.
pub enum Targets<'c, 'a> {
    /// A ServiceMonitor's Services.
    Services(Vec<&'a Object>),
    /// A PodMonitor's pod templates.
    Pods(Vec<&'c TemplateEntry<'a>>),
}

/// What the input shows about a monitor that selects nothing (KW3408).
pub enum Miss<'a> {
    /// A matching Service or pod template (with its span) in a namespace
    /// the namespaceSelector does not include.
    OtherNamespace(&'a Object, Span),
    /// A Service of the watched namespaces that misses one `matchLabels`
    /// value spelled alike, with the differing `key=value` it has.
    NearMiss(&'a Object, String),
    /// A Service whose pod selector, not its labels, fits.
    PodSelector(&'a Object),
    /// A closed world: nothing else will create the target.
    Closed,
}

/// How a ServiceMonitor / PodMonitor resolves: what KW3408 and
/// `kwire graph` both read.
pub enum Resolution<'c, 'a> {
    /// An invalid selector, or an empty one in namespaces without any
    /// target: not evaluated, not reported.
    Unchecked,
    /// The Services / pod templates of the watched namespaces it selects.
    Found(Targets<'c, 'a>),
    /// Nothing selected, and the input shows what was meant: KW3408.
    Missing(Miss<'a>),
    /// Nothing selected, and nothing in the input resembles the target: it
    /// is deployed from elsewhere (the cluster's kube-dns, an operator's
    /// kubelet Service, another repository).
    Outside,
}

/// Resolves the monitor `m` of `obj` the way the Prometheus operator
/// does: `selector` on Service labels (ServiceMonitor) or pod template
/// labels (PodMonitor), in the namespaces of `namespaceSelector` (`any`,
/// `matchNames`, default the monitor's own).
pub fn resolve<'c, 'a>(
    catalog: &'c Catalog<'a>,
    obj: &Object,
    m: &Monitor<'_>,
) -> Resolution<'c, 'a> {
    if m.selector.invalid {
        return Resolution::Unchecked;
    }
    // What the selector matches anywhere, and whether the watched
    // namespaces hold any of it.
    let (found, anywhere): (Targets<'c, 'a>, Vec<(&'a Object, Span)>) = if m.pods {
        let all = templates_matching(catalog, &m.selector, &Namespaces::Any);
        let anywhere: Vec<(&'a Object, Span)> = all
            .iter()
            .filter_map(|e| {
                catalog
                    .object(e.object)
                    .map(|o| (o, e.template.labels_span()))
            })
            .collect();
        let covered = all
            .into_iter()
            .filter(|e| {
                catalog
                    .object(e.object)
                    .is_some_and(|o| m.namespaces.covers(o.namespace()))
            })
            .collect::<Vec<_>>();
        (Targets::Pods(covered), anywhere)
    } else {
        let all = services_matching(catalog, &m.selector, &Namespaces::Any);
        let anywhere = all.iter().map(|s| (*s, s.anchor_span())).collect();
        let covered = all
            .into_iter()
            .filter(|s| m.namespaces.covers(s.namespace()))
            .collect::<Vec<_>>();
        (Targets::Services(covered), anywhere)
    };
    let any_found = match &found {
        Targets::Pods(p) => !p.is_empty(),
        Targets::Services(s) => !s.is_empty(),
    };
    if any_found {
        return Resolution::Found(found);
    }
    if m.selector.is_empty() {
        return Resolution::Unchecked;
    }
    if let Some((other, span)) = anywhere
        .iter()
        .find(|(o, _)| crate::resolve::object_refs::explicit_namespace(o))
    {
        return Resolution::Missing(Miss::OtherNamespace(other, *span));
    }
    if !m.pods
        && let Some((svc, differing)) = near_miss(catalog, &m.selector, &m.namespaces)
    {
        return Resolution::Missing(Miss::NearMiss(svc, differing));
    }
    if !m.pods
        && let Some(svc) = selects_by_pod_selector(catalog, &m.selector)
    {
        return Resolution::Missing(Miss::PodSelector(svc));
    }
    if crate::policy::closed_for(catalog, obj)
        && !matches!(&m.namespaces, Namespaces::Names(names)
            if names.iter().all(|n| crate::policy::SYSTEM_NAMESPACES.contains(n)))
    {
        return Resolution::Missing(Miss::Closed);
    }
    Resolution::Outside
}
