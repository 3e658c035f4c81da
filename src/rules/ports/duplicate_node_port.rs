//! KW3110: a nodePort is allocated cluster-wide: two Services asking for the
//! same one cannot both be created (the second gets "provided port is
//! already allocated").

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::ports::ServicePort;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3110",
    "duplicate-node-port",
    Reference,
    Error,
    "Two Services ask for the same nodePort"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(service) = obj.service() else {
            return;
        };
        for sp in ServicePort::all(service.ports) {
            let Some(node) = sp.node_port else {
                continue;
            };
            let Some(n) = node.as_i64().filter(|&n| n != 0) else {
                continue;
            };
            // Report on every Service after the first that claims the port
            // (the same object defined twice is KW0010's business).
            let Some(first) = catalog
                .node_port_claims(n)
                .iter()
                .filter_map(|&(idx, span)| Some((catalog.object(idx)?, span)))
                .find(|(o, _)| o.id() != obj.id())
            else {
                continue;
            };
            let (other, other_span) = first;
            let claims = catalog.node_port_claims(n);
            let mine = claims
                .iter()
                .position(|&(idx, _)| catalog.object(idx).is_some_and(|o| std::ptr::eq(o, obj)));
            let theirs = claims
                .iter()
                .position(|&(idx, _)| catalog.object(idx).is_some_and(|o| std::ptr::eq(o, other)));
            if mine < theirs {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "nodePort {n} of {} is also requested by {}; node ports are allocated cluster-wide, so only one of the two can be created",
                        obj.describe(),
                        other.describe()
                    ),
                )
                .with_label("already requested")
                .with_related(other.file, other_span, format!("nodePort {n} of {}", other.describe()))
                .with_help("give one of the Services another nodePort, or omit it to let the cluster allocate one"),
            );
        }
    }
}
