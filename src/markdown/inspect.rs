//! A second, read-only look at a body for `brief check`'s lints: where its
//! prose is (outside links, code and raw HTML), which images lack alt text,
//! and which links point outside the site. `build` never calls this.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// What the lints need to know about one body, located by byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// Source ranges of plain prose text, outside links, code and HTML.
    pub prose: Vec<Range<usize>>,
    /// Images whose alt text is empty.
    pub images_without_alt: Vec<Range<usize>>,
    /// Links and autolinks that leave the site: (destination, range).
    pub external_links: Vec<(String, Range<usize>)>,
}

/// Does `dest` leave the site (a scheme, `//host`, or a bare `www.` host)?
fn is_external(dest: &str) -> bool {
    let scheme = dest
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric()));
    scheme || dest.starts_with("//") || dest.to_ascii_lowercase().starts_with("www.")
}

/// Inspects `body`.
pub fn inspect(body: &str) -> Inspection {
    let mut out = Inspection::default();
    let mut in_link = 0usize;
    let mut in_code = false;
    // An open image: where it starts and whether it has alt text yet.
    let mut image: Option<(Range<usize>, bool)> = None;
    for (event, span) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                in_link += 1;
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                if !wiki && is_external(&dest_url) {
                    out.external_links.push((dest_url.to_string(), span));
                }
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => image = Some((span, false)),
            Event::End(TagEnd::Image) => {
                if let Some((span, false)) = image.take() {
                    out.images_without_alt.push(span);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) => match &mut image {
                Some((_, has_alt)) => *has_alt |= !text.trim().is_empty(),
                None if in_link == 0 && !in_code => out.prose.push(span),
                None => {}
            },
            Event::Code(text) => {
                if let Some((_, has_alt)) = &mut image {
                    *has_alt |= !text.trim().is_empty();
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_prose_images_and_external_links() {
        let body = "Alibaba [[netease]] `code` and [x](https://e.org/) ![](a.png) ![logo](b.png)\n\n```\nAlibaba\n```\n<www.example.org> [w](www.example.org)\n";
        let i = inspect(body);
        let prose: Vec<&str> = i.prose.iter().map(|r| &body[r.clone()]).collect();
        assert!(prose.contains(&"Alibaba "));
        assert!(!prose
            .iter()
            .any(|p| p.contains("netease") || p.contains("code")));
        assert_eq!(i.images_without_alt.len(), 1);
        assert_eq!(&body[i.images_without_alt[0].clone()], "![](a.png)");
        let dests: Vec<&str> = i.external_links.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(dests, ["https://e.org/", "www.example.org"]);
    }
}
