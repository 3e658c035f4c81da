//! KW3215: no listener of the parent Gateway admits the route: its
//! `allowedRoutes.namespaces` (`Same` by default, `All`, `Selector`)
//! excludes the route's namespace, or its `allowedRoutes.kinds` (by default
//! the kinds of the listener's protocol) excludes the route's kind. The
//! admission is decided by `crate::resolve::gateway_api`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::resolve::gateway_api::{self, Admission, GatewayLookup, Verdict};
use crate::rules::{Check, RuleMeta, finding, rule_meta};
use crate::source::Span;

pub static META: RuleMeta = rule_meta!(
    "KW3215",
    "route-not-admitted",
    Reference,
    Warning,
    "No listener of the parent Gateway admits the route's namespace or kind"
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        for parent in obj.route_parent_refs() {
            let Some(attachment) = gateway_api::attach(obj, &parent, catalog) else {
                continue;
            };
            let GatewayLookup::Unique(gateway) = attachment.lookup else {
                continue;
            };
            if attachment.verdict() != Verdict::NotAllowedByListeners {
                continue;
            }
            let refusals: Vec<(&str, Span)> = attachment
                .listeners
                .iter()
                .filter_map(|l| match &l.admission {
                    Admission::Refused(reason, span) => Some((reason.as_str(), *span)),
                    Admission::Admits | Admission::Unknown => None,
                })
                .collect();
            let Some(&(first_reason, first_node)) = refusals.first() else {
                continue;
            };
            let name = attachment.name;
            let reasons: Vec<&str> = refusals.iter().map(|(r, _)| *r).collect();
            let help = if first_reason.contains("own namespace")
                || first_reason.contains("namespaces matching")
            {
                format!(
                    "set allowedRoutes.namespaces.from: All (or a Selector that matches \"{}\") on the listener, or move the route to namespace \"{}\"",
                    obj.namespace(),
                    gateway.namespace()
                )
            } else {
                format!(
                    "attach the {} to a listener whose protocol or allowedRoutes.kinds admits it",
                    obj.kind()
                )
            };
            out.push(
                finding(
                    &META,
                    obj,
                    parent.name.span,
                    format!(
                        "{} attaches to Gateway \"{name}\" (namespace {}), but no listener admits it: {}; the route is not accepted (NotAllowedByListeners)",
                        obj.describe(),
                        gateway.namespace(),
                        reasons.join("; ")
                    ),
                )
                .with_label("not admitted by any listener")
                .with_related(gateway.file, first_node, "the listener's allowedRoutes")
                .with_help(help),
            );
        }
    }
}
