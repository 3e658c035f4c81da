//! Command-line interface: clap definitions and the commands.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::lint::{LintOptions, StopAfter, lint};
use crate::report::{self, Format, Report};
use crate::rules;
use crate::selection::{self, RuleSelection};
use crate::settings::{KubeVersion, Settings};
use crate::units::UnitsMode;

pub use crate::config::FailOn;

#[derive(Parser, Debug)]
#[command(
    name = "kwire",
    version,
    about = "Kubernetes manifest linter that resolves the references between objects"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint manifests: files, directories (recursive), glob patterns, or `-` for stdin.
    #[command(after_help = EXIT_CODES)]
    Lint(LintArgs),
    /// List every rule: code, name, category, default severity, summary.
    Rules(RulesArgs),
    /// Print the full documentation of a rule.
    Explain {
        /// Rule code, e.g. KW3002.
        code: String,
    },
    /// Print the effective configuration (`.kwire.yaml` merged with the
    /// flags) and where each value comes from.
    // The lint flags that only shape a report are hidden here (and refused).
    #[command(
        mut_arg("paths", |a| a.hide(true)),
        mut_arg("format", |a| a.hide(true)),
        mut_arg("output", |a| a.hide(true)),
        mut_arg("baseline", |a| a.hide(true)),
        mut_arg("write_baseline", |a| a.hide(true)),
        mut_arg("color", |a| a.hide(true)),
        mut_arg("stdin_filename", |a| a.hide(true)),
        mut_arg("jobs", |a| a.hide(true)),
        mut_arg("statistics", |a| a.hide(true)),
        mut_arg("quiet", |a| a.hide(true)),
        mut_arg("fix", |a| a.hide(true)),
        mut_arg("unsafe_fixes", |a| a.hide(true)),
        mut_arg("diff", |a| a.hide(true))
    )]
    Config(LintArgs),
    /// Simulate the topology the manifests create: pods, what each Service
    /// reaches, every way in from outside, service-to-service calls.
    Graph(GraphArgs),
    /// Follow one request through the manifests, hop by hop: Ingress,
    /// Gateway API or Istio routing, the Service, its port, the pods.
    #[command(after_help = TRACE_HELP)]
    Trace(TraceArgs),
    /// Play one rolling update of a Deployment, StatefulSet or DaemonSet
    /// step by step, as its controller would (see docs/topology.md#rollouts).
    Rollout(RolloutArgs),
}

#[derive(clap::Args, Debug)]
pub struct RolloutArgs {
    /// The workload: KIND/NAME, e.g. deployment/web, statefulset/db, daemonset/agent.
    pub target: String,
    /// Files, directories or glob patterns (default: the current directory); `-` reads stdin.
    pub paths: Vec<String>,
    /// Output format: `text` (a table of steps) or `json` (one entry of
    /// `kwire graph -f json`'s `rollouts`).
    #[arg(short = 'f', long = "format", value_enum, default_value_t = RolloutFormat::Text)]
    pub format: RolloutFormat,
    /// The workload's namespace (default: any; required when the name is in several).
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespace: Option<String>,
    /// Schedulable nodes a DaemonSet runs on (the manifests do not say).
    #[arg(long = "nodes", value_name = "N", default_value_t = crate::settings::DEFAULT_NODES,
          value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub nodes: i64,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RolloutFormat {
    Text,
    Json,
}

/// The end of `kwire trace --help`.
const TRACE_HELP: &str = "Examples:
  kwire trace http://echo.example.com/echo-hostname fixtures/seeds/ingress-nginx
  kwire trace http://bookinfo.example.com/productpage -H 'end-user: jason' fixtures/istio/bookinfo
  kwire trace http://hostname-internal:8080/ --from default fixtures/seeds

Exit codes:
  0  every path reaches pods (or leaves the cluster, or is redirected)
  1  some path is dropped
  2  usage error, or an input that cannot be read";

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// Files, directories or glob patterns (default: the current directory); `-` reads stdin.
    pub paths: Vec<String>,
    /// Output format.
    #[arg(short = 'f', long = "format", value_enum, default_value_t = crate::topology::render::GraphFormat::Text)]
    pub format: crate::topology::render::GraphFormat,
    /// Write the graph to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only these namespaces (repeatable).
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespace: Vec<String>,
    /// Only these deployment units (repeatable; names as `kwire lint -f json` gives them).
    #[arg(long = "unit", value_name = "NAME")]
    pub unit: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Testing: print where the graph and the lint findings of the same run
    /// disagree (`topology::disagreements`), exit 1 if they do.
    #[arg(long = "check-agreement", hide = true)]
    pub check_agreement: bool,
}

#[derive(clap::Args, Debug)]
pub struct TraceArgs {
    /// The request: `http://host/path`, `https://host:8443/x`, or in the
    /// cluster (with --from) a DNS name such as `http://web.shop:8080/`.
    pub url: String,
    /// Files, directories or glob patterns (default: the current directory); `-` reads stdin.
    pub paths: Vec<String>,
    /// Output format: `text` (hops with file:line) or `json` (docs/trace-report.schema.json).
    #[arg(short = 'f', long = "format", value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Trace from inside the cluster, from a pod in this namespace (the host
    /// is then a cluster DNS name, read as that pod's resolver reads it).
    #[arg(long = "from", value_name = "NS")]
    pub from: Option<String>,
    /// With --from: the client pod's labels, `app=web,version=v1` (Istio
    /// `sourceLabels` matches read them).
    #[arg(long = "from-pod", value_name = "LABELS", requires = "from")]
    pub from_pod: Option<String>,
    /// HTTP method (matched by Gateway API and Istio method matches).
    #[arg(
        short = 'X',
        long = "request",
        value_name = "METHOD",
        default_value = "GET"
    )]
    pub method: String,
    /// A request header, `name: value` (repeatable; header matches).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub header: Vec<String>,
    /// Only Ingresses of this class.
    #[arg(long = "ingress-class", value_name = "CLASS")]
    pub ingress_class: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    Text,
    Json,
}

/// The input and resolution flags `graph` and `trace` share with `lint`.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// Configuration file (default: the nearest .kwire.yaml from the current directory up).
    #[arg(long = "config", value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every .kwire.yaml.
    #[arg(long = "no-config")]
    pub no_config: bool,
    /// Load these files or directories too, for references, without drawing their objects (repeatable).
    #[arg(long = "context", value_name = "DIR")]
    pub context: Vec<String>,
    /// Skip paths matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Number of threads (default: one per core).
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// Kubernetes version to check against (as for `lint`).
    #[arg(long = "kube-version", value_name = "X.Y")]
    pub kube_version: Option<String>,
    /// An object that exists outside the input (as for `lint`; repeatable).
    #[arg(long = "assume", value_name = "KIND/NS/NAME")]
    pub assume: Vec<String>,
    /// Every reference that does not resolve is a finding (as for `lint`).
    #[arg(long = "closed-world")]
    pub closed_world: bool,
    /// How files group into deployment units (as for `lint`).
    #[arg(long = "units", value_name = "MODE")]
    pub units: Option<String>,
    /// Every directory is its own unit (as for `lint`).
    #[arg(long = "unit-per-directory", conflicts_with = "units")]
    pub unit_per_directory: bool,
}

/// `lint`'s arguments for a `graph` run: parsed by the same clap
/// definitions, so both commands read their shared flags the same way.
#[derive(Parser, Debug)]
struct LintOnly {
    #[command(flatten)]
    args: LintArgs,
}

impl InputArgs {
    fn lint_args(&self, paths: &[String]) -> Result<LintArgs, clap::Error> {
        let mut argv: Vec<std::ffi::OsString> = vec!["kwire".into()];
        let mut flag = |name: &str, value: Option<std::ffi::OsString>| {
            argv.push(name.into());
            if let Some(v) = value {
                argv.push(v);
            }
        };
        if let Some(c) = &self.config {
            flag("--config", Some(c.clone().into()));
        }
        if self.no_config {
            flag("--no-config", None);
        }
        for c in &self.context {
            flag("--context", Some(c.into()));
        }
        for e in &self.exclude {
            flag("--exclude", Some(e.into()));
        }
        if let Some(j) = self.jobs {
            flag("--jobs", Some(j.to_string().into()));
        }
        if let Some(v) = &self.kube_version {
            flag("--kube-version", Some(v.into()));
        }
        for a in &self.assume {
            flag("--assume", Some(a.into()));
        }
        if self.closed_world {
            flag("--closed-world", None);
        }
        if let Some(u) = &self.units {
            flag("--units", Some(u.into()));
        }
        if self.unit_per_directory {
            flag("--unit-per-directory", None);
        }
        argv.push("--".into());
        argv.extend(paths.iter().map(Into::into));
        LintOnly::try_parse_from(argv).map(|l| l.args)
    }
}

/// The end of `kwire lint --help`.
const EXIT_CODES: &str = "Exit codes:
  0  no finding at or above --fail-on (default: warning)
  1  findings at or above --fail-on (with --fix: those that remain; with --diff:
     something to fix)
  2  usage error, a broken .kwire.yaml or baseline, or an input that cannot be read
     (it is reported as KW0009, and everything else is still linted), or --fix
     could not write a fixed file";

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// `text`: a table; `json`: the same as data (code, name, category,
    /// default severity, summary, whether it runs by default).
    #[arg(short = 'f', long = "format", value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files, directories or glob patterns to lint (default: the current directory); `-` reads stdin.
    pub paths: Vec<String>,
    /// Output format. Default: pretty on a terminal, plain otherwise (a
    /// pipe, a file); `-f pretty` forces pretty into a pipe too.
    #[arg(help_heading = "Output", short = 'f', long = "format", value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout (the summary still goes to stderr).
    #[arg(
        help_heading = "Output",
        short = 'o',
        long = "output",
        value_name = "FILE"
    )]
    pub output: Option<PathBuf>,
    /// Exit with code 1 when a finding at or above this severity exists [default: warning].
    #[arg(help_heading = "Output", long = "fail-on", value_enum)]
    pub fail_on: Option<FailOn>,
    /// Configuration file (default: the nearest .kwire.yaml from the current directory up).
    #[arg(
        help_heading = "Rules",
        long = "config",
        value_name = "PATH",
        conflicts_with = "no_config"
    )]
    pub config: Option<PathBuf>,
    /// Ignore every .kwire.yaml.
    #[arg(help_heading = "Rules", long = "no-config")]
    pub no_config: bool,
    /// Only these rules: codes, prefixes (KW3) or names, comma-separated (replaces `select` of the config).
    #[arg(
        help_heading = "Rules",
        long = "select",
        value_name = "RULES",
        value_delimiter = ','
    )]
    pub select: Vec<String>,
    /// These rules too, on top of `select` or the default set: how to turn on an opt-in rule (added to `extend-select` of the config).
    #[arg(
        help_heading = "Rules",
        long = "extend-select",
        value_name = "RULES",
        value_delimiter = ','
    )]
    pub extend_select: Vec<String>,
    /// Not these rules: codes, prefixes or names, comma-separated (added to `ignore` of the config).
    #[arg(
        help_heading = "Rules",
        long = "ignore",
        value_name = "RULES",
        value_delimiter = ','
    )]
    pub ignore: Vec<String>,
    /// Load these files or directories too, for cross-object references, without reporting on them (repeatable).
    #[arg(help_heading = "Input", long = "context", value_name = "DIR")]
    pub context: Vec<String>,
    /// Report suppression comments and annotations that suppressed nothing (KW0013).
    #[arg(help_heading = "Rules", long = "report-unused-ignores")]
    pub report_unused_ignores: bool,
    /// List the files skipped as not Kubernetes manifests (docker-compose.yml,
    /// package.json, kind or kubeadm configs...), one KW0011 note each.
    #[arg(help_heading = "Input", long = "show-skipped")]
    pub show_skipped: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(help_heading = "Baseline", long = "baseline", value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file and exit 0.
    #[arg(
        help_heading = "Baseline",
        long = "write-baseline",
        value_name = "FILE"
    )]
    pub write_baseline: Option<PathBuf>,
    /// Colour in pretty output: `auto` only on a terminal and without
    /// NO_COLOR; `always` also into a pipe or file (CI logs that render ANSI).
    /// Pretty output wraps to `COLUMNS`, else the terminal's width.
    #[arg(help_heading = "Output", long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Skip paths matching this glob (repeatable), e.g. `--exclude 'legacy/**'`.
    #[arg(help_heading = "Input", long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// File name to report for standard input (`-`).
    #[arg(help_heading = "Input", long = "stdin-filename", value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Number of threads (default: one per core).
    #[arg(help_heading = "Input", short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// Kubernetes version to check against, e.g. 1.29 (default: the newest kwire knows).
    /// Removed APIs are errors, deprecated ones warnings. `--target-version` is Pluto's name.
    #[arg(
        help_heading = "Kubernetes",
        long = "kube-version",
        visible_alias = "target-version",
        value_name = "X.Y"
    )]
    pub kube_version: Option<KubeVersion>,
    /// An object that exists outside the input, so references to it are
    /// satisfied (repeatable): `KIND/NAMESPACE/NAME`, `*` wildcards allowed,
    /// e.g. `--assume 'Secret/prod/vault-*'`.
    #[arg(help_heading = "References", long = "assume", value_name = "KIND/NS/NAME", value_parser = parse_assume)]
    pub assume: Vec<String>,
    /// Report unknown fields as warnings instead of errors (kubectl's `--validate=warn`).
    #[arg(help_heading = "Kubernetes", long = "no-strict")]
    pub no_strict: bool,
    /// Stay silent about kinds that have no known schema (custom resources without their CRD).
    #[arg(help_heading = "Kubernetes", long = "ignore-missing-schemas")]
    pub ignore_missing_schemas: bool,
    /// Extra JSON schemas in kubeconform's layout (`{kind}-{group}-{version}.json`,
    /// `{kind}_{version}.json`, `{group}/{kind}_{version}.json`); repeatable.
    #[arg(help_heading = "Kubernetes", long = "schema-dir", value_name = "DIR")]
    pub schema_dir: Vec<std::path::PathBuf>,
    /// Report every reference that does not resolve: the input (its unit
    /// and the units applied beside it) is everything that will exist,
    /// besides the cluster's built-ins and `--assume` (kube-linter's view).
    #[arg(help_heading = "References", long = "closed-world")]
    pub closed_world: bool,
    /// How files group into deployment units, whose objects are applied
    /// together: `auto` (kustomizations, then the other files), `per-directory`,
    /// `per-file`, `input` (one unit). See docs/references.md.
    #[arg(help_heading = "References", long = "units", value_name = "MODE", value_parser = UnitsMode::parse)]
    pub units: Option<UnitsMode>,
    /// Every directory is its own unit and none is applied beside another
    /// (`--units per-directory`): for a folder of independent samples.
    #[arg(
        help_heading = "References",
        long = "unit-per-directory",
        conflicts_with = "units"
    )]
    pub unit_per_directory: bool,
    /// Print how many findings each rule made (most first) instead of the
    /// findings; with `-f json`, as a JSON array (ruff's flag).
    #[arg(help_heading = "Output", long = "statistics")]
    pub statistics: bool,
    /// Print only the findings: no summary line and no warnings on stderr
    /// (usage and I/O errors are still printed).
    #[arg(help_heading = "Output", short = 'q', long = "quiet")]
    pub quiet: bool,
    /// Largest file kwire reads (inputs, stdin, --baseline, .kwire.yaml), e.g.
    /// `64MiB` (the default), `500K`, `2G`; a larger input is KW0012.
    #[arg(
        help_heading = "Input",
        long = "max-file-size",
        value_name = "SIZE",
        value_parser = crate::fsio::parse_size
    )]
    pub max_file_size: Option<u64>,
    /// Apply the safe fixes (deprecated APIs migrated for --kube-version,
    /// deprecated fields renamed, values quoted), then report what remains.
    /// With `-` the fixed stream goes to stdout and the report to stderr.
    #[arg(help_heading = "Fix", long = "fix")]
    pub fix: bool,
    /// Apply the unsafe fixes too (best guesses to review: "did you mean"
    /// names, conversions whose meaning may differ); with --fix or --diff.
    #[arg(help_heading = "Fix", long = "unsafe-fixes")]
    pub unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff and write nothing
    /// (exit 1 when there is something to fix).
    #[arg(help_heading = "Fix", long = "diff")]
    pub diff: bool,
    /// Benchmarking: stop after reading or parsing, print only the summary.
    #[arg(long = "stop-after", value_enum, hide = true)]
    pub stop_after: Option<StopAfter>,
}

fn parse_assume(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.trim().split('/').collect();
    if let [kind, name] = parts.as_slice()
        && is_namespaced_builtin(kind)
    {
        // `Service/api` would mean a cluster-scoped Service: it matches
        // nothing, and a flag that does nothing is a trap.
        return Err(format!(
            "{kind} is namespaced: write `{kind}/NAMESPACE/{name}`, or `{kind}/*/{name}` for every namespace (KIND/NAME is for cluster-scoped kinds)"
        ));
    }
    if (parts.len() == 3 || parts.len() == 2) && parts.iter().all(|p| !p.trim().is_empty()) {
        Ok(text.trim().to_string())
    } else {
        Err(format!(
            "`{text}` is not KIND/NAMESPACE/NAME (or KIND/NAME for a cluster-scoped kind); `*` wildcards are allowed"
        ))
    }
}

/// A built-in kind (one the bundled schemas define) that lives in a namespace.
fn is_namespaced_builtin(kind: &str) -> bool {
    !kind.contains('*')
        && !crate::model::kinds::is_builtin_cluster_scoped(kind)
        && crate::schema::bundle::bundle().is_some_and(|b| b.knows_kind(kind))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lint(args) => run_lint(args),
        Command::Rules(args) => run_rules(&args),
        Command::Explain { code } => run_explain(&code),
        Command::Config(args) => run_config(&args),
        Command::Graph(args) => run_graph(&args),
        Command::Trace(args) => run_trace(&args),
        Command::Rollout(args) => run_rollout(&args),
    }
}

fn run_rollout(args: &RolloutArgs) -> ExitCode {
    let (kind, name) = match crate::topology::rollout::parse_target(&args.target) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kwire: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match simulate(&args.input, &args.paths, true, None, Some(args.nodes)) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(graph) = result.graph else {
        eprintln!("kwire: no graph was built");
        return ExitCode::from(2);
    };
    let rollout =
        match crate::topology::rollout::find(&graph, kind, name, args.namespace.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("kwire: {e}");
                return ExitCode::from(2);
            }
        };
    let text = match args.format {
        RolloutFormat::Text => crate::topology::rollout::render_text(rollout, &graph),
        RolloutFormat::Json => match serde_json::to_string_pretty(rollout) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("kwire: cannot write the rollout: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("kwire: cannot write the rollout: {e}");
        return ExitCode::from(2);
    }
    ExitCode::from(if result.io_error { 2 } else { 0 })
}

/// Lints `paths` with the shared input flags and simulates: the graph,
/// a traced request, or both. `Err` is the exit code of a usage error
/// (already printed).
fn simulate(
    input: &InputArgs,
    paths: &[String],
    graph: bool,
    trace: Option<crate::topology::trace::Request>,
    nodes: Option<i64>,
) -> Result<crate::lint::LintResult, ExitCode> {
    let args = match input.lint_args(paths) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return Err(ExitCode::from(2));
        }
    };
    // load_config has printed the errors.
    let Ok(config) = load_config(&args) else {
        return Err(ExitCode::from(2));
    };
    let mut settings = settings_from_args(&args, &config);
    // `kwire rollout --nodes`: the DaemonSet node count.
    if let Some(n) = nodes {
        settings.nodes = n;
    }
    if let Err(e) = check_schema_dirs(&args, &config, &settings) {
        eprintln!("kwire: {e}");
        return Err(ExitCode::from(2));
    }
    check_kube_version(&mut settings, args.quiet);
    let selection = match selection_from_args(&args, &config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kwire: {e}");
            return Err(ExitCode::from(2));
        }
    };
    if let Some(jobs) = args.jobs {
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let units = units_from_args(&args, &config);
    Ok(lint(&LintOptions {
        paths,
        exclude: config
            .exclude
            .iter()
            .chain(&args.exclude)
            .cloned()
            .collect(),
        stdin_filename: None,
        settings,
        context: config
            .context
            .iter()
            .chain(&args.context)
            .cloned()
            .collect(),
        selection,
        report_unused_ignores: false,
        show_skipped: false,
        baseline: None,
        stop_after: None,
        units,
        graph,
        trace,
        overrides: None,
        max_file_size: args.max_file_size.or(config.max_file_size),
    }))
}

fn run_graph(graph_args: &GraphArgs) -> ExitCode {
    let mut result = match simulate(&graph_args.input, &graph_args.paths, true, None, None) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(mut graph) = result.graph.take() else {
        eprintln!("kwire: no graph was built");
        return ExitCode::from(2);
    };
    if graph_args.check_agreement {
        let found = crate::topology::disagreements(&graph, &result.diagnostics, &result.files);
        for d in &found {
            eprintln!("disagreement: {d}");
        }
        eprintln!(
            "kwire: {} nodes, {} edges, {} findings; {} disagreements",
            graph.nodes.len(),
            graph.edges.len(),
            result.diagnostics.len(),
            found.len()
        );
        return ExitCode::from(u8::from(!found.is_empty()));
    }
    crate::topology::filter(&mut graph, &graph_args.namespace, &graph_args.unit);
    let clock = std::env::var_os("KWIRE_TIMINGS").map(|_| std::time::Instant::now());
    let written = match &graph_args.output {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            crate::topology::render::write(&graph, graph_args.format, &mut out)?;
            out.flush()
        }),
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, bulk_stdout());
            crate::topology::render::write(&graph, graph_args.format, &mut out)
                .and_then(|()| out.flush())
        }
    };
    if let Some(c) = clock {
        eprintln!(
            "kwire graph timings: render {:.1} ms ({} MiB)",
            c.elapsed().as_secs_f64() * 1000.0,
            crate::lint::resident_mib().unwrap_or(0)
        );
    }
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        match &graph_args.output {
            Some(p) => eprintln!("kwire: cannot write {}: {e}", p.display()),
            None => eprintln!("kwire: cannot write the graph: {e}"),
        }
        return ExitCode::from(2);
    }
    let code = ExitCode::from(if result.io_error { 2 } else { 0 });
    // The process ends here: freeing a large graph object by object only
    // costs time (as `lint` does with its result).
    std::mem::forget(graph);
    std::mem::forget(result);
    code
}

fn run_trace(trace_args: &TraceArgs) -> ExitCode {
    let url = match crate::topology::trace::Url::parse(&trace_args.url) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("kwire: {e}");
            return ExitCode::from(2);
        }
    };
    let mut headers = Vec::new();
    for h in &trace_args.header {
        let Some((name, value)) = h.split_once(':') else {
            eprintln!("kwire: header \"{h}\" is not `name: value`");
            return ExitCode::from(2);
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut from_labels = Vec::new();
    for pair in trace_args.from_pod.iter().flat_map(|l| l.split(',')) {
        let Some((k, v)) = pair.split_once('=') else {
            eprintln!("kwire: --from-pod label \"{pair}\" is not `key=value`");
            return ExitCode::from(2);
        };
        from_labels.push((k.trim().to_string(), v.trim().to_string()));
    }
    let request = crate::topology::trace::Request {
        url,
        method: trace_args.method.to_ascii_uppercase(),
        headers,
        from: trace_args.from.clone(),
        from_labels,
        ingress_class: trace_args.ingress_class.clone(),
    };
    let result = match simulate(
        &trace_args.input,
        &trace_args.paths,
        false,
        Some(request),
        None,
    ) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let Some(report) = result.trace else {
        eprintln!("kwire: no trace was made");
        return ExitCode::from(2);
    };
    let text = match trace_args.format {
        TraceFormat::Text => crate::topology::trace::text::render(&report),
        TraceFormat::Json => match serde_json::to_string(&report) {
            Ok(mut t) => {
                t.push('\n');
                t
            }
            Err(e) => {
                eprintln!("kwire: cannot write the trace: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("kwire: cannot write the trace: {e}");
        return ExitCode::from(2);
    }
    if result.io_error {
        return ExitCode::from(2);
    }
    let dropped = report
        .paths
        .iter()
        .any(|p| p.outcome.result == crate::topology::trace::Result::Dropped);
    ExitCode::from(u8::from(dropped))
}

fn run_lint(args: LintArgs) -> ExitCode {
    let config = match load_config(&args) {
        Ok(c) => c,
        Err(err) => {
            let files = [*err.file];
            let diagnostics: Vec<crate::diagnostic::Diagnostic> = err
                .diagnostics
                .into_iter()
                .map(|mut d| {
                    d.code = USAGE_ERROR;
                    d
                })
                .collect();
            machine_usage_error(&args, &files, &diagnostics);
            return ExitCode::from(2);
        }
    };
    let max_file_size = args
        .max_file_size
        .or(config.max_file_size)
        .unwrap_or(crate::fsio::DEFAULT_MAX_FILE_SIZE);
    let mut settings = settings_from_args(&args, &config);
    if let Err(e) = check_schema_dirs(&args, &config, &settings) {
        eprintln!("kwire: {e}");
        usage_error_message(&args, e);
        return ExitCode::from(2);
    }
    check_kube_version(&mut settings, args.quiet);
    let selection = match selection_from_args(&args, &config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kwire: {e}");
            usage_error_message(&args, e);
            return ExitCode::from(2);
        }
    };
    let baseline = match args
        .baseline
        .as_deref()
        .map(|p| Baseline::load(p, max_file_size))
        .transpose()
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kwire: {e}");
            usage_error_message(&args, e);
            return ExitCode::from(2);
        }
    };
    if let Some(jobs) = args.jobs {
        // Only fails when a global pool already exists: then keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal() && args.output.is_none();
    let format = args
        .format
        .unwrap_or(if tty { Format::Pretty } else { Format::Plain });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none(),
    };
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let writing_baseline = args.write_baseline.is_some();
    let units_mode = units_from_args(&args, &config);
    // Only for a person reading pretty output at a terminal (not CI, not
    // a machine format, not --quiet); cleared before anything is printed.
    let progress = crate::progress::Progress::start(
        format == Format::Pretty && !args.quiet && crate::progress::wanted(),
    );
    let lint_options = LintOptions {
        paths: paths.clone(),
        exclude: config
            .exclude
            .iter()
            .chain(&args.exclude)
            .cloned()
            .collect(),
        stdin_filename: args.stdin_filename.clone(),
        settings,
        context: config
            .context
            .iter()
            .chain(&args.context)
            .cloned()
            .collect(),
        selection,
        report_unused_ignores: args.report_unused_ignores || config.report_unused_ignores,
        show_skipped: args.show_skipped || config.show_skipped,
        baseline: if writing_baseline { None } else { baseline },
        stop_after: args.stop_after,
        units: units_mode,
        graph: false,
        trace: None,
        max_file_size: Some(max_file_size),
        overrides: None,
    };
    let fixing = args.fix || args.diff;
    let (result, fixed) = if fixing {
        let outcome = crate::fix::fix(&lint_options, args.unsafe_fixes);
        (
            outcome.result,
            Some((outcome.files, outcome.converged, outcome.reverted)),
        )
    } else {
        (lint(&lint_options), None)
    };
    progress.finish();
    // What --fix did: a diff, the fixed stream, or the files written.
    let mut fixed_count = 0;
    let mut write_failed = false;
    let mut report_to_stderr = false;
    if let Some((files, converged, reverted)) = &fixed {
        for path in reverted {
            eprintln!(
                "kwire: error: a fix made {path} invalid YAML; that pass's fixes of it were undone (a bug in kwire: please report it with the file)"
            );
        }
        if !converged {
            eprintln!(
                "kwire: warning: fixes did not settle after {} passes; run kwire lint --fix again",
                crate::fix::MAX_PASSES
            );
        }
        fixed_count = files.iter().map(crate::fix::FixedFile::count).sum();
        if args.diff {
            let mut out = String::new();
            for f in files {
                out.push_str(&crate::fix::unified_diff(f));
            }
            let code = print_stdout(&out);
            if code != ExitCode::SUCCESS {
                return code;
            }
            if !args.quiet {
                let remaining = result
                    .diagnostics
                    .iter()
                    .filter(|d| d.code != "KW0011")
                    .count();
                eprintln!(
                    "kwire: --fix would fix {} in {}; {} would remain",
                    count_of(fixed_count, "finding", "findings"),
                    count_of(files.len(), "file", "files"),
                    count_of(remaining, "finding", "findings"),
                );
            }
            let code = if result.io_error {
                2
            } else {
                u8::from(!files.is_empty())
            };
            std::mem::forget(result);
            return ExitCode::from(code);
        }
        let stdin_fixed = paths.iter().any(|p| p == "-");
        for f in files.iter().filter(|f| !f.is_stdin()) {
            match crate::fix::write_fixed(f, max_file_size) {
                Ok(()) => {
                    if !args.quiet {
                        eprintln!(
                            "kwire: fixed {} in {} ({})",
                            count_of(f.count(), "finding", "findings"),
                            f.path,
                            crate::fix::codes_text(&f.fixed_codes)
                        );
                    }
                }
                Err(e) => {
                    write_failed = true;
                    eprintln!("kwire: {} not written: {e}", f.path);
                }
            }
        }
        if stdin_fixed {
            // The fixed stream on stdout (unchanged when nothing was
            // fixed), the report on stderr.
            report_to_stderr = true;
            let text = match files.iter().find(|f| f.is_stdin()) {
                Some(f) => {
                    if !args.quiet {
                        eprintln!(
                            "kwire: fixed {} in {} ({})",
                            count_of(f.count(), "finding", "findings"),
                            f.path,
                            crate::fix::codes_text(&f.fixed_codes)
                        );
                    }
                    f.fixed.clone()
                }
                None => result
                    .files
                    .iter()
                    .find(|s| s.path == args.stdin_filename.as_deref().unwrap_or("<stdin>"))
                    .map(|s| s.text.clone())
                    .unwrap_or_default(),
            };
            let code = print_stdout(&text);
            if code != ExitCode::SUCCESS {
                return code;
            }
        }
    }
    if let Some(stage) = args.stop_after {
        let s = &result.summary;
        eprintln!(
            "kwire: stopped after {}: {} files, {} documents, {} objects",
            if stage == StopAfter::Read {
                "read"
            } else {
                "parse"
            },
            s.files,
            s.documents,
            s.objects
        );
        let code = if result.io_error { 2 } else { 0 };
        std::mem::forget(result);
        return ExitCode::from(code);
    }
    if let Some(path) = &args.write_baseline {
        return match crate::baseline::write(
            path,
            &result.diagnostics,
            &result.fingerprints,
            &result.files,
        ) {
            Ok(()) => {
                eprintln!(
                    "kwire: wrote {} to {}; lint with --baseline {} to see only new findings",
                    count_of(result.diagnostics.len(), "finding", "findings"),
                    path.display(),
                    path.display()
                );
                ExitCode::from(if result.io_error { 2 } else { 0 })
            }
            Err(e) => {
                eprintln!("kwire: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        };
    }
    if !args.quiet && !result.io_error && found_no_manifest(&result) {
        eprintln!(
            "kwire: warning: no Kubernetes manifests found in {}",
            paths
                .iter()
                .map(|p| if p == "-" {
                    "standard input"
                } else {
                    p.as_str()
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let report = Report::from(&result);
    let write_report = |out: &mut dyn Write| -> std::io::Result<()> {
        if args.statistics {
            write_statistics(&result.diagnostics, format == Format::Json, out)
        } else {
            report::write_report(&report, format, out, color)
        }
    };
    let written = match &args.output {
        // Atomic: a reader of FILE sees the last report or this one, whole.
        // The error names FILE: "No such file or directory" alone does not.
        Some(path) => crate::fsio::write_atomic_with(path, |out| write_report(out))
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        None if report_to_stderr => {
            let mut out = std::io::BufWriter::new(std::io::stderr().lock());
            write_report(&mut out).and_then(|()| out.flush())
        }
        None => {
            // Stdout is line-buffered: one write per finding without this.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            write_report(&mut out).and_then(|()| out.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("kwire: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    let machine = format.is_document() || (args.statistics && format == Format::Json);
    if !args.quiet && (args.output.is_some() || !machine) {
        let mut line = report::summary_line(&result.summary);
        line.push_str(&suppressed_text(result.suppressed, result.file_ignored));
        if result.baselined > 0 {
            line.push_str(&format!("; {} in the baseline", result.baselined));
        }
        if fixing {
            line.push_str(&format!("; {} fixed", fixed_count));
        }
        line.push_str(&fixable_text(
            &result.diagnostics,
            fixing,
            args.unsafe_fixes,
        ));
        eprintln!("{line}");
    }
    if result.io_error || write_failed {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on.or(config.fail_on).unwrap_or(FailOn::Warning) {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| result.diagnostics.iter().any(|d| d.severity >= t));
    // The process ends next: freeing every file and finding is wasted work.
    std::mem::forget(result);
    ExitCode::from(u8::from(failed))
}

/// `; 3 fixable with --fix (2 more with --unsafe-fixes)` for the summary
/// line: how many of the findings reported a fix would remove.
fn fixable_text(
    diagnostics: &[crate::diagnostic::Diagnostic],
    fixing: bool,
    unsafe_fixes: bool,
) -> String {
    let safe = diagnostics
        .iter()
        .filter(|d| crate::fix::applicable(d, false))
        .count();
    let all = diagnostics
        .iter()
        .filter(|d| crate::fix::applicable(d, true))
        .count();
    let more = all - safe;
    match (fixing, unsafe_fixes) {
        (true, true) => String::new(),
        (true, false) if more > 0 => format!("; {more} more fixable with --unsafe-fixes"),
        (false, _) if safe > 0 && more > 0 => {
            format!("; {safe} fixable with --fix ({more} more with --unsafe-fixes)")
        }
        (false, _) if safe > 0 => format!("; {safe} fixable with --fix"),
        (false, _) if more > 0 => format!("; {more} fixable with --fix --unsafe-fixes"),
        _ => String::new(),
    }
}

/// No object in the reported files and nothing to say about them but
/// skipped-file notes: the input holds no manifest at all.
fn found_no_manifest(result: &crate::lint::LintResult) -> bool {
    result.summary.objects == 0 && result.diagnostics.iter().all(|d| d.code == "KW0011")
}

/// Every schema directory (`--schema-dir`, `.kwire.yaml` `schema-dirs`) must
/// exist: a misspelt one would silently check nothing against it.
fn check_schema_dirs(args: &LintArgs, config: &Config, settings: &Settings) -> Result<(), String> {
    for dir in &settings.schema_dirs {
        if dir.is_dir() {
            continue;
        }
        let from = if args.schema_dir.contains(dir) {
            "--schema-dir".to_string()
        } else {
            match (&config.path, config.line_of("schema-dirs")) {
                (Some(f), Some(line)) => format!("{f}:{line}: schema-dirs"),
                (Some(f), None) => format!("{f}: schema-dirs"),
                _ => "schema-dirs".to_string(),
            }
        };
        let what = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(format!("{from}: {} {what}", dir.display()));
    }
    Ok(())
}

/// A target newer than the bundled data is checked against the newest
/// kwire knows, with a warning; one older than the bundled schemas keeps
/// its deprecation checks (the table goes back further) and warns too,
/// with the likely slip (`1.3` for `1.30`).
fn check_kube_version(settings: &mut Settings, quiet: bool) {
    let wanted = settings.kube_version;
    if wanted > KubeVersion::NEWEST {
        if !quiet {
            eprintln!(
                "kwire: warning: Kubernetes {wanted} is newer than the data kwire bundles; checking against {}, the newest it knows",
                KubeVersion::NEWEST
            );
        }
        settings.kube_version = KubeVersion::NEWEST;
        return;
    }
    let Some(oldest) = crate::schema::bundle::bundle().and_then(|b| b.versions().first().copied())
    else {
        return;
    };
    if wanted < oldest && !quiet {
        let slip = KubeVersion::new(wanted.major, wanted.minor.saturating_mul(10));
        let hint = if wanted.minor < 10 && slip >= oldest && slip <= KubeVersion::NEWEST {
            format!("; did you mean {slip}?")
        } else {
            String::new()
        };
        eprintln!(
            "kwire: warning: Kubernetes {wanted} is older than the schemas kwire bundles ({oldest} to {}): fields are checked against {oldest}, API removals against {wanted}{hint}",
            KubeVersion::NEWEST
        );
    }
}

/// `; 3 suppressed (2 by comments or annotations, 1 by per-file-ignores)`,
/// or the one kind there is, or nothing.
fn suppressed_text(comments: usize, per_file: usize) -> String {
    match (comments, per_file) {
        (0, 0) => String::new(),
        (n, 0) => format!("; {n} suppressed by comments or annotations"),
        (0, n) => format!("; {n} suppressed by per-file-ignores"),
        (c, p) => format!(
            "; {} suppressed ({c} by comments or annotations, {p} by per-file-ignores)",
            c + p
        ),
    }
}

/// `--statistics`: findings per code, most first (then by code), as ruff
/// prints them: `  12  KW3002  service-selector-matches-nothing`; or a JSON
/// array of `{"code", "name", "count"}`.
fn write_statistics(
    diagnostics: &[crate::diagnostic::Diagnostic],
    json: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for d in diagnostics {
        match counts.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.code, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let name = |code: &str| rules::meta(code).map_or("", |m| m.name);
    if json {
        let rows: Vec<serde_json::Value> = counts
            .iter()
            .map(|(code, n)| serde_json::json!({"code": code, "name": name(code), "count": n}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    let width = counts
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    for (code, n) in counts {
        writeln!(out, "{n:>width$}  {code}  {}", name(code))?;
    }
    Ok(())
}

fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The code usage errors carry in machine-readable reports.
const USAGE_ERROR: &str = "KW0098";

/// A usage error without a location (an invalid option, a broken
/// baseline): with a machine format, the report holding it.
fn usage_error_message(args: &LintArgs, message: String) {
    let files = [crate::source::SourceFile::new(
        "<command line>",
        String::new(),
    )];
    let d = crate::diagnostic::Diagnostic::new(
        USAGE_ERROR,
        Severity::Error,
        0,
        crate::source::Span::default(),
        message,
    )
    .with_help("nothing was linted; fix the option or file named in the message");
    machine_usage_error(args, &files, &[d]);
}

/// With a machine format (`-f json`, `sarif`, ...), writes a valid report
/// of the usage errors `diagnostics` (to `-o FILE` or stdout), so a CI
/// parser reads a document rather than empty input; the exit code stays 2.
/// Human formats have printed the error on stderr already.
fn machine_usage_error(
    args: &LintArgs,
    files: &[crate::source::SourceFile],
    diagnostics: &[crate::diagnostic::Diagnostic],
) {
    let Some(format) = args
        .format
        .filter(|f| !matches!(f, Format::Pretty | Format::Plain))
    else {
        return;
    };
    let summary = report::Summary {
        errors: diagnostics.len(),
        ..report::Summary::default()
    };
    let report = Report {
        files,
        diagnostics,
        summary,
        ..Report::default()
    };
    let written = match &args.output {
        Some(path) => crate::fsio::write_atomic_with(path, |out| {
            report::write_report(&report, format, out, false)
        }),
        None => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            report::write_report(&report, format, &mut out, false).and_then(|()| out.flush())
        }
    };
    if let Err(e) = written {
        eprintln!("kwire: cannot write the report: {e}");
    }
}

/// The configuration file: `--config PATH`, else the nearest `.kwire.yaml`
/// from the current directory up, else none (`--no-config`: none). A broken
/// file is reported like a finding (with its location) on stderr; the
/// caller exits 2 (and writes a machine report of it).
fn load_config(args: &LintArgs) -> Result<Config, config::ConfigError> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| config::find(&d)),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let max = args
        .max_file_size
        .unwrap_or(crate::fsio::DEFAULT_MAX_FILE_SIZE);
    config::load(&path, max).inspect_err(|err| {
        let files = std::slice::from_ref(&*err.file);
        let summary = report::Summary {
            errors: err.diagnostics.len(),
            ..report::Summary::default()
        };
        let report = Report {
            files,
            diagnostics: &err.diagnostics,
            summary,
            ..Report::default()
        };
        let stderr = std::io::stderr();
        let pretty = stderr.is_terminal();
        let format = if pretty {
            Format::Pretty
        } else {
            Format::Plain
        };
        let color = pretty && std::env::var_os("NO_COLOR").is_none();
        let _ = report::write_report(&report, format, &mut stderr.lock(), color);
        eprintln!(
            "kwire: the configuration file {} has {}; nothing was linted",
            err.file.path,
            count_of(err.diagnostics.len(), "error", "errors")
        );
    })
}

/// The run's settings: `.kwire.yaml` (or the defaults) first, then flags
/// (flags win). Each settings flag is an `Option` in `LintArgs` and is
/// applied here with one line.
fn settings_from_args(args: &LintArgs, config: &Config) -> Settings {
    let mut settings = config.settings.clone();
    if let Some(version) = args.kube_version {
        settings.kube_version = version;
    }
    settings.assume.extend(args.assume.iter().cloned());
    if args.no_strict {
        settings.strict = false;
    }
    if args.ignore_missing_schemas {
        settings.ignore_missing_schemas = true;
    }
    settings.schema_dirs.extend(args.schema_dir.iter().cloned());
    if args.closed_world {
        settings.closed_world = true;
    }
    settings
}

/// The units mode: the flags, else `.kwire.yaml` `units:`, else `auto`.
fn units_from_args(args: &LintArgs, config: &Config) -> UnitsMode {
    if args.unit_per_directory {
        return UnitsMode::PerDirectory;
    }
    args.units.clone().unwrap_or_else(|| config.units.clone())
}

/// Rule selection: the config's, then `--select` (replaces the config's
/// `select`) and `--ignore` (added to its `ignore`).
fn selection_from_args(args: &LintArgs, config: &Config) -> Result<RuleSelection, String> {
    let mut sel = config.selection.clone();
    let parse = |flag: &str, items: &[String]| -> Result<Vec<selection::Selector>, String> {
        items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| selection::Selector::parse(s).map_err(|e| format!("{flag}: {e}")))
            .collect()
    };
    if !args.select.is_empty() {
        sel.select = Some(parse("--select", &args.select)?);
    }
    sel.extend_select
        .extend(parse("--extend-select", &args.extend_select)?);
    sel.ignore.extend(parse("--ignore", &args.ignore)?);
    Ok(sel)
}

/// `kwire config`: the effective configuration, one key per line, each
/// with its origin (default, the file and line, or a flag).
fn run_config(args: &LintArgs) -> ExitCode {
    // `config` shares the lint flags, to show their effect; those that
    // only shape a report would be ignored here, so they are refused.
    let report_only = [
        (args.format.is_some(), "-f/--format"),
        (args.output.is_some(), "-o/--output"),
        (args.statistics, "--statistics"),
        (args.write_baseline.is_some(), "--write-baseline"),
        (args.baseline.is_some(), "--baseline"),
        (!args.paths.is_empty(), "PATHS"),
        (args.fix, "--fix"),
        (args.unsafe_fixes, "--unsafe-fixes"),
        (args.diff, "--diff"),
    ];
    if let Some((_, flag)) = report_only.iter().find(|(set, _)| *set) {
        eprintln!(
            "kwire: {flag} shapes a lint report; `kwire config` prints the effective configuration as text only"
        );
        return ExitCode::from(2);
    }
    let config = match load_config(args) {
        Ok(c) => c,
        Err(_) => return ExitCode::from(2),
    };
    let settings = settings_from_args(args, &config);
    let selection = match selection_from_args(args, &config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kwire: {e}");
            return ExitCode::from(2);
        }
    };
    let list = |items: &mut dyn Iterator<Item = String>| {
        format!("[{}]", items.collect::<Vec<_>>().join(", "))
    };
    let file = config.path.clone();
    // Origin: a flag when the effective value differs from the file's, the
    // file when it sets the key, else the default.
    let origin = |key: &str, effective: &str, from_file: &str| -> String {
        if effective != from_file {
            "flag".to_string()
        } else {
            match (config.line_of(key), &file) {
                (Some(line), Some(f)) => format!("{f}:{line}"),
                _ => "default".to_string(),
            }
        }
    };
    let fail_on = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Warning)
        .as_str()
        .to_string();
    let file_fail_on = config
        .fail_on
        .unwrap_or(FailOn::Warning)
        .as_str()
        .to_string();
    let sels = |v: &[selection::Selector]| list(&mut v.iter().map(ToString::to_string));
    let select = selection
        .select
        .as_deref()
        .map_or("[DEFAULT]".to_string(), sels);
    let file_select = config
        .selection
        .select
        .as_deref()
        .map_or("[DEFAULT]".to_string(), sels);
    let severity = |s: &RuleSelection| {
        format!(
            "{{{}}}",
            s.severity
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let per_file = |s: &RuleSelection| {
        format!(
            "{{{}}}",
            s.per_file_ignores
                .iter()
                .map(|p| format!("\"{}\": {}", p.glob, sels(&p.selectors)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let strings = |v: &[String]| list(&mut v.iter().map(|s| format!("\"{s}\"")));
    let paths = |v: &[PathBuf]| list(&mut v.iter().map(|p| format!("\"{}\"", p.display())));
    let exclude: Vec<String> = config
        .exclude
        .iter()
        .chain(&args.exclude)
        .cloned()
        .collect();
    let context: Vec<String> = config
        .context
        .iter()
        .chain(&args.context)
        .cloned()
        .collect();
    let size = |n: Option<u64>| {
        crate::fsio::show_size(n.unwrap_or(crate::fsio::DEFAULT_MAX_FILE_SIZE)).replace(' ', "")
    };
    let unused = args.report_unused_ignores || config.report_unused_ignores;
    let show_skipped = args.show_skipped || config.show_skipped;
    let rows: Vec<(&str, String, String)> = vec![
        (
            "kube-version",
            settings.kube_version.to_string(),
            config.settings.kube_version.to_string(),
        ),
        (
            "strict",
            settings.strict.to_string(),
            config.settings.strict.to_string(),
        ),
        (
            "ignore-missing-schemas",
            settings.ignore_missing_schemas.to_string(),
            config.settings.ignore_missing_schemas.to_string(),
        ),
        (
            "schema-dirs",
            paths(&settings.schema_dirs),
            paths(&config.settings.schema_dirs),
        ),
        (
            "assume",
            strings(&settings.assume),
            strings(&config.settings.assume),
        ),
        (
            "closed-world",
            settings.closed_world.to_string(),
            config.settings.closed_world.to_string(),
        ),
        (
            "units",
            units_from_args(args, &config).as_str().to_string(),
            config.units.as_str().to_string(),
        ),
        ("select", select, file_select),
        (
            "extend-select",
            sels(&selection.extend_select),
            sels(&config.selection.extend_select),
        ),
        (
            "ignore",
            sels(&selection.ignore),
            sels(&config.selection.ignore),
        ),
        (
            "severity",
            severity(&selection),
            severity(&config.selection),
        ),
        (
            "per-file-ignores",
            per_file(&selection),
            per_file(&config.selection),
        ),
        ("exclude", strings(&exclude), strings(&config.exclude)),
        ("context", strings(&context), strings(&config.context)),
        ("fail-on", fail_on, file_fail_on),
        (
            "report-unused-ignores",
            unused.to_string(),
            config.report_unused_ignores.to_string(),
        ),
        (
            "show-skipped",
            show_skipped.to_string(),
            config.show_skipped.to_string(),
        ),
        (
            "max-file-size",
            size(args.max_file_size.or(config.max_file_size)),
            size(config.max_file_size),
        ),
    ];
    let mut out = match &file {
        Some(f) => format!("# configuration file: {f}\n"),
        None => "# no configuration file (.kwire.yaml) found: defaults and flags\n".to_string(),
    };
    let width = rows
        .iter()
        .map(|(k, v, _)| k.len() + v.len())
        .max()
        .unwrap_or(0)
        + 2;
    for (key, value, from_file) in &rows {
        let line = format!("{key}: {value}");
        out.push_str(&format!(
            "{line:<width$}  # {}\n",
            origin(key, value, from_file)
        ));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

fn run_rules(args: &RulesArgs) -> ExitCode {
    let all = rules::all();
    if args.format == RulesFormat::Json {
        // `default`: in the default set; an opt-in rule runs only when
        // selected. `fix`: "safe", "unsafe", "safe/unsafe" or null.
        let rows: Vec<serde_json::Value> = all
            .iter()
            .map(|m| {
                serde_json::json!({
                    "code": m.code,
                    "name": m.name,
                    "category": m.category.as_str(),
                    "severity": m.severity.as_str(),
                    "summary": m.summary,
                    "default": m.default,
                    "fix": rules::fixable::fixable(m.code).map(|f| f.as_str()),
                })
            })
            .collect();
        let doc = serde_json::json!({"version": 1, "rules": rows});
        return match serde_json::to_string_pretty(&doc) {
            Ok(text) => print_stdout(&format!("{text}\n")),
            Err(e) => {
                eprintln!("kwire: {e}");
                ExitCode::from(2)
            }
        };
    }
    let width = all.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    out.push_str(&format!(
        "{:<6}  {:<width$}  {:<11}  {:<8}  {:<11}  SUMMARY\n",
        "CODE", "NAME", "CATEGORY", "SEVERITY", "FIX"
    ));
    for m in all {
        out.push_str(&format!(
            "{:<6}  {:<width$}  {:<11}  {:<8}  {:<11}  {}\n",
            m.code,
            m.name,
            m.category.as_str(),
            m.severity.as_str(),
            rules::fixable::fixable(m.code).map_or("-", |f| f.as_str()),
            m.summary
        ));
    }
    print_stdout(&out)
}

/// Writes `text` to stdout; a closed pipe (`kwire rules | head`) is not an
/// error, any other write error exits 2.
fn print_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kwire: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_explain(code: &str) -> ExitCode {
    let wanted = code.trim().to_ascii_uppercase();
    let found = rules::all()
        .into_iter()
        .find(|m| m.code == wanted || m.name == code.trim());
    match found.and_then(|m| rules::docs::doc(m.code)) {
        Some(doc) => {
            print!("{}", rules::docs::body(doc));
            ExitCode::SUCCESS
        }
        None => {
            let hint = selection::rule_hint(code)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            eprintln!("kwire: no rule named {code}{hint}; `kwire rules` lists them");
            ExitCode::from(2)
        }
    }
}

/// Standard output for a large report, without the line buffering of
/// `std::io::Stdout`: it looks for the last line break of every write, and a
/// large graph's JSON is tens of megabytes with one line break at its end
/// (docs/performance.md). Falls back to `Stdout` where the descriptor cannot
/// be duplicated.
fn bulk_stdout() -> Box<dyn Write> {
    let stdout = std::io::stdout();
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        // Nothing is buffered in `stdout` yet; flushing keeps the order if it were.
        let _ = stdout.lock().flush();
        if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(stdout.lock())
}
