//! KW5011 (opt-in): a container image referenced by tag, not by digest. A
//! tag (even `1.27`) can be moved to another build; a digest cannot.
//! Placeholders and text that is no image reference are skipped, as in KW5001.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::practice::image_latest_tag::image_ref;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5011",
    "image-digest-missing",
    Practice,
    Warning,
    "A container image is referenced by tag, not by digest, so the same manifest can run different builds (opt-in)",
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
        for (c, node, image) in super::container_images(&template) {
            let Some(r) = image_ref(image) else {
                continue;
            };
            if r.digest {
                continue;
            }
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} of {} runs image \"{}\" without a digest: whoever can push to the registry can move the tag, and nodes that pull later run the new build",
                        container_label(&c),
                        obj.describe(),
                        image.trim()
                    ),
                )
                .with_label("no digest")
                .with_help(format!("pin the build: `{}@sha256:<digest>` (the tag may stay for readers)", image.trim())),
            );
        }
    }
}
