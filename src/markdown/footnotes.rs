//! Footnotes: their ids, their numbers, and their place at the end of the
//! body, each with links back to where it is referenced, as GitHub, Hugo
//! and Zola's `bottom_footnotes` show them.
//!
//! pulldown-cmark's writer leaves a definition where it was written and
//! gives it no way back to the text; here the definitions are gathered into
//! one list after the body, numbered in the order their references are
//! read, and every linked reference gets an id the list links back to.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

/// How the list of footnotes after the body starts.
pub(crate) const LIST_START: &str = "<section class=\"footnotes\">\n<ol>\n";

/// The id of footnote `label` (`[^Source 1]`): `fn:source-1`, lowercase,
/// with a dash for each space or sign that has a meaning in an address
/// (`#`, `%`, `?`...). A heading's id never has a `:` (unless its author
/// writes one), so the two never meet.
fn footnote_id(label: &str) -> String {
    let mut id = String::with_capacity(label.len() + 3);
    id.push_str("fn:");
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        let plain = c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
        id.push(if plain { c } else { '-' });
    }
    id
}

/// The ids of a body's footnotes, given as their labels come: one label
/// (matched as the parser matches them, `[^STRASSE]` with `[^straße]:`)
/// keeps one id, and two labels never share one (`[^a b]` and `[^a-b]`
/// are `fn:a-b` and `fn:a-b-2`).
#[derive(Debug, Default)]
pub(crate) struct FootnoteIds {
    /// (label as first written, id).
    seen: Vec<(String, String)>,
    /// Each label, case-folded as the parser matches them, to its place in
    /// `seen`.
    by_label: HashMap<unicase::UniCase<String>, usize>,
    /// Every id given.
    taken: std::collections::HashSet<String>,
}

impl FootnoteIds {
    /// The id of `label`.
    pub(crate) fn id(&mut self, label: &str) -> String {
        let wanted = unicase::UniCase::new(label.to_string());
        if let Some(&at) = self.by_label.get(&wanted) {
            return self.seen[at].1.clone();
        }
        let base = footnote_id(label);
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.by_label.insert(wanted, self.seen.len());
        self.taken.insert(id.clone());
        self.seen.push((label.to_string(), id.clone()));
        id
    }

    /// Every id given so far.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.seen.iter().map(|(_, id)| id.as_str())
    }
}

/// The footnotes of a body (by id, as the events carry them) in the order
/// they are numbered: first those cited in the text, in the order of their
/// first citation, then those cited only in other footnotes, then those
/// never cited, in the order written. A footnote's number is its place
/// here, plus one.
pub(crate) fn numbering(events: &[Event<'_>]) -> Numbers {
    let defined: std::collections::HashSet<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::FootnoteDefinition(id)) => Some(id.as_ref()),
            _ => None,
        })
        .collect();
    let mut numbers = Numbers::default();
    if defined.is_empty() {
        return numbers;
    }
    // The text's citations, then the footnotes'.
    for in_notes in [false, true] {
        let mut inside = 0usize;
        for e in events {
            match e {
                Event::Start(Tag::FootnoteDefinition(_)) => inside += 1,
                Event::End(TagEnd::FootnoteDefinition) => inside = inside.saturating_sub(1),
                Event::FootnoteReference(id)
                    if (inside > 0) == in_notes && defined.contains(id.as_ref()) =>
                {
                    numbers.add(id)
                }
                _ => {}
            }
        }
    }
    for e in events {
        if let Event::Start(Tag::FootnoteDefinition(id)) = e {
            numbers.add(id);
        }
    }
    numbers
}

/// The footnotes in their numbered order, and each one's place in it.
#[derive(Debug, Default)]
pub(crate) struct Numbers {
    order: Vec<String>,
    places: HashMap<String, usize>,
}

impl Numbers {
    fn add(&mut self, id: &str) {
        if !self.places.contains_key(id) {
            self.places.insert(id.to_string(), self.order.len());
            self.order.push(id.to_string());
        }
    }

    /// Footnote `id`'s place (its number minus one).
    fn place(&self, id: &str) -> Option<usize> {
        self.places.get(id).copied()
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// The number `numbering` gives footnote `id`, or its id if it has none
/// (a reference to nothing, which the parser does not make).
fn number(numbers: &Numbers, id: &str) -> String {
    match numbers.place(id) {
        Some(i) => (i + 1).to_string(),
        None => id.to_string(),
    }
}

/// A reference shown without a link: inside an `<a>` of the body's own
/// HTML, a link in it would be a link inside a link. (The parser never
/// puts one inside a Markdown link or image.)
pub(crate) fn unlinked(numbers: &Numbers, id: &str) -> Event<'static> {
    let mut html = String::from("<sup class=\"footnote-reference\">");
    let _ = escape_html(&mut html, &number(numbers, id));
    html.push_str("</sup>");
    Event::InlineHtml(CowStr::from(html))
}

/// Moves the footnote definitions of `events` to a list after the body, in
/// `numbers`' order, and links each reference there and back. Returns the
/// events and the ids given to the references (`fnref:1`, `fnref:1:2` for
/// a second reference to the same note), which headings must not take.
pub(crate) fn place<'e>(
    events: Vec<Event<'e>>,
    numbers: &Numbers,
) -> (Vec<Event<'e>>, Vec<String>) {
    if numbers.is_empty() {
        return (events, Vec::new());
    }
    let count = numbers.order.len();
    let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len() + 8);
    // Each footnote's definition (its events) and the ids of its references.
    let mut bodies: Vec<Vec<Event<'e>>> = vec![Vec::new(); count];
    let mut backs: Vec<Vec<String>> = vec![Vec::new(); count];
    let mut ref_ids: Vec<String> = Vec::new();
    let mut taken: std::collections::HashSet<String> = numbers.order.iter().cloned().collect();
    // The definition being read, by its place in `numbers`.
    let mut inside: Option<usize> = None;
    for e in events {
        match e {
            // (`numbering` numbered every definition.)
            Event::Start(Tag::FootnoteDefinition(ref id)) if inside.is_none() => {
                inside = numbers.place(id);
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) if inside.is_some() => {
                inside = None;
                continue;
            }
            _ => {}
        }
        let e = match e {
            Event::FootnoteReference(id) => match numbers.place(&id) {
                Some(i) => {
                    let back = reference_id(&id, backs[i].len(), &taken);
                    taken.insert(back.clone());
                    let mut html = String::with_capacity(64);
                    html.push_str("<sup class=\"footnote-reference\" id=\"");
                    let _ = escape_html(&mut html, &back);
                    html.push_str("\"><a href=\"#");
                    let _ = escape_href(&mut html, &id);
                    html.push_str("\">");
                    html.push_str(&(i + 1).to_string());
                    html.push_str("</a></sup>");
                    backs[i].push(back.clone());
                    ref_ids.push(back);
                    Event::InlineHtml(CowStr::from(html))
                }
                _ => unlinked(numbers, &id),
            },
            e => e,
        };
        match inside {
            Some(i) => bodies[i].push(e),
            None => out.push(e),
        }
    }
    out.push(Event::Html(CowStr::from(LIST_START)));
    for (i, (id, mut body)) in numbers.order.iter().zip(bodies).enumerate() {
        let mut open = String::from("<li id=\"");
        let _ = escape_html(&mut open, id);
        open.push_str("\">\n");
        out.push(Event::Html(CowStr::from(open)));
        let links = back_links(i + 1, &backs[i]);
        if !links.is_empty() {
            // Inside the last paragraph, where the note's text ends.
            let at = match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => body.len() - 1,
                _ => body.len(),
            };
            body.insert(at, Event::InlineHtml(CowStr::from(links)));
        }
        out.extend(body);
        out.push(Event::Html(CowStr::from("</li>\n")));
    }
    out.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    (out, ref_ids)
}

/// The id of the `nth` (from 0) reference to footnote `id`: `fnref:1`,
/// then `fnref:1:2`, `fnref:1:3` ([`reference_base`]); never one in
/// `taken` (the footnotes' ids and the references' given so far).
fn reference_id(id: &str, nth: usize, taken: &std::collections::HashSet<String>) -> String {
    let base = reference_base(id, nth);
    let mut unique = base.clone();
    let mut n = 1;
    while taken.contains(&unique) {
        unique = format!("{base}_{n}");
        n += 1;
    }
    unique
}

/// The id the `nth` (from 0) reference to footnote `id` gets, unless
/// another element has it already: `fnref:1`, `fnref:1:2`...
pub(crate) fn reference_base(id: &str, nth: usize) -> String {
    let rest = id.strip_prefix("fn:").unwrap_or(id);
    if nth == 0 {
        format!("fnref:{rest}")
    } else {
        format!("fnref:{rest}:{}", nth + 1)
    }
}

/// The links from footnote `number` back to its references `ids`: `↩` for
/// the first, `↩²` for the second...
fn back_links(number: usize, ids: &[String]) -> String {
    let mut html = String::new();
    for (k, id) in ids.iter().enumerate() {
        html.push_str(" <a href=\"#");
        let _ = escape_href(&mut html, id);
        html.push_str("\" class=\"footnote-backref\" aria-label=\"Back to reference ");
        html.push_str(&number.to_string());
        if k > 0 {
            html.push('-');
            html.push_str(&(k + 1).to_string());
        }
        // U+FE0E: the arrow as text, not as an emoji.
        html.push_str("\">\u{21a9}\u{fe0e}");
        if k > 0 {
            html.push_str("<sup>");
            html.push_str(&(k + 1).to_string());
            html.push_str("</sup>");
        }
        html.push_str("</a>");
    }
    html
}
