//! KW5xxx: practices a reviewer would ask to change (mutable image tags,
//! duplicate env vars, container resources). One file per rule.

pub mod duplicate_env_var;
pub mod image_latest_tag;
pub mod limit_below_request;
pub mod pdb_unevictable;
pub mod quantity;
pub mod resources_missing;

use crate::model::workload::Container;

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
