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
    /// Is it inside a footnote (in the list after the body)? It can be
    /// linked to, but is no part of the body's contents.
    pub in_footnote: bool,
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
    // A body has a few headings, searched from the start; past a few
    // dozen (a note of repeated `## Notes`), sets, so that ids stay
    // linear in the headings.
    const FEW: usize = 32;
    let many_notes: Option<std::collections::HashSet<&str>> =
        (footnotes.len() > FEW).then(|| footnotes.iter().copied().collect());
    let mut given_ids: std::collections::HashSet<String> = Default::default();
    let taken = |headings: &[Heading], given_ids: &std::collections::HashSet<String>, id: &str| {
        RESERVED_IDS.contains(&id)
            || match &many_notes {
                Some(set) => set.contains(id),
                None => footnotes.contains(&id),
            }
            || if headings.len() > FEW {
                given_ids.contains(id)
            } else {
                headings.iter().any(|h| h.id == id)
            }
    };
    // For each base tried with a number, the next number to try: the ones
    // before it were taken then, and still are.
    let mut next_number: std::collections::HashMap<String, usize> = Default::default();
    let mut headings: Vec<Heading> = Vec::new();
    // Past the start of the footnotes' list.
    let mut in_footnotes = false;
    let mut i = 0;
    while i < events.len() {
        if let Event::Html(h) = &events[i] {
            in_footnotes |= h.as_ref() == super::footnotes::LIST_START;
        }
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
        if taken(&headings, &given_ids, &unique) {
            let mut n = next_number.get(&base).copied().unwrap_or(1);
            loop {
                unique = format!("{base}{sep}{n}");
                n += 1;
                if !taken(&headings, &given_ids, &unique) {
                    break;
                }
            }
            next_number.insert(base.clone(), n);
        }
        if headings.len() >= FEW {
            if headings.len() == FEW {
                given_ids.extend(headings.iter().map(|h| h.id.clone()));
            }
            given_ids.insert(unique.clone());
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique.clone()));
        }
        headings.push(Heading {
            level,
            id: unique,
            text: text.trim().to_string(),
            in_footnote: in_footnotes,
        });
        i = j;
    }
    (events, headings)
}
