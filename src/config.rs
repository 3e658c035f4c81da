//! `.kwire.yaml`: discovered from the current directory upward (the first
//! one wins; `--config PATH` names one, `--no-config` skips it), read with
//! kwire's own YAML parser so every error points into the file, and merged
//! with the flags (flags win).
//!
//! ```yaml
//! kube-version: "1.29"
//! select: [ALL]               # codes, prefixes (KW3) or rule names; ALL adds the opt-in rules
//! extend-select: [KW5010]     # added to select or to the default set
//! ignore: [KW3108]
//! severity: {KW3002: error}
//! per-file-ignores: {"legacy/**": [KW2]}
//! exclude: ["charts/**"]
//! context: ["k8s/"]           # loaded for references, not reported on
//! fail-on: warning
//! assume: ["Secret/shop/tls"]
//! strict: true
//! ignore-missing-schemas: false
//! schema-dirs: ["schemas/crds"]
//! report-unused-ignores: true
//! closed-world: false         # report every reference that does not resolve
//! units: auto                 # or per-directory, per-file, input, or a list:
//! # units:
//! #   - {name: prod, paths: ["base/**", "overlays/prod/**"], namespace: prod, alternatives: [staging]}
//! #   - {name: staging, paths: ["base/**", "overlays/staging/**"], namespace: staging}
//! show-skipped: false          # KW0011 for each file that is not a manifest
//! max-file-size: 64MiB         # larger inputs are KW0012 (docs/robustness.md)
//! ```

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::{Node, Value};
use crate::selection::{PathIgnore, RuleSelection, Selector};
use crate::settings::{KubeVersion, Settings};
use crate::source::{SourceFile, Span};

pub const FILE_NAME: &str = ".kwire.yaml";

/// The code config errors carry (they are not lint findings).
pub const ERROR_CODE: &str = "kwire::config";

pub const KEYS: &[&str] = &[
    "kube-version",
    "select",
    "extend-select",
    "ignore",
    "severity",
    "per-file-ignores",
    "exclude",
    "context",
    "fail-on",
    "assume",
    "strict",
    "ignore-missing-schemas",
    "schema-dirs",
    "report-unused-ignores",
    "closed-world",
    "units",
    "show-skipped",
    "max-file-size",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }
}

/// The configuration file's values (all optional) and where they were.
#[derive(Debug, Default)]
pub struct Config {
    /// The file, as shown in messages; `None` when no file was used.
    pub path: Option<String>,
    pub settings: Settings,
    pub selection: RuleSelection,
    pub exclude: Vec<String>,
    pub context: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub report_unused_ignores: bool,
    /// `units:` (default `auto`).
    pub units: crate::units::UnitsMode,
    /// Note the files skipped as not manifests (KW0011).
    pub show_skipped: bool,
    /// `max-file-size:` in bytes (`None`: the default, 64 MiB).
    pub max_file_size: Option<u64>,
    /// `(key, line)` for every key the file sets, for `kwire config`.
    pub lines: Vec<(String, usize)>,
}

impl Config {
    /// Line of `key` in the file, if the file sets it.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }
}

/// A configuration file that cannot be used: its text and the problems.
#[derive(Debug)]
pub struct ConfigError {
    /// Boxed: a source file carries its line index and hint.
    pub file: Box<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The nearest `.kwire.yaml` in `start` or one of its parents.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// `path` as shown to the user: relative to the current directory when it
/// is below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    cwd.as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Reads and checks a configuration file (at most `max_size` bytes: the
/// file cannot raise its own limit, `--max-file-size` can).
pub fn load(path: &Path, max_size: u64) -> Result<Config, ConfigError> {
    let name = shown(path);
    let text = crate::fsio::read_text(path, max_size).map_err(|e| ConfigError {
        file: Box::new(SourceFile::new(name.clone(), String::new())),
        diagnostics: vec![Diagnostic::new(
            ERROR_CODE,
            Severity::Error,
            0,
            Span::default(),
            format!("cannot read the configuration file {e}"),
        )],
    })?;
    // Relative paths in the file (context, schema-dirs) are relative to it.
    let base = path.parent().map(shown).unwrap_or_default();
    parse(name, text, &base)
}

/// Parses configuration text (`name` is how the file is shown; relative
/// paths inside are joined to `base`).
pub fn parse(name: String, text: String, base: &str) -> Result<Config, ConfigError> {
    let file = SourceFile::new(name.clone(), text);
    let parsed = crate::parse::parse_file(0, &file);
    let mut p = Parser {
        file: &file,
        errors: parsed
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
        config: Config {
            path: Some(name),
            ..Config::default()
        },
        base,
    };
    let mut docs = parsed.documents.into_iter();
    if let Some(doc) = docs.next() {
        match doc.root.as_map() {
            Some(entries) => {
                for e in entries {
                    p.entry(&e.key, &e.value);
                }
            }
            None if doc.root.is_null() => {}
            None => p.error(
                doc.root.span,
                "the configuration must be a mapping of keys (kube-version, select, ignore, ...)"
                    .into(),
            ),
        }
    }
    if let Some(extra) = docs.next() {
        p.error(
            extra.root.span,
            "the configuration is one YAML document; remove the extra document".into(),
        );
    }
    if p.errors.is_empty() {
        Ok(p.config)
    } else {
        Err(ConfigError {
            diagnostics: p.errors,
            file: Box::new(file),
        })
    }
}

struct Parser<'a> {
    file: &'a SourceFile,
    errors: Vec<Diagnostic>,
    config: Config,
    base: &'a str,
}

impl Parser<'_> {
    fn error(&mut self, span: Span, message: String) {
        self.errors.push(Diagnostic::new(
            ERROR_CODE,
            Severity::Error,
            0,
            span,
            message,
        ));
    }

    fn error_help(&mut self, span: Span, message: String, help: String) {
        self.errors
            .push(Diagnostic::new(ERROR_CODE, Severity::Error, 0, span, message).with_help(help));
    }

    fn relative(&self, p: &str) -> String {
        if self.base.is_empty() || Path::new(p).is_absolute() {
            p.to_string()
        } else {
            Path::new(self.base).join(p).to_string_lossy().into_owned()
        }
    }

    fn entry(&mut self, key: &Node, value: &Node) {
        let Some(k) = key.as_str() else {
            self.error(
                key.span,
                format!(
                    "keys are names such as kube-version; this key is {}",
                    key.type_name()
                ),
            );
            return;
        };
        let line = self.file.line_col(key.span.start as usize).line;
        self.config.lines.push((k.to_string(), line));
        match k {
            "kube-version" => {
                // The source text, not the YAML value: a plain 1.30 is the float 1.3.
                let text = value
                    .as_str()
                    .map_or_else(|| self.file.slice(value.span).to_string(), str::to_string);
                match KubeVersion::parse(&text) {
                    Ok(v) => self.config.settings.kube_version = v,
                    Err(e) => self.error(value.span, e),
                }
            }
            "select" => {
                let list = self.selectors(value);
                self.config.selection.select = Some(list);
            }
            "extend-select" => self.config.selection.extend_select = self.selectors(value),
            "ignore" => self.config.selection.ignore = self.selectors(value),
            "severity" => {
                let Some(entries) =
                    self.map(value, "a mapping of rule to severity, e.g. {KW3002: error}")
                else {
                    return;
                };
                for e in entries {
                    let sel = self.selector(&e.key);
                    let sev = match e.value.as_str() {
                        Some("error") => Some(Severity::Error),
                        Some("warning") => Some(Severity::Warning),
                        Some("info") => Some(Severity::Info),
                        _ => {
                            self.error(
                                e.value.span,
                                "severity must be error, warning or info".into(),
                            );
                            None
                        }
                    };
                    if let (Some(sel), Some(sev)) = (sel, sev) {
                        self.config.selection.severity.push((sel, sev));
                    }
                }
            }
            "per-file-ignores" => {
                let Some(entries) = self.map(
                    value,
                    "a mapping of path glob to codes, e.g. {\"legacy/**\": [KW2]}",
                ) else {
                    return;
                };
                for e in entries {
                    let Some(glob) = e.key.as_str() else {
                        self.error(e.key.span, "expected a path glob".into());
                        continue;
                    };
                    let selectors = self.selectors(&e.value);
                    match glob::Pattern::new(glob) {
                        Ok(pattern) => self.config.selection.per_file_ignores.push(PathIgnore {
                            glob: glob.to_string(),
                            pattern,
                            selectors,
                        }),
                        Err(err) => self.error(e.key.span, format!("invalid glob: {err}")),
                    }
                }
            }
            "exclude" => {
                let globs = self.strings(value);
                for (g, span) in &globs {
                    if let Err(e) = glob::Pattern::new(g) {
                        self.error(*span, format!("invalid glob: {e}"));
                    }
                }
                self.config.exclude = globs.into_iter().map(|(g, _)| g).collect();
            }
            "context" => {
                let dirs = self.strings(value);
                self.config.context = dirs.iter().map(|(d, _)| self.relative(d)).collect();
            }
            "schema-dirs" => {
                let dirs = self.strings(value);
                self.config.settings.schema_dirs = dirs
                    .iter()
                    .map(|(d, _)| PathBuf::from(self.relative(d)))
                    .collect();
            }
            "assume" => {
                let items = self.strings(value);
                for (a, span) in &items {
                    if a.split('/').count() != 3 {
                        self.error_help(*span, format!("`{a}` is not Kind/namespace/name"), "write e.g. Secret/shop/tls, Service/*/db or ClusterIssuer//letsencrypt (cluster-scoped: empty namespace)".into());
                    }
                }
                self.config.settings.assume = items.into_iter().map(|(a, _)| a).collect();
            }
            "fail-on" => match value.as_str() {
                Some("error") => self.config.fail_on = Some(FailOn::Error),
                Some("warning") => self.config.fail_on = Some(FailOn::Warning),
                Some("info") => self.config.fail_on = Some(FailOn::Info),
                Some("never") => self.config.fail_on = Some(FailOn::Never),
                _ => self.error(
                    value.span,
                    "fail-on must be error, warning, info or never".into(),
                ),
            },
            "strict" => {
                if let Some(b) = self.bool(value) {
                    self.config.settings.strict = b;
                }
            }
            "ignore-missing-schemas" => {
                if let Some(b) = self.bool(value) {
                    self.config.settings.ignore_missing_schemas = b;
                }
            }
            "closed-world" => {
                if let Some(b) = self.bool(value) {
                    self.config.settings.closed_world = b;
                }
            }
            "units" => self.units(value),
            "report-unused-ignores" => {
                if let Some(b) = self.bool(value) {
                    self.config.report_unused_ignores = b;
                }
            }
            "show-skipped" => {
                if let Some(b) = self.bool(value) {
                    self.config.show_skipped = b;
                }
            }
            "max-file-size" => {
                let text = match &value.value {
                    Value::Int(n) => n.to_string(),
                    _ => value.scalar_text().unwrap_or_default(),
                };
                match crate::fsio::parse_size(&text) {
                    Ok(n) => self.config.max_file_size = Some(n),
                    Err(e) => self.error(value.span, format!("max-file-size: {e}")),
                }
            }
            other => {
                let near = crate::text::nearest_within(other, KEYS.iter().copied(), 3);
                let help = match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("known keys: {}", KEYS.join(", ")),
                };
                // The suggestion is in the message too: plain output (a
                // pipe, CI) prints no help line.
                let message = match near {
                    Some(n) => format!("unknown configuration key `{other}`; did you mean `{n}`?"),
                    None => format!("unknown configuration key `{other}`"),
                };
                self.error_help(key.span, message, help);
            }
        }
    }

    /// `units:` — a mode name, or a list of `{name, paths, namespace, alternatives}`.
    fn units(&mut self, value: &Node) {
        use crate::units::{DeclaredUnit, UnitsMode};
        if let Some(text) = value.as_str() {
            match UnitsMode::parse(text) {
                Ok(mode) => self.config.units = mode,
                Err(e) => self.error(value.span, e),
            }
            return;
        }
        let Some(items) = value.as_seq() else {
            self.error(
                value.span,
                format!(
                    "units must be auto, per-directory, per-file, input or a list of units, found {}",
                    value.type_name()
                ),
            );
            return;
        };
        let mut declared = Vec::new();
        for item in items {
            let Some(entries) = self.map(item, "a unit") else {
                continue;
            };
            let mut unit = DeclaredUnit::default();
            for e in entries {
                match e.key.as_str() {
                    Some("name") => match e.value.scalar_text() {
                        Some(n) => unit.name = n,
                        None => self.error(e.value.span, "a unit's name is a string".into()),
                    },
                    Some("paths") => {
                        unit.paths = self.strings(&e.value).into_iter().map(|(p, _)| p).collect();
                    }
                    Some("namespace") => unit.namespace = e.value.scalar_text(),
                    Some("alternatives") => {
                        unit.alternatives =
                            self.strings(&e.value).into_iter().map(|(p, _)| p).collect();
                    }
                    _ => self.error_help(
                        e.key.span,
                        format!(
                            "unknown unit key `{}`",
                            e.key.scalar_text().unwrap_or_default()
                        ),
                        "a unit has name, paths, namespace and alternatives".into(),
                    ),
                }
            }
            if unit.name.is_empty() {
                self.error(item.span, "a unit needs a name".into());
            }
            if unit.paths.is_empty() {
                self.error(item.span, "a unit needs paths".into());
            }
            declared.push(unit);
        }
        self.config.units = UnitsMode::Declared(declared);
    }

    fn bool(&mut self, value: &Node) -> Option<bool> {
        let b = value.as_bool();
        if b.is_none() {
            self.error(
                value.span,
                format!("expected true or false, found {}", value.type_name()),
            );
        }
        b
    }

    fn map<'n>(&mut self, value: &'n Node, what: &str) -> Option<&'n [crate::parse::Entry]> {
        let m = value.as_map();
        if m.is_none() && !value.is_null() {
            self.error(
                value.span,
                format!("expected {what}, found {}", value.type_name()),
            );
        }
        m
    }

    /// A list of strings; a single string is a one-item list.
    fn strings(&mut self, value: &Node) -> Vec<(String, Span)> {
        let items: Vec<&Node> = match &value.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![value],
        };
        let mut out = Vec::new();
        for item in items {
            match item.scalar_text() {
                Some(s) if matches!(item.value, Value::Str(_)) => out.push((s, item.span)),
                _ => self.error(
                    item.span,
                    format!("expected a string, found {}", item.type_name()),
                ),
            }
        }
        out
    }

    fn selector(&mut self, node: &Node) -> Option<Selector> {
        let Some(text) = node.as_str() else {
            self.error(
                node.span,
                format!("expected a rule code or name, found {}", node.type_name()),
            );
            return None;
        };
        match Selector::parse(text) {
            Ok(s) => Some(s),
            Err(e) => {
                self.error(node.span, e);
                None
            }
        }
    }

    /// Selectors from a list (or a comma-separated string).
    fn selectors(&mut self, value: &Node) -> Vec<Selector> {
        let mut out = Vec::new();
        for (text, span) in self.strings(value) {
            for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match Selector::parse(item) {
                    Ok(s) => out.push(s),
                    Err(e) => self.error(span, e),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Config {
        parse(".kwire.yaml".into(), text.into(), "").unwrap()
    }

    fn errors(text: &str) -> Vec<(usize, usize, String)> {
        let err = parse(".kwire.yaml".into(), text.into(), "").unwrap_err();
        err.diagnostics
            .iter()
            .map(|d| {
                let p = err.file.line_col(d.span.start as usize);
                (p.line, p.column, d.message.clone())
            })
            .collect()
    }

    #[test]
    fn reads_every_key() {
        let c = ok(
            "kube-version: 1.30\nselect: [KW3, duplicate-key]\nignore: KW3002\nseverity: {KW0: warning}\nper-file-ignores: {\"legacy/**\": [KW0]}\nexclude: [\"charts/**\"]\ncontext: [k8s]\nfail-on: error\nassume: [Secret/shop/tls]\nstrict: false\nignore-missing-schemas: true\nschema-dirs: [crds]\nreport-unused-ignores: yes\nshow-skipped: true\n",
        );
        assert_eq!(c.settings.kube_version, KubeVersion::new(1, 30));
        assert_eq!(c.selection.select.as_ref().map(Vec::len), Some(2));
        assert!(!c.selection.enabled("KW3002"));
        assert!(c.selection.enabled("KW3001"));
        assert!(c.selection.enabled("KW0002"));
        assert_eq!(
            c.selection.severity_of("KW0002", Severity::Error),
            Severity::Warning
        );
        assert!(!c.selection.enabled_in("KW0002", "legacy/a.yaml"));
        assert_eq!(c.exclude, ["charts/**"]);
        assert_eq!(c.context, ["k8s"]);
        assert_eq!(c.fail_on, Some(FailOn::Error));
        assert_eq!(c.settings.assume, ["Secret/shop/tls"]);
        assert!(!c.settings.strict);
        assert!(c.settings.ignore_missing_schemas);
        assert!(c.report_unused_ignores);
        assert!(c.show_skipped);
        assert_eq!(c.line_of("fail-on"), Some(8));
    }

    #[test]
    fn errors_point_into_the_file() {
        assert_eq!(
            errors("select: [KW3]\nignroe: [KW5]\n"),
            [(
                2,
                1,
                "unknown configuration key `ignroe`; did you mean `ignore`?".to_string()
            )]
        );
        let e = errors("ignore: [KW3, KW3999]\nseverity: {KW3001: fatal}\n");
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].0, e[0].1), (1, 15));
        assert!(e[0].2.contains("unknown rule code `KW3999`"));
        assert_eq!((e[1].0, e[1].1), (2, 20));
        assert!(!errors("kube-version: banana\n").is_empty());
        assert!(!errors("- a\n").is_empty());
        assert!(
            !errors("a: [\n").is_empty(),
            "YAML syntax errors are config errors"
        );
        assert!(ok("").selection.select.is_none());
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let c = parse("../.kwire.yaml".into(), "context: [k8s]\n".into(), "..").unwrap();
        assert_eq!(c.context, ["../k8s"]);
    }
}
