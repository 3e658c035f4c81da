//! kwire's span tree as a JSON instance for the `jsonschema` validator, so
//! that most objects are checked without a `serde_json` copy of them.
//!
//! The view answers exactly what `json::to_json` would produce: keys as
//! `json::key_text`, non-finite floats as null, and (for custom resources
//! and Istio kinds, whose API servers prune them) null members left out.
//! Only `is_valid` runs on it; an object it finds invalid is validated again
//! on its `serde_json` copy to collect the errors, so the findings and their
//! order do not depend on this view.

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node as JsonNode, NodeIdentity, Object};
use serde_json::{Number, Value as Serde};

use crate::parse::{Entry, Node, Value};
use crate::schema::json::{key_text, to_json};

/// The tree representation (one type, so jsonschema's validator code is
/// instantiated once).
pub struct Tree;

/// One node of the view: a tree node (and whether its mappings hide null
/// members, as `drop_nulls` does), or a member name being validated
/// (`propertyNames`).
#[derive(Clone, Copy)]
pub enum TreeNode<'a> {
    Node(&'a Node, bool),
    Name(&'a str),
}

impl<'a> TreeNode<'a> {
    /// The root of an object; `skip_nulls` for kinds whose API server prunes nulls.
    pub fn root(node: &'a Node, skip_nulls: bool) -> Self {
        TreeNode::Node(node, skip_nulls)
    }
}

/// A mapping's members; `skip_nulls` hides null values.
#[derive(Clone, Copy)]
pub struct Members<'a> {
    entries: &'a [Entry],
    skip_nulls: bool,
}

impl<'a> Members<'a> {
    fn visible(&self) -> impl Iterator<Item = &'a Entry> + use<'a> {
        let skip = self.skip_nulls;
        self.entries
            .iter()
            .filter(move |e| !(skip && is_json_null(&e.value)))
    }
}

/// `to_json` turns non-finite floats into null.
fn is_json_null(node: &Node) -> bool {
    match node.value {
        Value::Null => true,
        Value::Float(f) => !f.is_finite(),
        _ => false,
    }
}

fn member_name(key: &Node) -> Cow<'_, str> {
    match key.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(key_text(key)),
    }
}

impl Json for Tree {
    type Node<'a> = TreeNode<'a>;
    type PreparedKey = Box<str>;
    type StringBuffer = ();

    // Members are a slice in document order: scanning a few keys
    // beats preparing a lookup.
    const KEYS_PER_LOOKUP: usize = 4;
    // A tree node is never its own descendant (aliases are copied).
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> Box<str> {
        key.into()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TreeNode<'_>) -> T) -> T {
        f(TreeNode::Name(string))
    }
}

impl<'a> JsonNode<'a, Tree> for TreeNode<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match self {
            TreeNode::Node(node, skip_nulls) => node.as_map().map(|entries| Members {
                entries,
                skip_nulls: *skip_nulls,
            }),
            TreeNode::Name(_) => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match self {
            TreeNode::Node(node, skip_nulls) => node.as_seq().map(|items| Items {
                items,
                skip_nulls: *skip_nulls,
            }),
            TreeNode::Name(_) => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self {
            TreeNode::Node(node, _) => node.as_str().map(Cow::Borrowed),
            TreeNode::Name(name) => Some(Cow::Borrowed(name)),
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self {
            TreeNode::Node(node, _) => match node.value {
                Value::Int(i) => Some(Number::from(i)),
                Value::Float(f) => Number::from_f64(f),
                _ => None,
            },
            TreeNode::Name(_) => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self {
            TreeNode::Node(node, _) => node.as_bool(),
            TreeNode::Name(_) => None,
        }
    }

    fn is_null(&self) -> bool {
        match self {
            TreeNode::Node(node, _) => is_json_null(node),
            TreeNode::Name(_) => false,
        }
    }

    fn json_type(&self) -> JsonType {
        let TreeNode::Node(node, _) = self else {
            return JsonType::String;
        };
        match node.value {
            Value::Bool(_) => JsonType::Boolean,
            Value::Int(_) => JsonType::Number,
            Value::Float(f) if f.is_finite() => JsonType::Number,
            Value::Null | Value::Float(_) => JsonType::Null,
            Value::Str(_) => JsonType::String,
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, Serde> {
        match self {
            TreeNode::Node(node, skip_nulls) => {
                let mut value = to_json(node);
                if *skip_nulls {
                    crate::schema::json::drop_nulls(&mut value);
                }
                Cow::Owned(value)
            }
            TreeNode::Name(name) => Cow::Owned(Serde::String((*name).to_owned())),
        }
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            TreeNode::Node(node, _) => {
                Some(NodeIdentity::new(std::ptr::from_ref::<Node>(node) as usize))
            }
            // Names are leaves: no `$ref` cycle passes through them.
            TreeNode::Name(_) => None,
        }
    }
}

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = TreeNode<'a>;
    type MemberName = Cow<'a, str>;
    type MembersIter = Box<dyn Iterator<Item = (Cow<'a, str>, TreeNode<'a>)> + 'a>;

    fn len(&self) -> usize {
        self.visible().count()
    }

    fn get(&self, key: &Box<str>) -> Option<TreeNode<'a>> {
        self.visible()
            .find(|e| member_name(&e.key) == **key)
            .map(|e| TreeNode::Node(&e.value, self.skip_nulls))
    }

    fn members(&self) -> Self::MembersIter {
        let skip = self.skip_nulls;
        Box::new(
            self.visible()
                .map(move |e| (member_name(&e.key), TreeNode::Node(&e.value, skip))),
        )
    }
}

/// A sequence's items, with the null-hiding flag of their mappings.
#[derive(Clone, Copy)]
pub struct Items<'a> {
    items: &'a [Node],
    skip_nulls: bool,
}

impl<'a> Array<'a, Tree> for Items<'a> {
    type Node = TreeNode<'a>;
    type ElementsIter = Box<dyn Iterator<Item = TreeNode<'a>> + 'a>;

    fn len(&self) -> usize {
        self.items.len()
    }

    fn elements(&self) -> Self::ElementsIter {
        let skip = self.skip_nulls;
        Box::new(self.items.iter().map(move |n| TreeNode::Node(n, skip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_file;
    use crate::source::SourceFile;
    use serde_json::json;

    fn tree(yaml: &str) -> Node {
        let parsed = parse_file(0, &SourceFile::new("t.yaml", yaml.to_string()));
        parsed
            .documents
            .into_iter()
            .next()
            .map(|d| d.root)
            .unwrap_or(Node::new(Default::default(), Value::Null))
    }

    /// The view and the `serde_json` copy agree on every schema and instance here.
    #[test]
    fn agrees_with_the_serde_copy() {
        let schemas = [
            json!({"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": false}),
            json!({"type": "object", "required": ["a", "b"]}),
            json!({"type": "object", "properties": {"a": {"type": ["string", "null"]}}}),
            json!({"type": "array", "items": {"enum": ["x", "y", null]}}),
            json!({"anyOf": [{"type": "string", "pattern": "^[0-9]+m$"}, {"type": "number"}]}),
            json!({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}),
            json!({"type": "object", "additionalProperties": {"type": "boolean"}}),
            json!({"type": "object", "properties": {"n": {"type": "number"}, "i": {"type": "integer"}}}),
            json!({"$defs": {"p": {"type": "object", "properties": {"c": {"$ref": "#/$defs/p"}}, "additionalProperties": false}}, "$ref": "#/$defs/p"}),
            json!({"type": "object", "minProperties": 2, "maxProperties": 3}),
        ];
        let instances = [
            "a: 1",
            "a: '1'",
            "a: 1\nb: 2",
            "a: ~",
            "a: null\nb: x",
            "- x\n- y\n- ~",
            "- x\n- z",
            "100m",
            "1.5",
            ".nan",
            "Abc: 1",
            "abc: true\nd: false",
            "n: .inf\ni: 1.0",
            "n: 1\ni: 2",
            "c:\n  c:\n    c: {}",
            "c:\n  d: 1",
            "80: a\ntrue: b",
            "{}",
            "x: ~\ny: ~",
        ];
        for schema in &schemas {
            let fast = jsonschema::options_for::<Tree>()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(schema)
                .unwrap();
            let slow = jsonschema::draft202012::new(schema).unwrap();
            for text in instances {
                let node = tree(text);
                let mut copy = to_json(&node);
                assert_eq!(
                    fast.is_valid(TreeNode::root(&node, false)),
                    slow.is_valid(&copy),
                    "{schema} on {text:?}"
                );
                crate::schema::json::drop_nulls(&mut copy);
                assert_eq!(
                    fast.is_valid(TreeNode::root(&node, true)),
                    slow.is_valid(&copy),
                    "{schema} without nulls on {text:?}"
                );
            }
        }
    }
}
