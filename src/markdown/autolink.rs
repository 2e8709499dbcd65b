//! Auto-linked mentions: the first prose mention of another note's title or
//! alias becomes a link to it. Never inside code, links (Markdown's or raw
//! `<a>`), images or headings, never the note's own name, never a note the
//! body already links to explicitly; longest name wins (via [`Mentions`]).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{LinkKind, OutLink, Query, Rendered, Resolver};
use crate::mentions::Mentions;

/// What auto-linking needs for one body.
pub struct AutoLink<'a> {
    /// Every linkable name.
    pub mentions: &'a Mentions,
    /// The id of the note whose body this is (never linked to itself).
    pub from: u32,
}

/// Adjacent text events (pulldown-cmark splits text at some characters)
/// merged, so a name is found even across such a split. Each run is joined
/// in one growing string: joining pair by pair copied the run so far at
/// every piece, which a paragraph of many pieces made quadratic.
fn merge_text(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    // The text of the run that ends `out`, once it has a second piece.
    let mut run: Option<String> = None;
    for e in events {
        match (out.last(), e) {
            (Some(Event::Text(first)), Event::Text(t)) => {
                run.get_or_insert_with(|| first.to_string()).push_str(&t);
            }
            (_, e) => {
                end_run(&mut out, &mut run);
                out.push(e);
            }
        }
    }
    end_run(&mut out, &mut run);
    out
}

/// Puts a joined run in place of its first piece, at the end of `out`.
fn end_run(out: &mut [Event<'_>], run: &mut Option<String>) {
    if let (Some(joined), Some(Event::Text(first))) = (run.take(), out.last_mut()) {
        *first = CowStr::from(joined);
    }
}

/// Links first mentions in `events`; records links in `out`, and the
/// queries if `keep_queries`.
pub fn apply<'e>(
    events: Vec<Event<'e>>,
    auto: &AutoLink<'_>,
    resolver: &dyn Resolver,
    out: &mut Rendered,
    keep_queries: bool,
) -> Vec<Event<'e>> {
    let linked: Vec<u32> = out.links.iter().map(|l| l.target).collect();
    let mut reported: HashSet<u32> = HashSet::new();
    let mut depth = 0usize;
    let mut anchors = super::RawAnchors::default();
    let mut result = Vec::with_capacity(events.len());
    for event in merge_text(events) {
        // Nor inside the author's own `<a>…</a>`.
        anchors.see(&event);
        match &event {
            Event::Start(
                Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::CodeBlock(_),
            ) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        let Event::Text(text) = &event else {
            result.push(event);
            continue;
        };
        if depth > 0 || anchors.open() {
            result.push(event);
            continue;
        }
        let found = auto.mentions.find(text, auto.from, &linked, &mut reported);
        if found.is_empty() {
            result.push(event);
            continue;
        }
        let text = text.to_string();
        let mut at = 0;
        for m in found {
            let end = m.offset + m.name.len();
            let Some(target) = resolver.mention(m.target) else {
                continue;
            };
            if !text.is_char_boundary(end) || m.offset < at {
                continue;
            }
            if keep_queries {
                out.queries.push(Query {
                    kind: LinkKind::Mention,
                    text: m.target.to_string(),
                    answer: Some((target.url.clone(), target.title.clone(), target.named)),
                });
            }
            out.links.push(OutLink {
                target: target.id,
                kind: LinkKind::Mention,
                span: 0..0,
                fragment: None,
            });
            if m.offset > at {
                result.push(Event::Text(CowStr::from(text[at..m.offset].to_string())));
            }
            result.push(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(target.url),
                title: CowStr::from(""),
                id: CowStr::from(""),
            }));
            result.push(Event::Text(CowStr::from(text[m.offset..end].to_string())));
            result.push(Event::End(TagEnd::Link));
            at = end;
        }
        if at < text.len() {
            result.push(Event::Text(CowStr::from(text[at..].to_string())));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Event<'_> {
        Event::Text(CowStr::from(t))
    }

    #[test]
    fn merge_text_joins_each_run_of_text_and_keeps_other_events_in_place() {
        let events = vec![
            text("Ali"),
            text("baba"),
            text(" and "),
            Event::SoftBreak,
            text("Net"),
            Event::Code(CowStr::from("x")),
            text("a"),
            text("["),
            text("b"),
            text("]"),
        ];
        let merged = merge_text(events);
        assert_eq!(
            merged,
            vec![
                text("Alibaba and "),
                Event::SoftBreak,
                text("Net"),
                Event::Code(CowStr::from("x")),
                text("a[b]"),
            ]
        );
    }

    #[test]
    fn merge_text_of_many_pieces_is_their_concatenation() {
        let pieces: Vec<String> = (0..5000).map(|i| format!("p{i} ")).collect();
        let events: Vec<Event<'_>> = pieces.iter().map(|p| text(p)).collect();
        let merged = merge_text(events);
        assert_eq!(merged, vec![Event::Text(CowStr::from(pieces.concat()))]);
    }
}
