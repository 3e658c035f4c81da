//! KW30xx checks that resolve references between objects: selectors and labels.

pub mod configmap_not_found;
pub mod dns_name_unresolved;
pub mod dns_port_not_exposed;
pub mod dns_short_name_other_namespace;
pub mod hpa_target_not_found;
pub mod hpa_target_sets_replicas;
pub mod key_not_found;
pub mod monitor_port_not_found;
pub mod monitor_selects_nothing;
pub mod network_policy_selector_matches_nothing;
pub mod no_match;
pub mod object_refs;
pub mod pdb_selector_matches_nothing;
pub mod pvc_not_found;
pub mod secret_not_found;
pub mod service_account_not_found;
pub mod service_selector_matches_nothing;
pub mod statefulset_service;
pub mod statefulset_service_not_found;
pub mod statefulset_service_not_headless;
pub mod workload_selector_mismatch;
pub mod workload_selector_overlap;
