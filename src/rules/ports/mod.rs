//! KW31xx: ports — Service ports against the container ports of the pods
//! they select, probe ports, and the port lists of Services and pods.

pub mod container_port_conflict;
pub mod duplicate_container_name;
pub mod duplicate_node_port;
pub mod duplicate_port_name;
pub mod duplicate_service_port;
pub mod external_name_ignored_fields;
pub mod external_traffic_policy_cluster_ip;
pub mod node_port_out_of_range;
pub mod port_protocol_mismatch;
pub mod probe_port_not_found;
pub mod service_port_name_missing;
pub mod service_target_port;
pub mod service_target_port_undeclared;

// The shared port vocabulary lives in the resolution layer.
pub use crate::resolve::ports::*;
