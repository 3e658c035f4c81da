//! A reference by name to a Service of a namespace (Ingress and Gateway API
//! backends, Istio destinations): found, elsewhere, missing (and what was
//! meant), or unknown, per `crate::policy`; and the Service's ports.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::model::ingress::PortRef;
use crate::model::kinds::is_workload;
use crate::parse::Node;

/// What the input says about a Service reference.
pub enum ServiceLookup<'a> {
    /// The Service is in the namespace.
    Found(&'a Object),
    /// Not in the namespace, but a Service of that name is in another one.
    Elsewhere(&'a Object),
    /// Not in the input, and the input shows what was meant: a Service with
    /// a similar name in the namespace, or the workload the Service would
    /// front. Either is evidence that the namespace's objects are here and
    /// the reference is a slip.
    Missing(Intended<'a>),
    /// Not in the input, and nothing says it should be (the Service may be
    /// deployed from elsewhere, or is assumed): no finding.
    Unknown,
}

pub enum Intended<'a> {
    SimilarService(&'a Object),
    Workload(&'a Object),
    /// Nothing spelled alike: the namespace defines other Services (or the
    /// run is a closed world).
    Nothing,
}

impl Intended<'_> {
    /// Points a "no such Service" finding at what was meant, with the fix.
    pub fn explain(&self, diag: Diagnostic, name: &str, ns: &str) -> Diagnostic {
        match self {
            Intended::SimilarService(svc) => diag
                .with_related(svc.file, svc.anchor_span(), "a Service with a similar name")
                .with_help(format!("did you mean Service \"{}\"?", svc.name())),
            Intended::Workload(wl) => diag
                .with_related(
                    wl.file,
                    wl.anchor_span(),
                    "the workload this Service would front",
                )
                .with_help(format!(
                    "add a Service \"{name}\" in namespace \"{ns}\" selecting the pods of {}",
                    wl.describe()
                )),
            Intended::Nothing => {
                diag.with_help(crate::policy::missing_help("Service", ns, name, None))
            }
        }
    }
}

/// Does Service `name` in `ns` take traffic on `port`? Any of its
/// definitions will do (a Service defined twice is KW0010's business), and
/// an ExternalName Service without ports forwards every port.
pub fn service_takes_port(catalog: &Catalog<'_>, ns: &str, name: &str, port: &PortRef<'_>) -> bool {
    catalog
        .find("v1", "Service", ns, name)
        .iter()
        .filter_map(|&i| catalog.object(i))
        .any(|s| {
            let external_any_port = s
                .service()
                .is_some_and(|v| v.ports.is_empty() && v.service_type == "ExternalName");
            external_any_port || service_port(s, port).is_some()
        })
}

/// What the world says about Service `name` in `ns`, referenced by `from`.
pub fn lookup_service<'a>(
    catalog: &Catalog<'a>,
    from: &Object,
    ns: &str,
    name: &str,
) -> ServiceLookup<'a> {
    if let Some(svc) = catalog
        .find("v1", "Service", ns, name)
        .first()
        .and_then(|&i| catalog.object(i))
    {
        return ServiceLookup::Found(svc);
    }
    if catalog.assumed("Service", ns, name) || crate::policy::builtin("Service", ns, name) {
        return ServiceLookup::Unknown;
    }
    if let Some(other) = catalog
        .find_elsewhere("v1", "Service", ns, name)
        .first()
        .and_then(|&i| catalog.object(i))
    {
        return ServiceLookup::Elsewhere(other);
    }
    if !crate::policy::report_missing(catalog, from, "Service", ns, name) {
        return ServiceLookup::Unknown;
    }
    let services: Vec<&Object> = catalog
        .in_namespace(ns)
        .filter(|o| o.kind() == "Service" && o.api_version() == "v1")
        .collect();
    if let Some(near) = crate::text::closest_name(name, services.iter().map(|s| s.name()))
        && let Some(svc) = services.iter().find(|s| s.name() == near)
    {
        return ServiceLookup::Missing(Intended::SimilarService(svc));
    }
    if let Some(workload) = catalog
        .in_namespace(ns)
        .find(|o| is_workload(o.kind()) && o.name() == name)
    {
        return ServiceLookup::Missing(Intended::Workload(workload));
    }
    ServiceLookup::Missing(Intended::Nothing)
}

/// The `spec.ports[]` entry a port reference selects: by `port` number or by `name`.
pub fn service_port<'a>(service: &'a Object, port: &PortRef<'_>) -> Option<&'a Node> {
    service.service()?.ports.iter().find(|p| match port {
        PortRef::Number(n) => p.get("port").and_then(Node::as_i64) == Some(*n),
        PortRef::Name(name) => p.get_str("name") == Some(*name),
    })
}

/// `"http" (80), 443` — the ports a Service exposes, for messages.
pub fn describe_ports(service: &Object) -> String {
    let Some(view) = service.service() else {
        return String::new();
    };
    let ports: Vec<String> = view
        .ports
        .iter()
        .filter_map(|p| {
            let number = p.get("port").and_then(Node::as_i64)?;
            Some(match p.get_str("name") {
                Some(name) => format!("\"{name}\" ({number})"),
                None => number.to_string(),
            })
        })
        .collect();
    if ports.is_empty() {
        "none".to_string()
    } else {
        ports.join(", ")
    }
}

/// The Services whose endpoints include `obj`'s pods: Services of its
/// namespace whose selector picks its pod template, by the same choice of
/// templates (`ports::served_templates`: nearest in the file tree, batch
/// workloads left out beside long-running ones) the port rules and
/// `kwire graph` make. Empty for an object without a pod template.
pub fn services_serving<'a>(catalog: &Catalog<'a>, obj: &Object) -> Vec<&'a Object> {
    let Some(entry) = catalog.template_of(obj) else {
        return Vec::new();
    };
    // Every pair of a Service's selector is a label of the pods it selects,
    // so the Services indexed under one of the template's labels are all
    // the candidates.
    let mut candidates: Vec<crate::catalog::ObjectIdx> = entry
        .template
        .labels
        .iter()
        .flat_map(|(k, v)| catalog.services_selecting(k, v).iter().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter_map(|i| catalog.object(i))
        .filter(|s| s.api_version() == "v1" && s.namespace() == obj.namespace())
        .filter(|s| {
            let Some(selector) = s.service().and_then(|v| v.pod_selector()) else {
                return false;
            };
            !selector.is_empty()
                && crate::resolve::ports::served_templates(s, catalog, &selector)
                    .iter()
                    .any(|e| e.object == entry.object)
        })
        .collect()
}

/// An Endpoints or EndpointSlice written by hand for a Service without a
/// selector: Kubernetes' endpoints controller manages neither then, and the
/// Service sends traffic to the addresses written.
pub struct ManualEndpoints<'a> {
    pub obj: &'a Object,
    /// What ties it to the Service: `metadata.name` (Endpoints) or the
    /// `kubernetes.io/service-name` label (EndpointSlice), and its scalar.
    pub field: &'static str,
    pub link: &'a Node,
    /// The IP addresses written (`subsets[].addresses[].ip`,
    /// `endpoints[].addresses[]`).
    pub addresses: Vec<&'a str>,
    /// The ports written, as `5432/TCP` (`name:5432/TCP` when named).
    pub ports: Vec<String>,
}

/// The Service an Endpoints (by its name) or EndpointSlice (by its
/// `kubernetes.io/service-name` label) belongs to, with the scalar that says so.
pub fn endpoints_owner(obj: &Object) -> Option<(&str, &'static str, &Node)> {
    let meta = obj.metadata()?;
    match (obj.kind(), obj.api_version()) {
        ("Endpoints", "v1") => {
            let node = meta.get("name")?;
            Some((node.as_str()?, "metadata.name", node))
        }
        ("EndpointSlice", v) if v.starts_with("discovery.k8s.io/") => {
            let node = meta.get("labels")?.get("kubernetes.io/service-name")?;
            Some((
                node.as_str()?,
                "metadata.labels[kubernetes.io/service-name]",
                node,
            ))
        }
        _ => None,
    }
}

/// The Endpoints / EndpointSlices of `svc`'s namespace written for it, when
/// it has no selector (with one, the controllers write them). `kwire graph`
/// and `kwire trace` read it.
pub fn manual_endpoints<'a>(catalog: &Catalog<'a>, svc: &Object) -> Vec<ManualEndpoints<'a>> {
    let Some(view) = svc.service() else {
        return Vec::new();
    };
    if view.service_type == "ExternalName" || view.selector_node.is_some() || svc.name().is_empty()
    {
        return Vec::new();
    }
    catalog
        .in_namespace(svc.namespace())
        .filter(|o| matches!(o.kind(), "Endpoints" | "EndpointSlice"))
        .filter_map(|o| {
            let (name, field, link) = endpoints_owner(o)?;
            (name == svc.name()).then(|| {
                let (addresses, ports) = endpoint_addresses(o);
                ManualEndpoints {
                    obj: o,
                    field,
                    link,
                    addresses,
                    ports,
                }
            })
        })
        .collect()
}

/// The addresses and ports an Endpoints / EndpointSlice writes.
pub fn endpoint_addresses(obj: &Object) -> (Vec<&str>, Vec<String>) {
    let port = |p: &Node| {
        let number = p
            .get("port")
            .and_then(Node::as_i64)
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        let protocol = p.get_str("protocol").unwrap_or("TCP");
        match p.get_str("name").filter(|n| !n.is_empty()) {
            Some(name) => format!("{name}:{number}/{protocol}"),
            None => format!("{number}/{protocol}"),
        }
    };
    let mut addresses = Vec::new();
    let mut ports = Vec::new();
    if obj.kind() == "Endpoints" {
        for subset in obj.root.get_seq("subsets") {
            addresses.extend(
                subset
                    .get_seq("addresses")
                    .iter()
                    .filter_map(|a| a.get_str("ip")),
            );
            ports.extend(subset.get_seq("ports").iter().map(port));
        }
    } else {
        for endpoint in obj.root.get_seq("endpoints") {
            addresses.extend(
                endpoint
                    .get_seq("addresses")
                    .iter()
                    .filter_map(Node::as_str),
            );
        }
        ports.extend(obj.root.get_seq("ports").iter().map(port));
    }
    ports.dedup();
    (addresses, ports)
}
