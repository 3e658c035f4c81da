//! Renderer tests over hand-built graphs: a small shop (Ingress and
//! LoadBalancer exposures, a Deployment's simulated ReplicaSet and pods, a
//! ConfigMap, an unresolved backend, a DNS call), hostile names, two
//! units, the empty graph and a large one.

use super::layout;
use super::view::{Role, View};
use super::*;
use crate::topology::model::{DnsEntry, Edge, Exposure, Node, PortValue, Relation, UnitInfo, Via};

fn node(kind: &str, ns: Option<&str>, name: &str) -> Box<Node> {
    Box::new(Node {
        id: format!("{kind}/{}/{name}", ns.unwrap_or("")).into(),
        kind: kind.into(),
        namespace: ns.map(Into::into),
        name: name.into(),
        file: Some("shop/app.yaml".into()),
        line: Some(1),
        ..Node::default()
    })
}

fn edge(from: &str, to: &str, relation: Relation, label: Option<&str>) -> Box<Edge> {
    Box::new(Edge {
        from: from.into(),
        to: to.into(),
        relation,
        via: Via {
            file: "shop/app.yaml".into(),
            line: 7,
            field: Some("spec.selector".into()),
        },
        resolved: true,
        assumed: false,
        finding: None,
        label: label.map(Into::into),
        reason: None,
    })
}

fn shop() -> Graph {
    let mut ingress = node("Ingress", Some("shop"), "web");
    ingress.exposed = true;
    let mut lb = node("Service", Some("shop"), "frontend-external");
    lb.exposed = true;
    lb.detail = Some("LoadBalancer".into());
    let mut frontend = node("Service", Some("shop"), "frontend");
    frontend.exposed = true;
    let deploy = node("Deployment", Some("shop"), "frontend");
    let mut rs = node("ReplicaSet", Some("shop"), "frontend-5d8f");
    rs.simulated = true;
    let mut pods = node("Pod", Some("shop"), "frontend-5d8f-*");
    pods.simulated = true;
    pods.detail = Some("3 replicas".into());
    let cm = node("ConfigMap", Some("shop"), "frontend-config");
    let mut cart = node("Deployment", Some("shop"), "cart");
    cart.findings = vec!["KW3001".into()];
    let redis = node("Service", Some("db"), "redis");
    let ns = node("Namespace", None, "shop");
    let mut unresolved = edge(
        "Ingress/shop/web",
        "Service/shop/cart",
        Relation::Backend,
        Some("/cart (Prefix)"),
    );
    unresolved.resolved = false;
    unresolved.finding = Some("KW3201".into());
    unresolved.reason = Some("no Service \"cart\" in namespace shop".into());
    let mut assumed = edge(
        "Deployment/shop/frontend",
        "Secret/shop/vault-db",
        Relation::Uses,
        None,
    );
    assumed.resolved = false;
    assumed.assumed = true;
    Graph {
        version: 1,
        units: vec![UnitInfo {
            name: "shop".into(),
            source: Some("directory".into()),
        }],
        nodes: vec![ingress, lb, frontend, deploy, rs, pods, cm, cart, redis, ns],
        edges: vec![
            edge(
                "Ingress/shop/web",
                "Service/shop/frontend",
                Relation::Backend,
                Some("/ (Prefix) :80"),
            ),
            unresolved,
            edge(
                "Service/shop/frontend-external",
                "Pod/shop/frontend-5d8f-*",
                Relation::Selects,
                Some("80→8080/TCP"),
            ),
            edge(
                "Service/shop/frontend",
                "Pod/shop/frontend-5d8f-*",
                Relation::Selects,
                Some("80→8080/TCP"),
            ),
            edge(
                "Deployment/shop/frontend",
                "ReplicaSet/shop/frontend-5d8f",
                Relation::Owns,
                None,
            ),
            edge(
                "ReplicaSet/shop/frontend-5d8f",
                "Pod/shop/frontend-5d8f-*",
                Relation::Owns,
                Some("×3"),
            ),
            edge(
                "Deployment/shop/frontend",
                "ConfigMap/shop/frontend-config",
                Relation::Uses,
                None,
            ),
            edge(
                "Deployment/shop/frontend",
                "Service/db/redis",
                Relation::Calls,
                Some(":6379"),
            ),
            assumed,
        ],
        exposures: vec![
            Exposure {
                entry: "http://shop.example.com/".into(),
                chain: vec!["Ingress/shop/web".into(), "Service/shop/frontend".into()],
                service: Some("Service/shop/frontend".into()),
                port: Some(PortValue::Number(80)),
                target_port: Some(PortValue::Name("http".into())),
                container_port: Some(8080),
                endpoints: 3,
                weight: None,
                finding: None,
            },
            Exposure {
                entry: "LoadBalancer :80".into(),
                chain: vec!["Service/shop/frontend-external".into()],
                service: Some("Service/shop/frontend-external".into()),
                port: Some(PortValue::Number(80)),
                target_port: Some(PortValue::Number(8080)),
                container_port: Some(8080),
                endpoints: 3,
                weight: None,
                finding: None,
            },
        ],
        dns: vec![DnsEntry {
            service: "Service/db/redis".into(),
            names: vec!["redis.db".into(), "redis.db.svc.cluster.local".into()],
            short_name_namespaces: vec!["db".into()],
        }],
        rollouts: Vec::new(),
    }
}

const HOSTILE: &str = "a\"b\\c\nd</script><!--{x|y}`#quot;&amp;é—🚀\r\te";

/// Every string a renderer prints, made hostile.
fn hostile() -> Graph {
    let mut n = node("Service", Some("ns\"</script>"), HOSTILE);
    n.id = format!("Service/ns\"</script>/{HOSTILE}").into();
    n.detail = Some(HOSTILE.into());
    n.findings = vec![HOSTILE.into()];
    n.unit = Some(HOSTILE.into());
    let mut e = edge(
        &n.id,
        &format!("Pod/x/{HOSTILE}"),
        Relation::Selects,
        Some(HOSTILE),
    );
    e.resolved = false;
    e.finding = Some(HOSTILE.into());
    e.reason = Some(HOSTILE.into());
    e.via.file = HOSTILE.into();
    e.via.field = Some(HOSTILE.into());
    Graph {
        version: 1,
        units: vec![UnitInfo {
            name: HOSTILE.into(),
            source: None,
        }],
        nodes: vec![n],
        edges: vec![e],
        exposures: vec![Exposure {
            entry: HOSTILE.into(),
            chain: vec![HOSTILE.into()],
            service: Some(HOSTILE.into()),
            port: Some(PortValue::Name(HOSTILE.into())),
            target_port: None,
            container_port: None,
            endpoints: 0,
            weight: None,
            finding: Some(HOSTILE.into()),
        }],
        dns: Vec::new(),
        rollouts: Vec::new(),
    }
}

fn two_units() -> Graph {
    let mut g = shop();
    for n in &mut g.nodes {
        n.unit = Some(if n.namespace.as_deref() == Some("db") {
            "db".into()
        } else {
            "shop".into()
        });
    }
    g.units.push(UnitInfo {
        name: "db".into(),
        source: Some("directory".into()),
    });
    g
}

fn render(graph: &Graph, format: GraphFormat) -> String {
    let mut out = Vec::new();
    write(graph, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn empty() -> Graph {
    Graph {
        version: 1,
        ..Graph::default()
    }
}

// ---- shared view ----

#[test]
fn roles_and_placeholders() {
    let g = shop();
    let view = View::new(&g);
    let role = |id: &str| view.items.iter().find(|i| i.id == id).map(|i| i.role);
    assert_eq!(role("Ingress/shop/web"), Some(Role::Entry));
    // A Service that starts an exposure is an entry point, one behind an Ingress is not.
    assert_eq!(role("Service/shop/frontend-external"), Some(Role::Entry));
    assert_eq!(role("Service/shop/frontend"), Some(Role::Service));
    assert_eq!(role("ReplicaSet/shop/frontend-5d8f"), Some(Role::Workload));
    assert_eq!(role("Pod/shop/frontend-5d8f-*"), Some(Role::Pod));
    assert_eq!(role("ConfigMap/shop/frontend-config"), Some(Role::Config));
    assert_eq!(role("Namespace//shop"), Some(Role::Other));
    // The unresolved backend's target is drawn, once, in its namespace.
    let missing: Vec<_> = view
        .items
        .iter()
        .filter(|i| i.flagged() && i.role == Role::Missing)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        (missing[0].kind, missing[0].namespace, missing[0].name),
        ("Service", Some("shop"), "cart")
    );
    // An assumed Secret is drawn, not flagged.
    let secret = view
        .items
        .iter()
        .find(|i| i.id == "Secret/shop/vault-db")
        .unwrap();
    assert!(secret.assumed && !secret.flagged());
    assert_eq!(
        view.items
            .iter()
            .filter(|i| i.role == Role::Missing)
            .count(),
        2
    );
    // Groups: db, shop, then cluster-scoped.
    let titles: Vec<String> = view.groups.iter().map(|g| g.title()).collect();
    assert_eq!(titles, ["namespace db", "namespace shop", "cluster-scoped"]);
    assert!(!view.multi_unit);
    assert!(View::new(&two_units()).multi_unit);
}

// ---- dot ----

#[test]
fn dot_shop() {
    insta::assert_snapshot!("dot_shop", render(&shop(), GraphFormat::Dot));
}

#[test]
fn dot_two_units_nest_namespaces_in_units() {
    let text = render(&two_units(), GraphFormat::Dot);
    assert!(text.contains("subgraph cluster_u0 {"), "{text}");
    assert!(text.contains("subgraph cluster_u1 {"), "{text}");
    assert!(text.contains("label=\"unit shop\""), "{text}");
    assert!(text.contains("label=\"unit db\""), "{text}");
    assert_balanced_braces(&text);
}

#[test]
fn dot_escapes_every_string() {
    let text = render(&hostile(), GraphFormat::Dot);
    assert_balanced_braces(&text);
    // Every line is a statement (no raw line break inside a string).
    for line in text.lines() {
        let t = line.trim();
        assert!(
            t.ends_with('{') || t.ends_with('}') || t.ends_with(';'),
            "{line}"
        );
        assert_quotes_closed(t);
    }
    assert!(
        text.contains("a\\\"b\\\\c\\nd</script><!--{x|y}`#quot;&amp;é—🚀\\n e"),
        "{text}"
    );
    assert!(!text.contains('\r'));
}

#[test]
fn dot_empty_graph() {
    let text = render(&empty(), GraphFormat::Dot);
    assert!(text.starts_with("digraph kwire {\n"));
    assert!(text.ends_with("}\n"));
    assert!(!text.contains("subgraph"));
}

#[test]
fn dot_is_deterministic() {
    assert_eq!(
        render(&shop(), GraphFormat::Dot),
        render(&shop(), GraphFormat::Dot)
    );
}

/// `{` and `}` outside strings balance.
fn assert_balanced_braces(text: &str) {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "{text}");
    }
    assert_eq!(depth, 0, "{text}");
    assert!(!in_string);
}

/// A DOT line's double-quoted strings all end on it.
fn assert_quotes_closed(line: &str) {
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_string = !in_string,
            _ => {}
        }
    }
    assert!(!in_string, "{line}");
}

// ---- mermaid ----

#[test]
fn mermaid_shop() {
    insta::assert_snapshot!("mermaid_shop", render(&shop(), GraphFormat::Mermaid));
}

#[test]
fn mermaid_escapes_every_string() {
    let text = render(&hostile(), GraphFormat::Mermaid);
    assert!(text.starts_with("flowchart LR\n"));
    for line in text.lines() {
        // Each label is one double-quoted string: exactly two quotes a line
        // (or none), nothing that HTML or Mermaid would read as markup.
        let quotes = line.matches('"').count();
        assert!(quotes == 0 || quotes == 2, "{line}");
        assert!(!line.contains("</script>"), "{line}");
        assert!(!line.contains('`'), "{line}");
        assert!(!line.contains('\r') && !line.contains('\t'), "{line:?}");
        if let Some(label) = line.split('"').nth(1) {
            let plain = label
                .replace("<br/>", "")
                .replace("<b>", "")
                .replace("</b>", "");
            assert!(
                !plain.contains('<') && !plain.contains('>') && !plain.contains('|'),
                "{line}"
            );
        }
    }
    assert!(
        text.contains(
            "a#quot;b\\c<br/>d#lt;/script#gt;#lt;!--{x#124;y}#96;#35;quot;#amp;amp;é—🚀<br/> e"
        ),
        "{text}"
    );
}

#[test]
fn mermaid_two_units_and_empty() {
    let text = render(&two_units(), GraphFormat::Mermaid);
    assert!(text.contains("subgraph u0[\"unit shop\"]"), "{text}");
    assert!(text.contains("subgraph u1[\"unit db\"]"), "{text}");
    let opened = text
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph "))
        .count();
    let closed = text.lines().filter(|l| l.trim() == "end").count();
    assert_eq!(opened, closed);
    let text = render(&empty(), GraphFormat::Mermaid);
    assert!(text.starts_with("flowchart LR\n"));
    assert!(!text.contains("subgraph") && !text.contains("class n") && !text.contains("linkStyle"));
}

// ---- html ----

/// The embedded JSON block, unescaped by a JSON parser as the page's script does.
fn embedded(page: &str) -> serde_json::Value {
    let start_tag = "<script type=\"application/json\" id=\"kwire-graph\">";
    let start = page.find(start_tag).unwrap() + start_tag.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn html_page_is_self_contained_and_embeds_the_graph() {
    let g = shop();
    let page = render(&g, GraphFormat::Html);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.ends_with("</html>\n"));
    // Nothing to fetch: no external script, stylesheet, image or font.
    for needle in [
        "<script src",
        "<link",
        "<img",
        "@import",
        "url(http",
        "https://",
    ] {
        assert!(!page.contains(needle), "{needle}");
    }
    let http: Vec<_> = page
        .match_indices("http://")
        .map(|(i, _)| &page[i..])
        .collect();
    assert!(
        http.iter()
            .all(|s| s.starts_with("http://www.w3.org/2000/svg")
                || s.starts_with("http://shop.example.com/")),
        "an address other than the SVG namespace and the exposure's"
    );
    let value = embedded(&page);
    let back: Graph = serde_json::from_value(value["graph"].clone()).unwrap();
    assert_eq!(back, g);
    // Items: the nodes, then the placeholders for the unresolved backend and the assumed Secret.
    assert_eq!(value["items"].as_array().unwrap().len(), g.nodes.len() + 2);
    assert_eq!(value["edges"].as_array().unwrap().len(), g.edges.len());
    // One SVG node and one SVG edge per item and edge; exposures listed.
    assert_eq!(page.matches("<g class=\"node ").count(), g.nodes.len() + 2);
    assert_eq!(page.matches("<g class=\"edge ").count(), g.edges.len());
    assert!(page.contains("<li data-x=\"0\" tabindex=\"0\">http://shop.example.com/ → Service/shop/frontend :80 → http (container 8080) · 3 endpoints</li>"), "{page}");
    assert!(page.contains("class=\"node role-workload flagged\""));
    assert!(page.contains("class=\"node role-missing flagged\""));
    assert!(page.contains("class=\"edge rel-backend unresolved bad\""));
    assert!(page.contains("class=\"node role-pod simulated\""));
    assert!(page.contains("class=\"node role-missing assumed\""));
    assert!(page.contains("class=\"edge rel-uses unresolved assumed\""));
    assert!(page.contains("1 unresolved references"));
    assert!(page.contains("<g class=\"group\">"));
    assert!(page.contains(">namespace shop</text>"));
}

#[test]
fn html_escapes_every_string() {
    let g = hostile();
    let page = render(&g, GraphFormat::Html);
    // The only `</script>` and `<!--` are the page's own.
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(!page.contains("<!--"));
    assert!(!page.contains('\r'));
    let value = embedded(&page);
    let back: Graph = serde_json::from_value(value["graph"].clone()).unwrap();
    assert_eq!(back, g);
    assert!(page.contains("a&quot;b\\c"), "{page}");
    assert!(page.contains("&lt;/script&gt;"));
}

#[test]
fn html_empty_graph() {
    let page = render(&empty(), GraphFormat::Html);
    assert!(page.contains("none: nothing is reachable from outside the cluster"));
    assert_eq!(page.matches("<g class=\"node ").count(), 0);
    let value = embedded(&page);
    assert_eq!(value["items"], serde_json::json!([]));
}

#[test]
fn layout_columns_follow_the_roles_and_nothing_overlaps() {
    for g in [shop(), two_units()] {
        let view = View::new(&g);
        let lay = layout::compute(&view);
        let col = |id: &str| {
            let i = view.items.iter().position(|i| i.id == id).unwrap();
            lay.columns[i]
        };
        assert!(col("Ingress/shop/web") < col("Service/shop/frontend"));
        assert!(col("Service/shop/frontend") < col("Deployment/shop/frontend"));
        assert!(col("Deployment/shop/frontend") < col("ReplicaSet/shop/frontend-5d8f"));
        assert!(col("ReplicaSet/shop/frontend-5d8f") < col("Pod/shop/frontend-5d8f-*"));
        assert!(col("Pod/shop/frontend-5d8f-*") < col("ConfigMap/shop/frontend-config"));
        // The missing Service stands with the Services.
        assert_eq!(col("Service/shop/cart"), col("Service/shop/frontend"));
        assert_no_overlap(&view, &lay);
    }
}

fn assert_no_overlap(view: &View<'_>, lay: &layout::Layout) {
    let mut boxes: Vec<_> = lay.nodes.iter().map(|r| (r.x as i64, r.y as i64)).collect();
    boxes.sort();
    let before = boxes.len();
    boxes.dedup();
    assert_eq!(before, boxes.len(), "two nodes in one place");
    for (item, r) in view.items.iter().zip(&lay.nodes) {
        let g = lay.groups[item.group];
        assert!(
            r.x >= g.x && r.x + r.w <= g.x + g.w,
            "{} outside its group",
            item.id
        );
        assert!(
            r.y >= g.y && r.y + r.h <= g.y + g.h,
            "{} outside its group",
            item.id
        );
        assert!(r.x + r.w <= lay.width && r.y + r.h <= lay.height);
    }
    for (a, b) in lay.groups.iter().zip(lay.groups.iter().skip(1)) {
        assert!(a.y + a.h <= b.y, "groups overlap");
    }
    // With several units, every group sits inside its unit's box.
    assert_eq!(lay.units.is_empty(), !view.multi_unit);
    for (group, r) in view.groups.iter().zip(&lay.groups) {
        if let Some((_, u)) = lay
            .units
            .iter()
            .find(|(name, _)| name.as_deref() == group.unit)
        {
            assert!(r.x >= u.x && r.x + r.w <= u.x + u.w && r.y >= u.y && r.y + r.h <= u.y + u.h);
        }
    }
}

#[test]
fn barycentre_ordering_uncrosses_two_chains() {
    // Services s0, s1 select pods p1, p0 (crossed in input order); the
    // sweeps put each pod beside its Service.
    let mut g = empty();
    for name in ["s0", "s1"] {
        g.nodes.push(node("Service", Some("a"), name));
    }
    for name in ["p1", "p0"] {
        g.nodes.push(node("Pod", Some("a"), name));
    }
    g.edges
        .push(edge("Service/a/s0", "Pod/a/p0", Relation::Selects, None));
    g.edges
        .push(edge("Service/a/s1", "Pod/a/p1", Relation::Selects, None));
    let view = View::new(&g);
    let lay = layout::compute(&view);
    let y = |id: &str| lay.nodes[view.items.iter().position(|i| i.id == id).unwrap()].y;
    assert!(y("Service/a/s0") < y("Service/a/s1"));
    assert!(y("Pod/a/p0") < y("Pod/a/p1"));
}

#[test]
fn large_graph_renders_every_format() {
    // 40 namespaces × (Service, Deployment, ReplicaSet, 20 pods): 4,600 nodes.
    let mut g = empty();
    for n in 0..40 {
        let ns = format!("ns{n}");
        let ns = Some(ns.as_str());
        g.nodes.push(node("Service", ns, "svc"));
        g.nodes.push(node("Deployment", ns, "app"));
        g.nodes.push(node("ReplicaSet", ns, "app-1"));
        let svc = format!("Service/ns{n}/svc");
        g.edges.push(edge(
            &format!("Deployment/ns{n}/app"),
            &format!("ReplicaSet/ns{n}/app-1"),
            Relation::Owns,
            None,
        ));
        for p in 0..20 {
            let mut pod = node("Pod", ns, &format!("app-1-{p}"));
            pod.simulated = true;
            g.edges
                .push(edge(&svc, &pod.id, Relation::Selects, Some("80→8080/TCP")));
            g.edges.push(edge(
                &format!("ReplicaSet/ns{n}/app-1"),
                &pod.id,
                Relation::Owns,
                None,
            ));
            g.nodes.push(pod);
        }
    }
    let view = View::new(&g);
    let lay = layout::compute(&view);
    assert_no_overlap(&view, &lay);
    for format in [GraphFormat::Dot, GraphFormat::Mermaid, GraphFormat::Html] {
        assert!(!render(&g, format).is_empty());
    }
}

/// `examples/graphs/*.json` (what `scripts/graph-render-check.sh` renders
/// with `examples/render_graph.rs` through dot and Chromium) are these
/// tests' graphs; `KWIRE_UPDATE_EXAMPLES=1` rewrites them.
#[test]
fn example_graphs_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/graphs");
    for (name, graph) in [
        ("shop", shop()),
        ("hostile", hostile()),
        ("two-units", two_units()),
    ] {
        let path = dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&graph).unwrap() + "\n";
        if std::env::var_os("KWIRE_UPDATE_EXAMPLES").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "{} is stale: run KWIRE_UPDATE_EXAMPLES=1 cargo test --lib topology",
            path.display()
        );
    }
}

#[test]
fn json_is_what_serde_prints_whatever_the_batching() {
    let mut big = shop();
    for i in 0..37 {
        // Every control character, DEL, non-ASCII and the two escaped
        // printables, in every string field the hand-written nodes and
        // edges print.
        let odd: String = (0u8..0x20)
            .map(char::from)
            .chain(['\u{7f}', 'é', '✓', '"', '\\'])
            .cycle()
            .skip(i)
            .take(5 + i)
            .collect();
        let mut n = node("Pod", Some("shop"), &format!("p{i}{odd}"));
        n.detail = Some(format!("\"quoted\" \\ {i}\n").into());
        n.simulated = i % 2 == 0;
        n.exposed = i % 3 == 0;
        n.findings = vec![odd.clone(), "KW3002".into()];
        if i % 4 == 0 {
            n.namespace = None;
            n.file = None;
            n.line = None;
            n.detail = None;
        }
        big.nodes.push(n);
        let mut e = edge(
            "Service/shop/web",
            &format!("Pod/shop/p{i}{odd}"),
            Relation::Selects,
            None,
        );
        let relations = [
            Relation::Owns,
            Relation::Selects,
            Relation::Backend,
            Relation::Routes,
            Relation::Subset,
            Relation::Gateway,
            Relation::Scales,
            Relation::Uses,
            Relation::Calls,
        ];
        e.relation = relations.get(i % relations.len()).copied().unwrap();
        e.via.line = u32::MAX - i as u32;
        e.via.field = (i % 2 == 0).then(|| odd.as_str().into());
        e.via.file = odd.as_str().into();
        e.resolved = i % 3 != 0;
        e.assumed = i % 5 == 0;
        e.finding = (i % 2 == 1).then(|| odd.as_str().into());
        e.label = (i % 3 == 1).then(|| odd.as_str().into());
        e.reason = (i % 4 == 1).then(|| odd.as_str().into());
        big.edges.push(e);
        // Rollouts: every optional field present and absent, odd strings.
        let some = |k: usize| (i % k == 0).then(|| odd.clone());
        let num = |k: usize| (i % k != 0).then_some(i as i64 - 3);
        big.rollouts.push(crate::topology::model::Rollout {
            workload: format!("Deployment/shop/d{i}{odd}").into(),
            strategy: odd.clone(),
            max_surge: num(2),
            max_unavailable: num(3),
            steps: (0..i % 4)
                .map(|s| crate::topology::model::RolloutStep {
                    old: s as i64,
                    new: -(s as i64),
                    ready: num(2 + s),
                    new_ready: num(3 + s),
                    total: num(4 + s),
                    action: some(2 + s).map(Into::into),
                    disruptions_allowed: num(5 + s),
                })
                .collect(),
            file: some(2),
            line: (i % 3 == 0).then_some(u32::MAX - i as u32),
            replicas: num(4),
            replicas_from: some(3),
            max_surge_written: some(4),
            max_unavailable_written: some(5),
            partition: num(6),
            error: some(7),
            notes: (0..i % 3)
                .map(|k| crate::topology::model::RolloutNote {
                    code: some(2 + k),
                    message: odd.clone(),
                    file: some(3 + k),
                    line: (i % (2 + k) == 1).then_some(k as u32),
                })
                .collect(),
        });
        // Exposures and DNS entries: every optional field, both port shapes.
        let port = |k: usize| match i % k {
            0 => None,
            1 => Some(PortValue::Number(i as i64 - 20)),
            _ => Some(PortValue::Name(odd.clone())),
        };
        big.exposures.push(Exposure {
            entry: odd.clone(),
            chain: (0..i % 4).map(|k| format!("{odd}{k}").into()).collect(),
            service: some(2).map(Into::into),
            port: port(3),
            target_port: port(4),
            container_port: num(5),
            endpoints: i as u32 * 1000,
            weight: num(2),
            finding: some(3),
        });
        big.dns.push(DnsEntry {
            service: odd.as_str().into(),
            names: (0..i % 3).map(|k| format!("{odd}.{k}")).collect(),
            short_name_namespaces: (0..i % 2).map(|_| odd.clone()).collect(),
        });
    }
    for graph in [empty(), shop(), hostile(), two_units(), big] {
        let expected = serde_json::to_string(&graph).unwrap() + "\n";
        for (chunk, window) in [(1, 1), (2, 3), (5, 1), (1024, 8), (0, 0)] {
            let mut out = Vec::new();
            json::write_with(&graph, &mut out, chunk, window).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "chunk {chunk}, window {window}"
            );
        }
    }
}

#[test]
fn text_is_the_same_whatever_the_batching() {
    let mut many = shop();
    for i in 0..50 {
        let mut n = node("Deployment", Some(["shop", "ops"][i % 2]), &format!("d{i}"));
        n.unit = (i % 3 == 0).then(|| "base".into());
        many.nodes.push(n);
    }
    for graph in [empty(), shop(), hostile(), two_units(), many] {
        let mut expected = Vec::new();
        text::write(&graph, &mut expected).unwrap();
        for (chunk, window) in [(1, 1), (2, 3), (5, 1), (0, 0)] {
            let mut out = Vec::new();
            text::write_with(&graph, &mut out, chunk, window).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(expected.clone()).unwrap(),
                "chunk {chunk}, window {window}"
            );
        }
    }
}
