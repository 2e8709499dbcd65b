//! Loading `content/`: every note parsed into a `Corpus`.
//!
//! Owns reading note files, splitting front matter, validating the keys a
//! note must have, and choosing slugs. It reports every problem of every file
//! before failing. It must not resolve references (that is `graph`) nor
//! render Markdown (that is `markdown`).

pub mod date;
pub mod frontmatter;
pub mod simple_yaml;
pub mod walk;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use date::Date;
pub use frontmatter::{Redirect, RefList, Reference};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Location};
use walk::{Entry, NoteFile};

/// Whether draft notes are part of the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Drafts {
    /// Drafts are left out (the default).
    #[default]
    Exclude,
    /// Drafts are built (`--drafts`).
    Include,
}

/// One note (or standalone page), front matter parsed, body kept as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The collection, or `None` for a standalone page.
    pub collection: Option<String>,
    /// Slugified folders between the collection and the note.
    pub dirs: Vec<String>,
    /// The note's slug.
    pub slug: String,
    /// Where `slug:` is written, if the note sets its own.
    pub slug_at: Option<Location>,
    /// `title`.
    pub title: String,
    /// `aliases`.
    pub aliases: Vec<String>,
    /// Old addresses (`redirect_from`), each served by a page that sends
    /// readers on to this note.
    pub redirects: Vec<Redirect>,
    /// `template`: the template for this note's page instead of its
    /// collection's, and where it is named.
    pub template: Option<(String, Location)>,
    /// `weight`, and where it is written.
    pub weight: Option<(i64, Location)>,
    /// `date`.
    pub date: Option<Date>,
    /// `updated`.
    pub updated: Option<Date>,
    /// `draft`.
    pub draft: bool,
    /// `summary` as written, if any.
    pub summary: Option<String>,
    /// `autolink` as written, if any.
    pub autolink: Option<bool>,
    /// Reference lists, keyed by collection.
    pub refs: Vec<RefList>,
    /// Free keys in written order.
    pub extra: std::sync::Arc<[(String, serde_json::Value)]>,
    /// The Markdown body.
    pub body: String,
    /// The one-based line of the body's first line in the file.
    pub body_line: usize,
    /// A bundle's files, relative to its folder.
    pub assets: Vec<PathBuf>,
}

impl Note {
    /// `collection/dirs/slug`, the note's unique key.
    pub fn key(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(c) = &self.collection {
            parts.push(c);
        }
        parts.extend(self.dirs.iter().map(String::as_str));
        parts.push(&self.slug);
        parts.join("/")
    }

    /// The folder of a bundle note (`content/x/slug/`), if it is one.
    pub fn bundle_dir(&self) -> Option<&Path> {
        if self.path.file_name().is_some_and(|n| n == "index.md") {
            self.path.parent()
        } else {
            None
        }
    }
}

/// The intro of the home page or of a collection (`_index.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Intro {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// `title`, if given.
    pub title: Option<String>,
    /// `summary` or description, if given.
    pub summary: Option<String>,
    /// Free keys.
    pub extra: Vec<(String, serde_json::Value)>,
    /// The Markdown body.
    pub body: String,
    /// One-based line of the body's start.
    pub body_line: usize,
}

/// Every note of the site, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Collection names: folders under `content/` and those in `site.yaml`, sorted.
    pub collections: Vec<String>,
    /// Notes and standalone pages, sorted by path.
    pub notes: Vec<Note>,
    /// `content/_index.md`.
    pub home: Option<Intro>,
    /// Each collection's `_index.md`.
    pub intros: Vec<(String, Intro)>,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
    /// Keys (`collection/slug`) of notes whose files could not be parsed;
    /// references to them are not reported again.
    pub broken: Vec<String>,
    /// Paths (lowercase, `/`-separated) of those notes' files.
    pub broken_paths: Vec<String>,
    /// Of those notes whose front matter is not valid YAML, (collection,
    /// name) for each `title`, `aliases` or `slug` that could not be read,
    /// as [`frontmatter::salvage_names`] guesses it: links by those names
    /// are not reported either (see [`is_broken_guess`]).
    pub broken_guesses: Vec<(String, String)>,
    /// Of those notes, what can still be checked, by path.
    pub unbuilt: Vec<Unbuilt>,
    /// The collections (`""`: all of `content/`) with a folder, or a
    /// note's file, that could not be read: an error already, so
    /// references that find nothing there (they may name what could not be
    /// read) are not reported as unknown as well.
    pub unread: Vec<String>,
    /// A standalone page's file (`content/about.md`) could not be read:
    /// any link by a bare name (`[[About us]]`) may name it.
    pub unread_pages: bool,
    /// Files under `content/` that are neither notes nor in a bundle (see
    /// [`walk::Found::unpublished`]).
    pub unpublished: Vec<PathBuf>,
    /// Drafts left out of this build (no `--drafts`): their collection,
    /// names (slug, title, aliases) and file, so that a link to one is told
    /// why it finds nothing.
    pub drafts_left_out: Vec<(Option<String>, Vec<String>, PathBuf)>,
    /// `drafts_left_out` by each name, lowercased: made at the first look-up.
    pub drafts_by_name: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
}

impl Corpus {
    /// The file of a draft left out of the build that `text` names (in
    /// `collection`, if given; a `collection/` prefix on `text` says it too),
    /// matched as links match names: by slug, or by title or alias in any
    /// letter case.
    pub fn draft_named(&self, collection: Option<&str>, text: &str) -> Option<&Path> {
        if self.drafts_left_out.is_empty() {
            return None;
        }
        let (prefix, name) = split_name(text);
        let collection = collection.or(prefix);
        let by_name = self.drafts_by_name.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, (_, names, _)) in self.drafts_left_out.iter().enumerate() {
                for name in names {
                    map.entry(name.to_lowercase()).or_default().push(i);
                }
            }
            map
        });
        [name.to_lowercase(), slugify(name)]
            .iter()
            .filter_map(|n| by_name.get(n))
            .flatten()
            .map(|&i| &self.drafts_left_out[i])
            .find(|(c, _, _)| collection.is_none_or(|want| c.as_deref() == Some(want)))
            .map(|(_, _, path)| path.as_path())
    }

    /// The hint for a link or reference to a draft left out of the build.
    pub fn draft_hint(&self, collection: Option<&str>, text: &str) -> Option<String> {
        self.draft_named(collection, text).map(|path| {
            format!(
                "{} is a draft, left out of this build: build with --drafts to include it, \
                 or take `draft: true` out of its front matter",
                path.display()
            )
        })
    }

    /// Could `text` (in `collection`, if known; a `collection/` prefix on
    /// `text` says it too) name a note that failed to load? Then links and
    /// references by it are not reported again: by its file name or any
    /// name that could be read ([`Corpus::broken`]), or by a guess at one
    /// that could not ([`Corpus::broken_guesses`]).
    pub fn may_name_broken(&self, collection: Option<&str>, text: &str) -> bool {
        let (prefix, name) = split_name(text);
        let collection = collection.or(prefix);
        let unread = |c: &str| {
            self.unread
                .iter()
                .any(|u| u.is_empty() || u.eq_ignore_ascii_case(c))
        };
        if !self.unread.is_empty() && collection.is_none_or(unread) {
            return true;
        }
        if self.unread_pages && collection.is_none() {
            return true;
        }
        let slug = slugify(name);
        // A key is `collection/[folders/]slug`.
        self.broken.iter().any(|key| {
            key.rsplit('/').next() == Some(slug.as_str())
                && collection.is_none_or(|c| key.split('/').next() == Some(c))
        }) || is_broken_guess(&self.broken_guesses, collection, name)
    }
}

impl Corpus {
    /// Could the note file at `path_key` (`content/...`, as a relative
    /// link names it) be in a folder that could not be read?
    pub fn may_be_unread(&self, path_key: &str) -> bool {
        let collection = path_key
            .strip_prefix("content/")
            .and_then(|r| r.split('/').next())
            .unwrap_or_default();
        self.unread
            .iter()
            .any(|u| u.is_empty() || u.eq_ignore_ascii_case(collection))
    }
}

/// A link's text as (collection, name): `companies/sub/acme` is the name
/// `acme` in `companies` (the first part; folders between are not names).
fn split_name(text: &str) -> (Option<&str>, &str) {
    let text = text.trim();
    match text.rsplit_once('/') {
        Some((prefix, name)) => (prefix.split('/').next(), name),
        None => (None, text),
    }
}

/// Reads a file as UTF-8 with `\n` line endings, no BOM and no NUL.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::error(rel, Location::default(), format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        // Located in the text as it is read below: a BOM dropped, every
        // line ending a `\n`.
        let raw = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let prefix = normalise(raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_string());
        let what = if rel.starts_with("content") {
            "notes"
        } else if rel.components().any(|c| c.as_os_str() == "templates") {
            "templates"
        } else {
            "files"
        };
        Diagnostic::error(
            rel,
            Location::of_offset(&prefix, prefix.len()),
            format!("invalid UTF-8: {what} must be saved as UTF-8 text"),
        )
        .with_hint("re-save the file as UTF-8 in your editor")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(normalise(text))
}

/// A lone `\r` ends a line too (old Mac files; CommonMark reads it so),
/// and NUL becomes U+FFFD, as CommonMark asks: never raw in a page.
fn normalise(text: String) -> String {
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.contains('\0') {
        text.replace('\0', "\u{fffd}")
    } else {
        text
    }
}

/// A body as it is kept: any character HTML forbids (a control character
/// pasted in) as U+FFFD, so that no page shows it. (In front matter such
/// a character is a YAML error, told at its place.)
fn body_text(body: &str) -> String {
    crate::markdown::html_chars(body).map_or_else(|| body.to_string(), std::borrow::Cow::into_owned)
}

/// Loads every note under `root/content`.
///
/// Always returns what could be loaded, with every problem found: a note
/// with a missing key is kept (so its references are still checked); a
/// note that cannot be parsed is listed in `Corpus::broken`.
pub fn load(root: &Path, config: &SiteConfig, drafts: Drafts) -> (Corpus, Diagnostics) {
    load_cached(root, config, drafts, None)
}

/// A file's size and modification time: if both are unchanged, so is the
/// note parsed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// A note file's path with its stamp, to record in the cache.
type Stamped = (PathBuf, Stamp);

/// Parsed note files kept between a session's rebuilds, by path. Valid only
/// for one `site.yaml`: drop it when the configuration changes.
#[derive(Debug, Default)]
pub struct LoadCache {
    notes: std::collections::HashMap<PathBuf, (Stamp, Loaded, Vec<Diagnostic>)>,
}

impl LoadCache {
    /// Forgets every parsed file.
    pub fn clear(&mut self) {
        self.notes.clear();
    }

    /// Forgets one file (it was reported changed), whatever its stamp says:
    /// two saves within one timestamp tick can leave size and time equal.
    /// A file of a bundle (added, changed or removed beside an `index.md`,
    /// or in a folder below it) makes the bundle's note forgotten too: its
    /// list of files is read with it.
    pub fn invalidate(&mut self, path: &Path) {
        self.notes.remove(path);
        for folder in path.ancestors().skip(1) {
            if folder.parent().is_none_or(|p| p.as_os_str().is_empty()) {
                // `content` itself: its `index.md` would be no bundle.
                break;
            }
            self.notes.remove(&folder.join("index.md"));
        }
    }
}

/// `load`, re-reading only the note files whose size or modification time
/// changed since `cache` saw them.
pub fn load_cached(
    root: &Path,
    config: &SiteConfig,
    drafts: Drafts,
    mut cache: Option<&mut LoadCache>,
) -> (Corpus, Diagnostics) {
    let found = walk::walk(root);
    let mut collections: BTreeSet<String> = found.collections.iter().cloned().collect();
    collections.extend(config.collections.iter().map(|(n, _)| n.clone()));
    let mut diags = Diagnostics::new();
    let mut warnings = Vec::new();
    for d in found.diagnostics {
        if d.is_error() {
            diags.push(d);
        } else {
            warnings.push(d);
        }
    }
    let previous = cache.as_deref();
    let entries = found.entries;
    let results: Vec<(Loaded, Vec<Diagnostic>, Option<Stamped>)> = crate::reading(|| {
        entries
            .into_par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .map(|entry| {
                let stamped = match (&entry, previous) {
                    (Entry::Note(file), Some(_)) => {
                        Stamp::of(&root.join(&file.path)).map(|s| (file.path.clone(), s))
                    }
                    _ => None,
                };
                if let (Some((path, stamp)), Some(cache)) = (&stamped, previous) {
                    if let Some((old, loaded, ds)) = cache.notes.get(path) {
                        if old == stamp {
                            return (loaded.clone(), ds.clone(), None);
                        }
                    }
                }
                let (loaded, ds) = match load_entry(root, entry, config, &collections) {
                    Ok(loaded) => loaded,
                    Err(ds) => (Loaded::Nothing, ds),
                };
                (loaded, ds, stamped)
            })
            .collect()
    });
    let mut corpus = Corpus {
        collections: collections.into_iter().collect(),
        warnings,
        unread: found.unread,
        unpublished: found.unpublished,
        ..Corpus::default()
    };
    for (loaded, ds, stamped) in results {
        if let (Some(cache), Some((path, stamp))) = (cache.as_deref_mut(), stamped) {
            cache
                .notes
                .insert(path, (stamp, loaded.clone(), ds.clone()));
        }
        for d in ds {
            if d.is_error() {
                diags.push(d);
            } else {
                corpus.warnings.push(d);
            }
        }
        match loaded {
            Loaded::Note(n) if n.draft && drafts == Drafts::Exclude => {
                let mut names = vec![n.slug.clone(), n.title.clone()];
                names.extend(n.aliases.iter().cloned());
                corpus
                    .drafts_left_out
                    .push((n.collection.clone(), names, n.path.clone()));
            }
            Loaded::Note(n) => corpus.notes.push(*n),
            Loaded::Home(i) => corpus.home = Some(i),
            Loaded::Intro(c, i) => corpus.intros.push((c, i)),
            Loaded::Unread(keys, path, collection) => {
                corpus.broken.extend(keys);
                corpus.broken_paths.push(path);
                match collection {
                    Some(c) => corpus.unread.push(c),
                    None => corpus.unread_pages = true,
                }
            }
            Loaded::Broken(keys, guesses, path, rest) => {
                corpus.broken.extend(keys);
                corpus.broken_guesses.extend(guesses);
                if !path.is_empty() {
                    corpus.broken_paths.push(path);
                }
                let draft = rest.as_ref().is_some_and(|r| r.draft);
                if !(draft && drafts == Drafts::Exclude) {
                    corpus.unbuilt.extend(rest.map(|r| *r));
                }
            }
            Loaded::Nothing => {}
        }
    }
    check_duplicates(&corpus.notes, &mut diags);
    check_collection_names(&found.collections, &mut diags);
    corpus.notes.sort_by(|a, b| a.path.cmp(&b.path));
    corpus.broken.sort();
    corpus.broken_paths.sort();
    corpus.unread.sort();
    corpus.unread.dedup();
    corpus.unbuilt.sort_by(|a, b| a.path.cmp(&b.path));
    (corpus, diags)
}

/// Is `name` usable as it is in URLs and as a front-matter key? Collection
/// folders are not slugified (their name is also the reference key), so
/// they must already be slugs: `a-z`, `0-9`, `-` and `_`.
pub fn is_collection_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_collection_names(folders: &[String], diags: &mut Diagnostics) {
    for name in folders.iter().filter(|n| !is_collection_name(n)) {
        let mut d = Diagnostic::error(
            Path::new("content").join(name),
            Location::default(),
            format!("collection folder \"{name}\" is not a URL-safe name"),
        );
        let fixed = slugify(name);
        if !fixed.is_empty() {
            d = d.with_hint(format!("rename the folder to \"{fixed}\""));
        }
        diags.push(d.with_hint("collection names use only a-z, 0-9, `-` and `_`"));
    }
}

fn check_duplicates(notes: &[Note], diags: &mut Diagnostics) {
    let mut by_key: Vec<(String, &Note)> = notes.iter().map(|n| (n.key(), n)).collect();
    by_key.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.path.cmp(&b.1.path)));
    for pair in by_key.windows(2) {
        if pair[0].0 == pair[1].0 {
            // Told at the `slug:` that made the clash, if one did.
            let (other, told) = match (pair[0].1.slug_at, pair[1].1.slug_at) {
                (Some(_), None) => (pair[1].1, pair[0].1),
                _ => (pair[0].1, pair[1].1),
            };
            let first = crate::diag::slashed(&other.path);
            diags.push(
                Diagnostic::error(
                    &told.path,
                    told.slug_at.unwrap_or(Location::new(1, 1)),
                    format!("duplicate slug \"{}\": {first} has it too", pair[0].0),
                )
                .with_hint("give one of them another `slug:` in its front matter"),
            );
        }
    }
}

#[derive(Debug, Clone)]
enum Loaded {
    Note(Box<Note>),
    Home(Intro),
    Intro(String, Intro),
    /// A note whose file could not be parsed: the keys other notes may
    /// know it by (`collection/slug`, and the slugs of whatever title,
    /// aliases and `slug:` could be read), (collection, guess) for those
    /// that could not, its path, and what can still be checked of it.
    Broken(
        Vec<String>,
        Vec<(String, String)>,
        String,
        Option<Box<Unbuilt>>,
    ),
    /// A note whose file could not be read at all: its key, its path and
    /// its collection (none for a standalone page), in which any name may
    /// be its.
    Unread(Vec<String>, String, Option<String>),
    Nothing,
}

fn load_entry(
    root: &Path,
    entry: Entry,
    config: &SiteConfig,
    collections: &BTreeSet<String>,
) -> Result<(Loaded, Vec<Diagnostic>), Vec<Diagnostic>> {
    match entry {
        Entry::HomeIntro(path) => match load_intro(root, path, collections) {
            Ok((i, warnings)) => Ok((Loaded::Home(i), warnings)),
            Err(failed) => Ok(failed.into_loaded()),
        },
        Entry::CollectionIntro { collection, path } => match load_intro(root, path, collections) {
            Ok((i, warnings)) => Ok((Loaded::Intro(collection, i), warnings)),
            Err(failed) => Ok(failed.into_loaded()),
        },
        Entry::Note(file) => {
            let key = crate::urls::note_route(
                file.collection.as_deref(),
                &file.dirs,
                &slugify(&file.stem),
            );
            let file_collection = file.collection.clone();
            let dirs = file.dirs.clone();
            let key = key.trim_end_matches('/').to_string();
            let path = crate::diag::slashed(&file.path).to_lowercase();
            match load_note(root, file, config, collections) {
                Ok((note, diags)) => Ok((Loaded::Note(Box::new(note)), diags)),
                Err(Unloaded { diags, unread, .. }) if unread => {
                    Ok((Loaded::Unread(vec![key], path, file_collection), diags))
                }
                Err(Unloaded {
                    diags,
                    names,
                    guesses,
                    rest,
                    ..
                }) => {
                    let mut keys = vec![key];
                    for name in names {
                        let slug = slugify(&name);
                        if !slug.is_empty() {
                            let key =
                                crate::urls::note_route(file_collection.as_deref(), &dirs, &slug);
                            keys.push(key.trim_end_matches('/').to_string());
                        }
                    }
                    keys.sort();
                    keys.dedup();
                    let collection = file_collection.unwrap_or_default();
                    let guesses = guesses
                        .into_iter()
                        .map(|g| (collection.clone(), g))
                        .collect();
                    Ok((Loaded::Broken(keys, guesses, path, rest), diags))
                }
            }
        }
    }
}

/// A file's front-matter problems as errors, at most
/// [`MAX_PER_FILE`](crate::diag::MAX_PER_FILE) of them.
fn located(path: &Path, problems: Vec<frontmatter::Problem>) -> Vec<Diagnostic> {
    crate::diag::capped(problems, |p| {
        hinted(Diagnostic::error(path, p.location, p.message), p.hint)
    })
}

/// `d`, with `hint` if there is one.
fn hinted(d: Diagnostic, hint: Option<String>) -> Diagnostic {
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// An intro that cannot be read: its problems, and its body if that much
/// could be read.
struct IntroFailed(Vec<Diagnostic>, Option<Box<Unbuilt>>);

impl IntroFailed {
    /// Not a note: no names for links to be kept quiet by; only its body
    /// left to check.
    fn into_loaded(self) -> (Loaded, Vec<Diagnostic>) {
        match self.1 {
            Some(rest) => (
                Loaded::Broken(Vec::new(), Vec::new(), String::new(), Some(rest)),
                self.0,
            ),
            None => (Loaded::Nothing, self.0),
        }
    }
}

/// The keys an `_index.md` reads.
const INTRO_KEYS: [&str; 2] = ["title", "summary"];

/// An `_index.md`, with a warning for each key it does not read (a note's
/// `date` or `aliases`, a misspelt `sumary`), which would otherwise do
/// nothing without a word.
fn load_intro(
    root: &Path,
    path: PathBuf,
    collections: &BTreeSet<String>,
) -> Result<(Intro, Vec<Diagnostic>), IntroFailed> {
    let text = read_text(root, &path).map_err(|d| IntroFailed(vec![d], None))?;
    // Front matter is optional in an intro, but TOML's (a Zola section's
    // `_index.md`) is told as in a note rather than shown as text.
    let toml = text.lines().next().is_some_and(|l| l.trim_end() == "+++");
    let mut split_at = None;
    let (fm, body, body_line) = if text.starts_with("---") || toml {
        let split =
            frontmatter::split(&text).map_err(|p| IntroFailed(located(&path, vec![p]), None))?;
        split_at = Some(split.clone());
        let line = Location::of_offset(&text, split.body_offset).line;
        let fm = frontmatter::parse(&text, &split, collections).map_err(|p| {
            // Its body's links are checked all the same, as a note's are.
            let rest = Unbuilt {
                path: path.clone(),
                body: body_text(split.body),
                body_line: line,
                refs: Vec::new(),
                extra: Vec::new(),
                draft: false,
            };
            IntroFailed(located(&path, p), Some(Box::new(rest)))
        })?;
        (fm, body_text(split.body), line)
    } else {
        (Default::default(), body_text(&text), 1)
    };
    let mut warnings = Vec::new();
    for key in fm.keys.iter().filter(|k| !INTRO_KEYS.contains(&k.as_str())) {
        let location = split_at.as_ref().map_or(Location::new(1, 1), |split| {
            frontmatter::key_location(&text, split, key)
        });
        let meant = match key.to_lowercase().as_str() {
            "description" | "lede" | "abstract" => Some("summary"),
            k => INTRO_KEYS
                .into_iter()
                .find(|known| strsim::damerau_levenshtein(k, known) <= 2),
        };
        // Zola's and Hugo's list settings are site.yaml's here.
        let setting = match key.to_lowercase().as_str() {
            "sort_by" | "sort-by" | "sortby" => Some("sort_by"),
            "paginate_by" | "paginate" | "per_page" => Some("per_page"),
            _ => None,
        };
        let hint = match (setting, meant) {
            (Some(setting), _) => {
                // content/<collection>/_index.md; the home page's is
                // content/_index.md.
                let collection = path
                    .parent()
                    .filter(|p| p.parent().is_some_and(|up| !up.as_os_str().is_empty()))
                    .and_then(|p| p.file_name())
                    .map_or("a collection".into(), |c| {
                        format!("`{}`", c.to_string_lossy())
                    });
                format!(
                    "a list's order and paging are set in site.yaml: `{setting}:` under {collection} in `collections:`"
                )
            }
            (None, Some(known)) => format!("did you mean `{known}`?"),
            (None, None) => {
                "an _index.md reads `title`, `summary` and its body; a note's keys belong in notes"
                    .into()
            }
        };
        warnings.push(
            Diagnostic::warning(
                &path,
                location,
                format!("`{key}` does nothing in an _index.md"),
            )
            .with_hint(hint),
        );
    }
    let intro = Intro {
        path,
        title: fm.title,
        summary: fm.summary,
        extra: fm.extra,
        body,
        body_line,
    };
    Ok((intro, warnings))
}

/// The longest slug: output folders are named after slugs, and most file
/// systems allow 255 bytes per name.
pub const MAX_SLUG_BYTES: usize = 200;

/// Makes a URL-safe slug: lowercase ASCII, digits and `-`, transliterated.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// A note that could not be loaded: its problems, the names (title,
/// aliases, slug) it was given, as far as they could be read, and what can
/// still be checked of it, if its front matter could be told from its body.
struct Unloaded {
    diags: Vec<Diagnostic>,
    names: Vec<String>,
    /// Guesses at the names that could not be read
    /// ([`frontmatter::salvage_names`]).
    guesses: Vec<String>,
    rest: Option<Box<Unbuilt>>,
    /// The file could not be read at all: any of its names is unknown.
    unread: bool,
}

/// Is `name` (in `collection`, if known) one of the guesses
/// ([`Corpus::broken_guesses`]), whole?
fn is_broken_guess(guesses: &[(String, String)], collection: Option<&str>, name: &str) -> bool {
    let name = name.trim().to_lowercase();
    !name.is_empty()
        && guesses
            .iter()
            .any(|(c, text)| *text == name && collection.is_none_or(|want| want == c))
}

/// What can still be checked of a note that cannot be built: the links of
/// its body, and the reference lists, roles and relations of its front
/// matter that could be read. Other notes' links to it are not reported
/// (`Corpus::broken`); its own are, so that every problem is told in one
/// run.
#[derive(Debug, Clone, PartialEq)]
pub struct Unbuilt {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The Markdown body.
    pub body: String,
    /// One-based line of the body's start.
    pub body_line: usize,
    /// The reference lists that could be read.
    pub refs: Vec<RefList>,
    /// The free keys that could be read (among them `roles` and
    /// `relations`).
    pub extra: Vec<(String, serde_json::Value)>,
    /// `draft: true` could be read: left out with the other drafts.
    pub draft: bool,
}

/// A note with the problems found in it, or only problems if it cannot be read.
fn load_note(
    root: &Path,
    file: NoteFile,
    config: &SiteConfig,
    collections: &BTreeSet<String>,
) -> Result<(Note, Vec<Diagnostic>), Unloaded> {
    let path = file.path;
    let unnamed = |diags| Unloaded {
        diags,
        names: Vec::new(),
        guesses: Vec::new(),
        rest: None,
        unread: false,
    };
    let text = match read_text(root, &path) {
        Ok(text) => text,
        Err(d) => {
            // Its names, as far as its bytes read as UTF-8 tell them; if
            // none is whole, any name in its collection may be its.
            let salvaged = std::fs::read(root.join(&path)).ok().and_then(|bytes| {
                let lossy = String::from_utf8_lossy(&bytes);
                let lossy = normalise(lossy.strip_prefix('\u{feff}').unwrap_or(&lossy).to_string());
                let split = frontmatter::split(&lossy).ok()?;
                let (names, guesses) = frontmatter::salvage_names(split.yaml);
                // A bad byte in a name, or in a top-level key (which may
                // be one of the names' keys), leaves some name unknown; one
                // in a comment, a list item or an indented line does not.
                let bad_key = split.yaml.lines().any(|line| {
                    !line.starts_with([' ', '\t', '#', '-'])
                        && line
                            .split_once(':')
                            .map_or(line, |(key, _)| key)
                            .contains('\u{fffd}')
                });
                let garbled = names.is_empty()
                    || bad_key
                    || names.iter().chain(&guesses).any(|n| n.contains('\u{fffd}'));
                (!garbled).then_some((names, guesses))
            });
            return Err(match salvaged {
                Some((names, guesses)) => Unloaded {
                    names,
                    guesses,
                    ..unnamed(vec![d])
                },
                None => Unloaded {
                    unread: true,
                    ..unnamed(vec![d])
                },
            });
        }
    };
    let split = frontmatter::split(&text).map_err(|p| unnamed(located(&path, vec![p])))?;
    let body_line = Location::of_offset(&text, split.body_offset).line;
    let unbuilt = |refs, extra, draft| {
        Some(Box::new(Unbuilt {
            path: path.clone(),
            body: body_text(split.body),
            body_line,
            refs,
            extra,
            draft,
        }))
    };
    let (fm, problems) = frontmatter::parse_all(&text, &split, collections).map_err(|p| {
        let mut unloaded = unnamed(located(&path, p));
        // Other notes' links by its names are not reported as well, as
        // far as the names can be made out.
        (unloaded.names, unloaded.guesses) = frontmatter::salvage_names(split.yaml);
        unloaded.rest = unbuilt(Vec::new(), Vec::new(), false);
        unloaded
    })?;
    // A key that could not be read makes the note unusable, but the
    // checks below still run, so that every problem is told at once.
    let unreadable = !problems.is_empty();
    let mut diags = located(&path, problems);
    diags.extend(fm.warnings.iter().map(|w| {
        hinted(
            Diagnostic::warning(&path, w.location, &w.message),
            w.hint.clone(),
        )
    }));
    let title = match fm.title {
        Some(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
        // Written, but not as text: its problem is told already.
        None if unreadable && fm.keys.contains("title") => None,
        _ if fm.keys.contains("title") => {
            diags.push(
                Diagnostic::error(&path, fm.title_location, "the note's `title` is empty")
                    .with_hint("write the note's name after `title:`"),
            );
            None
        }
        _ => {
            diags.push(
                Diagnostic::error(&path, Location::new(1, 1), "the note has no `title`")
                    .with_hint("add a line `title: ...` to the front matter"),
            );
            None
        }
    };
    // Without its title, other notes' links by it could not be resolved:
    // the note is not built, and links that may name it are not reported.
    let untitled = title.is_none();
    let title = title.unwrap_or_else(|| file.stem.clone());
    // Where the slug comes from: its `slug:` line, or the file's name.
    let slug_set_at = fm.slug.as_ref().map(|(_, l)| *l);
    let slug_location = slug_set_at.unwrap_or(Location::new(1, 1));
    let mut slug_told = false;
    let slug = match fm.slug {
        Some((given, location)) => {
            if given.contains(['/', '\\']) || given.contains("..") {
                slug_told = true;
                diags.push(
                    Diagnostic::error(
                        &path,
                        location,
                        format!("slug \"{given}\" must not contain `/`, `\\` or `..`"),
                    )
                    .with_hint("a slug is one URL segment, such as `acme`"),
                );
            }
            slugify(&given)
        }
        None => slugify(&file.stem),
    };
    if slug.len() > MAX_SLUG_BYTES {
        diags.push(
            Diagnostic::error(
                &path,
                slug_location,
                format!(
                    "the note's slug is {} bytes long; at most {MAX_SLUG_BYTES} fit in a file name",
                    slug.len()
                ),
            )
            .with_hint("set a shorter `slug:` or rename the file"),
        );
    }
    if slug.is_empty() && !slug_told {
        diags.push(
            Diagnostic::error(&path, slug_location, "the note's slug is empty")
                .with_hint("rename the file or set `slug:` to letters or digits"),
        );
    }
    if let Some(collection) = &file.collection {
        let cfg = config.collection(collection);
        if let Some((_, at)) = fm.weight {
            if cfg.sort_by != crate::config::SortBy::Weight {
                diags.push(
                    Diagnostic::warning(
                        &path,
                        at,
                        format!(
                            "`weight` orders nothing here: `{collection}` is sorted by {}",
                            cfg.sort_by.name()
                        ),
                    )
                    .with_hint(format!(
                        "add `sort_by: weight` to `{collection}` under `collections:` in site.yaml, or remove `weight:`"
                    )),
                );
            }
        }
        if cfg.dated && fm.date.is_none() && !fm.keys.contains("date") {
            diags.push(
                Diagnostic::error(
                    &path,
                    fm.date_location,
                    format!("notes in `{collection}` need a `date`"),
                )
                .with_hint("add a line `date: 2024-01-05` to the front matter"),
            );
        }
        for key in &cfg.required {
            if !fm.keys.contains(key) {
                // A slip for it (`sumary:`) is where the key went: told there.
                let slip = fm.slips.iter().find(|(_, meant, _)| meant == key);
                let (location, hint) = match slip {
                    Some((written, _, at)) => (
                        *at,
                        format!("`{written}` here looks like it: rename it `{key}`"),
                    ),
                    None => (
                        Location::new(1, 1),
                        format!("site.yaml lists `{key}` as required for {collection}"),
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        &path,
                        location,
                        format!("notes in `{collection}` need a `{key}`"),
                    )
                    .with_hint(hint),
                );
            } else if let Some((_, at)) = fm.empty.iter().find(|(k, _)| k == key) {
                // As `brief new` leaves it: the note builds, and the
                // warning says what is left to fill in.
                diags.push(
                    Diagnostic::warning(
                        &path,
                        *at,
                        format!("`{key}` is empty, but notes in `{collection}` need it"),
                    )
                    .with_hint(format!(
                        "fill it in: site.yaml lists `{key}` as required for {collection}"
                    )),
                );
            }
        }
    }
    if slug.is_empty() || slug.len() > MAX_SLUG_BYTES || unreadable || untitled || slug_told {
        // Other notes may name it by any name it was given: their links
        // to it are not reported again.
        let mut names = fm.aliases;
        names.push(title);
        names.push(slug);
        return Err(Unloaded {
            diags,
            names,
            guesses: Vec::new(),
            rest: unbuilt(fm.refs, fm.extra, fm.draft),
            unread: false,
        });
    }
    let note = Note {
        body_line,
        body: body_text(split.body),
        collection: file.collection,
        dirs: file.dirs.iter().map(|d| slugify(d)).collect(),
        slug,
        slug_at: slug_set_at,
        title,
        aliases: fm.aliases,
        redirects: fm.redirects,
        template: fm.template,
        weight: fm.weight,
        date: fm.date,
        updated: fm.updated,
        draft: fm.draft,
        summary: fm.summary,
        autolink: fm.autolink,
        refs: fm.refs,
        extra: fm.extra.into(),
        assets: file.assets,
        path,
    };
    Ok((note, diags))
}

/// Re-reads one note that a session already knows (`old`), for an edit of
/// that file alone, with its warnings: `Some` only if it still parses
/// without an error and is still a plain `.md` note (a bundle's
/// `index.md` is left to the full load, which also lists its files).
pub fn reload_note(
    root: &Path,
    config: &SiteConfig,
    corpus: &Corpus,
    old: &Note,
) -> Option<(Note, Vec<Diagnostic>)> {
    let path = &old.path;
    if path.extension()? != "md" || path.file_name()? == "index.md" {
        return None;
    }
    if !std::fs::symlink_metadata(root.join(path))
        .ok()?
        .file_type()
        .is_file()
    {
        return None;
    }
    let mut parts: Vec<String> = path
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file_name = parts.pop()?;
    if parts.first().map(String::as_str) != Some("content") {
        return None;
    }
    let mut dirs = parts.split_off(1);
    let collection = if dirs.is_empty() {
        None
    } else {
        Some(dirs.remove(0))
    };
    if collection != old.collection {
        return None;
    }
    let file = NoteFile {
        path: path.clone(),
        collection,
        dirs,
        stem: file_name.strip_suffix(".md")?.to_string(),
        assets: Vec::new(),
    };
    let collections: BTreeSet<String> = corpus.collections.iter().cloned().collect();
    match load_note(root, file, config, &collections) {
        // Warnings (an empty list item) do not stop it: they are handed
        // back, for the caller to compare with the note's last ones.
        Ok((note, diags)) if !diags.iter().any(Diagnostic::is_error) => Some((note, diags)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_left_out_is_named_by_slug_title_or_alias_in_its_collection() {
        let corpus = Corpus {
            drafts_left_out: vec![(
                Some("companies".to_string()),
                vec!["drafty".into(), "Drafty Co".into(), "DC".into()],
                PathBuf::from("content/companies/drafty.md"),
            )],
            ..Corpus::default()
        };
        for (collection, text) in [
            (None, "drafty"),
            (None, "drafty co"),
            (None, "companies/Drafty Co"),
            (Some("companies"), "dc"),
        ] {
            assert!(corpus.draft_named(collection, text).is_some(), "{text}");
        }
        // In a subfolder of its collection.
        let mut corpus = corpus;
        corpus.drafts_left_out[0].2 = PathBuf::from("content/companies/sub/drafty.md");
        for (collection, text) in [
            (None, "companies/sub/drafty"),
            (None, "companies/sub/Drafty Co"),
        ] {
            assert!(corpus.draft_named(collection, text).is_some(), "{text}");
        }
        for (collection, text) in [
            (Some("people"), "drafty"),
            (None, "people/drafty"),
            (None, "Draft"),
        ] {
            assert!(corpus.draft_named(collection, text).is_none(), "{text}");
        }
    }

    #[test]
    fn invalid_utf8_is_named_for_what_the_file_is() {
        let dir = tempfile::tempdir().unwrap();
        for (rel, what) in [
            ("content/stories/a.md", "notes"),
            ("themes/x/templates/note.html", "templates"),
            ("templates/list.html", "templates"),
            ("site.yaml", "files"),
        ] {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, b"ok \xff").unwrap();
            let d = read_text(dir.path(), Path::new(rel)).unwrap_err();
            assert_eq!(
                d.message,
                format!("invalid UTF-8: {what} must be saved as UTF-8 text"),
                "{rel}"
            );
        }
    }

    #[test]
    fn invalid_utf8_is_located_as_the_lines_are_counted_everywhere_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.md"),
            b"---\rtitle: Old Mac\rsummary: x\r---\rline one\rline two \xff bad\r",
        )
        .unwrap();
        let d = read_text(dir.path(), Path::new("a.md")).unwrap_err();
        assert_eq!(d.location, Location::new(6, 10));
    }

    #[test]
    fn text_is_read_with_every_line_ending_as_a_newline_and_nul_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "\u{feff}---\rtitle: CR\r\n---\rbody\0end\r").unwrap();
        assert_eq!(
            read_text(dir.path(), Path::new("a.md")).unwrap(),
            "---\ntitle: CR\n---\nbody\u{fffd}end\n"
        );
    }

    /// A folder that could not be read is an error already: the notes in
    /// it are unknown, so a reference that finds nothing may name one and
    /// is not told as unknown too, unless it names another collection.
    #[test]
    fn references_that_may_name_a_note_in_an_unread_folder_are_not_told() {
        let corpus = Corpus {
            unread: vec!["people".to_string()],
            ..Corpus::default()
        };
        assert!(corpus.may_name_broken(Some("people"), "daniel-zhang"));
        assert!(corpus.may_name_broken(None, "people/daniel-zhang"));
        assert!(corpus.may_name_broken(None, "People/Daniel Zhang"));
        assert!(corpus.may_name_broken(None, "Joe Tsai"));
        assert!(!corpus.may_name_broken(Some("companies"), "acme"));
        assert!(!corpus.may_name_broken(None, "companies/acme"));
        assert!(!Corpus::default().may_name_broken(None, "Joe Tsai"));
        let all = Corpus {
            unread: vec![String::new()],
            ..Corpus::default()
        };
        assert!(all.may_name_broken(Some("companies"), "acme"));
        assert!(corpus.may_be_unread("content/people/eddie-wu.md"));
        assert!(!corpus.may_be_unread("content/companies/acme.md"));
        assert!(all.may_be_unread("content/about.md"));
        assert!(!Corpus::default().may_be_unread("content/people/x.md"));
        // A standalone page unread: a bare name may be its, a name in a
        // collection may not.
        let page = Corpus {
            unread_pages: true,
            ..Corpus::default()
        };
        assert!(page.may_name_broken(None, "About us"));
        assert!(!page.may_name_broken(None, "companies/acme"));
        assert!(!page.may_name_broken(Some("companies"), "acme"));
    }

    #[test]
    fn a_broken_note_is_named_by_its_keys_or_a_whole_guess_in_its_collection() {
        let corpus = Corpus {
            broken: vec![
                "companies/acme".to_string(),
                "companies/sub/beta".to_string(),
            ],
            broken_guesses: vec![("companies".to_string(), "acme corp".to_string())],
            ..Corpus::default()
        };
        for (collection, name) in [
            (None, "companies/sub/beta"),
            (Some("companies"), "Beta"),
            (None, "beta"),
            (None, "Acme Corp"),
            (None, " acme CORP "),
            (None, "companies/Acme Corp"),
            (Some("companies"), "Acme Corp"),
            (None, "acme"),
            (None, "companies/Acme"),
            (Some("companies"), "ACME"),
        ] {
            assert!(corpus.may_name_broken(collection, name), "{name}");
        }
        for (collection, name) in [
            (None, "Acme Corp Group"),
            (None, "people/Acme Corp"),
            (Some("people"), "Acme Corp"),
            (Some("people"), "acme"),
            (None, "stories/acme"),
            (None, "people/sub/beta"),
            (None, ""),
            (None, "companies/"),
        ] {
            assert!(!corpus.may_name_broken(collection, name), "{name}");
        }
        assert!(!Corpus::default().may_name_broken(None, "acme corp"));
    }
}
