//! Rendering: every HTML page of the site, in memory, through Tera.
//!
//! The only module that runs templates. Pages are rendered in parallel from
//! the read-only [`Model`]; nothing is written here (that is `output`).

pub(crate) mod fingerprint;
mod templates;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

pub use templates::{PageIds, Templates};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::views::{
    view_fields, within_depth, ChangeView, CollectionView, Fact, Fields, Glance, HeadingView,
    LinkFields, LinkView, Month, NoteView, PageMeta, Pager, PagerLink, SiteGraphView, SiteView,
    PAGER_WINDOW,
};
use crate::model::Model;
use crate::output::{Artifact, Sink};
use crate::urls::{list_route, route_file};

/// How many dated notes the home page shows.
const HOME_LATEST: usize = 10;
/// How many notes per collection the home page shows.
const HOME_GLANCE: usize = 5;

/// What the last render produced, for a session to skip unchanged pages:
/// each page's context fingerprint and bytes, by output path.
#[derive(Debug, Clone, Default)]
pub struct PageMemo {
    /// Fingerprint of (template, context) per output path.
    pub fingerprints: HashMap<String, u64>,
    /// The bytes rendered for that fingerprint.
    pub bytes: HashMap<String, Arc<Vec<u8>>>,
    /// What made each page, and the link views it shows, by output path.
    jobs: HashMap<String, (Job, Vec<u32>)>,
    /// For each note id, the pages whose context shows its link view.
    readers: HashMap<u32, Vec<String>>,
}

impl PageMemo {
    /// The output paths of the pages that show note `id`'s link view.
    pub fn readers(&self, id: u32) -> &[String] {
        self.readers.get(&id).map_or(&[], Vec::as_slice)
    }
}

/// The pages of a render, and how many were actually rendered (the rest
/// were unchanged and taken from the memo).
#[derive(Debug)]
pub struct Output {
    /// Every page.
    pub pages: Vec<Artifact>,
    /// Pages rendered by the template engine this time.
    pub rendered: usize,
    /// The memo for the next render, when one was asked for.
    pub memo: Option<PageMemo>,
    /// Each page's fingerprint, when [`Known`] was given.
    pub stamps: Vec<(String, u64)>,
}

/// What a build knows of the pages the output folder holds: each page's
/// fingerprint as the last build recorded it, valid only while the output
/// folder is as that build left it. A page whose fingerprint is the same
/// is kept as it is, not rendered.
#[derive(Debug, Clone, Copy)]
pub struct Known<'a> {
    /// Fingerprints by output path (empty: nothing known, all rendered).
    pub pages: &'a HashMap<String, u64>,
    /// What every fingerprint starts from (binary and templates).
    pub salt: u64,
}

/// A fingerprint of everything a page's render depends on besides the
/// templates themselves: the template name and the context.
fn fingerprint(template: &str, ctx: &impl Serialize) -> u64 {
    salted(0, template, ctx)
}

/// `fingerprint`, starting from `salt`: foldhash (fixed seed, so the same
/// in every run) over the context as it serialises, each link view
/// standing as the hash of its fields.
fn salted(salt: u64, template: &str, ctx: &impl Serialize) -> u64 {
    crate::model::views::for_fingerprint(|| fingerprint::fingerprint(salt, template, ctx))
}

/// A page's template context: the site, the page, and the page kind's
/// own fields beside them.
struct Ctx<'a, T: Fields> {
    site: &'a SiteView,
    page: PageMeta,
    data: T,
}

impl<T: Fields> Serialize for Ctx<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("Ctx", 2 + T::LEN)?;
        st.serialize_field("site", self.site)?;
        st.serialize_field("page", &self.page)?;
        self.data.write(&mut st)?;
        st.end()
    }
}

struct NoteData<'a> {
    note: NoteView<'a>,
}
view_fields!(NoteData<'_> { note });

struct ListData<'a> {
    collection: CollectionView<'a>,
    notes: Vec<&'a LinkView>,
    pager: Pager,
}
view_fields!(ListData<'_> {
    collection,
    notes,
    pager
});

struct HomeData<'a> {
    intro: &'a str,
    latest: Vec<&'a LinkView>,
    glance: Vec<Glance<'a>>,
}
view_fields!(HomeData<'_> {
    intro,
    latest,
    glance
});

struct TimelineData<'a> {
    months: Vec<Month<'a>>,
}
view_fields!(TimelineData<'_> { months });

struct ChangesData<'a> {
    changes: Vec<ChangeView<'a>>,
}
view_fields!(ChangesData<'_> { changes });

struct GraphData<'a> {
    graph: SiteGraphView<'a>,
}
view_fields!(GraphData<'_> { graph });

/// No fields of its own (the search and 404 pages).
struct Empty {}
view_fields!(Empty {});

/// One page to render: its route, template and data builder.
#[derive(Debug, Clone)]
enum Job {
    Note(u32),
    List(String, usize),
    Home,
    Timeline,
    Changes,
    Graph,
    Search,
    NotFound,
}

/// Free keys shown in their own sections, not in `facts`.
const SHOWN_APART: [&str; 2] = ["roles", "relations"];

/// `headquarters_city` -> `Headquarters city`.
/// A free key left empty (`headquarters:`, `""`, `[]`, `{}`, as `brief new`
/// writes a required key): it has no fact to show.
fn is_blank(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        serde_json::Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn label(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A page's route, context fingerprint and bytes, kept for the next render.
type Fingerprint = (String, u64, Arc<Vec<u8>>);

struct Renderer<'m> {
    model: &'m Model<'m>,
    templates: &'m Templates,
    /// The previous render's memo, if this is a rebuild.
    memo: Option<&'m PageMemo>,
    /// This render's fingerprints, when a memo is wanted.
    fresh: Option<Mutex<Vec<Fingerprint>>>,
    /// With `fresh`: each page's job and the link views it shows.
    shown: Mutex<Vec<(String, Job, Vec<u32>)>>,
    rendered: AtomicUsize,
    /// A build's knowledge of the output folder's pages.
    known: Option<Known<'m>>,
    /// With `known`: each page's fingerprint.
    stamps: Mutex<Vec<(String, u64)>>,
    /// Where each page goes as soon as it is made (or kept).
    sink: Sink<'m>,
}

impl<'m> Renderer<'m> {
    fn meta(&self, kind: &'static str, title: &str, description: &str, route: &str) -> PageMeta {
        PageMeta {
            kind,
            title: title.to_string(),
            description: description.to_string(),
            url: self.model.urls.path(route),
            permalink: self.model.urls.absolute(route),
        }
    }

    fn page<T: Fields>(
        &self,
        template: &str,
        meta: PageMeta,
        data: T,
        route: &str,
    ) -> Result<Artifact, Diagnostic> {
        let ctx = Ctx {
            site: &self.model.site,
            page: meta,
            data,
        };
        self.finish(template, &ctx, route_file(route))
    }

    /// Renders `template`, or takes the memo's bytes when the fingerprint
    /// says nothing changed.
    fn finish<T: Serialize>(
        &self,
        template: &str,
        ctx: &T,
        file: String,
    ) -> Result<Artifact, Diagnostic> {
        if let Some(known) = self.known {
            let fp = salted(known.salt, template, ctx);
            let same = known.pages.get(&file) == Some(&fp);
            if let Ok(mut stamps) = self.stamps.lock() {
                stamps.push((file.clone(), fp));
            }
            if same {
                return Ok(self.sink.keep(Artifact::path_only(file)));
            }
        }
        let Some(fresh) = &self.fresh else {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            if matches!(self.sink, Sink::Nothing) {
                self.templates.render_nowhere(template, ctx)?;
                return self.sink.pass(Artifact::page(file, String::new()));
            }
            if matches!(self.sink, Sink::Disk(_)) {
                // Written and let go at once.
                let bytes = self.templates.render_bytes(template, ctx)?;
                return self.sink.pass(Artifact::bytes(file, Arc::new(bytes)));
            }
            let html = self.templates.render(template, ctx)?;
            return self.sink.pass(Artifact::page(file, html));
        };
        let fp = fingerprint(template, ctx);
        let old = self
            .memo
            .filter(|m| m.fingerprints.get(&file) == Some(&fp))
            .and_then(|m| m.bytes.get(&file).cloned());
        let bytes = match old {
            Some(bytes) => bytes,
            None => {
                self.rendered.fetch_add(1, Ordering::Relaxed);
                Arc::new(self.templates.render(template, ctx)?.into_bytes())
            }
        };
        if let Ok(mut f) = fresh.lock() {
            f.push((file.clone(), fp, Arc::clone(&bytes)));
        }
        self.sink.pass(Artifact::bytes(file, bytes))
    }

    fn note_view(&self, id: u32) -> NoteView<'m> {
        let m = self.model;
        let link = &m.links[id as usize];
        let knowledge = m.knowledge_view(id);
        let mut backlinks = m.group(&m.linked.backlinks[id as usize]);
        if !knowledge.timeline.is_empty() {
            // The dated notes are in the timeline, by month.
            backlinks.retain(|g| !g.dated);
        }
        let feed_url = m.feed_route(id).map(|r| m.urls.path(&r));
        let permalink = m.urls.absolute(&m.linked.routes[id as usize]);
        let Some(note) = m.corpus.notes.get(id as usize) else {
            return NoteView {
                link: LinkFields(link),
                permalink,
                updated: None,
                aliases: &[],
                content: "",
                headings: Vec::new(),
                word_count: 0,
                reading_time: 0,
                facts: Vec::new(),
                refs: Vec::new(),
                backlinks,
                feed_url,
                previous: None,
                next: None,
                sort_by: m.config.sort_by(&link.collection).name(),
                knowledge,
            };
        };
        let body = &m.linked.bodies[id as usize];
        let word_count = body.word_count;
        let (previous, next) = m.neighbours(id);
        let refs = m.linked.refs[id as usize]
            .iter()
            .flat_map(|(_, ids)| m.group(ids))
            .collect();
        NoteView {
            link: LinkFields(link),
            permalink,
            updated: note.updated.as_ref().map(Into::into),
            aliases: &note.aliases,
            content: &body.html,
            // A heading without words (`## `) would be an empty link in
            // a table of contents (`brief check` warns of it); one inside
            // a footnote is no part of the body's contents.
            headings: body
                .headings
                .iter()
                .filter(|h| !h.text.is_empty() && !h.in_footnote)
                .map(|h| HeadingView {
                    level: h.level,
                    id: &h.id,
                    text: &h.text,
                })
                .collect(),
            word_count,
            reading_time: crate::model::views::reading_time(word_count),
            facts: note
                .extra
                .iter()
                .filter(|(k, v)| !SHOWN_APART.contains(&k.as_str()) && !is_blank(v))
                .map(|(k, v)| Fact {
                    key: k,
                    label: label(k),
                    value: within_depth(v),
                })
                .collect(),
            refs,
            backlinks,
            feed_url,
            previous: previous.map(|i| &m.links[i as usize]),
            next: next.map(|i| &m.links[i as usize]),
            sort_by: match &note.collection {
                Some(c) => m.config.sort_by(c).name(),
                None => "weight",
            },
            knowledge,
        }
    }

    fn note(&self, id: u32) -> Result<Artifact, Diagnostic> {
        let m = self.model;
        let route = &m.linked.routes[id as usize];
        let link = &m.links[id as usize];
        let (kind, candidates): (&'static str, Vec<String>) = if link.is_stub {
            (
                "stub",
                vec![
                    format!("{}/stub.html", link.collection),
                    "stub.html".into(),
                    "note.html".into(),
                ],
            )
        } else if link.collection.is_empty() {
            ("page", vec!["page.html".into(), "note.html".into()])
        } else {
            (
                "note",
                vec![format!("{}/note.html", link.collection), "note.html".into()],
            )
        };
        // A note's own `template:` is the only one tried: a mistyped name
        // is told, not passed over for the collection's.
        let chosen = m.corpus.notes.get(id as usize).and_then(|n| {
            let (name, at) = n.template.as_ref()?;
            Some((n, name.as_str(), *at))
        });
        let template = match chosen {
            Some((note, name, at)) => self.templates.pick(&[name]).ok_or_else(|| {
                Diagnostic::error(
                    &note.path,
                    at,
                    format!("`template`: no template \"{name}\" found"),
                )
                .with_hint(format!(
                    "add templates/{name} (or themes/{}/templates/{name}), or remove `template:`",
                    m.config.theme
                ))
            })?,
            None => {
                let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
                self.pick(&names)?
            }
        };
        let meta = self.meta(kind, &link.title, &link.summary, route);
        let view = self.note_view(id);
        self.page(template, meta, NoteData { note: view }, route)
    }

    fn pick<'n>(&self, names: &[&'n str]) -> Result<&'n str, Diagnostic> {
        self.templates.pick(names).ok_or_else(|| {
            Diagnostic::error(
                format!("themes/{}/templates", self.model.config.theme),
                Default::default(),
                format!("no template {} found", names.join(" or ")),
            )
            .with_hint("add it to templates/ or to the theme")
        })
    }

    fn list(&self, collection: &str, page: usize) -> Result<Artifact, Diagnostic> {
        let m = self.model;
        let ids = m.listed(collection);
        let per_page = m.per_page(collection);
        let chunk = if per_page == 0 {
            ids.len().max(1)
        } else {
            per_page
        };
        let total = ids.len().div_ceil(chunk).max(1);
        let start = (page - 1) * chunk;
        let notes = ids[start.min(ids.len())..(start + chunk).min(ids.len())]
            .iter()
            .map(|&id| &m.links[id as usize])
            .collect();
        let url = |n: usize| m.urls.path(&list_route(collection, n));
        let pager = Pager {
            current: page,
            total,
            prev_url: (page > 1).then(|| url(page - 1)),
            next_url: (page < total).then(|| url(page + 1)),
            pages: pager_numbers(page, total)
                .into_iter()
                .scan(0, |last, n| {
                    let gap = n > *last + 1;
                    *last = n;
                    Some(PagerLink {
                        number: n,
                        url: url(n),
                        gap,
                    })
                })
                .collect(),
        };
        let link = m
            .site
            .collections
            .iter()
            .find(|c| c.name == collection)
            .ok_or_else(|| {
                Diagnostic::error("content", Default::default(), "unknown collection")
            })?;
        let intro = m.linked.intros.get(collection);
        let summary = m
            .corpus
            .intros
            .iter()
            .find(|(c, _)| c == collection)
            .and_then(|(_, i)| i.summary.as_deref())
            .unwrap_or("");
        let title = m
            .corpus
            .intros
            .iter()
            .find(|(c, _)| c == collection)
            .and_then(|(_, i)| i.title.clone())
            .unwrap_or_else(|| link.title.clone());
        let route = list_route(collection, page);
        let title = if page > 1 {
            format!("{title} (page {page})")
        } else {
            title
        };
        let template_name = format!("{collection}/list.html");
        let template = self.pick(&[template_name.as_str(), "list.html"])?;
        let meta = self.meta("list", &title, summary, &route);
        let collection = CollectionView {
            link,
            intro: intro.map_or("", |r| &*r.html),
            summary,
        };
        self.page(
            template,
            meta,
            ListData {
                collection,
                notes,
                pager,
            },
            &route,
        )
    }

    fn home(&self) -> Result<Artifact, Diagnostic> {
        let m = self.model;
        let latest = m
            .dated
            .iter()
            .take(HOME_LATEST)
            .map(|&id| &m.links[id as usize])
            .collect();
        let glance = m
            .site
            .collections
            .iter()
            .map(|c| Glance {
                link: c,
                notes: m
                    .listed(&c.name)
                    .iter()
                    .take(HOME_GLANCE)
                    .map(|&id| &m.links[id as usize])
                    .collect(),
            })
            .collect();
        let intro = m.linked.home_intro.as_ref().map_or("", |r| &*r.html);
        let title = m
            .corpus
            .home
            .as_ref()
            .and_then(|h| h.title.clone())
            .unwrap_or_else(|| m.config.title.clone());
        let meta = self.meta("home", &title, &m.config.description, "");
        let template = self.pick(&["index.html"])?;
        self.page(
            template,
            meta,
            HomeData {
                intro,
                latest,
                glance,
            },
            "",
        )
    }

    fn timeline(&self) -> Result<Artifact, Diagnostic> {
        let m = self.model;
        let months = m.months(&m.dated);
        let template = self.pick(&["timeline.html"])?;
        let meta = self.meta(
            "timeline",
            "Timeline",
            "Every dated note, by month",
            "timeline/",
        );
        self.page(template, meta, TimelineData { months }, "timeline/")
    }

    fn changes(&self) -> Result<Artifact, Diagnostic> {
        let template = self.pick(&["changes.html"])?;
        let meta = self.meta(
            "changes",
            "What changed",
            "Notes added or updated, newest first",
            "changes/",
        );
        let changes = self.model.changes_view();
        self.page(template, meta, ChangesData { changes }, "changes/")
    }

    fn graph(&self) -> Result<Artifact, Diagnostic> {
        let template = self.pick(&["graph.html"])?;
        let meta = self.meta(
            "graph",
            "Link graph",
            "How the notes of the briefing link to each other",
            "graph/",
        );
        let graph = self.model.site_graph_view();
        self.page(template, meta, GraphData { graph }, "graph/")
    }

    fn simple(
        &self,
        kind: &'static str,
        template: &str,
        title: &str,
        route: &str,
        file: &str,
    ) -> Result<Artifact, Diagnostic> {
        let template = self.pick(&[template])?;
        let meta = self.meta(kind, title, "", route);
        let ctx = Ctx {
            site: &self.model.site,
            page: meta,
            data: Empty {},
        };
        self.finish(template, &ctx, file.to_string())
    }

    /// What produced a page, for an error naming two pages that would write
    /// one file: a site file, or words with the file in parentheses.
    fn origin(&self, job: &Job) -> String {
        let m = self.model;
        match job {
            Job::Note(id) => match m.corpus.notes.get(*id as usize) {
                Some(note) => crate::diag::slashed(&note.path),
                None => format!("the stub page of {}", m.links[*id as usize].key),
            },
            Job::List(c, 1) => format!("the list page of `{c}` (content/{c})"),
            Job::List(c, n) => format!("page {n} of the `{c}` list (content/{c})"),
            Job::Home => "the home page".into(),
            Job::Timeline => "the timeline page".into(),
            Job::Changes => "the changes page".into(),
            Job::Graph => "the graph page".into(),
            Job::Search => "the search page".into(),
            Job::NotFound => "the 404 page".into(),
        }
    }

    /// Renders every job's page, in parallel, each named after what
    /// produced it: the costliest first, returned in the order of `jobs`.
    /// The cores share the jobs out as they go: a long page started last
    /// would leave one core idle while the other finishes it.
    fn run_all(&self, jobs: &[Job]) -> Vec<Result<Artifact, Diagnostic>> {
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.cost(&jobs[i])));
        let mut done: Vec<(usize, Result<Artifact, Diagnostic>)> = order
            .into_par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .map(|i| {
                let job = &jobs[i];
                if crate::output::interrupt::requested() {
                    let stop =
                        Diagnostic::error(self.origin(job), Location::default(), "interrupted");
                    return (i, Err(stop));
                }
                let page = match self.run(job) {
                    Ok(a) => Ok(a.from_origin(self.origin(job))),
                    // A template error depends on the page's data too: say
                    // which page met it.
                    Err(d) => Err(d.with_hint(format!("while rendering {}", self.origin(job)))),
                };
                (i, page)
            })
            .collect();
        done.sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, page)| page).collect()
    }

    /// A rough cost of `job`'s page: how many notes it lists.
    fn cost(&self, job: &Job) -> usize {
        let m = self.model;
        match job {
            Job::Note(id) => m.linked.backlinks.get(*id as usize).map_or(0, Vec::len),
            Job::List(c, _) => match m.per_page(c) {
                0 => m.members.get(c).map_or(0, Vec::len),
                n => n,
            },
            Job::Timeline | Job::Graph | Job::Changes => m.links.len(),
            Job::Home | Job::Search | Job::NotFound => 0,
        }
    }

    /// Renders `job`'s page; when keeping a memo, also records which
    /// notes' link views it shows.
    fn run(&self, job: &Job) -> Result<Artifact, Diagnostic> {
        if self.fresh.is_none() {
            return self.dispatch(job);
        }
        let (page, shown) = crate::model::views::recording_shown(|| self.dispatch(job));
        if let (Ok(page), Ok(mut all)) = (&page, self.shown.lock()) {
            all.push((page.path.clone(), job.clone(), shown));
        }
        page
    }

    fn dispatch(&self, job: &Job) -> Result<Artifact, Diagnostic> {
        match job {
            Job::Note(id) => self.note(*id),
            Job::List(c, n) => self.list(c, *n),
            Job::Home => self.home(),
            Job::Timeline => self.timeline(),
            Job::Changes => self.changes(),
            Job::Graph => self.graph(),
            Job::Search => self.simple(
                "search",
                "search.html",
                "Search",
                "search/",
                "search/index.html",
            ),
            Job::NotFound => {
                self.simple("404", "404.html", "Page not found", "404.html", "404.html")
            }
        }
    }
}

/// The page numbers a pager links: the first, the last, and the window
/// around `current`, in order.
fn pager_numbers(current: usize, total: usize) -> Vec<usize> {
    let low = current.saturating_sub(PAGER_WINDOW).max(1);
    let high = (current + PAGER_WINDOW).min(total);
    let mut numbers = vec![1];
    numbers.extend((low..=high).filter(|&n| n > 1 && n < total));
    if total > 1 {
        numbers.push(total);
    }
    numbers
}

fn jobs(model: &Model<'_>) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..model.links.len() as u32).map(Job::Note).collect();
    for (c, ids) in &model.members {
        let per_page = model.per_page(c);
        let pages = if per_page == 0 {
            1
        } else {
            ids.len().div_ceil(per_page).max(1)
        };
        jobs.extend((1..=pages).map(|n| Job::List(c.clone(), n)));
    }
    jobs.extend([
        Job::Home,
        Job::Timeline,
        Job::Changes,
        Job::Graph,
        Job::Search,
        Job::NotFound,
    ]);
    jobs
}

/// Renders every HTML page of the site.
pub fn render(model: &Model<'_>, templates: &Templates) -> Result<Vec<Artifact>, Diagnostics> {
    render_with(model, templates, None, false, Sink::Memory, None).map(|o| o.pages)
}

/// Renders every page; with `keep_memo`, fingerprints every page and skips
/// those whose fingerprint matches `memo`. Each page goes to `sink` as soon
/// as it is rendered; `Output::pages` holds what the sink gives back.
pub fn render_with(
    model: &Model<'_>,
    templates: &Templates,
    memo: Option<&PageMemo>,
    keep_memo: bool,
    sink: Sink<'_>,
    known: Option<Known<'_>>,
) -> Result<Output, Diagnostics> {
    let renderer = Renderer {
        model,
        templates,
        memo,
        fresh: keep_memo.then(|| Mutex::new(Vec::new())),
        shown: Mutex::new(Vec::new()),
        rendered: AtomicUsize::new(0),
        known,
        stamps: Mutex::new(Vec::new()),
        sink,
    };
    let results = renderer.run_all(&jobs(model));
    let pages = crate::output::collect_results(results).map_err(|diags| {
        // One broken template fails every page that uses it (through
        // whichever template extends it): say it once, with the first
        // page that met it and how many more did.
        let mut firsts: Vec<(Diagnostic, usize)> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for d in diags.sorted() {
            let mut plain = d.clone();
            plain.hints.retain(|h| !h.starts_with("while rendering "));
            if let Some(at) = plain.message.rfind(" (rendering ") {
                plain.message.truncate(at);
            }
            match seen.get(&plain.to_string()) {
                Some(&at) => firsts[at].1 += 1,
                None => {
                    seen.insert(plain.to_string(), firsts.len());
                    firsts.push((d, 0));
                }
            }
        }
        firsts
            .into_iter()
            .map(|(mut d, more)| {
                if more > 0 {
                    if let Some(h) = d
                        .hints
                        .iter_mut()
                        .find(|h| h.starts_with("while rendering "))
                    {
                        let pages = if more == 1 { "page" } else { "pages" };
                        h.push_str(&format!(" (and {more} more {pages})"));
                    }
                }
                d
            })
            .collect::<Diagnostics>()
    })?;
    let shown = renderer.shown.into_inner().unwrap_or_default();
    let memo = renderer
        .fresh
        .and_then(|f| f.into_inner().ok())
        .map(|entries| {
            let mut memo = PageMemo::default();
            for (file, fp, bytes) in entries {
                memo.fingerprints.insert(file.clone(), fp);
                memo.bytes.insert(file, bytes);
            }
            memo.remember(shown);
            memo
        });
    let mut stamps = renderer.stamps.into_inner().unwrap_or_default();
    stamps.sort_unstable();
    Ok(Output {
        pages,
        rendered: renderer.rendered.load(Ordering::Relaxed),
        memo,
        stamps,
    })
}

impl PageMemo {
    /// Records each page's job and the link views it shows, replacing what
    /// was known of those pages.
    fn remember(&mut self, shown: Vec<(String, Job, Vec<u32>)>) {
        for (file, job, ids) in shown {
            if let Some((old_job, old_ids)) = self.jobs.get_mut(&file) {
                if *old_ids == ids {
                    // Shows the same notes: the readers stand.
                    *old_job = job;
                    continue;
                }
            }
            for &id in &ids {
                self.readers.entry(id).or_default().push(file.clone());
            }
            if let Some((_, old)) = self.jobs.insert(file.clone(), (job, ids)) {
                for id in old {
                    if let Some(pages) = self.readers.get_mut(&id) {
                        // The page was just pushed again if it still shows `id`.
                        if let Some(at) = pages.iter().position(|p| *p == file) {
                            pages.remove(at);
                        }
                    }
                }
            }
        }
    }
}

/// Renders again the pages at `files` (output paths a full render made),
/// for a session's edit that changed only what those pages show, and
/// updates `memo` as a full render would.
pub fn render_pages(
    model: &Model<'_>,
    templates: &Templates,
    memo: &mut PageMemo,
    files: &[String],
) -> Result<Vec<Artifact>, Diagnostic> {
    let renderer = Renderer {
        model,
        templates,
        memo: None,
        fresh: Some(Mutex::new(Vec::new())),
        shown: Mutex::new(Vec::new()),
        rendered: AtomicUsize::new(0),
        known: None,
        stamps: Mutex::new(Vec::new()),
        sink: Sink::Memory,
    };
    let jobs: Vec<Job> = files
        .iter()
        .map(|f| memo.jobs.get(f).map(|(job, _)| job.clone()))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            Diagnostic::error(
                model.config.theme.as_str(),
                Default::default(),
                "a page to render again is unknown",
            )
        })?;
    let pages = renderer.run_all(&jobs);
    let pages = pages.into_iter().collect::<Result<Vec<_>, _>>()?;
    let fresh = renderer.fresh.and_then(|f| f.into_inner().ok());
    for (file, fp, bytes) in fresh.into_iter().flatten() {
        memo.fingerprints.insert(file.clone(), fp);
        memo.bytes.insert(file, bytes);
    }
    memo.remember(renderer.shown.into_inner().unwrap_or_default());
    Ok(pages)
}

/// The output path of note `id`'s page.
pub fn note_file(model: &Model<'_>, id: u32) -> String {
    route_file(&model.linked.routes[id as usize])
}

#[cfg(test)]
mod tests {
    use super::pager_numbers;

    #[test]
    fn pager_links_first_last_and_a_window() {
        assert_eq!(pager_numbers(1, 1), [1]);
        assert_eq!(pager_numbers(1, 2), [1, 2]);
        assert_eq!(pager_numbers(1, 10), [1, 2, 3, 10]);
        assert_eq!(pager_numbers(5, 10), [1, 3, 4, 5, 6, 7, 10]);
        assert_eq!(pager_numbers(10, 10), [1, 8, 9, 10]);
        assert_eq!(pager_numbers(3, 4), [1, 2, 3, 4]);
    }
}
