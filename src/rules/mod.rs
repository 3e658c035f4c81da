//! Rule framework: metadata, the registry, embedded docs, and the
//! per-object checks. A rule never parses, prints or touches the file system.

pub mod deprecation;
pub mod docs;
pub mod fixable;
pub mod ingress;
pub mod istio;
pub mod ports;
pub mod practice;
pub mod reference;
pub mod schema;
pub mod security;
pub mod structure;

use crate::catalog::Catalog;
use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::model::Object;

/// What every rule declares about itself; `rules/CODE.md` holds the long doc.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code: never reused, never changes meaning.
    pub code: &'static str,
    /// kebab-case name, e.g. `service-selector-matches-nothing`.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line for `kwire rules`.
    pub summary: &'static str,
    /// In the default set (runs unless ignored). An opt-in rule runs only
    /// when a `select` (config or `--select`/`--extend-select`) names it by
    /// code, prefix, name or `ALL`.
    pub default: bool,
}

/// A rule that looks at one object at a time, with the whole catalog to
/// resolve references.
pub trait Check: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>);
}

macro_rules! rule_meta {
    ($code:literal, $name:literal, $cat:ident, $sev:ident, $summary:literal) => {
        $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::diagnostic::Category::$cat,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            default: true,
        }
    };
    ($code:literal, $name:literal, $cat:ident, $sev:ident, $summary:literal, opt_in) => {
        $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            category: $crate::diagnostic::Category::$cat,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            default: false,
        }
    };
}
pub(crate) use rule_meta;

/// Rules whose diagnostics come from the discovery, parse and model stages
/// rather than from a per-object check.
pub static STAGE_RULES: &[RuleMeta] = &[
    rule_meta!(
        "KW0001",
        "yaml-syntax-error",
        Yaml,
        Error,
        "The file is not valid YAML"
    ),
    rule_meta!(
        "KW0002",
        "duplicate-key",
        Yaml,
        Error,
        "A mapping defines the same key twice"
    ),
    rule_meta!(
        "KW0003",
        "document-not-a-mapping",
        Yaml,
        Error,
        "A YAML document is not a mapping, so it is not a Kubernetes object"
    ),
    rule_meta!(
        "KW0004",
        "missing-required-field",
        Yaml,
        Error,
        "An object lacks apiVersion, kind or metadata.name"
    ),
    rule_meta!(
        "KW0009",
        "unreadable-file",
        Yaml,
        Error,
        "A file could not be read (missing, permissions, not UTF-8, a directory loop)"
    ),
    rule_meta!(
        "KW0011",
        "not-a-manifest",
        Yaml,
        Info,
        "A file was skipped: a kustomization, a Helm chart, or (with --show-skipped) a file that is not a Kubernetes manifest"
    ),
    rule_meta!(
        "KW0012",
        "yaml-limit-exceeded",
        Yaml,
        Error,
        "YAML nesting or alias expansion goes past kwire's safety limits"
    ),
    rule_meta!(
        "KW0013",
        "unused-suppression",
        Yaml,
        Warning,
        "A kwire suppression (comment or annotation) suppressed nothing (with --report-unused-ignores)"
    ),
    rule_meta!(
        "KW0014",
        "invalid-suppression",
        Yaml,
        Warning,
        "A `# kwire:` comment or kwire.io/ignore annotation is malformed or names an unknown rule"
    ),
    rule_meta!(
        "KW0098",
        "usage-error",
        Internal,
        Error,
        "kwire could not run: a broken configuration file, baseline or option (machine formats report it; exit code 2)"
    ),
    rule_meta!(
        "KW0099",
        "internal-error",
        Internal,
        Error,
        "kwire itself failed on an object or file (a contained panic); the rest is still linted, exit code 2"
    ),
];

/// Every per-object check, in code order.
pub static CHECKS: &[&dyn Check] = &[
    &structure::invalid_object_name::Rule,
    &structure::invalid_label::Rule,
    &structure::invalid_annotation_key::Rule,
    &structure::non_string_value::Rule,
    &structure::duplicate_object::Rule,
    &structure::invalid_port::Rule,
    &structure::invalid_restart_policy::Rule,
    &deprecation::removed_api_version::Rule,
    &deprecation::deprecated_api_version::Rule,
    &deprecation::ingress_legacy_backend::Rule,
    &deprecation::ingress_class_annotation::Rule,
    &deprecation::pod_service_account::Rule,
    &deprecation::security_profile_annotation::Rule,
    &deprecation::deprecated_node_label::Rule,
    &deprecation::deprecated_topology_key::Rule,
    &deprecation::api_version_not_yet_served::Rule,
    &deprecation::api_version_never_served::Rule,
    &schema::validation::Rule,
    &reference::workload_selector_mismatch::Rule,
    &reference::service_selector_matches_nothing::Rule,
    &reference::workload_selector_overlap::Rule,
    &reference::network_policy_selector_matches_nothing::Rule,
    &reference::pdb_selector_matches_nothing::Rule,
    &reference::hpa_target_not_found::Rule,
    &reference::hpa_target_sets_replicas::Rule,
    &ports::service_target_port::Rule,
    &ports::service_target_port_undeclared::Rule,
    &ports::probe_port_not_found::Rule,
    &ports::container_port_conflict::Rule,
    &ports::duplicate_port_name::Rule,
    &ports::duplicate_container_name::Rule,
    &ports::duplicate_service_port::Rule,
    &ports::service_port_name_missing::Rule,
    &ports::node_port_out_of_range::Rule,
    &ports::duplicate_node_port::Rule,
    &ports::external_traffic_policy_cluster_ip::Rule,
    &ports::external_name_ignored_fields::Rule,
    &ports::port_protocol_mismatch::Rule,
    &reference::dns_name_unresolved::Rule,
    &reference::dns_short_name_other_namespace::Rule,
    &reference::dns_port_not_exposed::Rule,
    &reference::service_account_not_found::Rule,
    &reference::configmap_not_found::Rule,
    &reference::secret_not_found::Rule,
    &reference::pvc_not_found::Rule,
    &reference::key_not_found::Rule,
    &reference::statefulset_service_not_found::Rule,
    &reference::statefulset_service_not_headless::Rule,
    &reference::monitor_selects_nothing::Rule,
    &reference::monitor_port_not_found::Rule,
    &ingress::backend_service_missing::Rule,
    &ingress::backend_port_missing::Rule,
    &ingress::backend_no_endpoints::Rule,
    &ingress::tls_secret_missing::Rule,
    &ingress::class_missing::Rule,
    &ingress::path_invalid::Rule,
    &ingress::duplicate_path::Rule,
    &ingress::route_backend_service_missing::Rule,
    &ingress::route_backend_port_missing::Rule,
    &ingress::route_backend_not_granted::Rule,
    &ingress::route_parent_missing::Rule,
    &ingress::route_parent_listener_missing::Rule,
    &ingress::route_not_admitted::Rule,
    &ingress::route_hostname_mismatch::Rule,
    &istio::host_not_found::Rule,
    &istio::subset_not_defined::Rule,
    &istio::subset_selects_no_pod::Rule,
    &istio::duplicate_destination_rule::Rule,
    &istio::destination_port::PortNotFound,
    &istio::destination_port::PortRequired,
    &istio::gateway_not_found::Rule,
    &istio::host_not_in_gateway::Rule,
    &istio::gateway_selector_matches_nothing::Rule,
    &istio::conflicting_mesh_virtual_services::Rule,
    &istio::unreachable_route::Rule,
    &istio::port_name_protocol::Rule,
    &istio::workload_selector_matches_nothing::Rule,
    &istio::route_structure::Rule,
    &istio::conflicting_gateway_virtual_services::Rule,
    &istio::route_weights::Rule,
    &istio::sidecar_egress_host::Rule,
    &practice::image_latest_tag::Rule,
    &practice::duplicate_env_var::Rule,
    &practice::limit_below_request::Rule,
    &practice::readiness_probe_missing::Rule,
    &practice::resources_missing::Rule,
    &practice::admission::quota_requires_resources::Rule,
    &practice::admission::limit_range_violation::Rule,
    &practice::admission::request_above_default_limit::Rule,
    &practice::class_refs::priority_class_not_found::Rule,
    &practice::class_refs::storage_class_not_found::Rule,
    &practice::class_refs::runtime_class_not_found::Rule,
    &practice::image_digest_missing::Rule,
    &practice::image_pull_policy::Rule,
    &practice::liveness_probe_missing::Rule,
    &practice::liveness_same_as_readiness::Rule,
    &practice::cron_schedule_invalid::Rule,
    &practice::hpa_min_replicas::Rule,
    &practice::anti_affinity_missing::Rule,
    &practice::job_ttl_missing::Rule,
    &practice::namespace_unset::Rule,
    &practice::default_namespace::Rule,
    &practice::service_exposed::Rule,
    &practice::pdb_unevictable::Rule,
    &security::privileged_container::Rule,
    &security::privilege_escalation::Rule,
    &security::host_namespace::Rule,
    &security::sensitive_host_path::Rule,
    &security::dangerous_capability::Rule,
    &security::secret_in_env::Rule,
    &security::proc_mount_unmasked::Rule,
    &security::unsafe_sysctl::Rule,
    &security::host_port::Rule,
    &security::pod_security::enforce::Rule,
    &security::pod_security::warn::Rule,
    &security::pod_security::unlabelled::Rule,
    &security::rbac::role_not_found::Rule,
    &security::rbac::subject_not_found::Rule,
    &security::rbac::cluster_admin_binding::Rule,
    &security::rbac::wildcard::Rule,
    &security::rbac::reads_secrets::Rule,
    &security::rbac::privilege_verbs::Rule,
    &security::rbac::service_account_powers::Rule,
    &security::network::uncovered_pod::Rule,
    &security::network::no_network_policy::Rule,
    &security::network::service_isolated::Rule,
    &security::runs_as_root::Rule,
    &security::run_as_non_root_unset::Rule,
    &security::writable_root_filesystem::Rule,
    &security::capabilities_not_dropped::Rule,
    &security::seccomp_profile_unset::Rule,
    &security::token_automount::Rule,
    &security::external_ips::Rule,
    &security::load_balancer_source_ranges::Rule,
    &security::ssh_port::Rule,
];

/// Every rule kwire knows, sorted by code.
pub fn all() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = STAGE_RULES
        .iter()
        .chain(CHECKS.iter().map(|c| c.meta()))
        .chain(schema::OTHER_CODES.iter().copied())
        .collect();
    all.sort_by_key(|m| m.code);
    all
}

/// Whether a check has to run: some code it reports is selected. The schema
/// pass (registered as KW1001) reports every KW1xxx code.
pub fn check_selected(check: &dyn Check, enabled: impl Fn(&str) -> bool) -> bool {
    let code = check.meta().code;
    enabled(code) || (code == "KW1001" && schema::OTHER_CODES.iter().any(|m| enabled(m.code)))
}

/// Metadata of a registered rule by code.
pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    STAGE_RULES
        .iter()
        .find(|m| m.code == code)
        .or_else(|| CHECKS.iter().map(|c| c.meta()).find(|m| m.code == code))
        .or_else(|| schema::OTHER_CODES.iter().copied().find(|m| m.code == code))
}

/// A finding of `meta`'s rule about `obj`, at the rule's default severity.
pub fn finding(
    meta: &'static RuleMeta,
    obj: &Object,
    span: crate::source::Span,
    message: impl Into<String>,
) -> Diagnostic {
    obj.diag(meta.code, meta.severity, span, message)
}
