//! KW0xxx checks on one object's structure and metadata.

pub mod duplicate_object;
pub mod invalid_annotation_key;
pub mod invalid_label;
pub mod invalid_object_name;
pub mod invalid_port;
pub mod invalid_restart_policy;
pub mod non_string_value;
