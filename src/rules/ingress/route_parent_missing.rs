//! KW3213: a Gateway API route's parentRef names a Gateway that is not in
//! the namespace the reference points to (with evidence of a slip; the
//! lookup is `crate::resolve::gateway_api::lookup_gateway`).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::resolve::gateway_api::{self, GatewayLookup};
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW3213",
    "route-parent-missing",
    Reference,
    Warning,
    "A Gateway API route's parentRef names a Gateway that does not exist"
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
            let (name, ns) = (attachment.name, attachment.namespace);
            match attachment.lookup {
                GatewayLookup::Elsewhere(other) => {
                    let help = if parent.namespace.and_then(Node::as_str).is_some() {
                        format!("set namespace: {} in the parentRef", other.namespace())
                    } else {
                        format!(
                            "add namespace: {} to the parentRef (a parentRef without one means the route's own namespace \"{ns}\")",
                            other.namespace()
                        )
                    };
                    out.push(
                        finding(
                            &META,
                            obj,
                            parent.name.span,
                            format!(
                                "{} attaches to Gateway \"{name}\" in namespace \"{ns}\", which does not exist; a Gateway \"{name}\" exists in namespace \"{}\"",
                                obj.describe(),
                                other.namespace()
                            ),
                        )
                        .with_label("no such Gateway in this namespace")
                        .with_related(other.file, other.anchor_span(), "the Gateway, in another namespace")
                        .with_help(help),
                    );
                }
                // Only with evidence of a slip: a Gateway with a similar name in
                // the namespace. A route may well attach to a Gateway that the
                // platform team deploys from elsewhere.
                GatewayLookup::Near(near) => out.push(
                    finding(
                        &META,
                        obj,
                        parent.name.span,
                        format!(
                            "{} attaches to Gateway \"{name}\", which does not exist in namespace \"{ns}\"; the route is not served (Accepted: False)",
                            obj.describe()
                        ),
                    )
                    .with_label("no such Gateway")
                    .with_related(near.file, near.anchor_span(), "a Gateway with a similar name")
                    .with_help(format!("did you mean Gateway \"{}\"?", near.name())),
                ),
                GatewayLookup::Unique(_)
                | GatewayLookup::Several(_)
                | GatewayLookup::Assumed
                | GatewayLookup::Absent => {}
            }
        }
    }
}
