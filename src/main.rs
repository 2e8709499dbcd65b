//! The `brief` binary: everything lives in the library.

/// mimalloc: rendering thousands of pages on every core allocates and frees
/// many small strings, which it does with less contention than the system
/// allocator (measured in docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    brief::cli::main()
}
