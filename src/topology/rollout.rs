//! Rollouts: one update of a Deployment, StatefulSet or DaemonSet, played
//! step by step the way its controller plays it, before anything is applied
//! (`kwire rollout KIND/NAME`, and the `rollouts` section of `kwire graph`).
//!
//! The arithmetic follows the controllers, each rule with its source in
//! `docs/topology.md#rollouts`:
//! - Deployment `RollingUpdate` (`pkg/controller/deployment/rolling.go`,
//!   `util/deployment_util.go`): `maxSurge` scaled rounding up,
//!   `maxUnavailable` rounding down (`ResolveFenceposts`; both zero after
//!   rounding makes `maxUnavailable` 1; `MaxUnavailable` caps it at the
//!   replicas). One sync either scales the new ReplicaSet up
//!   (`NewRSNewReplicas`: up to `replicas + maxSurge` pods in all) or, when
//!   it cannot, scales old ReplicaSets down while the available pods stay at
//!   or above `replicas - maxUnavailable` (`reconcileOldReplicaSets`).
//! - `Recreate`: every old pod goes, then the new ones come: the downtime.
//! - StatefulSet `RollingUpdate`: highest ordinal first, one pod at a time
//!   (`maxUnavailable` where set), ordinals below `partition` untouched;
//!   `OnDelete`: nothing until pods are deleted.
//! - DaemonSet: per node, `maxUnavailable` (default 1) or `maxSurge`, both
//!   scaled rounding up against the node count, which the manifests do not
//!   say (`Settings::nodes`, `--nodes`).
//!
//! The one assumption of the model: a pod becomes ready only when the
//! controller has nothing left to do without it, and then every started
//! pod of the new revision becomes ready at once. That is the fastest
//! rollout the rules allow; a slower pod only stretches a step.

use crate::catalog::Catalog;
use crate::model::Object;
use crate::parse::Node;
use crate::resolve::pdb;
use crate::resolve::scale::{self, IntOrPercent};
use crate::source::Span;
use crate::topology::model::{Graph, Rollout, RolloutNote, RolloutStep, Str};

/// Steps beyond this are cut (a rollout of 100,000 replicas one at a time):
/// the last step says how many are left out.
pub const MAX_STEPS: usize = 400;

/// A pod count and what each revision has, while playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct State {
    old: i64,
    new: i64,
    new_ready: i64,
}

fn step(s: State, action: String) -> RolloutStep {
    RolloutStep {
        old: s.old,
        new: s.new,
        ready: Some(s.old + s.new_ready),
        new_ready: Some(s.new_ready),
        total: Some(s.old + s.new),
        action: Some(shared_action(action)),
        disruptions_allowed: None,
    }
}

/// One copy per thread of each step's action: a repository's workloads
/// mostly share their replicas and strategy, so the same few sentences
/// describe most of their steps (a 10,000-app repository has 70,000 steps,
/// 7 distinct actions; docs/performance.md). The set is cleared when it grows
/// large, so a long-running process does not keep every action it has seen.
fn shared_action(text: String) -> Str {
    use std::cell::RefCell;
    thread_local! {
        static ACTIONS: RefCell<rustc_hash::FxHashSet<Str>> = RefCell::default();
    }
    ACTIONS.with_borrow_mut(|seen| {
        if let Some(known) = seen.get(text.as_str()) {
            return known.clone();
        }
        if seen.len() >= 4096 {
            seen.clear();
        }
        let text = Str::from(text);
        seen.insert(text.clone());
        text
    })
}

fn pods(n: i64) -> String {
    format!("{n} pod{}", if n == 1 { "" } else { "s" })
}

/// `maxSurge` and `maxUnavailable` of a Deployment as pod counts
/// (`ResolveFenceposts`, then `MaxUnavailable`'s cap).
pub fn deployment_fenceposts(
    replicas: i64,
    surge: IntOrPercent,
    unavailable: IntOrPercent,
) -> (i64, i64) {
    let s = surge.scaled(replicas, true);
    let mut u = unavailable.scaled(replicas, false);
    if s == 0 && u == 0 {
        u = 1;
    }
    if replicas <= 0 {
        u = 0;
    }
    (s, u.min(replicas.max(0)))
}

/// The steps of a Deployment `RollingUpdate` from `replicas` ready old pods
/// to `replicas` ready new ones, with the surge and unavailability as pod
/// counts (`deployment_fenceposts`).
pub fn deployment_steps(replicas: i64, surge: i64, unavailable: i64) -> Vec<RolloutStep> {
    // A pure function of three counts that most Deployments of a repository
    // share: each thread keeps the short plays it has played (a 10,000-app
    // repository plays 10,000 Deployments, one play; docs/performance.md).
    use std::cell::RefCell;
    type Played = rustc_hash::FxHashMap<(i64, i64, i64), Vec<RolloutStep>>;
    thread_local! {
        static PLAYED: RefCell<Played> = RefCell::default();
    }
    let key = (replicas, surge, unavailable);
    if let Some(known) = PLAYED.with_borrow(|played| played.get(&key).cloned()) {
        return known;
    }
    let steps = play_deployment(replicas, surge, unavailable);
    if steps.len() <= 32 {
        PLAYED.with_borrow_mut(|played| {
            if played.len() >= 256 {
                played.clear();
            }
            played.insert(key, steps.clone());
        });
    }
    steps
}

fn play_deployment(replicas: i64, surge: i64, unavailable: i64) -> Vec<RolloutStep> {
    let replicas = replicas.max(0);
    let mut s = State {
        old: replicas,
        new: 0,
        new_ready: 0,
    };
    let max_total = replicas + surge;
    let min_available = replicas - unavailable;
    let mut steps = vec![step(
        s,
        format!(
            "before: the old ReplicaSet runs {}, all ready",
            pods(replicas)
        ),
    )];
    while steps.len() <= MAX_STEPS {
        // reconcileNewReplicaSet: scale up to replicas + maxSurge pods in all.
        if s.new < replicas {
            let current = s.old + s.new;
            if current < max_total {
                let up = (max_total - current).min(replicas - s.new);
                s.new += up;
                steps.push(step(
                    s,
                    format!(
                        "scale the new ReplicaSet up to {} (+{up}; at most {max_total} pods)",
                        s.new
                    ),
                ));
                continue;
            }
        }
        // reconcileOldReplicaSets: scale down while available pods stay at
        // or above replicas - maxUnavailable. Old pods are all available
        // (no unhealthy ones to clean up first).
        if s.old > 0 {
            let available = s.old + s.new_ready;
            let new_unavailable = s.new - s.new_ready;
            let max_scaled_down = (s.old + s.new) - min_available - new_unavailable;
            if max_scaled_down > 0 && available > min_available {
                let down = (available - min_available).min(s.old);
                s.old -= down;
                steps.push(step(
                    s,
                    format!(
                        "scale the old ReplicaSet down to {} (−{down}; at least {min_available} available)",
                        s.old
                    ),
                ));
                continue;
            }
        }
        // Nothing to do until the started pods are ready.
        if s.new_ready < s.new {
            let became = s.new - s.new_ready;
            s.new_ready = s.new;
            steps.push(step(
                s,
                format!(
                    "wait: {} of the new ReplicaSet become{} ready",
                    pods(became),
                    if became == 1 { "s" } else { "" }
                ),
            ));
            continue;
        }
        break;
    }
    cut(steps, replicas)
}

/// Keeps at most `MAX_STEPS` steps; the last one kept says the rest.
fn cut(mut steps: Vec<RolloutStep>, replicas: i64) -> Vec<RolloutStep> {
    if steps.len() > MAX_STEPS {
        steps.truncate(MAX_STEPS);
        if let Some(last) = steps.last_mut() {
            let action = last.action.take().unwrap_or_default();
            last.action = Some(shared_action(format!(
                "{action} … (the rest of the {replicas} replicas follow the same pattern; cut at {MAX_STEPS} steps)"
            )));
        }
    }
    steps
}

/// `Recreate`: the old ReplicaSet goes to zero, and only when all its pods
/// are gone does the new one start: the steps with `ready: 0` are the
/// downtime.
pub fn recreate_steps(replicas: i64) -> Vec<RolloutStep> {
    let r = replicas.max(0);
    let mut s = State {
        old: r,
        new: 0,
        new_ready: 0,
    };
    let mut steps = vec![step(
        s,
        format!("before: the old ReplicaSet runs {}, all ready", pods(r)),
    )];
    s.old = 0;
    steps.push(step(
        s,
        format!("scale the old ReplicaSet down to 0 (−{r}): downtime begins once its pods have terminated"),
    ));
    s.new = r;
    steps.push(step(
        s,
        format!("scale the new ReplicaSet up to {r} (only once no old pod is left)"),
    ));
    s.new_ready = r;
    steps.push(step(
        s,
        format!(
            "wait: {} of the new ReplicaSet become{} ready: downtime ends",
            pods(r),
            if r == 1 { "s" } else { "" }
        ),
    ));
    steps
}

/// StatefulSet `RollingUpdate`: ordinals from `replicas - 1` down to
/// `partition`, `batch` at a time (1 unless `maxUnavailable` is set): each
/// deleted, recreated from the new revision, and waited for.
pub fn stateful_set_steps(
    name: &str,
    replicas: i64,
    partition: i64,
    batch: i64,
) -> Vec<RolloutStep> {
    let r = replicas.max(0);
    let batch = batch.max(1);
    let mut s = State {
        old: r,
        new: 0,
        new_ready: 0,
    };
    let mut steps = vec![step(
        s,
        format!("before: {} of the old revision, ready", pods(r)),
    )];
    let mut next = r - 1;
    let stop = partition.max(0);
    while next >= stop && steps.len() <= MAX_STEPS {
        let first = next;
        let last = (next - batch + 1).max(stop);
        let n = first - last + 1;
        let names: Vec<String> = (last..=first)
            .rev()
            .map(|i| format!("{name}-{i}"))
            .collect();
        s.old -= n;
        steps.push(step(s, format!("delete {}", names.join(", "))));
        s.new += n;
        steps.push(step(
            s,
            format!("create {} from the new revision", names.join(", ")),
        ));
        s.new_ready += n;
        steps.push(step(
            s,
            format!("wait: {} Running and Ready", names.join(", ")),
        ));
        next = last - 1;
    }
    cut(steps, r)
}

/// DaemonSet `RollingUpdate` over `nodes` nodes: `surge` new pods beside
/// the old ones, or `unavailable` old pods deleted first, per batch of nodes.
pub fn daemon_set_steps(nodes: i64, surge: i64, unavailable: i64) -> Vec<RolloutStep> {
    let n = nodes.max(0);
    let mut s = State {
        old: n,
        new: 0,
        new_ready: 0,
    };
    let mut steps = vec![step(
        s,
        format!("before: one old pod on each of {n} nodes, ready"),
    )];
    let nodes_text = |k: i64| format!("{k} node{}", if k == 1 { "" } else { "s" });
    if surge > 0 {
        while s.old > 0 && steps.len() <= MAX_STEPS {
            let k = surge.min(s.old);
            s.new += k;
            steps.push(step(
                s,
                format!("create new pods beside the old ones on {}", nodes_text(k)),
            ));
            s.new_ready += k;
            steps.push(step(
                s,
                format!("wait: the new pods on {} become ready", nodes_text(k)),
            ));
            s.old -= k;
            steps.push(step(s, format!("delete the old pods on {}", nodes_text(k))));
        }
    } else if unavailable > 0 {
        while s.old > 0 && steps.len() <= MAX_STEPS {
            let k = unavailable.min(s.old);
            s.old -= k;
            steps.push(step(s, format!("delete the old pods on {}", nodes_text(k))));
            s.new += k;
            steps.push(step(s, format!("create new pods on {}", nodes_text(k))));
            s.new_ready += k;
            steps.push(step(
                s,
                format!("wait: the new pods on {} become ready", nodes_text(k)),
            ));
        }
    }
    cut(steps, n)
}

/// Where an object (or one of its fields) is written.
struct Place {
    file: String,
    line: u32,
}

fn place(catalog: &Catalog<'_>, obj: &Object, span: Span) -> Place {
    let line = catalog.sources.get(obj.file as usize).map_or(1, |f| {
        u32::try_from(f.line_number(span.start as usize)).unwrap_or(1)
    });
    Place {
        file: catalog.path(obj.file).to_string(),
        line,
    }
}

fn note(code: Option<&str>, message: String, at: Option<Place>) -> RolloutNote {
    RolloutNote {
        code: code.map(str::to_string),
        message,
        file: at.as_ref().map(|p| p.file.clone()),
        line: at.map(|p| p.line),
    }
}

/// An int-or-percent field under `parent`, or its default; `Err` with the
/// API server's complaint when it does not parse or is negative.
fn field(
    parent: Option<&Node>,
    key: &str,
    path: &str,
    default: IntOrPercent,
) -> Result<(IntOrPercent, String), String> {
    match parent.and_then(|p| p.get(key)).filter(|n| !n.is_null()) {
        None => Ok((default, format!("{default} (default)"))),
        Some(node) => {
            let v = IntOrPercent::from_node(node).map_err(|e| format!("{path}: {e}"))?;
            if v.written() < 0 {
                return Err(format!("{path}: must be greater than or equal to 0"));
            }
            if v.written() > i64::from(i32::MAX) {
                return Err(format!("{path}: {} is out of range (int32)", v.written()));
            }
            Ok((v, v.to_string()))
        }
    }
}

fn over_100(v: IntOrPercent, path: &str) -> Result<(), String> {
    match v {
        IntOrPercent::Percent(p) if p > 100 => {
            Err(format!("{path}: must not be greater than 100%"))
        }
        _ => Ok(()),
    }
}

/// The rollout of one workload, or `None` for kinds that do not roll
/// (Jobs, bare ReplicaSets, Pods). `id` is the workload's node id.
pub fn simulate(obj: &Object, catalog: &Catalog<'_>, id: &Str, nodes: i64) -> Option<Rollout> {
    let spec = obj.root.get("spec");
    let at = place(catalog, obj, obj.anchor_span());
    let mut out = Rollout {
        workload: id.clone(),
        file: Some(at.file),
        line: Some(at.line),
        ..Rollout::default()
    };
    let count = match obj.kind() {
        "Deployment" => deployment(obj, spec, catalog, &mut out),
        "StatefulSet" => stateful_set(obj, spec, catalog, &mut out),
        "DaemonSet" => daemon_set(spec, nodes, &mut out),
        _ => return None,
    };
    if let Some(expected) = count {
        interactions(obj, catalog, expected, &mut out);
    }
    if obj.kind() == "Deployment"
        && spec.and_then(|s| s.get("paused")).and_then(Node::as_bool) == Some(true)
    {
        out.notes.insert(
            0,
            note(
                None,
                "spec.paused is true: the controller plays none of these steps until the Deployment is resumed (`kubectl rollout resume`)".into(),
                spec.and_then(|s| s.get("paused"))
                    .map(|n| place(catalog, obj, n.span)),
            ),
        );
    }
    out.steps = shared_steps(std::mem::take(&mut out.steps));
    // Notes are few: a vector that grew to four for one note is 240 bytes
    // more per workload.
    out.notes.shrink_to_fit();
    Some(out)
}

/// The one copy of these steps this thread has seen: equal plays (the
/// same replicas, strategy and budgets) share one list.
fn shared_steps(steps: std::sync::Arc<[RolloutStep]>) -> std::sync::Arc<[RolloutStep]> {
    use std::cell::RefCell;
    use std::sync::Arc;
    thread_local! {
        static SEEN: RefCell<rustc_hash::FxHashSet<Arc<[RolloutStep]>>> = RefCell::default();
    }
    if steps.is_empty() {
        return steps;
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(known) = seen.get(&*steps) {
            return known.clone();
        }
        // Bounded like `deployment_steps`'s plays.
        if seen.len() >= 256 {
            seen.clear();
        }
        seen.insert(steps.clone());
        steps
    })
}

/// Replicas and where they come from; notes the HPA.
fn replicas(obj: &Object, catalog: &Catalog<'_>, out: &mut Rollout) -> Option<i64> {
    let Some(r) = scale::replicas(catalog, obj) else {
        out.error = Some("spec.replicas is not a number".into());
        return None;
    };
    // The API's counts are int32: anything else is rejected before a
    // controller sees it.
    if !(0..=i64::from(i32::MAX)).contains(&r.count) {
        out.error = Some(format!(
            "{}: {} is not between 0 and {} (the API server rejects it)",
            if r.hpa.is_some() {
                "the HorizontalPodAutoscaler's minReplicas"
            } else {
                "spec.replicas"
            },
            r.count,
            i32::MAX
        ));
        return None;
    }
    out.replicas = Some(r.count);
    out.replicas_from = Some(match (r.hpa, r.written) {
        (Some((hpa, min, max)), written) => {
            let where_ = place(catalog, hpa, hpa.anchor_span());
            if let Some(w) = written
                && min > w
            {
                out.notes.push(note(
                    None,
                    format!(
                        "HorizontalPodAutoscaler \"{}\" has minReplicas {min}, more than spec.replicas {w}: it scales the workload to {min} as soon as it acts, and every apply of this manifest sets it back to {w} until the HPA acts again; the rollout is played for {min}. Leave spec.replicas out of a manifest an HPA scales",
                        hpa.name()
                    ),
                    Some(where_),
                ));
            } else {
                out.notes.push(note(
                    None,
                    format!(
                        "HorizontalPodAutoscaler \"{}\" keeps {min}–{max} replicas; the rollout is played for its minimum, {min}, and its percentages scale with the count at the time",
                        hpa.name()
                    ),
                    Some(where_),
                ));
            }
            format!("HorizontalPodAutoscaler \"{}\" minReplicas", hpa.name())
        }
        (None, Some(_)) => "spec.replicas".into(),
        (None, None) => "spec.replicas unset (defaults to 1)".into(),
    });
    Some(r.count)
}

fn deployment(
    obj: &Object,
    spec: Option<&Node>,
    catalog: &Catalog<'_>,
    out: &mut Rollout,
) -> Option<i64> {
    let strategy = spec.and_then(|s| s.get("strategy"));
    let kind = strategy
        .and_then(|s| s.get_str("type"))
        .unwrap_or("RollingUpdate");
    let rolling = strategy
        .and_then(|s| s.get("rollingUpdate"))
        .filter(|n| !n.is_null());
    out.strategy = kind.to_string();
    let r = replicas(obj, catalog, out)?;
    match kind {
        "Recreate" => {
            if rolling.is_some() {
                out.error = Some(
                    "spec.strategy.rollingUpdate: may not be specified when strategy `type` is 'Recreate' (the API server rejects the Deployment)".into(),
                );
                return None;
            }
            out.steps = recreate_steps(r).into();
            if r > 0 {
                out.notes.push(note(
                    None,
                    format!(
                        "Recreate: no pod serves from the moment the old ReplicaSet's {} have terminated (up to terminationGracePeriodSeconds, 30 s by default) until the new ones are ready",
                        pods(r)
                    ),
                    None,
                ));
            }
        }
        "RollingUpdate" => {
            let quarter = IntOrPercent::Percent(25);
            let parsed = field(
                rolling,
                "maxSurge",
                "spec.strategy.rollingUpdate.maxSurge",
                quarter,
            )
            .and_then(|s| {
                field(
                    rolling,
                    "maxUnavailable",
                    "spec.strategy.rollingUpdate.maxUnavailable",
                    quarter,
                )
                .map(|u| (s, u))
            });
            let ((surge, surge_text), (unav, unav_text)) = match parsed {
                Ok(v) => v,
                Err(e) => {
                    out.error = Some(format!("{e} (the API server rejects the Deployment)"));
                    return None;
                }
            };
            out.max_surge_written = Some(surge_text);
            out.max_unavailable_written = Some(unav_text);
            if let Err(e) = over_100(unav, "spec.strategy.rollingUpdate.maxUnavailable") {
                out.error = Some(format!("{e} (the API server rejects the Deployment)"));
                return None;
            }
            if surge.written() == 0 && unav.written() == 0 {
                out.error = Some(
                    "spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0 (the API server rejects the Deployment: no pod could ever be replaced)".into(),
                );
                return None;
            }
            let (s, u) = deployment_fenceposts(r, surge, unav);
            out.max_surge = Some(s);
            out.max_unavailable = Some(u);
            out.steps = deployment_steps(r, s, u).into();
            if surge.scaled(r, true) == 0 && unav.scaled(r, false) == 0 && r > 0 {
                out.notes.push(note(
                    None,
                    format!(
                        "maxSurge {surge} and maxUnavailable {unav} both round to 0 for {}: the controller then takes maxUnavailable as 1 (ResolveFenceposts), so one pod at a time is down",
                        pods(r)
                    ),
                    None,
                ));
            }
        }
        other => {
            out.error = Some(format!(
                "spec.strategy.type: Unsupported value \"{other}\": supported values: \"Recreate\", \"RollingUpdate\""
            ));
            return None;
        }
    }
    Some(r)
}

fn stateful_set(
    obj: &Object,
    spec: Option<&Node>,
    catalog: &Catalog<'_>,
    out: &mut Rollout,
) -> Option<i64> {
    let strategy = spec.and_then(|s| s.get("updateStrategy"));
    let kind = strategy
        .and_then(|s| s.get_str("type"))
        .unwrap_or("RollingUpdate");
    out.strategy = kind.to_string();
    let r = replicas(obj, catalog, out)?;
    match kind {
        "OnDelete" => {
            out.steps = vec![step(
                State {
                    old: r,
                    new: 0,
                    new_ready: 0,
                },
                format!(
                    "OnDelete: the controller replaces none of the {}; each is recreated from the new revision only when it is deleted",
                    pods(r)
                ),
            )].into();
        }
        "RollingUpdate" => {
            let rolling = strategy.and_then(|s| s.get("rollingUpdate"));
            let partition = match rolling.and_then(|s| s.get("partition")) {
                None => 0,
                Some(n) => match n.as_i64() {
                    Some(p) if p >= 0 => p,
                    _ => {
                        out.error = Some(
                            "spec.updateStrategy.rollingUpdate.partition: must be a non-negative integer".into(),
                        );
                        return None;
                    }
                },
            };
            out.partition = (partition > 0).then_some(partition);
            let unav = match field(
                rolling,
                "maxUnavailable",
                "spec.updateStrategy.rollingUpdate.maxUnavailable",
                IntOrPercent::Int(1),
            ) {
                Ok(v) => v,
                Err(e) => {
                    out.error = Some(e);
                    return None;
                }
            };
            let set = rolling.and_then(|s| s.get("maxUnavailable")).is_some();
            if set && unav.0.written() == 0 {
                out.error = Some(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable: must be greater than 0"
                        .into(),
                );
                return None;
            }
            // getStatefulSetMaxUnavailable: rounded down, at least 1.
            let batch = unav.0.scaled(r, false).max(1);
            out.max_unavailable_written = Some(unav.1);
            out.max_unavailable = Some(batch);
            out.steps = stateful_set_steps(obj.name(), r, partition, batch).into();
            if set {
                out.notes.push(note(
                    None,
                    "maxUnavailable needs the MaxUnavailableStatefulSet feature gate; where it is off, the controller replaces one pod at a time".into(),
                    None,
                ));
            }
            if partition >= r && r > 0 {
                out.notes.push(note(
                    None,
                    format!(
                        "partition {partition} is at or above the {} replicas: no pod is updated (a staged rollout waiting for the partition to be lowered)",
                        r
                    ),
                    None,
                ));
            } else if partition > 0 {
                let name = obj.name();
                let kept = match partition {
                    1 => format!("{name}-0 keeps"),
                    2 => format!("{name}-0 and {name}-1 keep"),
                    p => format!("{name}-0 … {name}-{} keep", p - 1),
                };
                out.notes.push(note(
                    None,
                    format!(
                        "partition {partition}: {kept} the old revision until the partition is lowered"
                    ),
                    None,
                ));
            }
            let ordered = spec
                .and_then(|s| s.get_str("podManagementPolicy"))
                .is_none_or(|p| p == "OrderedReady");
            if ordered && r > 0 {
                out.notes.push(note(
                    None,
                    "a pod that never becomes Running and Ready stops the rollout there: the controller does not touch the next ordinal".into(),
                    None,
                ));
            }
        }
        other => {
            out.error = Some(format!(
                "spec.updateStrategy.type: Unsupported value \"{other}\": supported values: \"OnDelete\", \"RollingUpdate\""
            ));
            return None;
        }
    }
    Some(r)
}

fn daemon_set(spec: Option<&Node>, nodes: i64, out: &mut Rollout) -> Option<i64> {
    let nodes = nodes.clamp(0, i64::from(i32::MAX));
    let strategy = spec.and_then(|s| s.get("updateStrategy"));
    let kind = strategy
        .and_then(|s| s.get_str("type"))
        .unwrap_or("RollingUpdate");
    out.strategy = kind.to_string();
    out.replicas = Some(nodes);
    out.replicas_from = Some(format!(
        "one per node, {nodes} node{} assumed: --nodes",
        if nodes == 1 { "" } else { "s" }
    ));
    match kind {
        "OnDelete" => {
            out.steps = vec![step(
                State {
                    old: nodes,
                    new: 0,
                    new_ready: 0,
                },
                "OnDelete: the controller replaces no pod; a node's pod is recreated from the new template only when it is deleted".into(),
            )].into();
        }
        "RollingUpdate" => {
            let rolling = strategy.and_then(|s| s.get("rollingUpdate"));
            let base = "spec.updateStrategy.rollingUpdate";
            let parsed = field(
                rolling,
                "maxUnavailable",
                &format!("{base}.maxUnavailable"),
                IntOrPercent::Int(1),
            )
            .and_then(|u| {
                field(
                    rolling,
                    "maxSurge",
                    &format!("{base}.maxSurge"),
                    IntOrPercent::Int(0),
                )
                .map(|s| (s, u))
            })
            .and_then(|(s, u)| {
                over_100(u.0, &format!("{base}.maxUnavailable"))?;
                over_100(s.0, &format!("{base}.maxSurge"))?;
                match (u.0.written() != 0, s.0.written() != 0) {
                    (true, true) => Err(format!(
                        "{base}.maxSurge: may not be set when maxUnavailable is non-zero"
                    )),
                    (false, false) => Err(format!(
                        "{base}.maxUnavailable: cannot be 0 when maxSurge is 0"
                    )),
                    _ => Ok((s, u)),
                }
            });
            let ((surge, surge_text), (unav, unav_text)) = match parsed {
                Ok(v) => v,
                Err(e) => {
                    out.error = Some(format!("{e} (the API server rejects the DaemonSet)"));
                    return None;
                }
            };
            // SurgeCount / UnavailableCount: both round up.
            let s = surge.scaled(nodes, true);
            let u = unav.scaled(nodes, true);
            out.max_surge_written = Some(surge_text);
            out.max_unavailable_written = Some(unav_text);
            out.max_surge = Some(s);
            out.max_unavailable = Some(u);
            out.steps = daemon_set_steps(nodes, s, u).into();
        }
        other => {
            out.error = Some(format!(
                "spec.updateStrategy.type: Unsupported value \"{other}\": supported values: \"OnDelete\", \"RollingUpdate\""
            ));
            return None;
        }
    }
    Some(nodes)
}

/// What other objects, and missing probes, change about the rollout.
fn interactions(obj: &Object, catalog: &Catalog<'_>, count: i64, out: &mut Rollout) {
    // Readiness: without a probe, ready means started.
    if let Some(template) = obj.pod_template() {
        let unprobed: Vec<String> = template
            .containers()
            .filter(|c| !c.init && c.node.get("readinessProbe").is_none_or(Node::is_null))
            .map(|c| format!("\"{}\"", c.name.unwrap_or("?")))
            .collect();
        if !unprobed.is_empty() && count > 0 && !out.steps.is_empty() {
            let at = template.spec.map(|s| place(catalog, obj, s.span));
            out.notes.push(note(
                None,
                format!(
                    "container{} {} {} no readinessProbe: a pod counts as ready as soon as its containers have started, so the controller goes on (and removes old pods) before the new version can serve; maxUnavailable then limits started pods, not serving ones",
                    if unprobed.len() == 1 { "" } else { "s" },
                    unprobed.join(", "),
                    if unprobed.len() == 1 { "has" } else { "have" }
                ),
                at,
            ));
        }
    }
    if obj.kind() == "DaemonSet" {
        return;
    }
    let budgets = pdb::budgets_for(catalog, obj);
    if budgets.len() > 1 {
        let names: Vec<String> = budgets
            .iter()
            .map(|b| format!("\"{}\"", b.obj.name()))
            .collect();
        out.notes.push(note(
            None,
            format!(
                "{} PodDisruptionBudgets ({}) select these pods: the Eviction API refuses to evict a pod that more than one budget covers, so node drains block on every one of them",
                budgets.len(),
                names.join(", ")
            ),
            None,
        ));
    }
    for b in &budgets {
        let owners = pdb::selected(catalog, b);
        let Some(expected) = pdb::expected_pods(catalog, &owners) else {
            continue;
        };
        // Pods of other workloads the budget selects: assumed healthy.
        let others = expected.saturating_sub(count).max(0);
        let mut blocked = 0usize;
        for s in std::sync::Arc::make_mut(&mut out.steps) {
            let healthy = s.ready.unwrap_or(0).saturating_add(others);
            let allowed = b.disruptions_allowed(healthy, expected);
            if allowed == 0 {
                blocked += 1;
            }
            s.disruptions_allowed = Some(s.disruptions_allowed.map_or(allowed, |a| a.min(allowed)));
        }
        let at = Some(place(catalog, b.obj, b.node.span));
        let desired = b.desired_healthy(expected);
        let at_rest = b.disruptions_allowed(expected, expected);
        if expected > 0 && at_rest == 0 {
            out.notes.push(note(
                Some("KW5600"),
                format!(
                    "PodDisruptionBudget \"{}\" ({}) keeps {desired} of {} healthy: it allows no eviction even before the rollout, so every node drain blocks on these pods",
                    b.obj.name(),
                    b.describe_value(),
                    pods(expected)
                ),
                at,
            ));
        } else if blocked > 0 {
            out.notes.push(note(
                None,
                format!(
                    "PodDisruptionBudget \"{}\" ({}) keeps {desired} of {} healthy: it allows {at_rest} eviction{} at rest and none in {blocked} of the {} steps (while new pods start), so a node drain during the rollout waits for them; the rollout itself is not held back (the controller scales ReplicaSets, it does not evict)",
                    b.obj.name(),
                    b.describe_value(),
                    pods(expected),
                    if at_rest == 1 { "" } else { "s" },
                    out.steps.len()
                ),
                at,
            ));
        }
    }
}

/// A `KIND/NAME` argument: the kind as a canonical name.
pub fn parse_target(text: &str) -> Result<(&'static str, &str), String> {
    let Some((kind, name)) = text.split_once('/') else {
        return Err(format!(
            "\"{text}\" is not KIND/NAME: write it as deployment/web, statefulset/db or daemonset/agent"
        ));
    };
    let canonical = match kind.to_ascii_lowercase().as_str() {
        "deployment" | "deployments" | "deploy" => "Deployment",
        "statefulset" | "statefulsets" | "sts" => "StatefulSet",
        "daemonset" | "daemonsets" | "ds" => "DaemonSet",
        _ => {
            return Err(format!(
                "kind \"{kind}\" does not roll out: kwire plays Deployment, StatefulSet and DaemonSet updates"
            ));
        }
    };
    if name.is_empty() || name.contains('/') {
        return Err(format!(
            "\"{text}\" is not KIND/NAME (use -n NAMESPACE for the namespace)"
        ));
    }
    Ok((canonical, name))
}

/// The rollout of `kind`/`name` (in `namespace` when given) in the graph,
/// or why there is none, with the close matches.
pub fn find<'g>(
    graph: &'g Graph,
    kind: &str,
    name: &str,
    namespace: Option<&str>,
) -> Result<&'g Rollout, String> {
    let node_of = |r: &Rollout| graph.node(&r.workload);
    let matching: Vec<&Rollout> = graph
        .rollouts
        .iter()
        .filter(|r| {
            node_of(r).is_some_and(|n| {
                n.kind == kind
                    && n.name == name
                    && namespace.is_none_or(|ns| n.namespace.as_deref() == Some(ns))
            })
        })
        .collect();
    match matching.as_slice() {
        [one] => return Ok(one),
        [] => {}
        several => {
            let namespaces: Vec<String> = several
                .iter()
                .filter_map(|r| node_of(r))
                .map(|n| n.namespace.as_deref().unwrap_or_default().to_string())
                .collect();
            let units: Vec<&str> = several
                .iter()
                .filter_map(|r| node_of(r))
                .filter_map(|n| n.unit.as_deref())
                .collect();
            return Err(if namespaces.windows(2).any(|w| w[0] != w[1]) {
                format!(
                    "{kind} \"{name}\" is in several namespaces ({}): choose one with -n",
                    namespaces.join(", ")
                )
            } else {
                format!(
                    "{kind} \"{name}\" is in several deployment units ({}): give only one unit's files",
                    units.join(", ")
                )
            });
        }
    }
    let where_ = namespace.map_or_else(String::new, |ns| format!(" in namespace \"{ns}\""));
    let candidates: Vec<String> = graph
        .rollouts
        .iter()
        .filter_map(node_of)
        .map(|n| {
            format!(
                "{}/{}{}",
                n.kind.to_ascii_lowercase(),
                n.name,
                n.namespace
                    .as_deref()
                    .map_or_else(String::new, |ns| format!(" -n {ns}"))
            )
        })
        .collect();
    let wanted = format!("{}/{name}", kind.to_ascii_lowercase());
    let mut close: Vec<&str> = candidates
        .iter()
        .map(String::as_str)
        .filter(|c| {
            let target = c.split(" -n ").next().unwrap_or(c);
            let other = target.split_once('/').map_or(target, |(_, n)| n);
            let longest = name.chars().count().max(other.chars().count());
            target == wanted
                || other == name
                || crate::text::closest_name(name, std::iter::once(other)).is_some()
                || crate::text::edit_distance_with_swaps(name, other) <= (longest / 3).max(1)
        })
        .collect();
    close.sort_unstable();
    close.dedup();
    let mut message = format!("no {kind} \"{name}\"{where_} in the input");
    if !close.is_empty() {
        message.push_str(&format!("; did you mean {}?", close.join(", ")));
    } else if !candidates.is_empty() && candidates.len() <= 8 {
        message.push_str(&format!("; workloads there: {}", candidates.join(", ")));
    }
    Err(message)
}

/// `kwire rollout`'s text: the parameters, the table of steps, the notes.
pub fn render_text(r: &Rollout, graph: &Graph) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let at = match (&r.file, r.line) {
        (Some(f), Some(l)) => format!(" ({f}:{l})"),
        _ => String::new(),
    };
    let title = graph.node(&r.workload).map_or_else(
        || r.workload.clone(),
        |n| match &n.namespace {
            Some(ns) => format!("{} {}/{}", n.kind, ns, n.name).into(),
            None => format!("{} {}", n.kind, n.name).into(),
        },
    );
    let _ = writeln!(s, "{title}{at}");
    let count = r.replicas.map_or_else(String::new, |n| {
        format!(
            ", {}{}",
            pods(n),
            r.replicas_from
                .as_deref()
                .map_or_else(String::new, |f| format!(" ({f})"))
        )
    });
    let _ = writeln!(s, "strategy {}{count}", r.strategy);
    let mut params = Vec::new();
    if let (Some(w), Some(n)) = (&r.max_surge_written, r.max_surge) {
        params.push(format!("maxSurge {w} → {n}"));
    }
    if let (Some(w), Some(n)) = (&r.max_unavailable_written, r.max_unavailable) {
        params.push(format!("maxUnavailable {w} → {n}"));
    }
    if let Some(p) = r.partition {
        params.push(format!("partition {p}"));
    }
    if !params.is_empty() {
        let _ = writeln!(s, "{}", params.join(", "));
    }
    if r.strategy == "RollingUpdate"
        && let (Some(n), Some(surge), Some(unav)) = (r.replicas, r.max_surge, r.max_unavailable)
        && graph
            .node(&r.workload)
            .is_some_and(|n| n.kind == "Deployment")
    {
        let _ = writeln!(
            s,
            "at most {} pods in all, at least {} available",
            n + surge,
            (n - unav).max(0)
        );
    }
    if let Some(e) = &r.error {
        let _ = writeln!(s, "\nnot played: {e}");
    }
    if !r.steps.is_empty() {
        let drains = r.steps.iter().any(|st| st.disruptions_allowed.is_some());
        let _ = writeln!(s);
        let _ = write!(s, "step   old   new   new ready   ready   total");
        if drains {
            let _ = write!(s, "   evictions");
        }
        let _ = writeln!(s, "   action");
        for (i, st) in r.steps.iter().enumerate() {
            let _ = write!(
                s,
                "{i:>4}  {:>4}  {:>4}  {:>10}  {:>6}  {:>6}",
                st.old,
                st.new,
                st.new_ready.map_or_else(|| "-".into(), |n| n.to_string()),
                st.ready.map_or_else(|| "-".into(), |n| n.to_string()),
                st.total.map_or_else(|| "-".into(), |n| n.to_string()),
            );
            if drains {
                let _ = write!(
                    s,
                    "  {:>10}",
                    st.disruptions_allowed
                        .map_or_else(|| "-".into(), |n| n.to_string())
                );
            }
            let _ = writeln!(s, "   {}", st.action.as_deref().unwrap_or(""));
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(s);
        for n in &r.notes {
            let code = n
                .code
                .as_deref()
                .map_or_else(String::new, |c| format!("[{c}] "));
            let at = match (&n.file, n.line) {
                (Some(f), Some(l)) => format!(" ({f}:{l})"),
                _ => String::new(),
            };
            let _ = writeln!(s, "note: {code}{}{at}", n.message);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use IntOrPercent::{Int, Percent};

    fn triples(steps: &[RolloutStep]) -> Vec<(i64, i64, i64)> {
        steps
            .iter()
            .map(|s| (s.old, s.new, s.ready.unwrap_or(-1)))
            .collect()
    }

    /// The controller's invariants on every step of a rolling update.
    fn check_invariants(replicas: i64, surge: i64, unav: i64, steps: &[RolloutStep]) {
        let first = steps.first().map(|s| (s.old, s.new));
        assert_eq!(first, Some((replicas, 0)));
        let last = steps.last().map(|s| (s.old, s.new, s.ready));
        assert_eq!(last, Some((0, replicas, Some(replicas))), "{steps:#?}");
        for s in steps {
            assert!(
                s.old + s.new <= replicas + surge,
                "total over maxTotal: {s:?}"
            );
            assert!(
                s.ready.unwrap_or(0) >= replicas - unav,
                "available under minAvailable: {s:?}"
            );
        }
    }

    #[test]
    fn fenceposts_round_surge_up_and_unavailable_down() {
        let q = Percent(25);
        // The examples.
        assert_eq!(deployment_fenceposts(3, q, q), (1, 0));
        assert_eq!(deployment_fenceposts(10, q, q), (3, 2));
        // Table: replicas × value, for maxSurge (up) and maxUnavailable (down).
        let values = [Int(0), Int(1), Percent(25), Percent(100)];
        #[rustfmt::skip]
        let expected_surge = [
            // 0  1  25% 100%
            [0, 1, 1, 1],   // 1 replica
            [0, 1, 1, 3],   // 3 replicas
            [0, 1, 3, 10],  // 10 replicas
        ];
        #[rustfmt::skip]
        let expected_unav = [
            [0, 1, 0, 1],
            [0, 1, 0, 3],
            [0, 1, 2, 10],
        ];
        for (row, replicas) in [1i64, 3, 10].into_iter().enumerate() {
            for (col, v) in values.into_iter().enumerate() {
                assert_eq!(
                    Some(&v.scaled(replicas, true)),
                    expected_surge.get(row).and_then(|r| r.get(col)),
                    "surge {v} of {replicas}"
                );
                assert_eq!(
                    Some(&v.scaled(replicas, false)),
                    expected_unav.get(row).and_then(|r| r.get(col)),
                    "unavailable {v} of {replicas}"
                );
            }
        }
        // Both round to zero: maxUnavailable becomes 1 (ResolveFenceposts).
        assert_eq!(deployment_fenceposts(3, Percent(0), Percent(25)), (0, 1));
        assert_eq!(deployment_fenceposts(1, Int(0), Percent(25)), (0, 1));
        // MaxUnavailable is capped at the replicas.
        assert_eq!(deployment_fenceposts(3, Int(0), Int(5)), (0, 3));
    }

    #[test]
    fn three_replicas_with_the_defaults_add_one_then_remove_one() {
        let steps = deployment_steps(3, 1, 0);
        assert_eq!(
            triples(&steps),
            vec![
                (3, 0, 3),
                (3, 1, 3),
                (3, 1, 4),
                (2, 1, 3),
                (2, 2, 3),
                (2, 2, 4),
                (1, 2, 3),
                (1, 3, 3),
                (1, 3, 4),
                (0, 3, 3),
            ]
        );
        // The naive reading (a seed note): 3-0, 3-1, 2-2, 1-3, 0-3. The
        // controller never goes from 3-1 to 2-2 in one step: it removes an
        // old pod (2-1) before it may create the next new one.
        assert!(triples(&steps).contains(&(2, 1, 3)));
    }

    #[test]
    fn ten_replicas_with_the_defaults_follow_the_controllers_own_example() {
        // rolling.go's comment: "newRS is created with 3 replicas, oldRS is
        // scaled down to 8, and newRS is scaled up to 5".
        let (s, u) = deployment_fenceposts(10, Percent(25), Percent(25));
        let steps = deployment_steps(10, s, u);
        assert_eq!(
            triples(&steps),
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
    }

    #[test]
    fn every_combination_keeps_the_controllers_bounds_and_finishes() {
        let values = [Int(0), Int(1), Percent(25), Percent(100)];
        for replicas in [1i64, 3, 10] {
            for surge in values {
                for unav in values {
                    if surge.written() == 0 && unav.written() == 0 {
                        continue; // rejected by validation
                    }
                    let (s, u) = deployment_fenceposts(replicas, surge, unav);
                    let steps = deployment_steps(replicas, s, u);
                    check_invariants(replicas, s, u, &steps);
                }
            }
        }
    }

    #[test]
    fn surge_zero_removes_before_it_adds() {
        // 2 desired, maxUnavailable 1, surge 0: old(-1), new(+1), ... (the
        // ResolveFenceposts comment).
        let steps = deployment_steps(2, 0, 1);
        assert_eq!(
            triples(&steps),
            vec![
                (2, 0, 2),
                (1, 0, 1),
                (1, 1, 1),
                (1, 1, 2),
                (0, 1, 1),
                (0, 2, 1),
                (0, 2, 2)
            ]
        );
    }

    #[test]
    fn hundred_percent_surge_doubles_then_drops_the_old() {
        let (s, u) = deployment_fenceposts(3, Percent(100), Int(0));
        assert_eq!((s, u), (3, 0));
        assert_eq!(
            triples(&deployment_steps(3, s, u)),
            vec![(3, 0, 3), (3, 3, 3), (3, 3, 6), (0, 3, 3)]
        );
    }

    #[test]
    fn recreate_has_a_window_with_nothing_ready() {
        let steps = recreate_steps(3);
        assert_eq!(
            triples(&steps),
            vec![(3, 0, 3), (0, 0, 0), (0, 3, 0), (0, 3, 3)]
        );
    }

    #[test]
    fn stateful_sets_go_down_from_the_highest_ordinal_and_stop_at_the_partition() {
        let steps = stateful_set_steps("db", 3, 1, 1);
        assert_eq!(
            triples(&steps),
            vec![
                (3, 0, 3),
                (2, 0, 2),
                (2, 1, 2),
                (2, 1, 3),
                (1, 1, 2),
                (1, 2, 2),
                (1, 2, 3)
            ]
        );
        let actions: Vec<&str> = steps.iter().filter_map(|s| s.action.as_deref()).collect();
        assert_eq!(actions.get(1), Some(&"delete db-2"));
        assert_eq!(actions.get(4), Some(&"delete db-1"));
        // maxUnavailable 2: two at a time.
        let two = stateful_set_steps("db", 3, 0, 2);
        assert_eq!(
            two.get(1).and_then(|s| s.action.as_deref()),
            Some("delete db-2, db-1")
        );
        // A partition at the replicas updates nothing.
        assert_eq!(stateful_set_steps("db", 3, 3, 1).len(), 1);
    }

    #[test]
    fn daemon_sets_surge_or_delete_per_node() {
        assert_eq!(
            triples(&daemon_set_steps(3, 0, 1)).get(1..4),
            Some(&[(2, 0, 2), (2, 1, 2), (2, 1, 3)][..])
        );
        let surge = daemon_set_steps(3, 1, 0);
        assert_eq!(
            triples(&surge).get(1..4),
            Some(&[(3, 1, 3), (3, 1, 4), (2, 1, 3)][..])
        );
        assert_eq!(surge.last().map(|s| (s.old, s.new)), Some((0, 3)));
    }

    #[test]
    fn equal_plays_share_one_list_of_steps() {
        let a = shared_steps(deployment_steps(4, 1, 0).into());
        let b = shared_steps(deployment_steps(4, 1, 0).into());
        let c = shared_steps(deployment_steps(5, 1, 0).into());
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        assert!(!std::sync::Arc::ptr_eq(&a, &c));
        assert_eq!(*a, *deployment_steps(4, 1, 0));
        // Filled-in budgets make a different list.
        let mut d: std::sync::Arc<[RolloutStep]> = deployment_steps(4, 1, 0).into();
        for s in std::sync::Arc::make_mut(&mut d) {
            s.disruptions_allowed = Some(1);
        }
        let d = shared_steps(d);
        assert!(!std::sync::Arc::ptr_eq(&a, &d));
        assert_eq!(d.first().and_then(|s| s.disruptions_allowed), Some(1));
        assert!(shared_steps(Vec::new().into()).is_empty());
    }

    #[test]
    fn huge_rollouts_are_cut() {
        let steps = deployment_steps(100_000, 1, 0);
        assert_eq!(steps.len(), MAX_STEPS);
        assert!(
            steps
                .last()
                .and_then(|s| s.action.as_deref())
                .is_some_and(|a| a.contains("cut at"))
        );
    }

    #[test]
    fn targets_read_like_kubectl() {
        assert_eq!(parse_target("deployment/web"), Ok(("Deployment", "web")));
        assert_eq!(parse_target("Deployment/web"), Ok(("Deployment", "web")));
        assert_eq!(parse_target("sts/db"), Ok(("StatefulSet", "db")));
        assert!(parse_target("web").is_err());
        assert!(parse_target("service/web").is_err());
        assert!(parse_target("deployment/").is_err());
    }
}
