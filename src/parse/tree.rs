//! The span-carrying YAML tree kwire keeps once per document. Views in
//! `model` borrow from it; nothing copies it into a second model.

use compact_str::CompactString;

use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Bytes of the node's content: the scalar token (quotes included), or
    /// the whole collection.
    pub span: Span,
    pub value: Value,
}

/// Scalars are typed the way Kubernetes (go-yaml, YAML 1.1 rules) types them:
/// `yes`/`off` are booleans, `0644` is octal, `~` is null, quoted scalars are
/// always strings. See `parse::scalar`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Inline up to 24 bytes (nearly every key and value of a manifest):
    /// no heap allocation per scalar, and the node stays 32 bytes.
    Str(CompactString),
    /// Boxed slices, not `Vec`s: trees are built once and never grow, and
    /// the 8 bytes a `Vec`'s capacity would take are a fifth of every node.
    Seq(Box<[Node]>),
    Map(Box<[Entry]>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The entry of a mapping whose key is the string `key`. The parser
    /// keeps one entry per key (the last value, as the API server sees it,
    /// after a KW0002 diagnostic), so the first match is the only one.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.as_str() == Some(key))
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Walks a path of mapping keys: `node.path(&["spec", "template"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// String value under `key`, if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// Sequence items under `key` (empty when missing or not a sequence).
    pub fn get_seq(&self, key: &str) -> &[Node] {
        self.get(key).and_then(Node::as_seq).unwrap_or(&[])
    }

    /// Mapping entries under `key` (empty when missing or not a mapping).
    pub fn get_map(&self, key: &str) -> &[Entry] {
        self.get(key).and_then(Node::as_map).unwrap_or(&[])
    }

    /// A short name of the node's type for messages: "a string", "a mapping".
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }

    /// The scalar as text the way it would print ("80", "true", "web").
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.as_str().to_owned()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

// Every document's tree stays in memory for the whole run (about 600,000
// documents at 100k apps): keep a node at 32 bytes, an entry at 64.
const _: () = assert!(std::mem::size_of::<Node>() == 32);
const _: () = assert!(std::mem::size_of::<Entry>() == 64);
