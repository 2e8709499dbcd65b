//! A second, read-only look at a body for `brief check`'s lints: where its
//! prose is (outside links, headings, code and raw HTML: where auto-linking
//! would link a mention), which images lack alt text,
//! and which links point outside the site. A plain `build` never needs
//! it; when the lints run (`check`, `build --strict`), the link pass makes
//! it while it renders each body.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// What the lints need to know about one body, located by byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// Runs of plain prose text, outside links, headings, code and HTML.
    pub prose: Vec<Prose>,
    /// Images whose alt text is empty.
    pub images_without_alt: Vec<Range<usize>>,
    /// Links and autolinks that leave the site: (destination, range).
    pub external_links: Vec<(String, Range<usize>)>,
    /// Markdown links to a place on the page itself (`[x](#id)`): (the
    /// id, range).
    pub local_links: Vec<(String, Range<usize>)>,
    /// Ids the body gives elements beside its headings: footnotes and
    /// their citations, and raw HTML's `id` and `name` attributes.
    pub ids: Vec<String>,
    /// Links and images to a file of the site by its path (`chart.png`,
    /// `/files/report.pdf`, `<img src="map.svg">`), not to a note.
    pub file_links: Vec<FileRef>,
    /// Where an HTML comment that the body never closes begins.
    pub comment_left_open: Option<usize>,
    /// Headings without a word in them (`## `): where each starts.
    pub empty_headings: Vec<usize>,
    /// Footnotes defined a second time: (label, where).
    pub duplicate_footnotes: Vec<(String, usize)>,
}

/// A run of prose: where it is written, and, if its text is not its
/// source as written (`AT&amp;T`, `Web\_Scale`), the text as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    /// Its source range.
    pub range: Range<usize>,
    /// Its text, when the parser decoded references or escapes in it.
    pub decoded: Option<Decoded>,
}

/// The text of a run of prose with references or escapes decoded, and
/// where each piece of it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text as read.
    pub text: String,
    /// (offset in `text`, offset in the body, written as read?) of each
    /// piece the parser gave.
    pieces: Vec<(usize, usize, bool)>,
}

impl Decoded {
    /// Where byte `at` of the text was written in the body (for a decoded
    /// reference or escape, where it starts).
    pub fn source(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= at).saturating_sub(1);
        match self.pieces.get(i) {
            Some(&(read, written, true)) => written + (at - read),
            Some(&(_, written, false)) => written,
            None => 0,
        }
    }
}

impl Prose {
    /// Its text as read, from `body` (the Markdown inspected).
    pub fn text<'b>(&'b self, body: &'b str) -> &'b str {
        match &self.decoded {
            Some(d) => &d.text,
            None => body.get(self.range.clone()).unwrap_or(""),
        }
    }

    /// Where byte `at` of its text was written in the body.
    pub fn source(&self, at: usize) -> usize {
        match &self.decoded {
            Some(d) => d.source(at),
            None => self.range.start + at,
        }
    }
}

/// A link or image to a file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    /// The destination as written (raw HTML's references decoded).
    pub dest: String,
    /// Where: the link, or the raw HTML holding it.
    pub span: Range<usize>,
    /// An image (`![..](..)`, `<img>`)?
    pub image: bool,
    /// Written in raw HTML (which brief does not rewrite)?
    pub raw: bool,
}

/// Is `dest` a path within the site, not a place on the page itself?
pub(crate) fn is_site_path(dest: &str) -> bool {
    !dest.is_empty() && !dest.starts_with('#') && !is_external(dest)
}

/// Does `dest` leave the site (a scheme such as `https:` or `git+ssh:`,
/// `//host`, or a bare `www.` host)?
fn is_external(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    scheme || dest.starts_with("//") || dest.to_ascii_lowercase().starts_with("www.")
}

/// The values of the attributes `names` (any case) in HTML, quoted or not
/// (`<a id="x">`, `<span id=y>`), trimmed, each with the offset of its
/// `=`.
fn attribute_values<'h>(
    html: &'h str,
    names: &'static [&'static str],
) -> impl Iterator<Item = (usize, &'h str)> + 'h {
    let bytes = html.as_bytes();
    memchr::memchr_iter(b'=', bytes).filter_map(move |eq| {
        let named = names.iter().any(|a| {
            eq.checked_sub(a.len()).is_some_and(|s| {
                bytes[s..eq].eq_ignore_ascii_case(a.as_bytes())
                    && s.checked_sub(1)
                        .is_some_and(|b| bytes[b].is_ascii_whitespace())
            })
        });
        if !named {
            return None;
        }
        let rest = &html[eq + 1..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        Some((eq, value.trim()))
    })
}

/// The values of the `id` and `name` attributes in a template's text.
/// Templates are not read with [`super::html::Scanner`]: a tag's Tera
/// code (`<li {% if a > b %}class="x"{% endif %} id="y">`) is not HTML.
pub(crate) fn html_ids(html: &str, out: &mut Vec<String>) {
    out.extend(attribute_values(html, &["id", "name"]).map(|(_, v)| v.to_string()));
}

/// Inspects `body`, read with the default settings.
pub fn inspect(body: &str) -> Inspection {
    inspect_with(body, super::Settings::default())
}

/// Inspects `body`, read as `settings` have it read (smart punctuation
/// changes the prose the lints see).
pub fn inspect_with(body: &str, settings: super::Settings) -> Inspection {
    let mut inspector = Inspector::default();
    for (event, span) in Parser::new_ext(body, super::options(settings)).into_offset_iter() {
        inspector.see(&event, &span);
    }
    inspector.finish()
}

/// Builds an [`Inspection`] from a body's events, as they come from the
/// parser (so that rendering, which parses the body anyway, can make one
/// on the way).
#[derive(Debug, Default)]
pub struct Inspector {
    out: Inspection,
    in_link: usize,
    in_code: bool,
    in_heading: bool,
    /// The heading being read: where it starts, and whether it has said
    /// anything yet.
    heading: Option<(usize, bool)>,
    /// An open image: where it starts and whether it has alt text yet.
    image: Option<(Range<usize>, bool)>,
    /// Where the raw HTML seen so far left off.
    html: super::html::Scanner,
    /// Where the comment the raw HTML is inside began.
    comment: Option<usize>,
    /// The footnotes' ids, given as rendering gives them.
    footnotes: super::FootnoteIds,
    /// The footnotes defined so far, by id.
    defined: std::collections::HashSet<String>,
    /// How often each footnote was cited so far, by id.
    cited: std::collections::HashMap<String, usize>,
    /// Was the last event prose text?
    prose_before: bool,
    /// The run of prose being read.
    run: Run,
}

/// The text of the run of prose being read, kept for [`Decoded`] if the
/// parser decoded something in it.
#[derive(Debug, Default)]
struct Run {
    text: String,
    pieces: Vec<(usize, usize, bool)>,
    decoded: bool,
}

impl Inspector {
    /// Takes the next event and its source range.
    pub fn see(&mut self, event: &Event<'_>, span: &Range<usize>) {
        let prose_before = std::mem::take(&mut self.prose_before);
        if let (Some((_, said)), Event::Text(t) | Event::Code(t)) = (&mut self.heading, event) {
            *said |= !t.trim().is_empty();
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                self.in_link += 1;
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                if !wiki && is_external(dest_url) {
                    self.out
                        .external_links
                        .push((dest_url.to_string(), span.clone()));
                }
                if let Some(id) = dest_url.strip_prefix('#').filter(|id| !id.is_empty()) {
                    if !wiki {
                        self.out.local_links.push((id.to_string(), span.clone()));
                    }
                }
                // `<press@x.org>` is a mail address; a `.md` link is a
                // note's, resolved by the link pass.
                let email = matches!(link_type, LinkType::Email);
                if !wiki && !email && is_site_path(dest_url) && !super::is_relative_md(dest_url) {
                    self.file(dest_url, span, false, false);
                }
            }
            Event::End(TagEnd::Link) => self.in_link = self.in_link.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((span.clone(), false));
                if is_site_path(dest_url) {
                    self.file(dest_url, span, true, false);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((span, false)) = self.image.take() {
                    self.out.images_without_alt.push(span);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                self.heading = Some((span.start, false));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_heading = false;
                if let Some((start, false)) = self.heading.take() {
                    self.out.empty_headings.push(start);
                }
            }
            Event::Text(text) => match &mut self.image {
                Some((_, has_alt)) => *has_alt |= !text.trim().is_empty(),
                None if self.in_link == 0 && !self.in_code && !self.in_heading => {
                    // Text the parser split at `&amp;` or `\[` is one run
                    // of prose, as auto-linking sees it.
                    match self.out.prose.last_mut() {
                        Some(last) if prose_before => last.range.end = span.end,
                        _ => {
                            self.close_run();
                            self.out.prose.push(Prose {
                                range: span.clone(),
                                decoded: None,
                            });
                        }
                    }
                    // A piece unlike its source (`&amp;` read as `&`), or
                    // one after a gap (the `\` of `\_` is in no piece),
                    // makes the run's text differ from what is written.
                    let exact = text.len() == span.len();
                    let gap = prose_before
                        && self
                            .run
                            .pieces
                            .last()
                            .is_some_and(|&(read, written, exact)| {
                                exact && written + (self.run.text.len() - read) != span.start
                            });
                    self.run
                        .pieces
                        .push((self.run.text.len(), span.start, exact));
                    self.run.text.push_str(text);
                    self.run.decoded |= !exact || gap;
                    self.prose_before = true;
                }
                None => {}
            },
            Event::Code(text) => {
                if let Some((_, has_alt)) = &mut self.image {
                    *has_alt |= !text.trim().is_empty();
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = self.footnotes.id(label);
                if self.defined.contains(&id) {
                    self.out
                        .duplicate_footnotes
                        .push((label.to_string(), span.start));
                } else {
                    self.defined.insert(id.clone());
                    self.out.ids.push(id);
                }
            }
            Event::FootnoteReference(label) => {
                // Ids given in the order they come, as rendering does; each
                // citation has one of its own to come back to.
                let id = self.footnotes.id(label);
                let nth = self.cited.entry(id.clone()).or_insert(0);
                self.out
                    .ids
                    .push(super::footnotes::reference_base(&id, *nth));
                *nth += 1;
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, span),
            _ => {}
        }
    }

    fn file(&mut self, dest: &str, span: &Range<usize>, image: bool, raw: bool) {
        self.out.file_links.push(FileRef {
            dest: dest.to_string(),
            span: span.clone(),
            image,
            raw,
        });
    }

    /// The ids and the addresses of raw HTML's tags (not of its text or
    /// comments).
    fn raw_html(&mut self, html: &str, span: &Range<usize>) {
        // Where an attribute was written: exact when the piece is its
        // source as written (most are; one inside a quote or list item
        // lost its `> ` or indent), else the piece's start.
        let exact = html.len() == span.len();
        let mut found: Vec<(bool, String, usize)> = Vec::new();
        let ids = &mut self.out.ids;
        self.html.scan(html, |a| {
            let at = if exact {
                span.start + a.offset
            } else {
                span.start
            };
            let name = a.name.to_ascii_lowercase();
            match name.as_str() {
                "id" | "name" => ids.push(a.value.trim().to_string()),
                "href" | "src" => found.push((a.tag == "img", a.value.trim().to_string(), at)),
                "poster" => found.push((true, a.value.trim().to_string(), at)),
                "srcset" => {
                    // Each address where it stands in the value, unless
                    // decoding moved things.
                    let written = matches!(a.value, std::borrow::Cow::Borrowed(_));
                    found.extend(super::html::srcset_urls(&a.value).map(|u| {
                        let within = u.as_ptr() as usize - a.value.as_ptr() as usize;
                        let at = if exact && written { at + within } else { at };
                        (a.tag == "img" || a.tag == "source", u.to_string(), at)
                    }))
                }
                _ => {}
            }
        });
        // Where a comment the body leaves open began.
        if !self.html.in_comment() {
            self.comment = None;
        } else if let Some(k) = self.html.opened_at() {
            self.comment = Some(if exact { span.start + k } else { span.start });
        }
        for (image, dest, at) in found {
            if is_site_path(&dest) {
                self.file(&dest, &(at..at), image, true);
            }
        }
    }

    /// Ends the run of prose being read: its text is kept if the parser
    /// decoded something in it.
    fn close_run(&mut self) {
        if self.run.decoded {
            if let Some(last) = self.out.prose.last_mut() {
                last.decoded = Some(Decoded {
                    text: std::mem::take(&mut self.run.text),
                    pieces: std::mem::take(&mut self.run.pieces),
                });
            }
        }
        self.run.text.clear();
        self.run.pieces.clear();
        self.run.decoded = false;
    }

    /// What it saw.
    pub fn finish(mut self) -> Inspection {
        self.close_run();
        if self.html.in_comment() {
            self.out.comment_left_open = self.comment;
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_prose_images_and_external_links() {
        let body = "## About Tencent\n\nAlibaba [[netease]] `code` and [x](https://e.org/) ![](a.png) ![logo](b.png)\n\n```\nAlibaba\n```\n<www.example.org> [w](www.example.org)\n";
        let i = inspect(body);
        let prose: Vec<&str> = i.prose.iter().map(|p| &body[p.range.clone()]).collect();
        assert!(prose.contains(&"Alibaba "));
        let split = inspect("a https://e.org/?a=1&amp;b=alibaba \\[x\\] b\n");
        assert_eq!(split.prose.len(), 1);
        assert_eq!(split.prose[0].range, 0..42);
        // Auto-linking leaves headings alone, so the lints do too.
        assert!(!prose
            .iter()
            .any(|p| p.contains("netease") || p.contains("code") || p.contains("Tencent")));
        assert_eq!(i.images_without_alt.len(), 1);
        assert_eq!(&body[i.images_without_alt[0].clone()], "![](a.png)");
        let dests: Vec<&str> = i.external_links.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(dests, ["https://e.org/", "www.example.org"]);
    }

    #[test]
    fn prose_is_read_as_the_parser_reads_it() {
        let escaped = "We met Web\\_Scale today.\n";
        let i = inspect(escaped);
        assert_eq!(i.prose[0].text(escaped), "We met Web_Scale today.");
        assert_eq!(&escaped[i.prose[0].source(11)..][..5], "Scale");
        let body = "Deal with AT&amp;T and Web\\_Scale.\n";
        let i = inspect(body);
        let run = &i.prose[0];
        let text = run.text(body);
        assert_eq!(text, "Deal with AT&T and Web_Scale.");
        // Each byte read maps to where it was written.
        let written = |read: &str| &body[run.source(text.find(read).unwrap())..][..5];
        assert_eq!(written("T and"), "T and");
        assert_eq!(written("&"), "&amp;");
        assert_eq!(written("Scale"), "Scale");
        let plain = inspect("Just prose.\n");
        assert_eq!(plain.prose[0].decoded, None);
    }

    #[test]
    fn finds_links_on_the_page_and_the_ids_beside_headings() {
        let body = "See [a](#plans), [[#Plans]], [top](#) and [b](other.html#x).[^n]\n\n\
                    <a id=\"anchor\"></a> <span ID=bare>x</span> <a name='old'>\n\n[^n]: Note.\n";
        let i = inspect(body);
        let local: Vec<&str> = i.local_links.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(local, ["plans"]);
        assert_eq!(&body[i.local_links[0].1.clone()], "[a](#plans)");
        assert_eq!(i.ids, ["fnref:n", "anchor", "bare", "old", "fn:n"]);
    }

    #[test]
    fn finds_links_and_images_to_files_of_the_site() {
        let body =
            "[a](chart.png) ![b](/img/b.png) [n](other.md) [[notes]] [w](https://e.org/x.png) \
                    [h](#x) <img src=\"c.svg\"> <a href='mailto:a@b.c'>m</a> <press@x.org> \
                    [g](git+https://e.org/a.git) <!-- <img src=\"gone.png\"> -->\n";
        let i = inspect(body);
        let files: Vec<(&str, bool)> = i
            .file_links
            .iter()
            .map(|f| (f.dest.as_str(), f.image))
            .collect();
        assert_eq!(
            files,
            [("chart.png", false), ("/img/b.png", true), ("c.svg", true)]
        );
        assert_eq!(&body[i.file_links[1].span.clone()], "![b](/img/b.png)");
        assert!(i.file_links[2].raw && !i.file_links[1].raw);
    }
}
