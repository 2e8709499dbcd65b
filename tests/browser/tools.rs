//! The outside programs the browser tests drive (Node with playwright-core,
//! Chromium, Java with the Nu HTML Checker, Python with feedparser, nginx),
//! and the rule for when one is missing: skip with a message saying what
//! to install, unless `BRIEF_REQUIRE_BROWSER=1` (set by `.ci/run` after it
//! installs them all), which turns every skip into a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::common::repo;

/// The variable that makes a missing tool a failure.
pub const REQUIRE: &str = "BRIEF_REQUIRE_BROWSER";

/// A program or package a test needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    /// `node` and `tests/browser/node_modules` (`npm ci` there).
    Node,
    /// Chromium at `$BRIEF_CHROMIUM` or `/usr/bin/chromium`.
    Chromium,
    /// `java` and the Nu HTML Checker from `node_modules/vnu-jar`.
    Vnu,
    /// `python3`.
    Python,
    /// `python3` with `feedparser`.
    Feedparser,
    /// `nginx`.
    Nginx,
}

/// `tests/browser/`: the Node scripts and their `node_modules`.
pub fn scripts() -> PathBuf {
    repo().join("tests/browser")
}

pub fn chromium() -> PathBuf {
    std::env::var_os("BRIEF_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

pub fn vnu_jar() -> PathBuf {
    scripts().join("node_modules/vnu-jar/build/dist/vnu.jar")
}

/// `nginx` on the PATH, or Debian's `/usr/sbin/nginx` (not on a normal
/// user's PATH).
pub fn nginx() -> Option<PathBuf> {
    if runs(Command::new("nginx").arg("-v")) {
        return Some(PathBuf::from("nginx"));
    }
    let sbin = PathBuf::from("/usr/sbin/nginx");
    runs(Command::new(&sbin).arg("-v")).then_some(sbin)
}

fn runs(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Why `tool` cannot be used here, or `None` when it can.
fn missing(tool: Tool) -> Option<String> {
    let modules = scripts().join("node_modules");
    match tool {
        Tool::Node => {
            if !runs(Command::new("node").arg("--version")) {
                Some("node is not installed".into())
            } else if !modules.join("playwright-core").exists()
                || !modules.join("axe-core").exists()
            {
                Some("tests/browser/node_modules is missing: run `npm ci` in tests/browser".into())
            } else {
                None
            }
        }
        Tool::Chromium => (!chromium().exists()).then(|| {
            format!(
                "no Chromium at {} (Debian: apt-get install chromium; or set BRIEF_CHROMIUM)",
                chromium().display()
            )
        }),
        Tool::Vnu => {
            if !runs(Command::new("java").arg("-version")) {
                Some("java is not installed".into())
            } else if !vnu_jar().exists() {
                Some("the Nu HTML Checker is missing: run `npm ci` in tests/browser".into())
            } else {
                None
            }
        }
        Tool::Python => (!runs(Command::new("python3").arg("--version")))
            .then(|| "python3 is not installed".into()),
        Tool::Feedparser => (!runs(Command::new("python3").args(["-c", "import feedparser"])))
            .then(|| "python3 with feedparser is missing (pip install feedparser)".into()),
        Tool::Nginx => nginx()
            .is_none()
            .then(|| "nginx is not installed (Debian: apt-get install nginx)".into()),
    }
}

/// Whether `test` can run with `tools`. When one is missing it prints why
/// and returns false, or panics under `BRIEF_REQUIRE_BROWSER=1`.
pub fn available(test: &str, tools: &[Tool]) -> bool {
    let why: Vec<String> = tools.iter().filter_map(|t| missing(*t)).collect();
    if why.is_empty() {
        return true;
    }
    let text = format!("{test}: {}", why.join("; "));
    if std::env::var(REQUIRE).is_ok_and(|v| v == "1") {
        panic!("{text} ({REQUIRE}=1 forbids skipping)");
    }
    // Straight to stderr, past the test harness's capture, so that a skip
    // is seen in a normal `cargo test` run.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {text}. Install it as .ci/run does, or set {REQUIRE}=1 to make this a failure."
    );
    false
}
