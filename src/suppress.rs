//! Suppressions written next to the manifests:
//!
//! - object annotation `kwire.io/ignore: "KW3101,KW3108"` (or `all`): the
//!   object's findings with those codes;
//! - line comment `# kwire: ignore[KW3101]` at the end of a line (that
//!   line) or alone on a line (the next line); `# kwire: ignore` alone
//!   suppresses every code there;
//! - file comment `# kwire: ignore-file[KW5]` anywhere in the file (or
//!   `# kwire: ignore-file` for everything).
//!
//! Codes may be full codes, prefixes or rule names, as in `.kwire.yaml`.
//! Malformed directives are KW0014; with `--report-unused-ignores`, a
//! directive (or a code in it) that suppressed nothing is KW0013.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Object;
use crate::parse::Comment;
use crate::selection::Selector;
use crate::source::{FileId, SourceFile, Span};

pub const ANNOTATION: &str = "kwire.io/ignore";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// 0-based line index.
    Line(usize),
    File,
    /// An object's mapping.
    Object(Span),
}

#[derive(Debug)]
pub struct Directive {
    file: FileId,
    /// The comment, or the annotation's value.
    span: Span,
    scope: Scope,
    /// Empty: every code.
    selectors: Vec<Selector>,
    /// Per selector (or one flag for an every-code directive).
    used: Vec<bool>,
}

impl Directive {
    fn new(file: FileId, span: Span, scope: Scope, selectors: Vec<Selector>) -> Self {
        let used = vec![false; selectors.len().max(1)];
        Directive {
            file,
            span,
            scope,
            selectors,
            used,
        }
    }

    fn covers(&self, file: &SourceFile, d: &Diagnostic) -> bool {
        match &self.scope {
            Scope::File => true,
            Scope::Line(line) => file.line_index(d.span.start as usize) == *line,
            Scope::Object(span) => span.start <= d.span.start && d.span.end <= span.end,
        }
    }

    /// Marks what matched `code`; true if the directive suppresses it.
    fn suppress(&mut self, code: &str) -> bool {
        if self.selectors.is_empty() {
            if let Some(u) = self.used.first_mut() {
                *u = true;
            }
            return true;
        }
        let mut hit = false;
        for (s, used) in self.selectors.iter().zip(self.used.iter_mut()) {
            if s.matches(code) {
                *used = true;
                hit = true;
            }
        }
        hit
    }
}

/// Parses the text of a comment (after `#`). `None`: not a kwire directive.
/// `Some(Err)`: a malformed one.
/// A parsed directive: file-wide?, its selectors, errors for unknown codes.
type ParsedDirective = (bool, Vec<Selector>, Vec<String>);

fn parse_comment(text: &str) -> Option<Result<ParsedDirective, String>> {
    let rest = text.trim_start().strip_prefix("kwire:")?.trim_start();
    let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("ignore") {
        (false, r)
    } else {
        let word = rest.split_whitespace().next().unwrap_or("");
        return Some(Err(format!(
            "unknown kwire directive `{word}`; expected `kwire: ignore[CODES]` or `kwire: ignore-file[CODES]`"
        )));
    };
    let Some(list) = rest.strip_prefix('[') else {
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            return Some(Ok((file_wide, Vec::new(), Vec::new())));
        }
        return Some(Err(
            "expected `[` after `ignore` (e.g. `# kwire: ignore[KW3101]`) or nothing to ignore every code".into(),
        ));
    };
    let Some((inner, _reason)) = list.split_once(']') else {
        return Some(Err("missing `]` at the end of the code list".into()));
    };
    let mut selectors = Vec::new();
    let mut errors = Vec::new();
    for item in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match Selector::parse(item) {
            Ok(s) => selectors.push(s),
            Err(e) => errors.push(e),
        }
    }
    if selectors.is_empty() && errors.is_empty() {
        return Some(Err(
            "empty code list; write `ignore` without brackets to ignore every code".into(),
        ));
    }
    Some(Ok((file_wide, selectors, errors)))
}

fn invalid(file: FileId, span: Span, message: String) -> Diagnostic {
    Diagnostic::new("KW0014", Severity::Warning, file, span, message).with_help(
        "write `# kwire: ignore[KW3101,KW2]`, `# kwire: ignore-file[KW2]` or the annotation kwire.io/ignore: \"KW3101\"",
    )
}

/// Every directive of the input, and KW0014 for malformed ones.
/// `comments[file]` are the parser's `kwire:` comments of that file.
pub fn collect(
    files: &[SourceFile],
    comments: &[(FileId, Vec<Comment>)],
    objects: &[Object],
) -> (Vec<Directive>, Vec<Diagnostic>) {
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    for (file, list) in comments {
        let Some(source) = files.get(*file as usize) else {
            continue;
        };
        for c in list {
            let Some(parsed) = parse_comment(&c.text) else {
                continue;
            };
            let (file_wide, selectors, errors) = match parsed {
                Ok(p) => p,
                Err(e) => {
                    problems.push(invalid(*file, c.span, e));
                    continue;
                }
            };
            // Only unknown codes: suppress nothing rather than everything.
            let only_errors = selectors.is_empty() && !errors.is_empty();
            for e in errors {
                problems.push(invalid(*file, c.span, e));
            }
            if only_errors {
                continue;
            }
            let line = source.line_index(c.span.start as usize);
            let before = source
                .text
                .get(source.line_start(line)..c.span.start as usize)
                .unwrap_or("");
            let scope = if file_wide {
                Scope::File
            } else if before.trim().is_empty() {
                Scope::Line(line + 1)
            } else {
                Scope::Line(line)
            };
            directives.push(Directive::new(*file, c.span, scope, selectors));
        }
    }
    for obj in objects {
        let Some(value) = obj
            .metadata()
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(ANNOTATION))
        else {
            continue;
        };
        let Some(text) = value.as_str() else {
            continue;
        };
        let mut selectors = Vec::new();
        let mut every = false;
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item.eq_ignore_ascii_case("all") {
                every = true;
                continue;
            }
            match Selector::parse(item) {
                Ok(s) => selectors.push(s),
                Err(e) => problems
                    .push(invalid(obj.file, value.span, e).with_object(Some(obj.object_ref()))),
            }
        }
        if every || !selectors.is_empty() {
            if every {
                selectors.clear();
            }
            directives.push(Directive::new(
                obj.file,
                value.span,
                Scope::Object(obj.root.span),
                selectors,
            ));
        } else if text.trim().is_empty() {
            problems.push(
                invalid(
                    obj.file,
                    value.span,
                    format!(
                        "annotation {ANNOTATION} is empty; list codes (\"KW3101,KW2\") or write \"all\""
                    ),
                )
                .with_object(Some(obj.object_ref())),
            );
        }
    }
    (directives, problems)
}

/// The directives of one file, indexed by scope so that looking up the
/// ones that may cover a finding costs O(log directives), not a scan.
#[derive(Default)]
struct FileDirectives {
    file_wide: Vec<usize>,
    by_line: HashMap<usize, Vec<usize>>,
    /// (object span start, directive), sorted; object spans never overlap.
    by_object: Vec<(u32, usize)>,
}

/// Drops suppressed diagnostics (marking the directives that did it).
/// Returns how many were suppressed.
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    directives: &mut [Directive],
    files: &[SourceFile],
) -> usize {
    let mut by_file: HashMap<FileId, FileDirectives> = HashMap::new();
    for (i, d) in directives.iter().enumerate() {
        let entry = by_file.entry(d.file).or_default();
        match &d.scope {
            Scope::File => entry.file_wide.push(i),
            Scope::Line(line) => entry.by_line.entry(*line).or_default().push(i),
            Scope::Object(span) => entry.by_object.push((span.start, i)),
        }
    }
    for index in by_file.values_mut() {
        index.by_object.sort_unstable();
    }
    let before = diagnostics.len();
    let mut candidates: Vec<usize> = Vec::new();
    diagnostics.retain(|d| {
        let (Some(index), Some(file)) = (by_file.get(&d.file), files.get(d.file as usize)) else {
            return true;
        };
        candidates.clear();
        candidates.extend(&index.file_wide);
        let line = file.line_index(d.span.start as usize);
        if let Some(ids) = index.by_line.get(&line) {
            candidates.extend(ids);
        }
        // Every directive of the last object starting at or before the finding.
        let after = index.by_object.partition_point(|(s, _)| *s <= d.span.start);
        if let Some(&(start, _)) = after.checked_sub(1).and_then(|i| index.by_object.get(i)) {
            let first = index.by_object.partition_point(|(s, _)| *s < start);
            candidates.extend(
                index
                    .by_object
                    .get(first..after)
                    .unwrap_or(&[])
                    .iter()
                    .map(|(_, i)| *i),
            );
        }
        // In directive order, as before the index: each one marks its use.
        candidates.sort_unstable();
        let mut suppressed = false;
        for &i in &candidates {
            if let Some(dir) = directives.get_mut(i)
                && dir.covers(file, d)
                && dir.suppress(d.code)
            {
                suppressed = true;
            }
        }
        !suppressed
    });
    before - diagnostics.len()
}

/// KW0013 for every directive (or code in one) that suppressed nothing.
pub fn unused(directives: &[Directive], files: &[SourceFile]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for dir in directives {
        let what = match &dir.scope {
            Scope::Object(_) => format!("annotation {ANNOTATION}"),
            Scope::File => "file suppression".to_string(),
            Scope::Line(_) => "line suppression".to_string(),
        };
        let text = files
            .get(dir.file as usize)
            .map_or("", |f| f.slice(dir.span))
            .trim();
        if dir.selectors.is_empty() {
            if dir.used.first() == Some(&false) {
                out.push(
                    Diagnostic::new(
                        "KW0013",
                        Severity::Warning,
                        dir.file,
                        dir.span,
                        format!("{what} `{text}` suppressed nothing"),
                    )
                    .with_help("remove it: the findings it was written for are gone"),
                );
            }
            continue;
        }
        let unused: Vec<String> = dir
            .selectors
            .iter()
            .zip(&dir.used)
            .filter(|(_, used)| !**used)
            .map(|(s, _)| s.to_string())
            .collect();
        if unused.is_empty() {
            continue;
        }
        let message = if unused.len() == dir.selectors.len() {
            format!("{what} `{text}` suppressed nothing")
        } else {
            format!(
                "{} in {what} `{text}` suppressed nothing",
                unused.join(", ")
            )
        };
        out.push(
            Diagnostic::new("KW0013", Severity::Warning, dir.file, dir.span, message).with_help(
                format!(
                    "remove {}: no such finding is there any more",
                    unused.join(", ")
                ),
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        let ok = |t: &str| parse_comment(t).unwrap().unwrap();
        assert_eq!(ok(" kwire: ignore[KW3001, KW0]").1.len(), 2);
        assert!(!ok(" kwire: ignore[KW3001] reason: legacy").0);
        assert!(ok(" kwire: ignore-file[KW5]").0);
        assert!(ok(" kwire: ignore").1.is_empty());
        assert!(parse_comment(" see kwire: docs").is_none());
        assert!(parse_comment(" kwire: ignor[KW3001]").unwrap().is_err());
        assert!(parse_comment(" kwire: ignore[KW3001").unwrap().is_err());
        assert!(parse_comment(" kwire: ignoreKW3001").unwrap().is_err());
        assert_eq!(ok(" kwire: ignore[KW9999, KW3001]").2.len(), 1);
    }
}
