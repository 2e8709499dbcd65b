//! `brief serve`: builds the site in memory, serves it on loopback with live
//! reload, watches the sources and rebuilds what changed. A failed rebuild
//! keeps the last good site and shows the errors in every open page.
//!
//! Owns tiny_http (through `server`). It never writes to the output folder.
//! The library does not print: progress is reported through a callback that
//! the command line turns into terminal lines.

mod inject;
mod paths;
mod server;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

pub use paths::{site_path, Target};
pub use server::{Hub, Snapshot};

use crate::content::Drafts;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::pipeline::BuildOptions;
use crate::session::{Rebuilt, Session};
use crate::watch::{self, ChangeSet, Layout};

/// How long `brief serve` waits for a burst of file events to settle: long
/// enough for an editor's save in two steps (truncate, then write) to
/// arrive as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// Address to bind (loopback by default).
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Build drafts?
    pub drafts: Drafts,
    /// How long the watcher waits for a burst of events to settle.
    pub debounce: Duration,
}

/// What the server reports while it runs.
#[derive(Debug)]
pub enum Report {
    /// The server is up at this URL.
    Listening(String),
    /// A rebuild finished.
    Rebuilt {
        /// What changed on disk.
        changes: String,
        /// What the rebuild did.
        rebuilt: Rebuilt,
    },
    /// A build's warnings, told when they differ from those told last
    /// (not at every save); empty when the last are gone.
    Warnings(Vec<Diagnostic>),
    /// A (re)build failed: the last good site is still served if there
    /// is one (`serving`), an error page otherwise.
    Failed {
        /// What is wrong.
        diags: Vec<Diagnostic>,
        /// Did an earlier build succeed, whose site is still served?
        serving: bool,
    },
}

/// A running server; `stop` ends it.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    threads: Vec<std::thread::JoinHandle<()>>,
    hub: Arc<Hub>,
}

impl Running {
    /// The URL of the served site.
    pub fn url(&self) -> String {
        format!("http://{}/", reachable(self.addr))
    }

    /// A handle that can stop the server from another thread (Ctrl-C).
    pub fn stopper(&self) -> Stopper {
        Stopper {
            stop: Arc::clone(&self.stop),
            server: Arc::clone(&self.server),
            hub: Arc::clone(&self.hub),
        }
    }

    /// Waits until the server is stopped.
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Stops the server and waits for its threads.
    pub fn stop(self) {
        self.stopper().stop();
        self.wait();
    }
}

/// Stops a running server.
#[derive(Clone)]
pub struct Stopper {
    stop: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    hub: Arc<Hub>,
}

impl Stopper {
    /// Ends the server loop, the watcher and every open event stream.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.hub.close();
        self.server.unblock();
    }
}

/// The address a browser on this machine reaches `bound` at: itself, or
/// for every address of the machine (`0.0.0.0`, `::`), the loopback one.
/// (`0.0.0.0` in a page's links leads nowhere; links within the site are
/// from its root and work from any address it is reached at.)
fn reachable(bound: SocketAddr) -> SocketAddr {
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, bound.port())
}

/// Why the server cannot listen on `addr`; `in_use`: another program
/// has the port.
fn busy(addr: &str, e: &dyn std::fmt::Display, in_use: bool) -> Diagnostics {
    let message = format!("cannot listen on {addr}: {e}");
    let hint = if in_use {
        "another program may use this port; pick another with --port"
    } else {
        "--bind takes an address of this machine, such as 127.0.0.1 or 0.0.0.0"
    };
    Diagnostics::from_iter([
        Diagnostic::error("serve", Location::default(), message).with_hint(hint)
    ])
}

/// Starts serving; returns once the first build is done and the server listens.
pub fn start(
    opts: ServeOptions,
    report: Arc<dyn Fn(Report) + Send + Sync>,
) -> Result<Running, Diagnostics> {
    if !opts.root.is_dir() {
        // Nothing to watch: say why (as `build` would) and stop.
        crate::config::load(&opts.root)?;
    }
    // `[::1]:1111` for an IPv6 address.
    // `localhost` is the loopback address, as every browser reads it.
    let bind = if opts.bind.eq_ignore_ascii_case("localhost") {
        "127.0.0.1"
    } else {
        opts.bind.as_str()
    };
    let addr = match bind.parse::<std::net::IpAddr>() {
        Ok(ip) => std::net::SocketAddr::new(ip, opts.port).to_string(),
        Err(_) => format!("{}:{}", opts.bind, opts.port),
    };
    let server = tiny_http::Server::http(&addr).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        busy(&addr, &e, in_use)
    })?;
    let local = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| busy(&addr, &"not an IP address", false))?;
    let server = Arc::new(server);
    let base = format!("http://{}/", reachable(local));
    let mut build = BuildOptions::new(&opts.root);
    build.base_url = Some(base.clone());
    build.drafts = opts.drafts;
    let output = build.output_dir();
    let mut session = Session::new(build);
    let hub = Arc::new(Hub::new("/".to_string()));
    let mut told = Vec::new();
    let built = match session.rebuild(&ChangeSet::default()) {
        Ok(rebuilt) => {
            hub.publish_site(session.files(), true);
            tell_warnings(rebuilt.warnings, &mut told, report.as_ref());
            true
        }
        Err(d) => {
            let diags = d.sorted();
            hub.publish_errors(&diags);
            report(Report::Failed {
                diags,
                serving: false,
            });
            false
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let theme = crate::config::load(&opts.root)
        .map(|c| c.theme)
        .unwrap_or_else(|_| "default".into());
    let root = std::fs::canonicalize(&opts.root).unwrap_or(opts.root.clone());
    let layout = Layout {
        output: std::fs::canonicalize(&output).unwrap_or_else(|_| root.join("public")),
        root,
        theme,
    };
    let (tx, rx) = mpsc::channel::<ChangeSet>();
    let watcher = watch::watch(layout, opts.debounce, tx).map_err(|e| {
        Diagnostics::from_iter([Diagnostic::error(
            "serve",
            Location::default(),
            format!("cannot watch the site: {e}"),
        )])
    })?;
    let mut threads = Vec::new();
    {
        let stop = Arc::clone(&stop);
        let hub = Arc::clone(&hub);
        let report = Arc::clone(&report);
        threads.push(std::thread::spawn(move || {
            let loop_state = Loop {
                rx: &rx,
                stop: &stop,
                hub: &hub,
                watcher: &watcher,
                report: report.as_ref(),
            };
            rebuild_loop(&mut session, built, told, &loop_state);
        }));
    }
    {
        let server = Arc::clone(&server);
        let stop = Arc::clone(&stop);
        let hub = Arc::clone(&hub);
        threads.push(std::thread::spawn(move || {
            server::accept_loop(&server, &stop, &hub)
        }));
    }
    report(Report::Listening(base));
    Ok(Running {
        addr: local,
        stop,
        server,
        threads,
        hub,
    })
}

/// Reports `warnings` (a full rebuild's) if they are not those `told`
/// last, and remembers them.
fn tell_warnings(
    warnings: Option<Vec<Diagnostic>>,
    told: &mut Vec<Diagnostic>,
    report: &(dyn Fn(Report) + Send + Sync),
) {
    if let Some(warnings) = warnings {
        if warnings != *told {
            *told = warnings.clone();
            report(Report::Warnings(warnings));
        }
    }
}

/// What the rebuild loop talks to.
struct Loop<'a> {
    rx: &'a mpsc::Receiver<ChangeSet>,
    stop: &'a AtomicBool,
    hub: &'a Hub,
    watcher: &'a watch::Watcher,
    report: &'a (dyn Fn(Report) + Send + Sync),
}

/// `built`: has a build of this session succeeded yet? `told`: the
/// warnings reported last.
fn rebuild_loop(session: &mut Session, mut built: bool, mut told: Vec<Diagnostic>, l: &Loop<'_>) {
    let Loop {
        rx,
        stop,
        hub,
        watcher,
        report,
    } = *l;
    while !stop.load(Ordering::SeqCst) {
        let Ok(mut changes) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        // Merge bursts that arrived while the last rebuild ran.
        while let Ok(more) = rx.try_recv() {
            changes.changes.extend(more.changes);
        }
        if changes.config() {
            // A new `theme:` is watched from now on (even if this build
            // fails on it, so that fixing its templates is seen).
            if let Ok(config) = crate::config::load(&session.options().root) {
                watcher.set_theme(&config.theme);
            }
        }
        match session.rebuild(&changes) {
            Ok(mut rebuilt) => {
                built = true;
                let was_failing = hub.snapshot().errors.is_some();
                let css = rebuilt.only_css();
                let changed = css
                    || was_failing
                    || !rebuilt.changed.is_empty()
                    || !rebuilt.removed.is_empty();
                hub.publish_site(session.files(), changed);
                if css {
                    hub.send("css", &hub.build_id(&hub.snapshot()));
                } else if changed {
                    hub.send("reload", "");
                }
                let warnings = rebuilt.warnings.take();
                report(Report::Rebuilt {
                    changes: changes.describe(),
                    rebuilt,
                });
                tell_warnings(warnings, &mut told, report);
            }
            Err(d) => {
                let diags = d.sorted();
                hub.publish_errors(&diags);
                report(Report::Failed {
                    diags,
                    serving: built,
                });
            }
        }
    }
}
