//! KW5xxx: practices a reviewer would ask to change (mutable image tags,
//! duplicate env vars, container resources). One file per rule.

pub mod admission;
pub mod anti_affinity_missing;
pub mod class_refs;
pub mod cron;
pub mod cron_schedule_invalid;
pub mod default_namespace;
pub mod duplicate_env_var;
pub mod hpa_min_replicas;
pub mod image_digest_missing;
pub mod image_latest_tag;
pub mod image_pull_policy;
pub mod job_ttl_missing;
pub mod limit_below_request;
pub mod liveness_probe_missing;
pub mod liveness_same_as_readiness;
pub mod namespace_unset;
pub mod pdb_unevictable;
pub mod quantity;
pub mod readiness_probe_missing;
pub mod resources_missing;
pub mod service_exposed;

use crate::model::workload::{Container, PodTemplate};
use crate::parse::Node;

/// Every container of a template that names its image as a string: the
/// container, the `image` node (where findings point) and its text.
pub(crate) fn container_images<'t>(
    template: &'t PodTemplate<'t>,
) -> impl Iterator<Item = (Container<'t>, &'t Node, &'t str)> + 't {
    template.containers().filter_map(|c| {
        let node = c.node.get("image")?;
        let image = node.as_str()?;
        Some((c, node, image))
    })
}

/// `container "web"`, `init container "setup"`, or `an unnamed container`
/// (the schema rule reports the missing name).
pub(crate) fn container_label(c: &Container<'_>) -> String {
    let kind = if c.init {
        "init container"
    } else {
        "container"
    };
    match c.name {
        Some(name) => format!("{kind} \"{name}\""),
        None => format!("an unnamed {kind}"),
    }
}
