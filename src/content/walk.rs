//! Finding the files of `content/`: which are notes, which are section
//! intros, which are a bundle's assets, and which to ignore.
//!
//! Owns the layout rules of SPEC section 1. It reads directory entries only,
//! never file contents, and follows no symlinked folder (so a symlink loop
//! cannot trap it).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location};

/// What a file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// `content/_index.md`: the home page's intro.
    HomeIntro(PathBuf),
    /// `content/<collection>/_index.md`.
    CollectionIntro {
        /// The collection's folder name.
        collection: String,
        /// The file, relative to the site root.
        path: PathBuf,
    },
    /// A note or a standalone page.
    Note(NoteFile),
}

/// One note's file and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFile {
    /// Relative to the site root: `content/companies/alibaba.md`.
    pub path: PathBuf,
    /// `None` for a standalone page such as `content/about.md`.
    pub collection: Option<String>,
    /// Folders between the collection and the note, as written.
    pub dirs: Vec<String>,
    /// The file stem, or the bundle folder's name for `<slug>/index.md`.
    pub stem: String,
    /// Files beside a bundle's `index.md`, relative to the bundle folder.
    pub assets: Vec<PathBuf>,
}

/// The collection folders found, and every entry, in sorted order.
#[derive(Debug, Default)]
pub struct Found {
    /// Folder names directly under `content/`.
    pub collections: Vec<String>,
    /// Notes and intros.
    pub entries: Vec<Entry>,
    /// Problems such as symlinks not followed.
    pub diagnostics: Vec<Diagnostic>,
    /// The collection of each folder that could not be read (`""` for a
    /// file or folder directly under `content/`): the notes in it are
    /// unknown, so references that find nothing may name one of them.
    pub unread: Vec<String>,
    /// Files outside any bundle that are not notes (`content/images/a.png`):
    /// never published, which `brief check` tells.
    pub unpublished: Vec<PathBuf>,
}

/// Does the name end like a Markdown file's (`.md`, `.MD`, `.markdown`,
/// `.mdown`, `.mkd`)?
fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".md", ".markdown", ".mdown", ".mkd"]
        .iter()
        .any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
}

/// Is this a file an editor or the OS leaves behind, or hidden (its name
/// starts with `.`): never content?
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.') || is_leftover(name)
}

/// An editor's backup, lock, swap or temporary file (`#a.md#`, `.#a.md`,
/// `a.md~`, `.a.md.swp`, Vim's `4913` probe).
fn is_leftover(name: &str) -> bool {
    name.starts_with('#')
        || name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Is this a file of `static/` never to publish: an editor's leftover,
/// a version-control folder, the OS's litter, or a name brief uses in the
/// output folder? Other hidden names (`.well-known/`, `.nojekyll`,
/// `.htaccess`) are published, as other generators do.
pub fn is_ignored_static_name(name: &str) -> bool {
    is_leftover(name)
        || matches!(
            name,
            ".git" | ".svn" | ".hg" | ".DS_Store" | "Thumbs.db" | "desktop.ini"
        )
        || name.starts_with(".brief")
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, std::fs::FileType)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        out.push((name, entry.path(), entry.file_type()?));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The warning for a FIFO, socket or device under `content/` or `static/`.
pub const SPECIAL_SKIPPED: &str = "not a regular file (a FIFO, socket or device): skipped";

struct Walker<'a> {
    root: &'a Path,
    found: Found,
}

impl Walker<'_> {
    fn rel(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    fn io_error(&mut self, path: &Path, e: &std::io::Error) {
        let d = Diagnostic::error(
            self.rel(path),
            Location::default(),
            format!("cannot read: {e}"),
        );
        self.found.diagnostics.push(d);
    }

    fn symlink(&mut self, path: &Path) {
        let d = Diagnostic::warning(
            self.rel(path),
            Location::default(),
            "symbolic link not followed: content must be real files inside the site",
        )
        .with_hint("copy the file into content/ instead of linking it");
        self.found.diagnostics.push(d);
    }

    /// A FIFO, socket or device: never opened (reading a FIFO would wait
    /// for a writer for ever).
    fn special(&mut self, path: &Path) {
        let d = Diagnostic::warning(self.rel(path), Location::default(), SPECIAL_SKIPPED);
        self.found.diagnostics.push(d);
    }

    /// A file named like a note but not quite (`a.MD`, `a.markdown`) is
    /// not read as one: said, since the note would vanish from the site
    /// without a word.
    fn not_a_note(&mut self, name: &str, path: &Path) {
        if !is_markdown_name(name) {
            // Brief publishes a file under content/ only in a bundle: an
            // image put here (as in Hugo's and Zola's sections) would be
            // left out without a word.
            if !matches!(name, "Thumbs.db" | "desktop.ini") {
                let rel = self.rel(path);
                self.found.unpublished.push(rel);
            }
            return;
        }
        let lower = name.to_ascii_lowercase();
        let stem = [".md", ".markdown", ".mdown", ".mkd"]
            .iter()
            .find_map(|ext| lower.strip_suffix(ext).map(|s| &name[..s.len()]));
        if let Some(stem) = stem.filter(|s| !s.is_empty()) {
            let d = Diagnostic::warning(
                self.rel(path),
                Location::default(),
                "not read as a note: notes are files ending in `.md`",
            )
            .with_hint(format!("rename it to {stem}.md"));
            self.found.diagnostics.push(d);
        }
    }

    fn entries(&mut self, dir: &Path) -> Vec<(String, PathBuf, std::fs::FileType)> {
        match sorted_entries(dir) {
            Ok(e) => e,
            Err(e) => {
                self.io_error(dir, &e);
                let rel = self.rel(dir);
                let collection = rel
                    .strip_prefix("content")
                    .ok()
                    .and_then(|r| r.components().next())
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.found.unread.push(collection);
                Vec::new()
            }
        }
    }

    fn top(&mut self, content: &Path) {
        for (name, path, ty) in self.entries(content) {
            if ty.is_symlink() {
                self.symlink(&path);
            } else if ty.is_dir() {
                self.found.collections.push(name.clone());
                self.collection_dir(&name, &path, &[]);
            } else if !ty.is_file() {
                self.special(&path);
            } else if name == "_index.md" {
                let rel = self.rel(&path);
                self.found.entries.push(Entry::HomeIntro(rel));
            } else if let Some(stem) = name.strip_suffix(".md") {
                let file = NoteFile {
                    path: self.rel(&path),
                    collection: None,
                    dirs: Vec::new(),
                    stem: stem.to_string(),
                    assets: Vec::new(),
                };
                self.found.entries.push(Entry::Note(file));
            } else {
                self.not_a_note(&name, &path);
            }
        }
    }

    fn collection_dir(&mut self, collection: &str, dir: &Path, dirs: &[String]) {
        for (name, path, ty) in self.entries(dir) {
            if ty.is_symlink() {
                self.symlink(&path);
            } else if ty.is_dir() {
                let index = path.join("index.md");
                if index.is_file() {
                    let assets = self.assets(&path);
                    let file = NoteFile {
                        path: self.rel(&index),
                        collection: Some(collection.to_string()),
                        dirs: dirs.to_vec(),
                        stem: name,
                        assets,
                    };
                    self.found.entries.push(Entry::Note(file));
                } else {
                    let mut sub = dirs.to_vec();
                    sub.push(name);
                    self.collection_dir(collection, &path, &sub);
                }
            } else if !ty.is_file() {
                self.special(&path);
            } else if name == "_index.md" && dirs.is_empty() {
                let rel = self.rel(&path);
                self.found.entries.push(Entry::CollectionIntro {
                    collection: collection.to_string(),
                    path: rel,
                });
            } else if name == "_index.md" || (name == "index.md" && dirs.is_empty()) {
                let d = Diagnostic::warning(
                    self.rel(&path),
                    Location::default(),
                    "ignored: only content/<collection>/_index.md introduces a list page",
                );
                self.found.diagnostics.push(d);
            } else if let Some(stem) = name.strip_suffix(".md") {
                let file = NoteFile {
                    path: self.rel(&path),
                    collection: Some(collection.to_string()),
                    dirs: dirs.to_vec(),
                    stem: stem.to_string(),
                    assets: Vec::new(),
                };
                self.found.entries.push(Entry::Note(file));
            } else {
                self.not_a_note(&name, &path);
            }
        }
    }

    /// Every file under a bundle folder except its `index.md` and other
    /// Markdown files: those are sources, never published as they are (a
    /// draft's text would be public), and each is told.
    fn assets(&mut self, bundle: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![bundle.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for (name, path, ty) in self.entries(&dir) {
                if ty.is_symlink() {
                    self.symlink(&path);
                } else if ty.is_dir() {
                    stack.push(path);
                } else if !ty.is_file() {
                    self.special(&path);
                } else if dir == bundle && name == "index.md" {
                    // The bundle's note.
                    continue;
                } else if is_markdown_name(&name) {
                    let d = Diagnostic::warning(
                        self.rel(&path),
                        Location::default(),
                        "not published: a Markdown file inside a bundle is neither a note nor a \
                         file to copy",
                    )
                    .with_hint(format!(
                        "to make it a note, move it beside the bundle folder ({} is the \
                         bundle's note)",
                        self.rel(&bundle.join("index.md")).display()
                    ));
                    self.found.diagnostics.push(d);
                } else {
                    out.push(path.strip_prefix(bundle).unwrap_or(&path).to_path_buf());
                }
            }
        }
        out.sort();
        out
    }
}

/// Walks `root/content`. A site without it is an error, not an empty
/// site: building one would remove every page of the previous output.
pub fn walk(root: &Path) -> Found {
    let mut walker = Walker {
        root,
        found: Found::default(),
    };
    let content = root.join("content");
    let problem = match std::fs::metadata(&content) {
        Ok(meta) if meta.is_dir() => {
            walker.top(&content);
            None
        }
        Ok(_) => Some("`content` is not a folder".to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Some("the site has no content/ folder".to_string())
        }
        Err(e) => Some(format!("cannot read the content/ folder: {e}")),
    };
    if let Some(message) = problem {
        walker.found.diagnostics.push(
            Diagnostic::error("content", Location::default(), message).with_hint(
                "notes go in content/<collection>/<name>.md; `brief init <dir>` starts a new site",
            ),
        );
    }
    walker.found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".x.md.swp",
            "a.md~",
            "4913",
            "#a.md#",
            ".#lock",
            ".hidden.md",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("alibaba.md"));
        for name in [".well-known", ".nojekyll", ".htaccess", "logo.png"] {
            assert!(!is_ignored_static_name(name), "{name}");
        }
        for name in [
            ".git",
            ".DS_Store",
            ".logo.png.swp",
            "logo.png~",
            ".brief-manifest",
        ] {
            assert!(is_ignored_static_name(name), "{name}");
        }
    }

    #[test]
    fn files_named_almost_like_notes_and_other_files_outside_bundles_are_warned_about() {
        let dir = tempfile::tempdir().unwrap();
        let people = dir.path().join("content/people");
        std::fs::create_dir_all(&people).unwrap();
        for name in ["ann.md", "bob.MD", "cy.markdown", "photo.png", ".md"] {
            std::fs::write(people.join(name), "---\ntitle: X\n---\n").unwrap();
        }
        std::fs::write(dir.path().join("content/About.Md"), "x").unwrap();
        let found = walk(dir.path());
        assert_eq!(found.entries.len(), 1);
        let warned: Vec<String> = found
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.path.display(), d.hints.join("; ")))
            .collect();
        assert_eq!(
            found.unpublished,
            [PathBuf::from("content/people/photo.png")]
        );
        assert_eq!(
            warned,
            [
                "content/About.Md: rename it to About.md",
                "content/people/bob.MD: rename it to bob.md",
                "content/people/cy.markdown: rename it to cy.md",
            ]
        );
    }
}
