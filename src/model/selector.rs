//! Label-selector semantics, implemented once, exactly as Kubernetes does
//! (apimachinery `LabelSelectorAsSelector`): every `matchLabels` pair and
//! every `matchExpressions` requirement must hold.

use std::borrow::Cow;

use crate::parse::Node;
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Clone, Debug)]
pub struct Requirement<'a> {
    pub key: &'a str,
    pub op: Operator,
    pub values: Vec<String>,
    pub span: Span,
}

/// A parsed selector that borrows its keys from the YAML tree.
#[derive(Clone, Debug, Default)]
pub struct Selector<'a> {
    pub match_labels: Vec<(&'a str, Cow<'a, str>)>,
    pub expressions: Vec<Requirement<'a>>,
    /// A requirement kwire could not read (unknown operator, non-string key):
    /// such a selector is rejected by the API server, so it matches nothing.
    pub invalid: bool,
}

/// What a pod's label is known to be.
pub enum Lookup<'v> {
    Value(&'v str),
    /// Set by a controller to a value kwire cannot know (a hash, a uid).
    Any,
    /// One of these, per pod (a StatefulSet's pod names).
    OneOf(&'v [String]),
    Absent,
}

/// Label sets as the pairs of a `labels:` mapping.
pub type Labels<'a> = [(&'a str, Cow<'a, str>)];

impl<'a> Selector<'a> {
    /// `metav1.LabelSelector`: `{matchLabels: {...}, matchExpressions: [...]}`.
    pub fn from_label_selector(node: &'a Node) -> Self {
        let mut sel = Selector {
            match_labels: string_pairs(node.get("matchLabels")),
            ..Selector::default()
        };
        for expr in node.get_seq("matchExpressions") {
            let Some(key) = expr.get_str("key") else {
                sel.invalid = true;
                continue;
            };
            let op = match expr.get_str("operator") {
                Some("In") => Operator::In,
                Some("NotIn") => Operator::NotIn,
                Some("Exists") => Operator::Exists,
                Some("DoesNotExist") => Operator::DoesNotExist,
                _ => {
                    sel.invalid = true;
                    continue;
                }
            };
            let values = expr
                .get_seq("values")
                .iter()
                .filter_map(Node::scalar_text)
                .collect();
            sel.expressions.push(Requirement {
                key,
                op,
                values,
                span: expr.span,
            });
        }
        sel
    }

    /// A plain map selector (Service `spec.selector`, ReplicationController).
    pub fn from_map(node: &'a Node) -> Self {
        Selector {
            match_labels: string_pairs(Some(node)),
            ..Selector::default()
        }
    }

    /// No requirement at all: matches every pod (`podSelector: {}`).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty() && !self.invalid
    }

    pub fn matches(&self, labels: &Labels<'_>) -> bool {
        if self.invalid {
            return false;
        }
        let get = |key: &str| {
            labels
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.as_ref())
        };
        let listed = |values: &[String], v: &str| values.iter().any(|x| x == v);
        self.match_labels
            .iter()
            .all(|(k, v)| get(k) == Some(v.as_ref()))
            && self.expressions.iter().all(|r| match r.op {
                Operator::In => get(r.key).is_some_and(|v| listed(&r.values, v)),
                Operator::NotIn => get(r.key).is_none_or(|v| !listed(&r.values, v)),
                Operator::Exists => get(r.key).is_some(),
                Operator::DoesNotExist => get(r.key).is_none(),
            })
    }

    /// Matching where some labels are only known as a set of possible
    /// values: the labels a controller adds to the pods it creates.
    pub fn matches_with<'v>(&self, lookup: impl Fn(&str) -> Lookup<'v>) -> bool {
        if self.invalid {
            return false;
        }
        let equals = |key: &str, want: &str| match lookup(key) {
            Lookup::Value(v) => v == want,
            Lookup::Any => true,
            Lookup::OneOf(set) => set.iter().any(|x| x == want),
            Lookup::Absent => false,
        };
        self.match_labels.iter().all(|(k, v)| equals(k, v))
            && self.expressions.iter().all(|r| match r.op {
                Operator::In => r.values.iter().any(|v| equals(r.key, v)),
                Operator::NotIn => match lookup(r.key) {
                    Lookup::Value(v) => !r.values.iter().any(|x| x == v),
                    Lookup::OneOf(set) => set.iter().any(|x| !r.values.contains(x)),
                    Lookup::Any | Lookup::Absent => true,
                },
                Operator::Exists => !matches!(lookup(r.key), Lookup::Absent),
                Operator::DoesNotExist => matches!(lookup(r.key), Lookup::Absent),
            })
    }

    /// `app=web,tier in (a,b)` for messages.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.expressions {
            parts.push(match r.op {
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.to_string(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        parts.join(",")
    }
}

/// `key: value` pairs of a mapping; values that are not strings are taken
/// by their text (the API server rejects them, KW0008 says so).
pub fn string_pairs(node: Option<&Node>) -> Vec<(&str, Cow<'_, str>)> {
    let Some(entries) = node.and_then(Node::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|e| {
            let value = match e.value.as_str() {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(e.value.scalar_text().unwrap_or_default()),
            };
            Some((e.key.as_str()?, value))
        })
        .collect()
}

/// `a=1,b=2` for messages.
pub fn describe_labels(labels: &Labels<'_>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}
