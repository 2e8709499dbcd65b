//! Markdown to HTML: CommonMark plus tables, footnotes, strikethrough, task
//! lists, unique heading ids, and links between notes.
//!
//! Owns pulldown-cmark. It knows nothing of notes or files: every wikilink and
//! relative `.md` link is handed to a [`Resolver`], and the outcome (a URL, an
//! opaque target id, or a problem with a byte span) is recorded. Pure: no I/O.

mod autolink;
mod footnotes;
mod headings;
mod highlight;
pub(crate) mod html;
pub(crate) mod inspect;

use std::ops::Range;

use footnotes::FootnoteIds;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

pub use autolink::AutoLink;
pub use headings::{heading_id, Heading, RESERVED_IDS};
pub use inspect::{inspect, inspect_with, FileRef, Inspection};

/// A resolved link: where it points and which note it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The page URL (with the base path), without a fragment.
    pub url: String,
    /// Opaque id of the target, meaningful to the resolver.
    pub id: u32,
    /// The target's title, shown for a wikilink written without a label.
    pub title: String,
    /// The wikilink named the target by its title or an alias exactly as
    /// written (same case): it shows those words, not the title.
    pub named: bool,
}

/// Why a link could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// One sentence.
    pub message: String,
    /// Suggestions.
    pub hints: Vec<String>,
    /// The target is known to be broken and already reported: no problem.
    pub quiet: bool,
}

/// Answers link questions for one note.
pub trait Resolver {
    /// Resolves a wikilink target such as `netease`, `companies/netease` or `NetEase`.
    fn wikilink(&self, target: &str) -> Result<Target, Unresolved>;
    /// Resolves a relative link to a Markdown file such as `../companies/netease.md`.
    fn relative(&self, path: &str) -> Result<Target, Unresolved>;
    /// The target of an auto-linked mention of note `id`, if it may be linked.
    fn mention(&self, _id: u32) -> Option<Target> {
        None
    }
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkKind {
    /// `[[target]]`.
    Wikilink,
    /// `[text](other.md)`.
    Relative,
    /// The first mention of a title or alias, linked automatically.
    Mention,
}

/// A link from this body to another note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutLink {
    /// The resolver's id of the target.
    pub target: u32,
    /// How it was written.
    pub kind: LinkKind,
    /// Byte range in the body.
    pub span: Range<usize>,
    /// The heading id it points to (`#fragment`, as an id), if any.
    pub fragment: Option<String>,
}

/// A problem in the body, located by byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte range in the body.
    pub span: Range<usize>,
    /// One sentence.
    pub message: String,
    /// Suggestions.
    pub hints: Vec<String>,
}

/// A rendered body. The large texts are shared (`Arc<str>`), so that a
/// session keeping a rendering, or replaying it, does not copy them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: std::sync::Arc<str>,
    /// Headings with their ids, in order.
    pub headings: Vec<Heading>,
    /// Links to other notes, in order.
    pub links: Vec<OutLink>,
    /// Unresolved links and other problems, at most
    /// [`MAX_PER_FILE`](crate::diag::MAX_PER_FILE).
    pub problems: Vec<Problem>,
    /// Problems found beyond those kept in `problems`.
    pub more_problems: usize,
    /// The first paragraph as plain text, for a default summary.
    pub first_paragraph: std::sync::Arc<str>,
    /// Everything before a `<!-- more -->` line as plain text, when the
    /// body has one: the summary its author cut.
    pub lead: Option<std::sync::Arc<str>>,
    /// Words in the body's text (see [`crate::model::views::word_count`]).
    pub word_count: usize,
    /// Plain text of the whole body, for search.
    pub plain_text: std::sync::Arc<str>,
    /// Every link question asked, in order, with its answer: replaying them
    /// tells whether this rendering is still valid after other notes changed.
    pub queries: Vec<Query>,
    /// What the lints need to know of the body, when asked for (see
    /// [`Keep`]).
    pub inspection: Option<inspect::Inspection>,
}

/// How bodies are written out: the site's `markdown:` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Colour fenced code blocks whose language is known
    /// ([`highlight`](self::highlight)).
    pub highlight: bool,
    /// Curly quotes, dashes for `--` and `---`, `…` for `...`.
    pub smart_punctuation: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            highlight: true,
            smart_punctuation: false,
        }
    }
}

/// What a rendering keeps beside the HTML, which only some callers need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Every link question and its answer (`Rendered::queries`), for a
    /// session to [`replay`]. A plain build has no use for them: at
    /// 100,000 notes they are millions of strings.
    pub queries: bool,
    /// The lints' inspection of the body (`Rendered::inspection`).
    pub inspection: bool,
    /// The body's plain text (`Rendered::plain_text`), for the search
    /// index: `check`, which makes none, goes without.
    pub text: bool,
    /// The body's HTML (`Rendered::html`). Without it, a body that has
    /// any is [`STAND_IN_HTML`]: for `check` with no page fingerprints to
    /// compare, which throws its pages away (writing HTML cannot fail).
    pub html: bool,
}

/// `Rendered::html` of a body with content when [`Keep::html`] is off:
/// not empty, so that templates testing `content` go the same way.
pub const STAND_IN_HTML: &str = "<p></p>\n";

impl Keep {
    /// The queries, not the inspection: what [`render_with`] keeps.
    pub const QUERIES: Keep = Keep {
        queries: true,
        inspection: false,
        text: true,
        html: true,
    };
}

/// A question put to the [`Resolver`] while rendering, and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which resolver method.
    pub kind: LinkKind,
    /// The argument.
    pub text: String,
    /// `(url, title, named)` of the answer, or `None` if it failed.
    pub answer: Option<(String, String, bool)>,
}

/// Reuses an earlier rendering of the same body if every link question
/// still gets the same answer (only the target ids are refreshed), so a
/// session re-renders only bodies whose links changed meaning.
pub fn replay(cached: &Rendered, resolver: &dyn Resolver) -> Option<Rendered> {
    if !cached.problems.is_empty() || cached.more_problems > 0 {
        return None;
    }
    let mut ids = Vec::with_capacity(cached.links.len());
    for q in &cached.queries {
        let answer = match q.kind {
            LinkKind::Wikilink => resolver.wikilink(&q.text),
            LinkKind::Relative => resolver.relative(&q.text),
            LinkKind::Mention => q
                .text
                .parse()
                .ok()
                .and_then(|id| resolver.mention(id))
                .ok_or_else(|| Unresolved {
                    message: String::new(),
                    hints: Vec::new(),
                    quiet: true,
                }),
        };
        match (answer, &q.answer) {
            (Ok(t), Some((url, title, named)))
                if t.url == *url && t.title == *title && t.named == *named =>
            {
                ids.push(t.id)
            }
            _ => return None,
        }
    }
    if ids.len() != cached.links.len() {
        return None;
    }
    let mut out = cached.clone();
    for (link, id) in out.links.iter_mut().zip(ids) {
        link.target = id;
    }
    Some(out)
}

fn options(settings: Settings) -> Options {
    let smart = if settings.smart_punctuation {
        Options::ENABLE_SMART_PUNCTUATION
    } else {
        Options::empty()
    };
    smart
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Splits `target#fragment`.
fn split_fragment(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((t, f)) => (t, Some(f)),
        None => (dest, None),
    }
}

/// Is `dest` a relative link to a Markdown file?
pub(crate) fn is_relative_md(dest: &str) -> bool {
    let (path, _) = split_fragment(dest);
    !path.is_empty()
        && !path.contains("://")
        && !path.starts_with('/')
        && !path.starts_with("mailto:")
        && path.to_ascii_lowercase().ends_with(".md")
}

fn with_fragment(url: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) if !f.is_empty() => format!("{url}#{}", fragment_id(f)),
        _ => url.to_string(),
    }
}

/// The id of the heading a link's `#Fragment` names: its slug, or, for a
/// heading named like an id the page keeps for itself (`Top`, `Main`),
/// the id that heading gets instead (`top_1`).
fn fragment_id(fragment: &str) -> String {
    let id = heading_id(fragment);
    if headings::RESERVED_IDS.contains(&id.as_str()) {
        format!("{id}_1")
    } else {
        id
    }
}

struct State<'r> {
    resolver: &'r dyn Resolver,
    /// Record each link question in `out.queries`?
    keep_queries: bool,
    /// Gather `plain_text`?
    keep_text: bool,
    out: Rendered,
    /// `out.first_paragraph` and `out.plain_text` while they grow.
    first_paragraph: String,
    plain_text: String,
    /// Inside a wikilink without a label: its text becomes the target's title.
    relabel: Option<Option<String>>,
    /// `[[#Heading]]` links to this body's own headings: (id, span),
    /// checked once the headings are known.
    own_fragments: Vec<(String, Range<usize>)>,
    /// The title of a resolved `[[target|text]]` whose text is still to
    /// come: if none comes (`[[target|]]`), the title is shown.
    unlabelled: Option<String>,
    paragraph_depth: usize,
    first_done: bool,
    /// Inside a footnote's definition: its text is the footnote's, not the
    /// note's first paragraph or lead.
    in_footnote: usize,
    /// Words counted so far, and whether the text so far ends inside one
    /// (a word can be split across pieces of text: `AT&amp;T`).
    words: usize,
    in_word: bool,
    /// The text before `<!-- more -->` while it grows, for a body that
    /// may have one; `None` once it is met, or when the body has none.
    lead: Option<String>,
}

impl State<'_> {
    /// Resolves a link: `(url with fragment, title, named)` (see
    /// [`Target::named`]), or `None` after noting the problem.
    fn link(
        &mut self,
        kind: LinkKind,
        dest: &str,
        span: Range<usize>,
    ) -> Option<(String, String, bool)> {
        let (path, fragment) = split_fragment(dest);
        if kind == LinkKind::Wikilink && path.trim().is_empty() {
            // `[[#Heading]]`: a heading of this very note.
            if let Some(f) = fragment.map(str::trim).filter(|f| !f.is_empty()) {
                let id = fragment_id(f);
                self.own_fragments.push((id.clone(), span));
                return Some((format!("#{id}"), f.to_string(), false));
            }
        }
        // A wikilink wrapped over two lines names what it would on one.
        let joined;
        let text = match kind {
            LinkKind::Wikilink | LinkKind::Mention if path.contains(['\n', '\r', '\t']) => {
                joined = collapse_spaces(path).replace("/ ", "/");
                joined.as_str()
            }
            LinkKind::Wikilink | LinkKind::Mention => path.trim(),
            LinkKind::Relative => path,
        };
        let result = match kind {
            LinkKind::Wikilink | LinkKind::Mention => self.resolver.wikilink(text),
            LinkKind::Relative => self.resolver.relative(text),
        };
        if self.keep_queries {
            self.out.queries.push(Query {
                kind,
                text: text.to_string(),
                answer: result
                    .as_ref()
                    .ok()
                    .map(|t| (t.url.clone(), t.title.clone(), t.named)),
            });
        }
        match result {
            Ok(target) => {
                self.out.links.push(OutLink {
                    target: target.id,
                    kind,
                    span,
                    fragment: fragment.filter(|f| !f.is_empty()).map(fragment_id),
                });
                Some((
                    with_fragment(&target.url, fragment),
                    target.title,
                    target.named,
                ))
            }
            Err(u) if u.quiet => None,
            Err(_) if self.out.problems.len() >= crate::diag::MAX_PER_FILE => {
                self.out.more_problems += 1;
                None
            }
            Err(u) => {
                self.out.problems.push(Problem {
                    span,
                    message: u.message,
                    hints: u.hints,
                });
                None
            }
        }
    }

    /// Ends a block of the plain text.
    fn end_block(&mut self) {
        self.in_word = false;
        if self.keep_text {
            self.plain_text.push('\n');
        }
        if let Some(lead) = self.lead.as_mut() {
            lead.push(' ');
        }
    }

    fn text(&mut self, text: &str) {
        let (words, in_word) = crate::model::views::count_words(text, self.in_word);
        self.words += words;
        self.in_word = in_word;
        if self.in_footnote == 0 {
            if let Some(lead) = self.lead.as_mut() {
                lead.push_str(text);
            }
            if self.paragraph_depth > 0 && !self.first_done {
                self.first_paragraph.push_str(text);
            }
        }
        if self.keep_text {
            self.plain_text.push_str(text);
        }
    }

    fn event<'a>(&mut self, event: Event<'a>, span: Range<usize>) -> Event<'a> {
        if self.unlabelled.is_some() {
            let nothing = match &event {
                Event::End(TagEnd::Link) => true,
                Event::Text(t) => t.trim().is_empty(),
                _ => false,
            };
            if !nothing {
                self.unlabelled = None;
            }
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kind = match link_type {
                    LinkType::WikiLink { .. } => Some(LinkKind::Wikilink),
                    _ if is_relative_md(&dest_url) => Some(LinkKind::Relative),
                    _ => None,
                };
                // In a table, `[[target\|label]]` escapes its pipe from
                // the cell: the target ends at the backslash.
                let dest_url = match link_type {
                    LinkType::WikiLink { has_pothole: true } if dest_url.ends_with('\\') => {
                        CowStr::from(dest_url[..dest_url.len() - 1].to_string())
                    }
                    _ => dest_url,
                };
                let resolved = kind.and_then(|k| self.link(k, &dest_url, span));
                if let LinkType::WikiLink { has_pothole: true } = link_type {
                    self.unlabelled = resolved.as_ref().map(|(_, title, _)| title.clone());
                }
                if let LinkType::WikiLink { has_pothole: false } = link_type {
                    // A link written as a slug or key shows the title; one
                    // written as a name (a title or an alias, as the prose
                    // needs it) keeps the author's words.
                    // (`[[#Heading]]` shows the heading's name, and a link
                    // to a heading of another note its title.) Written
                    // lowercase, a name looks like a slug: it keeps its
                    // words if the note has it exactly so (`[[tiktok]]`
                    // with `aliases: [tiktok]`).
                    let (path, fragment) = split_fragment(&dest_url);
                    let by_name = !names_by_slug(path);
                    self.relabel = Some(resolved.as_ref().map(|(_, title, named)| {
                        if fragment.is_none() && (by_name || *named) {
                            collapse_spaces(path)
                        } else {
                            title.clone()
                        }
                    }));
                }
                let dest_url = match resolved {
                    Some((url, _, _)) => CowStr::from(url),
                    None if kind.is_some() => CowStr::from("#broken-link"),
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Paragraph) => {
                self.paragraph_depth += 1;
                event
            }
            Event::Start(Tag::FootnoteDefinition(_)) => {
                self.in_footnote += 1;
                event
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.in_footnote = self.in_footnote.saturating_sub(1);
                event
            }
            Event::End(TagEnd::Paragraph) => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                if !self.first_paragraph.trim().is_empty() {
                    self.first_done = true;
                }
                self.end_block();
                event
            }
            Event::Text(_) if self.relabel.is_some() => {
                // The first text of an unlabelled wikilink shows the title;
                // a failed one keeps its text.
                match self.relabel.as_mut().and_then(Option::take) {
                    Some(title) => {
                        self.text(&title);
                        Event::Text(CowStr::from(title))
                    }
                    None => {
                        if let Event::Text(t) = &event {
                            self.text(t);
                        }
                        event
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                self.relabel = None;
                event
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                let t = t.clone();
                self.text(&t);
                event
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text(" ");
                event
            }
            // A tag (`one<br>two`) parts words as a space does.
            Event::InlineHtml(_) | Event::Html(_) => {
                self.in_word = false;
                event
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                self.end_block();
                event
            }
            _ => event,
        }
    }
}

/// Is a wikilink's target written as a slug (lowercase ASCII letters,
/// digits, `-`, `_`) or as a `collection/...` key, rather than as a name?
/// `[[alibaba-leadership-handover]]` and `[[topics/Cloud Computing]]` show
/// the note's title; `[[Biden administration]]` and `[[cloud computing]]`
/// show as written.
fn names_by_slug(target: &str) -> bool {
    let t = target.trim();
    t.is_empty()
        || t.contains('/')
        || t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
}

/// Renders `body`, resolving links to other notes with `resolver`.
pub fn render(body: &str, resolver: &dyn Resolver) -> Rendered {
    render_with(body, resolver, None)
}

/// `render`, auto-linking first mentions of other notes when `auto` is given.
pub fn render_with(body: &str, resolver: &dyn Resolver, auto: Option<&AutoLink<'_>>) -> Rendered {
    render_keeping(body, resolver, auto, Keep::QUERIES, Settings::default())
}

/// `render_with`, keeping the link questions and inspecting the body for
/// the lints (from the same parse) as `keep` asks.
pub fn render_keeping(
    body: &str,
    resolver: &dyn Resolver,
    auto: Option<&AutoLink<'_>>,
    keep: Keep,
    settings: Settings,
) -> Rendered {
    let parser = Parser::new_ext(body, options(settings)).into_offset_iter();
    // The code block being gathered: its language (or "") and its text
    // so far.
    let mut code: Option<(String, String)> = None;
    let mut inspector = keep.inspection.then(inspect::Inspector::default);
    let mut state = State {
        resolver,
        keep_queries: keep.queries,
        keep_text: keep.text,
        out: Rendered::default(),
        first_paragraph: String::new(),
        // The text is shorter than the Markdown it comes from.
        plain_text: String::with_capacity(if keep.text { body.len() } else { 0 }),
        relabel: None,
        own_fragments: Vec::new(),
        unlabelled: None,
        paragraph_depth: 0,
        first_done: false,
        lead: may_have_cut(body).then(String::new),
        in_footnote: 0,
        words: 0,
        in_word: false,
    };
    // About one event per 25 bytes of Markdown: room for more than that,
    // so that the list is not copied as it grows.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16 + 16);
    let mut footnotes = FootnoteIds::default();
    let mut raw_anchors = false;
    // The raw HTML read so far, to close a comment the body leaves open.
    let mut raw_html = html::Scanner::default();
    for (e, span) in parser {
        if let Some(inspector) = inspector.as_mut() {
            inspector.see(&e, &span);
        }
        match state.event(e, span) {
            Event::Start(Tag::CodeBlock(kind)) if keep.html => {
                let language = match &kind {
                    CodeBlockKind::Fenced(info) => highlight::language(info),
                    CodeBlockKind::Indented => "",
                };
                code = Some((language.to_string(), String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, text)) = code.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) if code.is_some() => {
                if let Some((language, text)) = code.take() {
                    let html = code_block(&language, &text, settings.highlight);
                    events.push(Event::Html(CowStr::from(html)));
                }
            }
            // Tables scroll inside a wrapper on narrow screens.
            e @ Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::from("<div class=\"table-wrap\">\n")));
                events.push(e);
            }
            e @ Event::End(TagEnd::Table) => {
                events.push(e);
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            // `[[target|]]`: no text of its own, so the title.
            e @ Event::End(TagEnd::Link) => {
                if let Some(title) = state.unlabelled.take() {
                    state.text(&title);
                    events.push(Event::Text(CowStr::from(title)));
                }
                events.push(e);
            }
            // Footnotes get ids of their own kind, apart from the
            // headings' and the templates' (`#main`).
            Event::FootnoteReference(label) => {
                events.push(Event::FootnoteReference(footnotes.id(&label).into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events.push(Event::Start(Tag::FootnoteDefinition(
                    footnotes.id(&label).into(),
                )));
            }
            Event::InlineHtml(h) | Event::Html(h) if state.lead.is_some() && is_cut(&h) => {
                // Nothing before it (`<!-- more -->` first): no lead, and
                // the first paragraph is the summary as ever.
                if let Some(lead) = state.lead.take() {
                    let lead = collapse_spaces(&lead);
                    state.out.lead = (!lead.is_empty()).then(|| lead.into());
                }
                raw_html.scan(&h, |_| {});
                events.push(Event::Html(h));
            }
            Event::InlineHtml(h) => {
                raw_anchors |= html::anchor_tag(&h).is_some();
                raw_html.scan(&h, |_| {});
                events.push(Event::InlineHtml(h));
            }
            Event::Html(h) => {
                raw_anchors |= html::anchor_balance(&h) != 0;
                raw_html.scan(&h, |_| {});
                events.push(Event::Html(h));
            }
            e => events.push(e),
        }
    }
    // A comment left open would hide the rest of the page after the body
    // (its related notes, backlinks and footer): it ends with the body.
    // (`brief check` warns of it.)
    if raw_html.in_comment() {
        events.push(Event::Html(CowStr::from("-->\n")));
    }
    let events = match auto {
        Some(auto) => autolink::apply(events, auto, resolver, &mut state.out, keep.queries),
        None => events,
    };
    let numbers = footnotes::numbering(&events);
    let events = if raw_anchors {
        unnest_links(events, &numbers)
    } else {
        events
    };
    let (events, references) = footnotes::place(events, &numbers);
    let footnote_ids: Vec<&str> = footnotes
        .ids()
        .chain(references.iter().map(String::as_str))
        .collect();
    let (events, headings) = headings::assign_ids(events, &footnote_ids);
    let html = if keep.html {
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    } else if events.is_empty() {
        String::new()
    } else {
        STAND_IN_HTML.to_string()
    };
    let mut out = state.out;
    for (id, span) in state.own_fragments {
        if headings.iter().any(|h| h.id == id) {
            continue;
        }
        if out.problems.len() >= crate::diag::MAX_PER_FILE {
            out.more_problems += 1;
            continue;
        }
        let ids: Vec<String> = headings
            .iter()
            .take(8)
            .map(|h| format!("#{}", h.id))
            .collect();
        let hint = if ids.is_empty() {
            "this note has no headings: link a heading of another note with [[note#Heading]]"
                .to_string()
        } else {
            format!("its headings: {}", ids.join(", "))
        };
        out.problems.push(Problem {
            span,
            message: format!("broken link to \"#{id}\": this note has no heading with this id"),
            hints: vec![hint],
        });
    }
    out.html = html.into();
    out.headings = headings;
    out.first_paragraph = collapse_spaces(&state.first_paragraph).into();
    out.plain_text = state.plain_text.into();
    out.word_count = state.words;
    out.inspection = inspector.map(inspect::Inspector::finish);
    out
}

/// `text` as smart punctuation typesets it in prose (`O'Brien` as
/// `O’Brien`, `"Best" Co` as `“Best” Co`, `--` as `–`), if that changes
/// it: the form in which auto-linking finds a name in a typeset body.
pub fn typeset(text: &str) -> Option<String> {
    // What smart punctuation changes: quotes, `--` and `...`.
    if !(text.contains(['\'', '"']) || text.contains("--") || text.contains("...")) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for event in Parser::new_ext(text, Options::ENABLE_SMART_PUNCTUATION) {
        if let Event::Text(t) = event {
            out.push_str(&t);
        }
    }
    (out != text && !out.is_empty()).then_some(out)
}

/// Could `body` have a `<!-- more -->` (quickly: it has a comment)?
fn may_have_cut(body: &str) -> bool {
    memchr::memmem::find(body.as_bytes(), b"<!--").is_some()
}

/// Is `html` the cut between a summary and the rest: `<!-- more -->`, in
/// any case and spacing, alone on its line or in its paragraph?
fn is_cut(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|h| h.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
}

/// A code block of `language` (`""` for none) holding `code`, as HTML:
/// coloured where a grammar knows the language and `highlight` asks for
/// it. The `<pre>` takes the keyboard's focus, so that a reader without a
/// mouse can scroll a long line into view.
fn code_block(language: &str, code: &str, highlight: bool) -> String {
    let mut html = String::with_capacity(code.len() * 3 / 2 + 64);
    html.push_str("<pre tabindex=\"0\"><code");
    if !language.is_empty() {
        html.push_str(" class=\"language-");
        push_escaped(&mut html, language);
        html.push('"');
    }
    html.push('>');
    let spans = if highlight {
        highlight::highlight(language, code)
    } else {
        None
    };
    match spans {
        Some(spans) => html.push_str(&spans),
        None => push_escaped(&mut html, code),
    }
    html.push_str("</code></pre>\n");
    html
}

/// How many of the author's own `<a>` tags are open, event by event: a
/// link there would be a link inside a link. An anchor left open ends with
/// its block.
/// (HTML inside an image's text is escaped into its `alt`: it opens
/// nothing.)
#[derive(Debug, Default)]
pub(crate) struct RawAnchors {
    open: usize,
    /// Anchors opened in block HTML (`<a href="...">` on a line of its
    /// own, wrapping paragraphs): open until a block closes them.
    block: usize,
    /// Where the block HTML seen so far left off (inside a comment?).
    html: html::Scanner,
    images: usize,
}

impl RawAnchors {
    /// Takes `event` into account.
    pub(crate) fn see(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            Event::InlineHtml(h) if self.images == 0 => match html::anchor_tag(h) {
                Some(true) => self.open += 1,
                // It closes the inline anchor open, or else one opened by
                // block HTML.
                Some(false) if self.open > 0 => self.open -= 1,
                Some(false) => self.block = self.block.saturating_sub(1),
                None => {}
            },
            Event::Html(h) => {
                if !self.html.in_comment() {
                    self.block = self.block.saturating_add_signed(html::anchor_balance(h));
                }
                self.html.scan(h, |_| {});
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.open = 0,
            _ => {}
        }
    }

    /// Is one open after the events seen so far?
    pub(crate) fn open(&self) -> bool {
        self.open > 0 || self.block > 0
    }
}

/// Removes the anchors of links written inside a raw `<a>…</a>` (HTML has
/// no link inside a link; a browser would break the outer one apart): their
/// text stays, inside the author's own anchor. The links still count as
/// references. A footnote reference there keeps its number, unlinked.
fn unnest_links<'e>(events: Vec<Event<'e>>, numbers: &footnotes::Numbers) -> Vec<Event<'e>> {
    // Which events are inside an anchor of the author's.
    let mut anchors = RawAnchors::default();
    let mut inside = Vec::with_capacity(events.len());
    for e in &events {
        anchors.see(e);
        inside.push(anchors.open());
    }
    let mut out = Vec::with_capacity(events.len());
    // For each link open: was its anchor left out?
    let mut open: Vec<bool> = Vec::new();
    for (e, inside) in events.into_iter().zip(inside) {
        let e = match e {
            Event::Start(Tag::Link { .. }) => {
                open.push(inside);
                if inside {
                    continue;
                }
                e
            }
            Event::End(TagEnd::Link) => {
                if open.pop().unwrap_or(false) {
                    continue;
                }
                e
            }
            Event::FootnoteReference(id) if inside => footnotes::unlinked(numbers, &id),
            e => e,
        };
        out.push(e);
    }
    out
}

/// Is `c` a character HTML forbids in a document: a control character
/// other than tab, line feed, form feed and return, or a noncharacter?
fn forbidden_in_html(c: char) -> bool {
    let c = u32::from(c);
    (c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0c | 0x0d))
        || (0x7f..=0x9f).contains(&c)
        || (0xfdd0..=0xfdef).contains(&c)
        || c & 0xfffe == 0xfffe
}

/// The bytes that may belong to a character HTML forbids: see
/// [`html_chars`].
static SUSPECT: [bool; 256] = {
    let mut suspect = [false; 256];
    let mut b = 0;
    while b < 256 {
        suspect[b] = (b < 0x20 && !matches!(b, 0x09 | 0x0a | 0x0c | 0x0d))
            || b == 0x7f
            || b == 0xc2
            || b == 0xef
            || b >= 0xf0;
        b += 1;
    }
    suspect
};

/// `text` with every character HTML forbids (see [`forbidden_in_html`])
/// made U+FFFD, or `None` if it has none. A byte scan first: such a
/// character needs a control byte, or a lead byte 0xC2 (U+0080-U+00BF),
/// 0xEF (U+FDD0-U+FFFF) or 0xF0-0xF4 (planes 1-16).
pub fn html_chars(text: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !text.bytes().any(|b| SUSPECT[usize::from(b)]) || !text.chars().any(forbidden_in_html) {
        return None;
    }
    let mapped = text
        .chars()
        .map(|c| if forbidden_in_html(c) { '\u{fffd}' } else { c })
        .collect();
    Some(std::borrow::Cow::Owned(mapped))
}

/// Escapes text for HTML content and quoted attributes (`& < > " '`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Appends `text` HTML-escaped to `out`, with any character HTML forbids
/// (see [`html_chars`]) as U+FFFD.
pub fn push_escaped(out: &mut String, text: &str) {
    let text = html_chars(text).unwrap_or(std::borrow::Cow::Borrowed(text));
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, &text);
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_spaces(text: &str) -> String {
    let b = text.as_bytes();
    // Most text is collapsed already: printable ASCII (no tab or line
    // break, nothing `split_whitespace` would split on but the space),
    // one space between words and none around them. Checked without
    // stopping early, so that the check runs many bytes at a time.
    let printable = b
        .iter()
        .fold(true, |ok, &c| ok & (c.wrapping_sub(0x20) < 0x5f));
    let collapsed = printable
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && memchr::memmem::find(b, b"  ").is_none();
    if collapsed {
        return text.to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
