//! Starting a site and a note: `brief init` and `brief new`.
//!
//! Owns the starter site and the copy of the default theme that are embedded
//! in the binary (listed by `build.rs`), so a new site needs no repository.
//! It writes only files it was asked to create, refuses to overwrite anything
//! unless told to, and returns what it did as data: it never prints, never
//! reads the environment and never looks at the clock (the caller passes
//! today's date in).

mod init;
mod new;

pub use init::{init, next_steps, Existing, Initialized};
pub use new::{front_matter, new_note, Created, NewNote};

use std::path::Path;

use crate::diag::{Diagnostic, Location};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The name of the theme a new site starts with.
pub const DEFAULT_THEME: &str = "default";

/// One file carried inside the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedFile {
    /// Its path, relative to the folder it belongs to, with `/` separators.
    pub path: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

fn files(list: &'static [(&'static str, &'static [u8])]) -> impl Iterator<Item = EmbeddedFile> {
    list.iter()
        .map(|&(path, bytes)| EmbeddedFile { path, bytes })
}

/// Every file of `themes/default/`, relative to that folder, sorted.
pub fn theme_files() -> impl Iterator<Item = EmbeddedFile> {
    files(embedded::THEME_FILES)
}

/// Every file of the starter site (site.yaml and content/), sorted.
pub fn starter_files() -> impl Iterator<Item = EmbeddedFile> {
    files(embedded::STARTER_FILES)
}

/// An I/O failure on `path`, as a diagnostic.
fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, Location::default(), format!("cannot {what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::PathBuf;

    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if crate::content::walk::is_ignored_name(&name) {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), out);
            } else {
                out.push(format!("{prefix}{name}"));
            }
        }
    }

    fn on_disk(dir: &str) -> Vec<String> {
        let mut out = Vec::new();
        walk(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir),
            "",
            &mut out,
        );
        out.sort();
        out
    }

    #[test]
    fn embedded_theme_matches_themes_default() {
        let embedded: Vec<String> = theme_files().map(|f| f.path.to_string()).collect();
        assert_eq!(embedded, on_disk("themes/default"));
        assert!(embedded.iter().any(|p| p == "templates/note.html"));
        for f in theme_files() {
            let disk = std::fs::read(
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default")
                    .join(f.path),
            )
            .unwrap();
            assert!(disk == f.bytes, "{} differs from the embedded copy", f.path);
        }
    }

    #[test]
    fn embedded_starter_matches_its_folder() {
        let embedded: Vec<String> = starter_files().map(|f| f.path.to_string()).collect();
        assert_eq!(embedded, on_disk("src/scaffold/starter"));
        assert!(embedded.iter().any(|p| p == "site.yaml"));
    }
}
