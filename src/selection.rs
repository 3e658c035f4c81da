//! Which rules run, at which severity, where: `select`/`ignore` by code,
//! code prefix (`KW5`) or rule name, per-rule severity overrides, and
//! per-path ignores. Shared by `.kwire.yaml`, the `--select`/`--ignore`
//! flags and the suppression comments.

use glob::{MatchOptions, Pattern};

use crate::diagnostic::Severity;

/// A rule selector: `ALL`, a code prefix (`KW`, `KW3`, `KW31`, `KW310`), a
/// full code (`KW3101`) or a rule name (`service-selector-matches-nothing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Code(String),
    Name(String),
}

impl Selector {
    /// Parses and checks a selector against the registered rules: a full
    /// code or a name must exist; a prefix must be a family kwire defines
    /// (`KW0`..`KW6`), even if no rule of it is registered yet.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        let upper = t.to_ascii_uppercase();
        if let Some(digits) = upper.strip_prefix("KW")
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.len() <= 4
        {
            if digits.len() == 4 {
                return match crate::rules::meta(&upper) {
                    Some(_) => Ok(Selector::Code(upper)),
                    None => Err(format!(
                        "unknown rule code `{t}`{}; `kwire rules` lists the codes",
                        rule_hint(t).map(|h| format!("; {h}")).unwrap_or_default()
                    )),
                };
            }
            if digits
                .bytes()
                .next()
                .is_none_or(|b| (b'0'..=b'6').contains(&b))
            {
                return Ok(Selector::Code(upper));
            }
            return Err(format!(
                "`{t}` is not a rule family; families are KW0 (YAML), KW1 (schema), KW2 (deprecations), KW3 (references), KW4 (Istio), KW5 (practices), KW6 (security)"
            ));
        }
        let all = crate::rules::all();
        if all.iter().any(|m| m.name == t) {
            return Ok(Selector::Name(t.to_string()));
        }
        let hint = rule_hint(t).map(|h| format!("; {h}")).unwrap_or_default();
        Err(format!(
            "unknown rule `{t}`: not a code (KW3101), a code prefix (KW3) or a rule name{hint}"
        ))
    }

    /// How specifically this selector names `code` (higher wins), or `None`
    /// if it does not match: `ALL` 0, a prefix its length, a name 10.
    pub fn specificity(&self, code: &str) -> Option<usize> {
        match self {
            Selector::All => Some(0),
            Selector::Code(prefix) => code.starts_with(prefix.as_str()).then_some(prefix.len()),
            Selector::Name(name) => crate::rules::meta(code)
                .is_some_and(|m| m.name == name)
                .then_some(10),
        }
    }

    pub fn matches(&self, code: &str) -> bool {
        self.specificity(code).is_some()
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selector::All => f.write_str("ALL"),
            Selector::Code(c) => f.write_str(c),
            Selector::Name(n) => f.write_str(n),
        }
    }
}

/// "did you mean" for a rule typed by code or by name that does not exist:
/// a code one slip away (`KW3012` → `KW3102`, with its name), a name at
/// most 3 edits away, or the rules whose names contain what was typed
/// (`service-selector` → `service-selector-matches-nothing`).
pub fn rule_hint(typed: &str) -> Option<String> {
    let t = typed.trim();
    let all = crate::rules::all();
    let upper = t.to_ascii_uppercase();
    if upper.starts_with("KW") {
        // A slip in the family's digit is rarer than in the others: look
        // in the typed family first (`KW3012` is `KW3002` or `KW3102`,
        // not `KW0012`). Codes one slip away are all named, up to 3.
        let family = upper.get(..3).unwrap_or("");
        let one_slip = |in_family: bool| -> Vec<String> {
            all.iter()
                .filter(|m| !in_family || m.code.starts_with(family))
                .filter(|m| crate::text::edit_distance_with_swaps(&upper, m.code) <= 1)
                .take(3)
                .map(|m| format!("`{}` ({})", m.code, m.name))
                .collect()
        };
        let mut near = one_slip(true);
        if near.is_empty() {
            near = one_slip(false);
        }
        return match near.as_slice() {
            [] => None,
            [one] => Some(format!("did you mean {one}?")),
            [rest @ .., last] => Some(format!("did you mean {} or {last}?", rest.join(", "))),
        };
    }
    if let Some(near) = crate::text::nearest_within(t, all.iter().map(|m| m.name), 3) {
        let code = all.iter().find(|m| m.name == near).map_or("", |m| m.code);
        return Some(format!("did you mean `{near}` ({code})?"));
    }
    let lower = t.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let containing: Vec<String> = all
        .iter()
        .filter(|m| m.name.contains(&lower))
        .map(|m| format!("`{}` ({})", m.name, m.code))
        .collect();
    match containing.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        many if many.len() <= 6 => Some(format!("did you mean one of {}?", many.join(", "))),
        many => Some(format!(
            "{} rules have `{lower}` in their name; `kwire rules` lists them",
            many.len()
        )),
    }
}

/// Parses a comma-separated list (`KW3101, KW5`); empty items are skipped.
pub fn parse_list(text: &str) -> Result<Vec<Selector>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Selector::parse)
        .collect()
}

/// Ignores that apply to paths matching a glob.
#[derive(Clone, Debug)]
pub struct PathIgnore {
    pub glob: String,
    pub pattern: Pattern,
    pub selectors: Vec<Selector>,
}

#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    /// `None`: the default set (every rule whose `RuleMeta::default` is
    /// true). A list replaces it: `select: [ALL]` is every rule, opt-in
    /// ones included (ruff's convention).
    pub select: Option<Vec<Selector>>,
    /// Added to `select` (or to the default set): `extend-select: [KW5010]`
    /// turns one opt-in rule on and keeps the rest as they are.
    pub extend_select: Vec<Selector>,
    pub ignore: Vec<Selector>,
    /// Severity overrides; the most specific selector wins.
    pub severity: Vec<(Selector, Severity)>,
    pub per_file_ignores: Vec<PathIgnore>,
}

fn best(selectors: &[Selector], code: &str) -> Option<usize> {
    selectors.iter().filter_map(|s| s.specificity(code)).max()
}

impl RuleSelection {
    /// ruff's rule: the most specific matching selector decides; on a tie
    /// `ignore` wins. `select: [KW3]` + `ignore: [KW3002]` runs every KW3
    /// rule but KW3002; `ignore: [KW5]` + `select: [ALL, KW5003]` keeps KW5003.
    ///
    /// Without a `select`, the default set is selected as if by `ALL`; an
    /// opt-in rule runs only when a `select` or `extend-select` entry names
    /// it (its code, a prefix of it, its name or `ALL`).
    pub fn enabled(&self, code: &str) -> bool {
        let base = match &self.select {
            None => crate::rules::meta(code)
                .is_none_or(|m| m.default)
                .then_some(0),
            Some(list) => best(list, code),
        };
        let selected = base.max(best(&self.extend_select, code));
        match (selected, best(&self.ignore, code)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// Whether `code` is reported in the file at `path` (its shown path).
    pub fn enabled_in(&self, code: &str, path: &str) -> bool {
        self.enabled(code)
            && !self.per_file_ignores.iter().any(|p| {
                path_matches(&p.pattern, path) && p.selectors.iter().any(|s| s.matches(code))
            })
    }

    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter_map(|(s, sev)| s.specificity(code).map(|n| (n, *sev)))
            .max_by_key(|(n, _)| *n)
            .map_or(default, |(_, sev)| sev)
    }
}

/// A path glob matches the whole shown path or any tail of it starting at
/// a component (`legacy/**` matches `k8s/legacy/a.yaml`), as `--exclude` does.
pub fn path_matches(pattern: &Pattern, path: &str) -> bool {
    let opts = MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    let path = path.strip_prefix("./").unwrap_or(path);
    std::iter::once(path)
        .chain(
            path.match_indices('/')
                .filter_map(|(i, _)| path.get(i + 1..)),
        )
        .any(|c| pattern.matches_with(c, opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(items: &[&str]) -> Vec<Selector> {
        items.iter().map(|s| Selector::parse(s).unwrap()).collect()
    }

    #[test]
    fn parses_codes_prefixes_and_names() {
        assert_eq!(Selector::parse("kw3"), Ok(Selector::Code("KW3".into())));
        assert_eq!(
            Selector::parse("KW3002"),
            Ok(Selector::Code("KW3002".into()))
        );
        assert!(
            Selector::parse("KW3999")
                .unwrap_err()
                .contains("unknown rule code")
        );
        assert!(Selector::parse("KW9").is_err());
        assert_eq!(
            Selector::parse("duplicate-key"),
            Ok(Selector::Name("duplicate-key".into()))
        );
        assert!(
            Selector::parse("duplicate-kye")
                .unwrap_err()
                .contains("did you mean `duplicate-key`")
        );
        assert_eq!(Selector::parse("all"), Ok(Selector::All));
        assert!(
            Selector::parse("KW3012")
                .unwrap_err()
                .contains("`KW3102` (service-target-port-undeclared)")
        );
    }

    #[test]
    fn rule_hints_for_codes_names_and_parts_of_names() {
        assert_eq!(
            rule_hint("service-selector").as_deref(),
            Some("did you mean `service-selector-matches-nothing` (KW3002)?")
        );
        assert_eq!(
            rule_hint("duplicate-kye").as_deref(),
            Some("did you mean `duplicate-key` (KW0002)?")
        );
        assert_eq!(
            rule_hint("kw3020").as_deref(),
            Some("did you mean `KW3002` (service-selector-matches-nothing)?")
        );
        assert_eq!(rule_hint("zzzz"), None);
        assert_eq!(rule_hint("KW9999"), None);
    }

    #[test]
    fn most_specific_selector_wins_and_ignore_wins_ties() {
        let mut s = RuleSelection {
            select: Some(sel(&["KW3"])),
            ignore: sel(&["KW3002"]),
            ..RuleSelection::default()
        };
        assert!(s.enabled("KW3001"));
        assert!(!s.enabled("KW3002"));
        assert!(!s.enabled("KW0001"));
        s.select = Some(sel(&["ALL", "KW3002"]));
        s.ignore = sel(&["KW3"]);
        assert!(s.enabled("KW3002"));
        assert!(!s.enabled("KW3001"));
        assert!(s.enabled("KW0001"));
        s.select = None;
        s.ignore = sel(&["workload-selector-mismatch"]);
        assert!(!s.enabled("KW3001"));
        s.select = Some(sel(&["KW3"]));
        s.ignore = sel(&["KW3"]);
        assert!(!s.enabled("KW3001"), "ignore wins a tie");
    }

    #[test]
    fn opt_in_rules_run_only_when_selected() {
        let opt_in = crate::rules::all()
            .into_iter()
            .find(|m| !m.default)
            .expect("at least one opt-in rule")
            .code;
        let family = &opt_in[..3];
        let mut s = RuleSelection::default();
        assert!(!s.enabled(opt_in), "opt-in is off by default");
        assert!(s.enabled("KW3001"), "a default rule is on by default");
        s.ignore = sel(&["KW3"]);
        assert!(!s.enabled(opt_in));
        s.ignore.clear();
        for on in [opt_in, family, "ALL", "KW"] {
            s.select = Some(sel(&[on]));
            assert!(s.enabled(opt_in), "select {on}");
        }
        s.select = Some(sel(&["KW3"]));
        assert!(!s.enabled(opt_in));
        s.select = None;
        s.extend_select = sel(&[opt_in]);
        assert!(s.enabled(opt_in), "extend-select adds it");
        assert!(s.enabled("KW3001"), "and keeps the default set");
        s.ignore = sel(&[opt_in]);
        assert!(!s.enabled(opt_in), "ignore wins a tie");
    }

    #[test]
    fn per_file_ignores_match_path_tails() {
        let s = RuleSelection {
            per_file_ignores: vec![PathIgnore {
                glob: "legacy/**".into(),
                pattern: Pattern::new("legacy/**").unwrap(),
                selectors: sel(&["KW0"]),
            }],
            ..RuleSelection::default()
        };
        assert!(!s.enabled_in("KW0005", "k8s/legacy/a.yaml"));
        assert!(!s.enabled_in("KW0005", "./legacy/a.yaml"));
        assert!(s.enabled_in("KW3001", "legacy/a.yaml"));
        assert!(s.enabled_in("KW0005", "k8s/new/a.yaml"));
    }

    #[test]
    fn severity_overrides_pick_the_most_specific() {
        let s = RuleSelection {
            severity: vec![
                (Selector::parse("KW3").unwrap(), Severity::Info),
                (Selector::parse("KW3001").unwrap(), Severity::Warning),
            ],
            ..RuleSelection::default()
        };
        assert_eq!(s.severity_of("KW3001", Severity::Error), Severity::Warning);
        assert_eq!(s.severity_of("KW3002", Severity::Warning), Severity::Info);
        assert_eq!(s.severity_of("KW0001", Severity::Error), Severity::Error);
    }
}
