//! Stable fingerprints of findings, for baselines (`--baseline`), SARIF
//! `partialFingerprints` and GitLab Code Quality.
//!
//! A fingerprint does not contain a line number, so it survives edits that
//! move an object or a field around a file (or into another file):
//!
//! `CODE:apiVersion/Kind/namespace/name:field.path:N`
//!
//! - the object is the one whose YAML mapping contains the finding;
//! - the field path is the YAML path of the innermost node under the
//!   finding's span inside that object (`spec.template.spec.containers[web].ports[0]`:
//!   sequence items with a `name` are named, others indexed);
//! - `N` counts findings with the same code, object and path (0, 1, ...), in
//!   report order.
//!
//! Findings outside any object (YAML syntax errors, unreadable files) use
//! `CODE:file=PATH::N`.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::{Node, Value};
use crate::source::{FileId, SourceFile, Span};

/// The object of `objects` (sorted by file, then position) whose mapping
/// contains `span` in `file`, in O(log objects): the objects of a file
/// never overlap (documents, and the items of a `List`), so the only
/// candidate is the last one starting at or before `span`.
pub fn owner(objects: &[Object], file: FileId, span: Span) -> Option<&Object> {
    let after = objects.partition_point(|o| (o.file, o.root.span.start) <= (file, span.start));
    let candidate = objects.get(after.checked_sub(1)?)?;
    (candidate.file == file
        && candidate.root.span.start <= span.start
        && span.end <= candidate.root.span.end)
        .then_some(candidate)
}

/// One fingerprint per diagnostic, in order. `objects` must be sorted by
/// (file, span start), as the pipeline produces them.
pub fn fingerprints(
    diagnostics: &[Diagnostic],
    objects: &[Object],
    files: &[SourceFile],
) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let key = match owner(objects, d.file, d.span) {
                Some(obj) => format!(
                    "{}:{}/{}/{}/{}:{}",
                    d.code,
                    obj.api_version(),
                    obj.kind(),
                    obj.namespace(),
                    obj.name(),
                    field_path(&obj.root, d.span)
                ),
                None => {
                    let path = files.get(d.file as usize).map_or("", |f| f.path.as_str());
                    format!("{}:file={path}:", d.code)
                }
            };
            let n = seen.entry(key.clone()).or_insert(0);
            let fp = format!("{key}:{n}");
            *n += 1;
            fp
        })
        .collect()
}

/// The YAML path of the innermost node of `root` that contains `span`:
/// `metadata.labels.app`, `spec.ports[http]`, `spec.containers[0].image`.
/// A span on a key gives the path of that key. Empty for the root.
pub fn field_path(root: &Node, span: Span) -> String {
    let within = |s: Span| s.start <= span.start && span.end <= s.end;
    let mut path = String::new();
    let mut node = root;
    // Each step goes one level down a finite tree, so this ends.
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().find_map(|e| {
                let key = e.key.scalar_text().unwrap_or_default();
                if within(e.key.span) {
                    Some((key, None))
                } else if within(e.value.span) {
                    Some((key, Some(&e.value)))
                } else {
                    None
                }
            }),
            Value::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
                if !within(item.span) {
                    return None;
                }
                let label = item
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_else(|| i.to_string());
                Some((format!("[{label}]"), Some(item)))
            }),
            _ => None,
        };
        let Some((segment, child)) = next else {
            break;
        };
        if !segment.starts_with('[') && !path.is_empty() {
            path.push('.');
        }
        path.push_str(&segment);
        match child {
            Some(c) => node = c,
            None => break,
        }
    }
    path
}

/// 64-bit FNV-1a of `s` as 16 hex digits: short, stable across platforms
/// and releases (the algorithm is fixed here, not std's randomized hasher).
pub fn hash_hex(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn tree(text: &str) -> Node {
        let f = SourceFile::new("x.yaml", text.to_string());
        crate::parse::parse_file(0, &f)
            .documents
            .into_iter()
            .next()
            .unwrap()
            .root
    }

    fn span(text: &str, needle: &str) -> Span {
        let at = text.find(needle).unwrap();
        Span::new(at, at + needle.len())
    }

    #[test]
    fn paths_name_keys_and_items() {
        let text = "kind: Pod\nspec:\n  containers:\n  - name: web\n    ports:\n    - containerPort: 80\n  - image: x\n";
        let root = tree(text);
        assert_eq!(
            field_path(&root, span(text, "80")),
            "spec.containers[web].ports[0].containerPort"
        );
        assert_eq!(
            field_path(&root, span(text, "ports")),
            "spec.containers[web].ports"
        );
        assert_eq!(
            field_path(&root, span(text, "image: x")),
            "spec.containers[1]"
        );
        assert_eq!(
            field_path(&root, span(text, "web")),
            "spec.containers[web].name"
        );
        assert_eq!(field_path(&root, span(text, "kind")), "kind");
    }

    #[test]
    fn hash_is_fnv1a() {
        assert_eq!(hash_hex(""), "cbf29ce484222325");
        assert_eq!(hash_hex("a"), "af63dc4c8601ec8c");
    }
}
