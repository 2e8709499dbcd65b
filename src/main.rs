//! The `brief` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    brief::cli::main()
}
