//! Heading ids: every heading gets an id from its text, unique in the page,
//! unless the author gave one with `{#id}`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A heading of a rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The id, unique in the body.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// The id for a heading's text: slugified, `section` when that is empty.
pub fn heading_id(text: &str) -> String {
    let id = slug::slugify(text);
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// Ids the page around a note's body uses (skip link target, search page):
/// a heading never takes them.
pub const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "search-input",
    "search-results",
    "search-filter",
    // The link graphs' titles (see model::graphs).
    "graph-title",
    "site-graph-title",
];

/// Sets a unique id on every heading, apart from the body's `footnotes`'
/// ids, and returns the headings.
pub fn assign_ids<'e>(
    mut events: Vec<Event<'e>>,
    footnotes: &[&str],
) -> (Vec<Event<'e>>, Vec<Heading>) {
    // A body has a few headings: a list searched from the start beats a
    // hash set built (with the reserved ids) for every note.
    let taken = |headings: &[Heading], id: &str| {
        RESERVED_IDS.contains(&id) || footnotes.contains(&id) || headings.iter().any(|h| h.id == id)
    };
    let mut headings: Vec<Heading> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i] else {
            i += 1;
            continue;
        };
        let level = *level as u8;
        let given = id.as_ref().map(|s| s.to_string());
        let mut text = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[j] {
                text.push_str(t);
            }
            j += 1;
        }
        let base = given.unwrap_or_else(|| heading_id(&text));
        // A name the page keeps (`Top`) gets `top_1`: a slug never has a
        // `_`, so no other heading (`Top 1`, slug `top-1`) can have it.
        let sep = if RESERVED_IDS.contains(&base.as_str()) {
            '_'
        } else {
            '-'
        };
        let mut unique = base.clone();
        let mut n = 1;
        while taken(&headings, &unique) {
            unique = format!("{base}{sep}{n}");
            n += 1;
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        headings.push(Heading {
            level,
            id: unique,
            text: text.trim().to_string(),
        });
        i = j;
    }
    (events, headings)
}
