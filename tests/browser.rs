//! The website as visitors meet it. The sample site, every buildable
//! fixture and a generated site are built, served over HTTP and checked:
//!
//! - in headless Chromium (`tests/browser/run.mjs`, one browser for all):
//!   a reader's path through the links, backlinks, timeline and pager,
//!   search (English and Chinese queries, keyboard, filter), axe-core on
//!   every kind of page in light and dark mode, horizontal overflow at
//!   375 and 1280 px, dark mode, page weight, meta and Open Graph tags,
//!   favicon, the 404 page, screenshots in `target/screenshots/`, and live
//!   reload and the error overlay under `brief serve`;
//! - by the Nu HTML Checker: zero errors on every page;
//! - by Python's feedparser: every Atom feed is valid, with ids stable
//!   across builds;
//! - through nginx with a path-prefixed base_url (`browser/nginx.rs`).
//!
//! These need programs cargo cannot install (see `browser/tools.rs`): a
//! test skips with a message when one is missing, unless
//! `BRIEF_REQUIRE_BROWSER=1`, as `.ci/run` sets after installing them.

mod common;

#[allow(dead_code)]
#[path = "../examples/gencorpus/corpus/mod.rs"]
mod corpus;
#[path = "browser/nginx.rs"]
mod nginx;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/sites.rs"]
mod sites;
#[path = "browser/tools.rs"]
mod tools;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

use common::{repo, Site};
use server::Server;
use tools::Tool;

/// Stories in the generated site the browser suite pages and searches.
const GENERATED_STORIES: usize = 300;

/// `target/screenshots/`.
fn screenshots() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots")
}

/// Runs the browser suite on `config`, copying its report to `report`.
/// The report is printed through the test harness (so it shows when the
/// test fails); its figures and summary also go straight to stderr, to be
/// seen in every run.
fn run_node(config: &Path, report: &Path) -> std::process::ExitStatus {
    let mut child = Command::new("node")
        .arg(tools::scripts().join("run.mjs"))
        .arg(config)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run node");
    let mut copy = std::fs::File::create(report).unwrap();
    for line in BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        writeln!(copy, "{line}").unwrap();
        if line.starts_with("figure") || line.starts_with("browser:") {
            // Not eprintln!, which the test harness captures.
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }
    child.wait().unwrap()
}

#[test]
fn browser_suite() {
    if !tools::available("browser_suite", &[Tool::Node, Tool::Chromium, Tool::Python]) {
        return;
    }
    let www = tempfile::tempdir().unwrap();
    let server = Server::files(www.path());
    let url = server.url.clone();
    let started = Instant::now();
    let sample = sites::sample(www.path(), &url);
    let (generated, per_page) = sites::generated(GENERATED_STORIES, www.path(), &url);
    let fixtures = sites::fixtures(www.path(), &url);
    eprintln!("built the sites in {:?}", started.elapsed());

    let watched = Site::fixture("links/basic");
    let serve = Server::brief(watched.root());

    let mut gen = generated.json(&url);
    gen["stories"] = json!(GENERATED_STORIES);
    gen["per_page"] = json!(per_page);
    let config = json!({
        "screenshots": screenshots(),
        "sample": sample.json(&url),
        "generated": gen,
        "fixtures": fixtures.iter().map(|f| f.json(&url)).collect::<Vec<Value>>(),
        "serve": {
            "url": serve.url,
            "root": watched.root(),
            "note": "content/stories/ai-push.md",
            "path": "stories/ai-push/",
        },
    });
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("config.json");
    std::fs::write(&config_path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();

    let report = screenshots().with_file_name("browser-report.txt");
    let status = run_node(&config_path, &report);
    drop(serve);
    assert!(
        status.success(),
        "the browser suite failed: its report is above and in {}",
        report.display()
    );
}

/// Nu HTML Checker messages other than those a flawed fixture is allowed:
/// a deliberately malformed `href` or `src` (which `brief check` reports).
fn unexpected_vnu_errors(json: &Value, flawed: &[String]) -> Vec<String> {
    let messages = json["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter(|m| m["type"] != "info")
        .filter(|m| {
            let url = m["url"].as_str().unwrap_or("");
            let text = m["message"].as_str().unwrap_or("");
            let allowed = flawed.iter().any(|d| url.contains(&format!("{d}/")))
                && text.starts_with("Bad value")
                && (text.contains("attribute “href”") || text.contains("attribute “src”"));
            !allowed
        })
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"].as_str().unwrap_or("?"),
                m["lastLine"],
                m["message"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    if !tools::available("every_page_passes_the_nu_html_checker", &[Tool::Vnu]) {
        return;
    }
    let www = tempfile::tempdir().unwrap();
    let base = "https://example.org/";
    let sample = sites::sample(www.path(), base);
    let fixtures = sites::fixtures(www.path(), base);
    let all: Vec<&sites::Built> = std::iter::once(&sample).chain(&fixtures).collect();
    let pages: usize = all.iter().map(|b| sites::html_files(&b.dir).len()).sum();
    let flawed: Vec<String> = fixtures
        .iter()
        .filter(|f| f.flawed)
        .map(|f| f.dir.to_string_lossy().into_owned())
        .collect();

    let started = Instant::now();
    let out = Command::new("java")
        .arg("-jar")
        .arg(tools::vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .args(all.iter().map(|b| &b.dir))
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&out.stderr);
    let json: Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("the checker's report is not JSON ({e}):\n{report}"));
    let errors = unexpected_vnu_errors(&json, &flawed);
    eprintln!(
        "Nu HTML Checker: {pages} pages of {} sites in {:?}",
        all.len(),
        started.elapsed()
    );
    assert!(
        errors.is_empty(),
        "{} HTML errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(pages > 100, "only {pages} pages checked");
}

#[test]
fn every_feed_is_valid_atom_with_stable_ids() {
    if !tools::available(
        "every_feed_is_valid_atom_with_stable_ids",
        &[Tool::Feedparser],
    ) {
        return;
    }
    let base = "https://example.org/";
    let builds: Vec<tempfile::TempDir> = (0..2)
        .map(|_| {
            let www = tempfile::tempdir().unwrap();
            sites::sample(www.path(), base);
            sites::fixtures(www.path(), base);
            www
        })
        .collect();
    let status = Command::new("python3")
        .arg(tools::scripts().join("feeds.py"))
        .args(builds.iter().map(|d| d.path()))
        .status()
        .expect("run python3");
    assert!(status.success(), "feed check failed: see above");
}
