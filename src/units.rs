//! Deployment units: which files are applied together.
//!
//! A repository is not one cluster. A **unit** is a set of files applied
//! together; two units are **alternatives** when they are never applied to
//! the same cluster (the prod and staging overlays of one base, independent
//! samples). References resolve inside a unit and across the units that
//! coexist with it, never across alternatives (`docs/references.md`).
//!
//! Units come from one of:
//! - `auto` (the default): every kustomization that no other kustomization
//!   includes is a unit holding everything it includes (`resources`,
//!   `bases`, `components`, `crds`, patch files, recursively). Its
//!   `namespace:` becomes the namespace of its namespaced objects. Two such
//!   units that include a common file are alternatives. Files no
//!   kustomization includes form one more unit that coexists with all.
//! - `per-directory` / `per-file`: every directory (file) its own unit, all
//!   alternatives of each other (kube-linter's / kubeconform's view).
//! - `input`: the whole input is one unit.
//! - a declared list (`.kwire.yaml` `units:`), with paths, namespace and
//!   alternatives.
//!
//! Nothing is rendered: kwire reads a kustomization's file lists, its
//! `namespace:`, its generators' names and the patches that only set or
//! remove `metadata.namespace`; other patches and transformers are not
//! applied. A unit that kwire cannot see whole (remote resources, Helm
//! charts, generator plugins, a patch file it cannot read) is marked open:
//! missing references in it are not reported, nor objects "in another
//! namespace", since what kwire did not read may create or move them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::parse::{Node, Value};
use crate::source::SourceFile;

pub type UnitId = u32;

/// How the input is split into units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum UnitsMode {
    /// Kustomizations, plus one unit of the files none includes.
    #[default]
    Auto,
    /// Every directory its own unit; all alternatives.
    PerDirectory,
    /// Every file its own unit; all alternatives.
    PerFile,
    /// One unit: everything.
    Input,
    /// As declared in `.kwire.yaml`.
    Declared(Vec<DeclaredUnit>),
}

impl UnitsMode {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "auto" | "kustomize" => Ok(UnitsMode::Auto),
            "per-directory" => Ok(UnitsMode::PerDirectory),
            "per-file" => Ok(UnitsMode::PerFile),
            "input" => Ok(UnitsMode::Input),
            other => Err(format!(
                "unknown units mode `{other}`; expected auto, per-directory, per-file, input, or a list of units"
            )),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            UnitsMode::Auto => "auto",
            UnitsMode::PerDirectory => "per-directory",
            UnitsMode::PerFile => "per-file",
            UnitsMode::Input => "input",
            UnitsMode::Declared(_) => "declared",
        }
    }
}

/// One entry of `.kwire.yaml` `units:`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredUnit {
    pub name: String,
    /// Globs matched like `--exclude`: the whole path or any tail of it.
    pub paths: Vec<String>,
    /// The namespace given to the unit's namespaced objects.
    pub namespace: Option<String>,
    /// Units never applied beside this one (the relation is symmetric).
    pub alternatives: Vec<String>,
}

/// A patch that sets (`Some`) or removes (`None`) `metadata.namespace` of
/// the objects its target names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespacePatch {
    pub kind: Option<String>,
    pub name: Option<String>,
    /// The target's namespace, when the target names one.
    pub namespace: Option<String>,
    pub set: Option<String>,
}

impl NamespacePatch {
    pub fn targets(&self, kind: &str, name: &str, namespace: &str) -> bool {
        self.kind.as_deref().is_none_or(|k| k == kind)
            && self.name.as_deref().is_none_or(|n| n == name)
            && self.namespace.as_deref().is_none_or(|n| n == namespace)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Unit {
    /// Shown in findings: the kustomization's directory, the directory, the
    /// file, the declared name, or `(input)` / `(other files)`.
    pub name: String,
    /// Member files (display paths) and the namespace the unit gives their
    /// namespaced objects (`None`: their own).
    pub files: BTreeMap<String, Option<String>>,
    /// `(kind, name)` of objects generators create (configMapGenerator,
    /// secretGenerator), with the namespace override that applies to them.
    pub generated: Vec<(&'static str, String, Option<String>)>,
    /// Patches that set or remove `metadata.namespace`.
    pub namespace_patches: Vec<NamespacePatch>,
    /// Why kwire cannot see the whole unit (remote resources, Helm charts,
    /// generator plugins): missing references are not reported in it.
    pub open: Option<String>,
}

/// The units of a run and how they relate.
#[derive(Debug, Default)]
pub struct Units {
    pub units: Vec<Unit>,
    /// `true`: every unit is an alternative of every other.
    isolated: bool,
    /// `true`: one unit holds every file (its `files` stay empty: a large
    /// input need not copy every path into the unit).
    whole_input: bool,
    /// Pairs `(a, b)`, `a < b`, that are alternatives.
    alternatives: HashSet<(UnitId, UnitId)>,
    by_file: HashMap<String, Vec<UnitId>>,
    /// Files the units include that the input did not name (a base outside
    /// the linted directory): loaded for references, not reported on.
    pub extra_files: Vec<String>,
}

impl Units {
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The units a file belongs to.
    pub fn of_file(&self, path: &str) -> &[UnitId] {
        if self.whole_input {
            return &[0];
        }
        self.by_file.get(path).map_or(&[], Vec::as_slice)
    }

    pub fn get(&self, id: UnitId) -> Option<&Unit> {
        self.units.get(id as usize)
    }

    /// Can objects of `a` and `b` exist in one cluster?
    pub fn coexist(&self, a: UnitId, b: UnitId) -> bool {
        if a == b {
            return true;
        }
        if self.isolated {
            return false;
        }
        !self.alternatives.contains(&(a.min(b), a.max(b)))
    }

    /// Groups of units that see the same world (the units they coexist
    /// with): one catalog serves each group. Each entry is (the units
    /// checked, the units whose objects they see), both sorted.
    pub fn worlds(&self) -> Vec<(Vec<UnitId>, Vec<UnitId>)> {
        let n = u32::try_from(self.units.len()).unwrap_or(u32::MAX);
        if self.isolated {
            return (0..n).map(|u| (vec![u], vec![u])).collect();
        }
        let mut groups: BTreeMap<Vec<UnitId>, Vec<UnitId>> = BTreeMap::new();
        for u in 0..n {
            let world: Vec<UnitId> = (0..n).filter(|&v| self.coexist(u, v)).collect();
            groups.entry(world).or_default().push(u);
        }
        let mut out: Vec<(Vec<UnitId>, Vec<UnitId>)> = groups
            .into_iter()
            .map(|(world, units)| (units, world))
            .collect();
        out.sort();
        out
    }

    fn push(&mut self, unit: Unit) -> UnitId {
        let id = UnitId::try_from(self.units.len()).unwrap_or(UnitId::MAX);
        for path in unit.files.keys() {
            self.by_file.entry(path.clone()).or_default().push(id);
        }
        self.units.push(unit);
        id
    }
}

/// Splits the input into units. `files` are the display paths of every file
/// to lint (context files included), `kustomizations` the display paths of
/// the kustomization files discovery met.
pub fn infer(mode: &UnitsMode, files: &[String], kustomizations: &[String]) -> Units {
    match mode {
        UnitsMode::Input => single("(input)"),
        UnitsMode::PerDirectory => isolated(files, |f| parent(f).to_string()),
        UnitsMode::PerFile => isolated(files, |f| f.to_string()),
        UnitsMode::Declared(declared) => declared_units(declared, files),
        UnitsMode::Auto => {
            if kustomizations.is_empty() {
                single("(input)")
            } else {
                kustomize_units(files, kustomizations)
            }
        }
    }
}

fn single(name: &str) -> Units {
    let mut units = Units {
        whole_input: true,
        ..Units::default()
    };
    units.push(Unit {
        name: name.to_string(),
        ..Unit::default()
    });
    units
}

fn isolated(files: &[String], key: impl Fn(&str) -> String) -> Units {
    let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for f in files {
        groups.entry(key(f)).or_default().push(f);
    }
    let mut units = Units {
        isolated: true,
        ..Units::default()
    };
    for (name, members) in groups {
        units.push(Unit {
            name,
            files: members.into_iter().map(|f| (f.clone(), None)).collect(),
            ..Unit::default()
        });
    }
    units
}

fn declared_units(declared: &[DeclaredUnit], files: &[String]) -> Units {
    let mut units = Units::default();
    let mut claimed: HashSet<String> = HashSet::new();
    for d in declared {
        let patterns: Vec<glob::Pattern> = d
            .paths
            .iter()
            .filter_map(|p| glob::Pattern::new(p.trim_start_matches("./")).ok())
            .collect();
        let members: BTreeMap<String, Option<String>> = files
            .iter()
            .filter(|f| crate::discover::matches_path(&patterns, f))
            .map(|f| (f.clone(), d.namespace.clone()))
            .collect();
        claimed.extend(members.keys().cloned());
        units.push(Unit {
            name: d.name.clone(),
            files: members,
            ..Unit::default()
        });
    }
    let ids: HashMap<&str, UnitId> = declared
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((d.name.as_str(), UnitId::try_from(i).ok()?)))
        .collect();
    for (i, d) in declared.iter().enumerate() {
        let Ok(a) = UnitId::try_from(i) else { continue };
        for other in &d.alternatives {
            if let Some(&b) = ids.get(other.as_str())
                && a != b
            {
                units.alternatives.insert((a.min(b), a.max(b)));
            }
        }
    }
    let rest: Vec<String> = files
        .iter()
        .filter(|f| !claimed.contains(*f))
        .cloned()
        .collect();
    if !rest.is_empty() {
        units.push(Unit {
            name: "(other files)".to_string(),
            files: rest.into_iter().map(|f| (f, None)).collect(),
            ..Unit::default()
        });
    }
    units
}

/// What kwire reads of one kustomization file.
#[derive(Debug, Default)]
struct Kustomization {
    namespace: Option<String>,
    /// Files it lists (resources, crds, patch files), as display paths.
    files: Vec<String>,
    /// Kustomizations it includes (resources or components that are
    /// directories), as display paths of their kustomization files.
    children: Vec<String>,
    generated: Vec<(&'static str, String)>,
    namespace_patches: Vec<NamespacePatch>,
    open: Option<String>,
    /// `kind: Component` (kustomize's `v1alpha1` Component): built only as
    /// part of a kustomization that lists it under `components:`.
    component: bool,
}

/// How deep kustomizations may nest before kwire stops following them.
const MAX_DEPTH: usize = 64;
/// How many kustomization files one run reads at most.
const MAX_KUSTOMIZATIONS: usize = 10_000;

fn kustomize_units(files: &[String], kustomizations: &[String]) -> Units {
    // Read every kustomization reachable from the ones discovered.
    let mut read: BTreeMap<String, Kustomization> = BTreeMap::new();
    let mut queue: Vec<String> = kustomizations.to_vec();
    while let Some(path) = queue.pop() {
        if read.contains_key(&path) || read.len() >= MAX_KUSTOMIZATIONS {
            continue;
        }
        let k = read_kustomization(&path);
        queue.extend(k.children.iter().cloned());
        read.insert(path, k);
    }
    let included: HashSet<&str> = read
        .values()
        .flat_map(|k| k.children.iter().map(String::as_str))
        .collect();
    // Roots: kustomizations no other includes (a cycle has none: then every
    // member of the cycle is its own root, which is harmless).
    let mut roots: Vec<&str> = read
        .keys()
        .map(String::as_str)
        .filter(|p| !included.contains(p))
        .collect();
    if roots.is_empty() {
        roots = read.keys().map(String::as_str).collect();
    }
    let known: HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut units = Units::default();
    let mut extra: BTreeSet<String> = BTreeSet::new();
    let mut members_of: Vec<BTreeSet<String>> = Vec::new();
    for root in roots {
        let mut unit = Unit {
            name: parent(root).to_string(),
            ..Unit::default()
        };
        let mut visited = HashSet::new();
        collect(root, None, &read, &mut unit, &mut visited, 0);
        for f in unit.files.keys() {
            if !known.contains(f.as_str()) && std::path::Path::new(f).is_file() {
                extra.insert(f.clone());
            }
        }
        // Files that exist nowhere (a typo in `resources:`) are dropped.
        unit.files
            .retain(|f, _| known.contains(f.as_str()) || extra.contains(f));
        members_of.push(unit.files.keys().cloned().collect());
        units.push(unit);
    }
    // Units sharing a file are alternatives (two overlays of one base).
    for a in 0..members_of.len() {
        for b in a + 1..members_of.len() {
            let (Some(ma), Some(mb)) = (members_of.get(a), members_of.get(b)) else {
                continue;
            };
            if !ma.is_disjoint(mb)
                && let (Ok(a), Ok(b)) = (UnitId::try_from(a), UnitId::try_from(b))
            {
                units.alternatives.insert((a, b));
            }
        }
    }
    let loose: BTreeMap<String, Option<String>> = files
        .iter()
        .filter(|f| units.of_file(f).is_empty())
        .map(|f| (f.clone(), None))
        .collect();
    if !loose.is_empty() {
        units.push(Unit {
            name: "(other files)".to_string(),
            files: loose,
            ..Unit::default()
        });
    }
    units.extra_files = extra.into_iter().collect();
    units
}

/// Adds what kustomization `path` includes to `unit`. `namespace` is the
/// namespace an enclosing kustomization sets (it wins: kustomize applies the
/// outer namespace transformer last).
fn collect(
    path: &str,
    namespace: Option<&str>,
    read: &BTreeMap<String, Kustomization>,
    unit: &mut Unit,
    visited: &mut HashSet<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH || !visited.insert(path.to_string()) {
        return;
    }
    let Some(k) = read.get(path) else {
        return;
    };
    let namespace = namespace.or(k.namespace.as_deref());
    for f in &k.files {
        unit.files
            .entry(f.clone())
            .or_insert_with(|| namespace.map(str::to_string));
    }
    for (kind, name) in &k.generated {
        unit.generated
            .push((kind, name.clone(), namespace.map(str::to_string)));
    }
    unit.namespace_patches
        .extend(k.namespace_patches.iter().cloned());
    if unit.open.is_none() {
        unit.open.clone_from(&k.open);
    }
    for child in &k.children {
        collect(child, namespace, read, unit, visited, depth + 1);
    }
}

/// The KW0011 notes of skipped kustomization files and Helm charts, made
/// readable: a kustomize Component's note points at the kustomization that
/// includes it (a Component cannot be built alone), and two or more notes
/// of one kind become one note per run (the first file's), unless
/// `show_each` (`--show-skipped`) asks for every file.
pub fn summarize_skipped(
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
    files: &[SourceFile],
    show_each: bool,
) {
    let path_of = |d: &crate::diagnostic::Diagnostic| {
        files.get(d.file as usize).map_or("", |f| f.path.as_str())
    };
    let is_kustomization_note =
        |d: &crate::diagnostic::Diagnostic| d.code == "KW0011" && is_kustomization(path_of(d));
    let is_chart_note = |d: &crate::diagnostic::Diagnostic| {
        d.code == "KW0011"
            && file_name(path_of(d)) == "Chart.yaml"
            && d.message.starts_with("Helm chart")
    };
    let kustomizations: Vec<String> = diagnostics
        .iter()
        .filter(|d| is_kustomization_note(d))
        .map(|d| path_of(d).to_string())
        .collect();
    if kustomizations.is_empty() && diagnostics.iter().filter(|d| is_chart_note(d)).count() < 2 {
        return;
    }
    // Which kustomization includes which, among the skipped ones.
    let read: BTreeMap<&str, Kustomization> = kustomizations
        .iter()
        .map(|p| (p.as_str(), read_kustomization(p)))
        .collect();
    let includer = |child: &str| -> Option<&str> {
        read.iter()
            .find(|(_, k)| k.children.iter().any(|c| c == child))
            .map(|(p, _)| *p)
    };
    // The top-level kustomization above `path` (a chain of includes).
    let top = |path: &str| -> String {
        let mut at = path;
        for _ in 0..MAX_DEPTH {
            match includer(at) {
                Some(up) if up != path => at = up,
                _ => break,
            }
        }
        at.to_string()
    };
    for d in diagnostics.iter_mut().filter(|d| is_kustomization_note(d)) {
        let path = path_of(d).to_string();
        if read.get(path.as_str()).is_some_and(|k| k.component) {
            d.message = "kustomize Component: not objects to apply, and not buildable alone".into();
            d.help = Some(match includer(&path) {
                Some(_) => format!(
                    "render the kustomization that includes it: `kustomize build {} | kwire lint -`",
                    display_dir(&top(&path))
                ),
                None => "render a kustomization that lists it under `components:`: `kustomize build DIR | kwire lint -`".to_string(),
            });
        }
    }
    if show_each {
        return;
    }
    let owned_path = |d: &crate::diagnostic::Diagnostic| path_of(d).to_string();
    group_notes(diagnostics, &is_kustomization_note, &owned_path, |paths| {
        // What to build: the top-level kustomizations above the skipped
        // ones, never a Component (it cannot be built alone).
        let mut tops: Vec<String> = paths
            .iter()
            .map(|p| top(p))
            .filter(|t| !read.get(t.as_str()).is_some_and(|k| k.component))
            .collect();
        tops.sort();
        tops.dedup();
        if tops.is_empty() {
            tops.push("DIR/kustomization.yaml".to_string());
        }
        let builds: Vec<String> = tops
            .iter()
            .take(3)
            .map(|t| format!("`kustomize build {} | kwire lint -`", display_dir(t)))
            .collect();
        let more = if tops.len() > 3 { ", …" } else { "" };
        (
            format!(
                "skipped {} kustomization files: they are not objects to apply ({})",
                paths.len(),
                crate::text::quoted_list(paths.iter().map(|p| display_dir(p)), 3)
            ),
            format!(
                "lint what they render: {}{more}; `--show-skipped` notes each file",
                builds.join(", ")
            ),
        )
    });
    group_notes(diagnostics, &is_chart_note, &owned_path, |paths| {
        let charts: Vec<&str> = paths.iter().map(|p| display_dir(p)).collect();
        let example = charts.first().copied().unwrap_or(".");
        (
            format!(
                "skipped {} Helm charts: their templates are not objects until rendered ({})",
                paths.len(),
                crate::text::quoted_list(charts.iter().copied(), 3)
            ),
            format!(
                "lint what they render, one chart at a time: `helm template NAME {example} | kwire lint -`; `--show-skipped` notes each chart"
            ),
        )
    });
}

/// Replaces two or more notes that `is_note` picks by the first of them,
/// with the message and help `text` makes from their files' paths.
fn group_notes(
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
    is_note: &dyn Fn(&crate::diagnostic::Diagnostic) -> bool,
    path_of: &dyn Fn(&crate::diagnostic::Diagnostic) -> String,
    text: impl Fn(&[String]) -> (String, String),
) {
    let picked: Vec<bool> = diagnostics.iter().map(is_note).collect();
    let paths: Vec<String> = diagnostics
        .iter()
        .zip(&picked)
        .filter(|(_, p)| **p)
        .map(|(d, _)| path_of(d))
        .collect();
    if paths.len() < 2 {
        return;
    }
    let (message, help) = text(&paths);
    let mut seen_first = false;
    let mut index = 0;
    diagnostics.retain_mut(|d| {
        let keep = match picked.get(index) {
            Some(true) if !seen_first => {
                seen_first = true;
                d.message.clone_from(&message);
                d.help = Some(help.clone());
                true
            }
            Some(true) => false,
            _ => true,
        };
        index += 1;
        keep
    });
}

/// The directory of a kustomization or Chart.yaml path, as `kustomize
/// build` and `helm template` take it (`.` for the current one).
fn display_dir(path: &str) -> &str {
    match parent(path) {
        "" => ".",
        dir => dir,
    }
}

const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Is this the file name of a kustomization?
pub fn is_kustomization(path: &str) -> bool {
    KUSTOMIZATION_NAMES.contains(&file_name(path))
}

fn read_kustomization(path: &str) -> Kustomization {
    let mut k = Kustomization::default();
    // Bounded, and never a FIFO (docs/robustness.md).
    let max = crate::fsio::DEFAULT_MAX_FILE_SIZE;
    let Ok(text) = crate::fsio::read_text(std::path::Path::new(path), max) else {
        k.open = Some(format!("{path} could not be read"));
        return k;
    };
    let source = SourceFile::new(path, text);
    let parsed = crate::parse::parse_file(0, &source);
    let Some(root) = parsed.documents.into_iter().next().map(|d| d.root) else {
        return k;
    };
    let dir = parent(path);
    k.component = root.get_str("kind") == Some("Component");
    k.namespace = root
        .get_str("namespace")
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    for key in ["resources", "bases", "components"] {
        for entry in root.get_seq(key) {
            let Some(rel) = entry.as_str() else { continue };
            add_resource(&mut k, dir, rel);
        }
    }
    for entry in root.get_seq("crds") {
        if let Some(rel) = entry.as_str() {
            k.files.push(join(dir, rel));
        }
    }
    // Strategic-merge patch files are partial objects of the unit.
    for entry in root.get_seq("patchesStrategicMerge") {
        if let Some(rel) = entry.as_str().filter(|s| !s.contains('\n')) {
            k.files.push(join(dir, rel));
        }
    }
    for key in ["patches", "patchesJson6902"] {
        for entry in root.get_seq(key) {
            read_patch(&mut k, dir, entry);
        }
    }
    for (key, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for entry in root.get_seq(key) {
            if let Some(name) = entry.get_str("name") {
                k.generated.push((kind, name.to_string()));
            }
        }
    }
    for key in ["helmCharts", "helmChartInflationGenerator", "generators"] {
        if !root.get_seq(key).is_empty() && k.open.is_none() {
            k.open = Some(format!("{path} uses `{key}`, which kwire does not render"));
        }
    }
    k
}

fn add_resource(k: &mut Kustomization, dir: &str, rel: &str) {
    if is_remote(rel) {
        if k.open.is_none() {
            k.open = Some(format!("remote resource `{rel}` is not read"));
        }
        return;
    }
    let target = join(dir, rel);
    let as_path = std::path::Path::new(&target);
    if as_path.is_dir() {
        match KUSTOMIZATION_NAMES
            .iter()
            .map(|n| join(&target, n))
            .find(|p| std::path::Path::new(p).is_file())
        {
            Some(child) => k.children.push(child),
            // kustomize rejects a directory without a kustomization; take
            // its manifests rather than nothing.
            None => k.files.extend(manifests_in(&target)),
        }
    } else {
        k.files.push(target);
    }
}

/// The `*.yaml`/`*.yml`/`*.json` files directly in `dir`, sorted.
fn manifests_in(dir: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            (lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json"))
                && !n.starts_with('.')
        })
        .map(|n| join(dir, &n))
        .collect();
    out.sort();
    out
}

/// A `patches:` / `patchesJson6902:` entry: a strategic-merge patch file is
/// a member; a JSON patch that sets or removes `metadata.namespace` is kept
/// to apply; others are not applied.
fn read_patch(k: &mut Kustomization, dir: &str, entry: &Node) {
    let target = entry.get("target");
    let ops: Option<Vec<Node>> = if let Some(rel) = entry.get_str("path") {
        let file = join(dir, rel);
        let max = crate::fsio::DEFAULT_MAX_FILE_SIZE;
        let Ok(text) = crate::fsio::read_text(std::path::Path::new(&file), max) else {
            // What it patches (a namespace, a selector) is unknown.
            if k.open.is_none() {
                k.open = Some(format!("patch file {file} could not be read"));
            }
            return;
        };
        let parsed = crate::parse::parse_file(0, &SourceFile::new(file.clone(), text));
        let root = parsed.documents.into_iter().next().map(|d| d.root);
        match root {
            // A list of operations: a JSON patch file, not objects.
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => Some(items.into_vec()),
            Some(_) => {
                k.files.push(file);
                None
            }
            None => None,
        }
    } else if let Some(inline) = entry.get_str("patch") {
        let parsed = crate::parse::parse_file(0, &SourceFile::new("<patch>", inline.to_string()));
        match parsed.documents.into_iter().next().map(|d| d.root) {
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => Some(items.into_vec()),
            _ => None,
        }
    } else {
        None
    };
    let (Some(ops), Some(target)) = (ops, target) else {
        return;
    };
    for op in &ops {
        if op.get_str("path") != Some("/metadata/namespace") {
            continue;
        }
        let set = match op.get_str("op") {
            Some("remove") => None,
            Some("add" | "replace") => match op.get_str("value") {
                Some(v) => Some(v.to_string()),
                None => continue,
            },
            _ => continue,
        };
        let field = |key: &str| target.get_str(key).map(str::to_string);
        k.namespace_patches.push(NamespacePatch {
            kind: field("kind"),
            name: field("name").filter(|n| !is_regex(n)),
            namespace: field("namespace"),
            set,
        });
    }
}

/// kustomize target names are regular expressions; kwire matches plain
/// names only and lets a pattern match every name.
fn is_regex(name: &str) -> bool {
    name.contains(['*', '^', '$', '|', '(', '[', '+', '?', '\\'])
}

fn is_remote(rel: &str) -> bool {
    rel.contains("://")
        || rel.starts_with("git@")
        || rel.starts_with("github.com/")
        || rel.contains("?ref=")
}

/// The directory part of a display path (`.` for a bare file name).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => path.get(..i).unwrap_or("."),
        None => ".",
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `dir/rel`, normalized the way discovery shows paths: no `.` components,
/// `x/..` folded, relative stays relative.
pub fn join(dir: &str, rel: &str) -> String {
    let absolute = rel.starts_with('/') || (dir.starts_with('/') && !rel.starts_with('/'));
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_discovery_shows_paths() {
        assert_eq!(
            join("manifests/ha/base", "../../base/x"),
            "manifests/base/x"
        );
        assert_eq!(join(".", "base"), "base");
        assert_eq!(join("a", "./b/./c.yaml"), "a/b/c.yaml");
        assert_eq!(join("../shared/k", "../b"), "../shared/b");
        assert_eq!(join("..", "../b"), "../../b");
        assert_eq!(join("/abs/dir", "../x"), "/abs/x");
        assert_eq!(join("a", "/etc/x"), "/etc/x");
        assert_eq!(parent("a/b/c.yaml"), "a/b");
        assert_eq!(parent("c.yaml"), ".");
    }

    #[test]
    fn per_directory_units_are_isolated() {
        let files: Vec<String> = ["a/x.yaml", "a/y.yaml", "b/z.yaml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let units = infer(&UnitsMode::PerDirectory, &files, &[]);
        assert_eq!(units.len(), 2);
        assert_eq!(units.of_file("a/x.yaml"), units.of_file("a/y.yaml"));
        assert!(!units.coexist(0, 1));
        assert_eq!(units.worlds().len(), 2);
    }

    #[test]
    fn declared_alternatives() {
        let files: Vec<String> = ["base/d.yaml", "prod/p.yaml", "stage/s.yaml", "x.yaml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let declared = vec![
            DeclaredUnit {
                name: "prod".into(),
                paths: vec!["base/**".into(), "prod/**".into()],
                namespace: Some("prod".into()),
                alternatives: vec!["stage".into()],
            },
            DeclaredUnit {
                name: "stage".into(),
                paths: vec!["base/**".into(), "stage/**".into()],
                namespace: None,
                alternatives: vec![],
            },
        ];
        let units = infer(&UnitsMode::Declared(declared), &files, &[]);
        assert_eq!(units.len(), 3);
        assert_eq!(units.of_file("base/d.yaml"), &[0, 1]);
        assert_eq!(units.of_file("x.yaml"), &[2]);
        assert!(!units.coexist(0, 1));
        assert!(units.coexist(0, 2) && units.coexist(1, 2));
        // The loose unit sees both alternatives; each alternative sees itself and the loose unit.
        let worlds = units.worlds();
        assert!(worlds.contains(&(vec![2], vec![0, 1, 2])));
        assert!(worlds.contains(&(vec![0], vec![0, 2])));
    }
}
