//! The sites the browser tests look at, built side by side under one
//! folder (`<www>/<name>/`) with the base_url `<server>/<name>/`: the
//! repository's sample site, every buildable fixture under
//! `tests/fixtures/` and a generated corpus.

use std::path::{Path, PathBuf};

use brief::pipeline::{self, BuildOptions};
use serde_json::{json, Value};

use super::common::{repo, Site};
use super::corpus;

/// A built site.
pub struct Built {
    /// `sample`, `gen`, or `<feature>-<case>` for a fixture.
    pub name: String,
    /// Where the site's sources are (a temporary copy).
    pub root: PathBuf,
    /// Its output, `<www>/<name>`.
    pub dir: PathBuf,
    /// A fixture with pinned diagnostics (`expected.txt`): its content is
    /// flawed on purpose (missing images, malformed URLs).
    pub flawed: bool,
    /// Keeps the copied sources alive.
    _site: Site,
}

impl Built {
    pub fn json(&self, server: &str) -> Value {
        json!({
            "name": self.name,
            "url": format!("{server}{}/", self.name),
            "dir": self.dir,
            "root": self.root,
            "flawed": self.flawed,
        })
    }
}

/// Builds `site` into `<www>/<name>` for `<server><name>/`.
fn build(site: Site, name: &str, www: &Path, server: &str) -> Result<Built, String> {
    let dir = www.join(name);
    let mut opts = BuildOptions::new(site.root());
    opts.output = Some(dir.clone());
    opts.base_url = Some(format!("{server}{name}/"));
    match pipeline::build(&opts) {
        Ok(_) => Ok(Built {
            name: name.to_string(),
            root: site.root().to_path_buf(),
            dir,
            flawed: false,
            _site: site,
        }),
        Err(d) => Err(d
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// The repository's own sample site.
pub fn sample(www: &Path, server: &str) -> Built {
    build(Site::sample(), "sample", www, server).unwrap_or_else(|e| panic!("sample site: {e}"))
}

/// A gencorpus site of `stories` stories (seed 1), and its `per_page`.
pub fn generated(stories: usize, www: &Path, server: &str) -> (Built, usize) {
    let dir = tempfile::tempdir().unwrap();
    let opts = corpus::Options {
        stories,
        seed: 1,
        format: corpus::Format::parse("brief").unwrap(),
    };
    corpus::generate(&opts, dir.path()).unwrap();
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    let per_page = yaml
        .lines()
        .find(|l| l.trim_start().starts_with("stories:"))
        .and_then(|l| l.split("per_page:").nth(1))
        .and_then(|v| v.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        .unwrap_or(usize::MAX);
    let site = Site { dir };
    let built = build(site, "gen", www, server).unwrap_or_else(|e| panic!("generated site: {e}"));
    (built, per_page)
}

/// Every fixture under `tests/fixtures/<feature>/<case>/` except `bad/`
/// that builds. A fixture that fails is skipped when it pins its
/// diagnostics in `expected.txt` (it is meant to fail), and is an error
/// otherwise.
pub fn fixtures(www: &Path, server: &str) -> Vec<Built> {
    let base = repo().join("tests/fixtures");
    let mut cases = Vec::new();
    for feature in std::fs::read_dir(&base).unwrap() {
        let feature = feature.unwrap().path();
        if !feature.is_dir() || feature.ends_with("bad") {
            continue;
        }
        for case in std::fs::read_dir(&feature).unwrap() {
            let case = case.unwrap().path();
            if case.join("site.yaml").is_file() {
                cases.push(case);
            }
        }
    }
    cases.sort();
    let mut out = Vec::new();
    for case in cases {
        let rel = case
            .strip_prefix(&base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = rel.replace('/', "-");
        let flawed = case.join("expected.txt").is_file();
        match build(Site::fixture(&rel), &name, www, server) {
            Ok(mut b) => {
                b.flawed = flawed;
                out.push(b);
            }
            Err(_) if flawed => {}
            Err(e) => panic!("fixture {rel} does not build:\n{e}"),
        }
    }
    out
}

/// Every HTML file under `dir`, relative, sorted.
pub fn html_files(dir: &Path) -> Vec<String> {
    super::common::snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".html"))
        .collect()
}
