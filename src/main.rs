use clap::Parser;

fn main() -> std::process::ExitCode {
    kwire::cli::run(kwire::cli::Cli::parse())
}
