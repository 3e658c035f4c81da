//! KW3xxx checks that resolve references between objects.

pub mod service_selector_matches_nothing;
pub mod workload_selector_mismatch;
