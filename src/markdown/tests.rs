use super::*;

struct Fake;

impl Resolver for Fake {
    fn wikilink(&self, target: &str) -> Result<Target, Unresolved> {
        match target.to_lowercase().as_str() {
            "netease" | "companies/netease" => Ok(Target {
                url: "/b/companies/netease/".into(),
                id: 7,
                title: "NetEase Inc".into(),
                named: false,
            }),
            _ => Err(Unresolved {
                message: format!("unknown reference \"{target}\""),
                hints: vec!["did you mean \"netease\"?".into()],
                quiet: false,
            }),
        }
    }

    fn relative(&self, path: &str) -> Result<Target, Unresolved> {
        if path == "../companies/netease.md" {
            self.wikilink("netease")
        } else {
            Err(Unresolved {
                message: format!("no note at {path}"),
                hints: vec![],
                quiet: false,
            })
        }
    }
}

#[test]
fn wikilinks_in_every_form_resolve() {
    let r = render(
        "See [[netease]], [[companies/netease]], [[NetEase|its rival]] and [it](../companies/netease.md).",
        &Fake,
    );
    assert_eq!(r.links.len(), 4);
    assert!(r.problems.is_empty());
    assert_eq!(r.html.matches("href=\"/b/companies/netease/\"").count(), 4);
    assert!(r.html.contains(">its rival</a>"));
    assert!(r.html.contains(">NetEase Inc</a>, "), "{}", r.html);
}

/// A wikilink written as a slug or key shows the note's title; one written
/// as a name (title or alias, in the prose's own case) keeps its words.
#[test]
fn a_wikilink_written_as_a_name_keeps_the_words_a_slug_shows_the_title() {
    let r = render(
        "[[netease]], [[Companies/NetEase]], [[netease#AI Plans]], [[NetEase]], \
         [[NETEASE#AI Plans]] and [[ NetEase ]].",
        &Fake,
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    // The slug, the key (in any case), and both links to a heading.
    assert_eq!(r.html.matches(">NetEase Inc</a>").count(), 4, "{}", r.html);
    assert!(r.html.contains(">NetEase</a>, "), "{}", r.html);
    assert!(r.html.contains(">NetEase Inc</a> and "), "{}", r.html);
    assert!(r.html.contains(">NetEase</a>."), "{}", r.html);
    assert!(
        r.plain_text.starts_with(
            "NetEase Inc, NetEase Inc, NetEase Inc, NetEase, NetEase Inc and NetEase."
        ),
        "{}",
        r.plain_text
    );
}

/// `[[target|]]` has no text of its own: it shows the title rather than
/// an empty, invisible link.
#[test]
fn a_wikilink_with_an_empty_label_shows_the_title() {
    let r = render("See [[netease|]] and [[netease|its rival]].", &Fake);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.html.contains(">NetEase Inc</a> and "), "{}", r.html);
    assert!(r.html.contains(">its rival</a>."), "{}", r.html);
    assert!(
        r.plain_text.starts_with("See NetEase Inc and its rival."),
        "{}",
        r.plain_text
    );
}

#[test]
fn wikilink_fragment_becomes_heading_id() {
    let r = render("[[netease#AI Plans]]", &Fake);
    assert!(
        r.html.contains("href=\"/b/companies/netease/#ai-plans\""),
        "{}",
        r.html
    );
}

#[test]
fn a_wikilink_to_a_heading_of_the_same_note_links_in_the_page() {
    let body = "See [[#Strategy]] and [[#AI Plans|the plans]].\n\n## Strategy\n\n## AI plans\n";
    let r = render(body, &Fake);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.links.is_empty(), "no other note is linked");
    assert!(
        r.html.contains("<a href=\"#strategy\">Strategy</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<a href=\"#ai-plans\">the plans</a>"),
        "{}",
        r.html
    );
    // A heading the note does not have.
    let body = "See [[#Outlook]].\n\n## Strategy\n";
    let r = render(body, &Fake);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&body[r.problems[0].span.clone()], "[[#Outlook]]");
    assert_eq!(
        r.problems[0].message,
        "broken link to \"#outlook\": this note has no heading with this id"
    );
    assert_eq!(r.problems[0].hints, ["its headings: #strategy"]);
}

#[test]
fn a_wikilink_wrapped_over_two_lines_resolves_as_on_one() {
    let r = render("See [[companies/\nnetease]] and [[Net\nNease]].", &Fake);
    assert_eq!(r.links.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].message, "unknown reference \"Net Nease\"");
}

#[test]
fn unknown_wikilink_is_a_problem_with_its_span() {
    let body = "Intro\n\nSee [[netnease]].";
    let r = render(body, &Fake);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&body[r.problems[0].span.clone()], "[[netnease]]");
}

#[test]
fn heading_ids_are_unique() {
    let r = render("# Plans\n\n## Plans\n\n## Other {#custom}\n", &Fake);
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["plans", "plans-1", "custom"]);
    assert!(r.html.contains("<h2 id=\"plans-1\">"));
}

#[test]
fn heading_ids_avoid_the_pages_own_ids_and_earlier_suffixes() {
    // `Main` would be the skip link's target; `plans-1` is taken by the
    // author before the second `Plans` needs it.
    let r = render(
        "# Main\n\n## Plans\n\n## Set {#plans-1}\n\n## Plans\n\n## Top {#top}\n",
        &Fake,
    );
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["main_1", "plans", "plans-1", "plans-2", "top_1"]);
}

#[test]
fn extensions_are_on() {
    let r = render(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: Foot.\n",
        &Fake,
    );
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("<del>gone</del>"));
    assert!(r.html.contains("checkbox"));
    assert!(r.html.contains("<section class=\"footnotes\">"));
}

#[test]
fn footnote_ids_stay_apart_from_the_page_s_other_ids() {
    let r = render(
        "## Main\n\nText[^main] and [^Two words].\n\n[^main]: A.\n\n[^two words]: B.\n",
        &Fake,
    );
    for id in ["fn:main", "fn:two-words"] {
        assert!(r.html.contains(&format!("href=\"#{id}\"")), "{}", r.html);
        assert!(r.html.contains(&format!("id=\"{id}\"")), "{}", r.html);
    }
    // `main` is the templates' (headings step aside too).
    assert!(!r.html.contains("id=\"main\""), "{}", r.html);
}

#[test]
fn a_heading_named_like_a_page_id_is_found_by_its_name() {
    let r = render(
        "## Top 1\n\n## Top\n\nSee [[#Top]], [[#Top 1]] and [[netease#Main]].\n",
        &Fake,
    );
    // `Top 1` keeps its slug; `Top` gets an id no slug can be.
    assert_eq!(r.headings[0].id, "top-1");
    assert_eq!(r.headings[1].id, "top_1");
    assert!(r.html.contains("href=\"#top_1\">"), "{}", r.html);
    assert!(r.html.contains("href=\"#top-1\">"), "{}", r.html);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.links[0].fragment.as_deref(), Some("main_1"));
    // The link graph's title has an id of its own on every note page.
    let r = render("## Graph title\n", &Fake);
    assert_eq!(r.headings[0].id, "graph-title_1");
}

#[test]
fn footnote_ids_are_one_per_label_and_apart_from_headings() {
    let r = render(
        "## Fn 1\n\nA[^1] b[^a b] c[^a-b] d[^STRASSE].\n\n[^1]: One.\n\n[^a b]: Two.\n\n\
         [^a-b]: Three.\n\n[^straße]: Four.\n",
        &Fake,
    );
    let count = |needle: &str| r.html.matches(needle).count();
    for id in ["fn:1", "fn:a-b", "fn:a-b-2", "fn:strasse"] {
        assert_eq!(count(&format!("id=\"{id}\"")), 1, "{id}: {}", r.html);
        assert_eq!(count(&format!("href=\"#{id}\"")), 1, "{id}: {}", r.html);
    }
    // A heading keeps its slug: no footnote id looks like one.
    assert_eq!(r.headings[0].id, "fn-1");
    // Four footnotes, numbered 1 to 4.
    assert!(r.html.contains(">4</a></sup>"), "{}", r.html);
}

#[test]
fn footnotes_are_listed_after_the_body_with_links_back() {
    let r = render(
        "## Sources\n\nFirst[^b] and then[^a] and \
         [^b] again.\n\n[^a]: Alpha.\n\n[^b]: Beta.\n\n    More of beta.\n\n\
         [^c]: Never cited.\n\nAfter the notes.\n",
        &Fake,
    );
    let h = &r.html;
    // The list comes after everything else the body says.
    let list = h.find("<section class=\"footnotes\">").expect(h);
    assert!(h.find("After the notes.").expect(h) < list, "{h}");
    // Numbered by first reference: b is 1, a is 2, c, never cited, is 3.
    let at = |needle: &str| h.find(needle).unwrap_or_else(|| panic!("{needle}: {h}"));
    assert!(at("<li id=\"fn:b\">") < at("<li id=\"fn:a\">"), "{h}");
    assert!(at("<li id=\"fn:a\">") < at("<li id=\"fn:c\">"), "{h}");
    assert!(
        h.contains("then<sup class=\"footnote-reference\" id=\"fnref:a\"><a href=\"#fn:a\">2</a>"),
        "{h}"
    );
    assert!(
        h.contains("First<sup class=\"footnote-reference\" id=\"fnref:b\"><a href=\"#fn:b\">1</a>")
    );
    // A second reference gets an id of its own and a second way back,
    // at the end of the footnote's last paragraph.
    assert!(
        h.contains("id=\"fnref:b:2\"><a href=\"#fn:b\">1</a>"),
        "{h}"
    );
    assert!(
        h.contains(
            "More of beta. <a href=\"#fnref:b\" class=\"footnote-backref\" \
             aria-label=\"Back to reference 1\">\u{21a9}\u{fe0e}</a> <a href=\"#fnref:b:2\" \
             class=\"footnote-backref\" aria-label=\"Back to reference 1-2\">\u{21a9}\u{fe0e}\
             <sup>2</sup></a></p>"
        ),
        "{h}"
    );
    assert_eq!(h.matches("href=\"#fnref:a\"").count(), 1, "{h}");
    // Never cited: listed, with no way back.
    assert!(
        h.contains("<li id=\"fn:c\">\n<p>Never cited.</p>\n</li>"),
        "{h}"
    );
    // Every id once.
    for id in ["fn:a", "fn:b", "fn:c", "fnref:a", "fnref:b", "fnref:b:2"] {
        assert_eq!(h.matches(&format!("id=\"{id}\"")).count(), 1, "{id}: {h}");
    }
}

#[test]
fn first_paragraph_is_plain_text() {
    let r = render(
        "# Title\n\nThe *first* [[netease]]\nline.\n\nSecond.",
        &Fake,
    );
    assert_eq!(&*r.first_paragraph, "The first NetEase Inc line.");
}

#[test]
fn raw_html_passes_through() {
    let r = render("<div class=\"x\">hi</div>\n", &Fake);
    assert!(r.html.contains("<div class=\"x\">hi</div>"));
}

#[test]
fn external_and_other_links_are_untouched() {
    let r = render("[a](https://x.org/a.md) [b](/abs.md) [c](#top)", &Fake);
    assert!(r.links.is_empty() && r.problems.is_empty());
    assert!(r.html.contains("href=\"https://x.org/a.md\""));
}

#[test]
fn the_inspection_made_while_rendering_is_the_one_a_second_parse_makes() {
    let body = "NetEase's \"deal\" -- and [[netease]] `code` [x](https://e.org/) ![](a.png) ![logo](b.png)\n\n\
                ```\nNetEase\n```\n\n<www.example.org> [w](www.example.org) and [it](../companies/netease.md)\n\n\
                | a | b |\n|---|---|\n| NetEase | ![](c.png) |\n";
    let rendered = render_keeping(
        body,
        &Fake,
        None,
        Keep {
            queries: true,
            inspection: true,
            text: true,
            html: true,
        },
        Settings::default(),
    );
    let inspection = rendered.inspection.expect("asked for");
    assert_eq!(inspection, inspect(body));
    // With smart punctuation too.
    let smart = Settings {
        smart_punctuation: true,
        ..Settings::default()
    };
    let keep = Keep {
        queries: true,
        inspection: true,
        text: true,
        html: true,
    };
    let rendered = render_keeping(body, &Fake, None, keep, smart);
    assert_eq!(
        rendered.inspection.expect("asked for"),
        inspect_with(body, smart)
    );
    assert!(!inspection.prose.is_empty());
    assert_eq!(inspection.images_without_alt.len(), 2);
    assert_eq!(inspection.external_links.len(), 2);
    assert_eq!(render_with(body, &Fake, None).inspection, None);
}

/// `Fake`, also linking mentions of note 7 (NetEase).
struct Mentioning;

impl Resolver for Mentioning {
    fn wikilink(&self, target: &str) -> Result<Target, Unresolved> {
        Fake.wikilink(target)
    }

    fn relative(&self, path: &str) -> Result<Target, Unresolved> {
        Fake.relative(path)
    }

    fn mention(&self, id: u32) -> Option<Target> {
        (id == 7).then(|| Target {
            url: "/b/companies/netease/".into(),
            id,
            title: "NetEase Inc".into(),
            named: false,
        })
    }
}

#[test]
fn a_rendering_that_keeps_no_queries_or_text_is_the_same_rendering_without_them() {
    let body = "NetEase grew. See [[nowhere]] and [it](../companies/other.md).\n";
    let mentions = crate::mentions::Mentions::new([(7, "NetEase".to_string())]);
    let auto = AutoLink {
        mentions: &mentions,
        from: 1,
    };
    let keep = |queries| Keep {
        queries,
        inspection: false,
        text: queries,
        html: true,
    };
    let with = render_keeping(
        body,
        &Mentioning,
        Some(&auto),
        keep(true),
        Settings::default(),
    );
    let without = render_keeping(
        body,
        &Mentioning,
        Some(&auto),
        keep(false),
        Settings::default(),
    );
    assert_eq!(&*without.plain_text, "");
    assert_eq!(without.first_paragraph, with.first_paragraph);
    // The wikilink, the relative link and the mention were asked about.
    assert_eq!(with.queries.len(), 3);
    assert!(with.queries.iter().any(|q| q.kind == LinkKind::Mention));
    assert!(without.queries.is_empty());
    // A link that found nothing keeps its words in the text searched.
    assert_eq!(&*with.plain_text, "NetEase grew. See nowhere and it.\n");
    assert_eq!(without.html, with.html);
    assert_eq!(without.links, with.links);
    assert_eq!(without.problems, with.problems);
    assert_eq!(with.problems.len(), 2);
    assert!(with
        .html
        .contains("<a href=\"/b/companies/netease/\">NetEase</a> grew"));
}

/// `check` with no fingerprints to compare makes no HTML: the rest of
/// the rendering (links, headings, problems, summary) is the same.
#[test]
fn a_rendering_without_html_has_a_stand_in_and_the_same_rest() {
    let body = "## Plans\n\nNetEase grew. See [[nowhere]], [[#Plans]] and [[#Gone]].\n";
    let keep = |html| Keep {
        queries: true,
        inspection: true,
        text: true,
        html,
    };
    let with = render_keeping(body, &Fake, None, keep(true), Settings::default());
    let without = render_keeping(body, &Fake, None, keep(false), Settings::default());
    assert!(with.html.contains("<h2 id=\"plans\">"));
    assert_eq!(&*without.html, STAND_IN_HTML);
    assert_eq!(without.headings, with.headings);
    assert_eq!(without.links, with.links);
    assert_eq!(without.problems, with.problems);
    // The unknown note, and the heading this note does not have (found
    // once the headings are known, with or without the HTML).
    assert_eq!(with.problems.len(), 2, "{:?}", with.problems);
    assert!(with.problems[0].message.contains("nowhere"));
    assert!(with.problems[1].message.contains("#gone"));
    assert_eq!(without.queries, with.queries);
    assert_eq!(without.first_paragraph, with.first_paragraph);
    assert_eq!(without.plain_text, with.plain_text);
    assert_eq!(without.inspection, with.inspection);
    let empty = render_keeping("", &Fake, None, keep(false), Settings::default());
    assert_eq!(&*empty.html, "");
    assert_eq!(
        &*render_keeping("", &Fake, None, keep(true), Settings::default()).html,
        ""
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn collapse_spaces_joins_the_words_with_one_space(
        text in "[a-z. \t\n\r\u{b}\u{c}\u{a0}\u{3000}\u{1}\u{e9}]{0,30}"
    ) {
        let words: Vec<&str> = text.split_whitespace().collect();
        proptest::prop_assert_eq!(collapse_spaces(&text), words.join(" "));
    }
}

#[test]
fn collapsed_text_comes_back_as_it_is() {
    assert_eq!(collapse_spaces("one two three."), "one two three.");
    assert_eq!(collapse_spaces(" one  two\tthree\n"), "one two three");
    assert_eq!(collapse_spaces("one\u{a0}two"), "one two");
    assert_eq!(collapse_spaces(""), "");
}

/// In a table, a wikilink's label comes after an escaped pipe.
#[test]
fn a_wikilink_with_a_label_in_a_table_escapes_its_pipe() {
    let r = render(
        "| Company | Note |\n|---|---|\n| [[netease\\|its rival]] | [[NetEase#AI Plans\\|plans]] |\n",
        &Fake,
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(
        r.html
            .contains("<a href=\"/b/companies/netease/\">its rival</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<a href=\"/b/companies/netease/#ai-plans\">plans</a>"),
        "{}",
        r.html
    );
}

/// HTML has no link inside a link: a wikilink, a `.md` link or a mention
/// inside the author's own `<a>…</a>` keeps its text and still counts as a
/// reference, without an anchor of its own.
#[test]
fn links_inside_a_raw_anchor_are_not_nested() {
    let body = "One <a href=\"https://example.org/\">[[netease]] and \
                [it](../companies/netease.md)</a>, then [[netease|again]].\n\n\
                An open <a href=y> left open\n\nand [[netease]] after it.\n";
    let r = render(body, &Fake);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(
        r.html.contains(
            "<a href=\"https://example.org/\">NetEase Inc and it</a>, then \
             <a href=\"/b/companies/netease/\">again</a>."
        ),
        "{}",
        r.html
    );
    // An anchor left open ends with its paragraph.
    assert!(
        r.html
            .contains("and <a href=\"/b/companies/netease/\">NetEase Inc</a> after"),
        "{}",
        r.html
    );
    assert_eq!(r.links.len(), 4, "{:?}", r.links);

    // A footnote reference there keeps its number (the one its definition
    // shows), without an anchor; the others are linked as ever.
    let r = render(
        "<a href=\"x\">a[^n] b</a> c[^m] d[^n].\n\n[^n]: N.\n[^m]: M.\n",
        &Fake,
    );
    assert!(
        r.html
            .contains("<a href=\"x\">a<sup class=\"footnote-reference\">1</sup> b</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "c<sup class=\"footnote-reference\" id=\"fnref:m\"><a href=\"#fn:m\">2</a></sup>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "d<sup class=\"footnote-reference\" id=\"fnref:n\"><a href=\"#fn:n\">1</a></sup>"
        ),
        "{}",
        r.html
    );

    // HTML in an image's text is escaped into its `alt`: it opens nothing.
    let r = render("![see <a href=\"x\">](i.png) then [[netease]].\n", &Fake);
    assert!(
        r.html
            .contains("then <a href=\"/b/companies/netease/\">NetEase Inc</a>."),
        "{}",
        r.html
    );

    // A mention inside `<A HREF=x>` is left as it is; the next is linked.
    let mentions = crate::mentions::Mentions::new([(7, "NetEase".to_string())]);
    let auto = AutoLink {
        mentions: &mentions,
        from: 1,
    };
    let r = render_with(
        "<A HREF=x>NetEase grew</A> and NetEase fell.\n",
        &Mentioning,
        Some(&auto),
    );
    assert_eq!(
        &*r.html,
        "<p><A HREF=x>NetEase grew</A> and <a href=\"/b/companies/netease/\">NetEase</a> fell.</p>\n"
    );
}

#[test]
fn characters_html_forbids_become_replacement_characters() {
    use super::html_chars;
    for clean in [
        "plain",
        "tab\tline\nfeed\u{c}",
        "é · \u{a0} ©",
        "emoji 🦀 中文",
        "",
    ] {
        assert!(html_chars(clean).is_none(), "{clean:?}");
    }
    let cases = [
        ("bell\u{7}", "bell\u{fffd}"),
        ("nul\0 esc\u{1b}", "nul\u{fffd} esc\u{fffd}"),
        ("del\u{7f} nel\u{85}", "del\u{fffd} nel\u{fffd}"),
        (
            "non\u{fdd0}\u{fffe}\u{1ffff}",
            "non\u{fffd}\u{fffd}\u{fffd}",
        ),
    ];
    for (dirty, want) in cases {
        assert_eq!(html_chars(dirty).as_deref(), Some(want), "{dirty:?}");
    }
    let mut out = String::new();
    super::push_escaped(&mut out, "<b>\u{7}</b>");
    assert_eq!(out, "&lt;b&gt;\u{fffd}&lt;/b&gt;");
}

fn render_set(body: &str, settings: Settings) -> Rendered {
    render_keeping(body, &Fake, None, Keep::QUERIES, settings)
}

#[test]
fn fenced_code_in_a_known_language_is_highlighted_by_default() {
    let body = "```python title=\"a.py\"\ndef f(x):\n    return \"<b>\"  # why\n```\n\n\
                ```nosuchlang\nx <y>\n```\n\n    indented <code>\n";
    let r = render(body, &Fake);
    let h = &r.html;
    assert!(
        h.contains("<pre tabindex=\"0\"><code class=\"language-python\"><span class=\"hl-keyword\">def</span> <span class=\"hl-function\">f</span>"),
        "{h}"
    );
    assert!(
        h.contains("<span class=\"hl-string\">&quot;&lt;b&gt;&quot;</span>"),
        "{h}"
    );
    assert!(h.contains("<span class=\"hl-comment\"># why"), "{h}");
    // A language no grammar knows, and indented code, are as CommonMark has them.
    assert!(
        h.contains(
            "<pre tabindex=\"0\"><code class=\"language-nosuchlang\">x &lt;y&gt;\n</code></pre>"
        ),
        "{h}"
    );
    assert!(
        h.contains("<pre tabindex=\"0\"><code>indented &lt;code&gt;\n</code></pre>"),
        "{h}"
    );
    // The code is still text for search.
    assert!(r.plain_text.contains("return"), "{}", r.plain_text);

    let off = render_set(
        body,
        Settings {
            highlight: false,
            ..Settings::default()
        },
    );
    assert!(!off.html.contains("hl-"), "{}", off.html);
    assert!(
        off.html
            .contains("<pre tabindex=\"0\"><code class=\"language-python\">def f(x):"),
        "{}",
        off.html
    );
}

#[test]
fn smart_punctuation_is_asked_for() {
    let body = "\"Quoted\" -- it's done...\n";
    assert!(render(body, &Fake)
        .html
        .contains("\"Quoted\" -- it's done..."));
    let r = render_set(
        body,
        Settings {
            smart_punctuation: true,
            ..Settings::default()
        },
    );
    assert!(
        r.html
            .contains("\u{201c}Quoted\u{201d} \u{2013} it\u{2019}s done\u{2026}"),
        "{}",
        r.html
    );
}

#[test]
fn the_text_before_more_is_the_lead() {
    let r = render(
        "## Deal\n\nKestrel *raised* money.\n\n- from two funds\n\n<!-- more -->\n\nThe rest.\n",
        &Fake,
    );
    assert_eq!(
        r.lead.as_deref(),
        Some("Deal Kestrel raised money. from two funds")
    );
    // The marker stays in the page, an HTML comment.
    assert!(r.html.contains("<!-- more -->"), "{}", r.html);
    // Any case and spacing, in a paragraph too.
    let r = render("One. <!--MORE--> Two.\n", &Fake);
    assert_eq!(r.lead.as_deref(), Some("One."));
    // Nothing before it: none. Footnotes are not the lead.
    assert_eq!(render("<!-- more -->\n\nText.\n", &Fake).lead, None);
    let r = render(
        "Lead[^a].\n\n[^a]: Note.\n\n<!-- more -->\n\nRest.\n",
        &Fake,
    );
    assert_eq!(r.lead.as_deref(), Some("Lead."));
    // Not in code, nor another comment.
    for body in [
        "```\n<!-- more -->\n```\n\nText.\n",
        "A.\n\n<!-- more to come -->\n",
        "A.\n",
    ] {
        assert_eq!(render(body, &Fake).lead, None, "{body}");
    }
}

#[test]
fn footnotes_cited_only_in_other_footnotes_come_after_those_the_text_cites() {
    let r = render(
        "[^b]: B text, see [^c].\n[^a]: A text, see also[^b].\n\n## One[^a]\n\nBody cites a[^a] then b[^b].\n\n[^c]: C.\n",
        &Fake,
    );
    let h = &r.html;
    let at = |needle: &str| h.find(needle).unwrap_or_else(|| panic!("{needle}: {h}"));
    assert!(at("<li id=\"fn:a\">") < at("<li id=\"fn:b\">"), "{h}");
    assert!(at("<li id=\"fn:b\">") < at("<li id=\"fn:c\">"), "{h}");
    assert!(
        h.contains("a<sup class=\"footnote-reference\" id=\"fnref:a:2\"><a href=\"#fn:a\">1</a>"),
        "{h}"
    );
    // The summary is the text's, not a footnote's.
    assert_eq!(&*r.first_paragraph, "Body cites a then b.");
}

#[test]
fn footnote_ids_hold_no_sign_an_address_gives_a_meaning() {
    let r = render(
        "A[^x#y] b[^%] c[^^] d[^a?b].\n\n[^x#y]: 1.\n[^%]: 2.\n[^^]: 3.\n[^a?b]: 4.\n",
        &Fake,
    );
    for id in ["fn:x-y", "fn:-", "fn:--2", "fn:a-b"] {
        assert!(
            r.html.contains(&format!("<li id=\"{id}\">")),
            "{id}: {}",
            r.html
        );
    }
    for href in r.html.split("href=\"#").skip(1) {
        let href = &href[..href.find('"').unwrap()];
        assert!(!href.contains(['#', '%', '?', '^']), "{href}");
    }
}

#[test]
fn twenty_thousand_footnotes_are_all_placed() {
    // (Placing them was quadratic: seconds, where it is now milliseconds.)
    let mut body = String::new();
    for i in 0..20_000 {
        body.push_str(&format!("Claim {i}[^n{i}].\n"));
    }
    body.push('\n');
    for i in 0..20_000 {
        body.push_str(&format!("[^n{i}]: Source {i}.\n"));
    }
    let r = render(&body, &Fake);
    assert_eq!(r.html.matches("<li id=\"fn:n").count(), 20_000);
    assert!(r.html.contains("<li id=\"fn:n19999\">"));
}

#[test]
fn links_inside_a_block_html_anchor_are_not_nested() {
    let r = render(
        "<a href=\"https://e.org\">\n\nA paragraph with [[netease]] and a note[^n].\n\n</a>\n\n\
         After it, [[netease]] again.\n\n<!--\n<a href=\"x\">\n-->\n\nAnd [[netease]].\n\n[^n]: N.\n",
        &Fake,
    );
    let h = &r.html;
    // Inside the author's anchor: text, and the footnote's number unlinked.
    assert!(
        h.contains(
            "A paragraph with NetEase Inc and a note<sup class=\"footnote-reference\">1</sup>."
        ),
        "{h}"
    );
    // After it closes, and after an anchor in a comment, links again.
    assert!(
        h.contains("After it, <a href=\"/b/companies/netease/\">NetEase Inc</a> again."),
        "{h}"
    );
    assert!(
        h.contains("And <a href=\"/b/companies/netease/\">NetEase Inc</a>."),
        "{h}"
    );
    // Still references.
    assert_eq!(r.links.len(), 3, "{:?}", r.links);

    // A target (`<a id>`, no `href`) opens no link: the links after it stay.
    let r = render(
        "<a id=\"top\">\n\nSee [[netease]] and [x](https://e.org).\n",
        &Fake,
    );
    assert!(
        r.html.contains("See <a href=\"/b/companies/netease/\">"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<a href=\"https://e.org\">x</a>"),
        "{}",
        r.html
    );
    // A block anchor closed inline: the links after it stay.
    let r = render(
        "<a href=\"https://e.org\">\n\nWrapped [[netease]]</a> text.\n\nThen [[netease]].\n",
        &Fake,
    );
    assert!(r.html.contains("Wrapped NetEase Inc</a>"), "{}", r.html);
    assert!(
        r.html.contains("Then <a href=\"/b/companies/netease/\">"),
        "{}",
        r.html
    );
}

#[test]
fn thousands_of_repeated_headings_get_the_numbered_ids_a_few_get() {
    // (Each id used to be found by trying every number from 1 against
    // every earlier heading: cubic, minutes for 8,000.)
    let r = render(&"## x\n\n".repeat(5_000), &Fake);
    assert_eq!(r.headings.len(), 5_000);
    assert_eq!(r.headings[0].id, "x");
    assert_eq!(r.headings[1].id, "x-1");
    assert_eq!(r.headings[4_999].id, "x-4999");
    let mut ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 5_000);
    // A heading whose slug is a number taken already steps aside as ever.
    let r = render(&format!("{}## x 40\n", "## x\n\n".repeat(50)), &Fake);
    assert_eq!(r.headings[50].id, "x-40-1");
}

#[test]
fn words_are_counted_as_the_body_reads() {
    let r = render("One<br>two, AT&amp;T and `code` here.\n\n- a\n- b\n", &Fake);
    // one, two, AT&T, and, code, here, a, b
    assert_eq!(r.word_count, 8);
}
