//! granit-parser events -> span-carrying trees, with an explicit stack.
//!
//! Nothing here recurses on the input's structure: collections are built on
//! `stack`, and every finished tree is at most [`MAX_DEPTH`] collections deep
//! (aliases included), so the recursive `Drop`, `Clone` and `PartialEq` of
//! [`Node`] stay within a few hundred stack frames.

use std::borrow::Cow;
use std::collections::HashMap;

use compact_str::CompactString;
use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError, StructureStyle};

use super::scalar::{resolve_plain, resolve_tagged};
use super::tree::{Entry, Node, Value};
use super::{Comment, ParsedDocument, ParsedFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, Span};

/// Deepest collection nesting kwire accepts in one document. Kubernetes
/// objects (CRDs with their OpenAPI schemas included) nest a few dozen
/// levels; 256 leaves a wide margin while keeping the recursive drop of a
/// tree far below the 2 MiB stack of a worker thread.
pub const MAX_DEPTH: usize = 256;

/// Nodes that alias expansion (and anchor bookkeeping) may copy in one
/// document. Billion-laughs inputs hit it after ~100k copies (a few MB)
/// instead of exhausting memory; real manifests alias a handful of small
/// blocks.
pub const ALIAS_NODE_BUDGET: usize = 100_000;

/// Nodes alias expansion may copy in one file, over all its documents: a
/// file of many small alias bombs, each under [`ALIAS_NODE_BUDGET`], stops
/// here (about 32 MiB of nodes) instead of at the machine's memory.
pub const FILE_ALIAS_NODE_BUDGET: usize = 1_000_000;

/// Nodes alias expansion may copy in one run, over all files.
pub const RUN_ALIAS_NODE_BUDGET: usize = 10_000_000;

/// The alias budget one run shares between the files it parses (in
/// parallel): [`RUN_ALIAS_NODE_BUDGET`] nodes.
#[derive(Debug, Default)]
pub struct RunBudget {
    copied: std::sync::atomic::AtomicUsize,
}

impl RunBudget {
    /// A budget of which `spent` nodes are already used (for tests).
    pub fn with_spent(spent: usize) -> Self {
        RunBudget {
            copied: std::sync::atomic::AtomicUsize::new(spent),
        }
    }

    /// Takes `count` nodes from the run's budget; false when it is spent.
    fn take(&self, count: usize) -> bool {
        let before = self
            .copied
            .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
        before.saturating_add(count) <= RUN_ALIAS_NODE_BUDGET
    }
}

/// After this many syntax errors in one file the rest is not read.
const MAX_SYNTAX_ERRORS: usize = 100;

/// Mappings up to this size find duplicate keys by a linear scan; bigger
/// ones (large ConfigMaps) get a hash index so insertion stays O(1).
const LINEAR_KEYS: usize = 16;

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

pub(super) fn build(file: FileId, text: &str, run: &RunBudget) -> ParsedFile {
    // Comment events cost time; only files that can hold a suppression ask for them.
    let want_comments = text.contains("kwire:");
    let options = granit_parser::options! {
        emit_comments: want_comments,
        max_buffered_comment_events: 1 << 16,
        flow_nesting_limit: MAX_DEPTH,
        block_nesting_limit: MAX_DEPTH,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder::new(file, text, run);
    let mut syntax_errors = 0usize;
    let mut last_error_at: Option<usize> = None;
    loop {
        let step = match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => b.event(event, span),
            Some(Err(err)) => {
                let at = err.marker().byte_offset().unwrap_or(text.len());
                // Recovery only moves forward; an error that does not is a
                // loop we refuse to enter.
                if last_error_at.is_some_and(|prev| at <= prev) {
                    break;
                }
                last_error_at = Some(at);
                syntax_errors += 1;
                b.scan_error(&err);
                Step::Abandon
            }
        };
        if let Step::Abandon = step {
            b.abandon_document();
            b.out.dropped += 1;
            if syntax_errors >= MAX_SYNTAX_ERRORS {
                b.out.diagnostics.push(b.diag(
                    "KW0001",
                    Span::new(text.len(), text.len()),
                    format!(
                        "{MAX_SYNTAX_ERRORS} YAML syntax errors: the rest of the file is not read"
                    ),
                ));
                break;
            }
            if let Err(err) = parser.proceed_next_document() {
                b.scan_error(&err);
                b.out.dropped += 1;
                break;
            }
        }
    }
    b.finish_alias_report();
    b.out
}

enum Step {
    Continue,
    /// Drop the current document and resume at the next one.
    Abandon,
}

/// A finished node with the facts the limits need.
struct Done {
    node: Node,
    /// Collection nesting inside the node (0 for a scalar).
    height: u32,
    /// Nodes in the tree, the node itself included.
    count: usize,
    /// A plain `<<` (or `!!merge`) scalar: the merge key.
    merge_key: bool,
}

struct Anchored {
    node: Node,
    height: u32,
    count: usize,
}

struct Frame {
    items: Items,
    start: usize,
    /// End of the last child, the end of a block collection.
    last_end: usize,
    flow: bool,
    anchor: usize,
    height: u32,
    count: usize,
}

enum Items {
    Seq(Vec<Node>),
    Map(MapBuilder),
}

#[derive(Default)]
struct MapBuilder {
    entries: Vec<Entry>,
    /// Per entry: set by an explicit key (not only by a merge). Empty while
    /// every entry is explicit (no `<<` yet), which spares most mappings an
    /// allocation.
    explicit: Vec<bool>,
    index: Option<HashMap<String, usize>>,
    pending_key: Option<(Node, bool)>,
}

/// A scalar key as the JSON object key Kubernetes derives from it, so that
/// `80` and `"80"` count as the same key. Collection keys have none.
fn key_repr(key: &Node) -> Option<Cow<'_, str>> {
    match &key.value {
        Value::Str(s) => Some(Cow::Borrowed(s)),
        Value::Null => Some(Cow::Borrowed("null")),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Int(i) => Some(Cow::Owned(i.to_string())),
        Value::Float(f) => Some(Cow::Owned(f.to_string())),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

impl MapBuilder {
    fn find(&self, repr: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(repr).copied(),
            None => self
                .entries
                .iter()
                .position(|e| key_repr(&e.key).as_deref() == Some(repr)),
        }
    }

    fn push(&mut self, entry: Entry, explicit: bool) {
        let at = self.entries.len();
        if let Some(index) = &mut self.index
            && let Some(repr) = key_repr(&entry.key)
        {
            index.entry(repr.into_owned()).or_insert(at);
        }
        self.entries.push(entry);
        if !explicit && self.explicit.is_empty() {
            self.explicit.resize(at, true);
        }
        if !self.explicit.is_empty() {
            self.explicit.push(explicit);
        }
        if self.index.is_none() && self.entries.len() > LINEAR_KEYS {
            let mut index = HashMap::with_capacity(self.entries.len() * 2);
            for (i, e) in self.entries.iter().enumerate() {
                if let Some(repr) = key_repr(&e.key) {
                    index.entry(repr.into_owned()).or_insert(i);
                }
            }
            self.index = Some(index);
        }
    }

    /// `key: value` written in this mapping. A repeated key keeps the first
    /// key's span (for the related location) and the last value, as the
    /// YAML-to-JSON conversion of Kubernetes does.
    fn set_explicit(
        &mut self,
        key: Node,
        value: Node,
        (file, text): (FileId, &str),
        diags: &mut Vec<Diagnostic>,
    ) {
        let found =
            key_repr(&key).and_then(|repr| self.find(&repr).map(|i| (i, repr.into_owned())));
        let Some((i, repr)) = found else {
            self.push(Entry { key, value }, true);
            return;
        };
        let Some(entry) = self.entries.get_mut(i) else {
            return;
        };
        let was_explicit = self.explicit.get(i).copied().unwrap_or(true);
        if was_explicit {
            let fix = duplicate_fix(text, entry, &key, &value);
            diags.push(
                Diagnostic::new(
                    "KW0002",
                    Severity::Error,
                    file,
                    key.span,
                    format!("duplicate key \"{}\" in this mapping", shorten(&repr)),
                )
                .with_label("defined again here")
                .with_help(
                    "Kubernetes keeps only the last value and silently drops the earlier one; \
                     remove one of the two",
                )
                .with_related(file, entry.key.span, "first defined here")
                .with_fix(fix),
            );
            entry.value = value;
        } else {
            // It came from a merge: an explicit key overrides merged ones.
            *entry = Entry { key, value };
            if let Some(explicit) = self.explicit.get_mut(i) {
                *explicit = true;
            }
        }
    }

    /// An entry brought in by `<<`: it replaces whatever the mapping holds
    /// so far under that key (go-yaml v2 applies a merge in document order),
    /// and explicit keys written after it override it in turn.
    fn set_merged(&mut self, entry: Entry) {
        let found = key_repr(&entry.key).and_then(|repr| self.find(&repr));
        match found.and_then(|i| self.entries.get_mut(i)) {
            Some(slot) => *slot = entry,
            None => self.push(entry, false),
        }
    }

    /// `<<: value`: a mapping, or a sequence of mappings where earlier ones
    /// take precedence. Returns false when the value cannot be merged.
    fn merge(&mut self, value: Node) -> bool {
        match value.value {
            Value::Map(entries) => {
                for entry in entries {
                    self.set_merged(entry);
                }
                true
            }
            Value::Seq(items) => {
                if !items.iter().all(|n| matches!(n.value, Value::Map(_))) {
                    return false;
                }
                for item in items.into_iter().rev() {
                    if let Value::Map(entries) = item.value {
                        for entry in entries {
                            self.set_merged(entry);
                        }
                    }
                }
                true
            }
            _ => false,
        }
    }
}

/// KW0002's fix. Equal values: the later entry goes (safe, nothing
/// changes). Different values: the earlier one goes, keeping what the API
/// server keeps, the last (unsafe: which one was meant is a guess).
fn duplicate_fix(text: &str, first: &Entry, key: &Node, value: &Node) -> Option<crate::edit::Fix> {
    use crate::edit::{Fix, Text};
    let t = Text::new(text);
    let later = Entry {
        key: key.clone(),
        value: value.clone(),
    };
    if crate::edit::same_content(&first.value, value) {
        return Fix::safe("delete the repeated entry", vec![t.delete_entry(&later)?]);
    }
    Fix::unsafe_(
        "delete the first entry (the API server keeps the last)",
        vec![t.delete_entry(first)?],
    )
}

fn shorten(s: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    if s.len() <= MAX {
        return Cow::Borrowed(s);
    }
    let mut cut = MAX;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    Cow::Owned(format!("{}…", s.get(..cut).unwrap_or("")))
}

fn byte_range(span: &granit_parser::Span) -> (usize, usize) {
    match span.byte_range() {
        Some(r) => (r.start, r.end.max(r.start)),
        None => {
            let at = span.start.byte_offset().unwrap_or(0);
            (at, at)
        }
    }
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    out: ParsedFile,
    stack: Vec<Frame>,
    root: Option<Done>,
    anchors: HashMap<usize, Anchored>,
    /// Nodes aliases copied in the current document.
    copied_nodes: usize,
    /// Nodes aliases copied in this file (every document so far).
    file_copied: usize,
    run: &'a RunBudget,
    /// The file's one KW0012 for alias expansion (index in
    /// `out.diagnostics`), and how many more documents were dropped for it.
    alias_report: Option<usize>,
    alias_dropped_more: usize,
    doc_start: usize,
    doc_index: usize,
    next_index: usize,
}

impl<'a> Builder<'a> {
    fn new(file: FileId, text: &'a str, run: &'a RunBudget) -> Self {
        Builder {
            file,
            text,
            out: ParsedFile::default(),
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            copied_nodes: 0,
            file_copied: 0,
            run,
            alias_report: None,
            alias_dropped_more: 0,
            doc_start: 0,
            doc_index: 0,
            next_index: 0,
        }
    }

    /// Completes the file's alias KW0012 with the documents dropped after it.
    fn finish_alias_report(&mut self) {
        let more = self.alias_dropped_more;
        if more == 0 {
            return;
        }
        if let Some(d) = self
            .alias_report
            .and_then(|i| self.out.diagnostics.get_mut(i))
        {
            let docs = if more == 1 { "document" } else { "documents" };
            d.message.push_str(&format!(
                "; {more} more {docs} of this file dropped for their aliases"
            ));
        }
    }

    fn diag(&self, code: &'static str, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, self.file, span, message)
    }

    fn event(&mut self, event: Event<'_>, span: granit_parser::Span) -> Step {
        let (start, end) = byte_range(&span);
        match event {
            Event::DocumentStart(..) => {
                self.abandon_document();
                self.doc_start = start;
                self.doc_index = self.next_index;
                self.next_index += 1;
                Step::Continue
            }
            Event::DocumentEnd => {
                self.finish_document();
                Step::Continue
            }
            Event::Scalar(text, style, anchor, tag) => {
                let plain = matches!(style, ScalarStyle::Plain);
                let core = tag
                    .as_ref()
                    .and_then(|t| t.suffix_in_namespace(CORE_TAG_PREFIX));
                let value = match (&tag, plain) {
                    (None, true) => resolve_plain(&text),
                    (None, false) => Value::Str(CompactString::from(&*text)),
                    (Some(_), _) => match resolve_tagged(core.as_deref(), &text) {
                        Ok(value) => value,
                        Err(reason) => {
                            let d = self
                                .diag(
                                    "KW0001",
                                    Span::new(start, end),
                                    format!("{reason}: Kubernetes rejects this value"),
                                )
                                .with_help("remove the tag or change the value to match it");
                            self.out.diagnostics.push(d);
                            Value::Str(CompactString::from(&*text))
                        }
                    },
                };
                let merge_key = &*text == "<<"
                    && ((plain && tag.is_none()) || core.as_deref() == Some("merge"));
                let node = Node::new(Span::new(start, end), value);
                if anchor != 0 {
                    // Defining an anchor copies nothing the input does not
                    // hold: only aliases are charged.
                    let anchored = Anchored {
                        node: node.clone(),
                        height: 0,
                        count: 1,
                    };
                    self.anchors.insert(anchor, anchored);
                }
                self.push_done(Done {
                    node,
                    height: 0,
                    count: 1,
                    merge_key,
                })
            }
            Event::SequenceStart(style, anchor, _) => {
                self.open(Items::Seq(Vec::new()), style, anchor, start, end)
            }
            Event::MappingStart(style, anchor, _) => {
                self.open(Items::Map(MapBuilder::default()), style, anchor, start, end)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(end),
            Event::Alias(id) => self.alias(id, start, end),
            Event::UnresolvedAlias(name) => {
                let d = self.diag(
                    "KW0001",
                    Span::new(start, end),
                    format!("unknown alias *{name}"),
                );
                self.out.diagnostics.push(d);
                Step::Abandon
            }
            Event::Comment(text, _) => {
                if text.contains("kwire:") {
                    self.out.comments.push(Comment {
                        span: Span::new(start, end),
                        text: Box::from(&*text),
                    });
                }
                Step::Continue
            }
            // Stream markers, anchor metadata (not requested) and any event
            // a later granit adds carry no data for the tree.
            _ => Step::Continue,
        }
    }

    fn open(
        &mut self,
        items: Items,
        style: StructureStyle,
        anchor: usize,
        start: usize,
        end: usize,
    ) -> Step {
        if self.stack.len() >= MAX_DEPTH {
            self.depth_error(start, end);
            return Step::Abandon;
        }
        let flow = matches!(style, StructureStyle::Flow);
        self.stack.push(Frame {
            items,
            start,
            last_end: if flow { end } else { start },
            flow,
            anchor,
            height: 0,
            count: 0,
        });
        Step::Continue
    }

    fn close(&mut self, end: usize) -> Step {
        let Some(frame) = self.stack.pop() else {
            return Step::Continue;
        };
        // A block collection's end event sits at the next token; its own
        // text ends with its last child.
        let end = if frame.flow {
            end.max(frame.start)
        } else {
            frame.last_end
        };
        let span = Span::new(frame.start, end);
        // Exact-size boxed slices: trees live until the end of the run, so
        // the capacity doubling growth left unused is given back (a
        // shrinking realloc, in place).
        let value = match frame.items {
            Items::Seq(items) => Value::Seq(items.into_boxed_slice()),
            Items::Map(mut map) => {
                if let Some((key, _)) = map.pending_key.take() {
                    // granit always sends a value; keep the key if it did not.
                    let null = Node::new(
                        Span {
                            start: key.span.end,
                            end: key.span.end,
                        },
                        Value::Null,
                    );
                    map.set_explicit(key, null, (self.file, self.text), &mut self.out.diagnostics);
                }
                Value::Map(map.entries.into_boxed_slice())
            }
        };
        let done = Done {
            node: Node::new(span, value),
            height: frame.height + 1,
            count: frame.count + 1,
            merge_key: false,
        };
        if frame.anchor != 0 {
            let anchored = Anchored {
                node: done.node.clone(),
                height: done.height,
                count: done.count,
            };
            self.anchors.insert(frame.anchor, anchored);
        }
        self.push_done(done)
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> Step {
        let Some(anchored) = self.anchors.get(&id) else {
            // granit resolved the name, so the anchor is a collection still
            // open around this alias: a recursive structure.
            let d = self
                .diag(
                    "KW0001",
                    Span::new(start, end),
                    "alias refers to a collection that contains it (recursive alias)".into(),
                )
                .with_help("Kubernetes cannot load recursive YAML structures");
            self.out.diagnostics.push(d);
            return Step::Abandon;
        };
        let (height, count) = (anchored.height, anchored.count);
        if self.stack.len() + height as usize > MAX_DEPTH {
            self.depth_error(start, end);
            return Step::Abandon;
        }
        if let Step::Abandon = self.charge(count, start, end) {
            return Step::Abandon;
        }
        let Some(anchored) = self.anchors.get(&id) else {
            return Step::Abandon;
        };
        let mut node = anchored.node.clone();
        // The copy is reported where it is used; its children keep the
        // anchor's spans, which is where their text is.
        node.span = Span::new(start, end);
        self.push_done(Done {
            node,
            height,
            count,
            merge_key: false,
        })
    }

    /// Counts `count` copied nodes against the alias budgets of the
    /// document, the file and the run. Past one, the document is dropped;
    /// the file gets one KW0012 for all its documents dropped so.
    fn charge(&mut self, count: usize, start: usize, end: usize) -> Step {
        let doc = self.copied_nodes.saturating_add(count);
        let file = self.file_copied.saturating_add(count);
        let over = if doc > ALIAS_NODE_BUDGET {
            Some(format!("{ALIAS_NODE_BUDGET} nodes in this document"))
        } else if file > FILE_ALIAS_NODE_BUDGET {
            Some(format!("{FILE_ALIAS_NODE_BUDGET} nodes in this file"))
        } else if !self.run.take(count) {
            Some(format!("{RUN_ALIAS_NODE_BUDGET} nodes in this run"))
        } else {
            None
        };
        let Some(what) = over else {
            self.copied_nodes = doc;
            self.file_copied = file;
            return Step::Continue;
        };
        // What was copied before the limit was reached was still made.
        self.file_copied = file;
        if self.alias_report.is_some() {
            self.alias_dropped_more += 1;
            return Step::Abandon;
        }
        let d = self
            .diag(
                "KW0012",
                Span::new(start, end),
                format!("alias expansion copies more than {what}"),
            )
            .with_help("this looks like an alias bomb (billion laughs); kwire skips this document and any later one of the file whose aliases go past the limit");
        self.alias_report = Some(self.out.diagnostics.len());
        self.out.diagnostics.push(d);
        Step::Abandon
    }

    fn depth_error(&mut self, start: usize, end: usize) {
        let end = if end > start {
            end
        } else {
            self.char_end(start)
        };
        let d = self
            .diag(
                "KW0012",
                Span::new(start, end),
                format!("YAML collections nested more than {MAX_DEPTH} levels deep"),
            )
            .with_help(
                "kwire skips the rest of this document; no Kubernetes object nests this deep",
            );
        self.out.diagnostics.push(d);
    }

    fn push_done(&mut self, done: Done) -> Step {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(done);
            return Step::Continue;
        };
        frame.height = frame.height.max(done.height);
        frame.count = frame.count.saturating_add(done.count);
        frame.last_end = frame.last_end.max(done.node.span.end as usize);
        match &mut frame.items {
            Items::Seq(items) => items.push(done.node),
            Items::Map(map) => match map.pending_key.take() {
                None => map.pending_key = Some((done.node, done.merge_key)),
                Some((key, true)) => {
                    let value_span = done.node.span;
                    if !map.merge(done.node) {
                        let d = Diagnostic::new(
                            "KW0001",
                            Severity::Error,
                            self.file,
                            value_span,
                            "merge key `<<` needs a mapping or a sequence of mappings",
                        )
                        .with_related(self.file, key.span, "merge key");
                        self.out.diagnostics.push(d);
                    }
                }
                Some((key, false)) => map.set_explicit(
                    key,
                    done.node,
                    (self.file, self.text),
                    &mut self.out.diagnostics,
                ),
            },
        }
        Step::Continue
    }

    fn finish_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.copied_nodes = 0;
        let Some(done) = self.root.take() else {
            return;
        };
        let root = done.node;
        // An empty document (nothing, comments, a bare `---`) is an
        // implicit null with an empty span.
        if root.is_null() && root.span.is_empty() {
            return;
        }
        let start = self.doc_start.min(root.span.start as usize);
        let span = Span::new(start, root.span.end as usize);
        self.out.documents.push(ParsedDocument {
            root,
            span,
            index: self.doc_index,
        });
    }

    fn abandon_document(&mut self) {
        self.stack.clear();
        self.root = None;
        self.anchors.clear();
        self.copied_nodes = 0;
    }

    /// Byte offset just past the character at `at` (or `at` at the end).
    fn char_end(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(at, |c| at + c.len_utf8())
    }

    fn scan_error(&mut self, err: &ScanError) {
        let at = err
            .marker()
            .byte_offset()
            .unwrap_or(self.text.len())
            .min(self.text.len());
        let span = Span::new(at, self.char_end(at));
        let mut info = err.info();
        if info.is_empty() {
            info = format!("{:?}", err.kind());
        }
        let d = match err.kind() {
            ErrorKind::UnknownAnchor if self.text.get(at..).is_some_and(|t| t.starts_with('*')) => {
                // Name the alias and underline all of `*name`, not just `*`.
                let rest = self.text.get(at..).unwrap_or("");
                let len = rest
                    .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                    .unwrap_or(rest.len());
                let token = rest.get(..len).unwrap_or("*");
                self.diag(
                    "KW0001",
                    Span::new(at, at + len),
                    format!(
                        "unknown alias {token}: no anchor &{} before it in this document",
                        token.get(1..).unwrap_or("")
                    ),
                )
                .with_help(help_for(err.kind()))
            }
            ErrorKind::RecursionLimitExceeded => self
                .diag(
                    "KW0012",
                    span,
                    format!("YAML collections nested more than {MAX_DEPTH} levels deep"),
                )
                .with_help(
                    "kwire skips the rest of this document; no Kubernetes object nests this deep",
                ),
            kind => self
                .diag("KW0001", span, format!("YAML syntax error: {info}"))
                .with_help(help_for(kind)),
        };
        self.out.diagnostics.push(d);
    }
}

fn help_for(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::TabInPlainScalar => {
            "YAML does not allow tabs for indentation: indent with spaces; \
             kwire skips this document, the other documents of the file are still checked"
        }
        ErrorKind::UnknownAnchor => {
            "define the anchor (`&name`) before the alias (`*name`), in the same document"
        }
        _ => "kwire skips this document; the other documents of the file are still checked",
    }
}
