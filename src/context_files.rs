//! `--context` files are loaded to resolve references, never reported on:
//! every finding of a run is placed in a reported file.
//!
//! A rule places a finding on the object it is about, which may be an
//! unchanged object of a context file broken by a reported file (the
//! changed Deployment's labels no longer match the Service in a context
//! file). Such a finding is moved onto its first related location in a
//! reported file, and its old place becomes a related location, so it is
//! shown, suppressed and fingerprinted where the change is. A finding with
//! no related location in a reported file is dropped. KW0009 (an unreadable
//! input) stays where it is: it fails the run whichever file it names.

use crate::diagnostic::{Diagnostic, Related};
use crate::fingerprint::owner;
use crate::model::Object;
use crate::source::FileId;

/// Moves or drops the findings placed in context files (see the module
/// doc). `objects` are the run's objects sorted by file and position;
/// returns whether a finding moved (the caller sorts again).
pub fn place_in_reported_files(
    diagnostics: &mut Vec<Diagnostic>,
    objects: &[Object],
    is_reported: impl Fn(FileId) -> bool,
) -> bool {
    let mut moved = false;
    diagnostics.retain_mut(|d| {
        if is_reported(d.file) || d.code == "KW0009" {
            return true;
        }
        let Some(at) = d.related.iter().position(|r| is_reported(r.file)) else {
            return false;
        };
        let target = d.related.remove(at);
        let old = Related {
            file: d.file,
            span: d.span,
            message: match d.label.take() {
                Some(label) => format!("{label} (the object this is about, in a --context file)"),
                None => "the object this is about (in a --context file)".to_string(),
            },
        };
        d.related.insert(0, old);
        d.file = target.file;
        d.span = target.span;
        d.label = Some(target.message);
        // Its edits are in the context file, which is never written.
        d.fix = None;
        d.object = owner(objects, d.file, d.span).map(Object::object_ref);
        moved = true;
        true
    });
    moved
}
