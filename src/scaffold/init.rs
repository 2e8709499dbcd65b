//! `brief init`: writes the starter site and the default theme into a new
//! or empty folder.

use std::path::{Path, PathBuf};

use super::{io_error, starter_files, theme_files, DEFAULT_THEME};
use crate::diag::{Diagnostic, Diagnostics, Location};

/// What to do when the target folder already has files in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Existing {
    /// Refuse, and write nothing (the default).
    #[default]
    Refuse,
    /// Write anyway, replacing starter files of the same name (`--force`).
    Overwrite,
}

/// What `init` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    /// The new site's folder, as given.
    pub root: PathBuf,
    /// Every file written, relative to `root`, sorted.
    pub written: Vec<PathBuf>,
}

/// Lines of the `.gitignore` a new site gets (added to one it has).
const GITIGNORE: &str = "# brief's build output\n/public/\n";

/// The `.gitignore` the site should have, or `None` if `path` already
/// ignores `public/`. An existing file is kept and `/public/` added to it,
/// never replaced: its lines are the user's.
fn gitignore_with_public(path: &Path) -> std::io::Result<Option<String>> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(GITIGNORE.into())),
        Err(e) => return Err(e),
    };
    let ignored = old
        .lines()
        .any(|l| matches!(l.trim(), "public" | "public/" | "/public" | "/public/"));
    if ignored {
        return Ok(None);
    }
    let mut text = old;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(GITIGNORE);
    Ok(Some(text))
}

/// A folder holding nothing, or only hidden entries such as `.git`, is empty
/// enough for a new site.
fn is_quasi_empty(dir: &Path) -> std::io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        if !entry?.file_name().to_string_lossy().starts_with('.') {
            return Ok(false);
        }
    }
    Ok(true)
}

fn refuse(dir: &Path, message: String, hint: &str) -> Diagnostics {
    Diagnostics::from_iter([Diagnostic::error(dir, Location::default(), message).with_hint(hint)])
}

/// Checks that `dir` may receive a new site, before anything is written.
fn check_target(dir: &Path, existing: Existing) -> Result<(), Diagnostics> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(refuse(
            dir,
            "exists and is not a folder".into(),
            "choose a folder name for the new site",
        ));
    }
    let empty = is_quasi_empty(dir)
        .map_err(|e| Diagnostics::from_iter([io_error(dir, "read the folder", &e)]))?;
    if !empty && existing == Existing::Refuse {
        return Err(refuse(
            dir,
            "the folder is not empty; nothing was written".into(),
            "choose a new or empty folder, or pass --force to add the starter files \
             to this one (files with the same names are replaced)",
        ));
    }
    Ok(())
}

/// The files of a new site: `(path relative to the root, bytes)`.
fn site_files() -> Vec<(PathBuf, &'static [u8])> {
    let theme = Path::new("themes").join(DEFAULT_THEME);
    let mut files: Vec<(PathBuf, &'static [u8])> = starter_files()
        .map(|f| (PathBuf::from(f.path), f.bytes))
        .chain(theme_files().map(|f| (theme.join(f.path), f.bytes)))
        .collect();
    files.sort();
    files
}

/// Writes a new site into `dir`, creating the folder if needed.
///
/// A folder with files in it (other than hidden ones such as `.git`) is
/// refused unless `existing` is `Overwrite`; then starter files replace files
/// of the same name and every other file is left alone. An existing
/// `.gitignore` is never replaced: `/public/` is added to it if missing.
pub fn init(dir: &Path, existing: Existing) -> Result<Initialized, Diagnostics> {
    check_target(dir, existing)?;
    // One error if the folder cannot be made, rather than one per file.
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostics::from_iter([io_error(dir, "create the folder", &e)]))?;
    let mut written = Vec::new();
    let mut diags = Diagnostics::new();
    for (rel, bytes) in site_files() {
        match write(dir, &rel, bytes) {
            Ok(()) => written.push(rel),
            Err(d) => diags.push(d),
        }
    }
    let gitignore = Path::new(".gitignore");
    match gitignore_with_public(&dir.join(gitignore)) {
        Ok(None) => {}
        Ok(Some(text)) => match write(dir, gitignore, text.as_bytes()) {
            Ok(()) => written.push(gitignore.to_path_buf()),
            Err(d) => diags.push(d),
        },
        Err(e) => diags.push(io_error(&dir.join(gitignore), "read", &e)),
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    written.sort();
    Ok(Initialized {
        root: dir.to_path_buf(),
        written,
    })
}

fn write(root: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(&path, "create the folder", &e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| io_error(&path, "write", &e))
}

/// Quotes `text` for a POSIX shell if it needs it.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:@%,=".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The two commands to run after `init` in `dir`.
pub fn next_steps(dir: &Path) -> [String; 2] {
    let shown = dir.display().to_string();
    if shown.is_empty() || shown == "." || shown == "./" {
        [
            "brief serve".to_string(),
            "brief new stories \"My first story\"".to_string(),
        ]
    } else {
        [
            format!("cd {}", shell_quote(&shown)),
            "brief serve".to_string(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(shell_quote("my-site"), "my-site");
        assert_eq!(shell_quote("my site"), "'my site'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn next_steps_depend_on_the_folder() {
        assert_eq!(next_steps(Path::new("."))[0], "brief serve");
        assert_eq!(next_steps(Path::new("news"))[0], "cd news");
    }

    #[test]
    fn refuses_a_folder_with_files_and_accepts_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(check_target(dir.path(), Existing::Refuse).is_ok());
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = check_target(dir.path(), Existing::Refuse).unwrap_err();
        assert!(err.sorted()[0].message.contains("not empty"));
        assert!(check_target(dir.path(), Existing::Overwrite).is_ok());
    }

    #[test]
    fn writes_the_theme_and_the_starter() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let done = init(&site, Existing::Refuse).unwrap();
        assert!(done.written.contains(&PathBuf::from("site.yaml")));
        assert!(done
            .written
            .contains(&Path::new("themes/default/templates/note.html").to_path_buf()));
        assert!(site.join(".gitignore").is_file());
    }

    #[test]
    fn an_existing_gitignore_keeps_its_lines_and_gains_public() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::write(site.join(".gitignore"), "*.log").unwrap();
        let done = init(site, Existing::Refuse).unwrap();
        assert!(done.written.contains(&PathBuf::from(".gitignore")));
        let text = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        assert_eq!(text, format!("*.log\n\n{GITIGNORE}"));
        // Run again over a .gitignore that already ignores public/.
        std::fs::write(site.join(".gitignore"), "target/\npublic/\n").unwrap();
        let again = init(site, Existing::Overwrite).unwrap();
        assert!(!again.written.contains(&PathBuf::from(".gitignore")));
        let text = std::fs::read_to_string(site.join(".gitignore")).unwrap();
        assert_eq!(text, "target/\npublic/\n");
    }
}
