//! Linking: resolve every reference (front matter and prose), create stub
//! pages, render note bodies, and record every edge with its backlink.
//!
//! Owns the meaning of a reference (SPEC section 3). It calls `markdown`
//! through the [`markdown::Resolver`] trait and hands `render` a finished,
//! read-only [`Linked`]; it never formats pages or touches the disk.

mod fragments;
mod names;
mod resolver;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

pub use names::{Lookup, NameIndex};

use crate::config::SiteConfig;
use crate::content::{Corpus, Intro, Note};
use crate::diag::{self, Diagnostic, Diagnostics, Location, Locator};
use crate::markdown::{self, AutoLink, LinkKind, Rendered};
use crate::mentions::Mentions;
use crate::urls::{note_route, Urls};
use resolver::{is_provisional, NoteResolver, StubRequests};

/// A generated page for a missing note in a `stubs` collection.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stub {
    /// Its collection.
    pub collection: String,
    /// Its slug.
    pub slug: String,
    /// The name it was referred to by.
    pub title: String,
}

/// How one note links to another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// A front-matter list named after the target's collection.
    Reference(String),
    /// `[[target]]` in prose.
    Wikilink,
    /// `[text](target.md)` in prose.
    Relative,
    /// An auto-linked mention in prose.
    Mention,
}

/// A link from one note (or stub) to another, by id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The linking note.
    pub from: u32,
    /// The linked note.
    pub to: u32,
    /// How.
    pub kind: EdgeKind,
}

/// The resolved site: notes, stubs, bodies and every edge.
#[derive(Debug)]
pub struct Linked {
    /// Every name of every note and stub; note `i` of the corpus is id `i`,
    /// stubs follow.
    pub index: NameIndex,
    /// Stub pages, ids `notes.len()..`.
    pub stubs: Vec<Stub>,
    /// Each note's front-matter references, resolved: (key, ids).
    pub refs: Vec<Vec<(String, Vec<u32>)>>,
    /// Each note's rendered body.
    pub bodies: Vec<Rendered>,
    /// Every edge, sorted and without duplicates.
    pub edges: Vec<Edge>,
    /// For each id, the ids linking to it, sorted newest first.
    pub backlinks: Vec<Vec<u32>>,
    /// For each id, the ids it links to (any kind), by id.
    pub outgoing: Vec<Vec<u32>>,
    /// Every id (notes, then stubs) in [`sort_ids`] order. It depends on
    /// dates, titles and keys only, which a session's edit of a body or
    /// summary leaves as they are.
    pub order: Vec<u32>,
    /// Each id's route (`companies/alibaba/`).
    pub routes: Vec<String>,
    /// The home page's `_index.md` body.
    pub home_intro: Option<Rendered>,
    /// Each collection's `_index.md` body.
    pub intros: BTreeMap<String, Rendered>,
    /// Per note, what its auto-linking depended on (0: off), for the cache.
    pub autolink_keys: Vec<u64>,
    /// Note ids by lowercase `/`-separated file path (for `.md` links).
    pub by_path: HashMap<String, u32>,
    /// The auto-linking matcher, when `autolink` is on.
    pub mentions: Option<Mentions>,
    /// How the bodies were written out (`site.yaml`'s `markdown:`).
    pub settings: markdown::Settings,
}

impl Linked {
    /// Is `id` a stub rather than a note?
    pub fn is_stub(&self, id: u32, notes: &[Note]) -> bool {
        id as usize >= notes.len()
    }
}

/// Ids of the dated-first sort: newest first, then title, then key.
pub fn sort_ids(ids: &mut [u32], notes: &[Note], stubs: &[Stub]) {
    ids.par_sort_by_cached_key(|&id| match notes.get(id as usize) {
        Some(n) => (
            std::cmp::Reverse(n.date.map_or((i32::MIN, i64::MIN), |d| d.sort_key())),
            n.title.to_lowercase(),
            n.key(),
        ),
        None => {
            let s = &stubs[id as usize - notes.len()];
            (
                std::cmp::Reverse((i32::MIN, i64::MIN)),
                s.title.to_lowercase(),
                format!("{}/{}", s.collection, s.slug),
            )
        }
    });
}

fn stub_collections(corpus: &Corpus, config: &SiteConfig) -> Vec<String> {
    corpus
        .collections
        .iter()
        .filter(|c| config.collection(c).stubs)
        .cloned()
        .collect()
}

/// One note's resolved front-matter lists: (key, ids).
pub type RefLists = Vec<(String, Vec<u32>)>;

/// Resolves front-matter references; missing ones in stub collections
/// become stub requests. The reference lists of notes that cannot be built
/// are checked too (their problems reported, their ids dropped).
fn resolve_front_matter(
    corpus: &Corpus,
    index: &NameIndex,
    stubs: &StubRequests,
    diags: &mut Diagnostics,
) -> Vec<Vec<(String, Vec<u32>)>> {
    let results: Vec<(RefLists, Vec<Diagnostic>)> = corpus
        .notes
        .par_iter()
        .enumerate()
        .map(|(i, note)| resolve_lists(&note.path, &note.refs, i as u32, corpus, index, stubs))
        .collect();
    for unbuilt in &corpus.unbuilt {
        let (_, errors) =
            resolve_lists(&unbuilt.path, &unbuilt.refs, u32::MAX, corpus, index, stubs);
        diags.extend(errors);
    }
    results
        .into_iter()
        .map(|(lists, errors)| {
            diags.extend(errors);
            lists
        })
        .collect()
}

/// One note's reference lists, resolved, and their problems. `note` is
/// its place among the notes (for the titles of stubs).
fn resolve_lists(
    path: &Path,
    lists: &[crate::content::frontmatter::RefList],
    note: u32,
    corpus: &Corpus,
    index: &NameIndex,
    stubs: &StubRequests,
) -> (RefLists, Vec<Diagnostic>) {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut more = 0;
    let mut written = 0u32;
    let lists = lists
        .iter()
        .map(|list| {
            let mut ids: Vec<u32> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for item in &list.items {
                let id = match index.lookup(&item.text, Some(&list.key)) {
                    Lookup::Found(id) => Some(id),
                    Lookup::Missing | Lookup::Ambiguous(_)
                        if errors.len() >= diag::MAX_PER_FILE
                            && !stubs.allows(&list.key) =>
                    {
                        more += 1;
                        None
                    }
                    Lookup::Missing if stubs.allows(&list.key) => {
                        written += 1;
                        match stubs.request(&list.key, &item.text, (note, written)) {
                            Ok(id) => Some(id),
                            // No page name to make.
                            Err(no) => {
                                let what = format!(
                                    "reference \"{}\" in `{}`",
                                    diag::excerpt(&item.text),
                                    list.key
                                );
                                errors.push(
                                    Diagnostic::error(path, item.location, no.message(&what))
                                        .with_hint(no.hint()),
                                );
                                None
                            }
                        }
                    }
                    Lookup::Missing if corpus.may_name_broken(Some(&list.key), &item.text) => None,
                    Lookup::Missing => {
                        let mut d = Diagnostic::error(
                            path,
                            item.location,
                            format!(
                                "unknown reference \"{}\" in `{}`: no note in {} has this slug, title or alias",
                                item.text, list.key, list.key
                            ),
                        );
                        let hint = corpus
                            .draft_hint(Some(&list.key), &item.text)
                            .or_else(|| index.hint(&item.text, Some(&list.key)));
                        if let Some(h) = hint {
                            d = d.with_hint(h);
                        }
                        errors.push(d);
                        None
                    }
                    Lookup::Ambiguous(ids) => {
                        errors.push(
                            Diagnostic::error(
                                path,
                                item.location,
                                format!(
                                    "ambiguous reference \"{}\": it names {}",
                                    item.text,
                                    index.keys(&ids)
                                ),
                            )
                            .with_hint(index.pick_hint(&ids, false)),
                        );
                        None
                    }
                };
                if let Some(id) = id {
                    if seen.insert(id) {
                        ids.push(id);
                    }
                }
            }
            (list.key.clone(), ids)
        })
        .collect();
    if let Some(last) = errors.last_mut().filter(|_| more > 0) {
        last.hide_more(more);
    }
    (lists, errors)
}

/// Resolves and renders the whole corpus.
pub fn link(corpus: &Corpus, config: &SiteConfig, urls: &Urls) -> Result<Linked, Diagnostics> {
    link_cached(
        corpus,
        config,
        urls,
        None,
        markdown::Keep::QUERIES,
        Vec::new(),
    )
    .map_err(|f| f.diags)
}

/// Links that could not all be resolved: the problems, and the names the
/// links were resolved by (notes and stubs), against which the roles and
/// relations can still be checked in the same run.
#[derive(Debug)]
pub struct LinkFailure {
    /// The problems found.
    pub diags: Diagnostics,
    /// Every name of every note and stub.
    pub index: NameIndex,
}

/// An earlier rendering of a note body, with what it was made from.
#[derive(Debug, Clone)]
pub struct CachedBody {
    text: String,
    autolink: u64,
    rendered: Rendered,
}

/// Earlier renderings of note bodies, by note path.
pub type BodyCache = HashMap<std::path::PathBuf, CachedBody>;

/// The bodies of `linked`, kept for the next `link_cached`.
pub fn body_cache(corpus: &Corpus, linked: &Linked) -> BodyCache {
    corpus
        .notes
        .iter()
        .zip(&linked.bodies)
        .zip(&linked.autolink_keys)
        .map(|((n, b), &autolink)| {
            let cached = CachedBody {
                text: n.body.clone(),
                autolink,
                rendered: b.clone(),
            };
            (n.path.clone(), cached)
        })
        .collect()
}

/// The matcher for auto-linked mentions over every note's title and aliases.
fn mentions(corpus: &Corpus) -> Mentions {
    Mentions::new(mention_names(corpus))
}

/// Every note's title and aliases, with its id: what [`Mentions`] looks for.
/// Standalone pages (`about.md`) are left out: they are about the site, not
/// its subjects, and their titles ("About", "Contact") are everyday words.
pub fn mention_names(corpus: &Corpus) -> Vec<(u32, String)> {
    corpus
        .notes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.collection.is_some())
        .flat_map(|(i, n)| {
            std::iter::once((i as u32, n.title.clone()))
                .chain(n.aliases.iter().map(move |a| (i as u32, a.clone())))
        })
        .collect()
}

/// `link`, reusing a body's earlier rendering when its text is the same and
/// every link in it still resolves the same way; each body rendered keeps
/// what `keep` asks for (a session needs the queries to reuse it later).
///
/// `handed` is empty, or holds every note's Markdown body, taken from
/// `corpus` by a caller that needs none of them after this stage (a plain
/// build): each is then let go as soon as it is rendered, so that its
/// memory can serve the HTML that follows (at 100,000 stories the bodies
/// are 300 MB), unless its problems or its links into headings are still
/// to be located in it.
pub fn link_cached<'c>(
    corpus: &'c Corpus,
    config: &SiteConfig,
    urls: &Urls,
    previous: Option<&BodyCache>,
    keep: markdown::Keep,
    mut handed: Vec<String>,
) -> Result<Linked, Box<LinkFailure>> {
    let settings = config.markdown;
    let is_handed = !handed.is_empty() && handed.len() == corpus.notes.len();
    if !is_handed {
        handed = vec![String::new(); corpus.notes.len()];
    }
    let mut diags = Diagnostics::new();
    let mut index = NameIndex::build(&corpus.notes);
    let mut routes: Vec<String> = corpus
        .notes
        .iter()
        .map(|n| note_route(n.collection.as_deref(), &n.dirs, &n.slug))
        .collect();
    let by_path: HashMap<String, u32> = corpus
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| (path_key(&n.path), i as u32))
        .collect();

    // Front-matter stubs first, so that prose can link to them by name.
    let requests = StubRequests::new(stub_collections(corpus, config));
    let mut refs = resolve_front_matter(corpus, &index, &requests, &mut diags);
    let mut stubs = Vec::new();
    requests.settle(&mut index, &mut stubs, &mut routes, &mut refs, &mut []);

    let requests = StubRequests::new(stub_collections(corpus, config));
    let mentions = config.autolink.then(|| mentions(corpus));
    // What auto-linking a body depends on: 0 when it is off for the note.
    let autolink_keys: Vec<u64> = corpus
        .notes
        .iter()
        .map(|n| match &mentions {
            Some(m) if n.autolink != Some(false) => m.fingerprint(),
            _ => 0,
        })
        .collect();
    // What the links of the file at `path` are resolved against.
    let resolver_for = |path: &'c Path, note: u32| NoteResolver {
        index: &index,
        dir: path.parent().unwrap_or(Path::new("")),
        by_path: &by_path,
        routes: &routes,
        urls,
        stubs: &requests,
        corpus,
        failures: Default::default(),
        place: std::cell::Cell::new((note, 0)),
    };
    let (mut bodies, kept): (Vec<Rendered>, Vec<String>) = corpus
        .notes
        .par_iter()
        .zip(handed.par_iter_mut())
        .with_max_len(crate::PAR_CHUNK)
        .enumerate()
        .map(|(i, (note, handed))| {
            let text = std::mem::take(handed);
            let source = if is_handed { &text } else { &note.body };
            let resolver = resolver_for(&note.path, i as u32);
            let key = autolink_keys[i];
            let cached = previous
                .and_then(|c| c.get(&note.path))
                .filter(|c| c.text == *source && c.autolink == key);
            if let Some(body) = cached.and_then(|c| markdown::replay(&c.rendered, &resolver)) {
                return (body, text);
            }
            let auto = mentions.as_ref().filter(|_| key != 0).map(|m| AutoLink {
                mentions: m,
                from: i as u32,
            });
            let body = markdown::render_keeping(source, &resolver, auto.as_ref(), keep, settings);
            // A body that made a stub is rendered again below.
            let located_later = !body.problems.is_empty()
                || body
                    .links
                    .iter()
                    .any(|l| l.fragment.is_some() || is_provisional(l.target));
            (body, if located_later { text } else { String::new() })
        })
        .unzip();
    drop(handed);
    let kept = is_handed.then_some(kept.as_slice());
    // The bodies that link to a stub no front matter names (made by the
    // first body to ask): its title is settled only once every body has
    // asked, so these are rendered again with it, and a link written as
    // its slug shows that title whichever thread asked first.
    let made_stubs: Vec<usize> = bodies
        .iter()
        .enumerate()
        .filter(|(_, b)| b.links.iter().any(|l| is_provisional(l.target)))
        .map(|(i, _)| i)
        .collect();
    // A note that cannot be built has its body's links checked all the
    // same, so that its problems come in this run too.
    let unbuilt: Vec<Rendered> = corpus
        .unbuilt
        .par_iter()
        .map(|u| markdown::render(&u.body, &resolver_for(&u.path, u32::MAX)))
        .collect();
    requests.settle(&mut index, &mut stubs, &mut routes, &mut [], &mut bodies);
    for (u, body) in corpus.unbuilt.iter().zip(&unbuilt) {
        body_problems(&u.path, &u.body, u.body_line, body, &mut diags);
    }
    // Every stub is in the index now: no more are made.
    let no_stubs = StubRequests::new(Vec::new());
    let settled_for = |path: &'c Path| NoteResolver {
        index: &index,
        dir: path.parent().unwrap_or(Path::new("")),
        by_path: &by_path,
        routes: &routes,
        urls,
        stubs: &no_stubs,
        corpus,
        failures: Default::default(),
        place: Default::default(),
    };
    let again: Vec<(usize, Rendered)> = made_stubs
        .par_iter()
        .map(|&i| {
            let note = &corpus.notes[i];
            let resolver = settled_for(&note.path);
            let auto = mentions
                .as_ref()
                .filter(|_| autolink_keys[i] != 0)
                .map(|m| AutoLink {
                    mentions: m,
                    from: i as u32,
                });
            let source = text_of(kept, i, note);
            (
                i,
                markdown::render_keeping(source, &resolver, auto.as_ref(), keep, settings),
            )
        })
        .collect();
    for (i, body) in again {
        bodies[i] = body;
    }

    // Intros link to notes (and stubs) but are not notes: no stub requests.
    let mut render_intro = |intro: &'c Intro| {
        let resolver = settled_for(&intro.path);
        let body = markdown::render_keeping(
            &intro.body,
            &resolver,
            None,
            markdown::Keep::QUERIES,
            settings,
        );
        body_problems(&intro.path, &intro.body, intro.body_line, &body, &mut diags);
        body
    };
    let home_intro = corpus.home.as_ref().map(&mut render_intro);
    let intros: BTreeMap<String, Rendered> = corpus
        .intros
        .iter()
        .map(|(c, i)| (c.clone(), render_intro(i)))
        .collect();
    for (i, (note, body)) in corpus.notes.iter().zip(&bodies).enumerate() {
        body_problems(
            &note.path,
            text_of(kept, i, note),
            note.body_line,
            body,
            &mut diags,
        );
    }
    check_fragments(
        corpus,
        kept,
        (&bodies, &unbuilt),
        home_intro.as_ref(),
        &intros,
        &index,
        &mut diags,
    );
    if diags.has_errors() {
        return Err(Box::new(LinkFailure { diags, index }));
    }
    let edges = collect_edges(&refs, &bodies);
    let (outgoing, backlinks, order) = adjacency(&edges, index.len(), corpus, &stubs);
    Ok(Linked {
        index,
        stubs,
        refs,
        bodies,
        edges,
        backlinks,
        outgoing,
        order,
        routes,
        home_intro,
        intros,
        autolink_keys,
        by_path,
        mentions,
        settings,
    })
}

/// Renders note `id`'s new `body` against the site as linked, for a
/// session's edit of one body: `None` unless the new body asks exactly the
/// same link questions as the old one (so every edge, stub and backlink
/// stays as it is) and renders without a problem.
pub fn rerender_body(
    corpus: &Corpus,
    urls: &Urls,
    linked: &Linked,
    id: u32,
    note: &Note,
) -> Option<Rendered> {
    let old = linked.bodies.get(id as usize)?;
    let no_stubs = StubRequests::new(Vec::new());
    let resolver = NoteResolver {
        index: &linked.index,
        dir: note.path.parent().unwrap_or(Path::new("")),
        by_path: &linked.by_path,
        routes: &linked.routes,
        urls,
        stubs: &no_stubs,
        corpus,
        failures: Default::default(),
        place: Default::default(),
    };
    let key = *linked.autolink_keys.get(id as usize)?;
    let auto = linked
        .mentions
        .as_ref()
        .filter(|_| key != 0)
        .map(|m| AutoLink {
            mentions: m,
            from: id,
        });
    let new = markdown::render_keeping(
        &note.body,
        &resolver,
        auto.as_ref(),
        markdown::Keep::QUERIES,
        linked.settings,
    );
    /// A link question and its answer, borrowed.
    type Question<'r> = (LinkKind, &'r str, &'r Option<(String, String, bool)>);
    fn questions(r: &Rendered) -> Vec<Question<'_>> {
        let mut q: Vec<Question<'_>> = r
            .queries
            .iter()
            .map(|q| (q.kind, q.text.as_str(), &q.answer))
            .collect();
        q.sort();
        q
    }
    let edges = |r: &Rendered| {
        let mut e: Vec<(u32, LinkKind)> = r.links.iter().map(|l| (l.target, l.kind)).collect();
        e.sort();
        e.dedup();
        e
    };
    let heading_ids = |r: &Rendered| r.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let same_links = questions(&new) == questions(old) && edges(&new) == edges(old);
    if !same_links
        || !new.problems.is_empty()
        || new.more_problems > 0
        || heading_ids(&new) != heading_ids(old)
    {
        return None;
    }
    // Links into headings, its own included, must still find them.
    let mut diags = Diagnostics::new();
    let source = fragments::Source {
        path: &note.path,
        body: &note.body,
        body_line: note.body_line,
        rendered: &new,
    };
    fragments::check(&source, &linked.bodies, &linked.index, &mut diags);
    diags.is_empty().then_some(new)
}

/// The text note `i`'s problems are located in: its body as the corpus
/// holds it, or as `kept` from the bodies handed to [`link_cached`].
fn text_of<'a>(kept: Option<&'a [String]>, i: usize, note: &'a Note) -> &'a str {
    match kept {
        Some(kept) => kept.get(i).map_or("", String::as_str),
        None => &note.body,
    }
}

/// Links to headings that their targets do not have, in notes and intros.
fn check_fragments(
    corpus: &Corpus,
    kept: Option<&[String]>,
    (bodies, unbuilt): (&[Rendered], &[Rendered]),
    home_intro: Option<&Rendered>,
    intros: &BTreeMap<String, Rendered>,
    index: &NameIndex,
    diags: &mut Diagnostics,
) {
    let notes = corpus
        .notes
        .iter()
        .zip(bodies)
        .enumerate()
        .map(|(i, (n, r))| fragments::Source {
            path: &n.path,
            body: text_of(kept, i, n),
            body_line: n.body_line,
            rendered: r,
        });
    let home = corpus.home.iter().zip(home_intro);
    let sections = corpus
        .intros
        .iter()
        .filter_map(|(c, i)| intros.get(c).map(|r| (i, r)));
    let intro_sources = home.chain(sections).map(|(i, r)| fragments::Source {
        path: &i.path,
        body: &i.body,
        body_line: i.body_line,
        rendered: r,
    });
    let unbuilt = corpus
        .unbuilt
        .iter()
        .zip(unbuilt)
        .map(|(u, r)| fragments::Source {
            path: &u.path,
            body: &u.body,
            body_line: u.body_line,
            rendered: r,
        });
    for source in notes.chain(intro_sources).chain(unbuilt) {
        fragments::check(&source, bodies, index, diags);
    }
}

/// Turns a body's problems into located diagnostics.
fn body_problems(path: &Path, body: &str, body_line: usize, r: &Rendered, diags: &mut Diagnostics) {
    if r.problems.is_empty() {
        return;
    }
    let locator = Locator::new(body);
    let last = r.problems.len() - 1;
    for (i, p) in r.problems.iter().enumerate() {
        let loc = locator.locate(p.span.start);
        let location = Location::new(loc.line + body_line - 1, loc.col);
        let mut d = Diagnostic::error(path, location, p.message.clone());
        for h in &p.hints {
            d = d.with_hint(h.clone());
        }
        if i == last && r.more_problems > 0 {
            d.hide_more(r.more_problems);
        }
        diags.push(d);
    }
}

/// `content/companies/netease.md` with `/` separators, lowercase.
pub(crate) fn path_key(path: &std::path::Path) -> String {
    key_text(path.to_string_lossy().into_owned())
}

/// A path's text as a key: `\` made `/`, lowercased (ASCII without a
/// second copy).
pub(crate) fn key_text(mut text: String) -> String {
    if text.contains('\\') {
        text = text.replace('\\', "/");
    }
    if text.is_ascii() {
        text.make_ascii_lowercase();
        text
    } else {
        text.to_lowercase()
    }
}

fn collect_edges(refs: &[Vec<(String, Vec<u32>)>], bodies: &[Rendered]) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (from, lists) in refs.iter().enumerate() {
        for (key, ids) in lists {
            for &to in ids {
                edges.push(Edge {
                    from: from as u32,
                    to,
                    kind: EdgeKind::Reference(key.clone()),
                });
            }
        }
    }
    for (from, body) in bodies.iter().enumerate() {
        for link in &body.links {
            let kind = match link.kind {
                LinkKind::Wikilink => EdgeKind::Wikilink,
                LinkKind::Relative => EdgeKind::Relative,
                LinkKind::Mention => EdgeKind::Mention,
            };
            edges.push(Edge {
                from: from as u32,
                to: link.target,
                kind,
            });
        }
    }
    edges.retain(|e| e.from != e.to);
    edges.par_sort();
    edges.dedup();
    edges
}

/// Outgoing links and backlinks by id, and every id in `sort_ids` order.
type Adjacency = (Vec<Vec<u32>>, Vec<Vec<u32>>, Vec<u32>);

fn adjacency(edges: &[Edge], n: usize, corpus: &Corpus, stubs: &[Stub]) -> Adjacency {
    let mut outgoing: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut backlinks: Vec<Vec<u32>> = vec![Vec::new(); n];
    for e in edges {
        let out = &mut outgoing[e.from as usize];
        if out.last() != Some(&e.to) {
            out.push(e.to);
        }
        let inc = &mut backlinks[e.to as usize];
        if inc.last() != Some(&e.from) {
            inc.push(e.from);
        }
    }
    // Each list in `sort_ids` order, by every id's place in that order,
    // sorted once: sorting list by list would make two strings per link.
    let mut order: Vec<u32> = (0..n as u32).collect();
    sort_ids(&mut order, &corpus.notes, stubs);
    let mut rank = vec![0u32; n];
    for (place, &id) in order.iter().enumerate() {
        rank[id as usize] = place as u32;
    }
    backlinks.par_iter_mut().for_each(|from| {
        from.dedup();
        from.sort_unstable_by_key(|&id| rank[id as usize]);
    });
    (outgoing, backlinks, order)
}
