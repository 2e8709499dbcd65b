//! Lints: problems that do not stop a build but make a weaker briefing.
//! `brief check` reports them as warnings (and fails on them with
//! `--strict`); `brief build --strict` runs them too; a plain `build` never
//! pays for them.
//!
//! Reads the finished [`Model`] (notes, resolved links, summaries) and, for
//! prose, images and external links, a second look at each body through
//! [`markdown::inspect`]. Every warning is located `path:line:col`. It must
//! not change anything it reads, nor write files.

pub(crate) mod files;
pub(crate) mod urls;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::content::{Intro, Note};
use crate::diag::{Diagnostic, Location, Locator};
use crate::graph::Lookup;
use crate::markdown::{self, LinkKind};
use crate::mentions::Mentions;
use crate::model::Model;
use crate::render::PageIds;

/// Every lint warning of the site. `mentions`: the matcher over every
/// title and alias, if already made (see [`crate::graph::mention_names`]);
/// `ids`: the ids the templates give elements. Also every link to a file
/// of the site, to be looked for among the outputs ([`files::broken`]).
pub fn lint(
    root: &Path,
    model: &Model<'_>,
    mentions: Option<Mentions>,
    ids: &PageIds,
) -> (Vec<Diagnostic>, Vec<files::FileLink>) {
    let notes = &model.corpus.notes;
    let mentions =
        mentions.unwrap_or_else(|| Mentions::new(crate::graph::mention_names(model.corpus)));
    let linter = Linter {
        root,
        model,
        mentions,
        ids,
    };
    let per_note: Vec<(Vec<Diagnostic>, Vec<files::FileLink>)> = (0..notes.len())
        .into_par_iter()
        .with_max_len(crate::PAR_CHUNK)
        .map(|i| linter.note(i))
        .collect();
    let mut out = Vec::new();
    let mut file_links = Vec::new();
    for (warnings, links) in per_note {
        out.extend(warnings);
        file_links.extend(links);
    }
    out.extend(duplicate_titles(root, notes));
    let corpus = model.corpus;
    out.extend(corpus.unpublished.iter().map(|path| {
        let under = crate::diag::slashed(path.strip_prefix("content").unwrap_or(path));
        Diagnostic::warning(
            path,
            Location::default(),
            "not published: a file under content/ is published only in a note's bundle \
             (a folder with an index.md)",
        )
        .with_hint(format!(
            "to publish it at /{under}, move it to static/{under}"
        ))
    }));
    let base = model.urls.base().path();
    let home = corpus.home.iter().map(|i| (i, String::new()));
    let lists = corpus
        .intros
        .iter()
        .map(|(c, i)| (i, crate::urls::list_route(c, 1)));
    for (intro, route) in home.chain(lists) {
        let settings = model.config.markdown;
        intro_lints(intro, &route, base, settings, &mut out, &mut file_links);
    }
    (out, file_links)
}

/// The lints that apply to an intro (`_index.md`, shown at the top of the
/// home page or of a list page at `route`): images without alt text,
/// malformed external URLs and links to files.
fn intro_lints(
    intro: &Intro,
    route: &str,
    base: &str,
    settings: markdown::Settings,
    out: &mut Vec<Diagnostic>,
    file_links: &mut Vec<files::FileLink>,
) {
    let inspection = markdown::inspect_with(&intro.body, settings);
    let locator = Locator::new(&intro.body);
    let at = |offset: usize| {
        let l = locator.locate(offset);
        Location::new(l.line + intro.body_line - 1, l.col)
    };
    body_warnings(&intro.path, &inspection, &at, out);
    file_links.extend(
        inspection
            .file_links
            .iter()
            .map(|f| files::FileLink::new(f, &intro.path, None, at(f.span.start), route, base)),
    );
}

/// Warnings any Markdown body can earn: images without alt text, an
/// HTML comment never closed and malformed external URLs.
fn body_warnings(
    path: &Path,
    inspection: &markdown::Inspection,
    at: &dyn Fn(usize) -> Location,
    out: &mut Vec<Diagnostic>,
) {
    for span in &inspection.images_without_alt {
        out.push(
            Diagnostic::warning(path, at(span.start), "image without alt text")
                .with_hint("describe what it shows: ![a chart of cloud revenue](chart.png)"),
        );
    }
    for (label, start) in &inspection.duplicate_footnotes {
        out.push(
            Diagnostic::warning(
                path,
                at(*start),
                format!("footnote [^{label}] is defined twice: both texts show under one number"),
            )
            .with_hint("merge the two, or give one another label"),
        );
    }
    for &start in &inspection.empty_headings {
        out.push(
            Diagnostic::warning(path, at(start), "empty heading: it has no words")
                .with_hint("write its title after the `#`s, or remove the line"),
        );
    }
    if let Some(start) = inspection.comment_left_open {
        out.push(
            Diagnostic::warning(
                path,
                at(start),
                "HTML comment never closed: it hides everything after it in the note",
            )
            .with_hint(
                "end it with `-->` where it should stop (brief ends it with the note, so the rest \
                 of the page still shows)",
            ),
        );
    }
    for (url, span) in &inspection.external_links {
        if let Some(why) = urls::problem(url) {
            out.push(Diagnostic::warning(
                path,
                at(span.start),
                format!("malformed external URL \"{url}\": {why}"),
            ));
        }
    }
}

struct Linter<'a> {
    root: &'a Path,
    model: &'a Model<'a>,
    mentions: Mentions,
    ids: &'a PageIds,
}

/// The location of a front-matter line starting with `key:` (re-read from
/// disk, only when a lint needs it), or the file's first line.
fn key_location(root: &Path, note: &Note, key: &str) -> Location {
    let Ok(text) = crate::content::read_text(root, &note.path) else {
        return Location::new(1, 1);
    };
    let prefix = format!("{key}:");
    text.lines()
        .take(note.body_line)
        .position(|l| l.starts_with(&prefix))
        .map_or(Location::new(1, 1), |i| Location::new(i + 1, 1))
}

/// The note's text (re-read from disk, only when a lint needs it) and
/// where its front matter ends.
fn with_front_matter(root: &Path, note: &Note) -> Option<(String, usize)> {
    let text = crate::content::read_text(root, &note.path).ok()?;
    let end: usize = text
        .split_inclusive('\n')
        .take(note.body_line.saturating_sub(1))
        .map(str::len)
        .sum();
    Some((text, end))
}

/// The location of `needle` in the note's front matter, if written there.
fn value_location(root: &Path, note: &Note, needle: &str) -> Location {
    let Some((text, end)) = with_front_matter(root, note) else {
        return Location::new(1, 1);
    };
    text[..end]
        .find(needle)
        .map_or(Location::new(1, 1), |at| Location::of_offset(&text, at))
}

/// Every string in a front-matter value, depth first.
fn strings<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

impl Linter<'_> {
    fn note(&self, i: usize) -> (Vec<Diagnostic>, Vec<files::FileLink>) {
        let m = self.model;
        let note = &m.corpus.notes[i];
        let body = &note.body;
        let locator = Locator::new(body);
        let at = |offset: usize| {
            let l = locator.locate(offset);
            Location::new(l.line + note.body_line - 1, l.col)
        };
        let warn = |location: Location, message: String| {
            Diagnostic::warning(&note.path, location, message)
        };
        let mut out = Vec::new();
        let key = note.key();
        // A role or a relation links both of its notes' pages.
        let tied = m.knowledge.relations.has_partners(i as u32);
        if note.collection.is_some() && m.linked.backlinks[i].is_empty() && !tied {
            out.push(
                warn(
                    Location::new(1, 1),
                    format!("no other note links to \"{}\"", note.title),
                )
                .with_hint(format!(
                    "link it from a related note with [[{key}]] or in a front-matter list"
                )),
            );
        }
        self.stub_references(i, &at, &mut out);
        // Made by the link pass, unless its rendering was reused.
        let made;
        let inspection = match &m.linked.bodies[i].inspection {
            Some(inspection) => inspection,
            None => {
                made = markdown::inspect_with(body, m.config.markdown);
                &made
            }
        };
        let mut reported = HashSet::new();
        for prose in &inspection.prose {
            let text = prose.text(body);
            let linked = &m.linked.outgoing[i];
            for found in self.mentions.find(text, i as u32, linked, &mut reported) {
                let target = m.linked.index.key(found.target);
                out.push(
                    warn(
                        at(prose.source(found.offset)),
                        format!("\"{}\" mentions {target} without linking it", found.name),
                    )
                    .with_hint(format!("link it: [[{}]]", found.name)),
                );
            }
        }
        body_warnings(&note.path, inspection, &at, &mut out);
        self.local_links(i, inspection, &at, &mut out);
        let mut values = Vec::new();
        for (_, v) in note.extra.iter() {
            strings(v, &mut values);
        }
        for url in values.into_iter().filter(|s| urls::looks_like_url(s)) {
            if let Some(why) = urls::problem(url) {
                let location = value_location(self.root, note, url);
                out.push(warn(
                    location,
                    format!("malformed external URL \"{url}\": {why}"),
                ));
            }
        }
        self.summary(i, &mut out);
        let file_links = self.file_links(i, inspection, &at);
        (out, file_links)
    }

    /// The note's links and images to files of the site, with where each
    /// leads in the output.
    fn file_links(
        &self,
        i: usize,
        inspection: &markdown::Inspection,
        at: &dyn Fn(usize) -> Location,
    ) -> Vec<files::FileLink> {
        let note = &self.model.corpus.notes[i];
        let route = &self.model.linked.routes[i];
        let base = self.model.urls.base().path();
        inspection
            .file_links
            .iter()
            .map(|f| files::FileLink::new(f, &note.path, Some(i), at(f.span.start), route, base))
            .collect()
    }

    /// Links to a place on the note's own page (`[x](#plans)`) that no
    /// heading, footnote, element of the body or of the templates has.
    fn local_links(
        &self,
        i: usize,
        inspection: &markdown::Inspection,
        at: &dyn Fn(usize) -> Location,
        out: &mut Vec<Diagnostic>,
    ) {
        let headings = &self.model.linked.bodies[i].headings;
        for (written, span) in &inspection.local_links {
            let id = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
            let id = id.as_ref();
            // `#top` is the page's top in every browser.
            if id.eq_ignore_ascii_case("top")
                || headings.iter().any(|h| h.id == id)
                || inspection.ids.iter().any(|x| x == id)
                || self.ids.has(id)
            {
                continue;
            }
            let hint = if headings.is_empty() {
                "this note has no headings; [[note#Heading]] links a heading of another note"
                    .to_string()
            } else {
                let ids: Vec<String> = headings
                    .iter()
                    .take(8)
                    .map(|h| format!("#{}", h.id))
                    .collect();
                format!(
                    "its headings: {} ([[#Heading]] finds one by its name)",
                    ids.join(", ")
                )
            };
            out.push(
                Diagnostic::warning(
                    &self.model.corpus.notes[i].path,
                    at(span.start),
                    format!("broken link to \"#{written}\": nothing on this page has this id"),
                )
                .with_hint(hint),
            );
        }
    }

    /// References (front matter and wikilinks) that landed on a stub page.
    fn stub_references(&self, i: usize, at: &dyn Fn(usize) -> Location, out: &mut Vec<Diagnostic>) {
        let m = self.model;
        let note = &m.corpus.notes[i];
        let n = m.corpus.notes.len() as u32;
        let message = |text: &str, id: u32, within: Option<&str>| {
            let key = m.linked.index.key(id);
            // A typo of a note's name made this stub, most likely.
            let near = m.linked.index.hint_among(text, within, n);
            let hint = match near {
                Some(near) => format!("{near} (or write content/{key}.md)"),
                None => format!("write content/{key}.md, or refer to an existing note"),
            };
            Diagnostic::warning(
                &note.path,
                Location::default(),
                format!("\"{text}\" refers to a stub: there is no note {key} yet"),
            )
            .with_hint(hint)
        };
        for list in &note.refs {
            for item in &list.items {
                if let Lookup::Found(id) = m.linked.index.lookup(&item.text, Some(&list.key)) {
                    if id >= n {
                        let mut d = message(&item.text, id, Some(&list.key));
                        d.location = item.location;
                        out.push(d);
                    }
                }
            }
        }
        for link in &m.linked.bodies[i].links {
            if link.kind == LinkKind::Wikilink && link.target >= n {
                let written = &note.body[link.span.clone()];
                let text = written.trim_start_matches("[[").trim_end_matches("]]");
                let text = text.split('|').next().unwrap_or(text);
                let mut d = message(text, link.target, None);
                d.location = at(link.span.start);
                out.push(d);
            }
        }
    }

    fn summary(&self, i: usize, out: &mut Vec<Diagnostic>) {
        let m = self.model;
        let note = &m.corpus.notes[i];
        let empty = match &note.summary {
            Some(s) => s.trim().is_empty(),
            None => m.links[i].summary.trim().is_empty(),
        };
        let required = |c: &String| {
            m.config
                .collection(c)
                .required
                .iter()
                .any(|k| k == "summary")
        };
        if !empty || (note.summary.is_some() && note.collection.as_ref().is_some_and(required)) {
            // A required summary left empty is told as the note is read.
            return;
        }
        let (location, message) = if note.summary.is_some() {
            (
                key_location(self.root, note, "summary"),
                "the summary is empty",
            )
        } else {
            (
                Location::new(1, 1),
                "no summary and no first paragraph: lists and feeds show nothing for this note",
            )
        };
        out.push(
            Diagnostic::warning(&note.path, location, message)
                .with_hint("add a line `summary: ...` to the front matter"),
        );
    }
}

/// Notes sharing a title (ignoring case): each after the first, by path;
/// and an alias that is another note's title or alias too, which a
/// `[[name]]` cannot tell apart (and auto-linking passes over).
fn duplicate_titles(root: &Path, notes: &[Note]) -> Vec<Diagnostic> {
    let mut by_title: BTreeMap<String, Vec<&Note>> = BTreeMap::new();
    for n in notes {
        by_title.entry(n.title.to_lowercase()).or_default().push(n);
    }
    let mut out = Vec::new();
    for same in by_title.values().filter(|v| v.len() > 1) {
        let first = crate::diag::slashed(&same[0].path);
        for n in &same[1..] {
            out.push(
                Diagnostic::warning(
                    &n.path,
                    key_location(root, n, "title"),
                    format!("duplicate title \"{}\": {first} has it too", n.title),
                )
                .with_hint(
                    "readers and [[title]] links cannot tell them apart; make one more specific",
                ),
            );
        }
    }
    // Aliases: the first note (by path) to give a name keeps it; a later
    // alias of it is told. A title is always first.
    let mut named: HashMap<String, &Note> = HashMap::new();
    for n in notes {
        named.entry(n.title.trim().to_lowercase()).or_insert(n);
    }
    for n in notes {
        for alias in &n.aliases {
            // As links read names: without the spaces around them.
            let lower = alias.trim().to_lowercase();
            let first = *named.entry(lower).or_insert(n);
            if std::ptr::eq(first, n) {
                continue;
            }
            let what = if first.title.trim().to_lowercase() == alias.trim().to_lowercase() {
                "the title"
            } else {
                "an alias"
            };
            out.push(
                Diagnostic::warning(
                    &n.path,
                    alias_location(root, n, alias),
                    format!(
                        "alias \"{alias}\" is {what} of {} too",
                        crate::diag::slashed(&first.path)
                    ),
                )
                .with_hint(
                    "[[name]] links cannot tell the two apart and autolink skips the name; remove the alias or make it more specific",
                ),
            );
        }
    }
    out
}

/// Where `alias` is written in the note's `aliases:`, else its first line.
fn alias_location(root: &Path, note: &Note, alias: &str) -> Location {
    let Some((text, end)) = with_front_matter(root, note) else {
        return Location::new(1, 1);
    };
    let front = &text[..end];
    let after = front
        .match_indices("aliases:")
        .find(|(at, _)| *at == 0 || front.as_bytes()[at - 1] == b'\n')
        .map_or(0, |(at, _)| at);
    // The alias as a whole item: not inside a longer one (`Ding Lei Jr`).
    let whole = |at: usize| {
        let before = front[..at]
            .trim_end_matches([' ', '"', '\''])
            .chars()
            .last();
        let after = front[at + alias.len()..]
            .trim_start_matches([' ', '"', '\''])
            .chars()
            .next();
        matches!(before, Some('[' | ',' | '-' | ':'))
            && matches!(after, None | Some(',' | ']' | '\n' | '\r' | '#'))
    };
    front[after..]
        .match_indices(alias)
        .map(|(at, _)| after + at)
        .find(|&at| whole(at))
        .map_or(Location::new(1, 1), |at| Location::of_offset(&text, at))
}

#[cfg(test)]
mod tests {
    use super::urls::problem;

    #[test]
    fn malformed_urls_are_named() {
        for good in [
            "https://example.org/a?b#c",
            "http://localhost:8080/",
            "https://user@example.org",
            "mailto:a@b.org",
            "https://[::1]/",
            "https://例子.中国/",
            "ftp://files.example.org/x",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
        for bad in [
            "http:/example.org",
            "https://",
            "https://exa mple.org",
            "https://example..org",
            "https://example.org:80x/",
            "www.example.org",
            "htps://example.org",
            "https://example",
            "mailto:nobody",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
