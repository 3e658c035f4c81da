//! KW5012 (opt-in): a container whose image tag is mutable (no digest) and
//! whose pull policy is not `Always`. With `IfNotPresent` (the default for
//! any tag but `latest`) a node keeps running the build it pulled first,
//! so after the tag moves the replicas differ by node.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::practice::image_latest_tag::image_ref;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5012",
    "image-pull-policy-not-always",
    Practice,
    Warning,
    "A container image has a mutable tag and imagePullPolicy is not Always, so nodes can run different builds (opt-in)",
    opt_in
);

pub struct Rule;

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, _: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        let Some(template) = obj.pod_template() else {
            return;
        };
        for (c, image_node, image) in super::container_images(&template) {
            let Some(r) = image_ref(image) else {
                continue;
            };
            if r.digest {
                continue;
            }
            let policy = c.node.get("imagePullPolicy");
            let (span, what) = match policy.and_then(|p| p.as_str()) {
                Some("Always") => continue,
                Some(other) => (
                    policy.map_or(image_node.span, |p| p.span),
                    format!("imagePullPolicy: {other}"),
                ),
                // The API server defaults to Always for `latest` and no tag.
                None if matches!(r.tag, None | Some("latest")) => continue,
                None => (
                    image_node.span,
                    "no imagePullPolicy (IfNotPresent for a tagged image)".to_string(),
                ),
            };
            out.push(
                finding(
                    &META,
                    obj,
                    span,
                    format!(
                        "{} of {} has a mutable image tag and {what}: a node that pulled the tag once keeps that build, so after the tag moves replicas run different code depending on their node",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("pull policy")
                .with_help("pin the image by digest (`image@sha256:...`), or set `imagePullPolicy: Always`"),
            );
        }
    }
}
