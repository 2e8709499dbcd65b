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

/// Prints a line on stdout; a closed pipe (`brief build | head`) is not an error.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Prints a line on stderr, ignoring a closed pipe.
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// brief: turn a folder of Markdown notes into a linked briefing website.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, long_about = None, after_help = TOP_EXAMPLES)]
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
    /// Preview the site with live reload, rebuilding on every change.
    #[command(
        after_help = "The site is built in memory (public/ is never touched), served with base_url\nrewritten to the preview address, and every open page reloads after a change.\nA broken change keeps the last good site and shows the errors in the page.\n\nExamples:\n  brief serve\n  brief serve --port 8080 --open\n  brief serve --root my-site --drafts"
    )]
    Serve(ServeArgs),
    /// Start a new site in DIR: a commented site.yaml, example notes and the default theme.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Write a new note in a collection, its front matter prefilled.
    #[command(after_help = NEW_EXAMPLES)]
    New(NewArgs),
    /// Print a shell completion script for brief.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print brief's man page, or write one page per command into a folder.
    #[command(
        after_help = "Examples:\n  brief man | man -l -\n  brief man --dir /usr/local/share/man/man1"
    )]
    Man(ManArgs),
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
    #[arg(long, value_name = "URL", value_parser = base_url_arg)]
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

/// Prints every problem, then how many errors there were and `outcome`,
/// what the command did not do because of them.
fn report(painter: Painter, diags: Diagnostics, outcome: &str) -> ExitCode {
    let all = diags.sorted();
    // Those not shown (past a file's cap) count too.
    let errors: usize = all
        .iter()
        .filter(|d| d.is_error())
        .map(|d| 1 + d.hidden)
        .sum();
    for d in &all {
        err!("{}", painter.diagnostic(d));
    }
    let plural = if errors == 1 { "" } else { "s" };
    err!("{errors} error{plural}{outcome}");
    ExitCode::from(1)
}

fn warn(painter: Painter, warnings: &[Diagnostic]) {
    use std::io::Write as _;
    // Thousands of warnings on a large site: one write per buffer, not two
    // per warning.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr().lock());
    for w in warnings {
        let _ = writeln!(out, "{}", painter.diagnostic(w));
    }
    let _ = out.flush();
}

/// With `BRIEF_TIMINGS=1`, prints each stage's wall time, and that of
/// the stages run beside each other within one of them.
fn print_timings(timings: &[(&'static str, f64)], beside: &[(&'static str, f64)]) {
    if std::env::var_os("BRIEF_TIMINGS").is_some() {
        let list = |laps: &[(&'static str, f64)]| -> String {
            let parts: Vec<String> = laps
                .iter()
                .map(|(s, ms)| format!("{s} {ms:.0} ms"))
                .collect();
            parts.join(", ")
        };
        err!("timings: {}", list(timings));
        if !beside.is_empty() {
            err!("side by side: {}", list(beside));
        }
        // Linux reports the process's peak resident memory here.
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        if let Some(peak) = status.lines().find_map(|l| l.strip_prefix("VmHWM:")) {
            err!("peak memory: {}", peak.trim());
        }
    }
}

fn run_build(args: BuildArgs, painter: Painter) -> ExitCode {
    let mut opts = options(&args.common);
    opts.output = args.output;
    opts.base_url = args.base_url;
    // Ctrl-C (or a SIGTERM) takes back what the build staged; asked
    // before anything is staged, or twice, it ends the process at once.
    // The handler runs on a thread of its own, with no caller to return
    // the exit status to.
    #[allow(clippy::exit)]
    let stop = ctrlc::set_handler(|| {
        if crate::output::interrupt::request() {
            std::process::exit(INTERRUPTED);
        }
    });
    if let Err(e) = stop {
        err!("cannot handle Ctrl-C: {e}");
    }
    match pipeline::build(&opts) {
        Ok(built) => {
            warn(painter, &built.assembled.warnings);
            print_timings(&built.assembled.timings, &built.assembled.beside);
            let s = &built.assembled.stats;
            let per: Vec<String> = s
                .per_collection
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            let c = &built.commit;
            if built.up_to_date {
                out!(
                    "up to date: {} ({}; {}), {}; nothing changed since the last build ({} ms)",
                    count(s.pages, "page"),
                    per.join(", "),
                    count(s.stubs, "stub"),
                    count(c.unchanged, "file"),
                    built.millis
                );
                return ExitCode::SUCCESS;
            }
            out!(
                "built {} ({}; {}) in {} ms: {} written, {} unchanged, {} removed, {} bytes written",
                count(s.pages, "page"),
                per.join(", "),
                count(s.stubs, "stub"),
                built.millis,
                count(c.written, "file"),
                c.unchanged,
                c.removed,
                c.bytes
            );
            // The process ends now: it need not free the build's memory.
            if let Some(leftovers) = built.assembled.leftovers {
                leftovers.abandon();
            }
            ExitCode::SUCCESS
        }
        Err(_) if crate::output::interrupt::requested() => {
            err!("interrupted; the output folder is as it was");
            ExitCode::from(INTERRUPTED as u8)
        }
        Err(diags) => report(painter, diags, "; nothing was written"),
    }
}

/// The exit status of a build stopped by Ctrl-C (128 + SIGINT, as shells
/// report it).
const INTERRUPTED: i32 = 130;

fn run_check(args: CheckArgs, painter: Painter) -> ExitCode {
    let opts = options(&args.common);
    let start = std::time::Instant::now();
    match pipeline::check(&opts) {
        Ok(a) => {
            warn(painter, &a.warnings);
            print_timings(&a.timings, &a.beside);
            out!(
                "ok: {}, {} checked in {} ms; nothing written",
                count(a.stats.notes, "note"),
                count(a.stats.pages, "page"),
                start.elapsed().as_millis()
            );
            // The process ends now: it need not free the check's memory.
            if let Some(leftovers) = a.leftovers {
                leftovers.abandon();
            }
            ExitCode::SUCCESS
        }
        Err(diags) => report(painter, diags, " found"),
    }
}

/// A `--bind` value: an IP address, or `localhost` (the loopback one).
fn bind_arg(text: &str) -> Result<std::net::IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    }
    text.parse().map_err(|_| {
        format!(
            "{text:?} is not an IP address: try 127.0.0.1, localhost, or 0.0.0.0 for every address"
        )
    })
}

/// A `--base-url` value, checked as site.yaml's `base_url` is: a bad one
/// is a usage error (exit status 2), reported before anything runs.
fn base_url_arg(text: &str) -> Result<String, String> {
    crate::config::BaseUrl::parse(text).map(|_| text.to_string())
}

/// `1 page`, `2 pages`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    main_with(|| {})
}

/// [`main`], calling `one_shot` first when the command is `build` or
/// `check`: a run that does its work once and exits, unlike `serve`. The
/// binary uses it to tune its allocator for such a run.
pub fn main_with(one_shot: impl FnOnce()) -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if matches!(cli.command, Command::Build(_) | Command::Check(_)) {
        one_shot();
    }
    let painter = Painter::from_env();
    match cli.command {
        Command::Build(args) => run_build(args, painter),
        Command::Check(args) => run_check(args, painter),
        Command::Serve(args) => run_serve(args, painter),
        Command::Init(args) => run_init(&args, painter),
        Command::New(args) => run_new(&args, painter),
        Command::Completions(args) => run_completions(&args),
        Command::Man(args) => run_man(args),
    }
}

// ---- init, new, completions, man --------------------------------------------

const TOP_EXAMPLES: &str = "Examples:
  brief init my-briefing && cd my-briefing
  brief new stories \"Kestrel opens a second plant\"
  brief serve
  brief build --base-url https://example.org/briefing/

Run `brief help <command>` for a command's options and examples.";

const INIT_EXAMPLES: &str = "Examples:
  brief init my-briefing        a new folder with a site ready to build
  brief init .                  the current folder, if it is empty
  brief init old-site --force   add the starter files to a folder that has files";

const NEW_EXAMPLES: &str = "Examples:
  brief new stories \"Kestrel opens a second plant\"
  brief new companies Tencent --open
  brief new people \"Ana Ruiz\" --root my-briefing";

const COMPLETIONS_EXAMPLES: &str = "Examples:
  brief completions bash > ~/.local/share/bash-completion/completions/brief
  brief completions zsh > ~/.zfunc/_brief
  brief completions fish > ~/.config/fish/completions/brief.fish";

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder for the new site; created if missing.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Write into a folder that already has files (starter files replace files of the same name; an existing .gitignore gains /public/).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// The collection: a folder under content/ or one listed in site.yaml.
    collection: String,
    /// The note's title; the file name is made from it.
    #[arg(required = true, num_args = 1..)]
    title: Vec<String>,
    /// The site's folder (holds site.yaml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Open the new note in $VISUAL or $EDITOR.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
struct ManArgs {
    /// Write brief.1 and brief-<command>.1 into DIR instead of printing brief.1.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints diagnostics that stopped a command; exit status 1.
fn fail(painter: Painter, diags: Diagnostics) -> ExitCode {
    for d in diags.sorted() {
        err!("{}", painter.diagnostic(&d));
    }
    ExitCode::from(1)
}

fn run_init(args: &InitArgs, painter: Painter) -> ExitCode {
    let existing = if args.force {
        crate::scaffold::Existing::Overwrite
    } else {
        crate::scaffold::Existing::Refuse
    };
    match crate::scaffold::init(&args.dir, existing) {
        Ok(done) => {
            let mut text = format!(
                "created a new briefing in {} ({} files)\nnext, run:\n",
                args.dir.display(),
                done.written.len()
            );
            for step in crate::scaffold::next_steps(&args.dir) {
                text.push_str(&format!("  {step}\n"));
            }
            let _ = print_bytes(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(diags) => fail(painter, diags),
    }
}

/// Today's date on the local calendar: the only place brief reads the clock.
fn today() -> Result<crate::content::Date, Diagnostics> {
    let text = chrono::Local::now().format("%Y-%m-%d").to_string();
    crate::content::Date::parse(&text).map_err(|m| {
        Diagnostics::from_iter([Diagnostic::error(
            "clock",
            crate::diag::Location::default(),
            m,
        )])
    })
}

fn run_new(args: &NewArgs, painter: Painter) -> ExitCode {
    let title = args.title.join(" ");
    let today = match today() {
        Ok(t) => t,
        Err(diags) => return fail(painter, diags),
    };
    let request = crate::scaffold::NewNote {
        root: &args.root,
        collection: &args.collection,
        title: &title,
        today,
    };
    match crate::scaffold::new_note(&request) {
        Ok(created) => {
            let path = if args.root == std::path::Path::new(".") {
                created.path
            } else {
                args.root.join(created.path)
            };
            let _ = print_bytes(format!("created {}\n", path.display()).as_bytes());
            if args.open {
                open_in_editor(&path, painter);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(painter, diags),
    }
}

/// Opens `path` in `$VISUAL` or `$EDITOR`; a failure is a warning, since the
/// note was written.
fn open_in_editor(path: &std::path::Path, painter: Painter) {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty());
    let warn_open = |message: String, hint: &str| {
        let d =
            Diagnostic::warning(path, crate::diag::Location::default(), message).with_hint(hint);
        err!("{}", painter.diagnostic(&d));
    };
    let Some(editor) = editor else {
        warn_open(
            "not opened: neither $VISUAL nor $EDITOR is set".into(),
            "set one, for example `export EDITOR=nano`",
        );
        return;
    };
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or_default();
    match std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
    {
        Ok(status) if status.success() => {}
        Ok(status) => warn_open(
            format!("the editor `{editor}` exited with {status}"),
            "the note is saved; open it by hand",
        ),
        Err(e) => warn_open(
            format!("cannot run the editor `{editor}`: {e}"),
            "check $VISUAL or $EDITOR",
        ),
    }
}

/// Writes generated text to stdout; a closed pipe (`| head`) is not an error.
fn print_bytes(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn run_completions(args: &CompletionsArgs) -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "brief", &mut script);
    match print_bytes(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            err!("error: cannot write the completions: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_man(args: ManArgs) -> ExitCode {
    let command = <Cli as clap::CommandFactory>::command();
    let result = match args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .and_then(|()| print_bytes(&page))
        }
        Some(dir) => std::fs::create_dir_all(&dir).and_then(|()| {
            clap_mangen::generate_to(command, &dir)?;
            out!("wrote the man pages into {}", dir.display());
            Ok(())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            err!("error: cannot write the man page: {e}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The site's folder (holds site.yaml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Address to listen on: an IP address of this machine (0.0.0.0 for
    /// every one), or localhost.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR", value_parser = bind_arg)]
    bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Build draft notes too.
    #[arg(long)]
    drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        err!("could not open a browser ({opener}: {e}); visit {url}");
    }
}

fn run_serve(args: ServeArgs, painter: Painter) -> ExitCode {
    use crate::serve::{self, Report, ServeOptions};
    use std::sync::Arc;
    let opts = ServeOptions {
        root: args.root,
        bind: args.bind.to_string(),
        port: args.port,
        drafts: if args.drafts {
            Drafts::Include
        } else {
            Drafts::Exclude
        },
        debounce: serve::DEBOUNCE,
    };
    let on_report: Arc<dyn Fn(Report) + Send + Sync> = Arc::new(move |r| match r {
        Report::Listening(url) => out!("serving at {url} (Ctrl-C to stop)"),
        Report::Rebuilt { changes, rebuilt } => {
            print_timings(&rebuilt.timings, &[]);
            let how = if rebuilt.body_edit {
                " (body edit)"
            } else {
                ""
            };
            out!(
                "rebuilt after {changes}{how}: {} rendered, {} changed, {} removed in {} ms",
                count(rebuilt.rendered, "page"),
                count(rebuilt.changed.len(), "file"),
                rebuilt.removed.len(),
                rebuilt.millis
            )
        }
        Report::Warnings(warnings) if warnings.is_empty() => out!("no warnings left"),
        Report::Warnings(warnings) => warn(painter, &warnings),
        Report::Failed { diags, serving } => {
            for d in &diags {
                err!("{}", painter.diagnostic(d));
            }
            if serving {
                err!("build failed; still serving the last good site");
            } else {
                err!("build failed; serving an error page until the site builds");
            }
        }
    });
    let running = match serve::start(opts, on_report) {
        Ok(r) => r,
        Err(diags) => return report(painter, diags, "; the server did not start"),
    };
    if args.open {
        open_in_browser(&running.url());
    }
    let stopper = running.stopper();
    if let Err(e) = ctrlc::set_handler(move || stopper.stop()) {
        err!("cannot handle Ctrl-C: {e}");
    }
    running.wait();
    out!("stopped");
    ExitCode::SUCCESS
}
