//! kwire's span tree to JSON for the validator, and back: a JSON pointer
//! from a validation error to the node (and key) it names.

use serde_json::{Map, Number, Value as Json};

use crate::parse::{Node, Value};

/// The node as the JSON the API server would decode (YAML 1.1 typing
/// already applied by the parser).
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.as_str().to_owned()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for e in entries {
                map.insert(key_text(&e.key), to_json(&e.value));
            }
            Json::Object(map)
        }
    }
}

/// Removes null members of every mapping, as the API server prunes them
/// from custom resources before validating.
pub fn drop_nulls(value: &mut Json) {
    match value {
        Json::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Json::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// A mapping key as JSON sees it.
pub fn key_text(key: &Node) -> String {
    key.scalar_text().unwrap_or_else(|| "null".to_string())
}

/// What a pointer leads to: the node, the key node of the entry that holds
/// it (None for sequence items and the root) and a readable field path.
pub struct Target<'n> {
    pub node: &'n Node,
    pub key: Option<&'n Node>,
    /// `spec.ports[0].protocol` ("" for the root).
    pub path: String,
}

/// Walks `segments` (already unescaped) from `root`. Stops at the deepest
/// node that exists.
pub fn resolve<'n, S: AsRef<str>>(root: &'n Node, segments: &[S]) -> Target<'n> {
    let mut target = Target {
        node: root,
        key: None,
        path: String::new(),
    };
    for seg in segments {
        let seg = seg.as_ref();
        match &target.node.value {
            Value::Map(entries) => {
                let Some(entry) = entries.iter().find(|e| key_text(&e.key) == seg) else {
                    break;
                };
                if !target.path.is_empty() {
                    target.path.push('.');
                }
                target.path.push_str(seg);
                target.key = Some(&entry.key);
                target.node = &entry.value;
            }
            Value::Seq(items) => {
                let Some(item) = seg.parse::<usize>().ok().and_then(|i| items.get(i)) else {
                    break;
                };
                target.path.push_str(&format!("[{seg}]"));
                target.key = None;
                target.node = item;
            }
            _ => break,
        }
    }
    target
}

/// A field path for messages: `spec.ports[0]`, or "the object" for the root.
pub fn describe_path(path: &str) -> &str {
    if path.is_empty() { "the object" } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_file;
    use crate::source::SourceFile;

    fn doc(text: &str) -> Node {
        let src = SourceFile::new("t.yaml".to_string(), text.to_string());
        let mut parsed = parse_file(0, &src);
        parsed.documents.remove(0).root
    }

    #[test]
    fn converts_with_yaml11_types() {
        let root = doc("a: yes\nb: 0644\nc: \"80\"\nd: [1, 2.5, ~]\n");
        assert_eq!(
            to_json(&root),
            serde_json::json!({"a": true, "b": 420, "c": "80", "d": [1, 2.5, null]})
        );
    }

    #[test]
    fn pointer_maps_to_spans_through_arrays() {
        let text = "spec:\n  ports:\n  - port: 80\n    protoco: TCP\n";
        let root = doc(text);
        let t = resolve(&root, &["spec", "ports", "0", "protoco"]);
        assert_eq!(t.path, "spec.ports[0].protoco");
        let key = t.key.expect("key");
        assert_eq!(
            &text[key.span.start as usize..key.span.end as usize],
            "protoco"
        );
        assert_eq!(
            &text[t.node.span.start as usize..t.node.span.end as usize],
            "TCP"
        );
    }

    #[test]
    fn pointer_stops_at_the_deepest_existing_node() {
        let root = doc("spec:\n  ports:\n  - port: 80\n");
        let t = resolve(&root, &["spec", "ports", "3", "port"]);
        assert_eq!(t.path, "spec.ports");
        let t = resolve(&root, &["spec", "ports", "0"]);
        assert_eq!(t.path, "spec.ports[0]");
        assert!(t.key.is_none());
    }
}
