//! `kwire graph`: the topology the manifests create, simulated on the
//! resolution layer the rules read (`crate::resolve`), and its renderers.

pub mod model;
pub mod render;

pub use model::Graph;
