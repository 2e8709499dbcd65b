//! The template contract: read-only views that templates receive.
//!
//! Every field here is documented in `docs/templates.md`; templates see
//! nothing else. Views borrow from the linked site, and the views shared by
//! many pages (one [`LinkView`] per note) are built once per build.

use serde::Serialize;

use crate::content::Date;

/// A date, pre-formatted every way a theme needs.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2024-01-05`.
    pub ymd: String,
    /// `5 January 2024`.
    pub human: String,
    /// `2024-01-05T00:00:00+00:00`.
    pub rfc3339: String,
    /// `2024-01`.
    pub month: String,
    /// `January 2024`.
    pub month_label: String,
}

impl From<&Date> for DateView {
    fn from(d: &Date) -> Self {
        DateView {
            ymd: d.ymd(),
            human: d.human(),
            rfc3339: d.rfc3339(),
            month: d.month_key(),
            month_label: d.month_label(),
        }
    }
}

/// A link to a collection, for navigation.
#[derive(Debug, Clone, Serialize)]
pub struct CollectionLink {
    /// Folder name: `companies`.
    pub name: String,
    /// Heading: `Companies`.
    pub title: String,
    /// List page URL.
    pub url: String,
    /// Notes in it (stubs included).
    pub count: usize,
    /// Is it a dated collection?
    pub dated: bool,
}

/// The site, the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// `site.yaml` title.
    pub title: String,
    /// `site.yaml` description.
    pub description: String,
    /// `site.yaml` language.
    pub language: String,
    /// The full base URL, ending in `/`.
    pub base_url: String,
    /// The base URL's path, ending in `/` (prefix for static assets).
    pub base_path: String,
    /// Home page URL.
    pub home_url: String,
    /// Site Atom feed URL.
    pub feed_url: String,
    /// Timeline URL.
    pub timeline_url: String,
    /// Search page URL.
    pub search_url: String,
    /// Every collection, in `site.yaml` order then by name.
    pub collections: Vec<CollectionLink>,
    /// Standalone pages (`content/about.md`), by title.
    pub pages: Vec<LinkView>,
    /// `site.yaml` `extra`.
    pub extra: serde_json::Value,
}

/// A note as it appears in lists, backlinks and references.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// `companies/alibaba`.
    pub key: String,
    /// The note's title.
    pub title: String,
    /// Its page URL.
    pub url: String,
    /// Its collection (empty for a standalone page).
    pub collection: String,
    /// Its collection's title.
    pub collection_title: String,
    /// `date`, if any.
    pub date: Option<DateView>,
    /// `summary`, or the first paragraph as plain text.
    pub summary: String,
    /// Was `summary` written in the front matter (rather than taken from
    /// the first paragraph)?
    pub has_summary: bool,
    /// The collection's list page URL (empty for a standalone page).
    pub collection_url: String,
    /// Is it a generated stub page?
    pub is_stub: bool,
}

/// Notes of one collection, as in a note's references or backlinks.
#[derive(Debug, Clone, Serialize)]
pub struct Group<'a> {
    /// Collection name.
    pub collection: String,
    /// Collection title.
    pub title: String,
    /// The collection's list page URL (empty for standalone pages).
    pub url: String,
    /// Is it a dated collection (show the notes as a timeline)?
    pub dated: bool,
    /// The notes.
    pub notes: Vec<&'a LinkView>,
}

/// One free front-matter key, for a facts box.
#[derive(Debug, Clone, Serialize)]
pub struct Fact<'a> {
    /// The key as written: `headquarters`.
    pub key: &'a str,
    /// A label: `Headquarters`.
    pub label: String,
    /// The value: text, number, list or mapping.
    pub value: &'a serde_json::Value,
}

/// A heading of the note's body.
#[derive(Debug, Clone, Serialize)]
pub struct HeadingView<'a> {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: &'a str,
    /// The text.
    pub text: &'a str,
}

/// A note page's own data.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView<'a> {
    /// Everything a link shows.
    #[serde(flatten)]
    pub link: &'a LinkView,
    /// The absolute URL.
    pub permalink: String,
    /// `updated`, if any.
    pub updated: Option<DateView>,
    /// `aliases`.
    pub aliases: &'a [String],
    /// The rendered body (HTML; print with `| safe`).
    pub content: &'a str,
    /// The body's headings.
    pub headings: Vec<HeadingView<'a>>,
    /// Free front-matter keys in written order.
    pub facts: Vec<Fact<'a>>,
    /// Free front-matter keys as a map: `note.extra.source.url`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Front-matter references, by collection, in written order.
    pub refs: Vec<Group<'a>>,
    /// Notes linking here, by collection, newest first.
    pub backlinks: Vec<Group<'a>>,
    /// This note's Atom feed, if dated notes link to it.
    pub feed_url: Option<String>,
}

/// A pager for a list page.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page, from 1.
    pub current: usize,
    /// How many pages.
    pub total: usize,
    /// Previous page URL.
    pub prev_url: Option<String>,
    /// Next page URL.
    pub next_url: Option<String>,
    /// Every page: number and URL.
    pub pages: Vec<PagerLink>,
}

/// One page of a pager.
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// From 1.
    pub number: usize,
    /// Its URL.
    pub url: String,
}

/// A collection's list page data.
#[derive(Debug, Clone, Serialize)]
pub struct CollectionView<'a> {
    /// The collection link (name, title, url, count).
    #[serde(flatten)]
    pub link: &'a CollectionLink,
    /// The `_index.md` body (HTML).
    pub intro: &'a str,
    /// The `_index.md` summary.
    pub summary: &'a str,
}

/// Dated notes of one month.
#[derive(Debug, Clone, Serialize)]
pub struct Month<'a> {
    /// `2024-01`.
    pub month: String,
    /// `January 2024`.
    pub label: String,
    /// Newest first.
    pub notes: Vec<&'a LinkView>,
}

/// A collection on the home page: its link and first notes.
#[derive(Debug, Clone, Serialize)]
pub struct Glance<'a> {
    /// The collection.
    #[serde(flatten)]
    pub link: &'a CollectionLink,
    /// Its first notes (newest or by title).
    pub notes: Vec<&'a LinkView>,
}

/// What every page knows about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// `home`, `list`, `note`, `page`, `stub`, `timeline`, `search` or `404`.
    pub kind: &'static str,
    /// The `<title>` text (without the site name).
    pub title: String,
    /// Meta description.
    pub description: String,
    /// This page's URL path.
    pub url: String,
    /// This page's absolute URL.
    pub permalink: String,
}
