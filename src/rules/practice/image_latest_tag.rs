//! KW5001: a container image with the `:latest` tag or no tag at all (which
//! the runtime resolves to `:latest`). An image pinned by digest is fine
//! whatever its tag says.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::rules::practice::container_label;
use crate::rules::{Check, RuleMeta, finding, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5001",
    "image-latest-tag",
    Practice,
    Warning,
    "A container image uses the `:latest` tag or no tag, so what runs changes without the manifest changing"
);

pub struct Rule;

/// An image reference's tag and digest, or `None` for a value kwire cannot
/// judge: empty, a `$(VAR)`/`${VAR}` placeholder, or text that is no image
/// reference at all, like `<YOUR-IMAGE>`.
pub struct ImageRef<'a> {
    /// The tag, if one is written (`1.27` of `nginx:1.27`).
    pub tag: Option<&'a str>,
    /// Pinned by digest (`@sha256:...`), whatever the tag says.
    pub digest: bool,
}

pub fn image_ref(image: &str) -> Option<ImageRef<'_>> {
    let image = image.trim();
    let (name, digest) = match image.split_once('@') {
        Some((name, _)) => (name, true),
        None => (image, false),
    };
    let reference_char = |c: char| c.is_ascii_alphanumeric() || "._-/:".contains(c);
    if name.is_empty() || !name.chars().all(reference_char) {
        return None;
    }
    // The tag follows the last `:` after the last `/` (a `:` before it is
    // a registry port: `registry:5000/app`).
    let last = name.rsplit('/').next().unwrap_or(name);
    Some(ImageRef {
        tag: last.rsplit_once(':').map(|(_, tag)| tag),
        digest,
    })
}

/// What is mutable about an image reference: `Some("no tag")`,
/// `Some("the :latest tag")`, or `None` (a fixed tag, a digest, or a value
/// `image_ref` cannot judge).
pub fn mutable_tag(image: &str) -> Option<&'static str> {
    let r = image_ref(image)?;
    if r.digest {
        return None;
    }
    match r.tag {
        None => Some("no tag"),
        Some("latest") => Some("the :latest tag"),
        Some(_) => None,
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
        for (c, node, image) in super::container_images(&template) {
            let Some(what) = mutable_tag(image) else {
                continue;
            };
            let help = if what == "no tag" {
                format!("pin a version (`{image}:1.2.3`) or a digest (`{image}@sha256:...`)")
            } else {
                let repo = image.trim().trim_end_matches(":latest");
                format!("pin a version (`{repo}:1.2.3`) or a digest (`{repo}@sha256:...`)")
            };
            out.push(
                finding(
                    &META,
                    obj,
                    node.span,
                    format!(
                        "{} of {} runs image \"{image}\" with {what}: each node pulls whatever `latest` points to when the pod starts, so replicas can run different builds and a rollback does not bring the old one back",
                        container_label(&c),
                        obj.describe()
                    ),
                )
                .with_label("mutable image tag")
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mutable_tag;

    #[test]
    fn tags_digests_and_registry_ports() {
        assert_eq!(mutable_tag("nginx"), Some("no tag"));
        assert_eq!(mutable_tag("nginx:latest"), Some("the :latest tag"));
        assert_eq!(mutable_tag("registry:5000/app"), Some("no tag"));
        assert_eq!(
            mutable_tag("registry:5000/app:latest"),
            Some("the :latest tag")
        );
        assert_eq!(mutable_tag("registry:5000/app:1.2"), None);
        assert_eq!(mutable_tag("nginx:1.27"), None);
        assert_eq!(mutable_tag("nginx@sha256:abc"), None);
        assert_eq!(mutable_tag("nginx:latest@sha256:abc"), None);
        assert_eq!(mutable_tag("$(IMAGE)"), None);
        assert_eq!(mutable_tag(""), None);
        assert_eq!(mutable_tag("<YOUR-CONTAINER>"), None);
        assert_eq!(mutable_tag("${REGISTRY}/app"), None);
    }
}
