//! KW3109: a `nodePort` outside the default NodePort range 30000-32767 is
//! rejected by API servers that keep the default `--service-node-port-range`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::ServicePort;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3109",
    "node-port-out-of-range",
    Reference,
    Warning,
    "A nodePort lies outside the default NodePort range 30000-32767"
);

pub struct Rule;

pub const RANGE: std::ops::RangeInclusive<i64> = 30000..=32767;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        for sp in ServicePort::all(service.ports) {
            let Some(node) = sp.node_port else {
                continue;
            };
            let Some(n) = node.as_i64() else {
                continue;
            };
            // 0 asks for an allocated port.
            if n == 0 || RANGE.contains(&n) {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "nodePort {n} of {} port {} is outside the default NodePort range 30000-32767; the API server rejects it unless --service-node-port-range was widened",
                        obj.describe(),
                        sp.describe()
                    ),
                )
                .with_label("out of range")
                .with_help("pick a nodePort in 30000-32767, or remove it to let the cluster allocate one"),
            );
        }
    }
}
