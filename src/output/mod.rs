//! Output: everything the site publishes besides HTML pages (feeds, sitemap,
//! robots.txt, static files, bundle assets), and `commit`, the only writer of
//! the output folder.
//!
//! Artifacts are plain data (a relative path and bytes or a source file);
//! nothing touches the disk until every artifact of the build exists.

mod api;
mod commit;
mod feeds;
pub(crate) mod json;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use api::{export as api, export_cached as api_cached, renote, ApiCache};
pub use commit::{
    check_output_dir, commit, interrupt, lock_output, read_recorded, record_lines, CommitStats,
    Recorded, Staging, MANIFEST, STAGING,
};
pub use feeds::{refeed, FeedCache};

use crate::content::walk::is_ignored_static_name;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::Model;
pub use crate::urls::{CHANGES_FEED, ROBOTS, SITEMAP, SITE_FEED};

/// Where an artifact's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Bytes produced by the build.
    Bytes(Arc<Vec<u8>>),
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
        Artifact::bytes(path, Arc::new(text.into_bytes()))
    }

    /// A file the build made, as bytes.
    pub fn bytes(path: String, bytes: Arc<Vec<u8>>) -> Self {
        Artifact {
            path,
            source: Source::Bytes(bytes),
            origin: String::new(),
        }
    }

    /// A file known by its path alone: one kept as the output folder holds
    /// it, or one whose bytes were handed on (or, in `check`, never made).
    pub fn path_only(path: String) -> Self {
        Artifact {
            path,
            source: Source::Bytes(Arc::default()),
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

    /// The error for its source file `src` that cannot be read, located at
    /// the file as the site names it (its origin) when it has one.
    pub fn unreadable(&self, src: &Path, e: &std::io::Error) -> Diagnostic {
        let at = if self.origin.is_empty() {
            src.to_path_buf()
        } else {
            PathBuf::from(&self.origin)
        };
        Diagnostic::error(at, Location::default(), format!("cannot read: {e}"))
    }
}

/// Where each file of a build goes as soon as it is made.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    /// Kept whole in memory (`brief serve`, tests).
    Memory,
    /// Only its path and origin are kept (`brief check`).
    Nothing,
    /// Staged for the output folder (`brief build`).
    Disk(&'a Staging),
}

impl Sink<'_> {
    /// Takes one file of the build and gives back what the caller keeps:
    /// the whole artifact in memory, else its path and origin only, so
    /// that a build never holds the whole site.
    pub fn pass(&self, a: Artifact) -> Result<Artifact, Diagnostic> {
        match self {
            Sink::Memory => return Ok(a),
            Sink::Nothing => {
                // What the build would read, `check` opens, so that it
                // fails where the build would.
                if let Source::File(src) = &a.source {
                    std::fs::File::open(src).map_err(|e| a.unreadable(src, &e))?;
                }
            }
            Sink::Disk(staging) => staging.emit(&a)?,
        }
        Ok(Artifact::path_only(a.path).from_origin(a.origin))
    }

    /// `pass` for a generated file made of `pieces`, one after another:
    /// staged without joining them (a large file then needs no one block
    /// of memory of its size), joined only to be kept in memory.
    pub fn pass_pieces(
        &self,
        path: String,
        origin: &str,
        pieces: &[std::borrow::Cow<'_, str>],
    ) -> Result<Artifact, Diagnostic> {
        match self {
            Sink::Memory => return Ok(Artifact::page(path, pieces.concat()).from_origin(origin)),
            Sink::Nothing => {}
            Sink::Disk(staging) => {
                let bytes: Vec<&[u8]> = pieces.iter().map(|p| p.as_bytes()).collect();
                staging.emit_pieces(&path, &bytes)?;
            }
        }
        Ok(Artifact::path_only(path).from_origin(origin))
    }

    /// Takes a file that the output folder already holds as this build
    /// would make it (so its bytes were not even made), keeping its path.
    pub fn keep(&self, a: Artifact) -> Artifact {
        if let Sink::Disk(staging) = self {
            staging.keep(&a);
        }
        a
    }

    /// `pass` for many files, in parallel, keeping their order.
    pub fn pass_all(&self, artifacts: Vec<Artifact>) -> Result<Vec<Artifact>, Diagnostics> {
        use rayon::prelude::*;
        if matches!(self, Sink::Memory) {
            return Ok(artifacts);
        }
        let results: Vec<Result<Artifact, Diagnostic>> = artifacts
            .into_par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .map(|a| self.pass(a))
            .collect();
        collect_results(results)
    }
}

/// The artifacts (or other values), or every error among them.
pub fn collect_results<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Diagnostics> {
    let mut out = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(a) => out.push(a),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

/// The feeds, sitemap and robots.txt of the site.
pub fn generated(model: &Model<'_>) -> Vec<Artifact> {
    generated_cached(model, None, Sink::Memory, false).unwrap_or_default()
}

/// Does the site's `static/` or its theme's hold a `robots.txt` of its
/// own (a file, not a link, which static files never follow)? It is then
/// published instead of the generated one, as Hugo's and Zola's
/// `robots.txt` templates are (a staging site's `Disallow: /`).
pub fn static_robots(root: &Path, theme: &str) -> bool {
    [
        root.join("static").join(ROBOTS),
        root.join("themes").join(theme).join("static").join(ROBOTS),
    ]
    .iter()
    .any(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
}

/// `generated`, reusing feed entries from `cache` where nothing changed;
/// each feed goes to `sink` as soon as it is made. With `static_robots`,
/// no robots.txt is made (a static file is published instead).
pub fn generated_cached(
    model: &Model<'_>,
    cache: Option<&mut FeedCache>,
    sink: Sink<'_>,
    static_robots: bool,
) -> Result<Vec<Artifact>, Diagnostics> {
    let mut out = feeds::feeds_cached(model, cache, sink)?;
    let mut made = vec![feeds::sitemap(model)];
    if !static_robots {
        made.push(Artifact::page(
            ROBOTS.into(),
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                feeds::ascii_url(&model.urls.absolute(SITEMAP))
            ),
        ));
    }
    made.extend(first_page_redirects(model));
    made.extend(note_redirects(model, true));
    out.extend(sink.pass_all(made)?);
    Ok(out)
}

/// The collections whose lists are split into pages.
fn paginated<'m>(model: &'m Model<'_>) -> impl Iterator<Item = &'m String> {
    model
        .collection_order
        .iter()
        .filter(|c| model.members.contains_key(*c) && model.per_page(c) > 0)
}

/// The path of the redirect from page 1 of a paginated list.
fn first_page_path(collection: &str) -> String {
    format!("{collection}/page/1/index.html")
}

/// What writes [`first_page_path`], for collision errors.
fn first_page_origin(collection: &str) -> String {
    format!("the redirect from page 1 of the `{collection}` list (content/{collection})")
}

/// `<collection>/page/1/` for each paginated list: page 1 is the list's
/// own page, `<collection>/`, and this sends links made the way Zola and
/// Hugo make them (`page/1/`) there, for people and for search engines.
fn first_page_redirects(model: &Model<'_>) -> Vec<Artifact> {
    paginated(model)
        .map(|c| {
            let title = model.config.collection(c).title;
            let html = redirect_page(model, &title, &crate::urls::list_route(c, 1));
            Artifact::page(first_page_path(c), html).from_origin(first_page_origin(c))
        })
        .collect()
}

/// A page that sends its reader, at once, to the page at `route` (named
/// `title`), and tells search engines that page is the one to index.
fn redirect_page(model: &Model<'_>, title: &str, route: &str) -> String {
    let (path, absolute) = (model.urls.path(route), model.urls.absolute(route));
    let e = crate::markdown::escape_html;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{absolute}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={path}\">\n</head>\n<body>\n\
         <p><a href=\"{path}\">{title}</a></p>\n</body>\n</html>\n",
        lang = e(&model.config.language),
        title = e(title),
        absolute = e(&absolute),
        path = e(&path),
    )
}

/// What writes a note's redirect, for collision errors: with the line
/// that asks for it, where the error is told.
fn redirect_origin(note: &crate::content::Note, r: &crate::content::Redirect) -> String {
    format!(
        "the redirect from {} ({}:{}:{})",
        r.from,
        crate::diag::slashed(&note.path),
        r.location.line,
        r.location.col
    )
}

/// The notes' old addresses (`redirect_from`), each a page sending its
/// reader on to the note's page; only their paths with `made` false.
fn note_redirects(model: &Model<'_>, made: bool) -> Vec<Artifact> {
    let mut out = Vec::new();
    for (note, route) in model.corpus.notes.iter().zip(&model.linked.routes) {
        for r in &note.redirects {
            let origin = redirect_origin(note, r);
            out.push(if made {
                Artifact::page(r.path.clone(), redirect_page(model, &note.title, route))
                    .from_origin(origin)
            } else {
                Artifact::path_only(r.path.clone()).from_origin(origin)
            });
        }
    }
    out
}

/// A `redirect_from` address that is a note's page, or another note's
/// old address too: told at the line that writes it, with the note it
/// meets. (One that meets any other file is told with the rest of the
/// collisions.)
pub fn redirect_conflicts(model: &Model<'_>) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if model.corpus.notes.iter().all(|n| n.redirects.is_empty()) {
        return diags;
    }
    // Compared without case: on macOS and Windows, `/Companies/Alibaba/`
    // is the file of `/companies/alibaba/`.
    let pages: HashMap<String, &crate::content::Note> = model
        .corpus
        .notes
        .iter()
        .zip(&model.linked.routes)
        .map(|(n, route)| (crate::urls::route_file(route).to_lowercase(), n))
        .collect();
    let mut olds: HashMap<String, &crate::content::Note> = HashMap::new();
    for note in &model.corpus.notes {
        for r in &note.redirects {
            let folded = r.path.to_lowercase();
            let (message, hint) = if let Some(owner) = pages.get(&folded) {
                if std::ptr::eq(*owner, note) {
                    (
                        format!("`redirect_from`: \"{}\" is this note's own address", r.from),
                        "remove it: a redirect sends readers from an old address".to_string(),
                    )
                } else {
                    (
                        format!(
                            "`redirect_from`: \"{}\" is the address of {}",
                            r.from,
                            crate::diag::slashed(&owner.path)
                        ),
                        "remove it, or give that note another `slug:`".to_string(),
                    )
                }
            } else if let Some(other) = olds.insert(folded, note) {
                if std::ptr::eq(other, note) {
                    (
                        format!("`redirect_from`: \"{}\" is listed twice", r.from),
                        "remove one of them".to_string(),
                    )
                } else {
                    (
                        format!(
                            "`redirect_from`: \"{}\" is an old address of {} too",
                            r.from,
                            crate::diag::slashed(&other.path)
                        ),
                        "keep it in one note's `redirect_from`".to_string(),
                    )
                }
            } else {
                continue;
            };
            diags.push(Diagnostic::error(&note.path, r.location, message).with_hint(hint));
        }
    }
    diags
}

/// The files of [`generated_cached`] and [`api`], by path only (no bytes
/// made), in the same order, and one file of the search index: what
/// `brief check` needs to find collisions.
pub fn generated_paths(model: &Model<'_>, static_robots: bool) -> Vec<Artifact> {
    let mut paths = vec![SITE_FEED.to_string(), CHANGES_FEED.to_string()];
    paths.extend(
        model
            .site
            .collections
            .iter()
            .filter_map(|c| crate::model::collection_feed_route(model.config, &c.name)),
    );
    paths.extend((0..model.links.len() as u32).filter_map(|id| model.feed_route(id)));
    paths.push(SITEMAP.into());
    if !static_robots {
        paths.push(ROBOTS.into());
    }
    // One file of the search index stands for it: its folder is then
    // known to be needed (a file `search/index` would clash with it).
    paths.push(format!("{SEARCH_INDEX_DIR}meta.json"));
    let mut out: Vec<Artifact> = paths.into_iter().map(Artifact::path_only).collect();
    out.extend(
        paginated(model)
            .map(|c| Artifact::path_only(first_page_path(c)).from_origin(first_page_origin(c))),
    );
    for path in [api::NOTES, api::GRAPH] {
        out.push(Artifact::path_only(path.into()).from_origin(api::ORIGIN));
    }
    out.extend(note_redirects(model, false));
    out
}

/// The folder the search index owns: no other file may be written in it.
pub const SEARCH_INDEX_DIR: &str = "search/index/";

/// What [`walk_files`] finds under a folder, by path below it.
#[derive(Default)]
struct Walked {
    /// Files, with their paths on disk.
    files: Vec<(String, PathBuf)>,
    /// Symbolic links, skipped.
    links: Vec<String>,
    /// FIFOs, sockets and devices, never opened.
    specials: Vec<String>,
    /// Files and folders whose names are not UTF-8 (shown with `�`):
    /// they have no name to publish under.
    unnamed: Vec<String>,
}

/// Everything under `dir` (`rel` is its path below the folder walked).
fn walk_files(dir: &Path, rel: &str, found: &mut Walked) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let file_name = e.file_name();
        let name = file_name.to_string_lossy().into_owned();
        if is_ignored_static_name(&name) {
            continue;
        }
        let path = format!("{rel}{name}");
        if file_name.to_str().is_none() {
            found.unnamed.push(path);
            continue;
        }
        let ty = e.file_type()?;
        if ty.is_symlink() {
            found.links.push(path);
        } else if ty.is_dir() {
            walk_files(&e.path(), &format!("{path}/"), found)?;
        } else if ty.is_file() {
            found.files.push((path, e.path()));
        } else {
            found.specials.push(path);
        }
    }
    Ok(())
}

/// Theme static files, then the site's `static/` (which wins), then every
/// bundle note's files beside its page; and a warning for each symbolic
/// link among the static files, which are not followed (as in `content/`).
pub fn static_files(
    root: &Path,
    model: &Model<'_>,
) -> Result<(Vec<Artifact>, Vec<Diagnostic>), Diagnostics> {
    let mut warnings = Vec::new();
    let mut by_path: BTreeMap<String, Artifact> = BTreeMap::new();
    let dirs = [
        format!("themes/{}/static/", model.config.theme),
        "static/".to_string(),
    ];
    for origin in dirs {
        let dir = root.join(&origin);
        if !dir.is_dir() {
            continue;
        }
        let mut found = Walked::default();
        walk_files(&dir, "", &mut found).map_err(|e| io_error(root, &dir, &e))?;
        let Walked {
            files,
            links,
            specials,
            unnamed,
        } = found;
        if !unnamed.is_empty() {
            return Err(unnamed
                .into_iter()
                .map(|name| {
                    Diagnostic::error(
                        format!("{origin}{name}"),
                        Location::default(),
                        "file name is not valid UTF-8: it has no name to publish under",
                    )
                    .with_hint("rename it (its unreadable bytes are shown as �)")
                })
                .collect());
        }
        warnings.extend(links.into_iter().map(|link| {
            Diagnostic::warning(
                format!("{origin}{link}"),
                Location::default(),
                "symbolic link not followed: static files must be real files inside the site",
            )
            .with_hint("copy the file into the folder instead of linking it")
        }));
        warnings.extend(specials.into_iter().map(|special| {
            Diagnostic::warning(
                format!("{origin}{special}"),
                Location::default(),
                crate::content::walk::SPECIAL_SKIPPED,
            )
        }));
        for (path, file) in files {
            let a = Artifact {
                path: path.clone(),
                source: Source::File(file),
                origin: format!("{origin}{path}"),
            };
            by_path.insert(path, a);
        }
    }
    let mut out: Vec<Artifact> = by_path.into_values().collect();
    for (i, note) in model.corpus.notes.iter().enumerate() {
        let Some(bundle) = note.bundle_dir() else {
            continue;
        };
        let bundle_rel = crate::diag::slashed(bundle);
        for asset in &note.assets {
            let rel = crate::diag::slashed(asset);
            out.push(Artifact {
                path: format!("{}{rel}", model.linked.routes[i]),
                source: Source::File(root.join(bundle).join(asset)),
                origin: format!("{bundle_rel}/{rel}"),
            });
        }
    }
    Ok((out, warnings))
}

fn io_error(root: &Path, dir: &Path, e: &std::io::Error) -> Diagnostics {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    Diagnostics::from_iter([Diagnostic::error(
        rel,
        Location::default(),
        format!("cannot read: {e}"),
    )])
}

/// Words for what produced an artifact: its origin, or for files made
/// from the whole site (feeds, sitemap, search index), their role.
fn describe(a: &Artifact) -> String {
    if !a.origin.is_empty() {
        return a.origin.clone();
    }
    match a.path.as_str() {
        SITE_FEED => "the site feed".into(),
        SITEMAP => "the sitemap".into(),
        ROBOTS => "the generated robots.txt".into(),
        p if p.starts_with("search/index/") => "the search index".into(),
        p => match p.strip_suffix("feed.xml") {
            Some(route) => format!("the feed of the page {route}"),
            None => "a generated file".into(),
        },
    }
}

/// The site file an origin names: itself, or the one in its parentheses;
/// `None` for a purely generated page.
fn origin_file(origin: &str) -> Option<&str> {
    if let Some(inner) = origin
        .strip_suffix(')')
        .and_then(|o| o.rsplit_once(" (").map(|(_, f)| f))
    {
        return Some(inner);
    }
    (!origin.is_empty() && !origin.starts_with("the ") && !origin.starts_with("page "))
        .then_some(origin)
}

/// Where a collision is reported: the content file involved if any, else
/// any site file, else the output path; a Markdown file at its first line.
fn collision_at(first: &str, second: &str, path: &str) -> (String, Location) {
    let files = [origin_file(first), origin_file(second)];
    // A file named with its line (`content/a.md:4:5`, a redirect's) first.
    if let Some((file, location)) = files.iter().flatten().find_map(|f| with_line(f)) {
        return (file.to_string(), location);
    }
    let file = files
        .iter()
        .flatten()
        .find(|f| f.starts_with("content/"))
        .or_else(|| files.iter().flatten().next())
        .map_or_else(|| path.to_string(), |f| f.to_string());
    let location = if file.ends_with(".md") {
        Location::new(1, 1)
    } else {
        Location::default()
    };
    (file, location)
}

/// `content/a.md:4:5` as the file and its place.
fn with_line(named: &str) -> Option<(&str, Location)> {
    let (rest, col) = named.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    Some((file, Location::new(line.parse().ok()?, col.parse().ok()?)))
}

/// Is `path` a plain relative path that stays inside the output folder and
/// that the manifest (one path per line) can hold?
pub(crate) fn is_plain_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(char::is_control)
        && path
            .split('/')
            .all(|part| !(part.is_empty() || part == "." || part == ".."))
}

/// Errors for two artifacts with one path, or a path that could escape the
/// output folder. Both producers are named, whatever they are: two notes,
/// a note and a generated page (`content/search.md` and the search page), a
/// collection and a page of another (`stories/page/2.md` and the pager), a
/// bundle file and its own page, a static file and a generated one.
pub fn check_paths(artifacts: &[Artifact]) -> Diagnostics {
    // Two look-ups of every path, each a table of them all: side by side.
    let (mut diags, clashes) = rayon::join(|| same_paths(artifacts), || folder_clashes(artifacts));
    diags.extend(clashes);
    diags
}

/// Errors for paths that are not plain, inside the search index's folder,
/// or written twice.
fn same_paths(artifacts: &[Artifact]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut seen: HashMap<&str, &Artifact, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(artifacts.len(), Default::default());
    for a in artifacts {
        if !is_plain_path(&a.path) {
            let (file, location) = collision_at(&a.origin, "", &a.path);
            diags.push(
                Diagnostic::error(
                    file,
                    location,
                    format!(
                        "refusing to write {:?}: not a plain path inside the output folder",
                        a.path
                    ),
                )
                .with_hint("rename the file: no `..`, `\\`, control characters or empty parts"),
            );
        } else if a.path.starts_with(SEARCH_INDEX_DIR) {
            // The index's own files (no origin) never collide: their names
            // are made apart. Anything else there would mix with them.
            if !a.origin.is_empty() {
                let one = describe(a);
                let (file, location) = collision_at(&one, "", &a.path);
                diags.push(
                    Diagnostic::error(
                        file,
                        location,
                        format!(
                            "{one} would write {}, inside {SEARCH_INDEX_DIR}, which the search index owns",
                            a.path
                        ),
                    )
                    .with_hint("rename or remove the file"),
                );
            }
        } else if let Some(first) = seen.insert(&a.path, a) {
            let (one, two) = (describe(first), describe(a));
            let (file, location) = collision_at(&one, &two, &a.path);
            let hint =
                if one.starts_with("the redirect from") || two.starts_with("the redirect from") {
                    "change or remove the `redirect_from` entry"
                } else if file.ends_with(".md") {
                    "give the note another `slug:` in its front matter, or rename its file"
                } else if file.starts_with("content/") && !file.contains('.') {
                    "rename the collection's folder"
                } else {
                    "rename or remove the file"
                };
            diags.push(
                Diagnostic::error(
                    file,
                    location,
                    format!("{one} and {two} would both write {}", a.path),
                )
                .with_hint(hint),
            );
        }
    }
    diags
}

/// A file written where other files need a folder of the same name
/// (`static/companies` beside the notes' `companies/...`): found here,
/// before anything is written, so that a build cannot fail half-way
/// through putting its files in place.
fn folder_clashes(artifacts: &[Artifact]) -> Vec<Diagnostic> {
    // Each folder the outputs need, with one file that needs it. Parents
    // are added from the deepest up, stopping at one already there (its
    // own parents are too): about one lookup per file.
    let mut folders: HashMap<&str, &Artifact, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(artifacts.len() / 2, Default::default());
    for a in artifacts.iter().filter(|a| is_plain_path(&a.path)) {
        let mut path = a.path.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            match folders.entry(parent) {
                std::collections::hash_map::Entry::Occupied(_) => break,
                std::collections::hash_map::Entry::Vacant(v) => v.insert(a),
            };
            path = parent;
        }
    }
    let mut diags = Vec::new();
    if folders.is_empty() {
        return diags;
    }
    let mut told = std::collections::HashSet::new();
    for a in artifacts {
        let Some(&under) = folders.get(a.path.as_str()) else {
            continue;
        };
        if !told.insert(a.path.as_str()) {
            continue;
        }
        let (one, two) = (describe(a), describe(under));
        // The search index's files are named apart in each build (and
        // `check` names one for all): the folder stands for them.
        let inner = if under.path.starts_with(SEARCH_INDEX_DIR) {
            format!("{SEARCH_INDEX_DIR}...")
        } else {
            under.path.clone()
        };
        let has_line = |o: &str| origin_file(o).and_then(with_line).is_some();
        let (file, location) = if has_line(&one) || has_line(&two) {
            collision_at(&one, &two, &a.path)
        } else if origin_file(&one).is_some() {
            collision_at(&one, "", &a.path)
        } else {
            collision_at(&two, "", &a.path)
        };
        diags.push(
            Diagnostic::error(
                file,
                location,
                format!(
                    "{one} would write the file {path}, but {two} needs {path} to be a folder (for {inner})",
                    path = a.path,
                ),
            )
            .with_hint("rename or remove one of them"),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_fails_on_a_file_the_build_cannot_read_and_names_it_as_the_site_does() {
        let dir = tempfile::tempdir().unwrap();
        let gone = Artifact {
            path: "style.css".to_string(),
            source: Source::File(dir.path().join("static/style.css")),
            origin: "static/style.css".to_string(),
        };
        let e = Sink::Nothing.pass(gone).unwrap_err().to_string();
        assert!(
            e.starts_with("static/style.css: error: cannot read: "),
            "{e}"
        );
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/style.css"), "p {}").unwrap();
        let there = Artifact {
            path: "style.css".to_string(),
            source: Source::File(dir.path().join("static/style.css")),
            origin: "static/style.css".to_string(),
        };
        assert_eq!(Sink::Nothing.pass(there).unwrap().path, "style.css");
    }
}
