//! Source files with a line index, so that byte offsets turn into 1-based
//! line/column pairs in O(log lines) instead of a rescan per diagnostic.

/// Index of a file in the run's sorted file list.
pub type FileId = u32;

/// A byte range `start..end` inside one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        // Spans are built with `end >= start`, but the fields are public.
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// One input file (or stdin) as loaded into memory.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative stays relative); `<stdin>` or
    /// `--stdin-filename` for standard input.
    pub path: String,
    pub text: String,
    /// The line index, computed on first use: most files of a run never
    /// need a line number (they have no finding).
    index: std::sync::OnceLock<LineIndex>,
    /// Where [`SourceFile::line_number`] last counted to, as
    /// `byte << 32 | line index`.
    line_hint: std::sync::atomic::AtomicU64,
    /// The text has no `\r`, so its line breaks are its `\n`s.
    lf_only: std::sync::OnceLock<bool>,
}

#[derive(Debug)]
struct LineIndex {
    /// Byte offset of each line start.
    starts: Vec<u32>,
    /// `text` with every lone `\r` turned into `\n` (the same byte length,
    /// so every offset holds), for snippet renderers that only know LF and
    /// CRLF; `None` when the text has no lone CR (nearly always).
    lf_text: Option<Box<str>>,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        SourceFile {
            path: path.into(),
            text,
            index: std::sync::OnceLock::new(),
            line_hint: std::sync::atomic::AtomicU64::new(0),
            lf_only: std::sync::OnceLock::new(),
        }
    }

    /// The 1-based line of a byte offset, for a caller that asks a few
    /// lines of every file, each near the last (`kwire graph` places every
    /// node and edge): the line breaks between the last offset asked and
    /// this one are counted, instead of indexing every line start of the
    /// file. The same answer as [`SourceFile::line_col`]; the index answers
    /// when it exists already, or when the text has a `\r`.
    pub fn line_number(&self, byte: usize) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        let byte = byte.min(self.text.len());
        let lf_only = *self
            .lf_only
            .get_or_init(|| memchr::memchr(b'\r', self.text.as_bytes()).is_none());
        if self.index.get().is_some() || !lf_only || u32::try_from(byte).is_err() {
            return self.line_index(byte) + 1;
        }
        // Threads asking lines of one file race on the hint, harmlessly:
        // every value stored is a true (offset, line) pair.
        let hint = self.line_hint.load(Relaxed);
        let (at, line) = ((hint >> 32) as usize, (hint & 0xffff_ffff) as usize);
        let breaks =
            |from: usize, to: usize| self.text.as_bytes().get(from..to).map_or(0, count_newlines);
        let index = if byte >= at {
            line + breaks(at, byte)
        } else {
            line.saturating_sub(breaks(byte, at))
        };
        if let Ok(index32) = u32::try_from(index) {
            self.line_hint
                .store(((byte as u64) << 32) | u64::from(index32), Relaxed);
        }
        index + 1
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let starts = line_starts(bytes);
            // Every line start after a CR not followed by LF is a lone CR's.
            let lone = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n');
            let has_lone = starts
                .iter()
                .skip(1)
                .any(|&s| (s as usize).checked_sub(1).is_some_and(lone));
            let lf_text = has_lone.then(|| {
                let mut out = String::with_capacity(self.text.len());
                for (i, c) in self.text.char_indices() {
                    out.push(if lone(i) { '\n' } else { c });
                }
                out.into_boxed_str()
            });
            LineIndex { starts, lf_text }
        })
    }

    /// The text with the same line breaks written as `\n` or `\r\n` only
    /// (a lone `\r` becomes `\n`; byte offsets are unchanged).
    pub fn lf_text(&self) -> &str {
        self.index().lf_text.as_deref().unwrap_or(&self.text)
    }

    fn line_starts(&self) -> &[u32] {
        &self.index().starts
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, byte: usize) -> usize {
        let byte = u32::try_from(byte).unwrap_or(u32::MAX);
        match self.line_starts().binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where the 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line)
            .map_or(self.text.len(), |&s| s as usize)
    }

    /// Byte offset just past the end of 0-based line `line`, before its
    /// line break (`\n`, `\r\n` or a lone `\r`).
    pub fn line_end(&self, line: usize) -> usize {
        let next = self
            .line_starts()
            .get(line + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let bytes = self.text.as_bytes();
        let mut end = next.min(bytes.len());
        if end > 0 && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// Text of the 0-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self.line_end(line).max(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// 1-based line and character column of a byte offset (clamped to the file).
    pub fn line_col(&self, byte: usize) -> LineCol {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let line = self.line_index(byte);
        let start = self.line_start(line).min(byte);
        let column = self.text.get(start..byte).map_or(0, |s| s.chars().count()) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while byte > 0 && !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }

    /// The source text under a span ("" if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// Byte offsets where lines start, counting line breaks the way YAML (and
/// granit-parser) does: `\n`, `\r\n` and a lone `\r` each end a line.
pub fn line_starts(bytes: &[u8]) -> Vec<u32> {
    let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
    starts.push(0);
    // memchr's vectorised search: `kwire graph` asks for a line in every
    // file, and a byte-at-a-time loop was a tenth of its own work. Without
    // a `\r` in the text (nearly always) the one-byte search does.
    if memchr::memchr(b'\r', bytes).is_none() {
        for i in memchr::memchr_iter(b'\n', bytes) {
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
        return starts;
    }
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let ends_line = bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n');
        if ends_line {
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    starts
}

/// The `\n`s of `bytes`, a block at a time: a byte counter per block is
/// what the compiler turns into vector compares (a plain filter-and-count
/// widened every byte to a word).
fn count_newlines(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(128);
    let mut n = 0;
    for block in &mut blocks {
        n += usize::from(block.iter().fold(0u8, |k, &b| k + u8::from(b == b'\n')));
    }
    n + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// 1-based line and character column just past the end of `prefix`, with
/// the line breaks of [`line_starts`]: where the first byte after it is.
pub fn position_after(prefix: &str) -> LineCol {
    let starts = line_starts(prefix.as_bytes());
    let start = starts.last().map_or(0, |&s| s as usize);
    LineCol {
        line: starts.len(),
        column: prefix.get(start..).map_or(0, |s| s.chars().count()) + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_count_lf_crlf_and_lone_cr() {
        // What a byte-at-a-time reading says: each `\n`, each `\r\n`, each lone `\r`.
        let naive = |b: &[u8]| -> Vec<u32> {
            let mut out = vec![0];
            for (i, &c) in b.iter().enumerate() {
                if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                    out.push(i as u32 + 1);
                }
            }
            out
        };
        for text in [
            "",
            "a",
            "\n",
            "\r",
            "\r\n",
            "\n\r",
            "\r\r\n",
            "a\nb\r\nc\rd",
            "x\r",
            "\r\n\r\n\r",
            "k: v\n\n\nend",
        ] {
            assert_eq!(
                line_starts(text.as_bytes()),
                naive(text.as_bytes()),
                "{text:?}"
            );
        }
        let long = "ab\r\ncd\ref\n".repeat(100);
        assert_eq!(line_starts(long.as_bytes()), naive(long.as_bytes()));
        // Breaks on both sides of every 64-byte boundary, a `\r\n` split by one.
        for pad in 0..70 {
            let text = format!("{}\r\n\r\r\n\n{}", "x".repeat(pad), "y\r".repeat(pad));
            assert_eq!(
                line_starts(text.as_bytes()),
                naive(text.as_bytes()),
                "{pad}"
            );
        }
    }

    #[test]
    fn line_number_is_line_col_on_long_texts() {
        // Lines of every length up to a few hundred bytes, blank ones too.
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&"x".repeat((i * 37) % (512 + 3)));
            text.push('\n');
            if i % 5 == 0 {
                text.push('\n');
            }
        }
        let reference = SourceFile::new("x", text.clone());
        let f = SourceFile::new("x", text.clone());
        for b in (0..=text.len() + 1).rev().chain(0..=text.len()) {
            let want = reference.line_col(b.min(text.len())).line;
            assert_eq!(f.line_number(b), want, "at {b}");
        }
        for b in [512 - 1, 512, 512 + 1, 3 * 512] {
            assert_eq!(f.line_number(b), reference.line_col(b).line, "at {b}");
        }
    }

    #[test]
    fn line_number_is_line_col_whatever_the_order_asked() {
        for text in [
            "",
            "a",
            "\n\n",
            "a: 1\nk: \"ééé\"\n\nlast",
            "crlf\r\nline\r\n",
            "lone\rcr\nmix\r\n",
        ] {
            let expected = |b: usize| {
                SourceFile::new("x", text.to_string())
                    .line_col(b.min(text.len()))
                    .line
            };
            let len = text.len();
            // Forward, backward, and jumping, on one file (one hint).
            let f = SourceFile::new("x", text.to_string());
            let order: Vec<usize> = (0..=len + 2)
                .chain((0..=len + 2).rev())
                .chain((0..=len).map(|i| (i * 7) % (len + 1)))
                .collect();
            for b in order {
                assert_eq!(f.line_number(b), expected(b), "{text:?} at {b}");
            }
        }
    }

    #[test]
    fn count_newlines_counts_every_block() {
        for len in [0, 1, 127, 128, 129, 300, 1000] {
            let text: Vec<u8> = (0..len)
                .map(|i| if i % 3 == 0 { b'\n' } else { b'x' })
                .collect();
            assert_eq!(
                count_newlines(&text),
                text.iter().filter(|&&b| b == b'\n').count()
            );
            let all = vec![b'\n'; len];
            assert_eq!(count_newlines(&all), len);
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("x", "a: 1\nk: \"ééé\"\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        // byte 15 (the closing quote) is after the three two-byte characters
        assert_eq!(f.line_col(15), LineCol { line: 2, column: 8 });
        assert_eq!(f.line_text(1), "k: \"ééé\"");
    }

    #[test]
    fn crlf_line_text_has_no_cr() {
        let f = SourceFile::new("x", "a: 1\r\nb: 2\r\n".to_string());
        assert_eq!(f.line_text(0), "a: 1");
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn lone_cr_breaks_lines_like_the_parser() {
        // LF, CRLF and a lone CR are one line break each.
        let f = SourceFile::new("x", "a: 1\rb: 2\r\nc: 3\nd: 4\r\re".to_string());
        assert_eq!(f.line_count(), 6);
        assert_eq!(f.line_text(0), "a: 1");
        assert_eq!(f.line_text(1), "b: 2");
        assert_eq!(f.line_text(2), "c: 3");
        assert_eq!(f.line_text(3), "d: 4");
        assert_eq!(f.line_text(4), "");
        assert_eq!(f.line_text(5), "e");
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(11), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 4 });
        let cr_only = SourceFile::new("x", "a\rb\rc".to_string());
        assert_eq!(cr_only.line_col(4), LineCol { line: 3, column: 1 });
        assert_eq!(position_after("a\rbé"), LineCol { line: 2, column: 3 });
        assert_eq!(position_after("a\r"), LineCol { line: 2, column: 1 });
        assert_eq!(position_after(""), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn out_of_range_is_clamped() {
        let f = SourceFile::new("x", "ab".to_string());
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 3 });
        assert_eq!(f.slice(Span::new(5, 9)), "");
    }
}
