//! Command-line interface: clap definitions and the commands.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::lint::{LintOptions, StopAfter, lint};
use crate::report::{self, Format, Report};
use crate::rules;
use crate::settings::Settings;

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
    Lint(LintArgs),
    /// List every rule: code, name, category, default severity, summary.
    Rules,
    /// Print the full documentation of a rule.
    Explain {
        /// Rule code, e.g. KW3002.
        code: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct LintArgs {
    /// Files, directories or glob patterns to lint (default: the current directory); `-` reads stdin.
    pub paths: Vec<String>,
    /// Output format (default: pretty on a terminal, plain otherwise).
    #[arg(short = 'f', long = "format", value_enum)]
    pub format: Option<Format>,
    /// Exit with code 1 when a finding at or above this severity exists.
    #[arg(long = "fail-on", value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Colour in pretty output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Skip paths matching this glob (repeatable), e.g. `--exclude 'legacy/**'`.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// File name to report for standard input (`-`).
    #[arg(long = "stdin-filename", value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Number of threads (default: one per core).
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// Benchmarking: stop after reading or parsing, print only the summary.
    #[arg(long = "stop-after", value_enum, hide = true)]
    pub stop_after: Option<StopAfter>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
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
        Command::Rules => run_rules(),
        Command::Explain { code } => run_explain(&code),
    }
}

fn run_lint(args: LintArgs) -> ExitCode {
    let settings = settings_from_args(&args);
    if let Some(jobs) = args.jobs {
        // Only fails when a global pool already exists: then keep it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global();
    }
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
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
        args.paths
    };
    let result = lint(&LintOptions {
        paths,
        exclude: args.exclude,
        stdin_filename: args.stdin_filename,
        settings,
        stop_after: args.stop_after,
    });
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
    let report = Report {
        files: &result.files,
        diagnostics: &result.diagnostics,
        summary: result.summary,
    };
    // Stdout is line-buffered: one write per finding without this.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = report::write_report(&report, format, &mut out, color).and_then(|()| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("kwire: cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if format != Format::Json {
        eprintln!("{}", report::summary_line(&result.summary));
    }
    if result.io_error {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
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

/// The run's settings: defaults, then flags (flags win). Each settings flag
/// is an `Option` in `LintArgs` and is applied here.
fn settings_from_args(_args: &LintArgs) -> Settings {
    Settings::default()
}

fn run_rules() -> ExitCode {
    let all = rules::all();
    let width = all.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    out.push_str(&format!(
        "{:<6}  {:<width$}  {:<11}  {:<8}  SUMMARY\n",
        "CODE", "NAME", "CATEGORY", "SEVERITY"
    ));
    for m in all {
        out.push_str(&format!(
            "{:<6}  {:<width$}  {:<11}  {:<8}  {}\n",
            m.code,
            m.name,
            m.category.as_str(),
            m.severity.as_str(),
            m.summary
        ));
    }
    print!("{out}");
    ExitCode::SUCCESS
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
            eprintln!("kwire: no rule named {code}; `kwire rules` lists them");
            ExitCode::from(2)
        }
    }
}
