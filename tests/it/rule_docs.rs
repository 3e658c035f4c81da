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
