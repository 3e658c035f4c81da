use clap::Parser;

/// mimalloc, as ruff uses: kwire makes millions of small allocations (tree
/// nodes, scalars) from both threads; glibc's malloc pads each small block to
/// 32 bytes and was a tenth of the instructions. Only the binary sets it:
/// the library leaves the choice to its users.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kwire::cli::run(kwire::cli::Cli::parse())
}
