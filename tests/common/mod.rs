//! The test harness: copies a fixture site (tests/fixtures/<feature>/<case>)
//! into a temporary folder with the default theme, builds it, and reads the
//! output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use brief::pipeline::{self, BuildOptions, Built};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies `from` into `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture copied into a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` and the default theme (unless the
    /// fixture has its own `themes/`).
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("tests/fixtures").join(name), dir.path());
        if !dir.path().join("themes").exists() {
            copy_tree(
                &repo().join("themes/default"),
                &dir.path().join("themes/default"),
            );
        }
        Site { dir }
    }

    /// The repository's own sample site, copied.
    pub fn sample() -> Site {
        let dir = tempfile::tempdir().unwrap();
        for part in ["content", "themes"] {
            copy_tree(&repo().join(part), &dir.path().join(part));
        }
        std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    /// Builds with default options; panics with the diagnostics on failure.
    pub fn build(&self) -> Built {
        self.build_with(self.options())
    }

    pub fn build_with(&self, opts: BuildOptions) -> Built {
        match pipeline::build(&opts) {
            Ok(b) => b,
            Err(d) => panic!(
                "build failed:\n{}",
                d.sorted()
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }

    /// Reads an output file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel))
            .unwrap_or_else(|e| panic!("cannot read public/{rel}: {e}"))
    }

    /// Reads a file of the site itself (not of its output).
    pub fn read_input(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Runs the `brief` binary in the site; returns (status, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// Every file under `dir`, relative, sorted, with its bytes.
/// `snapshot` without brief's own bookkeeping (the manifest, whose state
/// line fingerprints the output files' times): the site as published, to
/// compare two builds into different folders.
pub fn site_snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = snapshot(dir);
    files.retain(|(path, _)| path != ".brief-manifest");
    files
}

pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .filter(|(_, _, is_dir)| !is_dir)
        .map(|(rel, path, _)| (rel, std::fs::read(path).unwrap()))
        .collect()
}

/// Every folder under `dir`, relative with `/`, sorted.
pub fn folders(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .filter(|(_, _, is_dir)| *is_dir)
        .map(|(rel, _, _)| rel)
        .collect()
}

/// Every file and folder under `dir`: its path relative to `dir` with `/`,
/// its full path, and whether it is a folder; sorted.
fn walk(dir: &Path) -> Vec<(String, PathBuf, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let is_dir = e.file_type().unwrap().is_dir();
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if is_dir {
                stack.push(e.path());
            }
            out.push((rel, e.path(), is_dir));
        }
    }
    out.sort();
    out
}

/// The `href` and `src` values of every element of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[href], [src]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("src")))
        .map(str::to_string)
        .collect()
}

/// The ids of every element of an HTML page.
pub fn ids(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[id]").unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr("id"))
        .map(str::to_string)
        .collect()
}

/// Parses XML fully; panics on the first error.
pub fn assert_xml(text: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}\n{text}", reader.buffer_position()),
        }
    }
}

/// Every internal link (`href`/`src` under `prefix`, or relative) of every
/// HTML page under `out` points to an existing file, and every `#fragment`
/// to an existing id. Returns the number of links checked.
pub fn assert_links_resolve(out: &Path, prefix: &str) -> usize {
    let pages: Vec<(String, Vec<u8>)> = snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .collect();
    let mut ids_cache: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, bytes) in &pages {
        let html = String::from_utf8_lossy(bytes);
        let page_dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for link in links(&html) {
            if link.starts_with("http:")
                || link.starts_with("https:")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
            {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(rest) = path.strip_prefix(prefix) {
                rest.to_string()
            } else if path.starts_with('/') {
                broken.push(format!("{page}: {link} (outside the base path {prefix})"));
                continue;
            } else if page_dir.is_empty() {
                path.clone()
            } else {
                format!("{page_dir}/{path}")
            };
            let target = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target
            };
            let target = target.split('?').next().unwrap_or("").to_string();
            checked += 1;
            if !out.join(&target).is_file() {
                broken.push(format!("{page}: {link} -> {target} missing"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                    ids(&std::fs::read_to_string(out.join(&target)).unwrap_or_default())
                });
                if !ids.contains(&f) {
                    broken.push(format!("{page}: {link} -> no id \"{f}\" in {target}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

/// Is `a` before `b` in `text`? (both must be present)
pub fn before(text: &str, a: &str, b: &str) -> bool {
    let ia = text.find(a).unwrap_or_else(|| panic!("{a:?} not found"));
    let ib = text.find(b).unwrap_or_else(|| panic!("{b:?} not found"));
    ia < ib
}
