//! Istio hosts the input does not define: whether the author evidently
//! meant one of its Services (a finding) or one deployed from elsewhere.
//! KW4001, KW4016 and `kwire trace` ask the same question here.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::model::istio::service_of;
use crate::model::kinds::is_workload;

/// Is a Service FQDN that the input does not define evidently meant to be in
/// the input (rather than deployed from elsewhere: a chart, an operator, the
/// Istio install)? Yes when a Service of that namespace is spelled like it
/// (a slip), when the rule's own file defines Services of that namespace,
/// or when a workload of that namespace carries the name (its Service was
/// forgotten).
pub fn evidently_missing(catalog: &Catalog<'_>, rule: &Object, fqdn: &str) -> bool {
    let Some((name, ns)) = service_of(fqdn) else {
        return false;
    };
    let names = service_names(catalog, ns);
    if suggest(name, &names).is_some() {
        return true;
    }
    catalog.in_namespace(ns).any(|o| {
        (o.kind() == "Service" && o.api_version() == "v1" && o.file == rule.file)
            || (is_workload(o.kind())
                && (o.name() == name
                    || o.pod_template().is_some_and(|t| {
                        t.labels.iter().any(|(k, v)| {
                            (*k == "app" || *k == "app.kubernetes.io/name") && v == name
                        })
                    })))
    })
}

/// Names of the Services in a namespace, sorted.
pub fn service_names(catalog: &Catalog<'_>, ns: &str) -> Vec<String> {
    let mut names: Vec<String> = catalog
        .in_namespace(ns)
        .filter(|o| o.kind() == "Service" && o.api_version() == "v1")
        .map(|o| o.name().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The candidate spelled most like `wanted`: the same name in another case,
/// else the one closest by a slip (at most a third of the letters differ),
/// if that closest one is unique. `v4` suggests nothing among `v1`..`v3`.
pub fn suggest<'c>(wanted: &str, candidates: &'c [String]) -> Option<&'c str> {
    if let Some(c) = candidates
        .iter()
        .find(|c| c.as_str() != wanted && c.eq_ignore_ascii_case(wanted))
    {
        return Some(c);
    }
    let scored: Vec<(usize, &String)> = candidates
        .iter()
        .filter(|c| c.as_str() != wanted)
        .map(|c| (crate::text::edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= wanted.chars().count().max(c.chars().count()) / 3)
        .collect();
    let best = scored.iter().map(|(d, _)| *d).min()?;
    let mut at_best = scored.iter().filter(|(d, _)| *d == best);
    let first = at_best.next()?;
    at_best.next().is_none().then_some(first.1.as_str())
}
