//! Output: everything the site publishes besides HTML pages (feeds, sitemap,
//! robots.txt, static files, bundle assets), and `commit`, the only writer of
//! the output folder.
//!
//! Artifacts are plain data (a relative path and bytes or a source file);
//! nothing touches the disk until every artifact of the build exists.

mod commit;
mod feeds;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use commit::{check_output_dir, commit, CommitStats, MANIFEST};

use crate::content::walk::is_ignored_name;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::Model;

/// Where an artifact's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Bytes produced by the build.
    Bytes(Vec<u8>),
    /// A file copied as is (absolute path).
    File(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative to the output folder, `/`-separated: `companies/alibaba/index.html`.
    pub path: String,
    /// Its content.
    pub source: Source,
    /// What produced it (a note's path, `theme static`...), for collision errors.
    pub origin: String,
}

impl Artifact {
    /// A generated text file.
    pub fn page(path: String, text: String) -> Self {
        Artifact {
            path,
            source: Source::Bytes(text.into_bytes()),
            origin: String::new(),
        }
    }

    /// Sets the origin.
    pub fn from_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = origin.into();
        self
    }

    /// Size in bytes, if known without I/O.
    pub fn len(&self) -> Option<usize> {
        match &self.source {
            Source::Bytes(b) => Some(b.len()),
            Source::File(_) => None,
        }
    }

    /// Is it an empty generated file?
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

/// The feeds, sitemap and robots.txt of the site.
pub fn generated(model: &Model<'_>) -> Vec<Artifact> {
    let mut out = feeds::feeds(model);
    out.push(feeds::sitemap(model));
    out.push(Artifact::page(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            model.urls.absolute("sitemap.xml")
        ),
    ));
    out
}

fn walk_files(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let ty = e.file_type()?;
        let path = format!("{rel}{name}");
        if ty.is_dir() {
            walk_files(&e.path(), &format!("{path}/"), out)?;
        } else if ty.is_file() {
            out.push((path, e.path()));
        }
    }
    Ok(())
}

/// Theme static files, then the site's `static/` (which wins), then every
/// bundle note's files beside its page.
pub fn static_files(root: &Path, model: &Model<'_>) -> Result<Vec<Artifact>, Diagnostics> {
    let mut by_path: BTreeMap<String, Artifact> = BTreeMap::new();
    let dirs = [
        (
            root.join("themes").join(&model.config.theme).join("static"),
            "theme static",
        ),
        (root.join("static"), "static"),
    ];
    for (dir, origin) in dirs {
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        walk_files(&dir, "", &mut files).map_err(|e| io_error(root, &dir, &e))?;
        for (path, file) in files {
            let a = Artifact {
                path: path.clone(),
                source: Source::File(file),
                origin: origin.to_string(),
            };
            by_path.insert(path, a);
        }
    }
    let mut out: Vec<Artifact> = by_path.into_values().collect();
    for (i, note) in model.corpus.notes.iter().enumerate() {
        let Some(bundle) = note.bundle_dir() else {
            continue;
        };
        for asset in &note.assets {
            let rel = asset.to_string_lossy().replace('\\', "/");
            out.push(Artifact {
                path: format!("{}{rel}", model.linked.routes[i]),
                source: Source::File(root.join(bundle).join(asset)),
                origin: note.path.display().to_string(),
            });
        }
    }
    Ok(out)
}

fn io_error(root: &Path, dir: &Path, e: &std::io::Error) -> Diagnostics {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    Diagnostics::from_iter([Diagnostic::error(
        rel,
        Location::default(),
        format!("cannot read: {e}"),
    )])
}

/// Errors for two artifacts with one path, or a path that could escape.
pub fn check_paths(artifacts: &[Artifact]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for a in artifacts {
        let unsafe_path = a.path.is_empty()
            || a.path.starts_with('/')
            || a.path.contains('\\')
            || a.path
                .split('/')
                .any(|part| part == ".." || part == "." || part.is_empty());
        if unsafe_path {
            diags.push(Diagnostic::error(
                &a.origin,
                Location::default(),
                format!(
                    "refusing to write \"{}\": not a plain path inside the output folder",
                    a.path
                ),
            ));
        } else if let Some(first) = seen.insert(&a.path, &a.origin) {
            let describe = |o: &str| {
                if o.is_empty() {
                    "a generated page".to_string()
                } else {
                    o.to_string()
                }
            };
            diags.push(
                Diagnostic::error(
                    describe(&a.origin),
                    Location::default(),
                    format!(
                        "{} and {} would both write {}",
                        describe(first),
                        describe(&a.origin),
                        a.path
                    ),
                )
                .with_hint("give one of them another slug, or rename the file"),
            );
        }
    }
    diags
}
