//! Up-to-date builds: when no input of the site has changed since the last
//! successful build into the same output folder, and no file of that output
//! was touched since, `brief build` has nothing to do and says so.
//!
//! The inputs are every file under `site.yaml`, `content/`, `templates/`,
//! `themes/` and `static/` (path, size, modification time and, on Unix,
//! change time and permissions), the build's
//! options and the `brief` executable itself; the outputs are the files the
//! manifest lists (size and modification time). Both fingerprints, the
//! build's counts and its warnings are kept on the first line of the
//! manifest, so an up-to-date build prints what the full one printed.
//!
//! The manifest also keeps each page's fingerprint (of the binary, the
//! templates and the page's context): when the output folder is as the
//! last build left it, a page whose fingerprint is unchanged is neither
//! rendered nor compared again.
//!
//! When in doubt it builds: a site with a symbolic link to a folder, an
//! input modified in the last two seconds (a save could fall in the same
//! clock tick as the build's reading of it), an interrupted commit, or any
//! unreadable file means no fingerprint and a full build.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::pipeline::{BuildOptions, BuildStats};

/// Inputs modified more recently than this before the build are not
/// trusted to have been read in the state their stamp shows.
const SETTLE: Duration = Duration::from_secs(2);

/// What the manifest keeps of the last successful build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    /// Fingerprint of the inputs and options (`None`: they could not be
    /// trusted, so the next build is never up to date).
    pub inputs: Option<u64>,
    /// Fingerprint of the output files as written.
    pub outputs: u64,
    /// The build's counts.
    pub stats: BuildStats,
    /// The build's warnings, shown again by an up-to-date build.
    pub warnings: Vec<Diagnostic>,
}

/// One step of the walk over the inputs, hashed in order once every file
/// has been looked at.
enum Step {
    /// A part of the site that is not there: that too is part of the
    /// fingerprint.
    Absent(String),
    /// A folder, with how many entries it has (its entries follow).
    Dir(String, usize),
    /// A file (or a link to one), looked at later with the others.
    File(String, std::path::PathBuf),
}

/// Lists `dir` (a part of the site, or a folder in one) into `steps`,
/// depth first in name order, each folder before what it holds, as
/// [`inputs`] hashes them;
/// `None` if something cannot be trusted (a link to a folder, an
/// unreadable folder). Files are only named here: looking at each one
/// is left to [`file_stamp`], on many threads.
fn list(dir: &Path, rel: String, steps: &mut Vec<Step>) -> Option<()> {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        steps.push(Step::Absent(rel));
        return Some(());
    };
    if !meta.is_dir() {
        steps.push(Step::File(rel, dir.to_path_buf()));
        return Some(());
    }
    let mut entries: Vec<(std::ffi::OsString, bool)> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| {
            // The entry's type comes with the folder's listing on most
            // file systems: no look at each file here.
            e.and_then(|e| Ok((e.file_name(), e.file_type()?.is_dir())))
        })
        .collect::<Result<_, _>>()
        .ok()?;
    entries.sort();
    steps.push(Step::Dir(rel.clone(), entries.len()));
    for (name, is_dir) in entries {
        let child = format!("{rel}/{}", name.to_string_lossy());
        let path = dir.join(&name);
        if is_dir {
            list(&path, child, steps)?;
        } else {
            steps.push(Step::File(child, path));
        }
    }
    Some(())
}

/// What a file's fingerprint holds: size, modification time and, on Unix,
/// change time and permissions; `None` if it cannot be trusted (a link to
/// a folder, an unreadable entry, a recent change).
fn file_stamp(path: &Path, settled: SystemTime) -> Option<(u64, SystemTime, [i64; 3])> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let meta = if meta.file_type().is_symlink() {
        let target = std::fs::metadata(path).ok()?;
        if target.is_dir() {
            return None;
        }
        target
    } else {
        meta
    };
    let modified = meta.modified().ok()?;
    if modified > settled {
        return None;
    }
    // The inode's change time moves with any write and with a change of
    // permissions, even when the modification time is set back (`cp -p`,
    // `rsync -t`, `touch -r`) or left alone (`chmod`): a file replaced by
    // one of the same size and time, or made unreadable, is rebuilt
    // (and then read, or reported), not taken as up to date.
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        [meta.ctime(), meta.ctime_nsec(), i64::from(meta.mode())]
    };
    #[cfg(not(unix))]
    let changed = [0; 3];
    Some((meta.len(), modified, changed))
}

/// The hasher of fingerprints kept from one build to the next: foldhash
/// with a fixed seed gives the same value in every run of one binary
/// (which every fingerprint is salted with), several times faster than
/// the standard library's SipHash over note bodies.
pub fn fingerprinter() -> impl Hasher {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6272_6965_6673).build_hasher()
}

/// The fingerprint of everything a build of `opts` reads, or `None` when
/// it cannot be trusted.
pub fn inputs(opts: &BuildOptions) -> Option<u64> {
    let settled = SystemTime::now().checked_sub(SETTLE)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let exe = std::env::current_exe().ok()?;
    let exe = std::fs::metadata(exe).ok()?;
    (
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        exe.modified().ok()?,
        &opts.base_url,
        format!("{:?} {:?}", opts.drafts, opts.strictness),
    )
        .hash(&mut h);
    let mut steps = Vec::new();
    for part in [
        crate::config::CONFIG_FILE,
        "content",
        "templates",
        "themes",
        "static",
    ] {
        list(&opts.root.join(part), part.to_string(), &mut steps)?;
    }
    // A look at each file, on the reading threads: on a large site, or
    // one the system has not cached, most of the time is waiting.
    let stamps: Option<Vec<_>> = crate::reading(|| {
        steps
            .par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .filter_map(|step| match step {
                Step::File(_, path) => Some(file_stamp(path, settled)),
                _ => None,
            })
            .collect()
    });
    let mut stamps = stamps?.into_iter();
    for step in &steps {
        match step {
            Step::Absent(rel) => (rel, "absent").hash(&mut h),
            Step::Dir(rel, n) => (rel, "dir", n).hash(&mut h),
            Step::File(rel, _) => (rel, stamps.next()?).hash(&mut h),
        }
    }
    Some(h.finish())
}

/// A file's length and modification time.
pub type FileStamp = (u64, SystemTime);

/// The fingerprint of the output files `paths` under `out` as they are
/// now, or `None` if one is missing. `of` gives each file's path and, for
/// a file this build has just written, its stamp, which is not looked up
/// again.
pub fn outputs<T: Sync>(
    out: &Path,
    files: &[T],
    of: impl Fn(&T) -> (&str, Option<FileStamp>) + Sync,
) -> Option<u64> {
    let look = || -> Vec<Option<FileStamp>> {
        files
            .par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .map(|f| {
                let (p, known) = of(f);
                if let Some(known) = known {
                    return Some(known);
                }
                let meta = std::fs::symlink_metadata(out.join(p)).ok()?;
                if !meta.is_file() {
                    return None;
                }
                Some((meta.len(), meta.modified().ok()?))
            })
            .collect()
    };
    // Files to look at go to the reading threads; a commit that wrote
    // them all knows every stamp already.
    let stamps = if files.iter().any(|f| of(f).1.is_none()) {
        crate::reading(look)
    } else {
        look()
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (f, stamp) in files.iter().zip(stamps) {
        (of(f).0, stamp?).hash(&mut h);
    }
    Some(h.finish())
}

/// The last build's state, if the output folder still holds exactly what
/// it wrote; with the rest of what the manifest recorded.
pub fn last_intact(out: &Path) -> Option<(State, crate::output::Recorded)> {
    let recorded = crate::output::read_recorded(out)?;
    let state: State = serde_json::from_str(&recorded.state).ok()?;
    if outputs(out, &recorded.paths, |p| (p.as_str(), None))? != state.outputs {
        return None;
    }
    Some((state, recorded))
}

/// What every page fingerprint of a build starts from: the `brief`
/// binary and the templates, whose change may change any page. `None`
/// when the binary cannot be looked at.
pub fn page_salt(templates: u64) -> Option<u64> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        env!("CARGO_PKG_VERSION"),
        exe.len(),
        exe.modified().ok()?,
        templates,
    )
        .hash(&mut h);
    Some(h.finish())
}
