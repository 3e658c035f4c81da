//! `kwire rollout` and the `rollouts` section of `kwire graph -f json`: the
//! controllers' arithmetic on real manifests, the interactions with PDBs,
//! HPAs and probes, the contract, the CLI's errors, and the agreement of the
//! rollout's KW5600 notes with the lint rule.

use std::time::Duration;

use assert_cmd::Command;
use kwire::lint::{LintOptions, lint};
use kwire::topology::Graph;
use kwire::topology::model::Rollout;

const WORKLOADS: &str = "fixtures/topology/rollouts/workloads.yaml";

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.timeout(Duration::from_secs(30));
    cmd
}

fn graph_of(paths: &[&str]) -> Graph {
    lint(&LintOptions {
        paths: paths.iter().map(|p| (*p).to_string()).collect(),
        graph: true,
        ..LintOptions::default()
    })
    .graph
    .expect("graph requested")
}

fn rollout<'g>(g: &'g Graph, id: &str) -> &'g Rollout {
    g.rollouts
        .iter()
        .find(|r| r.workload == id)
        .unwrap_or_else(|| panic!("no rollout for {id}: {:#?}", g.rollouts))
}

fn triples(r: &Rollout) -> Vec<(i64, i64, i64)> {
    r.steps
        .iter()
        .map(|s| (s.old, s.new, s.ready.unwrap_or(-1)))
        .collect()
}

fn stdout(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn stderr(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn golden_text_of_the_seed_deployment() {
    let text = stdout(
        kwire().args([
            "rollout",
            "deployment/nginx-rollout",
            "fixtures/seeds/06-deployment.yaml",
        ]),
        0,
    );
    insta::assert_snapshot!("rollout_seed_deployment", text);
}

#[test]
fn every_workload_of_the_graph_has_its_rollout() {
    let g = graph_of(&[WORKLOADS]);
    let workloads: Vec<&str> = g
        .nodes
        .iter()
        .filter(|n| matches!(n.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet"))
        .map(|n| n.id.as_str())
        .collect();
    let rolled: Vec<&str> = g.rollouts.iter().map(|r| r.workload.as_str()).collect();
    let mut sorted = workloads.clone();
    sorted.sort_unstable();
    assert_eq!(rolled, sorted);
    assert_eq!(rolled.len(), 7);
    // And the seeds: every Deployment there too.
    let seeds = graph_of(&["fixtures/seeds"]);
    let deployments = seeds
        .nodes
        .iter()
        .filter(|n| n.kind == "Deployment")
        .count();
    assert!(deployments > 0);
    assert_eq!(
        seeds
            .rollouts
            .iter()
            .filter(|r| r.workload.starts_with("Deployment/"))
            .count(),
        deployments
    );
}

#[test]
fn ten_replicas_with_the_defaults_and_a_budget() {
    let g = graph_of(&[WORKLOADS]);
    let web = rollout(&g, "Deployment/shop/web");
    assert_eq!(web.strategy, "RollingUpdate");
    assert_eq!((web.max_surge, web.max_unavailable), (Some(3), Some(2)));
    assert_eq!(web.max_surge_written.as_deref(), Some("25% (default)"));
    assert_eq!(
        triples(web),
        vec![
            (10, 0, 10),
            (10, 3, 10),
            (8, 3, 8),
            (8, 5, 8),
            (8, 5, 13),
            (3, 5, 8),
            (3, 10, 8),
            (3, 10, 13),
            (0, 10, 10),
        ]
    );
    // minAvailable 8 of 10: 2 evictions at rest, none with only 8 ready.
    let allowed: Vec<Option<i64>> = web.steps.iter().map(|s| s.disruptions_allowed).collect();
    assert_eq!(
        allowed,
        [2, 2, 0, 0, 5, 0, 0, 5, 2].map(Some).to_vec(),
        "{web:#?}"
    );
    let note = web
        .notes
        .iter()
        .find(|n| n.message.contains("PodDisruptionBudget \"web\""))
        .expect("a PDB note");
    assert!(
        note.message.contains("none in 4 of the 9 steps"),
        "{note:?}"
    );
    assert_eq!(note.code, None, "the budget allows evictions at rest");
    assert_eq!(note.line, Some(29));
    // It has a readiness probe: no probe note.
    assert!(
        !web.notes
            .iter()
            .any(|n| n.message.contains("readinessProbe"))
    );
}

#[test]
fn recreate_stateful_set_daemon_set_hpa_and_rejected_strategies() {
    let g = graph_of(&[WORKLOADS]);
    let api = rollout(&g, "Deployment/shop/api");
    assert_eq!(api.strategy, "Recreate");
    assert_eq!(
        triples(api),
        vec![(2, 0, 2), (0, 0, 0), (0, 2, 0), (0, 2, 2)]
    );
    assert!(api.notes.iter().any(|n| {
        n.message
            .contains("container \"api\" has no readinessProbe")
    }));
    assert!(
        api.notes
            .first()
            .is_some_and(|n| n.message.starts_with("spec.paused is true"))
    );

    let stuck = rollout(&g, "Deployment/shop/stuck");
    assert!(stuck.steps.is_empty());
    assert!(
        stuck
            .error
            .as_deref()
            .is_some_and(|e| e.contains("may not be 0 when `maxSurge` is 0")),
        "{stuck:#?}"
    );

    let worker = rollout(&g, "Deployment/shop/worker");
    assert_eq!(worker.replicas, Some(4));
    assert_eq!(
        worker.replicas_from.as_deref(),
        Some("HorizontalPodAutoscaler \"worker\" minReplicas")
    );
    assert!(worker.notes.iter().any(|n| {
        n.message
            .contains("minReplicas 4, more than spec.replicas 2")
    }));
    assert_eq!(worker.steps.last().map(|s| (s.old, s.new)), Some((0, 4)));

    let db = rollout(&g, "StatefulSet/shop/db");
    assert_eq!(db.partition, Some(2));
    assert_eq!(db.steps.last().map(|s| (s.old, s.new)), Some((2, 3)));
    let deleted: Vec<&str> = db
        .steps
        .iter()
        .filter_map(|s| s.action.as_deref())
        .filter(|a| a.starts_with("delete"))
        .collect();
    assert_eq!(deleted, ["delete db-4", "delete db-3", "delete db-2"]);

    // 25% of the default 3 nodes rounds up to 1.
    let agent = rollout(&g, "DaemonSet/shop/agent");
    assert_eq!((agent.max_surge, agent.max_unavailable), (Some(1), Some(0)));
    assert_eq!(agent.replicas, Some(3));
    assert!(
        agent
            .steps
            .iter()
            .all(|s| s.old + s.new <= 4 && s.ready.unwrap_or(0) >= 3)
    );
}

#[test]
fn rollout_json_is_the_graphs_entry_and_follows_the_contract() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("docs/graph-report.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let graph_text = stdout(kwire().args(["graph", "-f", "json", WORKLOADS]), 0);
    let graph: serde_json::Value = serde_json::from_str(&graph_text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&graph)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for (target, id) in [
        ("deployment/web", "Deployment/shop/web"),
        ("StatefulSet/db", "StatefulSet/shop/db"),
        ("ds/agent", "DaemonSet/shop/agent"),
    ] {
        let text = stdout(
            kwire().args(["rollout", "-f", "json", target, WORKLOADS]),
            0,
        );
        let one: serde_json::Value = serde_json::from_str(&text).unwrap();
        let entry = graph["rollouts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["workload"] == id)
            .unwrap();
        assert_eq!(&one, entry, "{target}");
        // The entry alone, in a graph of its own, validates too.
        let alone = serde_json::json!({
            "version": 1, "nodes": [], "edges": [], "exposures": [], "dns": [],
            "rollouts": [one],
        });
        assert!(validator.is_valid(&alone), "{target}");
    }
}

#[test]
fn nodes_change_a_daemon_sets_rollout() {
    let text = stdout(
        kwire().args([
            "rollout", "-f", "json", "--nodes", "8", "ds/agent", WORKLOADS,
        ]),
        0,
    );
    let r: Rollout = serde_json::from_str(&text).unwrap();
    assert_eq!((r.replicas, r.max_surge), (Some(8), Some(2)));
    assert_eq!(r.steps.last().map(|s| (s.old, s.new)), Some((0, 8)));
}

#[test]
fn targets_kinds_namespaces_and_close_matches() {
    // Kind in any case, -n.
    let text = stdout(kwire().args(["rollout", "Deployment/web", WORKLOADS]), 0);
    assert!(text.starts_with("Deployment shop/web ("), "{text}");
    let text = stdout(
        kwire().args(["rollout", "deployment/api", "-n", "staging", WORKLOADS]),
        0,
    );
    assert!(text.starts_with("Deployment staging/api"), "{text}");
    // The same name in two namespaces needs -n.
    let err = stderr(kwire().args(["rollout", "deployment/api", WORKLOADS]), 2);
    assert!(err.contains("several namespaces (shop, staging)"), "{err}");
    // A slip names the workload meant.
    let err = stderr(kwire().args(["rollout", "deployment/wbe", WORKLOADS]), 2);
    assert!(err.contains("no Deployment \"wbe\" in the input"), "{err}");
    assert!(
        err.contains("did you mean deployment/web -n shop?"),
        "{err}"
    );
    // The right name under another kind.
    let err = stderr(kwire().args(["rollout", "deployment/db", WORKLOADS]), 2);
    assert!(
        err.contains("did you mean statefulset/db -n shop?"),
        "{err}"
    );
    // A kind that does not roll, and a target without a kind.
    let err = stderr(kwire().args(["rollout", "service/web", WORKLOADS]), 2);
    assert!(err.contains("does not roll out"), "{err}");
    let err = stderr(kwire().args(["rollout", "web", WORKLOADS]), 2);
    assert!(err.contains("is not KIND/NAME"), "{err}");
}

#[test]
fn rollout_notes_agree_with_kw5600() {
    for (file, expected) in [
        ("fixtures/rules/KW5600/bad.yaml", 3),
        ("fixtures/rules/KW5600/good.yaml", 0),
    ] {
        let result = lint(&LintOptions {
            paths: vec![file.to_string()],
            graph: true,
            ..LintOptions::default()
        });
        let findings = result
            .diagnostics
            .iter()
            .filter(|d| d.code == "KW5600")
            .count();
        assert_eq!(findings, expected, "{file}");
        let graph = result.graph.unwrap();
        let notes = graph
            .rollouts
            .iter()
            .filter(|r| r.notes.iter().any(|n| n.code.as_deref() == Some("KW5600")))
            .count();
        assert_eq!(notes, expected, "{file}: {:#?}", graph.rollouts);
    }
}

#[test]
fn hostile_counts_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.yaml");
    let deployment = |name: &str, replicas: &str, strategy: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: ns}}\nspec:\n  replicas: {replicas}\n  strategy: {strategy}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: c, image: example/big:1.0.0}}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: {name}, namespace: ns}}\nspec:\n  minAvailable: -9223372036854775808\n  selector: {{matchLabels: {{app: {name}}}}}\n---\n"
        )
    };
    let mut text = deployment("huge", "9223372036854775807", "{}");
    text.push_str(&deployment("negative", "-3", "{}"));
    text.push_str(&deployment(
        "word",
        "3",
        "{rollingUpdate: {maxSurge: lots}}",
    ));
    text.push_str(&deployment(
        "wide",
        "3",
        "{rollingUpdate: {maxSurge: 9223372036854775807}}",
    ));
    text.push_str(&deployment(
        "pct",
        "3",
        "{rollingUpdate: {maxUnavailable: 9223372036854775807%}}",
    ));
    text.push_str(&deployment("kind", "3", "{type: BlueGreen}"));
    std::fs::write(&file, text).unwrap();
    let result = lint(&LintOptions {
        paths: vec![file.to_string_lossy().into_owned()],
        graph: true,
        ..LintOptions::default()
    });
    assert!(
        !result.diagnostics.iter().any(|d| d.code == "KW0099"),
        "an internal error: {:#?}",
        result.diagnostics
    );
    let g = result.graph.unwrap();
    for name in ["huge", "negative", "word", "wide", "pct", "kind"] {
        let r = rollout(&g, &format!("Deployment/ns/{name}"));
        assert!(r.error.is_some() && r.steps.is_empty(), "{name}: {r:#?}");
    }
}
