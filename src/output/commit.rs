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
//! The manifest is widened to every new path about to be written *before*
//! the first write, so whatever an interrupted build wrote is still brief's
//! to remove (but never a file someone else put there, which is listed only
//! once replaced); the next build, seeing the marker, sweeps the temporary
//! files.
//!
//! A file that cannot be renamed into place (a read-only folder in the
//! output) fails the build without changing the output: every file about
//! to be replaced is hard-linked into the staging folder first, and the
//! renames already done are undone from those links.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;

use super::{Artifact, Source};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::stamp::FileStamp;

/// A file of the build as the manifest's record sees it: its path, and its
/// length and modification time if this build wrote it.
pub type Recording<'a> = (&'a str, Option<FileStamp>);

/// The list of files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".brief-manifest";

/// Present in the output folder while a commit runs; found at the start of
/// a commit, it means the previous one was interrupted.
pub const MARKER: &str = ".brief-writing";

/// The suffix of a file being written, before its rename.
const TMP_SUFFIX: &str = ".brief-tmp";

/// The folder in the output where a build stages the files it will rename
/// into place once every file of the build exists.
pub const STAGING: &str = ".brief-staging";

/// Ctrl-C while a build stages its files: the build stops at its next
/// file and takes back what it staged, leaving the output folder as it
/// was and nothing of its own behind. Before anything is staged there is
/// nothing to take back, and the process may end at once; once the files
/// are being renamed into place, the commit finishes.
pub mod interrupt {
    use std::sync::atomic::{AtomicU8, Ordering};

    const IDLE: u8 = 0;
    const STAGING: u8 = 1;
    const STOPPING: u8 = 2;
    static STATE: AtomicU8 = AtomicU8::new(IDLE);

    /// Asks the build to stop; `true` when nothing is staged (or it was
    /// asked already), so the process may simply end.
    pub fn request() -> bool {
        STATE
            .compare_exchange(STAGING, STOPPING, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
    }

    /// Has the build been asked to stop?
    pub fn requested() -> bool {
        STATE.load(Ordering::SeqCst) == STOPPING
    }

    /// A staging is about to touch the output: from now on, a request
    /// waits for the build to take back what it wrote.
    pub(super) fn staging() {
        let _ = STATE.compare_exchange(IDLE, STAGING, Ordering::SeqCst, Ordering::SeqCst);
    }
}

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

/// Holds the output folder for one build, until the returned handle is
/// dropped: a second build into it (or into a folder beside it) waits for
/// the first to end, instead of sharing its staging folders and leaving a
/// site that is neither's. The lock is the system's, on the folder that
/// holds the output (no file is left behind, and a killed build lets go).
/// `None` when there is no such folder to hold.
pub fn lock_output(out: &Path) -> Option<std::fs::File> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A folder that is not there (a site root that does not exist) is
    // told by the build; a system without locks builds as before.
    let dir = std::fs::File::open(parent).ok()?;
    dir.lock().ok().map(|()| dir)
}

/// Refuses an output folder that is the site root, a parent of it, holds
/// `content/` or `site.yaml`, or lies inside `content/`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostics> {
    if out.exists() && !out.is_dir() {
        return Err(refuse(out, "it is a file, not a folder"));
    }
    let io = |e: std::io::Error| refuse(out, &e.to_string());
    let root = resolve(root).map_err(io)?;
    let abs = resolve(out).map_err(io)?;
    if abs == root {
        return Err(refuse(out, "it is the site's own folder"));
    }
    if root.starts_with(&abs) {
        return Err(refuse(out, "it contains the site"));
    }
    if ["content", "themes", "templates", "static"]
        .iter()
        .any(|source| abs.starts_with(root.join(source)))
    {
        return Err(refuse(out, "it is inside the site's sources"));
    }
    if abs.join("content").is_dir() || abs.join(crate::config::CONFIG_FILE).exists() {
        return Err(refuse(out, "it holds a content/ folder or a site.yaml"));
    }
    Ok(())
}

/// Does `target` hold exactly `pieces`, one after another?
fn same_content(target: &Path, pieces: &[&[u8]]) -> bool {
    let len: usize = pieces.iter().map(|p| p.len()).sum();
    std::fs::metadata(target).is_ok_and(|meta| meta.is_file() && meta.len() == len as u64)
        && std::fs::read(target).is_ok_and(|old| {
            let mut rest = old.as_slice();
            old.len() == len
                && pieces.iter().all(|piece| {
                    let (head, tail) = rest.split_at(piece.len());
                    rest = tail;
                    head == *piece
                })
        })
}

/// Writes `pieces`, one after another, to `target` through a temporary
/// file and a rename.
fn write_atomic(target: &Path, pieces: &[&[u8]]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}{TMP_SUFFIX}"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        for piece in pieces {
            f.write_all(piece)?;
        }
        drop(f);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The paths the manifest lists. A line starting with `/` is never a path
/// (paths are relative): the first may hold the build's state. A line
/// that is not UTF-8 is no path brief wrote (a manifest damaged on disk):
/// it is passed over, and the lines around it still count, so the files
/// they name are still removed once no longer produced.
fn read_manifest(out: &Path) -> BTreeSet<String> {
    let Ok(bytes) = std::fs::read(out.join(MANIFEST)) else {
        return BTreeSet::new();
    };
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with('/'))
        .map(str::to_string)
        .collect()
}

/// What the manifest recorded of the last build that finished: its state
/// line, the paths it lists, and each page's fingerprint and each file's
/// hash (lines `/page <hex> <path>` and `/hash <hex> <path>`).
#[derive(Debug, Default)]
pub struct Recorded {
    /// The state line, after `/state `.
    pub state: String,
    /// The files of the output, sorted.
    pub paths: Vec<String>,
    /// What each page was rendered from, by path.
    pub pages: HashMap<String, u64>,
    /// The hash of each file's bytes, by path.
    pub hashes: HashMap<String, u64>,
    /// Each search document's key and fingerprint, in document order.
    pub docs: Vec<(String, u64)>,
}

/// The manifest's record, read once, unless a commit was interrupted there
/// or the manifest has no state line.
pub fn read_recorded(out: &Path) -> Option<Recorded> {
    if out.join(MARKER).exists() {
        return None;
    }
    let text = std::fs::read_to_string(out.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    let mut recorded = Recorded {
        state: lines.next()?.strip_prefix("/state ")?.to_string(),
        ..Recorded::default()
    };
    let tagged = |l: &str, tag: &str| {
        let (hex, path) = l.strip_prefix(tag)?.split_once(' ')?;
        Some((path.to_string(), u64::from_str_radix(hex, 16).ok()?))
    };
    for line in lines {
        if !line.starts_with('/') {
            recorded.paths.push(line.to_string());
        } else if let Some((path, fp)) = tagged(line, "/page ") {
            recorded.pages.insert(path, fp);
        } else if let Some((path, hash)) = tagged(line, "/hash ") {
            recorded.hashes.insert(path, hash);
        } else if let Some((key, fp)) = tagged(line, "/doc ") {
            recorded.docs.push((key, fp));
        }
    }
    Some(recorded)
}

/// The lines the manifest keeps above the paths (see [`Recorded`]): the
/// state line, then each page's fingerprint, each search document's, and
/// each file's hash, in pieces to be written one after another.
pub fn record_lines(
    state: &str,
    pages: &[(String, u64)],
    docs: &[(String, u64)],
    hashes: &[(&str, u64)],
) -> Vec<String> {
    let mut pieces = vec![format!("/state {state}\n")];
    // Half a million lines on a large site, put together by hand (not
    // through `format!`'s machinery) and in pieces on every core: the
    // names are spread over the heap, and each piece is fresh memory.
    pieces.extend(lines_of("/page ", pages));
    pieces.extend(lines_of("/doc ", docs));
    pieces.extend(lines_of("/hash ", hashes));
    pieces
}

/// The lines `kind`, hash, name of `list`, in pieces of many lines.
fn lines_of<S: AsRef<str> + Sync>(kind: &str, list: &[(S, u64)]) -> Vec<String> {
    list.par_chunks(LINES_PER_PIECE)
        .map(|chunk| {
            let size: usize = chunk
                .iter()
                .map(|(name, _)| kind.len() + 18 + name.as_ref().len())
                .sum();
            let mut lines = String::with_capacity(size);
            for (name, value) in chunk {
                lines.push_str(kind);
                push_hex16(&mut lines, *value);
                lines.push(' ');
                lines.push_str(name.as_ref());
                lines.push('\n');
            }
            lines
        })
        .collect()
}

/// Lines in each piece of the manifest put together on its own.
const LINES_PER_PIECE: usize = 4096;

/// `value` as 16 lowercase hexadecimal digits, as `{value:016x}` writes it.
fn push_hex16(out: &mut String, value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 16];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = DIGITS[((value >> (60 - 4 * i)) & 0xf) as usize];
    }
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
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

/// Writes the manifest, `header` then `paths` (sorted, each once) one per
/// line, unless it already says exactly that.
fn write_manifest(out: &Path, header: &[String], paths: &[&str]) -> Result<(), Diagnostics> {
    // The header (the recorded state, tens of MB on a large site) is
    // written as it is, not copied in front of the paths.
    let listed: Vec<String> = paths
        .par_chunks(LINES_PER_PIECE)
        .map(|chunk| {
            let mut lines = String::with_capacity(chunk.iter().map(|p| p.len() + 1).sum());
            for p in chunk {
                lines.push_str(p);
                lines.push('\n');
            }
            lines
        })
        .collect();
    let manifest: Vec<&[u8]> = header.iter().chain(&listed).map(String::as_bytes).collect();
    let manifest_path = out.join(MANIFEST);
    if same_content(&manifest_path, &manifest) {
        return Ok(());
    }
    write_atomic(&manifest_path, &manifest).map_err(|e| write_error(out, "the manifest", &e))
}

/// Refuses to write through a symbolic link to a folder inside `out` (a
/// `public/assets -> /somewhere` link would put files outside the output
/// folder). Each folder on the way to an artifact is looked at once.
fn refuse_symlinked_dirs<'a>(
    out: &Path,
    paths: impl IntoIterator<Item = &'a str>,
) -> Result<(), Diagnostics> {
    let mut seen = HashSet::new();
    let mut diags = Diagnostics::new();
    for path in paths {
        let mut dir = String::new();
        for part in path
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

/// One file of a build, as the staging knows it.
#[derive(Debug)]
struct Staged {
    path: String,
    /// The staged copy to rename into place; `None` when the output folder
    /// already holds exactly these bytes (or the path is not plain, which
    /// the build refuses before anything is renamed), or when the file was
    /// written straight into a new output folder.
    tmp: Option<PathBuf>,
    /// Bytes written (0 for a file left as it was).
    bytes: u64,
    /// The hash of the file's bytes, when known.
    hash: Option<u64>,
    /// Its length and modification time as written (renaming keeps
    /// both), so that recording the output need not look it up again.
    written: Option<FileStamp>,
}

/// Writes `pieces`, one after another, to a new file at `path` and
/// returns its length and modification time, asked of the open file (no
/// second path lookup).
fn write_stamped(path: &Path, pieces: &[&[u8]]) -> std::io::Result<FileStamp> {
    let file = std::fs::File::create(path)?;
    let file = if let [bytes] = pieces {
        let mut file = file;
        file.write_all(bytes)?;
        file
    } else {
        let mut out = std::io::BufWriter::with_capacity(HASH_BLOCK, file);
        for piece in pieces {
            out.write_all(piece)?;
        }
        out.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
    };
    let meta = file.metadata()?;
    Ok((meta.len(), meta.modified()?))
}

/// The hash the manifest keeps of a file's bytes (foldhash with a fixed
/// seed: the same in every run of the same binary), taken a block of
/// [`HASH_BLOCK`] bytes at a time, so that a file made of pieces
/// ([`ContentHasher`]) hashes as its bytes whole do.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = content_hasher();
    let mut rest = bytes;
    while rest.len() > HASH_BLOCK {
        let (block, tail) = rest.split_at(HASH_BLOCK);
        h.write(block);
        rest = tail;
    }
    h.write(rest);
    h.write_usize(bytes.len());
    h.finish()
}

/// The block [`content_hash`] hashes at a time: the last block holds the
/// rest, one byte to a whole block (none for an empty file).
const HASH_BLOCK: usize = 1 << 16;

fn content_hasher() -> foldhash::quality::FoldHasher<'static> {
    use std::hash::BuildHasher;
    static STATE: foldhash::quality::FixedState =
        foldhash::quality::FixedState::with_seed(0x6272_6965_6632);
    STATE.build_hasher()
}

/// [`content_hash`] of bytes given in pieces, without joining them.
struct ContentHasher {
    h: foldhash::quality::FoldHasher<'static>,
    block: Vec<u8>,
    len: usize,
}

impl ContentHasher {
    fn new() -> Self {
        ContentHasher {
            h: content_hasher(),
            block: Vec::with_capacity(HASH_BLOCK),
            len: 0,
        }
    }

    fn update(&mut self, mut bytes: &[u8]) {
        use std::hash::Hasher;
        self.len += bytes.len();
        while !bytes.is_empty() {
            // A full block is hashed only once more bytes follow it: the
            // last one is `finish`'s.
            if self.block.len() == HASH_BLOCK {
                self.h.write(&self.block);
                self.block.clear();
            }
            let take = (HASH_BLOCK - self.block.len()).min(bytes.len());
            self.block.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
        }
    }

    fn finish(mut self) -> u64 {
        use std::hash::Hasher;
        self.h.write(&self.block);
        self.h.write_usize(self.len);
        self.h.finish()
    }
}

/// [`content_hash`] of `pieces` one after another.
fn pieces_hash(pieces: &[&[u8]]) -> u64 {
    match pieces {
        [bytes] => content_hash(bytes),
        _ => {
            let mut h = ContentHasher::new();
            for piece in pieces {
                h.update(piece);
            }
            h.finish()
        }
    }
}

/// Where a started staging writes.
#[derive(Debug)]
enum Mode {
    /// Into `.brief-staging/` of an existing output folder, each file
    /// renamed into place at the end; `true` if this build created the
    /// output folder.
    InPlace(bool),
    /// The output folder did not exist: every file is written at its own
    /// path in a new sibling folder, renamed to the output folder's name
    /// at the end, in one step.
    Fresh(PathBuf),
}

/// A build's files on their way into the output folder.
///
/// Files arrive one at a time while the build renders ([`Staging::emit`]),
/// so the site is never held in memory whole. A file whose bytes the output
/// already has is only noted; any other is written under
/// `.brief-staging/`, inside the output folder and so on the same
/// filesystem. Nothing visible changes until [`Staging::finish`], which runs
/// only when every file of the build exists: it renames the staged files
/// into place and removes what the previous build produced and this one no
/// longer does. Dropped unfinished (the build failed), a staging removes
/// what it wrote and leaves the output as it was.
///
/// When the output folder does not exist yet, the files go straight to
/// their paths in a sibling folder (`.<name>.brief-new`), which becomes the
/// output folder by one rename: a first build renames one folder instead
/// of every file.
pub struct Staging {
    out: PathBuf,
    /// Set up on the first file to write (or at `finish`), so a build that
    /// fails before rendering touches nothing.
    started: OnceLock<Result<Mode, String>>,
    next: AtomicUsize,
    files: Mutex<Vec<Staged>>,
    /// Folders made in a new output folder (relative), so each is made once.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The hash of each file's bytes as the last build wrote it, when the
    /// output folder is as it left it: a file is compared by hash, not
    /// read back.
    known: HashMap<String, u64>,
    /// Files of a first build that a file or folder of the same build
    /// stood in the way of: left for [`super::check_paths`] to name, and
    /// refused at `finish` if it did not.
    clashed: Mutex<Vec<String>>,
    finished: bool,
    /// Set when a failed commit could not put every file back: the
    /// staging folder, holding what it kept, is not removed.
    keep_staging: bool,
}

/// Does this write error mean a file and a folder of the build have the
/// same name (in a new output folder, nothing else is there)?
fn is_clash(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::IsADirectory | ErrorKind::NotADirectory | ErrorKind::AlreadyExists
    )
}

/// The sibling folder a first build writes, renamed to `out` when done.
fn fresh_dir(out: &Path) -> Option<PathBuf> {
    let name = out.file_name()?.to_string_lossy();
    Some(out.with_file_name(format!(".{name}.brief-new")))
}

impl Staging {
    /// A staging for the output folder `out`; nothing is touched yet.
    pub fn new(out: &Path) -> Self {
        Staging {
            out: out.to_path_buf(),
            started: OnceLock::new(),
            next: AtomicUsize::new(0),
            files: Mutex::new(Vec::new()),
            dirs: Mutex::new(HashSet::new()),
            known: Default::default(),
            clashed: Mutex::new(Vec::new()),
            finished: false,
            keep_staging: false,
        }
    }

    /// Compares files with these hashes of the output's files (see
    /// [`Recorded`]) instead of reading them back.
    pub fn with_hashes(mut self, known: HashMap<String, u64>) -> Self {
        self.known = known;
        self
    }

    fn dir(&self) -> PathBuf {
        self.out.join(STAGING)
    }

    /// Creates the output (or new sibling) and staging folders and the
    /// marker, once; an interrupted build's leftovers are swept first.
    fn start(&self) -> Result<&Mode, Diagnostic> {
        let started = self.started.get_or_init(|| {
            interrupt::staging();
            if !self.out.exists() {
                if let Some(fresh) = fresh_dir(&self.out) {
                    if fresh.exists() {
                        // An interrupted first build's folder.
                        let _ = std::fs::remove_dir_all(&fresh);
                    }
                    std::fs::create_dir_all(&fresh).map_err(|e| format!("cannot create: {e}"))?;
                    return Ok(Mode::Fresh(fresh));
                }
            }
            let created = !self.out.exists();
            std::fs::create_dir_all(&self.out).map_err(|e| format!("cannot create: {e}"))?;
            let marker = self.out.join(MARKER);
            if marker.exists() {
                sweep_temporaries(&self.out);
                let _ = std::fs::remove_dir_all(self.dir());
            }
            std::fs::write(&marker, b"")
                .map_err(|e| format!("cannot write the build marker: {e}"))?;
            std::fs::create_dir_all(self.dir())
                .map_err(|e| format!("cannot create {STAGING}: {e}"))?;
            Ok(Mode::InPlace(created))
        });
        match started {
            Ok(mode) => Ok(mode),
            Err(m) => Err(Diagnostic::error(&self.out, Location::default(), m)),
        }
    }

    fn note(&self, staged: Staged) {
        if let Ok(mut files) = self.files.lock() {
            files.push(staged);
        }
    }

    /// Takes one file of the build: notes it if the output already has its
    /// bytes, else writes it to the staging folder.
    pub fn emit(&self, a: &Artifact) -> Result<(), Diagnostic> {
        let read;
        let bytes: &[u8] = match &a.source {
            Source::Bytes(b) => b,
            Source::File(src) if super::is_plain_path(&a.path) => {
                read = std::fs::read(src).map_err(|e| a.unreadable(src, &e))?;
                &read
            }
            Source::File(_) => &[],
        };
        self.emit_pieces(&a.path, &[bytes])
    }

    /// `emit` for a file made of `pieces`, one after another, which is
    /// hashed and written without joining them: a large generated file
    /// (the data export) then needs no one block of memory of its size.
    pub fn emit_pieces(&self, path: &str, pieces: &[&[u8]]) -> Result<(), Diagnostic> {
        if interrupt::requested() {
            return Err(Diagnostic::error(
                self.out.join(path),
                Location::default(),
                "interrupted",
            ));
        }
        if !super::is_plain_path(path) {
            // Refused before anything is renamed (`check_paths`).
            self.note(Staged {
                path: path.to_string(),
                tmp: None,
                bytes: 0,
                hash: None,
                written: None,
            });
            return Ok(());
        }
        let hash = pieces_hash(pieces);
        let len: usize = pieces.iter().map(|p| p.len()).sum();
        let fresh = matches!(self.started.get(), Some(Ok(Mode::Fresh(_))));
        let same = !fresh
            && match self.known.get(path) {
                Some(&known) => known == hash,
                None => same_content(&self.out.join(path), pieces),
            };
        if same {
            self.note(Staged {
                path: path.to_string(),
                tmp: None,
                bytes: 0,
                hash: Some(hash),
                written: None,
            });
            return Ok(());
        }
        let mode = self.start()?;
        let cannot = |e: std::io::Error| {
            Diagnostic::error(
                self.out.join(path),
                Location::default(),
                format!("cannot write: {e}"),
            )
        };
        let (tmp, written) = match mode {
            Mode::Fresh(dir) => {
                let target = dir.join(path);
                let made = match Path::new(path).parent() {
                    Some(parent) => self.make_dir(dir, parent),
                    None => Ok(()),
                };
                match made.and_then(|()| write_stamped(&target, pieces)) {
                    Ok(written) => (None, written),
                    Err(e) if is_clash(&e) => {
                        // Another file of this build has this name as its
                        // folder, or the other way round: told by
                        // `check_paths` with both names.
                        if let Ok(mut clashed) = self.clashed.lock() {
                            clashed.push(path.to_string());
                        }
                        return Ok(());
                    }
                    Err(e) => return Err(cannot(e)),
                }
            }
            Mode::InPlace(_) => {
                let n = self.next.fetch_add(1, Ordering::Relaxed);
                let tmp = self.dir().join(format!(".{n}{TMP_SUFFIX}"));
                let written = write_stamped(&tmp, pieces).map_err(cannot)?;
                (Some(tmp), written)
            }
        };
        self.note(Staged {
            path: path.to_string(),
            tmp,
            bytes: len as u64,
            hash: Some(hash),
            written: Some(written),
        });
        Ok(())
    }

    /// Creates `dir/rel` (and its parents) unless this staging already did.
    fn make_dir(&self, dir: &Path, rel: &Path) -> std::io::Result<()> {
        if rel.as_os_str().is_empty() {
            return Ok(());
        }
        let known = |d: &Path| self.dirs.lock().is_ok_and(|dirs| dirs.contains(d));
        if known(rel) {
            return Ok(());
        }
        std::fs::create_dir_all(dir.join(rel))?;
        if let Ok(mut dirs) = self.dirs.lock() {
            dirs.insert(rel.to_path_buf());
        }
        Ok(())
    }

    /// A first build: the new folder, with its manifest, becomes the
    /// output folder.
    fn finish_fresh(
        &mut self,
        fresh: &Path,
        files: &[Staged],
        header: &[String],
    ) -> Result<CommitStats, Diagnostics> {
        let clashed =
            std::mem::take(&mut *self.clashed.lock().map_err(|_| {
                write_error(&self.out, "the output", &std::io::Error::other("lock"))
            })?);
        if !clashed.is_empty() {
            return Err(clashed
                .iter()
                .map(|p| {
                    Diagnostic::error(
                        self.out.join(p),
                        Location::default(),
                        "cannot write: a file and a folder of this build have this name",
                    )
                })
                .collect());
        }
        // `files` is sorted by path.
        let mut produced: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        produced.dedup();
        write_manifest(fresh, header, &produced)?;
        std::fs::rename(fresh, &self.out)
            .map_err(|e| write_error(&self.out, "the output folder", &e))?;
        self.finished = true;
        let mut stats = CommitStats::default();
        for f in files {
            if f.bytes > 0 || super::is_plain_path(&f.path) {
                stats.written += 1;
                stats.bytes += f.bytes;
            } else {
                stats.unchanged += 1;
            }
        }
        Ok(stats)
    }

    /// Takes one file of the build that the output folder already holds
    /// as this build would make it (its inputs' fingerprint is the one the
    /// last build recorded, and the output is as that build left it).
    pub fn keep(&self, a: &Artifact) {
        self.note(Staged {
            path: a.path.clone(),
            tmp: None,
            bytes: 0,
            hash: self.known.get(&a.path).copied(),
            written: None,
        });
    }

    /// Brings the output folder to exactly the files emitted: staged files
    /// renamed into place, files the previous build produced and this one
    /// does not removed, the manifest rewritten.
    pub fn finish(self) -> Result<CommitStats, Diagnostics> {
        self.finish_recording(|_, _, _| Vec::new())
    }

    /// `finish`, with the lines `record` gives put above the paths in the
    /// manifest, which is written once. `record` is called when every file
    /// is in place, with the folder they are in, their paths (sorted, each
    /// with its stamp if written now) and the hash of every file's bytes
    /// that is known (by path, sorted).
    pub fn finish_recording(
        mut self,
        record: impl FnOnce(&Path, &[Recording], &[(&str, u64)]) -> Vec<String>,
    ) -> Result<CommitStats, Diagnostics> {
        let fresh = match self.start().map_err(|d| Diagnostics::from_iter([d]))? {
            Mode::Fresh(dir) => Some(dir.clone()),
            Mode::InPlace(_) => None,
        };
        let out = self.out.clone();
        let mut files = std::mem::take(
            &mut *self
                .files
                .lock()
                .map_err(|_| write_error(&out, "the output", &std::io::Error::other("lock")))?,
        );
        // Sorted by path once: the hashes, the recorded paths and the
        // manifest all list them in that order.
        files.par_sort_by(|a, b| a.path.cmp(&b.path));
        let hashes: Vec<(&str, u64)> = files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.hash?)))
            .collect();
        let paths: Vec<Recording> = files.iter().map(|f| (f.path.as_str(), f.written)).collect();
        if let Some(fresh) = fresh {
            let header = record(&fresh, &paths, &hashes);
            return self.finish_fresh(&fresh, &files, &header);
        }
        refuse_symlinked_dirs(&out, files.iter().map(|f| f.path.as_str()))?;
        let previous = read_manifest(&out);
        blocked_by_folders(&out, &files, &previous)?;
        let produced: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        // The manifest as it is, put back if the commit fails.
        let manifest = std::fs::read(out.join(MANIFEST)).ok();
        if let Some(all) = widened(&out, &previous, &files) {
            write_manifest(&out, &[], &all)?;
        }
        let parents: BTreeSet<&Path> = files
            .iter()
            .filter(|f| f.tmp.is_some())
            .filter_map(|f| Path::new(&f.path).parent())
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let new_dirs = missing_dirs(&out, &parents);
        let made: Vec<Result<(), Diagnostic>> = parents
            .par_iter()
            .map(|p| {
                std::fs::create_dir_all(out.join(p)).map_err(|e| {
                    let d = Diagnostic::error(
                        out.join(p),
                        Location::default(),
                        format!("cannot create: {e}"),
                    );
                    if out.join(p).is_file() {
                        // Not one of brief's: it is never removed.
                        d.with_hint(
                            "a file stands where the site needs a folder: move it away \
                             (brief removes only files it wrote)",
                        )
                    } else {
                        d
                    }
                })
            })
            .collect();
        let failed: Vec<Diagnostic> = made.into_iter().filter_map(Result::err).collect();
        // A folder under one that could not be made fails too: told once,
        // at the top.
        let mut diags: Diagnostics = failed
            .iter()
            .filter(|d| {
                !failed
                    .iter()
                    .any(|up| up.path != d.path && d.path.starts_with(&up.path))
            })
            .cloned()
            .collect();
        if diags.has_errors() {
            undo_setup(&out, &new_dirs, manifest.as_deref());
            return Err(diags);
        }
        let staged: Vec<(&Staged, &PathBuf)> = files
            .iter()
            .filter_map(|f| f.tmp.as_ref().map(|tmp| (f, tmp)))
            .collect();
        let backups = match self.back_up(&staged) {
            Ok(b) => b,
            Err(d) => {
                undo_setup(&out, &new_dirs, manifest.as_deref());
                return Err(d);
            }
        };
        let renamed: Vec<Result<(), Diagnostic>> = staged
            .par_iter()
            .map(|(f, tmp)| {
                let target = out.join(&f.path);
                std::fs::rename(tmp, &target).map_err(|e| {
                    Diagnostic::error(&target, Location::default(), format!("cannot write: {e}"))
                })
            })
            .collect();
        if renamed.iter().any(Result::is_err) {
            // All or nothing: the files already renamed go back to what
            // they were.
            let unrestored = restore(&out, &staged, &backups, &renamed);
            if unrestored.is_empty() {
                undo_setup(&out, &new_dirs, manifest.as_deref());
            } else {
                // The manifest stays widened (it names this build's files
                // still in place) and the staging folder stays, with any
                // copy that could not be put back.
                self.keep_staging = true;
            }
            diags.extend(unrestored);
            diags.extend(renamed.into_iter().filter_map(Result::err));
            return Err(diags);
        }
        backups.par_iter().for_each(|backup| {
            if let Backup::Kept(b) = backup {
                let _ = std::fs::remove_file(b);
            }
        });
        let mut stats = CommitStats::default();
        for f in &files {
            if f.tmp.is_some() {
                stats.written += 1;
                stats.bytes += f.bytes;
            } else {
                stats.unchanged += 1;
            }
        }
        let (removed, kept) = remove_stale(&out, &previous, &produced);
        stats.removed = removed;
        let header = record(&out, &paths, &hashes);
        let mut listed: Vec<&str> = produced.iter().map(String::as_str).collect();
        if !kept.is_empty() {
            listed.extend(kept.iter().map(String::as_str));
            listed.sort_unstable();
        }
        // The site is in place now. Without room for the record, the list
        // of files alone (a third of it) is kept: the next build then
        // compares every file, and this one has not failed.
        if write_manifest(&out, &header, &listed).is_err() {
            write_manifest(&out, &[], &listed)?;
        }
        let _ = std::fs::remove_dir(self.dir());
        std::fs::remove_file(out.join(MARKER))
            .map_err(|e| write_error(&out, "the build marker", &e))?;
        self.finished = true;
        Ok(stats)
    }
}

/// The paths the manifest lists while files are renamed into place, if
/// this build writes any path the last one did not: the last build's
/// paths and this build's new files, so that whatever an interrupted
/// commit put in place is still brief's to remove. A file already in the
/// output that the last build did not write is someone else's: it is
/// replaced all the same, but listed only once the commit has finished,
/// so that a commit killed before replacing it never hands it to a later
/// build to remove.
fn widened<'a>(
    out: &Path,
    previous: &'a BTreeSet<String>,
    files: &'a [Staged],
) -> Option<Vec<&'a str>> {
    let new: BTreeSet<&str> = files
        .par_iter()
        .filter(|f| f.tmp.is_some() && !previous.contains(&f.path))
        .filter(|f| std::fs::symlink_metadata(out.join(&f.path)).is_err())
        .map(|f| f.path.as_str())
        .collect();
    if new.is_empty() {
        return None;
    }
    let mut all: Vec<&str> = previous.iter().map(String::as_str).collect();
    all.extend(new);
    all.sort_unstable();
    Some(all)
}

/// Refuses, before anything is put in place, a build that would write a
/// file where the output folder has a folder: renaming onto it would fail
/// half-way through. Only paths the last build did not write are looked
/// at (those it wrote are its files).
fn blocked_by_folders(
    out: &Path,
    files: &[Staged],
    previous: &BTreeSet<String>,
) -> Result<(), Diagnostics> {
    let diags: Diagnostics = files
        .iter()
        .filter(|f| f.tmp.is_some() && !previous.contains(&f.path))
        .filter(|f| {
            std::fs::symlink_metadata(out.join(&f.path)).is_ok_and(|m| m.file_type().is_dir())
        })
        .map(|f| {
            Diagnostic::error(
                out.join(&f.path),
                Location::default(),
                "cannot write: a folder stands where the site writes this file",
            )
            .with_hint(
                "move the folder away (brief removes a folder's files only after a build \
                 that no longer writes them has succeeded)",
            )
        })
        .collect();
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// What a commit kept of a file it is about to replace.
#[derive(Debug)]
enum Backup {
    /// The file is new to the output: undone, it is removed.
    New,
    /// A hard link to (or a copy of) the file, in the staging folder.
    Kept(PathBuf),
    /// Neither a link nor a copy could be made (a file of another user
    /// that cannot be read): replaced all the same, as it always was, and
    /// told if the commit has to be undone.
    Unkept(std::io::Error),
}

impl Staging {
    /// Keeps each file about to be replaced, as a hard link in the staging
    /// folder (a copy where the filesystem has no hard links), so that
    /// renames that fail part-way can be undone. Fails, before anything is
    /// replaced, where a folder stands in place of a file the last build
    /// wrote.
    fn back_up(&self, staged: &[(&Staged, &PathBuf)]) -> Result<Vec<Backup>, Diagnostics> {
        let dir = self.dir();
        let made: Vec<Result<Backup, Diagnostic>> = staged
            .par_iter()
            .enumerate()
            .map(|(i, (f, _))| {
                let target = self.out.join(&f.path);
                let backup = dir.join(format!(".{i}.old{TMP_SUFFIX}"));
                let e = match std::fs::hard_link(&target, &backup) {
                    Ok(()) => return Ok(Backup::Kept(backup)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Backup::New),
                    Err(e) => e,
                };
                if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                    return Err(Diagnostic::error(
                        &target,
                        Location::default(),
                        "cannot write: a folder stands where the site writes this file",
                    )
                    .with_hint("move the folder away: the last build wrote a file there"));
                }
                Ok(match std::fs::copy(&target, &backup) {
                    Ok(_) => Backup::Kept(backup),
                    Err(_) => Backup::Unkept(e),
                })
            })
            .collect();
        super::collect_results(made)
    }
}

/// Undoes the renames that succeeded: each replaced file gets its kept
/// bytes back, each new file is removed. What cannot be undone is told
/// (a kept copy that could not be put back stays in the staging folder,
/// which is then left in place, and the message names it).
fn restore(
    out: &Path,
    staged: &[(&Staged, &PathBuf)],
    backups: &[Backup],
    renamed: &[Result<(), Diagnostic>],
) -> Vec<Diagnostic> {
    staged
        .par_iter()
        .zip(backups)
        .zip(renamed)
        .filter(|(_, r)| r.is_ok())
        .filter_map(|(((f, _), backup), _)| {
            let target = out.join(&f.path);
            let undone = match backup {
                Backup::Kept(b) => std::fs::rename(b, &target).map_err(|e| {
                    format!(
                        "cannot put back the previous build's file: {e} (its bytes are in {})",
                        b.display()
                    )
                }),
                Backup::New => std::fs::remove_file(&target)
                    .map_err(|e| format!("cannot remove this build's new file: {e}")),
                Backup::Unkept(e) => Err(format!(
                    "replaced by this build's file: the previous one could not be kept ({e})"
                )),
            };
            undone
                .err()
                .map(|m| Diagnostic::error(&target, Location::default(), m))
        })
        .collect()
}

/// The folders among `parents` (and above them, inside `out`) that do not
/// exist yet: those a commit makes, and removes again if it fails.
fn missing_dirs(out: &Path, parents: &BTreeSet<&Path>) -> Vec<PathBuf> {
    let mut missing: BTreeSet<PathBuf> = BTreeSet::new();
    for p in parents {
        if out.join(p).is_dir() {
            continue;
        }
        for up in p.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            if missing.contains(up) || out.join(up).is_dir() {
                break;
            }
            missing.insert(up.to_path_buf());
        }
    }
    missing.into_iter().collect()
}

/// Puts the output folder back as a failed commit found it: the folders it
/// made removed (deepest first, each only if empty) and the manifest as
/// it was.
fn undo_setup(out: &Path, made: &[PathBuf], manifest: Option<&[u8]>) {
    for dir in made.iter().rev() {
        let _ = std::fs::remove_dir(out.join(dir));
    }
    let path = out.join(MANIFEST);
    let _ = match manifest {
        Some(bytes) => std::fs::write(path, bytes),
        None => std::fs::remove_file(path),
    };
}

impl Drop for Staging {
    /// An unfinished staging (the build failed) takes back what it wrote.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let created = match self.started.get() {
            Some(Ok(Mode::InPlace(created))) => *created,
            Some(Ok(Mode::Fresh(dir))) => {
                let _ = std::fs::remove_dir_all(dir);
                return;
            }
            _ => return,
        };
        if self.keep_staging {
            return;
        }
        let _ = std::fs::remove_dir_all(self.dir());
        let _ = std::fs::remove_file(self.out.join(MARKER));
        if created {
            // Empty, so nothing of anyone's is lost.
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

/// Is a folder on the way from `out` to `rel` (not `rel` itself) a
/// symbolic link? Removing through one would reach outside the output
/// folder.
fn through_a_link(out: &Path, rel: &str) -> bool {
    let mut dir = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    parts[..parts.len().saturating_sub(1)].iter().any(|part| {
        dir.push(part);
        std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// Removes the files of `previous` that are not `produced` any more, and
/// the folders that leaves empty; returns how many files went, and those
/// still there that could not go (kept in the manifest, so that a later
/// build tries again): a file behind a symbolic link to a folder, which
/// is never followed, or one the system would not remove.
fn remove_stale(
    out: &Path,
    previous: &BTreeSet<String>,
    produced: &BTreeSet<String>,
) -> (usize, Vec<String>) {
    let mut removed = 0;
    let mut kept = Vec::new();
    let mut emptied = BTreeSet::new();
    for stale in previous.difference(produced) {
        if stale.split('/').any(|p| p == ".." || p.is_empty()) {
            continue;
        }
        if through_a_link(out, stale) {
            kept.push(stale.clone());
            continue;
        }
        let path = out.join(stale);
        // The file itself, or a link put in its place (the link goes, not
        // what it points to); not a folder. One already gone (a build
        // killed part-way through removing) may have left its folder.
        let gone = match std::fs::symlink_metadata(&path) {
            Err(_) => true,
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => match std::fs::remove_file(&path) {
                Ok(()) => {
                    removed += 1;
                    true
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(_) => {
                    kept.push(stale.clone());
                    false
                }
            },
        };
        if let Some(parent) = path.parent().filter(|_| gone) {
            emptied.insert(parent.to_path_buf());
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
    (removed, kept)
}

/// Brings `out` to exactly `artifacts`, touching only what changed: the
/// whole of a [`Staging`] in one call.
pub fn commit(out: &Path, artifacts: &[Artifact]) -> Result<CommitStats, Diagnostics> {
    let staging = Staging::new(out);
    let failed: Vec<Diagnostic> = artifacts
        .par_iter()
        .filter_map(|a| staging.emit(a).err())
        .collect();
    let diags: Diagnostics = failed.into_iter().collect();
    if diags.has_errors() {
        return Err(diags);
    }
    staging.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_are_those_format_writes() {
        for v in [
            0,
            1,
            0xf,
            0x10,
            0xdead_beef,
            u64::MAX,
            1 << 63,
            0x0123_4567_89ab_cdef,
        ] {
            let mut s = String::new();
            push_hex16(&mut s, v);
            assert_eq!(s, format!("{v:016x}"));
        }
    }

    #[test]
    fn record_lines_in_pieces_are_the_lines_one_after_another() {
        // More lines than a piece holds, so that pieces meet.
        let pages: Vec<(String, u64)> = (0..LINES_PER_PIECE as u64 * 2 + 7)
            .map(|i| (format!("stories/s{i}/"), i * 0x9e37_79b9))
            .collect();
        let docs = vec![("3".to_string(), u64::MAX)];
        let hashes = [("index.html", 1), ("feed.xml", 0)];
        let mut expected = "/state {\"a\":1}\n".to_string();
        for (name, v) in &pages {
            expected.push_str(&format!("/page {v:016x} {name}\n"));
        }
        expected.push_str(&format!("/doc {:016x} 3\n", u64::MAX));
        expected.push_str(&format!("/hash {:016x} index.html\n", 1));
        expected.push_str(&format!("/hash {:016x} feed.xml\n", 0));
        let pieces = record_lines("{\"a\":1}", &pages, &docs, &hashes);
        assert!(pieces.len() > 3, "{} pieces", pieces.len());
        assert_eq!(pieces.concat(), expected);
    }

    #[test]
    fn a_file_in_pieces_hashes_as_its_bytes_whole() {
        // Lengths around the hash's block, split at every kind of place.
        let lengths = [
            0,
            1,
            1000,
            HASH_BLOCK - 1,
            HASH_BLOCK,
            HASH_BLOCK + 1,
            3 * HASH_BLOCK,
            200_003,
        ];
        for len in lengths {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
            let whole = content_hash(&bytes);
            for cuts in [
                vec![],
                vec![0],
                vec![len / 2],
                vec![1, len / 3, len / 3, len.saturating_sub(1)],
                (0..len).step_by(4099).collect(),
                (0..len).step_by(HASH_BLOCK).collect(),
            ] {
                let mut pieces: Vec<&[u8]> = Vec::new();
                let mut at = 0;
                for cut in cuts.into_iter().filter(|&c| c <= len) {
                    let cut = cut.max(at);
                    pieces.push(&bytes[at..cut]);
                    at = cut;
                }
                pieces.push(&bytes[at..]);
                let mut h = ContentHasher::new();
                for piece in &pieces {
                    h.update(piece);
                }
                assert_eq!(h.finish(), whole, "{len} bytes in {} pieces", pieces.len());
                assert_eq!(pieces_hash(&pieces), whole);
            }
        }
        // Files up to a block hash as they always did, so a manifest
        // written before keeps telling them unchanged.
        let small = b"<p>unchanged</p>";
        let mut h = content_hasher();
        std::hash::Hasher::write(&mut h, small);
        std::hash::Hasher::write_usize(&mut h, small.len());
        assert_eq!(content_hash(small), std::hash::Hasher::finish(&h));
    }

    #[test]
    fn a_file_in_pieces_is_written_and_compared_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("graph.json");
        let pieces: [&[u8]; 4] = [b"{\"a\":[", b"1", b"", b",2]}"];
        let (len, _) = write_stamped(&target, &pieces).unwrap();
        assert_eq!(len, 11);
        assert_eq!(std::fs::read(&target).unwrap(), b"{\"a\":[1,2]}");
        assert!(same_content(&target, &pieces));
        assert!(same_content(&target, &[b"{\"a\":[1,2]}"]));
        assert!(!same_content(&target, &[b"{\"a\":[1,", b"3]}"]));
        assert!(!same_content(&target, &[b"{\"a\":[1,2]}", b" "]));
    }

    fn staged(path: &str, tmp: &Path) -> Staged {
        Staged {
            path: path.to_string(),
            tmp: Some(tmp.to_path_buf()),
            bytes: 0,
            hash: None,
            written: None,
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn renames_that_fail_part_way_are_undone_from_the_backups() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("kept")).unwrap();
        std::fs::write(out.join("a.html"), "old a").unwrap();
        std::fs::write(out.join("kept/b.html"), "old b").unwrap();
        let staging = Staging::new(&out);
        std::fs::create_dir_all(staging.dir()).unwrap();
        let tmps: Vec<PathBuf> = ["new a", "new b", "new c"]
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let tmp = staging.dir().join(format!(".{i}{TMP_SUFFIX}"));
                std::fs::write(&tmp, text).unwrap();
                tmp
            })
            .collect();
        let files = [
            staged("a.html", &tmps[0]),
            staged("kept/b.html", &tmps[1]),
            staged("c.html", &tmps[2]),
        ];
        let list: Vec<(&Staged, &PathBuf)> = files.iter().zip(&tmps).collect();
        let backups = staging.back_up(&list).unwrap();
        assert!(matches!(
            backups[..],
            [Backup::Kept(_), Backup::Kept(_), Backup::New]
        ));
        // a.html and c.html were put in place; b.html's rename failed.
        std::fs::rename(&tmps[0], out.join("a.html")).unwrap();
        std::fs::rename(&tmps[2], out.join("c.html")).unwrap();
        assert_eq!(read(&out.join("a.html")), "new a");
        let failed = Diagnostic::error("kept/b.html", Location::default(), "cannot write");
        let renamed = [Ok(()), Err(failed), Ok(())];
        let problems = restore(&out, &list, &backups, &renamed);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read(&out.join("a.html")), "old a");
        assert_eq!(read(&out.join("kept/b.html")), "old b");
        assert!(!out.join("c.html").exists(), "a new file is taken back");
    }

    #[test]
    fn stale_files_go_with_emptied_folders_and_none_behind_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let (out, elsewhere) = (dir.path().join("public"), dir.path().join("mine"));
        std::fs::create_dir_all(out.join("stories/gone")).unwrap();
        std::fs::write(out.join("stories/gone/index.html"), "old page").unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "irreplaceable").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("stories/old")).unwrap();
        // A file a killed build removed, whose folder it left.
        std::fs::create_dir_all(out.join("stories/half")).unwrap();
        let previous: BTreeSet<String> = [
            "stories/gone/index.html",
            "stories/old/index.html",
            "stories/half/index.html",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let (removed, kept) = remove_stale(&out, &previous, &BTreeSet::new());
        assert_eq!(removed, 1);
        assert!(
            !out.join("stories/half").exists(),
            "the empty folder left goes"
        );
        assert!(
            !out.join("stories/gone").exists(),
            "the emptied folder goes"
        );
        assert_eq!(kept, ["stories/old/index.html"]);
        assert_eq!(read(&elsewhere.join("index.html")), "irreplaceable");
    }

    #[test]
    fn a_second_build_into_the_same_folder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let held = lock_output(&out).expect("a lock");
        let other = std::fs::File::open(dir.path()).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(held);
        assert!(other.try_lock().is_ok());
    }

    #[test]
    fn a_folder_where_the_last_build_wrote_a_file_stops_the_commit_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("a.html")).unwrap();
        let staging = Staging::new(&out);
        std::fs::create_dir_all(staging.dir()).unwrap();
        let tmp = staging.dir().join(format!(".0{TMP_SUFFIX}"));
        std::fs::write(&tmp, "new a").unwrap();
        let files = [staged("a.html", &tmp)];
        let list: Vec<(&Staged, &PathBuf)> = files.iter().map(|f| (f, &tmp)).collect();
        let refused: Vec<String> = staging
            .back_up(&list)
            .unwrap_err()
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(
            refused[0].contains("a folder stands where the site writes this file"),
            "{refused:?}"
        );
    }

    #[test]
    fn the_widened_manifest_names_new_files_but_never_a_file_someone_else_put_there() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("about")).unwrap();
        std::fs::write(out.join("about/index.html"), "the user's page").unwrap();
        std::fs::write(out.join("old.html"), "the last build's page").unwrap();
        let previous: BTreeSet<String> = ["old.html".to_string()].into();
        let tmp = dir.path().join("tmp");
        let mut unchanged = staged("same.html", &tmp);
        unchanged.tmp = None;
        let files = [
            staged("about/index.html", &tmp),
            staged("new.html", &tmp),
            staged("old.html", &tmp),
            unchanged,
        ];
        assert_eq!(
            widened(&out, &previous, &files),
            Some(vec!["new.html", "old.html"]),
            "the user's about/index.html is listed only once it is replaced"
        );
        assert_eq!(widened(&out, &previous, &files[..1]), None);
        assert_eq!(widened(&out, &previous, &files[2..]), None);
    }

    #[test]
    fn a_damaged_line_of_the_manifest_leaves_the_others_readable() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = b"/state {}\na.html\nb/\xff\xfe.html\n".to_vec();
        text.extend(b"c/index.html\r\n\nd.css");
        std::fs::write(dir.path().join(MANIFEST), text).unwrap();
        let paths: Vec<String> = read_manifest(dir.path()).into_iter().collect();
        assert_eq!(paths, ["a.html", "c/index.html", "d.css"]);
    }

    #[test]
    fn the_folders_a_failed_commit_made_are_removed_and_the_manifest_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stories")).unwrap();
        std::fs::write(out.join(MANIFEST), "old manifest\n").unwrap();
        let parents: BTreeSet<&Path> = [
            Path::new("stories/new/deep"),
            Path::new("stories/new"),
            Path::new("stories"),
            Path::new("people/x"),
        ]
        .into();
        let made = missing_dirs(&out, &parents);
        assert_eq!(
            made,
            ["people", "people/x", "stories/new", "stories/new/deep"].map(PathBuf::from)
        );
        for d in &made {
            std::fs::create_dir_all(out.join(d)).unwrap();
        }
        std::fs::write(out.join(MANIFEST), "widened\n").unwrap();
        undo_setup(&out, &made, Some(b"old manifest\n"));
        assert!(!out.join("people").exists() && !out.join("stories/new").exists());
        assert!(
            out.join("stories").is_dir(),
            "a folder that was there stays"
        );
        assert_eq!(read(&out.join(MANIFEST)), "old manifest\n");
    }
}
