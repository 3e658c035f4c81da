//! Istio's host model, written once and used by every Istio rule.
//!
//! Hosts resolve the way Istio resolves them (istio.io `Destination.host`, and
//! `pkg/config/analysis/analyzers/util/hosts.go`), which is not how cluster
//! DNS does:
//! - a name without dots is short and relative to the namespace of the *rule*
//!   that writes it: `reviews` in a VirtualService in `default` is
//!   `reviews.default.svc.cluster.local`, wherever the Service lives;
//! - a name with dots is a literal registry name: `reviews.bookinfo` is not
//!   the Service `reviews.bookinfo.svc.cluster.local` (a pod's DNS search path
//!   would resolve it, Istio's registry does not);
//! - a `*` prefix is a wildcard (`*.example.com`, `*`);
//! - Services (their FQDN) and ServiceEntry hosts (short ones expanded in the
//!   ServiceEntry's namespace) form the registry;
//! - `exportTo` (`spec.exportTo`, and the `networking.istio.io/exportTo`
//!   annotation of a Service) limits the namespaces that see an object: `*`
//!   all (the default), `.` its own, `~` none, else namespace names.

use std::borrow::Cow;
use std::collections::HashMap;

use super::Object;
use super::selector::Selector;
use crate::catalog::Catalog;
use crate::parse::Node;
use crate::source::Span;

pub const CLUSTER_SUFFIX: &str = ".svc.cluster.local";
/// The reserved gateway name for the sidecars of the mesh.
pub const MESH: &str = "mesh";

pub fn is_networking(obj: &Object) -> bool {
    obj.api_version().starts_with("networking.istio.io/")
}

pub fn is_security(obj: &Object) -> bool {
    obj.api_version().starts_with("security.istio.io/")
}

/// The Istio networking kind `kind`, any version.
pub fn is_kind(obj: &Object, kind: &str) -> bool {
    is_networking(obj) && obj.kind() == kind
}

/// A name without dots and without a wildcard: relative to the rule's namespace.
pub fn is_short(host: &str) -> bool {
    !host.starts_with('*') && !host.contains('.')
}

pub fn is_wildcard(host: &str) -> bool {
    host.starts_with('*')
}

/// The registry name of a host written in a rule in namespace `ns`.
pub fn fqdn<'h>(host: &'h str, ns: &str) -> Cow<'h, str> {
    if is_short(host) {
        Cow::Owned(format!("{host}.{ns}{CLUSTER_SUFFIX}"))
    } else {
        Cow::Borrowed(host)
    }
}

/// `(name, namespace)` of a Kubernetes Service FQDN `name.ns.svc.cluster.local`.
pub fn service_of(fqdn: &str) -> Option<(&str, &str)> {
    let rest = fqdn.strip_suffix(CLUSTER_SUFFIX)?;
    let (name, ns) = rest.split_once('.')?;
    (!name.is_empty() && !ns.is_empty() && !ns.contains('.')).then_some((name, ns))
}

/// What a DNS search path would have made of a dotted name that is not a
/// registry name: `reviews.bookinfo` and `reviews.bookinfo.svc` mean the
/// Service `reviews` in `bookinfo` to a pod, not to Istio.
pub fn dns_guess(host: &str) -> Option<(&str, &str)> {
    if host.ends_with(CLUSTER_SUFFIX) || is_wildcard(host) {
        return None;
    }
    let rest = host
        .strip_suffix(".svc.cluster")
        .or_else(|| host.strip_suffix(".svc"))
        .unwrap_or(host);
    let (name, ns) = rest.split_once('.')?;
    (!name.is_empty() && !ns.is_empty() && !ns.contains('.')).then_some((name, ns))
}

/// Istio's `host.Name.Matches`: equal names, or a wildcard covering the other
/// (`*.example.com` covers `a.example.com` and `*.a.example.com`; `*` covers
/// everything). Symmetric: two hosts match when they overlap.
pub fn hosts_match(a: &str, b: &str) -> bool {
    fn covers(wild: &str, other: &str) -> bool {
        match wild.strip_prefix('*') {
            Some("") => true,
            Some(suffix) => match other.strip_prefix('*') {
                Some(other_suffix) => other_suffix.ends_with(suffix),
                None => other.ends_with(suffix),
            },
            None => false,
        }
    }
    a == b || covers(a, b) || covers(b, a)
}

/// The `exportTo` list of an Istio object, or of a Service's annotation.
pub fn export_to(obj: &Object) -> Vec<&str> {
    if obj.kind() == "Service" {
        return obj
            .annotation("networking.istio.io/exportTo")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
    }
    obj.root
        .path(&["spec", "exportTo"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// Does a rule in namespace `ns` see `obj` (its `exportTo`)?
pub fn visible_from(obj: &Object, ns: &str) -> bool {
    let list = export_to(obj);
    list.is_empty()
        || list
            .iter()
            .any(|e| *e == "*" || *e == ns || (*e == "." && obj.namespace() == ns))
}

/// The namespaces whose sidecars and gateways use a rule, per its
/// `exportTo`: the names it lists (`.` is its own namespace). Without a
/// list, with `*` (every namespace), or with only `~` (none), its own
/// namespace, where it is checked from as before.
pub fn viewers(obj: &Object) -> Vec<&str> {
    let list = export_to(obj);
    if list.contains(&"*") {
        return vec![obj.namespace()];
    }
    let mut out: Vec<&str> = list
        .into_iter()
        .filter(|e| *e != "~")
        .map(|e| if e == "." { obj.namespace() } else { e })
        .collect();
    out.dedup();
    if out.is_empty() {
        out.push(obj.namespace());
    }
    out
}

/// A host field of an Istio object: its text and span.
#[derive(Clone, Copy, Debug)]
pub struct HostRef<'a> {
    pub host: &'a str,
    pub span: Span,
}

/// One `destination` of a VirtualService route (or a mirror).
#[derive(Debug)]
pub struct Destination<'a> {
    /// The `destination` mapping (the mirror mapping for `mirror`).
    pub node: &'a Node,
    pub host: Option<HostRef<'a>>,
    pub subset: Option<&'a Node>,
    /// `port.number`.
    pub port: Option<&'a Node>,
    /// `http`, `tcp`, `tls`, or `mirror`.
    pub protocol: &'static str,
    /// The route entry's `weight` (None for a mirror or when omitted).
    pub weight: Option<i64>,
}

/// The routing sections of a VirtualService.
pub const ROUTE_SECTIONS: &[&str] = &["http", "tcp", "tls"];

fn destination_of<'a>(node: &'a Node, protocol: &'static str) -> Destination<'a> {
    Destination {
        node,
        host: node.entry("host").and_then(|e| {
            Some(HostRef {
                host: e.value.as_str()?,
                span: e.value.span,
            })
        }),
        subset: node.get("subset"),
        port: node.path(&["port", "number"]),
        protocol,
        weight: None,
    }
}

/// Every destination a VirtualService sends traffic to: `route[].destination`
/// of `http`, `tcp` and `tls` entries, and `http[].mirror` /
/// `http[].mirrors[].destination`. Destinations that are not mappings are
/// skipped (the structure rule reports them).
pub fn destinations(vs: &Object) -> Vec<Destination<'_>> {
    let mut out = Vec::new();
    let Some(spec) = vs.root.get("spec") else {
        return out;
    };
    for section in ROUTE_SECTIONS {
        let protocol: &'static str = section;
        for entry in spec.get_seq(section) {
            for route in entry.get_seq("route") {
                if let Some(d) = route.get("destination").filter(|d| d.as_map().is_some()) {
                    let mut dest = destination_of(d, protocol);
                    dest.weight = route.get("weight").and_then(Node::as_i64);
                    out.push(dest);
                }
            }
            if protocol == "http" {
                if let Some(m) = entry.get("mirror").filter(|d| d.as_map().is_some()) {
                    out.push(destination_of(m, "mirror"));
                }
                for m in entry.get_seq("mirrors") {
                    if let Some(d) = m.get("destination").filter(|d| d.as_map().is_some()) {
                        out.push(destination_of(d, "mirror"));
                    }
                }
            }
        }
    }
    out
}

/// `spec.hosts` of a VirtualService, Gateway server, ServiceEntry.
pub fn host_list(node: Option<&Node>) -> Vec<HostRef<'_>> {
    node.and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|n| {
            Some(HostRef {
                host: n.as_str()?,
                span: n.span,
            })
        })
        .collect()
}

/// `spec.gateways` of a VirtualService; absent means `mesh` only.
pub fn gateway_names(vs: &Object) -> Vec<HostRef<'_>> {
    host_list(vs.root.path(&["spec", "gateways"]))
}

/// Does the VirtualService apply to sidecars (`mesh`)?
pub fn binds_mesh(vs: &Object) -> bool {
    let gws = gateway_names(vs);
    gws.is_empty() || gws.iter().any(|g| g.host == MESH)
}

/// `(namespace, name)` of a `spec.gateways` entry (`name` or `ns/name`),
/// as Istio's `NewShortOrFullName` reads it.
pub fn gateway_ref<'a>(entry: &'a str, vs_ns: &'a str) -> (&'a str, &'a str) {
    match entry.split_once('/') {
        Some((ns, name)) => (ns, name),
        None => (vs_ns, entry),
    }
}

/// Hosts of a Gateway's servers that a VirtualService in `vs_ns` may bind
/// to (`ns/host` restricts the namespace, `./host` means the Gateway's).
pub fn gateway_hosts_for<'a>(gw: &'a Object, vs_ns: &str) -> Vec<HostRef<'a>> {
    let mut out = Vec::new();
    for server in gw
        .root
        .path(&["spec", "servers"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        for h in host_list(server.get("hosts")) {
            let (ns, host) = match h.host.split_once('/') {
                Some((".", host)) => (gw.namespace(), host),
                Some((ns, host)) => (ns, host),
                None => ("*", h.host),
            };
            if ns == "*" || ns == vs_ns {
                out.push(HostRef { host, span: h.span });
            }
        }
    }
    out
}

/// The `selector` of a Gateway (a plain label map; empty or absent selects
/// every pod, which Istio does not recommend).
pub fn gateway_selector(gw: &Object) -> Option<(Selector<'_>, Span)> {
    let entry = gw.root.get("spec")?.entry("selector")?;
    entry
        .value
        .as_map()
        .filter(|m| !m.is_empty())
        .map(|_| (Selector::from_map(&entry.value), entry.key.span))
}

/// `spec.selector.matchLabels` (AuthorizationPolicy, PeerAuthentication) or
/// `spec.workloadSelector.labels` (Sidecar, DestinationRule, ServiceEntry).
pub fn workload_selector(obj: &Object) -> Option<(Selector<'_>, Span)> {
    let spec = obj.root.get("spec")?;
    let (entry, labels) = if let Some(e) = spec.entry("selector") {
        (e, e.value.get("matchLabels")?)
    } else {
        let e = spec.entry("workloadSelector")?;
        (e, e.value.get("labels")?)
    };
    labels
        .as_map()
        .filter(|m| !m.is_empty())
        .map(|_| (Selector::from_map(labels), entry.key.span))
}

/// What a destination host names in the registry.
#[derive(Debug)]
pub enum Target<'a> {
    Service(&'a Object),
    ServiceEntry(&'a Object),
    /// A wildcard host: not one object.
    Wildcard,
    /// Nothing in the input; see `Missing`.
    Missing(Missing<'a>),
}

/// A host the input does not define.
#[derive(Debug)]
pub struct Missing<'a> {
    /// The registry name Istio looks up.
    pub fqdn: String,
    /// A Service the author evidently meant: same name in another namespace
    /// (short names), or the Service a DNS search path would have found
    /// (`reviews.bookinfo`).
    pub meant: Option<&'a Object>,
    /// `meant` comes from a DNS-style name (`reviews.bookinfo`): the fix is
    /// the FQDN.
    pub dns_style: bool,
    /// A Service (or a ServiceEntry for exactly this host) exists but its
    /// `exportTo` hides it from `hidden_from`, a namespace using the rule.
    pub hidden: Option<&'a Object>,
    /// The namespace `hidden` is not exported to (the rule's own, or one of
    /// a VirtualService's `exportTo` namespaces).
    pub hidden_from: String,
    /// `meant` or `hidden` is set: the author evidently meant a Service of
    /// the input. Otherwise rules look for other evidence before reporting.
    pub confident: bool,
}

/// Everything the Istio rules look up, built once per run (lazily, by the
/// first Istio rule that asks).
pub struct IstioIndex<'a> {
    services_by_name: HashMap<&'a str, Vec<&'a Object>>,
    /// Namespaces holding at least one Service in the input.
    service_namespaces: HashMap<&'a str, usize>,
    /// ServiceEntry hosts, short ones expanded.
    service_entries: Vec<(String, &'a Object)>,
    /// DestinationRules by the registry name of their host.
    destination_rules: Vec<(String, &'a Object)>,
    /// The same, indexed by host (input order within a host): lookups per
    /// VirtualService destination and per DestinationRule must not scan
    /// every rule of the input (quadratic at 100k apps).
    dr_by_host: HashMap<String, Vec<&'a Object>>,
    /// DestinationRules whose host is a wildcard (`*.ns.svc.cluster.local`).
    dr_wildcard: Vec<(String, &'a Object)>,
    /// VirtualServices bound to `mesh`, by the registry name of each host.
    mesh_virtual_services: HashMap<String, Vec<&'a Object>>,
    /// VirtualServices bound to a Gateway, by the Gateway's `(namespace, name)`.
    gateway_virtual_services: HashMap<(String, String), Vec<&'a Object>>,
    pub gateways: Vec<&'a Object>,
    /// `(namespace, name)` of the Services VirtualService destinations name
    /// (by registry name, whether or not the Service is in the input).
    destination_services: std::collections::HashSet<(String, String)>,
    /// Does the input hold an Istio ingress gateway workload (pods labelled
    /// `istio: ingressgateway`/`istio: egressgateway`, or `istio.io/gateway-name`,
    /// or running the `proxyv2` image with the `router` argument)?
    pub has_gateway_workload: bool,
}

impl<'a> IstioIndex<'a> {
    pub fn build(objects: &[&'a Object]) -> Self {
        let mut index = IstioIndex {
            services_by_name: HashMap::new(),
            service_namespaces: HashMap::new(),
            service_entries: Vec::new(),
            destination_rules: Vec::new(),
            dr_by_host: HashMap::new(),
            dr_wildcard: Vec::new(),
            mesh_virtual_services: HashMap::new(),
            gateway_virtual_services: HashMap::new(),
            gateways: Vec::new(),
            destination_services: std::collections::HashSet::new(),
            has_gateway_workload: false,
        };
        for &obj in objects {
            match obj.kind() {
                "Service" if obj.api_version() == "v1" => {
                    index
                        .services_by_name
                        .entry(obj.name())
                        .or_default()
                        .push(obj);
                    *index.service_namespaces.entry(obj.namespace()).or_default() += 1;
                }
                "ServiceEntry" if is_networking(obj) => {
                    for h in host_list(obj.root.path(&["spec", "hosts"])) {
                        index
                            .service_entries
                            .push((fqdn(h.host, obj.namespace()).into_owned(), obj));
                    }
                }
                "DestinationRule" if is_networking(obj) => {
                    if let Some(h) = obj.root.path(&["spec", "host"]).and_then(Node::as_str) {
                        let host = fqdn(h, obj.namespace()).into_owned();
                        index.dr_by_host.entry(host.clone()).or_default().push(obj);
                        if is_wildcard(&host) {
                            index.dr_wildcard.push((host.clone(), obj));
                        }
                        index.destination_rules.push((host, obj));
                    }
                }
                "VirtualService" if is_networking(obj) => {
                    if binds_mesh(obj) {
                        for h in host_list(obj.root.path(&["spec", "hosts"])) {
                            index
                                .mesh_virtual_services
                                .entry(fqdn(h.host, obj.namespace()).into_owned())
                                .or_default()
                                .push(obj);
                        }
                    }
                    for g in gateway_names(obj) {
                        if g.host == MESH {
                            continue;
                        }
                        let list = index
                            .gateway_virtual_services
                            .entry({
                                let (ns, name) = gateway_ref(g.host, obj.namespace());
                                (ns.to_string(), name.to_string())
                            })
                            .or_default();
                        if !list.iter().any(|o| std::ptr::eq(*o, obj)) {
                            list.push(obj);
                        }
                    }
                    for d in destinations(obj) {
                        let Some(h) = d.host else { continue };
                        if let Some((name, ns)) = service_of(&fqdn(h.host, obj.namespace())) {
                            index
                                .destination_services
                                .insert((ns.to_string(), name.to_string()));
                        }
                    }
                }
                "Gateway" if is_networking(obj) => index.gateways.push(obj),
                _ => {}
            }
            if !index.has_gateway_workload && is_gateway_workload(obj) {
                index.has_gateway_workload = true;
            }
        }
        index
    }

    /// Services named `name`, any namespace.
    pub fn services_named(&self, name: &str) -> &[&'a Object] {
        self.services_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn namespace_has_services(&self, ns: &str) -> bool {
        self.service_namespaces.contains_key(ns)
    }

    /// Resolves a host written in a rule in namespace `ns`.
    pub fn resolve(&self, host: &str, ns: &str, catalog: &Catalog<'a>) -> Target<'a> {
        self.resolve_for(host, ns, &[ns], catalog)
    }

    /// Resolves a destination host of a VirtualService: short names in its
    /// namespace, and the target must be visible from every namespace the
    /// VirtualService is exported to (those sidecars route with it).
    pub fn resolve_destination(
        &self,
        host: &str,
        vs: &Object,
        catalog: &Catalog<'a>,
    ) -> Target<'a> {
        self.resolve_for(host, vs.namespace(), &viewers(vs), catalog)
    }

    /// Resolves a host written in a rule in namespace `ns`, for use from
    /// the namespaces `viewers` (the rule's own, or its `exportTo`).
    pub fn resolve_for(
        &self,
        host: &str,
        ns: &str,
        viewers: &[&str],
        catalog: &Catalog<'a>,
    ) -> Target<'a> {
        if is_wildcard(host) {
            return Target::Wildcard;
        }
        let fqdn = fqdn(host, ns);
        let blind = |obj: &Object| viewers.iter().find(|v| !visible_from(obj, v)).copied();
        let mut hidden = None;
        let mut hidden_from = ns.to_string();
        if let Some((name, svc_ns)) = service_of(&fqdn)
            && let Some(svc) = self
                .services_named(name)
                .iter()
                .find(|s| s.namespace() == svc_ns)
        {
            match blind(svc) {
                None => return Target::Service(svc),
                Some(v) => {
                    hidden = Some(*svc);
                    hidden_from = v.to_string();
                }
            }
        }
        if let Some((_, se)) = self
            .service_entries
            .iter()
            .find(|(h, se)| hosts_match(h, &fqdn) && blind(se).is_none())
        {
            return Target::ServiceEntry(se);
        }
        // A ServiceEntry for exactly this host that `exportTo` hides (not a
        // wildcard entry: `*` exported to its own namespace hides nothing).
        if hidden.is_none()
            && let Some((_, se)) = self.service_entries.iter().find(|(h, _)| *h == fqdn)
        {
            hidden = Some(*se);
            hidden_from = blind(se).unwrap_or(ns).to_string();
        }
        let assumed = service_of(&fqdn)
            .is_some_and(|(name, svc_ns)| assumed(catalog, "Service", svc_ns, name));
        if assumed {
            return Target::Wildcard;
        }
        let (meant, dns_style) = if is_short(host) {
            (self.services_named(host).first().copied(), false)
        } else if let Some((name, svc_ns)) = dns_guess(host) {
            let svc = self
                .services_named(name)
                .iter()
                .find(|s| s.namespace() == svc_ns)
                .copied();
            (svc, svc.is_some())
        } else {
            (None, false)
        };
        Target::Missing(Missing {
            confident: meant.is_some() || hidden.is_some(),
            fqdn: fqdn.into_owned(),
            meant,
            dns_style,
            hidden,
            hidden_from,
        })
    }

    /// DestinationRules for a registry name that a rule in `ns` sees: exact
    /// host first; wildcard hosts (`*.ns.svc.cluster.local`) count too.
    pub fn destination_rules_for(&self, fqdn: &str, ns: &str) -> Vec<&'a Object> {
        let visible = |dr: &&Object| visible_from(dr, ns);
        let exact: Vec<&'a Object> = self
            .destination_rules_with_host(fqdn)
            .iter()
            .copied()
            .filter(visible)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        self.dr_wildcard
            .iter()
            .filter(|(h, _)| hosts_match(h, fqdn))
            .map(|(_, dr)| *dr)
            .filter(visible)
            .collect()
    }

    /// DestinationRules whose host's registry name is exactly `fqdn`, in
    /// input order.
    pub fn destination_rules_with_host(&self, fqdn: &str) -> &[&'a Object] {
        self.dr_by_host.get(fqdn).map_or(&[], Vec::as_slice)
    }

    /// Every DestinationRule with its host's registry name.
    pub fn all_destination_rules(&self) -> &[(String, &'a Object)] {
        &self.destination_rules
    }

    /// VirtualServices bound to `mesh` claiming this registry name.
    pub fn mesh_virtual_services_for(&self, fqdn: &str) -> &[&'a Object] {
        self.mesh_virtual_services
            .get(fqdn)
            .map_or(&[], Vec::as_slice)
    }

    /// VirtualServices bound to the Gateway `ns/name`, in input order.
    pub fn gateway_virtual_services(&self, ns: &str, name: &str) -> &[&'a Object] {
        self.gateway_virtual_services
            .get(&(ns.to_string(), name.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Is the Service `ns/name` the destination of a VirtualService?
    pub fn is_destination(&self, ns: &str, name: &str) -> bool {
        self.destination_services
            .contains(&(ns.to_string(), name.to_string()))
    }

    /// Gateways with this namespace and name.
    pub fn gateway(&self, ns: &str, name: &str) -> Option<&'a Object> {
        self.gateways
            .iter()
            .find(|g| g.namespace() == ns && g.name() == name)
            .copied()
    }
}

/// A workload that runs an Istio gateway (the pods a Gateway `selector`
/// picks): labelled `istio: ingressgateway|egressgateway` or
/// `istio.io/gateway-name`, or an `istio/proxyv2` container started as `router`.
pub fn is_gateway_workload(obj: &Object) -> bool {
    let Some(t) = obj.pod_template() else {
        return false;
    };
    let labelled = t
        .labels
        .iter()
        .any(|(k, v)| (*k == "istio" && v.ends_with("gateway")) || *k == "istio.io/gateway-name");
    labelled
        || t.containers().any(|c| {
            c.node
                .get_str("image")
                .is_some_and(|i| i.contains("proxyv2"))
                && c.node
                    .get_seq("args")
                    .iter()
                    .any(|a| a.as_str() == Some("router"))
        })
}

/// Is `Kind/namespace/name` in the run's `assume` list (`*` wildcards)?
pub fn assumed(catalog: &Catalog<'_>, kind: &str, ns: &str, name: &str) -> bool {
    let id = format!("{kind}/{ns}/{name}");
    catalog
        .settings()
        .assume
        .iter()
        .any(|pattern| glob(pattern, &id))
}

/// `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = rest.get(i + part.len()..).unwrap_or(""),
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Ports of a Service: `(port number, name, node)`.
pub fn service_ports(svc: &Object) -> Vec<(i64, Option<&str>, &Node)> {
    svc.root
        .path(&["spec", "ports"])
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(|p| Some((p.get("port")?.as_i64()?, p.get_str("name"), p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Modeled, model_document};
    use crate::parse::parse_file;
    use crate::settings::Settings;
    use crate::source::SourceFile;

    fn objects(text: &str) -> Vec<Object> {
        let source = SourceFile::new("t.yaml", text.to_string());
        let parsed = parse_file(0, &source);
        let mut modeled = Modeled::default();
        for doc in parsed.documents {
            model_document(0, doc.index, doc.root, &mut modeled);
        }
        modeled.objects
    }

    const REGISTRY: &str = "
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo}
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: bookinfo
  annotations: {networking.istio.io/exportTo: \".\"}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec:
  hosts: [api.example.com, \"*.cdn.example.com\", ledger]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: private, namespace: shop}
spec:
  exportTo: [\".\"]
  hosts: [private.example.com]
";

    fn resolved(host: &str, ns: &str) -> String {
        let objs = objects(REGISTRY);
        let settings = Settings::default();
        let catalog = Catalog::build(&objs, &[], &settings);
        match catalog.istio().resolve(host, ns, &catalog) {
            Target::Service(o) => format!("Service {}/{}", o.namespace(), o.name()),
            Target::ServiceEntry(o) => format!("ServiceEntry {}/{}", o.namespace(), o.name()),
            Target::Wildcard => "wildcard".to_string(),
            Target::Missing(m) => format!(
                "missing {} meant={} dns={} hidden={}",
                m.fqdn,
                m.meant.map_or("-", |o| o.name()),
                m.dns_style,
                m.hidden.is_some()
            ),
        }
    }

    #[test]
    fn resolves_like_istio() {
        assert_eq!(resolved("reviews", "bookinfo"), "Service bookinfo/reviews");
        assert_eq!(
            resolved("reviews.bookinfo.svc.cluster.local", "shop"),
            "Service bookinfo/reviews"
        );
        // Short names are relative to the rule, not the Service.
        assert_eq!(
            resolved("reviews", "shop"),
            "missing reviews.shop.svc.cluster.local meant=reviews dns=false hidden=false"
        );
        // Dotted names are literal: DNS would find it, Istio does not.
        assert_eq!(
            resolved("reviews.bookinfo", "shop"),
            "missing reviews.bookinfo meant=reviews dns=true hidden=false"
        );
        // exportTo: "." hides the Service from other namespaces.
        assert_eq!(
            resolved("ratings.bookinfo.svc.cluster.local", "bookinfo"),
            "Service bookinfo/ratings"
        );
        assert_eq!(
            resolved("ratings.bookinfo.svc.cluster.local", "shop"),
            "missing ratings.bookinfo.svc.cluster.local meant=- dns=false hidden=true"
        );
        // ServiceEntry hosts: literal, wildcard, short (in the entry's namespace).
        assert_eq!(
            resolved("api.example.com", "bookinfo"),
            "ServiceEntry shop/ext"
        );
        assert_eq!(
            resolved("img.cdn.example.com", "bookinfo"),
            "ServiceEntry shop/ext"
        );
        assert_eq!(resolved("ledger", "shop"), "ServiceEntry shop/ext");
        assert_eq!(
            resolved("private.example.com", "shop"),
            "ServiceEntry shop/private"
        );
        assert!(resolved("private.example.com", "bookinfo").starts_with("missing"));
        assert_eq!(resolved("*.example.com", "shop"), "wildcard");
    }

    #[test]
    fn virtual_services_resolve_from_their_export_namespaces() {
        let text = format!(
            "{REGISTRY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: to-bookinfo, namespace: shop}}
spec:
  exportTo: [bookinfo]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: to-shop, namespace: bookinfo}}
spec:
  exportTo: [\".\", shop, \"~\"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: everywhere, namespace: shop}}
spec:
  exportTo: [\"*\", bookinfo]
"
        );
        let objs = objects(&text);
        let settings = Settings::default();
        let catalog = Catalog::build(&objs, &[], &settings);
        let vs = |name: &str| objs.iter().find(|o| o.name() == name).unwrap();
        assert_eq!(viewers(vs("to-bookinfo")), ["bookinfo"]);
        assert_eq!(viewers(vs("to-shop")), ["bookinfo", "shop"]);
        assert_eq!(viewers(vs("everywhere")), ["shop"]);
        let ratings = "ratings.bookinfo.svc.cluster.local";
        let index = catalog.istio();
        // Used by bookinfo's sidecars only, which see ratings.
        assert!(matches!(
            index.resolve_destination(ratings, vs("to-bookinfo"), &catalog),
            Target::Service(_)
        ));
        // Also used by shop's, which do not.
        match index.resolve_destination(ratings, vs("to-shop"), &catalog) {
            Target::Missing(m) => assert_eq!(m.hidden_from, "shop"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn gateway_hosts_honour_namespaces() {
        let objs = objects(
            "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec:
  servers:
    - hosts: [a.example.com, ./b.example.com, shop/c.example.com, \"*/d.example.com\"]
",
        );
        let gw = objs.first().unwrap();
        let hosts =
            |ns| -> Vec<&str> { gateway_hosts_for(gw, ns).iter().map(|h| h.host).collect() };
        assert_eq!(
            hosts("edge"),
            ["a.example.com", "b.example.com", "d.example.com"]
        );
        assert_eq!(
            hosts("shop"),
            ["a.example.com", "c.example.com", "d.example.com"]
        );
        assert_eq!(gateway_ref("shop/gw", "x"), ("shop", "gw"));
        assert_eq!(gateway_ref("gw", "x"), ("x", "gw"));
    }

    #[test]
    fn short_names_are_relative_to_the_rule() {
        assert_eq!(
            fqdn("reviews", "default"),
            "reviews.default.svc.cluster.local"
        );
        assert_eq!(fqdn("reviews.bookinfo", "default"), "reviews.bookinfo");
        assert_eq!(fqdn("*.example.com", "default"), "*.example.com");
        assert_eq!(
            service_of("reviews.bookinfo.svc.cluster.local"),
            Some(("reviews", "bookinfo"))
        );
        assert_eq!(service_of("reviews.bookinfo"), None);
        assert_eq!(service_of("a.b.c.svc.cluster.local"), None);
        assert_eq!(dns_guess("reviews.bookinfo"), Some(("reviews", "bookinfo")));
        assert_eq!(
            dns_guess("reviews.bookinfo.svc"),
            Some(("reviews", "bookinfo"))
        );
        assert_eq!(dns_guess("www.google.com"), None);
        assert_eq!(dns_guess("reviews.bookinfo.svc.cluster.local"), None);
    }

    #[test]
    fn wildcards_match_like_istio() {
        assert!(hosts_match("*", "anything.example.com"));
        assert!(hosts_match("*.example.com", "a.example.com"));
        assert!(hosts_match("a.b.example.com", "*.example.com"));
        assert!(hosts_match("*.example.com", "*.a.example.com"));
        assert!(!hosts_match("*.example.com", "example.com"));
        assert!(!hosts_match("a.example.com", "b.example.com"));
        assert!(!hosts_match("*.a.example.com", "b.example.com"));
    }

    #[test]
    fn globs() {
        assert!(glob("Service/*/web", "Service/shop/web"));
        assert!(glob("*", "Service/shop/web"));
        assert!(glob("Service/shop/web", "Service/shop/web"));
        assert!(!glob("Service/shop/web", "Service/shop/webx"));
        assert!(glob("Service/*/w*b", "Service/a/web"));
        assert!(!glob("Service/*/x", "Service/a/web"));
    }
}
