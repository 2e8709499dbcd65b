//! Auto-linked mentions (`autolink: true`): the first prose mention of a
//! note's title or alias links to it, and counts as a backlink.

mod common;

use common::Site;

/// The rendered body of a note page (the theme's `note-body` block).
fn note_body(page: &str) -> &str {
    let start = page.find("note-body").expect("a note body");
    let rest = &page[start..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

fn links_to(html: &str, href: &str) -> usize {
    common::links(html).iter().filter(|l| *l == href).count()
}

#[test]
fn first_mention_links_longest_name_outside_code_links_and_headings() {
    let site = Site::fixture("autolink/basic");
    site.build();
    let page = site.read("stories/mixed/index.html");
    let body = note_body(&page);
    // Longest name wins, and only the first mention of Alibaba is linked.
    assert!(
        body.contains("<a href=\"/companies/alibaba/\">Alibaba Group Holding</a>"),
        "{body}"
    );
    assert_eq!(
        links_to(body, "/companies/alibaba/"),
        1,
        "first mention only"
    );
    assert!(
        body.contains("<a href=\"/topics/cloud/\">cloud computing</a>"),
        "case-insensitive"
    );
    // Not in the heading, not in code, not in an existing link, not inside a word.
    assert!(body.contains("NetEase in a heading</h2>"));
    assert!(body.contains("<code>NetEase</code>"));
    assert!(body.contains(">a link about NetEase</a>"));
    assert!(body.contains("NetEaseX is no word"));
    // Its first mention in prose is linked.
    assert!(
        body.contains("Then <a href=\"/companies/netease/\">NetEase</a> itself"),
        "{body}"
    );
}

#[test]
fn chinese_aliases_match_whole_without_word_boundaries() {
    let site = Site::fixture("autolink/basic");
    site.build();
    let page = site.read("stories/chinese/index.html");
    assert!(
        page.contains("<a href=\"/companies/netease/\">网易</a>的游戏"),
        "{page}"
    );
}

#[test]
fn own_name_explicit_links_and_opt_outs_are_not_auto_linked() {
    let site = Site::fixture("autolink/basic");
    site.build();
    let own = site.read("companies/alibaba/index.html");
    let body = note_body(&own);
    assert_eq!(
        links_to(body, "/companies/alibaba/"),
        0,
        "never links to itself"
    );
    let explicit = site.read("stories/explicit/index.html");
    let body = note_body(&explicit);
    assert_eq!(
        links_to(body, "/companies/netease/"),
        1,
        "only the explicit link"
    );
    assert!(body.contains("NetEase first"));
    let opted = site.read("stories/opted-out/index.html");
    let body = note_body(&opted);
    assert_eq!(links_to(body, "/companies/netease/"), 0);
    assert_eq!(links_to(body, "/companies/alibaba/"), 0);
}

#[test]
fn mentions_count_as_backlinks() {
    let site = Site::fixture("autolink/basic");
    site.build();
    let netease = site.read("companies/netease/index.html");
    for story in ["mixed", "chinese", "explicit"] {
        assert!(
            netease.contains(&format!("href=\"/stories/{story}/\"")),
            "{story} missing"
        );
    }
    assert!(!netease.contains("href=\"/stories/opted-out/\""));
}

#[test]
fn standalone_pages_are_not_linked_by_mention() {
    let site = Site::fixture("autolink/basic");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nWho writes this briefing.\n",
    );
    site.write(
        "content/stories/more.md",
        "---\ntitle: More\ndate: 2024-01-07\n---\nRead more about NetEase here.\n",
    );
    site.build();
    let page = site.read("stories/more/index.html");
    let body = note_body(&page);
    assert_eq!(links_to(body, "/about/"), 0, "{body}");
    assert_eq!(links_to(body, "/companies/netease/"), 1, "{body}");
    assert!(!site.exists("about/feed.xml"));
}

#[test]
fn with_autolink_off_check_finds_the_mentions_autolink_would_link() {
    let site = Site::fixture("autolink/basic");
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\nautolink: false\ncollections:\n  stories: {dated: true}\n");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nWho writes this briefing.\n",
    );
    let (code, out, err) = site.run(&["check"]);
    assert_eq!(code, 0, "{out}{err}");
    let all = format!("{out}{err}");
    // Not the heading on line 5, nor code or link text: the prose on line 11.
    assert!(
        all.contains("mixed.md:11:6: warning: \"NetEase\" mentions companies/netease"),
        "{all}"
    );
    assert!(!all.contains("mixed.md:5:"), "{all}");
    // A standalone page's title is no subject to link.
    assert!(!all.contains("mentions about"), "{all}");
}

#[test]
fn autolink_off_links_nothing() {
    let site = Site::fixture("autolink/basic");
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\nautolink: false\ncollections:\n  stories: {dated: true}\n");
    site.build();
    let page = site.read("stories/mixed/index.html");
    let body = note_body(&page);
    assert_eq!(links_to(body, "/companies/alibaba/"), 0);
}

/// With smart punctuation, a name with an apostrophe is typeset (`’`) in
/// the prose and still linked; and a wikilink's quotes match a title's
/// whether straight or curly.
#[test]
fn a_name_with_an_apostrophe_is_linked_under_smart_punctuation() {
    let site = Site::fixture("autolink/basic");
    site.write(
        "site.yaml",
        &format!(
            "{}markdown:\n  smart_punctuation: true\n",
            site.read_input("site.yaml")
        ),
    );
    site.write(
        "content/companies/obrien.md",
        "---\ntitle: O'Brien Logistics\n---\nA freight firm.\n",
    );
    site.write(
        "content/companies/anas.md",
        "---\ntitle: Ana\u{2019}s \"Best\" Garage\n---\nA garage.\n",
    );
    site.write(
        "content/stories/met.md",
        "---\ntitle: Met\ndate: 2024-03-01\n---\nWe met O'Brien Logistics today, \
         then [[Ana's \u{201c}Best\u{201d} Garage]].\n",
    );
    site.build();
    let body = note_body(&site.read("stories/met/index.html")).to_string();
    assert!(
        body.contains("<a href=\"/companies/obrien/\">O\u{2019}Brien Logistics</a>"),
        "{body}"
    );
    // A wikilink's quotes, straight or curly, name the note either way.
    assert!(body.contains("<a href=\"/companies/anas/\">"), "{body}");
}
