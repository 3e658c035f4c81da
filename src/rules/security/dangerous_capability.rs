//! KW6005: a container adding a Linux capability that breaks isolation:
//! `SYS_ADMIN`, `NET_ADMIN`, `NET_RAW` or `ALL`.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW6005",
    "dangerous-capability",
    Security,
    Warning,
    "A container adds SYS_ADMIN, NET_ADMIN, NET_RAW or ALL to its capabilities"
);

pub struct Rule;

/// The capability (without a `CAP_` prefix, upper case) and what it grants.
fn danger(cap: &str) -> Option<(String, &'static str)> {
    let upper = cap.trim().to_ascii_uppercase();
    let name = upper.strip_prefix("CAP_").unwrap_or(&upper).to_string();
    let effect = match name.as_str() {
        "ALL" => "every capability, as much as privileged: true short of the devices",
        "SYS_ADMIN" => {
            "mount, namespaces, BPF and much more: the usual way out of a container to the node"
        }
        "NET_ADMIN" => {
            "changing the pod's interfaces, routes and iptables rules (and the node's, with hostNetwork)"
        }
        "NET_RAW" => {
            "raw sockets: spoofed packets and ARP or DNS poisoning of other pods on the node"
        }
        _ => return None,
    };
    Some((name, effect))
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
            let Some(caps) = c.node.path(&["securityContext", "capabilities"]) else {
                continue;
            };
            for item in caps.get_seq("add") {
                let Some((name, effect)) = item.as_str().and_then(danger) else {
                    continue;
                };
                out.push(
                    finding(
                        &META,
                        obj,
                        item.span,
                        format!(
                            "{} of {} adds the {name} capability: {effect}",
                            container_label(&c),
                            obj.describe()
                        ),
                    )
                    .with_label("capability added")
                    .with_help(format!(
                        "remove {name} from `capabilities.add` (and `drop: [ALL]`), adding back only a narrow capability the container needs, such as NET_BIND_SERVICE"
                    )),
                );
            }
        }
    }
}
