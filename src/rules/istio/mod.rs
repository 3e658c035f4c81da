//! Istio traffic analysis (KW4xxx): Gateway ← VirtualService →
//! DestinationRule subsets → pods. Every rule resolves hosts through
//! `model::istio` and matches labels through `model::selector`.

pub mod conflicting_gateway_virtual_services;
pub mod conflicting_mesh_virtual_services;
pub mod destination_port;
pub mod duplicate_destination_rule;
pub mod gateway_not_found;
pub mod gateway_selector_matches_nothing;
pub mod host_not_found;
pub mod host_not_in_gateway;
pub mod port_name_protocol;
pub mod route_structure;
pub mod route_weights;
pub mod sidecar_egress_host;
pub mod subset_not_defined;
pub mod subset_selects_no_pod;
pub mod unreachable_route;
pub mod workload_selector_matches_nothing;

pub use crate::resolve::istio::{evidently_missing, service_names, suggest};

/// `"a", "b", "c"` (at most 8, then "…"); "none" when empty.
pub fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".to_string();
    }
    let mut shown: Vec<String> = items.iter().take(8).map(|s| format!("\"{s}\"")).collect();
    if items.len() > 8 {
        shown.push(format!("… ({} in all)", items.len()));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_slips_only() {
        let names = vec!["ratings".to_string(), "reviews".to_string()];
        assert_eq!(suggest("reveiws", &names), Some("reviews"));
        assert_eq!(suggest("productpage", &names), None);
        let versions = vec!["v1".to_string(), "v2".to_string(), "v3".to_string()];
        assert_eq!(suggest("v4", &versions), None);
        assert_eq!(suggest("V2", &versions), Some("v2"));
        assert_eq!(list(&[]), "none");
    }
}
