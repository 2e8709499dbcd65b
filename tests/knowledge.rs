//! What the site knows beyond each note's links: roles and relations (both
//! ends, dates, located errors, contradictions), related notes, co-mentions,
//! per-entity timelines, link graphs as inline SVG, the changes page and its
//! feed, and the JSON data export. One mini site per feature under
//! tests/fixtures/<feature>/<case>; pinned messages are rewritten with
//! BRIEF_BLESS=1.

mod common;

use common::{assert_links_resolve, assert_xml, before, ids, repo, site_snapshot, snapshot, Site};
use serde_json::Value;

/// The HTML from `start` to the end of its section (`</section>` at the
/// same depth is not needed: sections here do not nest).
fn section<'h>(html: &'h str, start: &str) -> &'h str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"));
    let rest = &html[at..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    &rest[..end]
}

/// Compares `text` with a pinned file (or rewrites it with BRIEF_BLESS=1).
fn pinned(rel: &str, text: &str) {
    let path = repo().join("tests/fixtures").join(rel);
    if std::env::var_os("BRIEF_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    assert_eq!(text, std::fs::read_to_string(&path).unwrap(), "{rel}");
}

#[test]
fn roles_and_relations_show_on_both_ends_with_their_dates() {
    let site = Site::fixture("relations/roles");
    site.build();
    let ann = site.read("people/ann/index.html");
    let roles = section(&ann, "<h2>Roles</h2>");
    assert!(roles.contains("Chief executive, <a href=\"/companies/acme/\">Acme Corp</a> (<time datetime=\"2015\">2015</time> to <time datetime=\"2020-06\">June 2020</time>)"), "{roles}");
    assert!(roles.contains("Board member, <a href=\"/companies/globex/\">Globex</a></li>"));
    // Shown in their own box, not again among the facts.
    assert!(!ann.contains("<dt>Roles</dt>"));
    let acme = site.read("companies/acme/index.html");
    let holders = section(&acme, "<h2>People and roles</h2>");
    assert!(before(holders, "Ann Lee", "Bob Ray"));
    assert!(holders.contains("<a href=\"/people/bob/\">Bob Ray</a>: CEO (since <time datetime=\"2020-06\">June 2020</time>)"));
    assert!(acme
        .contains("<span class=\"rel\">Rival:</span> <a href=\"/companies/globex/\">Globex</a>"));
    assert!(acme.contains("<span class=\"rel\">Owns:</span> <a href=\"/companies/initech/\">Initech</a> (since <time datetime=\"2019-03\">March 2019</time>)"));
    let globex = site.read("companies/globex/index.html");
    assert!(globex.contains(
        "<a href=\"/companies/acme/\">Acme Corp</a> <span class=\"rel\">(rival: Globex)</span>"
    ));
    assert!(globex.contains("<a href=\"/people/ann/\">Ann Lee</a>: Board member"));
    // A one-way relation reads the right way round at the other end.
    let initech = site.read("companies/initech/index.html");
    assert!(
        initech.contains(
            "<a href=\"/companies/acme/\">Acme Corp</a> <span class=\"rel\">(owns: Initech, since <time datetime=\"2019-03\">March 2019</time>)</span>"
        ),
        "{initech}"
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("two holders"), "{stderr}");
    assert_links_resolve(&site.out(), "/");
}

#[test]
fn overlapping_exclusive_roles_are_check_warnings() {
    let site = Site::fixture("relations/overlap");
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    pinned("relations/overlap/expected.txt", &stderr);
    let (status, _, stderr) = site.run(&["check", "--strict"]);
    assert_eq!(status, 1, "{stderr}");
    // A plain build does not look for contradictions.
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn bad_roles_and_relations_are_located_errors_with_hints() {
    let site = Site::fixture("relations/unknown-target");
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    pinned("relations/unknown-target/expected.txt", &stderr);
    let (status, _, check) = site.run(&["check"]);
    assert_eq!(status, 1);
    assert_eq!(
        check,
        stderr.replace("11 errors; nothing was written", "11 errors found")
    );
    assert!(!site.out().exists());
}

#[test]
fn related_notes_weigh_rare_shared_links_more() {
    let site = Site::fixture("related/weighted");
    site.build();
    let s1 = site.read("stories/s1/index.html");
    let related = section(&s1, "<h2>Related</h2>");
    // s2 shares the rare topic too; the others only the common one, by key.
    assert!(before(related, "Story two", "Story three"), "{related}");
    assert!(before(related, "Story three", "Story four"));
    assert!(before(related, "Story four", "Story five"));
    assert!(related.contains("2 shared links"));
    assert!(!related.contains("Story six"));
    // A prose link counts like a front-matter one: s5 links `mid` in its body.
    let s3 = site.read("stories/s3/index.html");
    let related = section(&s3, "<h2>Related</h2>");
    assert!(before(related, "Story four", "Story five"), "{related}");
    assert!(before(related, "Story five", "Story one"));
    // A note that links to nothing has no related notes.
    assert!(!site
        .read("stories/s6/index.html")
        .contains("<h2>Related</h2>"));
}

#[test]
fn co_mentions_count_the_stories_two_notes_share() {
    let site = Site::fixture("comentions/basic");
    site.build();
    let acme = site.read("companies/acme/index.html");
    let co = section(&acme, "<h2>Often mentioned with</h2>");
    assert!(
        before(
            co,
            "Globex</a> <span class=\"count\">2 stories</span>",
            "Initech"
        ),
        "{co}"
    );
    assert!(before(
        co,
        "Initech</a> <span class=\"count\">1 story</span>",
        "Ann Lee"
    ));
    // The newest story first, and topics are not co-mentions.
    assert!(before(co, "March story", "February story"));
    assert!(!co.contains("topics/ai"));
    assert!(!co.contains("January story</a>; "));
    let topic = site.read("topics/ai/index.html");
    assert!(section(&topic, "<h2>Often mentioned with</h2>").contains("Acme Corp"));
    assert!(!site
        .read("stories/s1/index.html")
        .contains("Often mentioned with"));
}

#[test]
fn entity_pages_show_their_stories_by_month() {
    let site = Site::fixture("timeline/entity");
    site.build();
    let acme = site.read("companies/acme/index.html");
    let from = acme.find("<h2>Mentioned in</h2>").unwrap();
    let to = acme.find("<div class=\"note-more\">").unwrap();
    let back = &acme[from..to];
    assert!(before(back, "March 2024", "January 2024"));
    assert!(before(back, "January second", "January first"));
    assert!(back.contains("<h3>January 2024 <span class=\"count\">(2)</span></h3>"));
    // Each story once; the undated backlink keeps its group.
    assert_eq!(back.matches("href=\"/stories/jan-a/\"").count(), 1);
    assert!(back.contains("href=\"/people/ann/\""));
    assert!(!site
        .read("stories/mar/index.html")
        .contains("<h3>March 2024"));
}

#[test]
fn note_graphs_are_inline_svg_with_a_text_alternative() {
    let site = Site::fixture("graphs/neighbourhood");
    site.build();
    let hub = site.read("companies/hub/index.html");
    let fig = section(&hub, "<figure class=\"graph-figure\">");
    assert!(fig.contains("role=\"img\" aria-labelledby=\"graph-title\"><title id=\"graph-title\">Link graph: Hub &lt;Holdings&gt; &amp; &quot;Co&quot; and 24 linked notes</title>"), "{fig}");
    assert_eq!(
        fig.matches("<circle").count(),
        25,
        "the note and 24 neighbours"
    );
    assert!(fig.contains("(7 more not drawn)"));
    let doc = scraper::Html::parse_document(&hub);
    let sel = scraper::Selector::parse("figure figcaption details li a").unwrap();
    assert_eq!(doc.select(&sel).count(), 24);
    let sel = scraper::Selector::parse("holdings").unwrap();
    assert_eq!(doc.select(&sel).count(), 0, "a title became markup");
    // The most connected neighbour is always drawn.
    assert!(fig.contains(">Spoke</text>"));
    let ids = ids(&hub);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    assert!(!site
        .read("companies/lonely/index.html")
        .contains("graph-figure"));
    let graph = site.read("graph/index.html");
    assert!(graph.contains("All 33 notes and the 41 links"), "{graph}");
    assert!(graph.contains("<title id=\"site-graph-title\">"));
    let again = Site::fixture("graphs/neighbourhood");
    again.build();
    assert!(site_snapshot(&site.out()) == site_snapshot(&again.out()));
    assert_links_resolve(&site.out(), "/");
}

/// The site graph draws roles and relations as links, as each note's
/// graph does: a note whose only tie is a relation is not left alone.
#[test]
fn the_site_graph_draws_roles_and_relations() {
    let site = Site::fixture("links/basic");
    let links = |site: &Site| -> usize {
        let html = site.read("graph/index.html");
        let caption = html.split("Link graph of the site: ").nth(1).unwrap();
        let count = caption.split(" notes and ").nth(1).unwrap();
        count.split(' ').next().unwrap().parse().unwrap()
    };
    site.write(
        "content/companies/tencent.md",
        "---\ntitle: Tencent\nsummary: Games.\n---\nNo links here.\n",
    );
    site.build();
    let before = links(&site);
    site.write(
        "content/companies/tencent.md",
        "---\ntitle: Tencent\nsummary: Games.\nrelations: [{rival: netease}]\n---\nNo links here.\n",
    );
    site.build();
    assert_eq!(links(&site), before + 1);
}

#[test]
fn the_site_graph_of_a_big_site_keeps_the_most_linked_notes() {
    let site = Site::fixture("graphs/neighbourhood");
    for i in 0..160 {
        site.write(
            &format!("content/people/p{i:03}.md"),
            &format!("---\ntitle: Person {i}\n---\nA person.\n"),
        );
    }
    site.build();
    let graph = site.read("graph/index.html");
    assert!(graph.contains("The 150 most connected of the 193 notes"));
    assert!(graph.contains("People <span class=\"count\">(117 of 160)</span>"));
    let svg = section(&graph, "<svg");
    assert_eq!(svg.matches("<circle").count(), 150);
    // Ranked by links in and out: the hub, the spoke and every story.
    assert!(svg.contains(">Spoke</text>"));
    assert!(svg.contains(">Story 29</text>"));
    assert!(!svg.contains(">Person 159</text>"));
}

#[test]
fn changes_page_and_feed_list_notes_by_their_latest_date() {
    let site = Site::fixture("changes/basic");
    site.build();
    let page = site.read("changes/index.html");
    let order = [
        "Revised story",
        "New story",
        "Acme Corp",
        "Old story",
        "About",
    ];
    for pair in order.windows(2) {
        assert!(before(&page, pair[0], pair[1]), "{pair:?}");
    }
    assert!(!page.contains("Globex"));
    assert!(page.contains("Updated <time datetime=\"2024-03-01\">1 March 2024</time>"));
    assert!(page.contains("Added <time datetime=\"2024-02-01\">1 February 2024</time>"));
    let feed = site.read("changes/feed.xml");
    assert_xml(&feed);
    assert!(feed.contains("<title>What changed · Fixture</title>"));
    assert!(before(
        &feed,
        "<title>Revised story</title>",
        "<title>New story</title>"
    ));
    assert_eq!(feed.matches("<entry").count(), 5);
    // Acme has `updated` and no `date`: no `published` (not 1970).
    let acme = feed.split("<title>Acme Corp</title>").nth(1).unwrap();
    let acme = acme.split("</entry>").next().unwrap();
    assert!(!acme.contains("<published>"), "{acme}");
    assert!(acme.contains("<updated>2023-12-24T00:00:00+00:00</updated>"));
    assert!(!feed.contains("1970"), "{feed}");
    assert!(site.read("index.html").contains("href=\"/changes/\""));
    assert!(site
        .read("sitemap.xml")
        .contains("<loc>https://example.org/changes/</loc>"));
    assert_links_resolve(&site.out(), "/");
}

#[test]
fn data_export_lists_notes_and_typed_edges() {
    let site = Site::fixture("api/basic");
    site.build();
    let notes: Value = serde_json::from_str(&site.read("api/notes.json")).unwrap();
    assert_eq!(notes["version"], 1);
    let list = notes["notes"].as_array().unwrap();
    let keys: Vec<&str> = list.iter().map(|n| n["key"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let acme = list.iter().find(|n| n["key"] == "companies/acme").unwrap();
    assert_eq!(acme["url"], "https://example.org/companies/acme/");
    assert_eq!(acme["front_matter"]["headquarters"], "Springfield");
    assert_eq!(acme["links"], serde_json::json!(["companies/globex"]));
    assert_eq!(
        acme["backlinks"],
        serde_json::json!(["companies/globex", "stories/s"])
    );
    let story = list.iter().find(|n| n["key"] == "stories/s").unwrap();
    assert_eq!(story["date"], "2024-01-05");
    assert_eq!(
        story["refs"]["topics"],
        serde_json::json!(["topics/markets"])
    );
    let stub = list.iter().find(|n| n["key"] == "topics/markets").unwrap();
    assert_eq!(stub["stub"], true);

    let graph: Value = serde_json::from_str(&site.read("api/graph.json")).unwrap();
    let edges = graph["edges"].as_array().unwrap();
    let has = |source: &str, target: &str, kind: &str| {
        edges
            .iter()
            .any(|e| e["source"] == source && e["target"] == target && e["type"] == kind)
    };
    assert!(has("stories/s", "companies/acme", "reference/companies"));
    assert!(has("companies/globex", "companies/acme", "wikilink"));
    assert!(has("companies/acme", "companies/globex", "relative"));
    assert!(has("companies/acme", "companies/globex", "relation/rival"));
    assert!(has("people/ann", "companies/acme", "role"));
    let role = edges.iter().find(|e| e["type"] == "role").unwrap();
    assert_eq!(role["title"], "CEO");
    assert_eq!(role["until"], "2020");
    assert!(role.get("since").is_none());
    assert_eq!(graph["nodes"].as_array().unwrap().len(), list.len());
    // Sorted by source, target, type, then a role's title and term, with no
    // edge twice.
    let fields = ["source", "target", "type", "title", "since", "until"];
    let order: Vec<[Option<&str>; 6]> = edges
        .iter()
        .map(|e| fields.map(|f| e.get(f).and_then(Value::as_str)))
        .collect();
    for pair in order.windows(2) {
        assert!(pair[0] < pair[1], "out of order: {pair:?}");
    }
    // Compact: no pretty-printing.
    assert!(!site.read("api/graph.json").contains("\n "));
}

#[test]
fn sample_site_shows_people_rivals_co_mentions_graph_and_timeline() {
    let site = Site::sample();
    site.build();
    let alibaba = site.read("companies/alibaba/index.html");
    let holders = section(&alibaba, "<h2>People and roles</h2>");
    assert!(
        holders.contains("Daniel Zhang Yong</a>: Chairman and CEO"),
        "{holders}"
    );
    assert!(holders
        .contains("Eddie Wu Yongming</a>: Chairman of Taobao &amp; Tmall Group; CEO (designate)"));
    assert!(alibaba.contains(
        "<span class=\"rel\">Rival:</span> <a href=\"/briefing/companies/netease/\">NetEase</a>"
    ));
    assert!(section(&alibaba, "<h2>Often mentioned with</h2>").contains(">NetEase</a>"));
    assert!(alibaba.contains("<h2>Related</h2>"));
    assert!(alibaba.contains("<svg class=\"graph graph-note\""));
    assert!(alibaba.contains("<h3>January 2024 <span class=\"count\">(3)</span></h3>"));
    let zhang = site.read("people/daniel-zhang/index.html");
    assert!(section(&zhang, "<h2>Roles</h2>")
        .contains("Chairman and CEO, <a href=\"/briefing/companies/alibaba/\">Alibaba Group</a>"));
    let netease = site.read("companies/netease/index.html");
    assert!(netease.contains("Alibaba Group</a> <span class=\"rel\">(rival: NetEase)</span>"));
    assert!(netease.contains("William Ding Lei</a>: Founder and CEO"));
    // A story page stays small: HTML and CSS under 50 kB.
    let css = site.read("style.css").len();
    for (path, bytes) in snapshot(&site.out()) {
        if path.starts_with("stories/")
            && path.ends_with("/index.html")
            && path != "stories/index.html"
        {
            assert!(
                bytes.len() + css < 50_000,
                "{path}: {} bytes",
                bytes.len() + css
            );
        }
    }
}

#[test]
fn a_standalone_page_is_no_notes_related_note() {
    let site = Site::sample();
    // The about page links what the notes link, as such pages do.
    let about = site.read_input("content/about.md");
    site.write(
        "content/about.md",
        &format!("{about}\nSee [[Alibaba]], [[NetEase]], [[Joe Tsai]], [[Eddie Wu]], [[artificial-intelligence]] and [[Daniel Zhang]].\n"),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    let mut with_related = 0;
    for page in [
        "companies/alibaba",
        "companies/netease",
        "people/joe-tsai",
        "people/eddie-wu",
    ] {
        let html = site.read(&format!("{page}/index.html"));
        if html.contains("<section class=\"related similar\">") {
            with_related += 1;
            let related = section(&html, "<section class=\"related similar\">");
            assert!(!related.contains("/briefing/about/"), "{page}: {related}");
        }
    }
    assert!(with_related > 0, "no page lists related notes");
    let about = site.read("about/index.html");
    assert!(
        !about.contains("<section class=\"related similar\">"),
        "{about}"
    );
}
