//! Which rules offer a fix (`kwire lint --fix`), kept beside the rules'
//! metadata rather than in it, so that `rule_meta!` stays as it is: ruff's
//! "fixable" column of `kwire rules`. `docs/fixes.md` explains each entry;
//! a test checks that every code here is a rule and that a fixture under
//! `fixtures/fix/` shows its fix, and that no other rule offers one.

use crate::catalog::Catalog;
use crate::edit::Text;
use crate::model::Object;

/// How a rule's fixes are marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixable {
    /// Every fix it offers is safe (applied by `--fix`).
    Safe,
    /// Safe or unsafe depending on the finding (`docs/fixes.md` says when).
    Sometimes,
    /// Only unsafe fixes (`--unsafe-fixes`): best guesses to review.
    Unsafe,
}

impl Fixable {
    pub fn as_str(self) -> &'static str {
        match self {
            Fixable::Safe => "safe",
            Fixable::Sometimes => "safe/unsafe",
            Fixable::Unsafe => "unsafe",
        }
    }
}

/// Every rule that can offer a fix, by code.
pub static FIXABLE: &[(&str, Fixable)] = &[
    ("KW0002", Fixable::Sometimes),
    ("KW0008", Fixable::Safe),
    ("KW1001", Fixable::Unsafe),
    ("KW2001", Fixable::Sometimes),
    ("KW2002", Fixable::Sometimes),
    ("KW2003", Fixable::Safe),
    ("KW2004", Fixable::Sometimes),
    ("KW2005", Fixable::Sometimes),
    ("KW2006", Fixable::Safe),
    ("KW2007", Fixable::Safe),
    ("KW2008", Fixable::Safe),
    ("KW3101", Fixable::Unsafe),
    ("KW3201", Fixable::Unsafe),
    ("KW4002", Fixable::Unsafe),
];

/// Whether (and how) rule `code` can fix what it finds.
pub fn fixable(code: &str) -> Option<Fixable> {
    FIXABLE.iter().find(|(c, _)| *c == code).map(|(_, f)| *f)
}

/// The text of the object's file, to build edits on.
pub(crate) fn source<'a>(catalog: &Catalog<'a>, obj: &Object) -> Text<'a> {
    Text::new(catalog.source_text(obj.file))
}

/// `near` is the only candidate as close to `wanted` as it is: a "did you
/// mean" with one answer, which an unsafe fix may write.
pub(crate) fn only_close<'c>(
    wanted: &str,
    near: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> bool {
    let dist = |c: &str| {
        if c.eq_ignore_ascii_case(wanted) {
            0
        } else {
            crate::text::edit_distance_with_swaps(
                &wanted.to_ascii_lowercase(),
                &c.to_ascii_lowercase(),
            )
        }
    };
    let best = dist(near);
    candidates
        .into_iter()
        .filter(|c| *c != near && dist(c) <= best)
        .count()
        == 0
}
