//! Every value from front matter or site.yaml is escaped: in HTML (read
//! back with a real HTML parser: the text comes out as written, no element
//! or attribute is added, `<title>` and attributes are not broken out of),
//! in XML (feeds and sitemap parse; control and other XML-forbidden
//! characters are stripped; `]]>` is harmless) and in JSON (the search
//! index reads back to the same text). No page holds a character HTML
//! forbids: control characters, in a file or from a YAML escape, show as
//! U+FFFD.

mod common;

use common::{snapshot, Site};

/// Markup, quotes, a CDATA end and a control character.
const NASTY: &str = "</title><script>alert(1)</script> \"q\" 'a' ]]> & \u{1}end";

fn yaml_quoted(text: &str) -> String {
    // serde_json's escaping is valid YAML double-quoted syntax.
    serde_json::to_string(text).unwrap()
}

fn nasty_site() -> Site {
    let site = Site::fixture("links/basic");
    site.write(
        "site.yaml",
        &format!(
            "title: {q}\nbase_url: https://example.org/\ndescription: {q}\ncollections:\n  stories: {{dated: true}}\n",
            q = yaml_quoted(NASTY)
        ),
    );
    site.write(
        "content/stories/nasty.md",
        &format!(
            "---\ntitle: {q}\ndate: 2024-02-01\nsummary: {q}\naliases: [{q}]\nsource: {{name: {q}, url: \"https://e.org/?a=1&b=\\\"2\\\"\"}}\nnote: {q}\ncompanies: [netease]\n---\nBody of the nasty note,\u{7} with a bell and \u{85}a C1 control.\n",
            q = yaml_quoted(NASTY)
        ),
    );
    site.build();
    site
}

/// What a reader sees: the text without the characters XML cannot hold.
fn visible() -> String {
    NASTY.replace('\u{1}', "")
}

/// What a page shows: the characters HTML forbids as U+FFFD.
fn shown() -> String {
    NASTY.replace('\u{1}', "\u{fffd}")
}

#[test]
fn html_pages_keep_front_matter_and_site_values_as_text() {
    let site = nasty_site();
    let page = site.read("stories/nasty/index.html");
    let doc = scraper::Html::parse_document(&page);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let title: Vec<String> = doc
        .select(&select("head > title"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(title.len(), 1);
    assert!(title[0].starts_with(&shown()), "{title:?}");
    let h1: String = doc.select(&select("h1")).next().unwrap().text().collect();
    assert_eq!(h1.trim(), shown().trim());
    let description = doc
        .select(&select("meta[name=description]"))
        .next()
        .unwrap();
    assert_eq!(description.value().attr("content"), Some(shown().as_str()));
    assert!(page.contains("nasty note,\u{fffd} with a bell and \u{fffd}a C1"));
    for (path, bytes) in snapshot(&site.out()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let forbidden = html.chars().find(|&c| {
            (c < ' ' && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
                || ('\u{7f}'..='\u{9f}').contains(&c)
        });
        assert_eq!(forbidden, None, "{path}: a character HTML forbids");
        let doc = scraper::Html::parse_document(&html);
        for script in doc.select(&select("script")) {
            assert!(
                script.value().attr("src").is_some(),
                "{path}: an inline script appeared"
            );
        }
        assert_eq!(doc.select(&select("head > title")).count(), 1, "{path}");
        assert!(!html.contains("<script>alert"), "{path}: unescaped");
    }
}

#[test]
fn feeds_and_sitemap_parse_as_xml_with_the_text_intact() {
    let site = nasty_site();
    for file in ["feed.xml", "companies/netease/feed.xml", "sitemap.xml"] {
        let xml = site.read(file);
        common::assert_xml(&xml);
        assert!(!xml.contains('\u{1}'), "{file}: a control character");
    }
    // The feed's first <title> is the site title, read back unescaped.
    let xml = site.read("feed.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut titles = Vec::new();
    let mut in_title = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == b"title" => in_title = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"title" => in_title = false,
            quick_xml::events::Event::Text(t) if in_title => {
                titles.push(t.unescape().unwrap().into_owned());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // The site's title, then the nasty note's entry title.
    assert_eq!(titles[0], visible());
    assert!(
        titles.iter().filter(|t| **t == visible()).count() >= 2,
        "{titles:?}"
    );
}

#[test]
fn the_search_index_reads_back_the_same_text() {
    let site = nasty_site();
    let mut found = false;
    for (path, bytes) in snapshot(&site.out().join("search/index/d")) {
        let doc: serde_json::Value =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path}: invalid JSON: {e}"));
        if doc["title"] == NASTY {
            found = true;
            assert_eq!(doc["summary"], NASTY);
        }
    }
    assert!(found, "the nasty note is not in the search index");
}
