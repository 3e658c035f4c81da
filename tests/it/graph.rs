//! `kwire graph`: the simulated topology, its formats, and its agreement
//! with the lint findings of the same run.

use kwire::lint::{LintOptions, LintResult, lint};
use kwire::topology::Graph;
use kwire::topology::model::{Edge, Relation};
use kwire::topology::render::{self, GraphFormat};
use kwire::units::UnitsMode;

/// Paths relative to the crate root (the working directory of integration
/// tests), so the snapshots hold no machine-specific paths.
fn run(paths: &[&str]) -> LintResult {
    lint(&LintOptions {
        paths: paths.iter().map(|p| (*p).to_string()).collect(),
        graph: true,
        ..LintOptions::default()
    })
}

fn graph_of(paths: &[&str]) -> Graph {
    run(paths).graph.expect("graph requested")
}

fn render(graph: &Graph, format: GraphFormat) -> String {
    let mut out = Vec::new();
    render::write(graph, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn edges<'g>(g: &'g Graph, from: &str, relation: Relation) -> Vec<&'g Edge> {
    g.edges
        .iter()
        .map(Box::as_ref)
        .filter(|e| e.from == from && e.relation == relation)
        .collect()
}

const MULTI: &str = "fixtures/topology/multi-ns";

#[test]
fn text_golden() {
    for (name, path) in [
        ("seeds", "fixtures/seeds"),
        ("bookinfo", "fixtures/istio/bookinfo"),
        ("multi_ns", MULTI),
        ("units_shop", "fixtures/units/shop"),
    ] {
        let g = graph_of(&[path]);
        insta::assert_snapshot!(format!("text_{name}"), render(&g, GraphFormat::Text));
    }
}

#[test]
fn json_golden_and_contract() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/graph-report.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (name, path) in [
        ("seeds", "fixtures/seeds"),
        ("bookinfo", "fixtures/istio/bookinfo"),
        ("multi_ns", MULTI),
        ("units_shop", "fixtures/units/shop"),
    ] {
        let g = graph_of(&[path]);
        let text = render(&g, GraphFormat::Json);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // Round trip: what the renderers read is what was written.
        let back: Graph = serde_json::from_value(value).unwrap();
        assert_eq!(back, g, "{name}");
        if name != "seeds" {
            insta::assert_snapshot!(format!("json_{name}"), text);
        }
    }
}

#[test]
fn the_contract_copy_is_the_shared_one() {
    let shared = std::path::Path::new("../shared/contracts/graph-report.schema.json");
    let Ok(theirs) = std::fs::read_to_string(shared) else {
        eprintln!("skipped: ../shared is not beside the project");
        return;
    };
    let ours = std::fs::read_to_string("docs/graph-report.schema.json").unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn workloads_create_the_pods_their_controllers_would() {
    let g = graph_of(&[MULTI]);
    // StatefulSet pods are named by ordinal.
    for i in 0..3 {
        assert!(g.node(&format!("Pod/data/db-{i}")).is_some(), "db-{i}");
    }
    // Deployment → ReplicaSet → pods; the HPA's minimum replaces replicas.
    let owns = edges(&g, "Deployment/shop/api", Relation::Owns);
    assert_eq!(owns.len(), 1);
    assert_eq!(owns[0].to, "ReplicaSet/shop/api-<hash>");
    let pods = g.node("Pod/shop/api-<hash>-*").unwrap();
    assert_eq!(pods.detail.as_deref(), Some("×2"));
    assert!(pods.simulated);
    // The ReplicaSet adopts the bare Pod and creates one pod fewer.
    let adopted = edges(&g, "ReplicaSet/shop/web", Relation::Owns);
    assert!(
        adopted
            .iter()
            .any(|e| e.to == "Pod/shop/web-debug" && e.label.as_deref() == Some("adopts"))
    );
    assert_eq!(
        g.node("Pod/shop/web-*").unwrap().detail.as_deref(),
        Some("×1, plus 1 adopted")
    );
    // A Deployment whose selector does not select its template creates nothing.
    let seeds = graph_of(&["fixtures/seeds/14-selector-mismatch.yaml"]);
    let mismatch: Vec<&Edge> = seeds
        .edges
        .iter()
        .map(Box::as_ref)
        .filter(|e| e.relation == Relation::Owns && e.finding.as_deref() == Some("KW3001"))
        .collect();
    assert_eq!(mismatch.len(), 1, "{:#?}", seeds.edges);
}

#[test]
fn services_reach_pods_by_selector_and_named_port() {
    let g = graph_of(&[MULTI]);
    // matchLabels + matchExpressions: api-stable reaches the stable pods only.
    let stable: Vec<&str> = edges(&g, "Service/shop/api-stable", Relation::Selects)
        .iter()
        .map(|e| e.to.as_str())
        .collect();
    assert_eq!(stable, ["Pod/shop/api-<hash>-*"]);
    // `api` selects both tracks, named port resolved to the number.
    let api = edges(&g, "Service/shop/api", Relation::Selects);
    assert_eq!(api.len(), 2);
    assert!(
        api.iter()
            .all(|e| e.label.as_deref() == Some("80→http(8080)/TCP"))
    );
    // Headless Service: per-pod DNS names of its StatefulSet.
    let db = g
        .dns
        .iter()
        .find(|d| d.service == "Service/data/db")
        .unwrap();
    assert!(
        db.names
            .contains(&"db-2.db.data.svc.cluster.local".to_string())
    );
    // A DNS name of one pod calls the headless Service.
    let calls = edges(&g, "Deployment/shop/api", Relation::Calls);
    assert!(
        calls
            .iter()
            .any(|e| e.to == "Service/data/db" && e.resolved),
        "{calls:#?}"
    );
}

#[test]
fn a_port_declared_only_for_another_protocol_is_shown_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dns.yaml");
    std::fs::write(
        &file,
        "apiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: ns}\nspec:\n  selector: {app: dns}\n  ports:\n    - {name: dns-tcp, port: 53, targetPort: dns, protocol: TCP}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dns, namespace: ns}\nspec:\n  selector: {matchLabels: {app: dns}}\n  template:\n    metadata: {labels: {app: dns}}\n    spec:\n      containers:\n        - name: dns\n          image: coredns/coredns:1.11.1\n          ports:\n            - {name: dns, containerPort: 53, protocol: UDP}\n",
    )
    .unwrap();
    let g = graph_of(&[file.to_str().unwrap()]);
    let e = edges(&g, "Service/ns/dns", Relation::Selects);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].label.as_deref(), Some("53→dns(UDP only)"));
}

#[test]
fn exposures_end_at_container_ports() {
    let g = graph_of(&[MULTI]);
    let entry = |text: &str| {
        g.exposures
            .iter()
            .filter(|x| x.entry == text)
            .collect::<Vec<_>>()
    };
    // NodePort: the written port, or the allocation range.
    let checkout = entry("nodePort 30050");
    assert_eq!(checkout.len(), 1);
    assert_eq!(checkout[0].container_port, Some(5050));
    assert_eq!(entry("nodePort (allocated from 30000–32767)").len(), 1);
    // Ingress with TLS, path by service port name.
    let api = entry("https://shop.example.com/api");
    assert_eq!(api.len(), 1);
    assert_eq!(api[0].chain, ["Ingress/shop/shop", "Service/shop/api"]);
    assert_eq!(api[0].container_port, Some(8080));
    assert_eq!(api[0].endpoints, 3);
    // extensions/v1beta1 Ingress backends are followed too.
    assert_eq!(entry("http://old.example.com/").len(), 1);
    // Gateway API: the route attaches to the listener, weights kept.
    let routes = edges(&g, "Gateway/infra/public", Relation::Routes);
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].to, "HTTPRoute/shop/api");
    let mut weights: Vec<(Option<i64>, u32)> = entry("http://api.example.com/v1")
        .iter()
        .map(|x| (x.weight, x.endpoints))
        .collect();
    weights.sort();
    assert_eq!(weights, [(Some(10), 1), (Some(90), 2)]);
    // Istio: Gateway → VirtualService → subsets with weights.
    let mut mesh: Vec<(Option<i64>, u32)> = entry("http://mesh.example.com/")
        .iter()
        .map(|x| (x.weight, x.endpoints))
        .collect();
    mesh.sort();
    assert_eq!(mesh, [(Some(20), 1), (Some(80), 2)]);
    assert!(g.node("Service/shop/api").unwrap().exposed);
}

#[test]
fn unresolved_references_carry_their_finding() {
    let g = graph_of(&[MULTI]);
    let typo: Vec<&Edge> = g
        .edges
        .iter()
        .map(Box::as_ref)
        .filter(|e| !e.resolved && !e.assumed)
        .collect();
    assert_eq!(typo.len(), 1, "{typo:#?}");
    assert_eq!(typo[0].finding.as_deref(), Some("KW3301"));
    assert_eq!(typo[0].to, "Service/shop/checkuot");
    // The node carries the codes of the lint findings on its object.
    assert!(
        g.node("Deployment/shop/api")
            .unwrap()
            .findings
            .contains(&"KW3301".to_string())
    );
}

/// Every fixture directory: the graph and lint agree, object by object.
#[test]
fn graph_and_lint_agree_on_every_fixture() {
    let mut dirs: Vec<String> = std::fs::read_dir("fixtures/rules")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs.extend(
        [
            "fixtures/seeds",
            "fixtures/istio",
            "fixtures/units/shop",
            "fixtures/context",
            MULTI,
            REL,
            GW_HOSTS,
        ]
        .map(String::from),
    );
    let mut checked_edges = 0;
    for dir in &dirs {
        for units in [UnitsMode::Auto, UnitsMode::PerFile] {
            let result = lint(&LintOptions {
                paths: vec![dir.clone()],
                graph: true,
                units: units.clone(),
                ..LintOptions::default()
            });
            let graph = result.graph.as_ref().unwrap();
            checked_edges += graph.edges.iter().filter(|e| e.finding.is_some()).count();
            let found = kwire::topology::disagreements(graph, &result.diagnostics, &result.files);
            assert!(found.is_empty(), "{dir} ({units:?}): {found:#?}");
        }
    }
    // The fixtures hold findings of every edge code: the check is not vacuous.
    assert!(checked_edges > 20, "{checked_edges}");
}

#[test]
fn a_disagreement_is_seen() {
    let mut result = run(&[MULTI]);
    let graph = result.graph.take().unwrap();
    // Drop the KW3301 finding: the graph still has its unresolved edge.
    result.diagnostics.retain(|d| d.code != "KW3301");
    let found = kwire::topology::disagreements(&graph, &result.diagnostics, &result.files);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("KW3301"));
}

#[test]
fn namespace_and_unit_filters() {
    let mut g = graph_of(&[MULTI]);
    kwire::topology::filter(&mut g, &["data".to_string()], &[]);
    assert!(
        g.nodes
            .iter()
            .all(|n| n.namespace.as_deref() == Some("data"))
    );
    assert!(!g.nodes.is_empty());
    assert!(g.exposures.is_empty());
}

/// `scripts/graph-check.sh`: the JSON of a large run (the real corpus)
/// against the contract.
#[test]
#[ignore = "run by scripts/graph-check.sh with KWIRE_GRAPH_JSON set"]
fn graph_json_file_matches_the_contract() {
    let path = std::env::var("KWIRE_GRAPH_JSON").expect("KWIRE_GRAPH_JSON");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/graph-report.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Replica counts at the ends of the integer range neither panic (debug
/// builds check overflow) nor wrap: pod counts saturate.
#[test]
fn extreme_replica_counts_saturate() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.yaml");
    let deployment = |name: &str, replicas: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: ns}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: big}}}}\n  template:\n    metadata: {{labels: {{app: big}}}}\n    spec:\n      containers: [{{name: c, image: example/big:1.0.0}}]\n---\n"
        )
    };
    let mut text = deployment("a", "9223372036854775807");
    text.push_str(&deployment("b", "9223372036854775807"));
    text.push_str("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r, namespace: ns}\nspec:\n  replicas: -9223372036854775808\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec:\n      containers: [{name: c, image: example/big:1.0.0}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns, labels: {app: big}}\nspec:\n  containers: [{name: c, image: example/big:1.0.0}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: big, namespace: ns}\nspec:\n  type: NodePort\n  selector: {app: big}\n  ports: [{port: 80, targetPort: 8080}]\n");
    std::fs::write(&file, text).unwrap();
    let g = graph_of(&[file.to_str().unwrap()]);
    let exposure = g
        .exposures
        .iter()
        .find(|x| x.entry.starts_with("nodePort"))
        .unwrap();
    assert_eq!(exposure.endpoints, u32::MAX);
}

const REL: &str = "fixtures/topology/relations";

fn edge<'g>(g: &'g Graph, from: &str, to: &str, relation: Relation) -> &'g Edge {
    g.edges
        .iter()
        .find(|e| e.from == from && e.to == to && e.relation == relation)
        .unwrap_or_else(|| {
            panic!(
                "no {relation:?} edge {from} -> {to}; edges from {from}: {:#?}",
                edges(g, from, relation)
            )
        })
}

#[test]
fn monitors_select_their_services_and_pods() {
    let g = graph_of(&[REL]);
    let sm = edge(
        &g,
        "ServiceMonitor/rel-mon/rel-cart-sm",
        "Service/rel-shop/rel-cart",
        Relation::Selects,
    );
    assert!(sm.resolved);
    assert_eq!(sm.label.as_deref(), Some("scrapes http-metrics"));
    assert_eq!(sm.via.file, "fixtures/topology/relations/monitors.yaml");
    assert_eq!(sm.via.line, 10);
    assert_eq!(sm.via.field.as_deref(), Some("spec.selector"));
    let pm = edge(
        &g,
        "PodMonitor/rel-shop/rel-cart-pm",
        "Pod/rel-shop/rel-cart-<hash>-*",
        Relation::Selects,
    );
    assert!(pm.resolved);
    assert_eq!(pm.label.as_deref(), Some("scrapes metrics"));
    // Its own namespace only: the Service it means is elsewhere (KW3408).
    let lost = edges(&g, "ServiceMonitor/rel-mon/rel-lost-sm", Relation::Selects);
    assert_eq!(lost.len(), 1, "{lost:#?}");
    assert!(!lost[0].resolved && !lost[0].assumed);
    assert_eq!(lost[0].finding.as_deref(), Some("KW3408"));
    assert_eq!(lost[0].to, "Service/rel-mon/app=rel-cart");
    assert_eq!(lost[0].via.line, 36);
    let outside = edges(
        &g,
        "ServiceMonitor/rel-mon/rel-outside-sm",
        Relation::Selects,
    );
    assert_eq!(outside.len(), 1, "{outside:#?}");
    assert!(!outside[0].resolved && outside[0].assumed);
    assert_eq!(outside[0].finding, None);
    let result = run(&[REL]);
    let found = kwire::topology::disagreements(
        result.graph.as_ref().unwrap(),
        &result.diagnostics,
        &result.files,
    );
    assert!(found.is_empty(), "{found:#?}");
    assert!(result.diagnostics.iter().any(|d| d.code == "KW3408"));
}

#[test]
fn ingress_tls_secrets_are_used() {
    let g = graph_of(&[REL]);
    let ing = "Ingress/rel-shop/rel-shop-ingress";
    let found = edge(&g, ing, "Secret/rel-shop/rel-shop-tls", Relation::Uses);
    assert!(found.resolved);
    assert_eq!(found.label.as_deref(), Some("tls rel-shop.example.com"));
    assert_eq!(found.via.line, 21);
    assert_eq!(found.via.field.as_deref(), Some("spec.tls[0].secretName"));
    let missing = edge(&g, ing, "Secret/rel-shop/rel-api-tls", Relation::Uses);
    assert!(!missing.resolved && !missing.assumed);
    assert_eq!(missing.finding.as_deref(), Some("KW3204"));
    assert_eq!(missing.via.line, 23);
}

#[test]
fn network_policies_select_pods_and_peers() {
    let g = graph_of(&[REL]);
    let np = "NetworkPolicy/rel-shop/rel-cart-policy";
    let cart = "Pod/rel-shop/rel-cart-<hash>-*";
    let all = edges(&g, np, Relation::Selects);
    let own = all
        .iter()
        .find(|e| e.to == cart && e.label.is_none())
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert!(own.resolved);
    assert_eq!(own.via.line, 8);
    assert_eq!(own.via.field.as_deref(), Some("spec.podSelector"));
    let scraper = edge(
        &g,
        np,
        "Pod/rel-mon/rel-scraper-<hash>-*",
        Relation::Selects,
    );
    assert!(scraper.resolved);
    assert_eq!(scraper.label.as_deref(), Some("ingress from · 9090/TCP"));
    assert_eq!(scraper.via.line, 17);
    assert_eq!(
        scraper.via.field.as_deref(),
        Some("spec.ingress[0].from[0].podSelector")
    );
    let block = edge(&g, np, "IPBlock//10.20.0.0%2F16", Relation::Selects);
    assert_eq!(
        block.label.as_deref(),
        Some("ingress from ipBlock 10.20.0.0/16 except 10.20.1.0/24 · 9090/TCP")
    );
    assert!(g.node("IPBlock//10.20.0.0%2F16").is_some());
    let egress = all
        .iter()
        .find(|e| e.to == cart && e.label.as_deref() == Some("egress to · http/TCP"))
        .unwrap_or_else(|| panic!("{all:#?}"));
    assert_eq!(egress.via.line, 28);
}

#[test]
fn network_policy_peers_of_whole_namespaces_are_one_group_edge() {
    let g = graph_of(&[REL]);
    let np = "NetworkPolicy/rel-shop/rel-cart-open";
    let everywhere = edge(&g, np, "Pods//all namespaces", Relation::Selects);
    assert!(everywhere.resolved);
    assert_eq!(everywhere.label.as_deref(), Some("ingress from · 8084/TCP"));
    assert_eq!(
        everywhere.via.field.as_deref(),
        Some("spec.ingress[0].from[0].namespaceSelector")
    );
    let own_ns = edge(&g, np, "Pods/rel-shop/all pods", Relation::Selects);
    assert_eq!(own_ns.label.as_deref(), Some("ingress from · all ports"));
    let group = g.node("Pods//all namespaces").expect("group node");
    assert!(group.simulated);
    assert_eq!(
        group.detail.as_deref(),
        Some("every pod of every namespace")
    );
    // The group stands for the pods: none of them gets its own peer edge.
    let peers: Vec<_> = edges(&g, np, Relation::Selects)
        .into_iter()
        .filter(|e| e.label.is_some() && e.to.starts_with("Pod/"))
        .collect();
    assert!(peers.is_empty(), "{peers:#?}");
}

#[test]
fn services_without_selector_reach_their_manual_endpoints() {
    let g = graph_of(&[REL]);
    let db = edge(
        &g,
        "Service/rel-shop/rel-legacy-db",
        "Endpoints/rel-shop/rel-legacy-db",
        Relation::Selects,
    );
    assert!(db.resolved);
    assert_eq!(
        db.label.as_deref(),
        Some("10.30.0.5, 10.30.0.6 :pg:5432/TCP")
    );
    assert_eq!(db.via.line, 15);
    assert_eq!(db.via.field.as_deref(), Some("metadata.name"));
    let cache = edge(
        &g,
        "Service/rel-shop/rel-legacy-cache",
        "EndpointSlice/rel-shop/rel-legacy-cache-1",
        Relation::Selects,
    );
    assert!(cache.resolved);
    assert_eq!(cache.label.as_deref(), Some("10.30.1.7 :6379/TCP"));
    assert_eq!(cache.via.line, 40);
    assert!(
        g.node("EndpointSlice/rel-shop/rel-legacy-cache-1")
            .is_some()
    );
    let text = render(&g, GraphFormat::Text);
    let at = text.find("rel-legacy-db").unwrap();
    let block: String = text[at..].lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(!block.contains("no endpoints"), "{block}");
}

/// The README's Topology example is `kwire graph`'s output with lines left
/// out (`…`): every line it shows is printed, in the same order.
#[test]
fn readme_topology_example_is_current() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = "$ kwire graph fixtures/topology/multi-ns -n shop\n";
    let example = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("README has the multi-ns example");
    let mut g = graph_of(&[MULTI]);
    kwire::topology::filter(&mut g, &["shop".to_string()], &[]);
    let text = render(&g, GraphFormat::Text);
    let mut printed = text.lines();
    for line in example.lines().filter(|l| l.trim() != "…") {
        assert!(
            printed.any(|p| p == line),
            "README line not in kwire graph's output (or out of order): {line:?}\n{text}"
        );
    }
}

const GW_HOSTS: &str = "fixtures/topology/gateway-hostnames";

/// Gateway API routes are drawn on `resolve::gateway_api`'s attachment: the
/// `routes` edge is resolved only when a listener admits the route and its
/// hostname intersects the route's, and the exposures are the intersections.
#[test]
fn gateway_routes_follow_listener_admission_and_hostnames() {
    let g = graph_of(&[GW_HOSTS]);
    let gw = "Gateway/gh-web/gh-edge";
    let routes = |name: &str| {
        edge(
            &g,
            gw,
            &format!("HTTPRoute/gh-web/{name}"),
            Relation::Routes,
        )
    };
    assert!(routes("gh-store").resolved);
    assert!(routes("gh-wide").resolved);
    let unresolved = [("gh-blog", "KW3216", 51), ("gh-typo", "KW3214", 84)];
    for (name, code, line) in unresolved {
        let e = routes(name);
        assert!(!e.resolved && !e.assumed, "{e:#?}");
        assert_eq!(e.finding.as_deref(), Some(code), "{e:#?}");
        assert_eq!(e.via.line, line, "{e:#?}");
    }
    let partner = edge(&g, gw, "HTTPRoute/gh-partners/gh-partner", Relation::Routes);
    assert_eq!(partner.finding.as_deref(), Some("KW3215"));
    assert!(!partner.resolved);
    assert!(
        edges(&g, gw, Relation::Routes)
            .iter()
            .find(|e| e.to.ends_with("/gh-blog"))
            .and_then(|e| e.reason.as_deref())
            .is_some_and(|r| r.contains("*.shop.example.com")),
    );
    let mut entries: Vec<(&str, &str)> = g
        .exposures
        .iter()
        .filter(|x| x.chain.first().map(|id| id.as_str()) == Some(gw))
        .map(|x| {
            (
                x.entry.as_str(),
                x.chain.get(1).map_or("", |id| id.as_str()),
            )
        })
        .collect();
    entries.sort_unstable();
    assert_eq!(
        entries,
        [
            ("http://*.example.com/wide", "HTTPRoute/gh-web/gh-wide"),
            ("http://*.shop.example.com/", "HTTPRoute/gh-web/gh-store"),
            ("http://*.shop.example.com/wide", "HTTPRoute/gh-web/gh-wide"),
            ("http://admin.example.com/wide", "HTTPRoute/gh-web/gh-wide"),
            (
                "http://store.shop.example.com/",
                "HTTPRoute/gh-web/gh-store"
            ),
        ]
    );
    // Lint reports the same places, so the agreement check holds.
    let result = run(&[GW_HOSTS]);
    let graph = result.graph.as_ref().unwrap();
    let found = kwire::topology::disagreements(graph, &result.diagnostics, &result.files);
    assert!(found.is_empty(), "{found:#?}");
    for code in ["KW3214", "KW3215", "KW3216"] {
        assert!(result.diagnostics.iter().any(|d| d.code == code), "{code}");
    }
}

/// Dropping the KW3216 finding leaves its unresolved edge unexplained.
#[test]
fn a_hostname_disagreement_is_seen() {
    let mut result = run(&[GW_HOSTS]);
    let graph = result.graph.take().unwrap();
    result.diagnostics.retain(|d| d.code != "KW3216");
    let found = kwire::topology::disagreements(&graph, &result.diagnostics, &result.files);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("KW3216"), "{found:#?}");
}
