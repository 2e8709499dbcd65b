//! The template contract: read-only views that templates receive.
//!
//! Every field here is documented in `docs/templates.md`; templates see
//! nothing else. Views borrow from the linked site, and the views shared by
//! many pages (one [`LinkView`] per note) are built once per build.

use serde::ser::SerializeStruct;
use serde::Serialize;

use crate::content::Date;

/// A view whose fields are written into an enclosing struct: what
/// `#[serde(flatten)]` does, without the map with a new string for each
/// key that flattening makes Tera build (and hash) on every page.
pub trait Fields {
    /// How many fields [`write`](Fields::write) writes.
    const LEN: usize;
    /// Writes the fields into `st`.
    fn write<S: SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error>;
}

/// Implements [`Fields`] for a struct, writing the named fields in order.
macro_rules! view_fields {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::model::views::Fields for $ty {
            const LEN: usize = <[&str]>::len(&[$(stringify!($field)),*]);
            // `st` goes unused in a struct without fields.
            #[allow(unused_variables)]
            fn write<S: serde::ser::SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {
                $(st.serialize_field(stringify!($field), &self.$field)?;)*
                Ok(())
            }
        }
    };
}
pub(crate) use view_fields;

/// Serialises `value` as a struct of its [`Fields`].
fn as_struct<T: Fields, S: serde::Serializer>(
    name: &'static str,
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut st = serializer.serialize_struct(name, T::LEN)?;
    value.write(&mut st)?;
    st.end()
}

/// A date, pre-formatted every way a theme needs.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2024-01-05`.
    pub ymd: String,
    /// `5 January 2024`.
    pub human: String,
    /// `2024-01-05T00:00:00+00:00`.
    pub rfc3339: String,
    /// For HTML's `datetime`: `2024-01-05` for a date without a time,
    /// else as `rfc3339`.
    pub datetime: String,
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
            datetime: d.datetime(),
            month: d.month_key(),
            month_label: d.month_label(),
        }
    }
}

/// A link to a collection, for navigation.
#[derive(Debug, Clone)]
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
    /// The Atom feed of a dated collection's newest notes; empty for
    /// others.
    pub feed_url: String,
    /// How its list is sorted: `date`, `title` or `weight`.
    pub sort_by: &'static str,
}

view_fields!(CollectionLink {
    name,
    title,
    url,
    count,
    dated,
    feed_url,
    sort_by
});

impl Serialize for CollectionLink {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_struct("CollectionLink", self, serializer)
    }
}

/// The site, the same on every page: serialised once per build for
/// templates and fingerprints, like a [`LinkView`].
#[derive(Debug, Clone, Serialize)]
#[serde(remote = "Self")]
pub struct SiteView {
    /// `site.yaml` title.
    pub title: String,
    /// `site.yaml` description.
    pub description: String,
    /// `site.yaml` language.
    pub language: String,
    /// The language's writing direction: `rtl` (Arabic, Hebrew, Persian,
    /// Urdu...) or `ltr`.
    pub dir: &'static str,
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
    /// What-changed page URL.
    pub changes_url: String,
    /// Its Atom feed URL.
    pub changes_feed_url: String,
    /// Site graph page URL.
    pub graph_url: String,
    /// Every collection, in `site.yaml` order then by name.
    pub collections: Vec<CollectionLink>,
    /// Standalone pages (`content/about.md`), by `weight`, then by title.
    pub pages: Vec<LinkView>,
    /// `site.yaml` `extra`.
    pub extra: serde_json::Value,
    /// Its serialised forms.
    #[serde(skip)]
    pub cache: ViewCache,
}

impl Serialize for SiteView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        for page in &self.pages {
            note_shown(page.id);
        }
        self.cache.serialize(&SiteFields(self), serializer)
    }
}

/// A [`SiteView`]'s fields, as written.
struct SiteFields<'a>(&'a SiteView);

impl Serialize for SiteFields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SiteView::serialize(self.0, serializer)
    }
}

/// A note as it appears in lists, backlinks and references.
#[derive(Debug, Clone)]
pub struct LinkView {
    /// The note's (or stub's) id; not shown to templates.
    pub id: u32,
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
    /// Its free front-matter keys, as in `note.extra` (lists and mappings
    /// nested deeper than templates can go as compact JSON text), so that
    /// a list can show a company's `ticker`.
    pub extra: std::sync::Arc<[(String, serde_json::Value)]>,
    /// What serialising it once made, kept for the many pages that show
    /// it; see [`LinkView::changed`].
    pub cache: ViewCache,
}

/// A view's serialised forms, made on first use: its template value
/// (which Tera clones, cheaply, into every context that shows it) and the
/// hash of its fields that stands for it in page fingerprints.
#[derive(Clone, Default)]
pub struct ViewCache {
    value: std::sync::OnceLock<tera::Value>,
    hash: std::sync::OnceLock<u64>,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ViewCache")
    }
}

impl ViewCache {
    /// Serialises a view whose fields `fields` writes, for the current
    /// purpose (see [`for_template`] and [`for_fingerprint`]).
    fn serialize<T: Serialize, S: serde::Serializer>(
        &self,
        fields: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match PURPOSE.get() {
            Purpose::Fields => fields.serialize(serializer),
            Purpose::Template | Purpose::Discarded => {
                let value = self.value.get_or_init(|| {
                    serialising_for(Purpose::Fields, || tera::Value::from_serializable(fields))
                });
                value.serialize(serializer)
            }
            Purpose::Fingerprint => {
                let hash = self.hash.get_or_init(|| {
                    serialising_for(Purpose::Fields, || {
                        crate::render::fingerprint::fingerprint(0, "view", fields)
                    })
                });
                serializer.serialize_u64(*hash)
            }
        }
    }
}

impl LinkView {
    /// Forgets the serialised forms: call after changing a field.
    pub fn changed(&mut self) {
        self.cache = ViewCache::default();
    }
}

/// What the views (a [`LinkView`], the [`SiteView`]) are being serialised
/// for, on this thread.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Anything else: every field, as written.
    Fields,
    /// A template context: the cached template value.
    Template,
    /// A page fingerprint: the hash of the fields.
    Fingerprint,
    /// A template context whose output is thrown away (`brief check`):
    /// as `Template`, but what cannot fail and cannot be seen is not made.
    Discarded,
}

std::thread_local! {
    static PURPOSE: std::cell::Cell<Purpose> = const { std::cell::Cell::new(Purpose::Fields) };
}

fn serialising_for<R>(purpose: Purpose, f: impl FnOnce() -> R) -> R {
    let outer = PURPOSE.replace(purpose);
    let r = f();
    PURPOSE.set(outer);
    r
}

/// Runs `f`, which turns a context into Tera's value: each link view in it
/// is its cached value, made once per build instead of once per page.
pub fn for_template<R>(f: impl FnOnce() -> R) -> R {
    serialising_for(Purpose::Template, f)
}

/// Runs `f`, which turns a context into Tera's value for a render whose
/// output is thrown away (`brief check`): as [`for_template`], but a
/// graph's drawing, which cannot fail, is a stand-in.
pub fn for_discarded_template<R>(f: impl FnOnce() -> R) -> R {
    serialising_for(Purpose::Discarded, f)
}

/// Runs `f`, which fingerprints a context: each link view in it stands as
/// the hash of its fields, made once per build.
pub fn for_fingerprint<R>(f: impl FnOnce() -> R) -> R {
    serialising_for(Purpose::Fingerprint, f)
}

std::thread_local! {
    /// The ids of the link views serialised while [`recording_shown`] runs.
    static SHOWN: std::cell::RefCell<Option<Vec<u32>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` and returns, with its result, the ids of every [`LinkView`]
/// serialised meanwhile on this thread: which notes a page's context shows,
/// so a session knows which pages to render again when one note's link
/// view changes.
pub fn recording_shown<R>(f: impl FnOnce() -> R) -> (R, Vec<u32>) {
    let outer = SHOWN.with(|s| s.borrow_mut().replace(Vec::new()));
    let r = f();
    let mut shown = SHOWN.with(|s| {
        let mut s = s.borrow_mut();
        let shown = s.take().unwrap_or_default();
        *s = outer;
        shown
    });
    shown.sort_unstable();
    shown.dedup();
    (r, shown)
}

fn note_shown(id: u32) {
    SHOWN.with(|s| {
        if let Some(shown) = s.borrow_mut().as_mut() {
            shown.push(id);
        }
    });
}

impl Serialize for LinkView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        note_shown(self.id);
        self.cache.serialize(&LinkFields(self), serializer)
    }
}

/// A [`LinkView`]'s fields, serialised one by one (also flattened into a
/// [`NoteView`], where the note's own page shows them).
#[derive(Debug, Clone, Copy)]
pub struct LinkFields<'a>(pub &'a LinkView);

impl Fields for LinkFields<'_> {
    const LEN: usize = 11;
    fn write<S: SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {
        let l = self.0;
        note_shown(l.id);
        st.serialize_field("key", &l.key)?;
        st.serialize_field("title", &l.title)?;
        st.serialize_field("url", &l.url)?;
        st.serialize_field("collection", &l.collection)?;
        st.serialize_field("collection_title", &l.collection_title)?;
        st.serialize_field("date", &l.date)?;
        st.serialize_field("summary", &l.summary)?;
        st.serialize_field("has_summary", &l.has_summary)?;
        st.serialize_field("collection_url", &l.collection_url)?;
        st.serialize_field("is_stub", &l.is_stub)?;
        st.serialize_field("extra", &Extra(&l.extra))
    }
}

impl Serialize for LinkFields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        as_struct("LinkView", self, serializer)
    }
}

/// A note's free keys as a map, in written order, each value
/// [`within_depth`].
struct Extra<'a>(&'a [(String, serde_json::Value)]);

impl Serialize for Extra<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, &within_depth(v))?;
        }
        map.end()
    }
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
    /// The value: text, number, list or mapping (see [`within_depth`]).
    pub value: std::borrow::Cow<'a, serde_json::Value>,
}

/// How deep lists and mappings in front matter reach templates; deeper
/// parts arrive as compact JSON text. Templates show nested values by
/// recursion, and Tera stops components at 20 levels.
pub const MAX_VALUE_DEPTH: usize = 8;

/// `value`, with whatever lies deeper than [`MAX_VALUE_DEPTH`] turned into
/// its compact JSON text; borrowed when nothing is that deep.
pub fn within_depth(value: &serde_json::Value) -> std::borrow::Cow<'_, serde_json::Value> {
    fn depth(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
            serde_json::Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }
    fn cut(v: &serde_json::Value, left: usize) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Array(_) | Value::Object(_) if left == 0 => {
                Value::String(serde_json::to_string(v).unwrap_or_default())
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| cut(x, left - 1)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.clone(), cut(x, left - 1)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    if depth(value) <= MAX_VALUE_DEPTH {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(cut(value, MAX_VALUE_DEPTH))
    }
}

/// The words of `text`: runs of letters and digits between spaces and
/// signs, with each Chinese character or kana a word of its own (those
/// scripts put no space between words).
pub fn word_count(text: &str) -> usize {
    count_words(text, false).0
}

/// [`word_count`] of a piece of text that may go on a word the text
/// before it left open (`in_word`): the words that start in it, and
/// whether it ends inside one.
pub fn count_words(text: &str, mut in_word: bool) -> (usize, bool) {
    let mut words = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // Most text: a byte at a time.
            if b.is_ascii_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else if b.is_ascii_whitespace() {
                in_word = false;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if is_cjk_char(c) {
            words += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            words += usize::from(!in_word);
            in_word = true;
        } else if c.is_whitespace() {
            in_word = false;
        }
        i += c.len_utf8();
    }
    (words, in_word)
}

/// Minutes to read `words` at 200 a minute, rounded up.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200)
}

/// Chinese characters and Japanese kana, written without spaces between
/// words (Korean puts spaces between its words, which count as any
/// script's).
fn is_cjk_char(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
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

/// A note page's own data: its link's fields, its own, and its
/// knowledge's, side by side.
#[derive(Debug, Clone)]
pub struct NoteView<'a> {
    /// Everything a link shows.
    pub link: LinkFields<'a>,
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
    /// Words in the body (each Chinese character or kana counts as one).
    pub word_count: usize,
    /// Minutes to read the body at 200 words a minute, at least 1 for a
    /// body with words.
    pub reading_time: usize,
    /// Free front-matter keys in written order.
    pub facts: Vec<Fact<'a>>,
    /// Front-matter references, by collection, in written order.
    pub refs: Vec<Group<'a>>,
    /// Notes linking here, by collection, newest first.
    pub backlinks: Vec<Group<'a>>,
    /// This note's Atom feed, if dated notes link to it.
    pub feed_url: Option<String>,
    /// The note before it in its collection's list (newer, in a list
    /// sorted by date), stubs passed over.
    pub previous: Option<&'a LinkView>,
    /// The note after it in its collection's list (older, in a list
    /// sorted by date).
    pub next: Option<&'a LinkView>,
    /// How its collection's list is sorted (`date`, `title` or `weight`;
    /// `weight` for standalone pages), which tells what `previous` and
    /// `next` are.
    pub sort_by: &'static str,
    /// Roles, relations, related notes, co-mentions, graph, timeline.
    pub knowledge: KnowledgeView<'a>,
}

impl Serialize for NoteView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = LinkFields::LEN + 14 + KnowledgeView::LEN;
        let mut st = serializer.serialize_struct("NoteView", len)?;
        self.link.write(&mut st)?;
        st.serialize_field("permalink", &self.permalink)?;
        st.serialize_field("updated", &self.updated)?;
        st.serialize_field("aliases", &self.aliases)?;
        st.serialize_field("content", &self.content)?;
        st.serialize_field("headings", &self.headings)?;
        st.serialize_field("word_count", &self.word_count)?;
        st.serialize_field("reading_time", &self.reading_time)?;
        st.serialize_field("facts", &self.facts)?;
        st.serialize_field("refs", &self.refs)?;
        st.serialize_field("backlinks", &self.backlinks)?;
        st.serialize_field("feed_url", &self.feed_url)?;
        st.serialize_field("previous", &self.previous)?;
        st.serialize_field("next", &self.next)?;
        st.serialize_field("sort_by", &self.sort_by)?;
        self.knowledge.write(&mut st)?;
        st.end()
    }
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
    /// The pages to link: the first, the last, and up to
    /// [`PAGER_WINDOW`] either side of the current one (a list of every
    /// page would make each list page grow with the number of pages).
    pub pages: Vec<PagerLink>,
}

/// How many page links a pager shows either side of the current page.
pub const PAGER_WINDOW: usize = 2;

/// One page of a pager.
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// From 1.
    pub number: usize,
    /// Its URL.
    pub url: String,
    /// Pages were left out between the previous link and this one.
    pub gap: bool,
}

/// A collection's list page data: its link's fields, then its own.
#[derive(Debug, Clone)]
pub struct CollectionView<'a> {
    /// The collection link (name, title, url, count).
    pub link: &'a CollectionLink,
    /// The `_index.md` body (HTML).
    pub intro: &'a str,
    /// The `_index.md` summary.
    pub summary: &'a str,
}

impl Serialize for CollectionView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("CollectionView", CollectionLink::LEN + 2)?;
        self.link.write(&mut st)?;
        st.serialize_field("intro", &self.intro)?;
        st.serialize_field("summary", &self.summary)?;
        st.end()
    }
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

/// A collection on the home page: its link's fields and first notes.
#[derive(Debug, Clone)]
pub struct Glance<'a> {
    /// The collection.
    pub link: &'a CollectionLink,
    /// Its first notes, in the order of its list (`sort_by`).
    pub notes: Vec<&'a LinkView>,
}

impl Serialize for Glance<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("Glance", CollectionLink::LEN + 1)?;
        self.link.write(&mut st)?;
        st.serialize_field("notes", &self.notes)?;
        st.end()
    }
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

/// A date of a role or relation, as precise as written.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    /// `2023`, `2023-09` or `2023-09-05` (for `<time datetime>`).
    pub ymd: String,
    /// `2023`, `September 2023` or `5 September 2023`.
    pub label: String,
}

/// A role: a post one note (a person) holds at another (a company).
#[derive(Debug, Clone, Serialize)]
pub struct RoleView<'a> {
    /// Who holds it.
    pub holder: &'a LinkView,
    /// Where.
    pub target: &'a LinkView,
    /// `Chairman and CEO`.
    pub title: &'a str,
    /// `since`, if written.
    pub since: Option<PeriodView>,
    /// `until`, if written.
    pub until: Option<PeriodView>,
}

/// One holder of roles at a note, with those roles in written order.
#[derive(Debug, Clone, Serialize)]
pub struct HolderView<'a> {
    /// Who.
    pub holder: &'a LinkView,
    /// The roles they hold there.
    pub roles: Vec<RoleView<'a>>,
}

/// A typed relation seen from one of its ends.
#[derive(Debug, Clone, Serialize)]
pub struct RelationView<'a> {
    /// The type as written: `rival`.
    pub kind: &'a str,
    /// `Rival` (`_` and `-` become spaces, first letter upper-cased).
    pub label: String,
    /// The note at the other end.
    pub note: &'a LinkView,
    /// False: this note states it (`kind` of `note`); true: `note` states
    /// it about this note.
    pub inverse: bool,
    /// `since`, if written.
    pub since: Option<PeriodView>,
    /// `until`, if written.
    pub until: Option<PeriodView>,
}

/// A related note: one sharing rare links with this one.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedView<'a> {
    /// The note.
    pub note: &'a LinkView,
    /// How many link targets they share (among those counted).
    pub shared: u32,
}

/// A note often mentioned alongside this one, and the stories behind it.
#[derive(Debug, Clone, Serialize)]
pub struct CoMentionView<'a> {
    /// The note.
    pub note: &'a LinkView,
    /// In how many dated notes both appear.
    pub count: u32,
    /// The newest of them (at most 3).
    pub stories: Vec<&'a LinkView>,
}

/// A note's neighbourhood graph. Templates see `svg` (inline SVG, escaped
/// at build time; print with `| safe`), `neighbours` and `hidden`; the SVG
/// is drawn only when the view is serialised for a template.
#[derive(Debug, Clone)]
pub struct GraphView<'a> {
    /// The note in the middle.
    pub note: &'a LinkView,
    /// The neighbours drawn, by collection then key (the text alternative).
    pub neighbours: Vec<&'a LinkView>,
    /// Neighbours left out for space.
    pub hidden: usize,
    /// How many links each drawn note has: the note, then each neighbour.
    pub degrees: Vec<usize>,
    /// What to draw.
    pub graph: &'a super::graphs::NoteGraph,
}

impl GraphView<'_> {
    /// The drawing, as templates see it in `svg`.
    pub fn svg(&self) -> String {
        use super::graph_svg::Node;
        fn node(link: &LinkView, degree: usize) -> Node<'_> {
            Node {
                label: link.title.as_str(),
                collection: link.collection.as_str(),
                degree,
            }
        }
        let mut degrees = self.degrees.iter().copied();
        let note = node(self.note, degrees.next().unwrap_or(0));
        self.graph.draw(
            note,
            self.neighbours
                .iter()
                .zip(degrees)
                .map(|(link, degree)| node(link, degree)),
        )
    }
}

/// What a graph's `svg` is in a render whose output is thrown away.
const DISCARDED_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";

impl Serialize for GraphView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let purpose = PURPOSE.get();
        let fingerprint = purpose == Purpose::Fingerprint;
        let mut s = serializer.serialize_struct("GraphView", if fingerprint { 5 } else { 3 })?;
        if fingerprint {
            // A fingerprint stands for the drawing by all it is drawn from
            // (the notes' titles and collections are in their link views).
            s.serialize_field("note", self.note)?;
            s.serialize_field("degrees", &self.degrees)?;
            s.serialize_field("among", &self.graph.among)?;
        } else if purpose == Purpose::Discarded {
            // Drawing cannot fail and nobody sees the page: the template
            // still gets a drawing (not empty, so tests of it go the same
            // way), without the drawing's cost.
            s.serialize_field("svg", DISCARDED_SVG)?;
        } else {
            s.serialize_field("svg", &self.svg())?;
        }
        s.serialize_field("neighbours", &self.neighbours)?;
        s.serialize_field("hidden", &self.hidden)?;
        s.end()
    }
}

/// What a note page shows beyond its own links: roles, relations, related
/// notes, co-mentions, its graph and its timeline.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeView<'a> {
    /// Roles this note holds, in written order.
    pub roles: Vec<RoleView<'a>>,
    /// The notes holding roles at this note, by key, each with its roles.
    pub role_holders: Vec<HolderView<'a>>,
    /// Relations this note states, then those stated about it.
    pub relations: Vec<RelationView<'a>>,
    /// The notes sharing the most (rare) links with it, closest first.
    pub related: Vec<RelatedView<'a>>,
    /// Notes most often mentioned alongside it in dated notes.
    pub co_mentions: Vec<CoMentionView<'a>>,
    /// Its neighbourhood graph, if it has neighbours.
    pub graph: Option<GraphView<'a>>,
    /// Dated notes linking to it, by month, newest first (undated
    /// collections only; they are then left out of `backlinks`).
    pub timeline: Vec<Month<'a>>,
}

view_fields!(KnowledgeView<'_> {
    roles,
    role_holders,
    relations,
    related,
    co_mentions,
    graph,
    timeline,
});

/// One entry of the changes page.
#[derive(Debug, Clone)]
pub struct ChangeView<'a> {
    /// The note.
    pub link: LinkFields<'a>,
    /// `added` (its `date` is the newest) or `updated` (its `updated` is).
    pub change: &'static str,
    /// When.
    pub changed: DateView,
}

impl Serialize for ChangeView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("ChangeView", LinkFields::LEN + 2)?;
        self.link.write(&mut st)?;
        st.serialize_field("change", &self.change)?;
        st.serialize_field("changed", &self.changed)?;
        st.end()
    }
}

/// The site graph page's data.
#[derive(Debug, Clone, Serialize)]
pub struct SiteGraphView<'a> {
    /// Inline SVG (escaped at build time; print with `| safe`).
    pub svg: &'a str,
    /// The notes drawn, by collection (the text alternative).
    pub groups: Vec<Group<'a>>,
    /// How many notes are drawn.
    pub shown: usize,
    /// How many notes and stubs the site has.
    pub total: usize,
    /// How many links are drawn.
    pub edges: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys `value` serialises with, in order.
    fn keys(value: &impl Serialize) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn words_are_counted_as_a_reader_counts_them() {
        assert_eq!(
            word_count("It's a well-known fact: U.S. revenue rose 3.5%."),
            8
        );
        assert_eq!(word_count("  \n\t "), 0);
        assert_eq!(word_count("阿里巴巴 and 网易"), 7);
        assert_eq!(word_count("안녕하세요 세계"), 2);
        assert_eq!(reading_time(0), 0);
        assert_eq!(reading_time(1), 1);
        assert_eq!(reading_time(200), 1);
        assert_eq!(reading_time(201), 2);
    }

    #[test]
    fn views_written_field_by_field_keep_the_flattened_keys() {
        let link = CollectionLink {
            name: "companies".into(),
            title: "Companies".into(),
            url: "/companies/".into(),
            count: 2,
            dated: false,
            feed_url: String::new(),
            sort_by: "title",
        };
        let link_keys = [
            "count", "dated", "feed_url", "name", "sort_by", "title", "url",
        ];
        assert_eq!(keys(&link), link_keys);
        let view = CollectionView {
            link: &link,
            intro: "<p>Hi</p>",
            summary: "Hi",
        };
        let mut want: Vec<&str> = link_keys.to_vec();
        want.extend(["intro", "summary"]);
        want.sort_unstable();
        assert_eq!(keys(&view), want);
        let glance = Glance {
            link: &link,
            notes: Vec::new(),
        };
        let mut want: Vec<&str> = link_keys.to_vec();
        want.push("notes");
        want.sort_unstable();
        assert_eq!(keys(&glance), want);
    }

    fn link(id: u32, title: &str) -> LinkView {
        LinkView {
            id,
            key: format!("companies/{id}"),
            title: title.into(),
            url: format!("/companies/{id}/"),
            collection: "companies".into(),
            collection_title: "Companies".into(),
            date: None,
            summary: String::new(),
            has_summary: false,
            collection_url: "/companies/".into(),
            is_stub: false,
            extra: std::sync::Arc::new([]),
            cache: ViewCache::default(),
        }
    }

    /// `brief check` throws its pages away: a graph's `svg` is then a
    /// stand-in (not empty), and everything else is as a build sees it.
    #[test]
    fn a_discarded_render_gets_a_stand_in_drawing_and_the_same_rest() {
        let (a, b) = (link(0, "Alibaba"), link(1, "NetEase"));
        let drawn = super::super::graphs::NoteGraph {
            neighbours: vec![1],
            hidden: 2,
            among: Vec::new(),
        };
        let view = GraphView {
            note: &a,
            neighbours: vec![&b],
            hidden: 2,
            degrees: vec![1, 1],
            graph: &drawn,
        };
        let built = for_template(|| tera::Value::from_serializable(&view));
        let checked = for_discarded_template(|| tera::Value::from_serializable(&view));
        let (built, checked) = (built.as_map().unwrap(), checked.as_map().unwrap());
        let svg = |m: &tera::Map| {
            m.get(&tera::value::Key::from("svg"))
                .and_then(|v| v.as_str().map(String::from))
        };
        assert_eq!(svg(built), Some(view.svg()));
        assert!(view.svg().contains("NetEase"));
        assert_eq!(svg(checked).as_deref(), Some(DISCARDED_SVG));
        let rest = |m: &tera::Map| {
            m.iter()
                .filter(|(k, _)| k.as_str() != Some("svg"))
                .map(|(k, v)| format!("{k:?}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(rest(built), rest(checked));
        assert_eq!(rest(built).len(), 2);
    }
}
