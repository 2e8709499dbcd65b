//! A small scanner over raw HTML: the attributes of its opening tags,
//! outside comments, with their values' character references decoded.
//! Enough to find the addresses and ids a body's raw HTML holds; not a
//! parser (the browser's rules for broken markup are not followed).
//!
//! A body's block HTML comes one line at a time, so the scanner keeps its
//! place (inside a comment, inside a tag) from one piece to the next.

use std::borrow::Cow;

/// One attribute of an opening tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'h> {
    /// The tag's name, lowercased: `img`.
    pub tag: &'h str,
    /// The attribute's name as written: `src`.
    pub name: &'h str,
    /// Its value, with `&amp;` and other references decoded.
    pub value: Cow<'h, str>,
    /// Where the value starts in the piece of HTML it was read from.
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum State {
    #[default]
    Text,
    Comment,
    /// Inside the opening tag of this (lowercased) name.
    Tag(String),
    /// Inside a quoted value of that tag, left open at the end of a piece.
    Quoted(String, u8),
    /// Inside an element whose content is text to a browser, not markup
    /// (`<script>`, `<style>`, `<textarea>`...): up to its end tag, a
    /// `<!--` there is no comment.
    RawText(String),
}

/// Elements whose content a browser reads as text up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Reads raw HTML piece by piece; see the module's doc.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    state: State,
    /// Where, in the last piece scanned, the comment still open began.
    opened: Option<usize>,
}

fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

impl Scanner {
    /// Calls `each` for every attribute with a value in `html`, the next
    /// piece of the HTML.
    pub fn scan(&mut self, html: &str, mut each: impl FnMut(Attribute<'_>)) {
        self.opened = None;
        let b = html.as_bytes();
        let len = b.len();
        let mut i = 0;
        while i < len {
            match &self.state {
                State::Comment => {
                    // A comment ends at `-->`, or at `--!>` as browsers
                    // read it.
                    let mut from = i;
                    loop {
                        let Some(k) = memchr::memmem::find(&b[from..], b"--") else {
                            return;
                        };
                        let after = &b[from + k + 2..];
                        if after.starts_with(b">") || after.starts_with(b"!>") {
                            i = from + k + if after[0] == b'>' { 3 } else { 4 };
                            self.state = State::Text;
                            self.opened = None;
                            break;
                        }
                        from += k + 1;
                    }
                }
                State::RawText(tag) => {
                    // Up to `</tag`, in any case.
                    let mut from = i;
                    loop {
                        let Some(k) = memchr::memmem::find(&b[from..], b"</") else {
                            return;
                        };
                        let name = &b[from + k + 2..];
                        if name.len() >= tag.len()
                            && name[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
                        {
                            i = from + k;
                            self.state = State::Text;
                            break;
                        }
                        from += k + 2;
                    }
                }
                State::Text => {
                    let Some(k) = memchr::memchr(b'<', &b[i..]) else {
                        return;
                    };
                    i += k + 1;
                    // `<?php ... ?>`, `<!DOCTYPE ...>`: a browser skips
                    // them to the next `>` (a `<!--` inside is no comment).
                    if b[i..].starts_with(b"?")
                        || (b[i..].starts_with(b"!") && !b[i..].starts_with(b"!--"))
                    {
                        match memchr::memchr(b'>', &b[i..]) {
                            Some(k) => i += k + 1,
                            None => return,
                        }
                        continue;
                    }
                    if b[i..].starts_with(b"!--") {
                        i += 3;
                        // `<!-->` and `<!--->` are whole, empty comments.
                        if b[i..].starts_with(b">") {
                            i += 1;
                        } else if b[i..].starts_with(b"->") {
                            i += 2;
                        } else {
                            self.state = State::Comment;
                            self.opened = Some(i - 4);
                        }
                        continue;
                    }
                    let start = i;
                    while i < len && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
                        i += 1;
                    }
                    // `</p>`, `<!DOCTYPE`, `a < b`: no attributes to read.
                    if i > start && b[start].is_ascii_alphabetic() {
                        self.state = State::Tag(html[start..i].to_ascii_lowercase());
                    }
                }
                State::Quoted(tag, q) => match memchr::memchr(*q, &b[i..]) {
                    Some(k) => {
                        i += k + 1;
                        self.state = State::Tag(tag.clone());
                    }
                    None => return,
                },
                State::Tag(tag) => {
                    while i < len && (is_space(b[i]) || b[i] == b'/') {
                        i += 1;
                    }
                    if i == len {
                        return;
                    }
                    if b[i] == b'>' {
                        i += 1;
                        self.state = if RAW_TEXT.contains(&tag.as_str()) {
                            State::RawText(tag.clone())
                        } else {
                            State::Text
                        };
                        continue;
                    }
                    let name_start = i;
                    while i < len && !is_space(b[i]) && !matches!(b[i], b'=' | b'>' | b'/') {
                        i += 1;
                    }
                    if i == name_start {
                        // A stray `=`: step over it.
                        i += 1;
                        continue;
                    }
                    let name = &html[name_start..i];
                    let mut j = i;
                    while j < len && is_space(b[j]) {
                        j += 1;
                    }
                    if j == len || b[j] != b'=' {
                        continue;
                    }
                    j += 1;
                    while j < len && is_space(b[j]) {
                        j += 1;
                    }
                    let (value, offset, end) = match b.get(j) {
                        Some(&q @ (b'"' | b'\'')) => {
                            let from = j + 1;
                            let Some(k) = memchr::memchr(q, &b[from..]) else {
                                // The value goes on in the next piece: not
                                // read (an address is on one line).
                                self.state = State::Quoted(tag.clone(), q);
                                return;
                            };
                            let to = from + k;
                            (&html[from..to], from, to + 1)
                        }
                        _ => {
                            let mut to = j;
                            while to < len && !is_space(b[to]) && b[to] != b'>' {
                                to += 1;
                            }
                            (&html[j..to], j, to)
                        }
                    };
                    each(Attribute {
                        tag,
                        name,
                        value: decode(value),
                        offset,
                    });
                    i = end;
                }
            }
        }
    }

    /// Is the HTML read so far inside a comment? Left so at the end of a
    /// body, the comment would hide the rest of the page.
    pub fn in_comment(&self) -> bool {
        self.state == State::Comment
    }

    /// Where the comment still open began in the last piece read, if it
    /// began there.
    pub fn opened_at(&self) -> Option<usize> {
        self.opened
    }
}

/// `value` with its character references decoded: the named ones an
/// address or id is likely to hold (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;`, `&nbsp;`) and numeric ones; others are kept as written.
pub fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |k| k + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                // The `;` is optional for the browser, and for us.
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Links a line of block HTML opens, less the anchors it closes:
/// `<a href=x>` alone is 1, `<a href=x>y</a>` 0, `</a>` -1. An anchor
/// without `href` (`<a id="top">`, a target) opens no link, and tags inside
/// a comment on the line do not count.
pub fn anchor_balance(line: &str) -> isize {
    let mut balance = 0;
    let mut rest = line;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = &after[end + 3..],
                None => break,
            }
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        match anchor_tag(tag) {
            Some(true) if has_href(tag) => balance += 1,
            Some(false) => balance -= 1,
            Some(true) | None => {}
        }
        rest = &rest[end.max(1)..];
    }
    balance
}

/// Does opening tag `tag` have an `href` attribute?
fn has_href(tag: &str) -> bool {
    let mut found = false;
    Scanner::default().scan(tag, |a| found |= a.name.eq_ignore_ascii_case("href"));
    found
}

/// Whether one piece of inline HTML is an anchor's opening tag
/// (`Some(true)`: `<a href="…">`), its closing tag (`Some(false)`:
/// `</a>`), or neither. A Markdown or wiki link between the two would be a
/// link inside a link, which HTML does not allow.
pub fn anchor_tag(piece: &str) -> Option<bool> {
    let b = piece.as_bytes();
    let (open, rest) = match b {
        [b'<', b'/', rest @ ..] => (false, rest),
        [b'<', rest @ ..] => (true, rest),
        _ => return None,
    };
    match rest {
        [b'a' | b'A', next, ..] if is_space(*next) || *next == b'>' => {
            if !open {
                Some(false)
            } else if piece.trim_end().ends_with("/>") {
                // `<a name=x />`, a target written the XHTML way: nothing
                // will close it, and a browser ends it at the next anchor
                // anyway, so it does not count as one open.
                None
            } else {
                Some(true)
            }
        }
        _ => None,
    }
}

/// The addresses in a `srcset` value (`a.png 1x, b.png 2x`), read as
/// browsers read them: an address runs to the next whitespace (commas
/// inside it, as in `w_400,h_300/pic.jpg` or a `data:` address, are part
/// of it; commas at its end are not), and its descriptors run to the next
/// comma.
pub fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    let mut rest = value;
    std::iter::from_fn(move || loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        let address = url.trim_end_matches(',');
        if address.len() == url.len() {
            // Its descriptors (`2x`, `400w`), up to the next candidate.
            rest = rest.find(',').map_or("", |k| &rest[k + 1..]);
        }
        if !address.is_empty() {
            return Some(address);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_left_open_is_told_with_where_it_began() {
        let mut s = Scanner::default();
        s.scan("<p>a</p> <!-- b", |_| {});
        assert!(s.in_comment());
        assert_eq!(s.opened_at(), Some(9));
        // Still open, begun in an earlier piece.
        s.scan("c -- d", |_| {});
        assert!(s.in_comment());
        assert_eq!(s.opened_at(), None);
        s.scan("e --> <!-- f --> <!---> g", |_| {});
        assert!(!s.in_comment());
        let mut s = Scanner::default();
        s.scan("<!-- a --!> <!-- b", |_| {});
        assert_eq!(s.opened_at(), Some(12));
        // To a browser, a `<!--` in a script, a style, a text area or a
        // processing instruction opens nothing.
        for html in [
            "<script>var m = \"<!--\";</script><p>",
            "<SCRIPT type=x>\nvar m = '<!--';\n</Script >",
            "<style>/* <!-- */</style>",
            "<textarea><!-- yours</textarea>",
            "<?php echo \"<!--\"; ?>",
            "<!DOCTYPE html><p>",
        ] {
            let mut s = Scanner::default();
            s.scan(html, |_| {});
            assert!(!s.in_comment(), "{html}");
        }
        // Over several pieces (a block's lines), and a comment after.
        let mut s = Scanner::default();
        s.scan("<script>", |_| {});
        s.scan("var m = \"<!--\";", |_| {});
        s.scan("</script> <!-- open", |_| {});
        assert!(s.in_comment());
    }

    fn attributes(pieces: &[&str]) -> Vec<(String, String, String)> {
        let mut scanner = Scanner::default();
        let mut out = Vec::new();
        for piece in pieces {
            scanner.scan(piece, |a| {
                out.push((a.tag.to_string(), a.name.to_string(), a.value.into_owned()))
            });
        }
        out
    }

    #[test]
    fn empty_comments_and_bang_closed_ones_end_where_browsers_end_them() {
        for html in [
            "<!--> x <img src=\"a.png\">",
            "<!---> x <img src=\"a.png\">",
            "<!-- x --!> <img src=\"a.png\">",
            "<!-- a -- b --> <img src=\"a.png\">",
        ] {
            assert_eq!(
                attributes(&[html]),
                [("img".into(), "src".into(), "a.png".into())],
                "{html}"
            );
        }
        assert!(attributes(&["<!-- <img src=\"gone.png\"> -- still -> <a href=x>"]).is_empty());
    }

    #[test]
    fn srcset_addresses_keep_their_commas() {
        fn urls(v: &str) -> Vec<&str> {
            srcset_urls(v).collect()
        }
        assert_eq!(urls("a.png 1x, b.png 2x"), ["a.png", "b.png"]);
        assert_eq!(urls("a.png,b.png 2x"), ["a.png,b.png"]);
        assert_eq!(urls("a.png, b.png"), ["a.png", "b.png"]);
        assert_eq!(
            urls("https://cdn.example/w_400,h_300/pic.jpg 1x, /x.png 2x"),
            ["https://cdn.example/w_400,h_300/pic.jpg", "/x.png"]
        );
        assert_eq!(
            urls("data:image/png;base64,AAAA 1x"),
            ["data:image/png;base64,AAAA"]
        );
        assert_eq!(urls("  , a.png 400w ,, "), ["a.png"]);
        assert!(urls("").is_empty());
    }

    #[test]
    fn attributes_of_tags_only() {
        let found = attributes(&[
            "<img alt=\"see src=alt.png\" SRC='a&amp;b.png'> src=\"prose.png\"",
            "<code>&lt;img src=\"c.png\"&gt;</code> <!-- <img src=\"gone.png\"> ",
            "still a comment <a href=x> --> <a\n",
            "  href = \"later.html\" id=top>x</a> a < b, <br/>",
            "<img alt=\"a long\n",
            " text src=x.png\" src=\"real.png\">",
        ]);
        let pairs: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|(t, n, v)| (t.as_str(), n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("img", "alt", "see src=alt.png"),
                ("img", "SRC", "a&b.png"),
                ("a", "href", "later.html"),
                ("a", "id", "top"),
                ("img", "src", "real.png"),
            ]
        );
    }

    #[test]
    fn a_line_of_block_html_opens_and_closes_anchors() {
        assert_eq!(anchor_balance("<a href=\"https://e.org\">"), 1);
        assert_eq!(anchor_balance("<div><a href=x>y</a></div>"), 0);
        assert_eq!(anchor_balance("</a>"), -1);
        assert_eq!(anchor_balance("<!-- <a href=x> --> <p>"), 0);
        assert_eq!(anchor_balance("<a name=top /> <abbr>"), 0);
        assert_eq!(anchor_balance("<a id=\"top\">"), 0);
        assert_eq!(anchor_balance("<A HREF='x'>"), 1);
    }

    #[test]
    fn anchor_tags_are_told_from_other_tags() {
        assert_eq!(anchor_tag("<a href=\"x\">"), Some(true));
        assert_eq!(anchor_tag("<A\n  href=x>"), Some(true));
        assert_eq!(anchor_tag("<a>"), Some(true));
        assert_eq!(anchor_tag("</a>"), Some(false));
        assert_eq!(anchor_tag("</A >"), Some(false));
        assert_eq!(anchor_tag("<a name=top />"), None);
        for other in [
            "<abbr title=x>",
            "</abbr>",
            "<area href=x>",
            "<b>",
            "a < b",
            "",
        ] {
            assert_eq!(anchor_tag(other), None, "{other}");
        }
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            decode("a&amp;b&#47;c&#x2F;d&amp e&unknown;"),
            "a&b/c/d& e&unknown;"
        );
        assert_eq!(decode("plain"), "plain");
        let urls: Vec<&str> = srcset_urls("a.png 1x, b.png 2x,c.png").collect();
        assert_eq!(urls, ["a.png", "b.png", "c.png"]);
    }
}
