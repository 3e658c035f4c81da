//! Text helpers shared by the rules, the configuration and the CLI: edit
//! distances, "did you mean" suggestions and lists of names for messages.
//!
//! Every suggestion in kwire is made here, so one slip is judged the same
//! way by every rule. The budgets differ on purpose (a ConfigMap name slip
//! is tighter than a port name slip), and each function says which it uses.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != *cb))
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Edit distance where swapping two neighbours counts as one edit (optimal
/// string alignment), over characters: `biulder` is one slip from `builder`.
pub fn edit_distance_with_swaps(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(c) = d.get_mut(at(i, 0)) {
            *c = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(c) = d.get_mut(at(0, j)) {
            *c = j;
        }
    }
    let get =
        |d: &Vec<usize>, i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let mut v = (get(&d, i - 1, j) + 1)
                .min(get(&d, i, j - 1) + 1)
                .min(get(&d, i - 1, j - 1) + cost);
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                v = v.min(get(&d, i - 2, j - 2) + 1);
            }
            if let Some(c) = d.get_mut(at(i, j)) {
                *c = v;
            }
        }
    }
    get(&d, a.len(), b.len())
}

/// Edits (with swaps) that still make an object name a slip rather than
/// another name: one, two from ten characters on.
pub fn typo_budget(len: usize) -> usize {
    if len >= 10 { 2 } else { 1 }
}

/// Edits that still make a slip for short identifiers (port names, label
/// values): a third of the longer one, at least two.
fn third_budget(a: &str, b: &str) -> usize {
    (a.chars().count().max(b.chars().count()) / 3).max(2)
}

/// Spelled alike: one is a prefix of the other, or few edits apart
/// (`frontend` / `front`, `checkout` / `chekout`).
pub fn similar(a: &str, b: &str) -> bool {
    if a.starts_with(b) || b.starts_with(a) {
        return true;
    }
    edit_distance(a, b) <= third_budget(a, b)
}

/// The candidate fewest edits from `wanted` (the first of equals), if close
/// enough to be a slip: at most a third of the longer name, at least 2.
pub fn closest<'c>(wanted: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= third_budget(wanted, c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The candidate fewest edits from `wanted` (the first of equals), if at
/// most `max_edits` away: for fixed vocabularies (rule names, config keys).
pub fn nearest_within<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max_edits: usize,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d <= max_edits)
        .map(|(_, c)| c)
}

/// The object name in `candidates` closest to `wanted` if it is a likely
/// slip: a typo (at most 2 edits, and at most a quarter of the name) or the
/// same name with a suffix (`web` / `web-svc`).
pub fn closest_name<'c>(
    wanted: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .filter(|c| *c != wanted)
        .filter_map(|c| {
            let longest = wanted.chars().count().max(c.chars().count());
            let d = edit_distance(wanted, c);
            let typo = d <= 2 && d * 4 <= longest;
            (typo || suffixed(wanted, c) || suffixed(c, wanted)).then_some((d, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `long` is `short` plus a `-`/`.`-separated suffix.
fn suffixed(short: &str, long: &str) -> bool {
    long.strip_prefix(short)
        .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('.'))
        && !short.is_empty()
}

/// `"a", "b", "c"` (at most `max`, then `, …`).
pub fn quoted_list<'s>(names: impl Iterator<Item = &'s str>, max: usize) -> String {
    let names: Vec<&str> = names.collect();
    let mut out: Vec<String> = names.iter().take(max).map(|n| format!("\"{n}\"")).collect();
    if names.len() > max {
        out.push("…".to_string());
    }
    out.join(", ")
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("builder", "biulder"), 2);
        assert_eq!(edit_distance("é한", "e한"), 1);
        assert_eq!(edit_distance_with_swaps("kitten", "sitting"), 3);
        assert_eq!(edit_distance_with_swaps("", "abc"), 3);
        assert_eq!(edit_distance_with_swaps("web-config", "web-confg"), 1);
        assert_eq!(edit_distance_with_swaps("builder", "biulder"), 1);
        assert_eq!(edit_distance_with_swaps("한é", "é한"), 1);
    }

    #[test]
    fn budgets() {
        assert_eq!(typo_budget(9), 1);
        assert_eq!(typo_budget(10), 2);
    }

    #[test]
    fn similar_values_are_slips() {
        assert!(similar("frontend", "front"));
        assert!(similar("web", "webb"));
        assert!(similar("checkout", "chekout"));
        assert!(!similar("vtctld", "guestbook"));
    }

    #[test]
    fn closest_names_a_slip_not_a_stranger() {
        let names = ["http", "metrics", "grpc-web"];
        assert_eq!(closest("htttp", names), Some("http"));
        assert_eq!(closest("metric", names), Some("metrics"));
        assert_eq!(closest("admin", names), None);
    }

    #[test]
    fn nearest_within_a_fixed_budget() {
        let keys = ["kube-version", "strict", "assume"];
        assert_eq!(
            nearest_within("kube-versoin", keys, 3),
            Some("kube-version")
        );
        assert_eq!(nearest_within("colour", keys, 3), None);
        assert_eq!(nearest_within("x", [], 3), None);
    }

    #[test]
    fn closest_object_names() {
        let names = ["web", "api", "frontend"];
        assert_eq!(closest_name("webb", names.iter().copied()), Some("web"));
        assert_eq!(closest_name("database", names.iter().copied()), None);
        assert_eq!(closest_name("web-svc", names.iter().copied()), Some("web"));
        assert_eq!(closest_name("webhook", names.iter().copied()), None);
        assert_eq!(
            closest_name("example-service", ["emailservice"].into_iter()),
            None
        );
    }

    #[test]
    fn lists() {
        assert_eq!(
            quoted_list(["a", "b", "c"].into_iter(), 2),
            "\"a\", \"b\", …"
        );
        assert_eq!(join_names(&[]), "");
        assert_eq!(join_names(&["a".into()]), "a");
        assert_eq!(
            join_names(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
