//! Docs live with the rules: every registered rule has `rules/CODE.md` with
//! matching front matter, embedded in the binary, and every doc has a rule.

use std::collections::BTreeSet;
use std::path::Path;

use kwire::rules;

fn front_matter(doc: &str) -> Vec<(String, String)> {
    let rest = doc
        .strip_prefix("---\n")
        .expect("doc starts with front matter");
    let (fm, _) = rest
        .split_once("\n---\n")
        .expect("front matter ends with ---");
    fm.lines()
        .map(|l| {
            let (k, v) = l.split_once(':').expect("key: value");
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect()
}

#[test]
fn every_rule_has_a_doc_and_every_doc_a_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    let registered: BTreeSet<String> = rules::all().iter().map(|m| m.code.to_string()).collect();
    let embedded: BTreeSet<String> = rules::docs::DOCS
        .iter()
        .map(|(c, _)| c.to_string())
        .collect();
    assert_eq!(on_disk, registered, "rules/*.md vs registered rules");
    assert_eq!(embedded, registered, "embedded docs vs registered rules");
}

#[test]
fn front_matter_agrees_with_the_registry() {
    for meta in rules::all() {
        let doc = rules::docs::doc(meta.code).unwrap();
        let fm = front_matter(doc);
        let get = |k: &str| fm.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("code"), Some(meta.code));
        assert_eq!(get("name"), Some(meta.name), "{}", meta.code);
        assert_eq!(
            get("severity"),
            Some(meta.severity.as_str()),
            "{}",
            meta.code
        );
        assert_eq!(
            get("category"),
            Some(meta.category.as_str()),
            "{}",
            meta.code
        );
        let body = rules::docs::body(doc);
        assert!(
            body.starts_with(&format!("# {} {}", meta.code, meta.name)),
            "{} title",
            meta.code
        );
        assert!(
            body.contains("## What it does"),
            "{} needs a What it does section",
            meta.code
        );
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let all = rules::all();
    let codes: BTreeSet<_> = all.iter().map(|m| m.code).collect();
    let names: BTreeSet<_> = all.iter().map(|m| m.name).collect();
    assert_eq!(codes.len(), all.len());
    assert_eq!(names.len(), all.len());
    for m in all {
        assert!(
            m.code.len() == 6
                && m.code.starts_with("KW")
                && m.code[2..].bytes().all(|b| b.is_ascii_digit())
        );
        assert!(
            m.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        );
    }
}

/// `docs/rules.md` maps every rule to the peers' checks: one table with
/// exactly these columns, one row per registered rule (by code, with its
/// name), sorted by code, and no row for a code kwire does not register.
#[test]
fn the_peer_mapping_has_one_row_per_rule() {
    const HEADER: &str = "| Code | Name | kube-linter | kube-score | Polaris | Checkov |";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == HEADER)
        .expect("docs/rules.md has the mapping table with the exact header");
    assert!(
        lines.get(at + 1).is_some_and(|l| l.starts_with("|---")),
        "the header is followed by its separator line"
    );
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in lines.iter().skip(at + 2).take_while(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        assert_eq!(cells.len(), 6, "six cells: {line}");
        assert!(
            cells.iter().all(|c| !c.is_empty()),
            "every cell says something (\"none\" when there is no counterpart): {line}"
        );
        rows.push((cells[0].to_string(), cells[1].to_string()));
    }
    let codes: Vec<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "rows sorted by code, one per code");
    let registered: BTreeSet<&str> = rules::all().iter().map(|m| m.code).collect();
    let documented: BTreeSet<&str> = codes.iter().copied().collect();
    let missing: Vec<_> = registered.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "registered rules without a row in docs/rules.md: {missing:?}"
    );
    assert!(
        unknown.is_empty(),
        "rows in docs/rules.md that name no registered rule: {unknown:?}"
    );
    for (code, name) in &rows {
        let meta = rules::meta(code).unwrap();
        assert_eq!(name, meta.name, "docs/rules.md names {code} wrongly");
    }
}

/// A practice or security rule's doc says which set it is in, and says it
/// the way the metadata does.
#[test]
fn practice_and_security_docs_name_their_set() {
    for meta in rules::all()
        .into_iter()
        .filter(|m| m.code.starts_with("KW5") || m.code.starts_with("KW6"))
    {
        let body = rules::docs::body(rules::docs::doc(meta.code).unwrap());
        let (_, set) = body
            .split_once("## Which set\n")
            .unwrap_or_else(|| panic!("{} needs a Which set section", meta.code));
        let expected = if meta.default {
            "Default set"
        } else {
            "Opt-in set"
        };
        assert!(
            set.starts_with(expected),
            "{}: the doc's Which set must start with {expected:?}",
            meta.code
        );
    }
}

/// The README's rule table has every rule once, with its name, severity
/// and (for opt-in rules) the opt-in mark the metadata gives.
#[test]
fn the_readme_rule_table_matches_the_registry() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for meta in rules::all() {
        let prefix = format!("| {} | ", meta.code);
        let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with(&prefix)).collect();
        assert_eq!(rows.len(), 1, "{}: {rows:?}", meta.code);
        let cells: Vec<&str> = rows[0].split('|').map(str::trim).collect();
        let name = cells.get(2).copied().unwrap_or("");
        assert!(name.starts_with(meta.name), "{}: {name}", meta.code);
        assert_eq!(
            name.contains("opt-in"),
            !meta.default,
            "{}: the opt-in mark of {name:?}",
            meta.code
        );
    }
}
