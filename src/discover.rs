//! Inputs -> files: paths, directories, glob patterns and `-` for stdin,
//! turned into one sorted, deduplicated, deterministic list.
//!
//! Choices (see also `docs/decisions.md`):
//! - Paths are shown as the user typed them, minus `.` components
//!   (`./manifests/x.yaml` -> `manifests/x.yaml`, `.` + `x.yaml` -> `x.yaml`);
//!   relative stays relative, absolute stays absolute, `..` is kept.
//! - A file named on the command line is taken whatever its extension.
//!   Directories (and glob expansions of a directory) yield `*.yaml`,
//!   `*.yml` and `*.json` only; glob patterns yield whatever file matches.
//! - Walks skip hidden files and directories (so `.git` and `.kwire.yaml`),
//!   and respect `.gitignore` and `.git/info/exclude` only inside a git
//!   repository (the `ignore` crate's `require_git`). The user's global
//!   gitignore and `.ignore` files are not read: the result must not depend
//!   on the machine it runs on.
//! - Symbolic links are followed; a link loop becomes a [`Found::Error`].
//! - `--exclude` applies to everything except stdin, explicit files
//!   included, and matches the displayed path, every tail of it starting at
//!   a component (`legacy/**` excludes `k8s/legacy/a.yaml`), and every single
//!   component (`*.json`, `legacy`). `*` does not cross `/`, `**` does.
//! - Not manifests: kustomization files are skipped with a hint; a Helm
//!   chart (a `Chart.yaml` beside `templates/`) met in a walk is skipped as a
//!   whole, reported once on its `Chart.yaml`.
//! - Duplicates are removed by displayed path only (a file reached through
//!   two different names is listed twice).

use glob::{MatchOptions, Pattern};
use ignore::WalkBuilder;
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What to look at: the positional paths and the `--exclude` globs.
#[derive(Clone, Debug, Default)]
pub struct DiscoverOptions {
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
}

/// The outcome of discovery: every entry in deterministic order (stdin
/// first, then by path).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    pub entries: Vec<Found>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// `-`: read standard input.
    Stdin,
    /// A file to lint, path as the user would see it.
    File(String),
    /// Not a set of objects to apply (kustomization, Helm chart).
    Skipped {
        path: String,
        reason: String,
        help: String,
    },
    /// A path that does not exist, cannot be read, or loops.
    Error { path: String, message: String },
}

impl Found {
    /// The path the entry is about (`-` for stdin).
    pub fn path(&self) -> &str {
        match self {
            Found::Stdin => "-",
            Found::File(path) | Found::Skipped { path, .. } | Found::Error { path, .. } => path,
        }
    }

    fn sort_key(&self) -> (bool, &str, u8) {
        let rank = match self {
            Found::Stdin => 0,
            Found::File(_) => 1,
            Found::Skipped { .. } => 2,
            Found::Error { .. } => 3,
        };
        (!matches!(self, Found::Stdin), self.path(), rank)
    }
}

impl Discovery {
    /// The files to lint, in order (stdin not included).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|e| match e {
            Found::File(p) => Some(p.as_str()),
            _ => None,
        })
    }

    /// Whether `-` was among the inputs.
    pub fn has_stdin(&self) -> bool {
        self.entries.first() == Some(&Found::Stdin)
    }
}

pub fn discover(opts: &DiscoverOptions) -> Discovery {
    let mut out = Vec::new();
    let mut patterns = Vec::new();
    for raw in &opts.exclude {
        match Pattern::new(raw) {
            Ok(p) => patterns.push(p),
            Err(e) => out.push(Found::Error {
                path: raw.clone(),
                message: format!("invalid --exclude pattern: {e}"),
            }),
        }
    }
    let excludes = Arc::new(Excludes(patterns));
    for arg in &opts.paths {
        discover_arg(arg, &excludes, &mut out);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    Discovery { entries: out }
}

fn discover_arg(arg: &str, excludes: &Arc<Excludes>, out: &mut Vec<Found>) {
    if arg == "-" {
        out.push(Found::Stdin);
        return;
    }
    let path = Path::new(arg);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk(path, None, excludes, out),
        Ok(_) => {
            let shown = normalize(arg);
            if !excludes.matches(&shown) {
                out.push(classify_file(path, shown));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound && is_glob(arg) => match GlobSpec::new(arg) {
            Ok(spec) => {
                let before = out.len();
                walk(Path::new(&spec.base), Some(&spec), excludes, out);
                if out.len() == before {
                    out.push(Found::Error {
                        path: arg.to_string(),
                        message: "no files match this pattern".to_string(),
                    });
                }
            }
            Err(e) => out.push(Found::Error {
                path: arg.to_string(),
                message: format!("invalid glob pattern: {e}"),
            }),
        },
        Err(e) => out.push(Found::Error {
            path: normalize(arg),
            message: io_message(&e),
        }),
    }
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        _ => e.to_string(),
    }
}

fn is_glob(arg: &str) -> bool {
    arg.contains(['*', '?', '['])
}

/// The displayed form of a path: `.` components and repeated `/` dropped
/// (`./manifests/./x.yaml` -> `manifests/x.yaml`); `..` and a leading `/`
/// kept, since resolving them lexically could change the file meant.
fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let joined = parts.join("/");
    match (path.starts_with('/'), joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// A file we were pointed at (explicitly or by a walk): to lint, or skipped.
fn classify_file(path: &Path, shown: String) -> Found {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    ) {
        let dir = path
            .parent()
            .and_then(|p| p.to_str())
            .map(normalize)
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| ".".to_string());
        return Found::Skipped {
            path: shown,
            reason: "kustomization file: not objects to apply".to_string(),
            help: format!("render it first: `kustomize build {dir} | kwire lint -`"),
        };
    }
    Found::File(shown)
}

/// A Helm chart: `Chart.yaml` beside a `templates/` directory.
fn is_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file() && dir.join("templates").is_dir()
}

/// The chart a walk root belongs to: the root itself, or the chart whose
/// `templates/` the root is in. Other ancestors are not looked at, so that
/// `kwire lint mychart/crds` or a `rendered/` dir inside a chart still lint.
fn enclosing_chart(root: &Path) -> Option<PathBuf> {
    if is_chart(root) {
        return Some(root.to_path_buf());
    }
    for dir in root.ancestors() {
        if dir.file_name().is_some_and(|n| n == "templates") {
            let parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if is_chart(parent) {
                return Some(parent.to_path_buf());
            }
        }
    }
    None
}

fn chart_skipped(dir: &Path) -> Found {
    let chart_yaml = dir.join("Chart.yaml");
    let dir_shown = normalize(&dir.to_string_lossy());
    Found::Skipped {
        path: normalize(&chart_yaml.to_string_lossy()),
        reason: "Helm chart: its templates are not objects until rendered".to_string(),
        help: format!("render it first: `helm template NAME {dir_shown} | kwire lint -`"),
    }
}

fn has_manifest_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Compiled `--exclude` globs.
struct Excludes(Vec<Pattern>);

impl Excludes {
    fn matches(&self, shown: &str) -> bool {
        matches_path(&self.0, shown)
    }
}

/// Does any pattern match the path, a tail of it starting at a component,
/// or one of its components? (`--exclude` and `.kwire.yaml` `units:` paths.)
pub fn matches_path(patterns: &[Pattern], shown: &str) -> bool {
    if patterns.is_empty() {
        return false;
    }
    let opts = MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    // The whole path, each tail starting at a component, each component.
    let tails = shown
        .match_indices('/')
        .filter_map(|(i, _)| shown.get(i + 1..));
    let candidates: Vec<&str> = std::iter::once(shown)
        .chain(tails)
        .chain(shown.split('/'))
        .filter(|c| !c.is_empty())
        .collect();
    patterns
        .iter()
        .any(|p| candidates.iter().any(|c| p.matches_with(c, opts)))
}

/// A glob argument split into the literal directory to walk and the pattern.
struct GlobSpec {
    pattern: Pattern,
    /// Directory before the first component with a wildcard (`.` if none).
    base: String,
    /// Whether walked paths carry a `./` that the pattern does not.
    strip_dot: bool,
    /// Without `**`, no need to walk deeper than the pattern's components.
    max_depth: Option<usize>,
}

impl GlobSpec {
    fn new(arg: &str) -> Result<Self, glob::PatternError> {
        let pattern = Pattern::new(arg)?;
        let parts: Vec<&str> = arg.split('/').collect();
        let first = parts.iter().position(|p| is_glob(p)).unwrap_or(0);
        let literal = parts.get(..first).unwrap_or(&[]);
        let rest = parts.get(first..).unwrap_or(&[]);
        let mut base = literal.join("/");
        if base.is_empty() && arg.starts_with('/') {
            base = "/".to_string();
        }
        let strip_dot = base.is_empty();
        if strip_dot {
            base = ".".to_string();
        }
        let max_depth = if rest.iter().any(|p| p.contains("**")) {
            None
        } else {
            Some(rest.len())
        };
        Ok(GlobSpec {
            pattern,
            base,
            strip_dot,
            max_depth,
        })
    }

    fn matches(&self, walked: &str) -> bool {
        let candidate = if self.strip_dot {
            walked.strip_prefix("./").unwrap_or(walked)
        } else {
            walked
        };
        let opts = MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        self.pattern.matches_with(candidate, opts)
    }
}

/// Walks `root`: manifests by extension, or files matching `glob`.
fn walk(root: &Path, glob: Option<&GlobSpec>, excludes: &Arc<Excludes>, out: &mut Vec<Found>) {
    if let Some(chart) = enclosing_chart(root) {
        if glob.is_none_or(|g| chart_has_match(&chart, g)) {
            out.push(chart_skipped(&chart));
        }
        return;
    }
    let charts: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(true)
        .ignore(false)
        .git_global(false)
        .require_git(true)
        .follow_links(true)
        .sort_by_file_name(|a, b| a.cmp(b));
    if let Some(depth) = glob.and_then(|g| g.max_depth) {
        builder.max_depth(Some(depth));
    }
    {
        let excludes = Arc::clone(excludes);
        let charts = Arc::clone(&charts);
        builder.filter_entry(move |entry| {
            let path = entry.path();
            if excludes.matches(&normalize(&path.to_string_lossy())) {
                return false;
            }
            // Prune a chart at once: none of its files may be linted.
            if entry.file_type().is_some_and(|t| t.is_dir()) && is_chart(path) {
                if let Ok(mut found) = charts.lock() {
                    found.push(path.to_path_buf());
                }
                return false;
            }
            true
        });
    }
    let mut matched_charts = BTreeSet::new();
    for result in builder.build() {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                let (path, message) = describe(&err);
                let path = path.unwrap_or_else(|| root.to_path_buf());
                out.push(Found::Error {
                    path: normalize(&path.to_string_lossy()),
                    message,
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Some(walked) = path.to_str() else {
            out.push(Found::Error {
                path: path.to_string_lossy().into_owned(),
                message: "path is not valid UTF-8".to_string(),
            });
            continue;
        };
        let wanted = match glob {
            Some(g) => g.matches(walked),
            None => has_manifest_extension(path),
        };
        if wanted {
            out.push(classify_file(path, normalize(walked)));
        }
    }
    let charts = charts.lock().map(|c| c.clone()).unwrap_or_default();
    for chart in charts {
        // A directory walk skips every chart it meets; a glob only reports
        // the charts that hold something the pattern asked for.
        let relevant = match glob {
            None => true,
            Some(g) => chart_has_match(&chart, g),
        };
        if relevant && matched_charts.insert(chart.clone()) {
            out.push(chart_skipped(&chart));
        }
    }
}

/// Whether a pruned chart directory holds a file the glob would match.
fn chart_has_match(chart: &Path, glob: &GlobSpec) -> bool {
    WalkBuilder::new(chart)
        .standard_filters(true)
        .ignore(false)
        .git_global(false)
        .follow_links(true)
        .build()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_type().is_some_and(|t| t.is_file())
                && e.path().to_str().is_some_and(|p| glob.matches(p))
        })
}

/// The path an `ignore` error is about, and a message for the user.
fn describe(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (inner, message) = describe(err);
            (inner.or_else(|| Some(path.clone())), message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Partial(errs) => errs.first().map_or((None, err.to_string()), describe),
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!(
                "symbolic link loop: leads back to {}",
                normalize(&ancestor.to_string_lossy())
            ),
        ),
        ignore::Error::Io(e) => (None, io_message(e)),
        other => (None, other.to_string()),
    }
}

#[cfg(test)]
mod tests;
