//! KW5014 (opt-in): a container whose liveness probe is the same as its
//! readiness probe (same handler, same thresholds), compared as values
//! (key order and spans aside).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::{Node, Value};
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5014",
    "liveness-same-as-readiness",
    Practice,
    Warning,
    "A container's liveness probe is identical to its readiness probe, so a pod that is only busy gets restarted (opt-in)",
    opt_in
);

pub struct Rule;

/// Equal as YAML values: mappings compared by key whatever the order,
/// spans ignored.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| {
                    e.key
                        .as_str()
                        .and_then(|k| b.get(k))
                        .is_some_and(|v| same_value(&e.value, v))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
        }
        (x, y) => x == y,
    }
}

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for c in template.containers() {
            let (Some(live), Some(ready)) =
                (c.node.entry("livenessProbe"), c.node.get("readinessProbe"))
            else {
                continue;
            };
            if !same_value(&live.value, ready) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    live.key.span,
                    format!(
                        "{} of {} has a liveness probe identical to its readiness probe: when the pod is only overloaded or waiting on a dependency, the kubelet restarts it instead of just taking it out of the endpoints, which makes an overload worse",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("same as readinessProbe")
                .with_help("make the liveness probe check only that the process is alive (a cheap endpoint, a higher failureThreshold), and leave dependency checks to the readiness probe"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_value;
    use crate::parse::{Entry, Node, Value};
    use crate::source::Span;

    fn n(v: Value) -> Node {
        Node::new(Span::default(), v)
    }
    fn map(pairs: &[(&str, i64)]) -> Node {
        n(Value::Map(
            pairs
                .iter()
                .map(|(k, v)| Entry {
                    key: n(Value::Str((*k).into())),
                    value: n(Value::Int(*v)),
                })
                .collect(),
        ))
    }

    #[test]
    fn key_order_does_not_matter_values_do() {
        assert!(same_value(
            &map(&[("a", 1), ("b", 2)]),
            &map(&[("b", 2), ("a", 1)])
        ));
        assert!(!same_value(&map(&[("a", 1)]), &map(&[("a", 2)])));
        assert!(!same_value(&map(&[("a", 1)]), &map(&[("a", 1), ("b", 2)])));
    }
}
