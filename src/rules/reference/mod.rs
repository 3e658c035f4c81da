//! KW3xxx checks that resolve references between objects.

pub mod dns;
pub mod dns_name_unresolved;
pub mod dns_port_not_exposed;
pub mod dns_short_name_other_namespace;
pub mod service_selector_matches_nothing;
pub mod workload_selector_mismatch;
