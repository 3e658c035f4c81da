//! KW4016: the weights of a split route do not sum to 100.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::istio::is_kind;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW4016",
    "istio-route-weights-not-100",
    Istio,
    Info,
    "The weights of a VirtualService route split do not sum to 100"
);

pub struct Rule;

/// `12.5`, `33.3`, `50`: a share rounded to one decimal.
fn percent(weight: i64, total: i64) -> String {
    // Both are i32 in Istio's API; the product cannot overflow an i64.
    let tenths = (weight.saturating_mul(1000) + total / 2) / total;
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{}.{}%", tenths / 10, tenths % 10)
    }
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        if !is_kind(obj, "VirtualService") {
            return;
        }
        let Some(spec) = obj.root.get("spec") else {
            return;
        };
        for section in ["http", "tcp", "tls"] {
            for (i, entry) in spec.get_seq(section).iter().enumerate() {
                let Some(route) = entry.entry("route") else {
                    continue;
                };
                let items = route.value.as_seq().unwrap_or(&[]);
                if items.len() < 2 {
                    // One destination takes all traffic whatever its weight.
                    continue;
                }
                let weights: Vec<(Option<&Node>, i64)> = items
                    .iter()
                    .map(|item| {
                        let w = item.get("weight");
                        (w, w.and_then(Node::as_i64).unwrap_or(0))
                    })
                    .collect();
                // A non-integer weight is the schema's business; a total
                // of 0 (or less) is KW4014's.
                if weights
                    .iter()
                    .any(|(n, _)| n.is_some_and(|n| n.as_i64().is_none()))
                {
                    continue;
                }
                let total: i64 = weights.iter().map(|(_, w)| *w).sum();
                if total <= 0 || total == 100 {
                    continue;
                }
                let shares: Vec<String> = items
                    .iter()
                    .zip(&weights)
                    .map(|(item, (_, w))| {
                        let d = item.get("destination");
                        let host = d.and_then(|d| d.get_str("host")).unwrap_or("?");
                        let name = match d.and_then(|d| d.get_str("subset")) {
                            Some(s) => format!("{host} {s}"),
                            None => host.to_string(),
                        };
                        format!("{name} {}", percent(*w, total))
                    })
                    .collect();
                let unweighted = weights.iter().filter(|(n, _)| n.is_none()).count();
                let mut message = format!(
                    "{}: the weights of {section}[{i}].route sum to {total}, not 100; Istio 1.15 and later split traffic in proportion ({}), Istio before 1.15 rejects the VirtualService",
                    obj.describe(),
                    shares.join(", ")
                );
                if unweighted > 0 {
                    message.push_str(&format!(
                        "; {unweighted} destination(s) without a `weight` get no traffic"
                    ));
                }
                let span = weights
                    .iter()
                    .find_map(|(n, _)| *n)
                    .map_or(route.key.span, |n| n.span);
                out.push(
                    finding(&META, obj, span, message)
                        .with_label(format!("weights total {total}"))
                        .with_help(
                            "write the weights as percentages that sum to 100, so that the split reads the same to people and to every Istio version",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn rounds_shares() {
        assert_eq!(percent(1, 2), "50%");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 90), "0%");
    }
}
