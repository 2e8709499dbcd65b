//! `commit`: the only code that writes the output folder.
//!
//! It writes a file only when its bytes changed (to a temporary name, then
//! renamed, so no reader or interrupted build ever sees half a file), and
//! removes only files that the previous build produced and this one no
//! longer does, as listed in the manifest. Files it never produced (a
//! `CNAME`, a `.git`) are left alone. It refuses output folders that would
//! put the site itself at risk.
//!
//! A build killed while writing leaves whole files only, maybe some
//! temporary `.<name>.brief-tmp` files and the `.brief-writing` marker.
//! The manifest is widened to every path about to be written *before* the
//! first write, so whatever an interrupted build wrote is still brief's to
//! remove; the next build, seeing the marker, sweeps the temporary files.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Artifact, Source};
use crate::diag::{Diagnostic, Diagnostics, Location};

/// The list of files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".brief-manifest";

/// Present in the output folder while a commit runs; found at the start of
/// a commit, it means the previous one was interrupted.
pub const MARKER: &str = ".brief-writing";

/// The suffix of a file being written, before its rename.
const TMP_SUFFIX: &str = ".brief-tmp";

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitStats {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Files removed because no longer produced.
    pub removed: usize,
    /// Bytes written.
    pub bytes: u64,
}

fn refuse(out: &Path, why: &str) -> Diagnostics {
    Diagnostics::from_iter([Diagnostic::error(
        out,
        Location::default(),
        format!(
            "refusing to use {} as the output folder: {why}",
            out.display()
        ),
    )
    .with_hint("pass --output with a folder of its own, such as public/")])
}

/// The absolute, symlink-free form of a path that may not exist yet.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = path.to_path_buf();
    loop {
        match existing.canonicalize() {
            Ok(c) => {
                let mut c = c;
                c.extend(missing.iter().rev());
                return Ok(c);
            }
            Err(e) => match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    missing.push(name.to_os_string());
                    existing = if parent.as_os_str().is_empty() {
                        PathBuf::from(".")
                    } else {
                        parent.to_path_buf()
                    };
                }
                _ => return Err(e),
            },
        }
    }
}

/// Refuses an output folder that is the site root, a parent of it, holds
/// `content/` or `site.yaml`, or lies inside `content/`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostics> {
    let io = |e: std::io::Error| refuse(out, &e.to_string());
    let root = resolve(root).map_err(io)?;
    let abs = resolve(out).map_err(io)?;
    if abs == root {
        return Err(refuse(out, "it is the site's own folder"));
    }
    if root.starts_with(&abs) {
        return Err(refuse(out, "it contains the site"));
    }
    if abs.starts_with(root.join("content")) || abs.starts_with(root.join("themes")) {
        return Err(refuse(out, "it is inside the site's sources"));
    }
    if abs.join("content").is_dir() || abs.join(crate::config::CONFIG_FILE).exists() {
        return Err(refuse(out, "it holds a content/ folder or a site.yaml"));
    }
    Ok(())
}

fn same_bytes(target: &Path, source: &Source) -> bool {
    let Ok(meta) = std::fs::metadata(target) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match source {
        Source::Bytes(bytes) => {
            meta.len() == bytes.len() as u64
                && std::fs::read(target).is_ok_and(|old| old == **bytes)
        }
        Source::File(src) => {
            let Ok(src_meta) = std::fs::metadata(src) else {
                return false;
            };
            src_meta.len() == meta.len()
                && matches!((std::fs::read(src), std::fs::read(target)), (Ok(a), Ok(b)) if a == b)
        }
    }
}

/// Writes `bytes` to `target` through a temporary file and a rename.
fn write_atomic(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}{TMP_SUFFIX}"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_one(out: &Path, a: &Artifact) -> Result<Option<u64>, Diagnostic> {
    let target = out.join(&a.path);
    if same_bytes(&target, &a.source) {
        return Ok(None);
    }
    let err = |e: std::io::Error| {
        Diagnostic::error(&target, Location::default(), format!("cannot write: {e}"))
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let bytes = match &a.source {
        Source::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
        Source::File(src) => std::borrow::Cow::Owned(std::fs::read(src).map_err(|e| {
            Diagnostic::error(src, Location::default(), format!("cannot read: {e}"))
        })?),
    };
    write_atomic(&target, &bytes).map_err(err)?;
    Ok(Some(bytes.len() as u64))
}

fn read_manifest(out: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Removes the temporary files an interrupted commit left, anywhere in
/// `dir` except in hidden folders (a publishing checkout's `.git`), which
/// brief never writes into.
fn sweep_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        match entry.file_type() {
            Ok(t) if t.is_dir() && !name.starts_with('.') => sweep_temporaries(&entry.path()),
            Ok(t) if t.is_file() && name.starts_with('.') && name.ends_with(TMP_SUFFIX) => {
                let _ = std::fs::remove_file(entry.path());
            }
            _ => {}
        }
    }
}

fn write_error(out: &Path, what: &str, e: &std::io::Error) -> Diagnostics {
    Diagnostics::from_iter([Diagnostic::error(
        out,
        Location::default(),
        format!("cannot write {what}: {e}"),
    )])
}

/// Writes the manifest as `paths`, unless it already says exactly that.
fn write_manifest(out: &Path, paths: &BTreeSet<String>) -> Result<(), Diagnostics> {
    let manifest: String = paths.iter().map(|p| format!("{p}\n")).collect();
    let manifest_path = out.join(MANIFEST);
    if same_bytes(
        &manifest_path,
        &Source::Bytes(std::sync::Arc::new(manifest.clone().into_bytes())),
    ) {
        return Ok(());
    }
    write_atomic(&manifest_path, manifest.as_bytes())
        .map_err(|e| write_error(out, "the manifest", &e))
}

/// Refuses to write through a symbolic link to a folder inside `out` (a
/// `public/assets -> /somewhere` link would put files outside the output
/// folder). Each folder on the way to an artifact is looked at once.
fn refuse_symlinked_dirs(out: &Path, artifacts: &[Artifact]) -> Result<(), Diagnostics> {
    let mut seen = std::collections::HashSet::new();
    let mut diags = Diagnostics::new();
    for a in artifacts {
        let mut dir = String::new();
        for part in a
            .path
            .split('/')
            .rev()
            .skip(1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            if !dir.is_empty() {
                dir.push('/');
            }
            dir.push_str(part);
            if !seen.insert(dir.clone()) {
                continue;
            }
            let is_link =
                std::fs::symlink_metadata(out.join(&dir)).is_ok_and(|m| m.file_type().is_symlink());
            if is_link {
                diags.push(
                    Diagnostic::error(
                        out.join(&dir),
                        Location::default(),
                        "refusing to write through a symbolic link in the output folder",
                    )
                    .with_hint("remove the link, or build into a folder of its own with --output"),
                );
            }
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// Brings `out` to exactly `artifacts`, touching only what changed.
pub fn commit(out: &Path, artifacts: &[Artifact]) -> Result<CommitStats, Diagnostics> {
    std::fs::create_dir_all(out).map_err(|e| {
        Diagnostics::from_iter([Diagnostic::error(
            out,
            Location::default(),
            format!("cannot create: {e}"),
        )])
    })?;
    refuse_symlinked_dirs(out, artifacts)?;
    let marker = out.join(MARKER);
    if marker.exists() {
        sweep_temporaries(out);
    }
    std::fs::write(&marker, b"").map_err(|e| write_error(out, "the build marker", &e))?;
    let previous = read_manifest(out);
    let produced: BTreeSet<String> = artifacts.iter().map(|a| a.path.clone()).collect();
    if !produced.is_subset(&previous) {
        write_manifest(out, &previous.union(&produced).cloned().collect())?;
    }
    let results: Vec<Result<Option<u64>, Diagnostic>> =
        artifacts.par_iter().map(|a| write_one(out, a)).collect();
    let mut stats = CommitStats::default();
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(Some(bytes)) => {
                stats.written += 1;
                stats.bytes += bytes;
            }
            Ok(None) => stats.unchanged += 1,
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut emptied = BTreeSet::new();
    for stale in previous.difference(&produced) {
        if stale.split('/').any(|p| p == ".." || p.is_empty()) {
            continue;
        }
        let path = out.join(stale);
        if path.is_file() && std::fs::remove_file(&path).is_ok() {
            stats.removed += 1;
            if let Some(parent) = path.parent() {
                emptied.insert(parent.to_path_buf());
            }
        }
    }
    // Deepest first, so a folder emptied by its child's removal goes too.
    for dir in emptied.iter().rev() {
        let mut dir = dir.as_path();
        while dir.starts_with(out) && dir != out && std::fs::remove_dir(dir).is_ok() {
            dir = match dir.parent() {
                Some(p) => p,
                None => break,
            };
        }
    }
    write_manifest(out, &produced)?;
    std::fs::remove_file(&marker).map_err(|e| write_error(out, "the build marker", &e))?;
    Ok(stats)
}
