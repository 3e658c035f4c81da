//! The Pod Security Standards as the Pod Security admission controller
//! checks them: each check with its level and the versions it applies to,
//! written from the standard's published definition
//! (<https://kubernetes.io/docs/concepts/security/pod-security-standards/>)
//! and the version ranges of the admission controller's checks.
//!
//! `evaluate` runs every check of a level at a version on one pod template
//! and returns each forbidden field with its span, so a rule can point at
//! the field (or, for a field that must be set, at the container missing it).

use crate::model::first_line_span;
use crate::parse::{Node, Value};
use crate::settings::KubeVersion;
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "privileged" => Some(Level::Privileged),
            "baseline" => Some(Level::Baseline),
            "restricted" => Some(Level::Restricted),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// One check of the standard.
pub struct CheckDef {
    /// The admission controller's check id (`hostNamespaces`, `runAsNonRoot`).
    pub id: &'static str,
    pub level: Level,
    /// The first policy version that has the check.
    pub since: (u32, u32),
    /// Checks of a lower level this one replaces at its level
    /// (`restrictedVolumes` replaces `hostPathVolumes`).
    pub overrides: &'static [&'static str],
    run: fn(&Pod<'_>, KubeVersion, &mut Vec<Violation>),
}

/// The checks, lowest level first. Versions are those of the policy
/// (`enforce-version`), not of the cluster.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        id: "hostNamespaces",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: host_namespaces,
    },
    CheckDef {
        id: "privileged",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: privileged,
    },
    CheckDef {
        id: "capabilities",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: capabilities_baseline,
    },
    CheckDef {
        id: "hostPathVolumes",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: host_path_volumes,
    },
    CheckDef {
        id: "hostPorts",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: host_ports,
    },
    CheckDef {
        id: "appArmorProfile",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: app_armor,
    },
    CheckDef {
        id: "seLinuxOptions",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: se_linux,
    },
    CheckDef {
        id: "procMount",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: proc_mount,
    },
    CheckDef {
        id: "seccompProfile_baseline",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: seccomp_baseline,
    },
    CheckDef {
        id: "sysctls",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: sysctls,
    },
    CheckDef {
        id: "windowsHostProcess",
        level: Level::Baseline,
        since: (1, 0),
        overrides: &[],
        run: windows_host_process,
    },
    CheckDef {
        id: "hostProbesAndHostLifecycle",
        level: Level::Baseline,
        since: (1, 34),
        overrides: &[],
        run: probe_hosts,
    },
    CheckDef {
        id: "restrictedVolumes",
        level: Level::Restricted,
        since: (1, 0),
        overrides: &["hostPathVolumes"],
        run: restricted_volumes,
    },
    CheckDef {
        id: "allowPrivilegeEscalation",
        level: Level::Restricted,
        since: (1, 8),
        overrides: &[],
        run: allow_privilege_escalation,
    },
    CheckDef {
        id: "runAsNonRoot",
        level: Level::Restricted,
        since: (1, 0),
        overrides: &[],
        run: run_as_non_root,
    },
    CheckDef {
        id: "runAsUser",
        level: Level::Restricted,
        since: (1, 23),
        overrides: &[],
        run: run_as_user,
    },
    CheckDef {
        id: "seccompProfile_restricted",
        level: Level::Restricted,
        since: (1, 19),
        overrides: &["seccompProfile_baseline"],
        run: seccomp_restricted,
    },
    CheckDef {
        id: "capabilities_restricted",
        level: Level::Restricted,
        since: (1, 22),
        overrides: &["capabilities"],
        run: capabilities_restricted,
    },
];

/// Sysctls the baseline level allows, with the policy version that added each.
pub static SAFE_SYSCTLS: &[(&str, (u32, u32))] = &[
    ("kernel.shm_rmid_forced", (1, 0)),
    ("net.ipv4.ip_local_port_range", (1, 0)),
    ("net.ipv4.tcp_syncookies", (1, 0)),
    ("net.ipv4.ping_group_range", (1, 0)),
    ("net.ipv4.ip_unprivileged_port_start", (1, 0)),
    ("net.ipv4.ip_local_reserved_ports", (1, 27)),
    ("net.ipv4.tcp_keepalive_time", (1, 29)),
    ("net.ipv4.tcp_fin_timeout", (1, 29)),
    ("net.ipv4.tcp_keepalive_intvl", (1, 29)),
    ("net.ipv4.tcp_keepalive_probes", (1, 29)),
    ("net.ipv4.tcp_rmem", (1, 32)),
    ("net.ipv4.tcp_wmem", (1, 32)),
];

/// SELinux types the baseline level allows ("" is unset), with the version
/// that added each.
pub static SELINUX_TYPES: &[(&str, (u32, u32))] = &[
    ("", (1, 0)),
    ("container_t", (1, 0)),
    ("container_init_t", (1, 0)),
    ("container_kvm_t", (1, 0)),
    ("container_engine_t", (1, 31)),
];

/// Capabilities the baseline level lets a container add.
pub static BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Volume sources the restricted level allows.
pub static RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// The policy version from which Windows pods (`spec.os.name: windows`) are
/// exempt from the Linux-only restricted checks.
const WINDOWS_EXEMPT_SINCE: (u32, u32) = (1, 25);

/// One field the level forbids (or a field it requires that is unset).
#[derive(Debug, Clone)]
pub struct Violation {
    pub check: &'static str,
    /// Where the finding points: the field, or the container (pod) lacking it.
    pub span: Span,
    /// `container "web" sets securityContext.privileged: true`.
    pub what: String,
    /// What to write instead.
    pub fix: &'static str,
}

/// A pod template, read for the checks.
pub struct Pod<'a> {
    /// The pod spec.
    pub spec: &'a Node,
    /// The template's `metadata.annotations`, if any.
    pub annotations: Option<&'a Node>,
    /// The span to point at for the pod as a whole (`spec:` line).
    pub anchor: Span,
}

impl<'a> Pod<'a> {
    fn security_context(&self) -> Option<&'a Node> {
        self.spec.get("securityContext")
    }

    fn windows(&self) -> bool {
        self.spec.path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// Containers, init containers and ephemeral containers.
    fn containers(&self) -> impl Iterator<Item = Ctr<'a>> + 'a {
        let spec = self.spec;
        [
            ("containers", "container"),
            ("initContainers", "init container"),
            ("ephemeralContainers", "ephemeral container"),
        ]
        .into_iter()
        .flat_map(move |(key, what)| spec.get_seq(key).iter().map(move |node| Ctr { node, what }))
    }
}

struct Ctr<'a> {
    node: &'a Node,
    what: &'static str,
}

impl<'a> Ctr<'a> {
    fn label(&self) -> String {
        match self.node.get_str("name") {
            Some(name) => format!("{} \"{name}\"", self.what),
            None => format!("an unnamed {}", self.what),
        }
    }

    fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    fn sc(&self, path: &[&str]) -> Option<&'a Node> {
        self.security_context()?.path(path)
    }

    /// Where a finding about a field the container lacks points: its name.
    fn anchor(&self) -> Span {
        self.node
            .get("name")
            .map_or_else(|| first_line_span(self.node), |n| n.span)
    }
}

fn at_least(version: KubeVersion, since: (u32, u32)) -> bool {
    version >= KubeVersion::new(since.0, since.1)
}

/// Every field of `pod` that `level` at policy `version` forbids, in check
/// order. `Privileged` forbids nothing.
pub fn evaluate(pod: &Pod<'_>, level: Level, version: KubeVersion) -> Vec<Violation> {
    let mut out = Vec::new();
    if level == Level::Privileged {
        return out;
    }
    let applies = |c: &CheckDef| c.level <= level && at_least(version, c.since);
    let overridden: Vec<&str> = CHECKS
        .iter()
        .filter(|c| applies(c))
        .flat_map(|c| c.overrides.iter().copied())
        .collect();
    for check in CHECKS {
        if !applies(check) || overridden.contains(&check.id) {
            continue;
        }
        let before = out.len();
        (check.run)(pod, version, &mut out);
        for v in out.iter_mut().skip(before) {
            v.check = check.id;
        }
    }
    out
}

fn push(out: &mut Vec<Violation>, span: Span, what: String, fix: &'static str) {
    out.push(Violation {
        check: "",
        span,
        what,
        fix,
    });
}

fn is_true(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| n.as_bool() == Some(true))
}

fn host_namespaces(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(n) = is_true(pod.spec.get(key)) {
            push(
                out,
                n.span,
                format!("the pod sets {key}: true"),
                "remove it (or set it to false)",
            );
        }
    }
}

fn privileged(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for c in pod.containers() {
        if let Some(n) = is_true(c.sc(&["privileged"])) {
            push(
                out,
                n.span,
                format!("{} sets securityContext.privileged: true", c.label()),
                "remove `privileged` (or set it to false)",
            );
        }
    }
}

fn added_capabilities<'a>(c: &Ctr<'a>) -> &'a [Node] {
    c.sc(&["capabilities", "add"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
}

fn capabilities_baseline(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for c in pod.containers() {
        for cap in added_capabilities(&c) {
            let Some(name) = cap.as_str() else { continue };
            if !BASELINE_CAPABILITIES.contains(&name) {
                push(
                    out,
                    cap.span,
                    format!("{} adds capability {name}", c.label()),
                    "add only capabilities of the baseline set (NET_BIND_SERVICE, CHOWN, SETUID, ...)",
                );
            }
        }
    }
}

fn capabilities_restricted(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    if pod.windows() && at_least(version, WINDOWS_EXEMPT_SINCE) {
        return capabilities_baseline(pod, version, out);
    }
    for c in pod.containers() {
        for cap in added_capabilities(&c) {
            let Some(name) = cap.as_str() else { continue };
            if name != "NET_BIND_SERVICE" {
                push(
                    out,
                    cap.span,
                    format!("{} adds capability {name}", c.label()),
                    "add no capability but NET_BIND_SERVICE",
                );
            }
        }
        let drops_all = c
            .sc(&["capabilities", "drop"])
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .any(|n| n.as_str() == Some("ALL"));
        if !drops_all {
            let span = c
                .sc(&["capabilities"])
                .map_or_else(|| c.anchor(), |n| n.span);
            push(
                out,
                first_line(span, c.sc(&["capabilities"])),
                format!("{} does not drop ALL capabilities", c.label()),
                "set securityContext.capabilities.drop: [ALL]",
            );
        }
    }
}

/// The first line of `node` when there is one, else `span`.
fn first_line(span: Span, node: Option<&Node>) -> Span {
    node.map_or(span, first_line_span)
}

fn host_path_volumes(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for v in pod.spec.get_seq("volumes") {
        if let Some(entry) = v.entry("hostPath") {
            push(
                out,
                entry.key.span,
                format!("volume {} is a hostPath volume", volume_name(v)),
                "use a volume that does not reach into the node (emptyDir, a PersistentVolumeClaim, a ConfigMap)",
            );
        }
    }
}

fn volume_name(v: &Node) -> String {
    v.get_str("name")
        .map_or_else(|| "(unnamed)".to_string(), |n| format!("\"{n}\""))
}

fn restricted_volumes(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for v in pod.spec.get_seq("volumes") {
        let Some(entries) = v.as_map() else { continue };
        let source = entries
            .iter()
            .find(|e| e.key.as_str().is_some_and(|k| k != "name"));
        let Some(source) = source else { continue };
        let Some(kind) = source.key.as_str() else {
            continue;
        };
        if !RESTRICTED_VOLUME_SOURCES.contains(&kind) {
            push(
                out,
                source.key.span,
                format!("volume {} uses the {kind} volume type", volume_name(v)),
                "use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim volumes",
            );
        }
    }
}

fn host_ports(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for c in pod.containers() {
        for port in c.node.get_seq("ports") {
            if let Some(n) = port.get("hostPort")
                && n.as_i64().is_some_and(|p| p != 0)
            {
                push(
                    out,
                    n.span,
                    format!("{} sets hostPort {}", c.label(), n.as_i64().unwrap_or(0)),
                    "remove `hostPort` and reach the pods through a Service",
                );
            }
        }
    }
}

fn app_armor(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    let bad_type = |n: &Node| !matches!(n.as_str(), Some("RuntimeDefault" | "Localhost"));
    if let Some(t) = pod
        .security_context()
        .and_then(|s| s.path(&["appArmorProfile", "type"]))
        .filter(|n| bad_type(n))
    {
        push(
            out,
            t.span,
            format!(
                "the pod sets appArmorProfile.type: {}",
                t.as_str().unwrap_or("?")
            ),
            "use RuntimeDefault or Localhost",
        );
    }
    for c in pod.containers() {
        if let Some(t) = c.sc(&["appArmorProfile", "type"]).filter(|n| bad_type(n)) {
            push(
                out,
                t.span,
                format!(
                    "{} sets appArmorProfile.type: {}",
                    c.label(),
                    t.as_str().unwrap_or("?")
                ),
                "use RuntimeDefault or Localhost",
            );
        }
    }
    for e in pod.annotations.and_then(Node::as_map).unwrap_or(&[]) {
        let (Some(key), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        if key.starts_with("container.apparmor.security.beta.kubernetes.io/")
            && !(value.is_empty() || value == "runtime/default" || value.starts_with("localhost/"))
        {
            push(
                out,
                e.value.span,
                format!("annotation {key} is \"{value}\""),
                "use runtime/default or localhost/<profile>",
            );
        }
    }
}

fn se_linux(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    let mut check = |opts: Option<&Node>, who: &str| {
        let Some(opts) = opts else { return };
        if let Some(t) = opts.get("type") {
            let value = t.as_str().unwrap_or("");
            let allowed = SELINUX_TYPES
                .iter()
                .any(|(name, since)| *name == value && at_least(version, *since));
            if !allowed {
                push(
                    out,
                    t.span,
                    format!("{who} sets seLinuxOptions.type: {value}"),
                    "leave the type unset, or use container_t / container_init_t / container_kvm_t",
                );
            }
        }
        for key in ["user", "role"] {
            if let Some(n) = opts
                .get(key)
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
            {
                push(
                    out,
                    n.span,
                    format!("{who} sets seLinuxOptions.{key}"),
                    "remove seLinuxOptions.user and .role",
                );
            }
        }
    };
    check(
        pod.security_context().and_then(|s| s.get("seLinuxOptions")),
        "the pod",
    );
    for c in pod.containers() {
        check(c.sc(&["seLinuxOptions"]), &c.label());
    }
}

fn proc_mount(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for c in pod.containers() {
        if let Some(n) = c.sc(&["procMount"])
            && n.as_str().is_some_and(|v| v != "Default")
        {
            push(
                out,
                n.span,
                format!(
                    "{} sets procMount: {}",
                    c.label(),
                    n.as_str().unwrap_or("?")
                ),
                "remove `procMount` (or set it to Default)",
            );
        }
    }
}

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn seccomp_baseline(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    if !at_least(version, (1, 19)) {
        // Before 1.19 the profile was an annotation.
        for e in pod.annotations.and_then(Node::as_map).unwrap_or(&[]) {
            let (Some(key), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
                continue;
            };
            if (key == SECCOMP_POD_ANNOTATION || key.starts_with(SECCOMP_CONTAINER_ANNOTATION))
                && value == "unconfined"
            {
                push(
                    out,
                    e.value.span,
                    format!("annotation {key} is \"unconfined\""),
                    "use runtime/default",
                );
            }
        }
        return;
    }
    let unconfined = |n: &&Node| n.as_str() == Some("Unconfined");
    if let Some(t) = pod
        .security_context()
        .and_then(|s| s.path(&["seccompProfile", "type"]))
        .filter(unconfined)
    {
        push(
            out,
            t.span,
            "the pod sets seccompProfile.type: Unconfined".to_string(),
            "use RuntimeDefault (or Localhost)",
        );
    }
    for c in pod.containers() {
        if let Some(t) = c.sc(&["seccompProfile", "type"]).filter(unconfined) {
            push(
                out,
                t.span,
                format!("{} sets seccompProfile.type: Unconfined", c.label()),
                "use RuntimeDefault (or Localhost)",
            );
        }
    }
}

fn seccomp_restricted(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    if pod.windows() && at_least(version, WINDOWS_EXEMPT_SINCE) {
        return;
    }
    let good = |n: &Node| matches!(n.as_str(), Some("RuntimeDefault" | "Localhost"));
    let pod_type = pod
        .security_context()
        .and_then(|s| s.path(&["seccompProfile", "type"]));
    if let Some(t) = pod_type.filter(|n| !good(n)) {
        push(
            out,
            t.span,
            format!(
                "the pod sets seccompProfile.type: {}",
                t.as_str().unwrap_or("?")
            ),
            "use RuntimeDefault (or Localhost)",
        );
    }
    let pod_ok = pod_type.is_some_and(good);
    for c in pod.containers() {
        match c.sc(&["seccompProfile", "type"]) {
            Some(t) if !good(t) => push(
                out,
                t.span,
                format!(
                    "{} sets seccompProfile.type: {}",
                    c.label(),
                    t.as_str().unwrap_or("?")
                ),
                "use RuntimeDefault (or Localhost)",
            ),
            Some(_) => {}
            None if !pod_ok => push(
                out,
                c.anchor(),
                format!("{} has no seccompProfile, and the pod sets none", c.label()),
                "set spec.securityContext.seccompProfile.type: RuntimeDefault",
            ),
            None => {}
        }
    }
}

fn sysctls(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    let list = pod
        .security_context()
        .map_or(&[][..], |s| s.get_seq("sysctls"));
    for s in list {
        let Some(name_node) = s.get("name") else {
            continue;
        };
        let name = name_node.as_str().unwrap_or("");
        let safe = SAFE_SYSCTLS
            .iter()
            .any(|(n, since)| *n == name && at_least(version, *since));
        if !safe {
            push(
                out,
                name_node.span,
                format!("the pod sets sysctl {name}"),
                "set only sysctls of the safe set, or set this one on the node",
            );
        }
    }
}

fn windows_host_process(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    if let Some(n) = is_true(
        pod.security_context()
            .and_then(|s| s.path(&["windowsOptions", "hostProcess"])),
    ) {
        push(
            out,
            n.span,
            "the pod sets windowsOptions.hostProcess: true".to_string(),
            "remove `hostProcess`",
        );
    }
    for c in pod.containers() {
        if let Some(n) = is_true(c.sc(&["windowsOptions", "hostProcess"])) {
            push(
                out,
                n.span,
                format!("{} sets windowsOptions.hostProcess: true", c.label()),
                "remove `hostProcess`",
            );
        }
    }
}

fn probe_hosts(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    for c in pod.containers() {
        let handlers = ["livenessProbe", "readinessProbe", "startupProbe"]
            .into_iter()
            .filter_map(|k| c.node.get(k).map(|n| (k, n)))
            .chain(
                ["postStart", "preStop"]
                    .into_iter()
                    .filter_map(|k| c.node.path(&["lifecycle", k]).map(|n| (k, n))),
            );
        for (what, handler) in handlers {
            for action in ["httpGet", "tcpSocket"] {
                if let Some(h) = handler
                    .path(&[action, "host"])
                    .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
                {
                    push(
                        out,
                        h.span,
                        format!(
                            "{} sets {what}.{action}.host: {}",
                            c.label(),
                            h.as_str().unwrap_or("")
                        ),
                        "remove `host`: the kubelet then probes the pod's own IP",
                    );
                }
            }
        }
    }
}

fn allow_privilege_escalation(pod: &Pod<'_>, version: KubeVersion, out: &mut Vec<Violation>) {
    if pod.windows() && at_least(version, WINDOWS_EXEMPT_SINCE) {
        return;
    }
    for c in pod.containers() {
        match c.sc(&["allowPrivilegeEscalation"]) {
            Some(n) if n.as_bool() == Some(false) => {}
            Some(n) => push(
                out,
                n.span,
                format!("{} sets allowPrivilegeEscalation: {}", c.label(), scalar(n)),
                "set securityContext.allowPrivilegeEscalation: false",
            ),
            None => push(
                out,
                c.anchor(),
                format!("{} does not set allowPrivilegeEscalation: false", c.label()),
                "set securityContext.allowPrivilegeEscalation: false",
            ),
        }
    }
}

fn scalar(n: &Node) -> String {
    match &n.value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Str(s) => s.to_string(),
        _ => n.type_name().to_string(),
    }
}

fn run_as_non_root(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    let pod_value = pod
        .security_context()
        .and_then(|s| s.get("runAsNonRoot"))
        .and_then(Node::as_bool);
    if pod_value == Some(false)
        && let Some(n) = pod.security_context().and_then(|s| s.get("runAsNonRoot"))
    {
        push(
            out,
            n.span,
            "the pod sets runAsNonRoot: false".to_string(),
            "set runAsNonRoot: true",
        );
    }
    for c in pod.containers() {
        match c.sc(&["runAsNonRoot"]) {
            Some(n) if n.as_bool() == Some(false) => push(
                out,
                n.span,
                format!("{} sets runAsNonRoot: false", c.label()),
                "set runAsNonRoot: true",
            ),
            Some(_) => {}
            None if pod_value != Some(true) => push(
                out,
                c.anchor(),
                format!(
                    "{} does not set runAsNonRoot: true, and neither does the pod",
                    c.label()
                ),
                "set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser if the image runs as root)",
            ),
            None => {}
        }
    }
}

fn run_as_user(pod: &Pod<'_>, _: KubeVersion, out: &mut Vec<Violation>) {
    if let Some(n) = pod
        .security_context()
        .and_then(|s| s.get("runAsUser"))
        .filter(|n| n.as_i64() == Some(0))
    {
        push(
            out,
            n.span,
            "the pod sets runAsUser: 0".to_string(),
            "run as a non-zero user id",
        );
    }
    for c in pod.containers() {
        if let Some(n) = c.sc(&["runAsUser"]).filter(|n| n.as_i64() == Some(0)) {
            push(
                out,
                n.span,
                format!("{} sets runAsUser: 0", c.label()),
                "run as a non-zero user id",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> Vec<(&'static str, String)> {
        pod_at(yaml, Level::Restricted, KubeVersion::NEWEST)
    }

    fn pod_at(yaml: &str, level: Level, version: KubeVersion) -> Vec<(&'static str, String)> {
        let source = crate::source::SourceFile::new("t.yaml", yaml.to_string());
        let parsed = crate::parse::parse_file(0, &source);
        let root = &parsed.documents[0].root;
        let spec = root.get("spec").unwrap();
        let p = Pod {
            spec,
            annotations: root.path(&["metadata", "annotations"]),
            anchor: spec.span,
        };
        evaluate(&p, level, version)
            .into_iter()
            .map(|v| (v.check, v.what))
            .collect()
    }

    const RESTRICTED_OK: &str = "metadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - name: a\n    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n";

    #[test]
    fn a_restricted_pod_passes() {
        assert_eq!(pod(RESTRICTED_OK), vec![]);
    }

    #[test]
    fn an_empty_pod_fails_restricted_only() {
        let yaml = "spec:\n  containers:\n  - name: a\n";
        let checks: Vec<&str> = pod(yaml).into_iter().map(|(c, _)| c).collect();
        assert_eq!(
            checks,
            [
                "allowPrivilegeEscalation",
                "runAsNonRoot",
                "seccompProfile_restricted",
                "capabilities_restricted"
            ]
        );
        assert!(pod_at(yaml, Level::Baseline, KubeVersion::NEWEST).is_empty());
    }

    #[test]
    fn versions_decide() {
        let yaml = "spec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '1'}]\n  containers:\n  - name: a\n    livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n";
        assert!(pod_at(yaml, Level::Baseline, KubeVersion::new(1, 28)).len() == 1);
        assert!(pod_at(yaml, Level::Baseline, KubeVersion::new(1, 29)).is_empty());
        assert_eq!(
            pod_at(yaml, Level::Baseline, KubeVersion::new(1, 34))[0].0,
            "hostProbesAndHostLifecycle"
        );
        // runAsUser: 0 only from 1.23, capabilities drop ALL from 1.22.
        let root = "spec:\n  securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - name: a\n    securityContext: {allowPrivilegeEscalation: false}\n";
        assert_eq!(
            pod_at(root, Level::Restricted, KubeVersion::new(1, 21)),
            vec![]
        );
        let checks: Vec<&str> = pod_at(root, Level::Restricted, KubeVersion::new(1, 23))
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(checks, ["runAsUser", "capabilities_restricted"]);
    }

    #[test]
    fn baseline_fields() {
        let yaml = "spec:\n  hostNetwork: true\n  volumes: [{name: h, hostPath: {path: /}}, {name: n, nfs: {server: s, path: /}}]\n  containers:\n  - name: a\n    securityContext: {privileged: true, capabilities: {add: [CHOWN, SYS_ADMIN]}, procMount: Unmasked, seLinuxOptions: {type: spc_t}}\n    ports: [{containerPort: 80, hostPort: 80}]\n";
        let checks: Vec<&str> = pod_at(yaml, Level::Baseline, KubeVersion::NEWEST)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(
            checks,
            [
                "hostNamespaces",
                "privileged",
                "capabilities",
                "hostPathVolumes",
                "hostPorts",
                "seLinuxOptions",
                "procMount"
            ]
        );
        // Restricted replaces hostPathVolumes by restrictedVolumes (both volumes).
        let restricted: Vec<&str> = pod(yaml)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| c.contains("olume"))
            .collect();
        assert_eq!(restricted, ["restrictedVolumes", "restrictedVolumes"]);
    }
}
