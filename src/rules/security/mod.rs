//! KW6xxx: security: privilege, host access and secrets in plain text.
//! One file per rule.

pub mod dangerous_capability;
pub mod host_namespace;
pub mod host_port;
pub mod network;
pub mod pod_security;
pub mod privilege_escalation;
pub mod privileged_container;
pub mod proc_mount_unmasked;
pub mod rbac;
pub mod secret_in_env;
pub mod sensitive_host_path;
pub mod unsafe_sysctl;
