//! Fixes as data (ruff's `Fix`/`Edit`/`Applicability`) and the helpers
//! rules build them with: minimal text edits on byte spans of the source,
//! so that everything outside the edited ranges (comments, key order,
//! quoting, indentation, line breaks, the other documents) is kept byte for
//! byte. `crate::fix` applies them and re-lints; a rule only describes.

use crate::parse::{Entry, Node, Value};
use crate::source::Span;

/// Whether `kwire lint --fix` applies a fix on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// A best guess a person should review: applied only with `--unsafe-fixes`.
    Unsafe,
    /// The manifest means the same to the API server of the target version.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` by `text` (an insertion when `span` is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn replace(span: Span, text: impl Into<String>) -> Self {
        Edit {
            span,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(Span::new(at, at), text)
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, String::new())
    }

    /// Whether two edits touch the same bytes. Two insertions at the same
    /// point conflict too (their order would be a guess), and so does an
    /// insertion at either end of a replaced range.
    pub fn overlaps(&self, other: &Edit) -> bool {
        let (a, b) = (self.span, other.span);
        if a.is_empty() || b.is_empty() {
            return a.start <= b.end && b.start <= a.end;
        }
        a.start < b.end && b.start < a.end
    }
}

/// A finding's fix: every edit is applied, or none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for the per-file summary ("write apps/v1").
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by position, never overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix of these edits; `None` when there are none or two overlap
    /// (a rule that cannot say what to do offers nothing).
    pub fn new(
        applicability: Applicability,
        title: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Option<Fix> {
        if edits.is_empty() {
            return None;
        }
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        if edits.windows(2).any(|w| match w {
            [a, b] => a.overlaps(b),
            _ => false,
        }) {
            return None;
        }
        Some(Fix {
            title: title.into(),
            applicability,
            edits,
        })
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(Applicability::Safe, title, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Option<Fix> {
        Fix::new(Applicability::Unsafe, title, edits)
    }

    /// The first byte the fix touches.
    pub fn start(&self) -> u32 {
        self.edits.first().map_or(0, |e| e.span.start)
    }
}

/// `text` with `edits` applied. The edits must be sorted and must not
/// overlap; one out of range or off a character boundary is skipped.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0usize;
    for e in edits {
        let (start, end) = (e.span.start as usize, e.span.end as usize);
        let (Some(before), Some(_)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&e.text);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// The source text of one file, read for edits: where lines start and
/// end, which line break the file writes, how deep it indents.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    pub text: &'a str,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Self {
        Text { text }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The text of a span ("" when out of range).
    pub fn slice(&self, span: Span) -> &'a str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// Byte offset where the line holding `pos` starts.
    pub fn line_start(&self, pos: usize) -> usize {
        let b = self.bytes();
        let mut i = pos.min(b.len());
        while i > 0 {
            match b.get(i - 1) {
                Some(b'\n') | Some(b'\r') => break,
                _ => i -= 1,
            }
        }
        i
    }

    /// Byte offset just past the line break ending the line holding `pos`
    /// (the end of the text on the last line).
    pub fn next_line(&self, pos: usize) -> usize {
        let b = self.bytes();
        let mut i = pos.min(b.len());
        while let Some(&c) = b.get(i) {
            if c == b'\n' {
                return i + 1;
            }
            if c == b'\r' {
                return if b.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
            }
            i += 1;
        }
        i
    }

    /// Bytes between the line start and `pos`: the indentation of a key
    /// that starts there (a sequence item's `- ` counts, as YAML counts it).
    pub fn column(&self, pos: usize) -> usize {
        pos.saturating_sub(self.line_start(pos))
    }

    /// Only spaces between the start of its line and `pos`.
    pub fn starts_line(&self, pos: usize) -> bool {
        let start = self.line_start(pos);
        self.text
            .get(start..pos)
            .is_some_and(|s| s.bytes().all(|c| c == b' '))
    }

    /// Nothing but blanks, or a comment, between `pos` and the end of its line.
    pub fn rest_is_blank(&self, pos: usize) -> bool {
        let end = self.next_line(pos);
        let rest = self.text.get(pos..end).unwrap_or("");
        let rest = rest.trim_start_matches([' ', '\t']);
        rest.is_empty() || rest.starts_with('#') || rest.starts_with(['\n', '\r'])
    }

    /// The line break the file writes: the first one, `\n` in a file without.
    pub fn newline(&self) -> &'static str {
        match self.text.find(['\n', '\r']) {
            Some(i) if self.bytes().get(i) == Some(&b'\r') => {
                if self.bytes().get(i + 1) == Some(&b'\n') {
                    "\r\n"
                } else {
                    "\r"
                }
            }
            _ => "\n",
        }
    }

    /// A collection written in flow style (`{a: 1}`, `[a]`).
    pub fn is_flow(&self, node: &Node) -> bool {
        matches!(
            self.bytes().get(node.span.start as usize),
            Some(b'{' | b'[')
        )
    }

    /// A block mapping with at least one entry.
    pub fn is_block_map(&self, node: &Node) -> bool {
        matches!(&node.value, Value::Map(e) if !e.is_empty()) && !self.is_flow(node)
    }

    /// Where an entry's text ends: after its value, or after the `:` of a
    /// key with no value.
    fn entry_end(&self, entry: &Entry) -> usize {
        let value = entry.value.span;
        if value.is_empty() && entry.value.is_null() {
            let after = entry.key.span.end as usize;
            return if self.bytes().get(after) == Some(&b':') {
                after + 1
            } else {
                after
            };
        }
        value.end as usize
    }

    /// The whole lines of a block entry, line break included: `None` when
    /// the key does not start its line (a `- key:` item, a flow mapping)
    /// or something but a comment follows the value on its last line.
    pub fn entry_lines(&self, entry: &Entry) -> Option<Span> {
        let key = entry.key.span.start as usize;
        if !self.starts_line(key) {
            return None;
        }
        let end = self.entry_end(entry);
        // A block scalar or collection may end with its line break.
        let ends_line = end > 0 && matches!(self.bytes().get(end - 1), Some(b'\n' | b'\r'));
        let end = if ends_line {
            end
        } else {
            if !self.rest_is_blank(end) {
                return None;
            }
            self.next_line(end)
        };
        Some(Span::new(self.line_start(key), end))
    }

    /// The comment after an entry's value on its last line, with the
    /// blanks before it (`"   # why"`), to carry over to a rewritten line.
    pub fn trailing_comment(&self, entry: &Entry) -> &'a str {
        let end = self.entry_end(entry);
        let line_end = self.next_line(end);
        let rest = self
            .text
            .get(end..line_end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        if rest.trim_start_matches([' ', '\t']).starts_with('#') {
            rest
        } else {
            ""
        }
    }

    /// Deletes an entry's lines.
    pub fn delete_entry(&self, entry: &Entry) -> Option<Edit> {
        self.entry_lines(entry).map(Edit::delete)
    }

    /// Renames a key, keeping its value and everything around it.
    pub fn rename_key(&self, entry: &Entry, new: &str) -> Edit {
        Edit::replace(entry.key.span, new)
    }

    /// Lines written at `indent` columns, each ended by the file's line break.
    pub fn lines(&self, indent: usize, lines: &[String]) -> String {
        let nl = self.newline();
        let pad = " ".repeat(indent);
        let mut out = String::new();
        for l in lines {
            out.push_str(&pad);
            out.push_str(l);
            out.push_str(nl);
        }
        out
    }

    /// Inserts `lines` (relative indentation kept) after an entry, at its
    /// key's indentation: the new keys are its siblings.
    pub fn insert_after(&self, entry: &Entry, lines: &[String]) -> Option<Edit> {
        let key = entry.key.span.start as usize;
        let end = self.entry_end(entry);
        let ends_line = end > 0 && matches!(self.bytes().get(end - 1), Some(b'\n' | b'\r'));
        let at = if ends_line {
            end
        } else {
            if !self.rest_is_blank(end) {
                return None;
            }
            self.next_line(end)
        };
        let mut text = self.lines(self.column(key), lines);
        // The last line of the file may have no line break.
        if at == self.text.len() && !ends_line && !self.text.is_empty() {
            let last = self.bytes().last().copied();
            if !matches!(last, Some(b'\n' | b'\r')) {
                text = format!("{}{}", self.newline(), text.trim_end_matches(['\n', '\r']));
            }
        }
        Some(Edit::insert(at, text))
    }

    /// Inserts `lines` before an entry whose key starts its line, at its
    /// indentation.
    pub fn insert_before(&self, entry: &Entry, lines: &[String]) -> Option<Edit> {
        let key = entry.key.span.start as usize;
        if !self.starts_line(key) {
            return None;
        }
        Some(Edit::insert(
            self.line_start(key),
            self.lines(self.column(key), lines),
        ))
    }

    /// Inserts sibling lines into a block mapping: after `after` when it is
    /// one of its entries, else after the last entry.
    pub fn insert_into(&self, map: &Node, lines: &[String]) -> Option<Edit> {
        if !self.is_block_map(map) {
            return None;
        }
        let last = map.as_map()?.last()?;
        self.insert_after(last, lines)
    }

    /// How many columns a nested mapping of `root` is indented by (the
    /// first one found; 2 when there is none).
    pub fn indent_step(&self, root: &Node) -> usize {
        fn find(t: &Text<'_>, node: &Node, depth: usize) -> Option<usize> {
            if depth > 8 {
                return None;
            }
            for e in node.as_map().unwrap_or(&[]) {
                if t.is_block_map(&e.value)
                    && t.starts_line(e.key.span.start as usize)
                    && let Some(child) = e.value.as_map().and_then(|m| m.first())
                {
                    let (p, c) = (
                        t.column(e.key.span.start as usize),
                        t.column(child.key.span.start as usize),
                    );
                    if c > p {
                        return Some(c - p);
                    }
                }
                if let Some(step) = find(t, &e.value, depth + 1) {
                    return Some(step);
                }
            }
            None
        }
        if !self.is_block_map(root) {
            return 2;
        }
        find(self, root, 0).unwrap_or(2)
    }

    /// Replaces a one-line scalar by `new`, in the same quoting style
    /// (`"..."`, `'...'` or plain); `None` for a block or multi-line scalar.
    pub fn replace_scalar(&self, node: &Node, new: &str) -> Option<Edit> {
        let old = self.scalar(node)?;
        let text = if old.starts_with('"') {
            format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\""))
        } else if old.starts_with('\'') {
            format!("'{}'", new.replace('\'', "''"))
        } else {
            new.to_string()
        };
        Some(Edit::replace(node.span, text))
    }

    /// A scalar's source text, quoting kept, when it sits on one line.
    pub fn scalar(&self, node: &Node) -> Option<&'a str> {
        if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
            return None;
        }
        let s = self.slice(node.span);
        (!s.is_empty() && !s.contains(['\n', '\r']) && !s.starts_with(['|', '>', '&', '*', '!']))
            .then_some(s)
    }
}

/// Two nodes with the same content (spans ignored): the duplicate key
/// whose two values are equal.
pub fn same_content(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_content(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| same_content(&p.key, &q.key) && same_content(&p.value, &q.value))
        }
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_file;
    use crate::source::SourceFile;

    fn root(text: &str) -> Node {
        let f = SourceFile::new("x.yaml", text.to_string());
        let parsed = parse_file(0, &f);
        parsed
            .documents
            .into_iter()
            .next()
            .map(|d| d.root)
            .unwrap_or(Node::new(Span::default(), Value::Null))
    }

    fn run(text: &str, edits: &[Edit]) -> String {
        let refs: Vec<&Edit> = edits.iter().collect();
        apply(text, &refs)
    }

    #[test]
    fn delete_and_insert_keep_everything_else() {
        let text = "a: 1  # one\nb:\n  c: 2\n  d: [x]\ne: 3\r\n";
        let r = root(text);
        let t = Text::new(text);
        let map = r.as_map().unwrap();
        let del = t.delete_entry(&map[1]).unwrap();
        assert_eq!(run(text, &[del]), "a: 1  # one\ne: 3\r\n");
        let ins = t.insert_after(&map[0], &["z: 9".to_string()]).unwrap();
        assert_eq!(
            run(text, &[ins]),
            "a: 1  # one\nz: 9\nb:\n  c: 2\n  d: [x]\ne: 3\r\n"
        );
        let nested = map[1].value.as_map().unwrap();
        let ins = t.insert_before(&nested[1], &["y: 0".to_string()]).unwrap();
        assert_eq!(
            run(text, &[ins]),
            "a: 1  # one\nb:\n  c: 2\n  y: 0\n  d: [x]\ne: 3\r\n"
        );
        assert_eq!(t.indent_step(&r), 2);
        assert_eq!(t.trailing_comment(&map[0]), "  # one");
        assert_eq!(t.trailing_comment(&map[2]), "");
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = "a: 1\r\nb: 2";
        let r = root(text);
        let t = Text::new(text);
        let map = r.as_map().unwrap();
        let ins = t.insert_after(&map[1], &["c: 3".to_string()]).unwrap();
        assert_eq!(run(text, &[ins]), "a: 1\r\nb: 2\r\nc: 3");
        let ins = t.insert_after(&map[0], &["c: 3".to_string()]).unwrap();
        assert_eq!(run(text, &[ins]), "a: 1\r\nc: 3\r\nb: 2");
    }

    #[test]
    fn item_keys_and_flow_maps_are_not_deleted_by_line() {
        let text = "- a: 1\n  b: 2\nc: {d: 1, e: 2}\n";
        let t = Text::new(text);
        let r = root("- a: 1\n  b: 2\n");
        let item = &r.as_seq().unwrap()[0];
        let entries = item.as_map().unwrap();
        assert!(t.delete_entry(&entries[0]).is_none());
        assert!(t.delete_entry(&entries[1]).is_some());
        // `- a:` has the column of its siblings.
        assert_eq!(t.column(entries[0].key.span.start as usize), 2);
    }

    #[test]
    fn fixes_refuse_overlapping_edits() {
        let a = Edit::replace(Span::new(0, 4), "x");
        let b = Edit::replace(Span::new(3, 6), "y");
        assert!(Fix::safe("t", vec![a.clone(), b]).is_none());
        let c = Edit::insert(4, "z");
        assert!(a.overlaps(&c));
        assert!(Fix::safe("t", vec![]).is_none());
        let d = Edit::replace(Span::new(5, 6), "w");
        let fix = Fix::safe("t", vec![d, a]).unwrap();
        assert_eq!(fix.start(), 0);
        assert_eq!(run("0123456789", &fix.edits), "x4w6789");
    }

    #[test]
    fn equal_values_ignore_spans() {
        let a = root("k: {a: 1, b: [x]}");
        let b = root("k:\n  a: 1\n  b:\n  - x\n");
        assert!(same_content(&a, &b));
        assert!(!same_content(&a, &root("k: {a: 2, b: [x]}")));
    }
}
