//! KW1xxx: schema validation against the bundled Kubernetes schemas, the
//! CustomResourceDefinitions in the input and `--schema-dir` schemas.
//!
//! One validation pass per object produces every KW1xxx code, so the codes
//! share one `Check` (`validation::Rule`, registered under KW1001); the other
//! codes' metadata lives here and joins the registry through `OTHER_CODES`.

pub mod validation;

use crate::rules::{RuleMeta, rule_meta};

pub static UNKNOWN_FIELD: RuleMeta = rule_meta!(
    "KW1001",
    "unknown-field",
    Schema,
    Error,
    "A field the object's schema does not define (a typo, or the wrong level)"
);

pub static WRONG_TYPE: RuleMeta = rule_meta!(
    "KW1002",
    "wrong-type",
    Schema,
    Error,
    "A field holds the wrong type of value (a string where an integer belongs, ...)"
);

pub static MISSING_REQUIRED: RuleMeta = rule_meta!(
    "KW1003",
    "missing-required-schema-field",
    Schema,
    Error,
    "A field the schema requires is missing"
);

pub static INVALID_VALUE: RuleMeta = rule_meta!(
    "KW1004",
    "invalid-value",
    Schema,
    Error,
    "A value is not one the field allows (enum, quantity syntax, range, pattern)"
);

pub static MISSING_SCHEMA: RuleMeta = rule_meta!(
    "KW1005",
    "missing-schema",
    Schema,
    Info,
    "No schema is known for a kind, so its fields are not checked (once per kind)"
);

pub static UNKNOWN_KIND: RuleMeta = rule_meta!(
    "KW1006",
    "unknown-kind",
    Schema,
    Error,
    "A built-in apiVersion has no such kind"
);

/// The KW1xxx codes other than the check's own (KW1001).
pub static OTHER_CODES: &[&RuleMeta] = &[
    &WRONG_TYPE,
    &MISSING_REQUIRED,
    &INVALID_VALUE,
    &MISSING_SCHEMA,
    &UNKNOWN_KIND,
];

/// The candidate nearest to `wanted` when it is a plausible misspelling
/// (same letters in another case, or few edits apart).
pub(crate) fn nearest<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = wanted.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_ascii_lowercase() == lower {
            0
        } else {
            crate::text::edit_distance_with_swaps(&lower, &c.to_ascii_lowercase())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        let names = ["port", "protocol", "targetPort", "name"];
        assert_eq!(nearest("protoco", names), Some("protocol"));
        assert_eq!(nearest("targetport", names), Some("targetPort"));
        assert_eq!(nearest("replicas", names), None);
        assert_eq!(nearest("tcp", ["TCP", "UDP", "SCTP"]), Some("TCP"));
        assert_eq!(nearest("hots", ["host", "subsets"]), Some("host"));
    }
}
