//! The fix of KW2001/KW2002: an object moved to the replacement API the
//! target version serves, with the body changes that API needs, as minimal
//! edits (`crate::edit`). `None` when kwire cannot say what the object
//! becomes; unsafe when the meaning may change (`docs/fixes.md`).

use crate::edit::{Applicability, Edit, Fix, Text};
use crate::model::Object;
use crate::parse::{Entry, Node, Value};
use crate::rules::deprecation::table::{Deprecation, Replacement};
use crate::settings::KubeVersion;

/// The migration of `obj` (a `row` API) to `replacement`, if the target
/// serves it.
pub(crate) fn fix(
    text: Text<'_>,
    obj: &Object,
    row: &Deprecation,
    replacement: Option<&Replacement>,
    target: KubeVersion,
) -> Option<Fix> {
    let r = replacement?;
    // Only to an API the target serves, and never to another kind.
    if r.since > target || r.kind.is_some() {
        return None;
    }
    let api = obj.root.get("apiVersion")?;
    let spec = obj.root.get("spec");
    // New nested keys indent like the spec's own nested mappings.
    let step = match spec {
        Some(s) if text.is_block_map(s) => text.indent_step(s),
        _ => text.indent_step(&obj.root),
    };
    let mut m = Migration {
        text,
        edits: vec![text.replace_scalar(api, &r.api_version)?],
        applicability: Applicability::Safe,
        step,
    };
    let from = row.api_version.as_str();
    let to = r.api_version.as_str();
    match (obj.kind(), to) {
        ("Ingress", "networking.k8s.io/v1") => m.ingress(spec?)?,
        ("Ingress" | "IngressClass" | "NetworkPolicy", _) => {}
        ("Deployment" | "DaemonSet" | "ReplicaSet" | "StatefulSet", "apps/v1") => {
            m.workload(obj.kind(), from, spec?)?
        }
        ("ControllerRevision", "apps/v1") => {}
        ("PodDisruptionBudget", "policy/v1") => m.pdb(spec),
        ("HorizontalPodAutoscaler", _) if from == "autoscaling/v2beta1" => m.hpa(spec)?,
        ("HorizontalPodAutoscaler", _) => {}
        ("FlowSchema", _) => {}
        ("PriorityLevelConfiguration", _) => m.priority_level(from, to, spec),
        ("EndpointSlice", "discovery.k8s.io/v1") => m.endpoint_slice(&obj.root)?,
        ("CustomResourceDefinition", _) => m.crd(spec?)?,
        (
            "CronJob" | "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
            | "PriorityClass" | "StorageClass" | "VolumeAttachment" | "CSINode" | "CSIDriver"
            | "CSIStorageCapacity" | "Lease" | "RuntimeClass" | "APIService",
            _,
        ) => {}
        _ => return None,
    }
    Fix::new(m.applicability, format!("write apiVersion: {to}"), m.edits)
}

/// KW2003 in a networking.k8s.io/v1 Ingress: the one backend in the v1 shape.
pub(crate) fn backend_fix(text: Text<'_>, obj: &Object, backend: &Node) -> Option<Fix> {
    let mut m = Migration {
        text,
        edits: Vec::new(),
        applicability: Applicability::Safe,
        step: text.indent_step(&obj.root),
    };
    m.backend(backend)?;
    Fix::new(
        m.applicability,
        "write service.name and service.port",
        m.edits,
    )
}

struct Migration<'a> {
    text: Text<'a>,
    edits: Vec<Edit>,
    applicability: Applicability,
    /// How deep the file indents a nested mapping.
    step: usize,
}

/// The entry of a mapping by key.
fn entry<'n>(node: &'n Node, key: &str) -> Option<&'n Entry> {
    node.entry(key)
}

impl Migration<'_> {
    fn unsafe_(&mut self) {
        self.applicability = Applicability::Unsafe;
    }

    fn pad(&self, levels: usize) -> String {
        " ".repeat(self.step * levels)
    }

    /// networking.k8s.io/v1: `spec.backend` is `spec.defaultBackend`, every
    /// backend names `service.name` and `service.port.number|name`, every
    /// path has a `pathType` (ImplementationSpecific: what v1beta1 did).
    fn ingress(&mut self, spec: &Node) -> Option<()> {
        if let Some(e) = entry(spec, "backend") {
            self.edits.push(self.text.rename_key(e, "defaultBackend"));
            self.backend(&e.value)?;
        }
        for rule in spec.get_seq("rules") {
            let paths = rule.get("http").map_or(&[][..], |h| h.get_seq("paths"));
            for path in paths {
                let entries = path.as_map()?;
                if self.text.is_flow(path) {
                    return None;
                }
                if let Some(b) = path.get("backend") {
                    self.backend(b)?;
                }
                if path.get("pathType").is_none() {
                    let line = vec!["pathType: ImplementationSpecific".to_string()];
                    let edit = match entry(path, "path") {
                        Some(p) => self.text.insert_after(p, &line)?,
                        None => self.text.insert_after(entries.last()?, &line)?,
                    };
                    self.edits.push(edit);
                }
            }
        }
        Some(())
    }

    /// One `serviceName`/`servicePort` backend in the v1 shape.
    fn backend(&mut self, b: &Node) -> Option<()> {
        let (Some(name), Some(port)) = (entry(b, "serviceName"), entry(b, "servicePort")) else {
            // Already v1 (or a `resource:` backend): nothing to change.
            return (b.get("serviceName").is_none() && b.get("servicePort").is_none())
                .then_some(());
        };
        let name_text = self.text.scalar(&name.value)?;
        let port_text = self.text.scalar(&port.value)?;
        let port_line = match &port.value.value {
            Value::Int(_) => format!("number: {port_text}"),
            // A quoted number was a port *name* "80" to v1beta1, which no
            // Service has: the number is meant, but that is a guess.
            Value::Str(s) if s.parse::<u16>().is_ok() => {
                self.unsafe_();
                format!("number: {s}")
            }
            Value::Str(_) => format!("name: {port_text}"),
            _ => return None,
        };
        if self.text.is_flow(b) {
            if b.as_map()?.len() != 2 {
                return None;
            }
            self.edits.push(Edit::replace(
                b.span,
                format!("{{service: {{name: {name_text}, port: {{{port_line}}}}}}}"),
            ));
            return Some(());
        }
        let (first, second) = if name.key.span.start < port.key.span.start {
            (name, port)
        } else {
            (port, name)
        };
        // Comments after the old values stay with the new ones.
        let (name_comment, port_comment) = (
            self.text.trailing_comment(name),
            self.text.trailing_comment(port),
        );
        let lines = vec![
            "service:".to_string(),
            format!("{}name: {name_text}{name_comment}", self.pad(1)),
            format!("{}port:", self.pad(1)),
            format!("{}{port_line}{port_comment}", self.pad(2)),
        ];
        let first_lines = self.text.entry_lines(first)?;
        let column = self.text.column(first.key.span.start as usize);
        self.edits
            .push(Edit::replace(first_lines, self.text.lines(column, &lines)));
        self.edits.push(self.text.delete_entry(second)?);
        Some(())
    }

    /// apps/v1 requires `spec.selector`; the betas defaulted it to the
    /// template's labels. Defaults that changed are kept by writing the
    /// old one (update strategies) or make the fix unsafe (Deployment).
    fn workload(&mut self, kind: &str, from: &str, spec: &Node) -> Option<()> {
        if !self.text.is_block_map(spec) {
            return None;
        }
        // New keys go before `template:`, in one insertion.
        let mut lines: Vec<String> = Vec::new();
        if spec.get("selector").is_none() {
            let labels = spec.path(&["template", "metadata", "labels"])?.as_map()?;
            if labels.is_empty() {
                return None;
            }
            lines.push("selector:".to_string());
            lines.push(format!("{}matchLabels:", self.pad(1)));
            for l in labels {
                let (k, v) = (self.text.scalar(&l.key)?, self.text.scalar(&l.value)?);
                lines.push(format!("{}{k}: {v}", self.pad(2)));
            }
        }
        let set = |path: &[&str]| spec.path(path).is_some();
        match (from, kind) {
            ("extensions/v1beta1", "Deployment") => {
                let recreate =
                    spec.path(&["strategy", "type"]).and_then(Node::as_str) == Some("Recreate");
                let rolling = set(&["strategy", "rollingUpdate", "maxUnavailable"])
                    && set(&["strategy", "rollingUpdate", "maxSurge"]);
                if !(set(&["revisionHistoryLimit"])
                    && set(&["progressDeadlineSeconds"])
                    && (recreate || rolling))
                {
                    self.unsafe_();
                }
            }
            ("apps/v1beta1", "Deployment") if !set(&["revisionHistoryLimit"]) => self.unsafe_(),
            // The beta defaulted updateStrategy to OnDelete; apps/v1 to
            // RollingUpdate. Written out, the rollout stays the same.
            ("extensions/v1beta1", "DaemonSet") | ("apps/v1beta1", "StatefulSet")
                if spec.get("updateStrategy").is_none() =>
            {
                lines.push("updateStrategy:".to_string());
                lines.push(format!("{}type: OnDelete", self.pad(1)));
            }
            _ => {}
        }
        if lines.is_empty() {
            return Some(());
        }
        let edit = match entry(spec, "template") {
            Some(t) if self.text.starts_line(t.key.span.start as usize) => {
                self.text.insert_before(t, &lines)?
            }
            _ => self.text.insert_into(spec, &lines)?,
        };
        self.edits.push(edit);
        Some(())
    }

    /// policy/v1 reads an empty selector as every pod of the namespace;
    /// policy/v1beta1 as none.
    fn pdb(&mut self, spec: Option<&Node>) {
        let Some(selector) = spec.and_then(|s| s.get("selector")) else {
            return;
        };
        let empty = |key: &str| {
            selector.get(key).is_none_or(|n| {
                n.is_null()
                    || n.as_map().is_some_and(<[_]>::is_empty)
                    || n.as_seq().is_some_and(<[_]>::is_empty)
            })
        };
        if selector.is_null()
            || selector.as_map().is_some_and(<[_]>::is_empty)
            || (empty("matchLabels") && empty("matchExpressions"))
        {
            self.unsafe_();
        }
    }

    /// autoscaling/v2beta1 metric targets in the v2 (and v2beta2) shape.
    fn hpa(&mut self, spec: Option<&Node>) -> Option<()> {
        let Some(spec) = spec else {
            return Some(());
        };
        for metric in spec.get_seq("metrics") {
            let kind = metric.get_str("type")?;
            let body = match kind {
                "Resource" => metric.get("resource")?,
                "Pods" => metric.get("pods")?,
                "Object" => metric.get("object")?,
                "External" => metric.get("external")?,
                _ => return None,
            };
            if !self.text.is_block_map(body) {
                return None;
            }
            // Already the v2 shape (a manifest half migrated).
            if body.get("target").is_some() && kind != "Object" {
                continue;
            }
            let targets: [(&str, &str, &str); 4] = [
                (
                    "targetAverageUtilization",
                    "Utilization",
                    "averageUtilization",
                ),
                ("targetAverageValue", "AverageValue", "averageValue"),
                ("targetValue", "Value", "value"),
                ("averageValue", "AverageValue", "averageValue"),
            ];
            let found: Vec<(&Entry, &str, &str)> = targets
                .iter()
                .filter_map(|(old, ty, field)| entry(body, old).map(|e| (e, *ty, *field)))
                .collect();
            let [(target, ty, field)] = found.as_slice() else {
                return None;
            };
            let value = self.text.scalar(&target.value)?;
            let target_lines = vec![
                "target:".to_string(),
                format!("{}type: {ty}", self.pad(1)),
                format!(
                    "{}{field}: {value}{}",
                    self.pad(1),
                    self.text.trailing_comment(target)
                ),
            ];
            let column = self.text.column(target.key.span.start as usize);
            self.edits.push(Edit::replace(
                self.text.entry_lines(target)?,
                self.text.lines(column, &target_lines),
            ));
            if kind == "Resource" {
                continue;
            }
            // Pods, Object, External: the metric is named under `metric:`,
            // and its label selector (`selector`, External's
            // `metricSelector`) moves there as `selector`.
            let name = entry(body, "metricName")?;
            let name_text = self.text.scalar(&name.value)?;
            let column = self.text.column(name.key.span.start as usize);
            let mut metric = self.text.lines(
                column,
                &[
                    "metric:".to_string(),
                    format!(
                        "{}name: {name_text}{}",
                        self.pad(1),
                        self.text.trailing_comment(name)
                    ),
                ],
            );
            if let Some(selector) =
                entry(body, "selector").or_else(|| entry(body, "metricSelector"))
            {
                let lines = self.text.entry_lines(selector)?;
                if self.text.column(selector.key.span.start as usize) != column {
                    return None;
                }
                let key = selector.key.as_str()?;
                let pad = self.pad(1);
                let original = self.text.slice(lines);
                let mut moved = String::new();
                for (i, line) in original.split_inclusive('\n').enumerate() {
                    let line = if i == 0 {
                        line.replacen(key, "selector", 1)
                    } else {
                        line.to_string()
                    };
                    if !line.trim().is_empty() {
                        moved.push_str(&pad);
                    }
                    moved.push_str(&line);
                }
                metric.push_str(&moved);
                self.edits.push(Edit::delete(lines));
            }
            self.edits
                .push(Edit::replace(self.text.entry_lines(name)?, metric));
            if kind == "Object" {
                let described = entry(body, "target")?;
                self.edits
                    .push(self.text.rename_key(described, "describedObject"));
            }
        }
        Some(())
    }

    /// `assuredConcurrencyShares` is `nominalConcurrencyShares` from
    /// v1beta3 on; an explicit 0 meant the default (30) before v1.
    fn priority_level(&mut self, from: &str, to: &str, spec: Option<&Node>) {
        let Some(limited) = spec.and_then(|s| s.get("limited")) else {
            return;
        };
        let renames = matches!(
            from,
            "flowcontrol.apiserver.k8s.io/v1alpha1"
                | "flowcontrol.apiserver.k8s.io/v1beta1"
                | "flowcontrol.apiserver.k8s.io/v1beta2"
        ) && matches!(
            to,
            "flowcontrol.apiserver.k8s.io/v1beta3" | "flowcontrol.apiserver.k8s.io/v1"
        );
        let shares = if renames {
            entry(limited, "assuredConcurrencyShares").inspect(|e| {
                self.edits
                    .push(self.text.rename_key(e, "nominalConcurrencyShares"));
            })
        } else {
            entry(limited, "nominalConcurrencyShares")
        };
        if to == "flowcontrol.apiserver.k8s.io/v1"
            && let Some(e) = shares
            && e.value.as_i64() == Some(0)
        {
            self.edits.push(Edit::replace(e.value.span, "30"));
        }
    }

    /// discovery.k8s.io/v1: `topology` is `deprecatedTopology`, its
    /// hostname and zone labels the `nodeName` and `zone` fields.
    fn endpoint_slice(&mut self, root: &Node) -> Option<()> {
        for ep in root.get_seq("endpoints") {
            let Some(topology) = entry(ep, "topology") else {
                continue;
            };
            let labels = topology.value.as_map()?;
            if self.text.is_flow(&topology.value) {
                return None;
            }
            let mut fields = Vec::new();
            let mut rest = 0;
            for l in labels {
                let field = match l.key.as_str() {
                    Some("kubernetes.io/hostname") => "nodeName",
                    Some("topology.kubernetes.io/zone") => "zone",
                    _ => {
                        rest += 1;
                        continue;
                    }
                };
                if ep.get(field).is_none() {
                    fields.push(format!("{field}: {}", self.text.scalar(&l.value)?));
                }
            }
            if rest == 0 {
                let edit = self.text.entry_lines(topology)?;
                let column = self.text.column(topology.key.span.start as usize);
                self.edits
                    .push(Edit::replace(edit, self.text.lines(column, &fields)));
            } else {
                // Other labels stay in deprecatedTopology (the API server
                // moves them there too); hostname and zone move out.
                self.edits
                    .push(self.text.rename_key(topology, "deprecatedTopology"));
                for l in labels {
                    if matches!(
                        l.key.as_str(),
                        Some("kubernetes.io/hostname" | "topology.kubernetes.io/zone")
                    ) {
                        self.edits.push(self.text.delete_entry(l)?);
                    }
                }
                if !fields.is_empty() {
                    self.edits.push(self.text.insert_before(topology, &fields)?);
                }
            }
        }
        Some(())
    }

    /// apiextensions.k8s.io/v1 wants a structural schema in every version:
    /// a top-level `validation` moves into each `versions[]` entry. Unsafe
    /// always: v1 prunes unknown fields and rejects non-structural schemas.
    fn crd(&mut self, spec: &Node) -> Option<()> {
        self.unsafe_();
        let moved = [
            "validation",
            "subresources",
            "additionalPrinterColumns",
            "version",
        ];
        if moved.iter().any(|k| spec.get(k).is_some()) {
            // Moving whole subtrees is a rewrite, not an edit.
            return None;
        }
        if spec.get_seq("versions").is_empty() {
            return None;
        }
        if spec
            .get_seq("versions")
            .iter()
            .any(|v| v.get("schema").is_none())
        {
            return None;
        }
        Some(())
    }
}
