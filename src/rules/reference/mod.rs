//! KW30xx checks that resolve references between objects: selectors and labels.

pub mod hpa_target_not_found;
pub mod hpa_target_sets_replicas;
pub mod network_policy_selector_matches_nothing;
pub mod no_match;
pub mod pdb_selector_matches_nothing;
pub mod service_selector_matches_nothing;
pub mod workload_selector_mismatch;
pub mod workload_selector_overlap;
