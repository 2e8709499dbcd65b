//! Atom feeds and the sitemap, written as XML with every value escaped and
//! characters that XML forbids removed.
//!
//! Each dated note's `<entry>` is escaped once and shared by every feed that
//! lists it (the site feed and the feed of each note it links to).

use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use quick_xml::escape::escape;
use rayon::prelude::*;

use super::Artifact;
use crate::model::Model;

/// Removes characters XML 1.0 forbids (most control characters).
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if xml_clean(text.as_bytes()) || text.chars().all(allowed) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// Has `bytes` no character XML 1.0 forbids, for certain? A byte scan, a
/// block at a time so that it vectorises: no control byte but tab, line
/// feed and return, and no 0xEF byte (which starts U+FFFE and U+FFFF, and
/// other characters, which [`xml_chars`] then looks at one by one).
fn xml_clean(bytes: &[u8]) -> bool {
    let ok = |b: u8| (b >= 0x20 && b != 0xef) || matches!(b, b'\t' | b'\n' | b'\r');
    bytes
        .chunks(64)
        .all(|block| block.iter().fold(true, |all, &b| all & ok(b)))
}

/// Escapes text for XML content or attributes.
fn x(text: &str) -> String {
    escape(xml_chars(text).as_ref()).into_owned()
}

/// Writes HTML as XML character data: one CDATA section (a `]]>` inside is
/// split across two), so the markup is neither escaped nor grown.
fn cdata(text: &str, out: &mut String) {
    let text = xml_chars(text);
    out.push_str("<![CDATA[");
    let mut parts = text.split("]]>");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str("]]]]><![CDATA[>");
        out.push_str(part);
    }
    out.push_str("]]>");
}

struct Feed<'a> {
    title: String,
    subtitle: String,
    route: String,
    alternate: String,
    ids: &'a [u32],
}

/// Each note's escaped `<entry>`, for the notes some feed lists.
type Entries = Vec<Option<Arc<Entry>>>;

/// A note's `<entry>`, made once and shared by every feed that lists it.
#[derive(Debug)]
struct Entry {
    /// From `<entry>` to the content.
    head: String,
    content: Content,
}

/// An entry's HTML content as CDATA.
#[derive(Debug)]
enum Content {
    /// The body's own HTML, shared with the model: it has nothing CDATA
    /// cannot hold as it is (most bodies).
    Shared(Arc<str>),
    /// The CDATA section made from a body that needed changes.
    Made(String),
}

impl Entry {
    fn write(&self, out: &mut String) {
        out.push_str(&self.head);
        out.push_str("<content type=\"html\">");
        match &self.content {
            Content::Shared(html) => {
                out.push_str("<![CDATA[");
                out.push_str(html);
                out.push_str("]]>");
            }
            Content::Made(cdata) => out.push_str(cdata),
        }
        out.push_str("</content>\n</entry>\n");
    }

    fn len(&self) -> usize {
        let content = match &self.content {
            Content::Shared(html) => html.len() + 12,
            Content::Made(cdata) => cdata.len(),
        };
        self.head.len() + content + 40
    }
}

/// Escaped entries kept between a session's rebuilds: by note key, with a
/// fingerprint of everything the entry shows.
#[derive(Debug, Default)]
pub struct FeedCache {
    entries: HashMap<String, (u64, Arc<Entry>)>,
    /// The last build's entries by id.
    by_id: Entries,
}

/// A fingerprint of what a note's entry shows.
fn entry_fingerprint(model: &Model<'_>, id: usize) -> u64 {
    let mut h = crate::stamp::fingerprinter();
    let link = &model.links[id];
    (
        &link.title,
        &link.collection,
        &link.summary,
        &model.linked.routes[id],
    )
        .hash(&mut h);
    if let Some(n) = model.corpus.notes.get(id) {
        (n.date.map(|d| d.rfc3339()), n.updated.map(|d| d.rfc3339())).hash(&mut h);
    }
    model.linked.bodies[id].html.hash(&mut h);
    h.finish()
}

const EPOCH: &str = "1970-01-01T00:00:00+00:00";

fn atom(model: &Model<'_>, entries: &Entries, feed: &Feed<'_>) -> Artifact {
    let urls = model.urls;
    let self_url = urls.absolute(&feed.route);
    let ids: Vec<u32> = feed
        .ids
        .iter()
        .copied()
        .take(model.config.feed_limit)
        .collect();
    // A feed with no entry yet (a dated collection without notes) was
    // last updated when the site was: its newest dated note's time.
    let newest = |ids: &[u32]| {
        ids.iter()
            .filter_map(|&id| model.corpus.notes.get(id as usize))
            .filter_map(|n| n.updated.max(n.date))
            .max()
    };
    let updated = newest(&ids)
        .or_else(|| newest(&model.dated))
        .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let size: usize = ids
        .iter()
        .filter_map(|&id| entries.get(id as usize)?.as_ref())
        .map(|e| e.len())
        .sum();
    let mut out = String::with_capacity(1024 + size);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">\n<title>{}</title>\n",
        x(&model.config.language),
        x(&urls.base().full()),
        x(&feed.title)
    );
    if !feed.subtitle.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", x(&feed.subtitle));
    }
    let _ = write!(
        out,
        "<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n\
         <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{}</id>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n<generator>brief</generator>\n",
        x(&self_url),
        x(&feed.alternate),
        x(&self_url),
        x(&model.config.title)
    );
    for id in ids {
        if let Some(Some(entry)) = entries.get(id as usize) {
            entry.write(&mut out);
        }
    }
    out.push_str("</feed>\n");
    Artifact::page(feed.route.clone(), out)
}

fn entry(model: &Model<'_>, id: usize) -> Option<Entry> {
    let note = model.corpus.notes.get(id)?;
    let link = &model.links[id];
    let permalink = x(&model.urls.absolute(&model.linked.routes[id]));
    // `published` is optional in Atom: a note without `date` has none
    // (not 1970).
    let published = note
        .date
        .map(|d| format!("<published>{}</published>\n", d.rfc3339()))
        .unwrap_or_default();
    // Never before `published`: `updated: 2024-03-01` (midnight UTC) on a
    // note dated `2024-02-29T23:30:00-05:00` is four hours earlier.
    let updated = match (note.updated, note.date) {
        (Some(u), Some(d)) => Some(u.later_moment(d)),
        (u, d) => u.or(d),
    }
    .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let html = &model.linked.bodies[id].html;
    // A relative address in the content (a bundle's `pic.png`, a
    // footnote's `#fn:1`) is the note's own, as on its page: the entry's
    // base is then the page. The
    // others keep the feed's base (the site), which their root-relative
    // links need, and save the bytes.
    let base = if has_relative_url(html) {
        format!(" xml:base=\"{permalink}\"")
    } else {
        String::new()
    };
    let mut head = String::with_capacity(512);
    let _ = write!(
        head,
        "<entry{base}>\n<title>{}</title>\n<link href=\"{permalink}\" rel=\"alternate\" type=\"text/html\"/>\n\
         <id>{permalink}</id>\n{published}<updated>{updated}</updated>\n",
        x(&note.title)
    );
    if !link.collection.is_empty() {
        let _ = writeln!(head, "<category term=\"{}\"/>", x(&link.collection));
    }
    if !link.summary.is_empty() {
        let _ = writeln!(
            head,
            "<summary type=\"text\">{}</summary>",
            x(&link.summary)
        );
    }
    let as_is = matches!(xml_chars(html), std::borrow::Cow::Borrowed(_)) && !html.contains("]]>");
    let content = if as_is {
        Content::Shared(Arc::clone(html))
    } else {
        let mut made = String::with_capacity(html.len() + 32);
        cdata(html, &mut made);
        Content::Made(made)
    };
    Some(Entry { head, content })
}

/// Does `html` have a relative address (`pic.png`, `../x/`) in a `src`,
/// `href`, `srcset` or `poster` attribute of a tag, quoted or not?
/// Root-relative (`/x`), fragment (`#x`) and absolute (`https:`, `mailto:`)
/// ones are not. The tags are read as the lint reads a body's raw HTML
/// ([`crate::markdown::html::Scanner`]): a `>` inside a quoted value does
/// not end its tag, and `src=x` in prose, a comment or another attribute's
/// value is text.
fn has_relative_url(html: &str) -> bool {
    use crate::markdown::html::{srcset_urls, Scanner};
    // A path within the site, as the lint tells them, not from its root;
    // or a place on the page itself (a footnote, `[[#Heading]]`).
    let relative = |value: &str| {
        let value = value.trim();
        value.starts_with('#')
            || crate::markdown::inspect::is_site_path(value) && !value.starts_with('/')
    };
    let mut found = false;
    Scanner::default().scan(html, |a| {
        let is = |name: &str| a.name.eq_ignore_ascii_case(name);
        found = found
            || if is("src") || is("href") || is("poster") {
                relative(&a.value)
            } else {
                is("srcset") && srcset_urls(&a.value).any(relative)
            };
    });
    found
}

/// `feed.xml` for the site and one for every note that dated notes link
/// to; with a cache, entries of notes whose fingerprint is unchanged are
/// reused.
pub fn feeds_cached(
    model: &Model<'_>,
    mut cache: Option<&mut FeedCache>,
    sink: super::Sink<'_>,
) -> Result<Vec<Artifact>, crate::diag::Diagnostics> {
    // Only notes that appear in some feed need an entry.
    let limit = model.config.feed_limit;
    let mut wanted = vec![false; model.corpus.notes.len()];
    let changes = std::iter::once(&model.knowledge.changes);
    let collections = collection_feeds(model);
    for ids in std::iter::once(model.dated.as_slice())
        .chain(model.dated_backlinks.iter().map(Vec::as_slice))
        .chain(changes.map(Vec::as_slice))
        .chain(collections.iter().map(|f| f.ids))
    {
        for &id in ids.iter().take(limit) {
            if let Some(w) = wanted.get_mut(id as usize) {
                *w = true;
            }
        }
    }
    let previous = cache.as_deref();
    let made: Vec<Option<(u64, Arc<Entry>)>> = wanted
        .par_iter()
        .with_max_len(crate::PAR_CHUNK)
        .enumerate()
        .map(|(id, &w)| {
            if !w {
                return None;
            }
            let Some(previous) = previous else {
                return entry(model, id).map(|e| (0, Arc::new(e)));
            };
            let fp = entry_fingerprint(model, id);
            match previous.entries.get(&model.links[id].key) {
                Some((old, e)) if *old == fp => Some((fp, Arc::clone(e))),
                _ => entry(model, id).map(|e| (fp, Arc::new(e))),
            }
        })
        .collect();
    if let Some(cache) = cache.as_deref_mut() {
        cache.entries = made
            .iter()
            .enumerate()
            .filter_map(|(id, m)| {
                m.as_ref()
                    .map(|(fp, e)| (model.links[id].key.clone(), (*fp, Arc::clone(e))))
            })
            .collect();
    }
    let entries: Entries = made.into_iter().map(|m| m.map(|(_, e)| e)).collect();
    if let Some(cache) = cache {
        cache.by_id = entries.clone();
    }
    let mut site_wide = vec![
        atom(model, &entries, &site_feed(model)),
        atom(model, &entries, &changes_feed(model)),
    ];
    site_wide.extend(collections.iter().map(|f| atom(model, &entries, f)));
    let mut out = sink.pass_all(site_wide)?;
    let per_note: Vec<Result<Artifact, crate::diag::Diagnostic>> = (0..model.links.len())
        .into_par_iter()
        .with_max_len(crate::PAR_CHUNK)
        .filter_map(|id| {
            let feed = note_feed(model, id)?;
            Some(sink.pass(atom(model, &entries, &feed)))
        })
        .collect();
    out.extend(super::collect_results(per_note)?);
    Ok(out)
}

/// The feeds that show note `id`, remade after a session's edit of its
/// body alone (nothing but its entry changed), with `cache` updated.
pub fn refeed(model: &Model<'_>, cache: &mut FeedCache, id: u32) -> Vec<Artifact> {
    let limit = model.config.feed_limit;
    let shows = |ids: &[u32]| ids.iter().take(limit).any(|&i| i == id);
    let mut feeds = Vec::new();
    if shows(&model.dated) {
        feeds.push(site_feed(model));
    }
    if shows(&model.knowledge.changes) {
        feeds.push(changes_feed(model));
    }
    feeds.extend(collection_feeds(model).into_iter().filter(|f| shows(f.ids)));
    for &to in &model.linked.outgoing[id as usize] {
        if shows(&model.dated_backlinks[to as usize]) {
            feeds.extend(note_feed(model, to as usize));
        }
    }
    if feeds.is_empty() {
        return Vec::new();
    }
    let Some(made) = entry(model, id as usize) else {
        return Vec::new();
    };
    let made = Arc::new(made);
    let fp = entry_fingerprint(model, id as usize);
    let key = model.links[id as usize].key.clone();
    cache.entries.insert(key, (fp, Arc::clone(&made)));
    if let Some(slot) = cache.by_id.get_mut(id as usize) {
        *slot = Some(made);
    }
    feeds
        .iter()
        .map(|feed| atom(model, &cache.by_id, feed))
        .collect()
}

fn site_feed<'m>(model: &'m Model<'_>) -> Feed<'m> {
    Feed {
        title: model.config.title.clone(),
        subtitle: model.config.description.clone(),
        route: super::SITE_FEED.into(),
        alternate: model.urls.base().full(),
        ids: &model.dated,
    }
}

fn changes_feed<'m>(model: &'m Model<'_>) -> Feed<'m> {
    Feed {
        title: format!("What changed · {}", model.config.title),
        subtitle: "Notes added or updated, newest first".into(),
        route: super::CHANGES_FEED.into(),
        alternate: model.urls.absolute("changes/"),
        ids: &model.knowledge.changes,
    }
}

/// The feed of each dated collection's newest notes (`stories/feed.xml`),
/// for readers who follow one kind of note.
fn collection_feeds<'m>(model: &'m Model<'_>) -> Vec<Feed<'m>> {
    model
        .site
        .collections
        .iter()
        .filter_map(|c| {
            let route = crate::model::collection_feed_route(model.config, &c.name)?;
            Some(Feed {
                title: format!("{} · {}", c.title, model.config.title),
                subtitle: String::new(),
                route,
                alternate: model.urls.absolute(&crate::urls::list_route(&c.name, 1)),
                ids: model.members.get(&c.name).map_or(&[], Vec::as_slice),
            })
        })
        .collect()
}

fn note_feed<'m>(model: &'m Model<'_>, id: usize) -> Option<Feed<'m>> {
    let link = &model.links[id];
    Some(Feed {
        title: format!("{} · {}", link.title, model.config.title),
        subtitle: format!("Dated notes that mention {}", link.title),
        route: model.feed_route(id as u32)?,
        alternate: model.urls.absolute(&model.linked.routes[id]),
        ids: &model.dated_backlinks[id],
    })
}

/// `url` with every byte beyond ASCII percent-encoded, as the sitemap
/// protocol asks (`/café/` is `/caf%C3%A9/`; a host beyond ASCII is
/// left as written).
pub(crate) fn ascii_url(url: &str) -> std::borrow::Cow<'_, str> {
    if url.is_ascii() {
        return std::borrow::Cow::Borrowed(url);
    }
    // The host ends at the first `/` after `://`.
    let path_at = url
        .find("://")
        .and_then(|s| url[s + 3..].find('/').map(|p| s + 3 + p))
        .unwrap_or(0);
    let (head, path) = url.split_at(path_at);
    // Only bytes beyond ASCII (and control characters, which a path has
    // none of) are encoded: the path's `/`, `%` and the rest stay.
    let path = percent_encoding::utf8_percent_encode(path, percent_encoding::CONTROLS);
    std::borrow::Cow::Owned(format!("{head}{path}"))
}

/// `sitemap.xml`: every page, with `lastmod` where a note has a date.
pub fn sitemap(model: &Model<'_>) -> Artifact {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |route: &str, lastmod: Option<String>| {
        let _ = write!(
            out,
            "<url><loc>{}</loc>",
            x(&ascii_url(&model.urls.absolute(route)))
        );
        if let Some(m) = lastmod {
            let _ = write!(out, "<lastmod>{m}</lastmod>");
        }
        out.push_str("</url>\n");
    };
    push("", None);
    for c in &model.collection_order {
        push(&crate::urls::list_route(c, 1), None);
    }
    push("timeline/", None);
    push("changes/", None);
    push("graph/", None);
    for (id, route) in model.linked.routes.iter().enumerate() {
        let lastmod = model
            .corpus
            .notes
            .get(id)
            .and_then(|n| n.updated.max(n.date))
            .map(|d| d.ymd());
        push(route, lastmod);
    }
    out.push_str("</urlset>\n");
    Artifact::page(super::SITEMAP.into(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_addresses_are_ascii() {
        assert_eq!(
            ascii_url("https://例子.中国/café/a/"),
            "https://例子.中国/caf%C3%A9/a/"
        );
        assert_eq!(ascii_url("https://e.org/a/"), "https://e.org/a/");
    }

    #[test]
    fn cdata_splits_its_end_marker_and_keeps_markup() {
        let mut out = String::new();
        cdata("<p>a ]]> b & c\u{1}</p>", &mut out);
        assert_eq!(out, "<![CDATA[<p>a ]]]]><![CDATA[> b & c</p>]]>");
    }

    #[test]
    fn forbidden_characters_go_wherever_they_are() {
        let long = "a".repeat(100);
        assert!(matches!(xml_chars(&long), std::borrow::Cow::Borrowed(_)));
        // A control character past the first block of 64 bytes.
        assert_eq!(xml_chars(&format!("{long}\u{1}b")), format!("{long}b"));
        // U+FFFE and U+FFFF go; U+FF01, which also starts with 0xEF, stays.
        assert_eq!(
            xml_chars("a\u{FFFE}b\u{FF01}c\u{FFFF}\td\r\n"),
            "ab\u{FF01}c\td\r\n"
        );
        assert!(matches!(
            xml_chars("\u{FF01}\u{FFFD}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_and_strips_forbidden_characters() {
        assert_eq!(
            x("a <b> & \"c\" ]]> \u{1}\u{8}d"),
            "a &lt;b&gt; &amp; &quot;c&quot; ]]&gt; d"
        );
    }

    #[test]
    fn relative_addresses_are_told_from_the_others() {
        for relative in [
            r#"<p><img src="pic.png" alt="A"></p>"#,
            r#"<a href="../report.pdf">r</a>"#,
            r#"<a href="/x/">x</a> <img alt="" src='img/chart.svg'>"#,
            r#"<img srcset="a.png 2x" alt="">"#,
            r#"<video poster="still.jpg"></video>"#,
            r#"<a HREF="notes.txt">n</a>"#,
            "<p><img src=pic.png alt=A></p>",
            "<img alt=x src=pic.png>",
            // A `>` inside a quoted value does not end the tag.
            r#"<img title="a > b" src="pic.png">"#,
            // Any address of a `srcset` may be the relative one.
            r#"<img srcset="/a.png 1x, b.png 2x" alt="">"#,
            // An empty comment ends where it starts.
            "<!--> note\n<p><img src=\"pic.png\" alt=\"a\" /></p>",
            "<p>x <!---> y <img src=\"pic.png\" alt=\"a\" /></p>",
            // A place on the page: against the feed's base it would be
            // the home page's.
            r##"<a href="#plans">the plans</a>"##,
            r##"<sup class="footnote-reference"><a href="#fn:x">1</a></sup>"##,
        ] {
            assert!(has_relative_url(relative), "{relative}");
        }
        for not in [
            "",
            "<p>a = b, src=x in prose is text</p>",
            r#"<a href="/briefing/companies/netease/">NetEase</a>"#,
            r#"<a href="https://example.org/a?b=c">e</a>"#,
            r#"<a href="mailto:a@example.org">m</a>"#,
            r#"<img src="data:image/png;base64,AAAA" alt="">"#,
            r#"<a data-href="x.html">d</a>"#,
            "<img src=/briefing/pic.png alt=A>",
            "<p>x &lt;img src=pic.png&gt; as code</p>",
            "<p>3 &gt; 2, href=pic.png</p>",
            // Inside another attribute's value, or a comment, it is text.
            r#"<img alt="see src=pic.png" src="/p.png">"#,
            "<!-- <img src=pic.png> -->",
            // Commas inside an absolute `srcset` address are part of it.
            r#"<img srcset="https://cdn.example/w_400,h_300/pic.jpg 1x">"#,
            r#"<img srcset="data:image/png;base64,AAAA 1x">"#,
        ] {
            assert!(!has_relative_url(not), "{not}");
        }
    }
}
