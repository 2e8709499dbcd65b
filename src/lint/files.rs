//! Links and images to files of the site (`chart.png`, `/files/report.pdf`):
//! does the build publish something where each one points? A note's page
//! is a folder (`stories/x/`), so a relative file is looked for beside the
//! page, where a bundle's files are copied; a path from the root is looked
//! for under the site's base path, where `static/` is copied.
//!
//! The lints find these links while the pages render; the answer needs
//! every output path, so [`FileLink`]s wait for the build's artifacts and
//! [`broken`] reads them there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::content::Note;
use crate::diag::{Diagnostic, Location};

/// A link to a site file, waiting for the output's paths.
#[derive(Debug, Clone)]
pub struct FileLink {
    /// The linking note's file, relative to the site root.
    pub note: PathBuf,
    /// Where the link is written.
    pub location: Location,
    /// Written as an image (`![...](...)`)?
    pub image: bool,
    /// The destination as written.
    pub written: String,
    /// Where it leads in the output folder, or why it cannot be looked up.
    pub target: Result<String, Leaves>,
    /// Written in raw HTML?
    pub raw: bool,
    /// The linking note's index, `None` for an intro (for the hint, made
    /// only when nothing is there).
    pub from: Option<usize>,
}

impl FileLink {
    /// The link `f` written at `location` in the file `path` (the note
    /// `from`, or an intro), on the page at `route`.
    pub fn new(
        f: &crate::markdown::FileRef,
        path: &Path,
        from: Option<usize>,
        location: Location,
        route: &str,
        base: &str,
    ) -> FileLink {
        FileLink {
            note: path.to_path_buf(),
            location,
            image: f.image,
            written: f.dest.clone(),
            target: target(route, base, &f.dest),
            raw: f.raw,
            from,
        }
    }
}

/// Why a link to a file cannot be found in the output at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leaves {
    /// It starts with `/` but not with the site's base path (`/briefing/`).
    OutsideBase,
    /// Its `..` climb above the site's root.
    AboveRoot,
}

/// The file of the output folder that `dest`, written on the page whose
/// route is `route` (`stories/x/`), asks for: `stories/x/chart.png`,
/// `companies/index.html`. `base` is the base URL's path (`/` or
/// `/briefing/`). The fragment and query are dropped, `%20` decoded, and
/// a folder (`../`, `/companies/`) means its `index.html`.
pub fn target(route: &str, base: &str, dest: &str) -> Result<String, Leaves> {
    let dest = dest.split('#').next().unwrap_or("");
    let dest = dest.split('?').next().unwrap_or("");
    let joined = if dest.starts_with('/') {
        match dest.strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None if format!("{dest}/") == base => String::new(),
            None => return Err(Leaves::OutsideBase),
        }
    } else if dest.is_empty() {
        route.to_string()
    } else {
        format!("{route}{dest}")
    };
    let decoded = percent_encoding::percent_decode_str(&joined).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(Leaves::AboveRoot);
                }
            }
            p => parts.push(p),
        }
    }
    let last = decoded.rsplit('/').next().unwrap_or("");
    let mut path = parts.join("/");
    if matches!(last, "" | "." | "..") {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Ok(path)
}

/// Does `published` hold what `target` asks for? A path may name a
/// folder without its `/` (`/about`, `/v1.2`): servers answer with its
/// `index.html`.
fn found(published: &HashSet<&str>, target: &str) -> bool {
    published.contains(target) || published.contains(format!("{target}/index.html").as_str())
}

/// How many of a bundle's files a hint names.
const NAMED_FILES: usize = 6;

/// A hint for a link to a file the build will not publish, written in
/// `note`: a raw HTML link to a note's `.md`; what a bundle holds; how to
/// make a note a bundle (and where the file is, if it sits beside the
/// note); for a page of its own, `static/`. Only for a plain relative
/// path (`chart.png`, `maps/a.svg`): one that climbs (`../x`) or names a
/// folder gets none of these. Paths from the root get theirs in
/// [`broken`].
pub fn hint(root: &Path, note: Option<&Note>, dest: &str, raw: bool, base: &str) -> Option<String> {
    if raw && crate::markdown::is_relative_md(dest) {
        return Some(
            "raw HTML is not rewritten: link the note in Markdown, [text](the-note.md) or [[the note]]"
                .into(),
        );
    }
    if let Some(hint) = scheme_left_out(dest) {
        return Some(hint);
    }
    let file = dest.split(['#', '?']).next().unwrap_or("");
    let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
    let file = file.trim_start_matches("./");
    let plain = !file.is_empty()
        && !file.starts_with('/')
        && !file.ends_with('/')
        && !file.split('/').any(|p| p == ".." || p == ".");
    if !plain {
        return None;
    }
    // An intro (`_index.md`) is no note and has no folder either.
    let Some(note) = note.filter(|n| n.collection.is_some()) else {
        return Some(format!(
            "this page has no folder of its own for files: put the file in static/ and link it from the root, {base}{file}"
        ));
    };
    if let Some(dir) = note.bundle_dir() {
        let names: Vec<String> = note
            .assets
            .iter()
            .take(NAMED_FILES)
            .map(|a| crate::diag::slashed(a))
            .collect();
        let more = note.assets.len().saturating_sub(NAMED_FILES);
        return Some(match (names.is_empty(), more) {
            (true, _) => format!(
                "the bundle folder {} has no files beside index.md",
                dir.display()
            ),
            (false, 0) => format!(
                "the bundle folder {} has: {}",
                dir.display(),
                names.join(", ")
            ),
            (false, more) => format!(
                "the bundle folder {} has: {} and {more} more",
                dir.display(),
                names.join(", ")
            ),
        });
    }
    let parent = note.path.parent()?;
    let dir = parent.join(note.path.file_stem()?);
    let beside = parent.join(file);
    Some(if root.join(&beside).is_file() {
        format!(
            "files beside a note are not published; make it a bundle: move {} to {}/index.md \
             and {} into {}/",
            note.path.display(),
            dir.display(),
            beside.display(),
            dir.display()
        )
    } else {
        format!(
            "a note's own files go in a bundle: {}/index.md with {file} beside it",
            dir.display()
        )
    })
}

/// The warnings for the links whose target the output lacks; `published`
/// holds every output path, `base` is the base URL's path.
pub fn broken(
    root: &Path,
    notes: &[Note],
    links: Vec<FileLink>,
    published: &HashSet<&str>,
    base: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        let what = if link.image { "image" } else { "link to" };
        let message = match &link.target {
            Ok(target) if found(published, target) => continue,
            Ok(target) => {
                let shown = target.strip_suffix("index.html").unwrap_or(target);
                format!(
                    "broken {what} \"{}\": nothing is published at {base}{shown}",
                    link.written
                )
            }
            Err(Leaves::OutsideBase) => format!(
                "broken {what} \"{}\": it is outside the site's base path {base}",
                link.written
            ),
            Err(Leaves::AboveRoot) => format!(
                "broken {what} \"{}\": it climbs above the site's root with `..`",
                link.written
            ),
        };
        let mut d = Diagnostic::warning(&link.note, link.location, message);
        let hint = match &link.target {
            // The form from the page, which works wherever the site is
            // served: one from the host's root with the base path in it
            // breaks in `brief serve` and under another `--base-url`.
            Err(Leaves::OutsideBase) => Some(match link.from.and_then(|i| notes.get(i)) {
                Some(note) => format!(
                    "write it from the page: {}{}",
                    "../".repeat(note.key().split('/').count()),
                    link.written.trim_start_matches('/')
                ),
                None => "write it from the page (relative)".to_string(),
            }),
            Ok(target) if link.written.starts_with('/') => static_hint(root, target),
            Ok(_) => {
                let note = link.from.and_then(|i| notes.get(i));
                hint(root, note, &link.written, link.raw, base)
            }
            Err(Leaves::AboveRoot) => None,
        };
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        out.push(d);
    }
    out
}

/// For a path from the root: the file of `static/` it needs, if it names
/// a file (its last part has an extension), or why the one there is not
/// published.
fn static_hint(root: &Path, target: &str) -> Option<String> {
    let last = target.rsplit('/').next().unwrap_or(target);
    if !last.contains('.') || last == "index.html" {
        return None;
    }
    if root.join("static").join(target).is_file() {
        return Some(format!(
            "static/{target} is there, but its name is one never published (an editor's \
             leftover, .git, .DS_Store or .brief...)"
        ));
    }
    Some(format!(
        "static/ is published at the site's root: this needs the file static/{target}"
    ))
}

/// Top-level domains common enough to tell `example.com` (an address
/// without its scheme) from `chart.png`.
const DOMAINS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "int", "info", "biz", "io", "ai", "app", "dev", "co", "us",
    "uk", "cn", "hk", "tw", "jp", "kr", "in", "de", "fr", "eu", "ru", "br", "au", "ca", "nl", "se",
    "ch", "es", "it", "news", "blog",
];

/// For a destination that is a web or mail address without its scheme
/// (`example.com/about`, `press@example.org`): what to write instead.
fn scheme_left_out(dest: &str) -> Option<String> {
    let first = dest.split(['/', '#', '?']).next().unwrap_or("");
    if first.contains('@') && !dest.contains('/') {
        return Some(format!(
            "a mail address needs `mailto:`: [write to us](mailto:{dest})"
        ));
    }
    let (host, domain) = first.rsplit_once('.')?;
    let host_like = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    (host_like && DOMAINS.contains(&domain.to_ascii_lowercase().as_str()))
        .then(|| format!("a web address needs its scheme: https://{dest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_browser() {
        let t = |route, base, dest| target(route, base, dest);
        assert_eq!(
            t("stories/x/", "/", "chart.png"),
            Ok("stories/x/chart.png".into())
        );
        assert_eq!(
            t("stories/x/", "/", "a%20b.pdf#page=2"),
            Ok("stories/x/a b.pdf".into())
        );
        assert_eq!(
            t("stories/x/", "/", "../y/"),
            Ok("stories/y/index.html".into())
        );
        assert_eq!(t("stories/x/", "/", ".."), Ok("stories/index.html".into()));
        assert_eq!(
            t("stories/x/", "/", "?q=1"),
            Ok("stories/x/index.html".into())
        );
        assert_eq!(t("stories/x/", "/", "/img/a.png"), Ok("img/a.png".into()));
        assert_eq!(
            t("stories/x/", "/b/", "/b/img/a.png"),
            Ok("img/a.png".into())
        );
        assert_eq!(t("stories/x/", "/b/", "/b"), Ok("index.html".into()));
        assert_eq!(
            t("stories/x/", "/b/", "/img/a.png"),
            Err(Leaves::OutsideBase)
        );
        assert_eq!(t("x/", "/", "../../a.png"), Err(Leaves::AboveRoot));
        assert_eq!(t("", "/", "/"), Ok("index.html".into()));
    }

    #[test]
    fn addresses_without_their_scheme_are_told() {
        assert!(scheme_left_out("example.com").is_some_and(|h| h.contains("https://example.com")));
        assert!(scheme_left_out("kestrel.org/about").is_some());
        assert!(scheme_left_out("press@example.org").is_some_and(|h| h.contains("mailto:")));
        for file in [
            "chart.png",
            "report.pdf",
            "maps/a.svg",
            "index.html",
            ".com",
        ] {
            assert_eq!(scheme_left_out(file), None, "{file}");
        }
    }

    #[test]
    fn a_folder_may_be_named_without_its_slash() {
        let published: HashSet<&str> = ["about/index.html", "img/a.png", "v1.2/index.html"]
            .into_iter()
            .collect();
        assert!(found(&published, "about"));
        assert!(found(&published, "v1.2"));
        assert!(found(&published, "img/a.png"));
        assert!(!found(&published, "img/b.png"));
        assert!(!found(&published, "img"));
    }
}
