//! Run-wide settings the rules read (through `Catalog::settings`): the target
//! Kubernetes version, schema strictness, objects assumed to exist outside
//! the input. Flags and `.kwire.yaml` both fill this one struct.

use std::fmt;
use std::path::PathBuf;

/// A Kubernetes minor version, e.g. 1.29.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub major: u32,
    pub minor: u32,
}

impl KubeVersion {
    /// The newest Kubernetes version kwire bundles data for (the default target).
    pub const NEWEST: KubeVersion = KubeVersion::new(1, 37);

    pub const fn new(major: u32, minor: u32) -> Self {
        KubeVersion { major, minor }
    }

    /// Parses `1.29`, `v1.29`, `1.29.3` or `v1.29.3` (the patch is ignored).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let mut parts = t.split('.');
        let bad =
            || format!("`{text}` is not a Kubernetes version; expected MAJOR.MINOR, e.g. 1.29");
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        if let Some(patch) = parts.next()
            && (patch.parse::<u32>().is_err() || parts.next().is_some())
        {
            return Err(bad());
        }
        Ok(KubeVersion { major, minor })
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion::NEWEST
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for KubeVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        KubeVersion::parse(s)
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// The Kubernetes version manifests are checked against (deprecations, schemas).
    pub kube_version: KubeVersion,
    /// Unknown fields are errors (as `kubectl apply` does); false makes them warnings.
    pub strict: bool,
    /// Stay silent about custom resources whose schema is unknown.
    pub ignore_missing_schemas: bool,
    /// Extra schema directories (kubeconform's layout).
    pub schema_dirs: Vec<PathBuf>,
    /// Objects that exist outside the input: `Kind/namespace/name`, `*` wildcards allowed.
    pub assume: Vec<String>,
    /// Everything that will exist is in the input (besides the cluster's
    /// built-ins and `assume`): every reference that does not resolve is
    /// reported (`--closed-world`, kube-linter's semantics).
    pub closed_world: bool,
    /// Schedulable nodes a DaemonSet's rollout is played on (`kwire rollout
    /// --nodes`): the manifests do not say how many nodes there are.
    pub nodes: i64,
}

/// Nodes assumed for a DaemonSet's rollout when nothing says (`--nodes`).
pub const DEFAULT_NODES: i64 = 3;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            kube_version: KubeVersion::NEWEST,
            strict: true,
            ignore_missing_schemas: false,
            schema_dirs: Vec::new(),
            assume: Vec::new(),
            closed_world: false,
            nodes: DEFAULT_NODES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(KubeVersion::parse("1.29"), Ok(KubeVersion::new(1, 29)));
        assert_eq!(KubeVersion::parse("v1.22.3"), Ok(KubeVersion::new(1, 22)));
        assert!(KubeVersion::parse("1").is_err());
        assert!(KubeVersion::parse("1.x").is_err());
        assert!(KubeVersion::parse("1.2.3.4").is_err());
        assert!(KubeVersion::new(1, 9) < KubeVersion::new(1, 22));
    }
}
