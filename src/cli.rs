//! The command line: parses arguments with clap, runs the library, prints
//! diagnostics and the summary, and picks the exit code. The only module that
//! prints or reads the environment.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::content::Drafts;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::pipeline::{self, BuildOptions, Strictness};

/// brief: turn a folder of Markdown notes into a linked briefing website.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(
        after_help = "Examples:\n  brief build\n  brief build --root my-site --output /tmp/site\n  brief build --base-url https://example.org/briefing/ --strict"
    )]
    Build(BuildArgs),
    /// Validate everything `build` would, and write nothing.
    #[command(after_help = "Examples:\n  brief check\n  brief check --strict")]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// The site's folder (holds site.yaml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Build draft notes too.
    #[arg(long)]
    drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Where to write the site (default: <root>/public).
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Override site.yaml's base_url.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
}

fn options(common: &CommonArgs) -> BuildOptions {
    let mut opts = BuildOptions::new(&common.root);
    if common.drafts {
        opts.drafts = Drafts::Include;
    }
    if common.strict {
        opts.strictness = Strictness::Strict;
    }
    opts
}

/// How diagnostics are painted.
#[derive(Clone, Copy)]
struct Painter {
    colour: bool,
}

impl Painter {
    fn from_env() -> Self {
        let colour = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Painter { colour }
    }

    fn diagnostic(&self, d: &Diagnostic) -> String {
        let text = d.to_string();
        if !self.colour {
            return text;
        }
        let (word, code) = match d.severity {
            Severity::Error => ("error:", "31"),
            Severity::Warning => ("warning:", "33"),
        };
        text.replacen(word, &format!("\x1b[1;{code}m{word}\x1b[0m"), 1)
            .replace("= hint:", "\x1b[36m= hint:\x1b[0m")
    }
}

fn report(painter: Painter, diags: Diagnostics) -> ExitCode {
    let all = diags.sorted();
    let errors = all.iter().filter(|d| d.is_error()).count();
    for d in &all {
        eprintln!("{}", painter.diagnostic(d));
    }
    let plural = if errors == 1 { "" } else { "s" };
    eprintln!("{errors} error{plural}; nothing was written");
    ExitCode::from(1)
}

fn warn(painter: Painter, warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{}", painter.diagnostic(w));
    }
}

fn run_build(args: BuildArgs, painter: Painter) -> ExitCode {
    let mut opts = options(&args.common);
    opts.output = args.output;
    opts.base_url = args.base_url;
    match pipeline::build(&opts) {
        Ok(built) => {
            warn(painter, &built.assembled.warnings);
            let s = &built.assembled.stats;
            let per: Vec<String> = s
                .per_collection
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            let c = &built.commit;
            println!(
                "built {} pages ({}; {} stubs) in {} ms: {} files written, {} unchanged, {} removed, {} bytes written",
                s.pages,
                per.join(", "),
                s.stubs,
                built.millis,
                c.written,
                c.unchanged,
                c.removed,
                c.bytes
            );
            ExitCode::SUCCESS
        }
        Err(diags) => report(painter, diags),
    }
}

fn run_check(args: CheckArgs, painter: Painter) -> ExitCode {
    let opts = options(&args.common);
    let start = std::time::Instant::now();
    match pipeline::check(&opts) {
        Ok(a) => {
            warn(painter, &a.warnings);
            println!(
                "ok: {} notes, {} pages checked in {} ms; nothing written",
                a.stats.notes,
                a.stats.pages,
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(diags) => report(painter, diags),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let painter = Painter::from_env();
    match cli.command {
        Command::Build(args) => run_build(args, painter),
        Command::Check(args) => run_check(args, painter),
    }
}
