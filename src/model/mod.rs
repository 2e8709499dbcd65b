//! The site model: the linked site arranged the way pages, feeds and the
//! sitemap read it. Built once per build, read-only afterwards.
//!
//! Owns the orders (collection lists, the timeline, backlink groups) and the
//! views shared by many pages, so that no page re-sorts or re-serialises the
//! whole site. It must not run templates or write files.

pub mod comentions;
pub mod graph_svg;
pub mod graphs;
mod knowledge;
pub mod related;
pub mod views;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::{SiteConfig, SortBy};
use crate::content::Corpus;
use crate::graph::{sort_ids, Linked};
use crate::urls::{list_route, Urls};
pub use knowledge::{changes, Knowledge};
use views::{CollectionLink, DateView, Group, LinkView, SiteView};

/// How many characters of the first paragraph make a default summary.
const SUMMARY_CHARS: usize = 280;

/// Everything pages need, computed once.
pub struct Model<'a> {
    /// `site.yaml`.
    pub config: &'a SiteConfig,
    /// The notes.
    pub corpus: &'a Corpus,
    /// Resolved links and bodies.
    pub linked: &'a Linked,
    /// URL maker.
    pub urls: &'a Urls,
    /// One link view per id (notes then stubs).
    pub links: Vec<LinkView>,
    /// The site view.
    pub site: SiteView,
    /// Each collection's members, newest first, then by title (the
    /// order of its feed).
    pub members: BTreeMap<String, Vec<u32>>,
    /// The collections whose list is in another order (`sort_by: title`
    /// or `weight`): their members in that order. See [`Model::listed`].
    pub sorted: BTreeMap<String, Vec<u32>>,
    /// Each id's place in its collection's list (or among the pages).
    pub places: Vec<u32>,
    /// Collection names in display order.
    pub collection_order: Vec<String>,
    /// Dated notes of dated collections, newest first.
    pub dated: Vec<u32>,
    /// Standalone pages by weight, then by title.
    pub pages: Vec<u32>,
    /// For each id, the dated notes linking to it, newest first.
    pub dated_backlinks: Vec<Vec<u32>>,
    /// Roles, relations, related notes, co-mentions, graphs, changes.
    pub knowledge: Knowledge,
}

/// What a model owns, apart from what it borrows: kept by a session
/// between rebuilds and made back into a [`Model`] with [`Model::from_parts`].
#[derive(Debug)]
pub struct ModelParts {
    links: Vec<LinkView>,
    site: SiteView,
    members: BTreeMap<String, Vec<u32>>,
    sorted: BTreeMap<String, Vec<u32>>,
    places: Vec<u32>,
    collection_order: Vec<String>,
    dated: Vec<u32>,
    pages: Vec<u32>,
    dated_backlinks: Vec<Vec<u32>>,
    knowledge: Knowledge,
}

impl ModelParts {
    /// The summary shown for `id`.
    pub fn summary(&self, id: u32) -> Option<&str> {
        self.links.get(id as usize).map(|l| l.summary.as_str())
    }

    /// Sets the summary shown for note `id` (its `summary` was edited, or
    /// the first paragraph it defaults to). Not for a standalone page,
    /// whose link view the site view also holds.
    pub fn set_summary(&mut self, id: u32, summary: String, written: bool) {
        if let Some(link) = self.links.get_mut(id as usize) {
            link.summary = summary;
            link.has_summary = written;
            link.changed();
        }
    }
}

/// The summary lists, feeds and meta tags show for a note: its `summary`,
/// else what its body has before `<!-- more -->`, else the start of its
/// first paragraph.
pub fn summary_of(note: &crate::content::Note, body: &crate::markdown::Rendered) -> String {
    match (&note.summary, &body.lead) {
        (Some(s), _) => s.trim().to_string(),
        (None, Some(lead)) => lead.to_string(),
        (None, None) => truncate_words(&body.first_paragraph, SUMMARY_CHARS),
    }
}

fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

impl<'a> Model<'a> {
    /// Arranges the linked site.
    pub fn build(
        config: &'a SiteConfig,
        corpus: &'a Corpus,
        linked: &'a Linked,
        urls: &'a Urls,
        knowledge: Knowledge,
    ) -> Self {
        let notes = &corpus.notes;
        let collection_order = collection_order(config, corpus);
        let title_of = |c: &str| config.collection(c).title;
        // In parallel: each view formats its date five ways and its URLs.
        let mut links: Vec<LinkView> = notes
            .par_iter()
            .enumerate()
            .map(|(i, n)| {
                let summary = summary_of(n, &linked.bodies[i]);
                let collection = n.collection.clone().unwrap_or_default();
                LinkView {
                    id: i as u32,
                    key: n.key(),
                    title: n.title.clone(),
                    url: urls.path(&linked.routes[i]),
                    collection_title: n.collection.as_deref().map(title_of).unwrap_or_default(),
                    collection,
                    date: n.date.as_ref().map(DateView::from),
                    summary,
                    has_summary: n.summary.is_some(),
                    collection_url: n
                        .collection
                        .as_deref()
                        .map(|c| urls.path(&list_route(c, 1)))
                        .unwrap_or_default(),
                    is_stub: false,
                    extra: std::sync::Arc::clone(&n.extra),
                    cache: Default::default(),
                }
            })
            .collect();
        for (j, s) in linked.stubs.iter().enumerate() {
            links.push(LinkView {
                id: (notes.len() + j) as u32,
                key: format!("{}/{}", s.collection, s.slug),
                title: s.title.clone(),
                url: urls.path(&linked.routes[notes.len() + j]),
                collection: s.collection.clone(),
                collection_title: title_of(&s.collection),
                date: None,
                summary: String::new(),
                has_summary: false,
                collection_url: urls.path(&list_route(&s.collection, 1)),
                is_stub: true,
                extra: std::sync::Arc::new([]),
                cache: Default::default(),
            });
        }
        // Every id in the dated-first order, sorted once (by the link
        // stage): each collection's members, the pages and the dated notes
        // are that order filtered.
        let order: Vec<u32> = if linked.order.len() == links.len() {
            linked.order.clone()
        } else {
            let mut order: Vec<u32> = (0..links.len() as u32).collect();
            sort_ids(&mut order, notes, &linked.stubs);
            order
        };
        let mut members: BTreeMap<String, Vec<u32>> = collection_order
            .iter()
            .map(|c| (c.clone(), Vec::new()))
            .collect();
        let mut pages = Vec::new();
        for &id in &order {
            let collection = match notes.get(id as usize) {
                Some(n) => n.collection.as_deref(),
                None => Some(linked.stubs[id as usize - notes.len()].collection.as_str()),
            };
            match collection {
                Some(c) => match members.get_mut(c) {
                    Some(ids) => ids.push(id),
                    None => {
                        members.insert(c.to_string(), vec![id]);
                    }
                },
                None => pages.push(id),
            }
        }
        // By weight, then by title as `sort_by: title` orders it: a
        // page's date does not order it.
        pages.sort_by_cached_key(|&id| {
            let n = &notes[id as usize];
            let weight = n.weight.as_ref().map(|&(w, _)| w);
            (weight.is_none(), weight, TitleKey::of(&n.title), n.key())
        });
        let sorted = sorted_lists(config, notes, &linked.stubs, &members);
        let mut places = vec![u32::MAX; links.len()];
        for ids in members
            .iter()
            .map(|(c, ids)| sorted.get(c).unwrap_or(ids))
            .chain([&pages])
        {
            for (place, &id) in ids.iter().enumerate() {
                places[id as usize] = place as u32;
            }
        }
        let dated_collections: Vec<&str> = collection_order
            .iter()
            .map(String::as_str)
            .filter(|c| config.collection(c).dated)
            .collect();
        // Is each id a dated note of a dated collection?
        let is_dated: Vec<bool> = notes
            .par_iter()
            .map(|n| {
                n.date.is_some()
                    && n.collection
                        .as_deref()
                        .is_some_and(|c| dated_collections.contains(&c))
            })
            .collect();
        let is_dated = |id: u32| is_dated.get(id as usize).copied().unwrap_or(false);
        let dated: Vec<u32> = order.iter().copied().filter(|&id| is_dated(id)).collect();
        let dated_backlinks = linked
            .backlinks
            .par_iter()
            .map(|from| from.iter().copied().filter(|&id| is_dated(id)).collect())
            .collect();
        let site = site_view(config, urls, &collection_order, &members, &pages, &links);
        Model {
            config,
            corpus,
            linked,
            urls,
            links,
            site,
            members,
            sorted,
            places,
            collection_order,
            dated,
            pages,
            dated_backlinks,
            knowledge,
        }
    }

    /// The owned parts, for [`Model::from_parts`] after the borrowed inputs
    /// were edited in ways that leave every part valid.
    pub fn into_parts(self) -> ModelParts {
        ModelParts {
            links: self.links,
            site: self.site,
            members: self.members,
            sorted: self.sorted,
            places: self.places,
            collection_order: self.collection_order,
            dated: self.dated,
            pages: self.pages,
            dated_backlinks: self.dated_backlinks,
            knowledge: self.knowledge,
        }
    }

    /// A model from parts taken from one built over the same site.
    pub fn from_parts(
        config: &'a SiteConfig,
        corpus: &'a Corpus,
        linked: &'a Linked,
        urls: &'a Urls,
        parts: ModelParts,
    ) -> Self {
        Model {
            config,
            corpus,
            linked,
            urls,
            links: parts.links,
            site: parts.site,
            members: parts.members,
            sorted: parts.sorted,
            places: parts.places,
            collection_order: parts.collection_order,
            dated: parts.dated,
            pages: parts.pages,
            dated_backlinks: parts.dated_backlinks,
            knowledge: parts.knowledge,
        }
    }

    /// Groups ids by collection, in collection order; ids keep their order.
    pub fn group(&self, ids: &[u32]) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for name in self.collection_order.iter().map(String::as_str).chain([""]) {
            let notes: Vec<&LinkView> = ids
                .iter()
                .map(|&id| &self.links[id as usize])
                .filter(|l| l.collection == name)
                .collect();
            if !notes.is_empty() {
                let (title, url, dated) = if name.is_empty() {
                    ("Pages".to_string(), String::new(), false)
                } else {
                    let cfg = self.config.collection(name);
                    (cfg.title, self.urls.path(&list_route(name, 1)), cfg.dated)
                };
                groups.push(Group {
                    collection: name.to_string(),
                    title,
                    url,
                    dated,
                    notes,
                });
            }
        }
        groups
    }

    /// A collection's notes in the order its list shows them (its
    /// `sort_by`).
    pub fn listed(&self, collection: &str) -> &[u32] {
        self.sorted
            .get(collection)
            .or_else(|| self.members.get(collection))
            .map_or(&[], Vec::as_slice)
    }

    /// The notes before and after `id` in its collection's list (or among
    /// the standalone pages), passing over stubs: `(previous, next)`.
    pub fn neighbours(&self, id: u32) -> (Option<u32>, Option<u32>) {
        let Some(note) = self.corpus.notes.get(id as usize) else {
            return (None, None);
        };
        let list = match &note.collection {
            Some(c) => self.listed(c),
            None => &self.pages,
        };
        let place = self.places[id as usize] as usize;
        if list.get(place) != Some(&id) {
            return (None, None);
        }
        let real = |&&other: &&u32| !self.links[other as usize].is_stub;
        let previous = list[..place].iter().rev().find(real).copied();
        let next = list[place + 1..].iter().find(real).copied();
        (previous, next)
    }

    /// How many notes per list page for `collection` (0: all).
    pub fn per_page(&self, collection: &str) -> usize {
        self.config.collection(collection).per_page
    }

    /// The feed route of an id, if dated notes link to it.
    pub fn feed_route(&self, id: u32) -> Option<String> {
        (!self.dated_backlinks[id as usize].is_empty())
            .then(|| format!("{}feed.xml", self.linked.routes[id as usize]))
    }
}

/// Each collection sorted by title or by weight (`sort_by`): its members
/// (which are in date order) in that order. Collections sorted by date
/// are left out, as their members are already in it.
fn sorted_lists(
    config: &SiteConfig,
    notes: &[crate::content::Note],
    stubs: &[crate::graph::Stub],
    members: &BTreeMap<String, Vec<u32>>,
) -> BTreeMap<String, Vec<u32>> {
    let mut sorted = BTreeMap::new();
    for (c, ids) in members {
        let by = config.sort_by(c);
        if by == SortBy::Date {
            continue;
        }
        let mut ids = ids.clone();
        match by {
            SortBy::Date => {}
            SortBy::Title => {
                // Stubs are the ids past the notes; the date order
                // already breaks ties.
                ids.sort_by_cached_key(|&id| match notes.get(id as usize) {
                    Some(n) => TitleKey::of(&n.title),
                    None => TitleKey::of(
                        stubs
                            .get(id as usize - notes.len())
                            .map_or("", |s| s.title.as_str()),
                    ),
                });
            }
            SortBy::Weight => by_weight(&mut ids, notes),
        }
        sorted.insert(c.clone(), ids);
    }
    sorted
}

/// A title's place in a list sorted by title (`sort_by: title`): letters
/// compared without their case or accents, and letters of other scripts
/// by their Latin transcription (`Éclair` beside `eclair`, `中文` as
/// `zhong wen`), and runs of digits as numbers (`Chapter 2` before
/// `Chapter 10`). Titles that fold alike are then told apart by their
/// lowercase text.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TitleKey(Vec<TitlePart>, String);

/// A run of a folded title: a number (its digits without leading zeros,
/// so that a longer run is a larger number) sorts before text.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TitlePart {
    Number(usize, String),
    Text(String),
}

impl TitleKey {
    fn of(title: &str) -> TitleKey {
        let folded = deunicode::deunicode(title).to_lowercase();
        let mut parts = Vec::new();
        let mut rest = folded.as_str();
        while let Some(c) = rest.chars().next() {
            let digits = c.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digits)
                .unwrap_or(rest.len());
            let (run, after) = rest.split_at(end);
            parts.push(if digits {
                let n = run.trim_start_matches('0');
                TitlePart::Number(n.len(), n.to_string())
            } else {
                TitlePart::Text(run.to_string())
            });
            rest = after;
        }
        TitleKey(parts, title.to_lowercase())
    }
}

/// Sorts ids by `weight`, lightest first, keeping their order among equal
/// weights; ids without one go after every weighted one, in their order.
fn by_weight(ids: &mut [u32], notes: &[crate::content::Note]) {
    ids.sort_by_key(
        |&id| match notes.get(id as usize).and_then(|n| n.weight.as_ref()) {
            Some(&(w, _)) => (false, w),
            None => (true, 0),
        },
    );
}

/// The feed route of collection `name`'s newest notes, if it is dated:
/// `stories/feed.xml`.
pub fn collection_feed_route(config: &SiteConfig, name: &str) -> Option<String> {
    config
        .collection(name)
        .dated
        .then(|| format!("{name}/feed.xml"))
}

/// Collections listed in `site.yaml` first, in its order, then the rest by name.
pub(crate) fn collection_order(config: &SiteConfig, corpus: &Corpus) -> Vec<String> {
    let mut order: Vec<String> = config
        .collections
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| corpus.collections.contains(n))
        .collect();
    for c in &corpus.collections {
        if !order.contains(c) {
            order.push(c.clone());
        }
    }
    order
}

fn site_view(
    config: &SiteConfig,
    urls: &Urls,
    order: &[String],
    members: &BTreeMap<String, Vec<u32>>,
    pages: &[u32],
    links: &[LinkView],
) -> SiteView {
    let collections = order
        .iter()
        .map(|name| {
            let cfg = config.collection(name);
            CollectionLink {
                name: name.clone(),
                title: cfg.title,
                url: urls.path(&list_route(name, 1)),
                count: members.get(name).map_or(0, Vec::len),
                dated: cfg.dated,
                feed_url: collection_feed_route(config, name)
                    .map_or_else(String::new, |r| urls.path(&r)),
                sort_by: cfg.sort_by.name(),
            }
        })
        .collect();
    SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        dir: writing_direction(&config.language),
        base_url: urls.base().full(),
        base_path: urls.base().path().to_string(),
        home_url: urls.path(""),
        feed_url: urls.path(crate::urls::SITE_FEED),
        timeline_url: urls.path("timeline/"),
        search_url: urls.path("search/"),
        changes_url: urls.path("changes/"),
        changes_feed_url: urls.path(crate::urls::CHANGES_FEED),
        graph_url: urls.path("graph/"),
        collections,
        pages: pages.iter().map(|&id| links[id as usize].clone()).collect(),
        extra: config.extra.clone(),
        cache: Default::default(),
    }
}

/// `rtl` for a language written right to left (by the primary subtag of
/// its BCP 47 tag, `ar-EG` as `ar`), else `ltr`.
fn writing_direction(language: &str) -> &'static str {
    let primary = language
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let rtl = [
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug", "ur", "yi",
    ];
    if rtl.contains(&primary.as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn languages_written_right_to_left_are_told_by_their_primary_subtag() {
        for rtl in ["ar", "ar-EG", "he", "fa-IR", "ur", "YI"] {
            assert_eq!(super::writing_direction(rtl), "rtl", "{rtl}");
        }
        for ltr in ["en", "en-US", "zh-Hant", "arn", "hr", ""] {
            assert_eq!(super::writing_direction(ltr), "ltr", "{ltr}");
        }
    }

    #[test]
    fn titles_sort_by_their_letters_and_numbers() {
        let mut titles = vec![
            "Chapter 10",
            "zebra",
            "Chapter 2",
            "Éclair",
            "eclair",
            "Ångström",
            "apple",
            "Chapter 02b",
            "Chapter 2a",
            "Zulu",
            "99 problems",
            "中文",
        ];
        titles.sort_by_cached_key(|t| super::TitleKey::of(t));
        assert_eq!(
            titles,
            [
                "99 problems",
                "Ångström",
                "apple",
                "Chapter 2",
                "Chapter 2a",
                "Chapter 02b",
                "Chapter 10",
                "eclair",
                "Éclair",
                "zebra",
                "中文",
                "Zulu",
            ]
        );
        // A run of digits longer than any integer still sorts as a number.
        assert!(
            super::TitleKey::of("x 99999999999999999999999")
                < super::TitleKey::of("x 100000000000000000000000")
        );
    }
}
