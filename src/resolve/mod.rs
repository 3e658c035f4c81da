//! The resolution layer: the one place where a reference between objects is
//! followed. Rules ask it ("which pods does this Service reach, on which
//! container port?", "does this DNS name name a Service?") and `kwire graph`
//! renders the same answers (`crate::topology`), so the two cannot disagree.
//!
//! It sits between the catalog and the rules: it reads `crate::catalog`,
//! `crate::model` and `crate::policy`, and never imports a rule.

pub mod dns;
pub mod gateway_api;
pub mod istio;
pub mod monitors;
pub mod network_policy;
pub mod object_refs;
pub mod pdb;
pub mod ports;
pub mod rbac;
pub mod scale;
pub mod scope;
pub mod services;
