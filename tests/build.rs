//! Feature tests: one mini site per feature under tests/fixtures/, built
//! through the library, its output read back and parsed.

mod common;

use brief::content::Drafts;
use common::{assert_links_resolve, assert_xml, before, repo, site_snapshot, snapshot, Site};

#[test]
fn links_and_backlinks_resolve_in_every_form() {
    let site = Site::fixture("links/basic");
    site.build();
    let story = site.read("stories/ai-push/index.html");
    assert!(story.contains("href=\"/companies/netease/\""));
    assert!(story.contains("href=\"/companies/netease/#ai-plans\""));
    assert!(story.contains(">its rival</a>"));
    assert!(!story.contains("broken-link"));
    let netease = site.read("companies/netease/index.html");
    // Backlinks from both stories (front matter) and Alibaba (prose), newest story first.
    assert!(netease.contains("href=\"/stories/ai-push/\""));
    assert!(netease.contains("href=\"/companies/alibaba/\""));
    assert!(before(
        &netease,
        "href=\"/stories/ai-push/\"",
        "href=\"/stories/older/\""
    ));
    // The standalone page links to Alibaba, which shows it as a backlink.
    assert!(site
        .read("about/index.html")
        .contains("href=\"/companies/alibaba/\""));
    assert!(site
        .read("companies/alibaba/index.html")
        .contains("href=\"/about/\""));
    assert_links_resolve(&site.out(), "/");
}

/// A bare wikilink shows the note's title when written as its slug, and
/// the author's words when written as a title or alias, even an alias in
/// lowercase that looks like a slug.
#[test]
fn a_wikilink_written_as_a_lowercase_alias_keeps_its_words() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/bytedance.md",
        "---\ntitle: ByteDance Ltd\naliases: [tiktok, ByteDance]\nsummary: Apps.\n---\nApps.\n",
    );
    site.write(
        "content/stories/apps.md",
        "---\ntitle: Apps\ndate: 2024-02-01\n---\nSee [[tiktok]], [[bytedance]], [[ByteDance]] and [[Tiktok]].\n",
    );
    site.build();
    let page = site.read("stories/apps/index.html");
    let link = |text: &str| format!("<a href=\"/companies/bytedance/\">{text}</a>");
    let shown = format!(
        "See {}, {}, {} and {}.",
        link("tiktok"),
        link("ByteDance Ltd"),
        link("ByteDance"),
        link("Tiktok")
    );
    assert!(page.contains(&shown), "{page}");
}

#[test]
fn feeds_and_sitemap_are_well_formed_xml() {
    let site = Site::fixture("links/basic");
    site.build();
    let feed = site.read("feed.xml");
    assert_xml(&feed);
    assert!(before(
        &feed,
        "<title>AI push</title>",
        "<title>Older story</title>"
    ));
    assert!(feed.contains("<id>https://example.org/stories/ai-push/</id>"));
    assert!(feed.contains("<updated>2024-01-05T00:00:00+00:00</updated>"));
    // Dated notes link to NetEase, so it has a feed; no dated note links to a story.
    let netease_feed = site.read("companies/netease/feed.xml");
    assert_xml(&netease_feed);
    assert_eq!(netease_feed.matches("<entry").count(), 2);
    // The older story's footnotes link within its page: that is their base.
    assert!(netease_feed.contains("<entry xml:base=\"https://example.org/stories/older/\">"));
    assert!(!site.exists("stories/ai-push/feed.xml"));
    let sitemap = site.read("sitemap.xml");
    assert_xml(&sitemap);
    assert!(sitemap.contains("<loc>https://example.org/companies/alibaba/</loc>"));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
}

/// A `static/robots.txt` is published instead of the generated one (a
/// staging site's `Disallow: /`), in `build` and in `check`.
#[test]
fn a_static_robots_txt_replaces_the_generated_one() {
    let site = Site::fixture("links/basic");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    // Taken away again, the generated one comes back.
    std::fs::remove_file(site.root().join("static/robots.txt")).unwrap();
    site.build();
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://example.org/sitemap.xml"));
}

/// A static file whose name is not UTF-8 has no name to publish under:
/// an error, not a file published as `bad�.txt` over another.
#[test]
fn a_static_file_named_in_bytes_that_are_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::fixture("links/basic");
    let dir = site.root().join("static");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"bad\xfe.txt")), "one").unwrap();
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("static/bad\u{fffd}.txt: error: file name is not valid UTF-8"),
        "{stderr}"
    );
    assert!(!site.out().exists());
}

#[test]
fn stubs_are_generated_for_missing_topics() {
    let site = Site::fixture("stubs/basic");
    let built = site.build();
    assert_eq!(built.assembled.stats.stubs, 2);
    let stub = site.read("topics/export-controls/index.html");
    assert!(stub.contains("Export Controls"));
    assert!(stub.contains("href=\"/stories/chips/\""));
    assert!(site
        .read("topics/chip-bans/index.html")
        .contains("href=\"/stories/chips/\""));
    assert!(site
        .read("topics/index.html")
        .contains("href=\"/topics/export-controls/\""));
    assert_links_resolve(&site.out(), "/");
    // The sitemap lists stubs (as taxonomy term pages are), without a
    // date, and dated notes with theirs.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<url><loc>https://example.org/topics/export-controls/</loc></url>"));
    assert!(sitemap.contains(
        "<url><loc>https://example.org/stories/chips/</loc><lastmod>2024-02-01</lastmod></url>"
    ));
}

/// A stub's title does not depend on which thread asked for it first:
/// the spelling most references use, else the first file's; one written
/// as the slug counts only when no other is written. A link to it shows
/// that title, whichever body asked first.
#[test]
fn a_stub_is_titled_as_most_references_write_it_else_as_the_first() {
    let site = Site::fixture("stubs/basic");
    let story = |name: &str, topics: &str, body: &str| {
        site.write(
            &format!("content/stories/{name}.md"),
            &format!("---\ntitle: {name}\ndate: 2024-03-01\ntopics: [{topics}]\n---\n{body}\n"),
        );
    };
    story(
        "s1",
        "port-logistics",
        "[[topics/Labour relations]], [[topics/labour-relations]]",
    );
    story("s2", "Port logistics", "[[topics/LABOUR RELATIONS]]");
    story(
        "s3",
        "port-logistics, PORT LOGISTICS",
        "[[topics/labour-relations]]",
    );
    story("s4", "Port logistics", "");
    site.build();
    let title = |page: &str| {
        let html = site.read(page);
        let start = html.find("<h1>").unwrap() + 4;
        html[start..start + html[start..].find("</h1>").unwrap()].to_string()
    };
    // The slug twice, `Port logistics` twice, `PORT LOGISTICS` once.
    assert_eq!(title("topics/port-logistics/index.html"), "Port logistics");
    // The slug twice, the others once each: s1 comes before s2.
    assert_eq!(
        title("topics/labour-relations/index.html"),
        "Labour relations"
    );
    // Links written as `collection/...` show the title, as to any note.
    for page in ["s1", "s2", "s3"] {
        let html = site.read(&format!("stories/{page}/index.html"));
        assert!(html.contains(">Labour relations</a>"), "{html}");
        assert!(!html.contains(">labour-relations</a>"), "{html}");
        assert!(!html.contains(">LABOUR RELATIONS</a>"), "{html}");
    }
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = Site::fixture("drafts/basic");
    site.build();
    assert!(!site.exists("stories/secret/index.html"));
    assert!(!site.read("stories/index.html").contains("Secret"));
    let mut opts = site.options();
    opts.drafts = Drafts::Include;
    site.build_with(opts);
    assert!(site.exists("stories/secret/index.html"));
    assert!(site.read("stories/index.html").contains("Secret"));
}

#[test]
fn dated_lists_are_sorted_newest_first_and_paginated() {
    let site = Site::fixture("pagination/basic");
    site.build();
    let p1 = site.read("stories/index.html");
    let p2 = site.read("stories/page/2/index.html");
    let p3 = site.read("stories/page/3/index.html");
    assert!(!site.exists("stories/page/4/index.html"));
    assert!(before(&p1, "Story 1", "Story 3"));
    assert!(!p1.contains("Story 4"));
    assert!(before(&p2, "Story 4", "Story 0"));
    assert!(p3.contains("Story 2"));
    assert!(p1.contains("href=\"/stories/page/2/\""));
    assert!(p3.contains("href=\"/stories/page/2/\""));
    // Page 1 is the list's own page; `page/1/` (as Zola and Hugo link it)
    // sends there.
    let redirect = site.read("stories/page/1/index.html");
    assert!(
        redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=/stories/\">"),
        "{redirect}"
    );
    assert!(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/stories/\">"));
    assert!(!site.read("sitemap.xml").contains("page/1"));
    let timeline = site.read("timeline/index.html");
    assert!(before(&timeline, "March 2024", "December 2023"));
    assert_links_resolve(&site.out(), "/");
}

#[test]
fn base_url_prefix_is_honoured_everywhere() {
    let site = Site::fixture("links/basic");
    let mut opts = site.options();
    opts.base_url = Some("https://example.org/briefing/".into());
    site.build_with(opts);
    let story = site.read("stories/ai-push/index.html");
    assert!(story.contains("href=\"/briefing/companies/netease/\""));
    for (path, bytes) in snapshot(&site.out()) {
        if path.ends_with(".html") {
            for link in common::links(&String::from_utf8_lossy(&bytes)) {
                assert!(
                    !link.starts_with('/') || link.starts_with("/briefing/"),
                    "{path}: {link} ignores the prefix"
                );
            }
        }
    }
    assert!(site
        .read("feed.xml")
        .contains("<id>https://example.org/briefing/stories/ai-push/</id>"));
    assert_links_resolve(&site.out(), "/briefing/");
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = Site::fixture("templates/override");
    site.build();
    let alibaba = site.read("companies/alibaba/index.html");
    assert!(alibaba.contains("<p class=\"override\">Alibaba Group in Companies</p>"));
    // Other collections still use the theme's note.html.
    assert!(!site.read("stories/ai-push/index.html").contains("override"));
}

#[test]
fn bundle_files_are_copied_beside_their_page() {
    let site = Site::fixture("bundles/basic");
    site.build();
    assert!(site
        .read("companies/alibaba/index.html")
        .contains("src=\"logo.svg\""));
    assert!(site.exists("companies/alibaba/logo.svg"));
    assert!(site.exists("companies/alibaba/img/chart.svg"));
    assert!(!site.exists("companies/alibaba/index.md"));
    assert_links_resolve(&site.out(), "/");
}

/// Dates in several time zones: each month of the timeline comes once,
/// newest first, with the notes dated in it as written.
#[test]
fn the_timeline_groups_notes_by_the_month_they_are_dated_in() {
    let site = Site::fixture("links/basic");
    for (slug, date) in [
        ("late", "2024-01-31T23:00:00-05:00"),
        ("day", "2024-02-01"),
        ("morning", "2024-02-01T10:00:00Z"),
    ] {
        site.write(
            &format!("content/stories/{slug}.md"),
            &format!("---\ntitle: Story {slug}\ndate: {date}\n---\nText.\n"),
        );
    }
    site.build();
    let timeline = site.read("timeline/index.html");
    assert_eq!(
        timeline.matches("id=\"m-2024-02\"").count(),
        1,
        "{timeline}"
    );
    assert!(before(&timeline, "id=\"m-2024-02\"", "id=\"m-2024-01\""));
    assert!(before(&timeline, "Story morning", "Story day"));
    assert!(before(&timeline, "id=\"m-2024-01\"", "Story late"));
}

/// Markdown beside a bundle's index.md is a source: never copied out as
/// it is (a draft's text would be published), and told.
#[test]
fn markdown_files_inside_a_bundle_are_not_published() {
    let site = Site::fixture("bundles/basic");
    let draft = "---\ntitle: Secret plan\ndraft: true\n---\nConfidential.\n";
    site.write("content/companies/alibaba/secret-draft.md", draft);
    site.write("content/companies/alibaba/inner/index.md", draft);
    site.write("content/companies/alibaba/notes.MARKDOWN", draft);
    let built = site.build();
    for path in ["secret-draft.md", "inner/index.md", "notes.MARKDOWN"] {
        assert!(!site.exists(&format!("companies/alibaba/{path}")), "{path}");
        let source = format!("content/companies/alibaba/{path}");
        assert!(
            built.assembled.warnings.iter().any(|w| {
                w.path == std::path::Path::new(&source) && w.message.starts_with("not published")
            }),
            "{source}: {:?}",
            built.assembled.warnings
        );
    }
    assert!(site.exists("companies/alibaba/img/chart.svg"));
    let published = snapshot(&site.out());
    assert!(
        !published
            .iter()
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("Confidential")),
        "the draft's text is published"
    );
}

/// A bundle's relative picture, in a feed: each entry's `xml:base` is its
/// page, so a reader finds the picture beside the page, not at the root.
#[test]
fn a_bundle_picture_in_a_feed_resolves_beside_its_page() {
    let site = Site::fixture("bundles/basic");
    site.write(
        "content/stories/chart-day/index.md",
        "---\ntitle: Chart day\ndate: 2024-02-01\ncompanies: [netease]\n---\n\n![The chart](chart.svg)\n",
    );
    site.write(
        "content/stories/chart-day/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    site.build();
    assert!(site.exists("stories/chart-day/chart.svg"));
    for feed in ["feed.xml", "companies/netease/feed.xml"] {
        let xml = site.read(feed);
        assert_xml(&xml);
        let at = xml.find("<title>Chart day</title>").expect(feed);
        let start = xml[..at].rfind("<entry ").expect(feed);
        assert!(
            xml[start..at]
                .starts_with("<entry xml:base=\"https://example.org/stories/chart-day/\">"),
            "{feed}: {}",
            &xml[start..at]
        );
        let entry = &xml[start..];
        let entry = &entry[..entry.find("</entry>").expect(feed)];
        assert!(entry.contains("src=\"chart.svg\""), "{feed}: {entry}");
        // An entry with no relative address keeps the feed's base.
        assert!(
            xml.contains("<entry>\n<title>AI push</title>"),
            "{feed}: {xml}"
        );
    }
}

#[test]
fn layout_rules_subfolders_crlf_bom_and_ignored_files() {
    let site = Site::fixture("layout/mixed");
    // Hidden static files are published, as by Hugo and Zola; editor and
    // version-control leftovers are not.
    site.write("static/.well-known/security.txt", "Contact: mailto:a@b.c\n");
    site.write("static/.nojekyll", "");
    for junk in [
        "static/.DS_Store",
        "static/css/.extra.css.swp",
        "static/.git/HEAD",
    ] {
        site.write(junk, "x");
    }
    site.build();
    assert!(site.exists(".well-known/security.txt"));
    assert!(site.exists(".nojekyll"));
    for junk in [".DS_Store", "css/.extra.css.swp", ".git/HEAD"] {
        assert!(!site.exists(junk), "{junk} was published");
    }
    assert!(site
        .read("stories/asia/china/deep/index.html")
        .contains("Deep story"));
    let crlf = site.read("stories/crlf/index.html");
    assert!(crlf.contains("Windows story"));
    assert!(crlf.contains("id=\"part\""));
    let out = snapshot(&site.out());
    assert!(!out
        .iter()
        .any(|(p, _)| p.contains("hidden") || p.contains("4913") || p.contains('~')));
    assert!(site.exists("CNAME"));
    assert!(site.exists("css/extra.css"));
    assert!(site
        .read("index.html")
        .contains("href=\"/companies/alibaba/\""));
    assert!(site
        .read("stories/index.html")
        .contains("The stories, newest first."));
    assert_links_resolve(&site.out(), "/");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let a = Site::fixture("links/basic");
    let b = Site::fixture("links/basic");
    a.build();
    b.build();
    assert!(site_snapshot(&a.out()) == site_snapshot(&b.out()));
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("links/basic");
    let before = snapshot(site.root());
    let (status, stdout, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("nothing written"));
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn check_renders_only_pages_the_last_build_did_not_render_in_the_same_form() {
    let site = Site::fixture("links/basic");
    let check = || brief::pipeline::check(&site.options());
    let cold = check().unwrap();
    assert_eq!(cold.stats.rendered, cold.stats.pages, "no build yet");
    // What the check was done with is handed back, for the command line
    // to leave to the exit rather than free.
    assert!(cold.leftovers.is_some());
    let built = site.build();
    assert!(built.assembled.leftovers.is_some());
    assert_eq!(check().unwrap().stats.rendered, 0, "every page as built");
    // Prose appended to a story: only its page is rendered.
    let story = site.read_input("content/stories/ai-push.md");
    site.write(
        "content/stories/ai-push.md",
        &format!("{story}\nA closing sentence.\n"),
    );
    assert_eq!(check().unwrap().stats.rendered, 1);
    // A template that fails on company pages fails the check, though the
    // last build rendered those pages.
    site.write(
        "templates/companies/note.html",
        "<p>{{ page.nonexistent }}</p>\n",
    );
    let failed = check().unwrap_err();
    assert!(
        failed.iter().any(|d| d.message.contains("`nonexistent`")),
        "{failed:?}"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = Site::fixture("links/basic");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::fs::write(site.root().join("a-file"), "mine\n").unwrap();
    let before = snapshot(site.root());
    for output in [
        ".",
        "..",
        "content",
        "content/x",
        "static",
        "static/out",
        "templates",
        "themes/x",
        "a-file",
    ] {
        let target = site.root().join(output);
        let (status, _, stderr) = site.run(&["build", "--output", target.to_str().unwrap()]);
        assert_eq!(status, 1, "--output {output}: {stderr}");
        assert!(stderr.contains("refusing to use"), "{stderr}");
    }
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn a_file_where_a_folder_must_go_is_one_error_and_is_kept() {
    let site = Site::fixture("links/basic");
    site.build();
    let companies = site.out().join("companies");
    std::fs::remove_dir_all(&companies).unwrap();
    std::fs::write(&companies, "mine\n").unwrap();
    let before = snapshot(&site.out());
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("public/companies: error: cannot create"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a file stands where the site needs a folder"),
        "{stderr}"
    );
    assert_eq!(snapshot(&site.out()), before);
}

/// A folder in the output where this build writes a new file: the build
/// is refused before any file is put in place, so an edit made at the same
/// time does not reach the output either.
#[test]
fn a_folder_where_a_new_file_must_go_fails_before_anything_is_written() {
    let site = Site::fixture("links/basic");
    site.build();
    std::fs::create_dir_all(site.out().join("notes.txt/inside")).unwrap();
    std::fs::write(site.out().join("notes.txt/inside/mine.txt"), "mine\n").unwrap();
    let before = snapshot(&site.out());
    site.write("static/notes.txt", "new static file\n");
    let story = site.read_input("content/stories/ai-push.md");
    site.write(
        "content/stories/ai-push.md",
        &format!("{story}\nAn edited sentence.\n"),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("public/notes.txt: error: cannot write: a folder stands where"),
        "{stderr}"
    );
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn a_site_without_its_content_folder_fails_and_keeps_the_output() {
    let site = Site::fixture("links/basic");
    site.build();
    let before = snapshot(&site.out());
    let content = site.root().join("content");
    std::fs::rename(&content, site.root().join("moved")).unwrap();
    for command in ["build", "check"] {
        let (status, _, stderr) = site.run(&[command]);
        assert_eq!(status, 1, "{command}: {stderr}");
        assert!(
            stderr.contains("content: error: the site has no content/ folder"),
            "{stderr}"
        );
    }
    std::fs::write(&content, "not a folder\n").unwrap();
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("`content` is not a folder"), "{stderr}");
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn rebuild_writes_only_changed_files_and_keeps_foreign_ones() {
    let site = Site::fixture("links/basic");
    let first = site.build();
    assert_eq!(first.commit.unchanged, 0);
    site.write("public/CNAME", "example.org\n");
    let again = site.build();
    assert_eq!(again.commit.written, 0, "nothing changed, nothing written");
    assert_eq!(again.commit.removed, 0);
    // Edit one story's body: its page, the lists showing its summary, its
    // feeds and search entries change; unrelated pages keep their mtime.
    let mtime = |rel: &str| {
        std::fs::metadata(site.out().join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let untouched = [
        "about/index.html",
        "companies/alibaba/index.html",
        "style.css",
    ];
    let before: Vec<_> = untouched.iter().map(|p| mtime(p)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\ncompanies: [netease]\n---\nOlder, edited.\n",
    );
    let edited = site.build();
    assert!(
        edited.commit.written >= 1 && edited.commit.written < 15,
        "{:?}",
        edited.commit
    );
    let after: Vec<_> = untouched.iter().map(|p| mtime(p)).collect();
    assert_eq!(before, after, "unrelated files were rewritten");
    assert!(site
        .read("stories/older/index.html")
        .contains("Older, edited."));
    // Remove it: its files go, foreign files stay.
    std::fs::remove_file(site.root().join("content/stories/older.md")).unwrap();
    let removed = site.build();
    assert!(removed.commit.removed >= 1);
    assert!(!site.exists("stories/older/index.html"));
    assert!(
        !site.out().join("stories/older").exists(),
        "emptied folders are removed"
    );
    assert!(site.exists("CNAME"));
    for bookkeeping in [".brief-staging", ".brief-writing"] {
        assert!(!site.out().join(bookkeeping).exists(), "{bookkeeping} left");
    }
}

#[test]
fn a_build_failing_while_rendering_leaves_no_trace() {
    // Pages are staged while they render; a template that fails on one
    // note's page comes after others were staged.
    let site = Site::fixture("links/basic");
    site.write(
        "templates/stories/note.html",
        "{% extends \"note.html\" %}{% block body %}{{ note.extra.missing.field }}{% endblock body %}",
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        !site.out().exists(),
        "a failed first build leaves no output folder"
    );
    assert!(
        !site.root().join(".public.brief-new").exists(),
        "nor the new folder it was writing"
    );
    // Over an existing output: every file as it was, nothing staged left.
    std::fs::remove_file(site.root().join("templates/stories/note.html")).unwrap();
    site.build();
    let before = common::snapshot(&site.out());
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\nextra_key: 1\n---\nChanged.\n",
    );
    site.write(
        "templates/stories/note.html",
        "{% extends \"note.html\" %}{% block body %}{{ note.extra.missing.field }}{% endblock body %}",
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(common::snapshot(&site.out()), before);
    assert!(!site.out().join(".brief-staging").exists());
}

#[test]
fn a_commit_that_cannot_put_a_file_in_place_leaves_the_output_as_it_was() {
    let site = Site::fixture("links/basic");
    site.build();
    // A folder where the last build wrote a page this build changes.
    let page = site.out().join("companies/netease/index.html");
    std::fs::remove_file(&page).unwrap();
    std::fs::create_dir_all(page.join("kept")).unwrap();
    let files = common::snapshot(&site.out());
    let dirs = common::folders(&site.out());
    // A new story, in a folder the output does not have yet, that changes
    // the company's page and others.
    site.write(
        "content/stories/brand-new.md",
        "---\ntitle: Brand new\ndate: 2024-03-01\ncompanies: [netease]\n---\nNew.\n",
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains(
            "companies/netease/index.html: error: cannot write: a folder stands where the site writes this file"
        ),
        "{stderr}"
    );
    assert_eq!(common::snapshot(&site.out()), files, "every file as it was");
    assert_eq!(
        common::folders(&site.out()),
        dirs,
        "no folder made or left behind"
    );
}

/// `check` saves work on what it throws away (a note's HTML, its graph)
/// only while the templates just print those or test them for emptiness:
/// a template that looks inside fails in `check` as it does in a build.
#[test]
fn check_fails_where_build_does_when_a_template_looks_inside_the_content() {
    let site = Site::fixture("links/basic");
    site.write(
        "templates/stories/note.html",
        "{% extends \"note.html\" %}{% block body %}{{ note.content | safe }}\
         {% if \"<table\" in note.content %}{{ page.table_note }}{% endif %}{% endblock body %}",
    );
    let story = site.read_input("content/stories/ai-push.md");
    site.write(
        "content/stories/ai-push.md",
        &format!("{story}\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
    );
    for command in ["check", "build"] {
        let (status, _, stderr) = site.run(&[command]);
        assert_eq!(status, 1, "{command}: {stderr}");
        assert!(stderr.contains("table_note"), "{command}: {stderr}");
    }
}

#[test]
fn a_first_build_writes_a_new_folder_and_renames_it_into_place() {
    let site = Site::fixture("links/basic");
    // What a first build killed part way leaves beside the output.
    let new = site.root().join(".public.brief-new");
    std::fs::create_dir_all(new.join("stale")).unwrap();
    std::fs::write(new.join("stale/index.html"), "half").unwrap();
    let built = site.build();
    assert!(built.commit.written > 0);
    assert!(!new.exists(), "the new folder became the output folder");
    let out = site.out();
    assert!(out.join("index.html").is_file());
    assert!(out.join(".brief-manifest").is_file());
    assert!(!out.join("stale").exists(), "nothing of the killed build");
    assert!(!out.join(".brief-staging").exists());
    assert!(!out.join(".brief-writing").exists());
    // A rebuild over it works in place and writes nothing new.
    let again = site.build();
    assert_eq!(again.commit.written, 0);
    assert!(!new.exists());
}

#[test]
fn sample_site_builds_cleanly_with_resolving_links() {
    let site = Site::sample();
    let built = site.build();
    assert!(
        built.assembled.warnings.is_empty(),
        "{:?}",
        built.assembled.warnings
    );
    let checked = assert_links_resolve(&site.out(), "/briefing/");
    assert!(checked > 200, "only {checked} links checked");
    let again = Site::sample();
    again.build();
    assert!(site_snapshot(&site.out()) == site_snapshot(&again.out()));
    for feed in ["feed.xml", "companies/alibaba/feed.xml", "sitemap.xml"] {
        assert_xml(&site.read(feed));
    }
}

/// Sets every file under `dir` to have been modified a minute ago, so a
/// build trusts their fingerprints (it distrusts files changed in the last
/// two seconds).
fn age(dir: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age(&path);
        } else {
            let f = std::fs::File::options().append(true).open(&path).unwrap();
            f.set_modified(then).unwrap();
        }
    }
}

/// The site built again into a new folder equals the site's output.
fn assert_same_as_fresh(site: &Site, what: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let mut opts = site.options();
    opts.output = Some(fresh.path().join("out"));
    site.build_with(opts);
    assert!(
        site_snapshot(&site.out()) == site_snapshot(&fresh.path().join("out")),
        "{what}: the rebuild equals a fresh build"
    );
}

#[test]
fn a_rebuild_renders_only_pages_whose_context_changed_and_equals_a_fresh_build() {
    let site = Site::fixture("links/basic");
    let first = site.build();
    let pages = first.assembled.stats.pages;
    assert_eq!(first.assembled.stats.rendered, pages);
    // Prose appended to a story: only its page shows it.
    let story = site.read_input("content/stories/ai-push.md");
    site.write(
        "content/stories/ai-push.md",
        &format!("{story}\nA closing sentence.\n"),
    );
    let edited = site.build();
    assert_eq!(edited.assembled.stats.rendered, 1, "{:?}", edited.commit);
    assert!(site
        .read("stories/ai-push/index.html")
        .contains("A closing sentence."));
    assert_same_as_fresh(&site, "prose appended");
    // A page edited by hand: nothing is trusted, every page is rendered.
    std::fs::write(site.out().join("stories/older/index.html"), "tampered").unwrap();
    site.write(
        "content/stories/ai-push.md",
        &format!("{story}\nAnother closing sentence.\n"),
    );
    let repaired = site.build();
    assert_eq!(repaired.assembled.stats.rendered, pages);
    assert!(site.read("stories/older/index.html").contains("<html"));
    // A template changed: every page is rendered again.
    site.write("templates/partial-extra.html", "<p>unused</p>");
    let retemplated = site.build();
    assert_eq!(retemplated.assembled.stats.rendered, pages);
    // Nothing but an unrelated input touched: nothing rendered.
    let unchanged = site.read_input("content/about.md");
    site.write("content/about.md", &unchanged);
    let touched = site.build();
    assert_eq!(touched.assembled.stats.rendered, 0, "{:?}", touched.commit);
    assert_eq!(touched.commit.written, 0);
}

#[test]
fn a_rebuild_redraws_a_graph_whose_neighbour_gained_a_link_elsewhere() {
    // The topic's graph shows the story; its dot grows with the story's
    // links. A second paragraph in the about page linking the story changes
    // nothing else on the topic's page: the graph, drawn at render time,
    // must still be drawn again.
    let site = Site::fixture("links/basic");
    site.build();
    let topic = "topics/artificial-intelligence/index.html";
    let before = site.read(topic);
    assert!(
        before.contains("<svg class=\"graph graph-note\""),
        "{before}"
    );
    let about = site.read_input("content/about.md");
    site.write(
        "content/about.md",
        &format!("{about}\nMore in [[AI push]].\n"),
    );
    let rebuilt = site.build();
    assert!(
        rebuilt.assembled.stats.rendered < rebuilt.assembled.stats.pages,
        "only the pages that changed are rendered"
    );
    let graph =
        |html: &str| html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()].to_string();
    let after = site.read(topic);
    assert_ne!(graph(&before), graph(&after), "the story's dot is bigger");
    assert_same_as_fresh(&site, "a neighbour gained a backlink");
}

/// Does any search shard of the built site hold `term`?
fn indexed(site: &Site, term: &str) -> bool {
    snapshot(&site.out().join("search/index/t"))
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(&format!("\"{term}\"")))
}

#[test]
fn a_rebuild_tokenises_only_changed_notes_for_search_and_equals_a_fresh_build() {
    let site = Site::fixture("links/basic");
    let notes = site.build().assembled.stats.notes;
    // Prose appended to a story: only it is tokenised again.
    let story = site.read_input("content/stories/older.md");
    site.write(
        "content/stories/older.md",
        &format!("{story}\nA zebrafish appeared.\n"),
    );
    let edited = site.build();
    assert_eq!(edited.assembled.tokenised, 1, "{:?}", edited.commit);
    assert!(indexed(&site, "zebrafish"));
    assert_same_as_fresh(&site, "prose appended");
    // The word taken out again, and the title changed.
    site.write(
        "content/stories/older.md",
        &story.replacen("title:", "title: Quokka sighting,", 1),
    );
    let retitled = site.build();
    assert_eq!(retitled.assembled.tokenised, 1);
    assert!(!indexed(&site, "zebrafish"));
    assert!(indexed(&site, "quokka"));
    assert_same_as_fresh(&site, "title changed");
    // A new note moves the documents: everything is tokenised.
    site.write(
        "content/stories/newer.md",
        "---\ntitle: Newer\ndate: 2024-06-01\ncompanies: [alibaba]\n---\nA wombat.\n",
    );
    let added = site.build();
    assert_eq!(added.assembled.tokenised, notes + 1);
    assert!(indexed(&site, "wombat"));
    assert_same_as_fresh(&site, "a note added");
    // An index file edited by hand: nothing is trusted.
    std::fs::write(site.out().join("search/index/t/0.json"), "{}").unwrap();
    site.write(
        "content/stories/newer.md",
        &site
            .read_input("content/stories/newer.md")
            .replace("wombat", "numbat"),
    );
    let repaired = site.build();
    assert_eq!(repaired.assembled.tokenised, notes + 1);
    assert!(indexed(&site, "numbat") && !indexed(&site, "wombat"));
    assert_same_as_fresh(&site, "an index file edited by hand");
}

#[test]
fn a_build_with_nothing_changed_is_up_to_date_and_anything_changed_rebuilds() {
    let site = Site::fixture("links/basic");
    age(site.root());
    let first = site.build();
    assert!(!first.up_to_date);
    let again = site.build();
    assert!(again.up_to_date, "nothing changed: {:?}", again.commit);
    assert_eq!(again.commit.written, 0);
    assert_eq!(again.commit.unchanged, first.commit.written);
    assert_eq!(again.assembled.stats, first.assembled.stats);
    assert_eq!(again.assembled.warnings, first.assembled.warnings);

    // An output file edited or removed by hand is put back.
    std::fs::write(site.out().join("index.html"), "tampered").unwrap();
    let repaired = site.build();
    assert!(!repaired.up_to_date);
    assert_eq!(repaired.commit.written, 1);
    assert!(site.read("index.html").contains("<html"));
    std::fs::remove_file(site.out().join("style.css")).unwrap();
    assert!(!site.build().up_to_date);
    assert!(site.exists("style.css"));
    assert!(site.build().up_to_date);

    // Other options: a full build.
    let mut opts = site.options();
    opts.base_url = Some("https://elsewhere.example/".into());
    let other = site.build_with(opts);
    assert!(!other.up_to_date);
    assert!(other.commit.written > 0);
    assert!(!site.build().up_to_date, "back to the site's own base_url");

    // An edited note, even with an old modification time: a full build.
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\ncompanies: [netease]\n---\nOlder, edited again.\n",
    );
    age(&site.root().join("content"));
    let edited = site.build();
    assert!(!edited.up_to_date);
    assert!(site
        .read("stories/older/index.html")
        .contains("Older, edited again."));
    assert!(site.build().up_to_date);
    // Replaced by a file of the same size with its old modification time
    // put back (as `cp -p` or `rsync -t` do): the change time tells.
    let older = site.root().join("content/stories/older.md");
    let then = std::fs::metadata(&older).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&older).unwrap();
    std::fs::write(&older, text.replace("edited again", "edited AGAIN")).unwrap();
    let f = std::fs::File::options().append(true).open(&older).unwrap();
    f.set_modified(then).unwrap();
    assert_eq!(
        std::fs::metadata(&older).unwrap().len() as usize,
        text.len()
    );
    assert!(!site.build().up_to_date, "same size and time, new text");
    assert!(site
        .read("stories/older/index.html")
        .contains("edited AGAIN"));
    assert!(site.build().up_to_date);
    // Permissions changed, nothing else: built (and read) again.
    let mut perms = std::fs::metadata(&older).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&older, perms).unwrap();
    assert!(!site.build().up_to_date, "permissions changed");
    assert!(site.build().up_to_date);
    let mut perms = std::fs::metadata(&older).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&older, perms).unwrap();
    // A note edited just now is not trusted to be fingerprinted.
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\ncompanies: [netease]\n---\nFresh.\n",
    );
    let written = std::time::Instant::now();
    assert!(!site.build().up_to_date);
    let again = site.build();
    // A build within two seconds of the edit recorded no fingerprint, so
    // the next one builds in full too (unless the machine was too slow to
    // get here in time, which says nothing about brief).
    if written.elapsed() < std::time::Duration::from_millis(1500) {
        assert!(!again.up_to_date, "the edit was too recent to trust");
    }
    assert!(site.read("stories/older/index.html").contains("Fresh."));
}

#[test]
fn a_root_that_does_not_exist_is_named_as_such_by_every_command() {
    let site = Site::fixture("links/basic");
    let missing = site.root().join("no-such-site");
    for (command, last) in [
        ("build", "1 error; nothing was written"),
        ("check", "1 error found"),
        ("serve", "1 error; the server did not start"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
            .args([command, "--root"])
            .arg(&missing)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("{}: error: no such folder", missing.display())),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("serving"), "{command}: {stderr}");
        assert_eq!(stderr.lines().last(), Some(last), "{command}: {stderr}");
    }
}

#[test]
fn a_template_error_names_the_page_that_met_it_once_for_all_pages() {
    let site = Site::fixture("links/basic");
    site.write(
        "templates/companies/note.html",
        "{% extends \"note.html\" %}{% block body %}{{ note.extra.founded | upper }}{% endblock body %}",
    );
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    // Both company pages fail the same way: one error, the first page named.
    assert_eq!(
        stderr.matches("error: template error").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("= hint: while rendering content/companies/alibaba.md (and 1 more page)"),
        "{stderr}"
    );
}

#[test]
fn a_missing_theme_is_located_at_its_line_with_the_themes_there_are() {
    let site = Site::fixture("links/basic");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}theme: ledger\n"));
    let line = yaml.lines().count() + 1;
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "site.yaml:{line}:1: error: theme \"ledger\" not found: no folder themes/ledger/"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: set `theme:` to a folder under themes/: `default`"),
        "{stderr}"
    );
}

#[test]
fn overriding_a_block_no_parent_has_names_the_blocks_there_are() {
    let site = Site::fixture("links/basic");
    site.write(
        "templates/companies/note.html",
        "{% extends \"note.html\" %}\n{% block sidebar %}x{% endblock sidebar %}\n",
    );
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("templates/companies/note.html:2:10: error: template error: Block `sidebar` is not defined in any parent template"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: did you mean \"side\"?"), "{stderr}");
    assert!(!stderr.contains("no longer has"), "{stderr}");
    // A name like none of them gets the parents' blocks listed.
    site.write(
        "templates/companies/note.html",
        "{% extends \"note.html\" %}\n{% block zzz %}x{% endblock zzz %}\n",
    );
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "no template it extends has a block of this name; they have: head, main, kicker,"
        ),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_block_in_the_theme_itself_gets_the_block_it_meant() {
    // No templates/ folder: nothing replaced the theme's files, so the
    // hint about overrides would point nowhere.
    let site = Site::fixture("links/basic");
    let page = site.root().join("themes/default/templates/page.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("block kicker", "block kickerr")).unwrap();
    assert!(!site.root().join("templates").exists());
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("Block `kickerr` is not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"kicker\"?"), "{stderr}");
    assert!(!stderr.contains("no longer has"), "{stderr}");
}

#[test]
fn a_path_link_spelt_like_a_front_matter_stub_reaches_that_stub() {
    let site = Site::fixture("stubs/basic");
    site.write(
        "content/stories/strike.md",
        "---\ntitle: Strike\ndate: 2024-02-01\ntopics: [labour relations]\n---\nA strike.\n",
    );
    site.write(
        "content/stories/talks.md",
        "---\ntitle: Talks\ndate: 2024-02-02\n---\nSee [[topics/labour relations]] and [[companies/NetEase]].\n",
    );
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 0, "{stderr}");
    let talks = site.read("stories/talks/index.html");
    assert!(
        talks.contains("href=\"/topics/labour-relations/\""),
        "{talks}"
    );
    assert!(talks.contains("href=\"/companies/netease/\""), "{talks}");
    // One stub, which both stories reach.
    let stub = site.read("topics/labour-relations/index.html");
    assert!(stub.contains("href=\"/stories/strike/\""), "{stub}");
    assert!(stub.contains("href=\"/stories/talks/\""), "{stub}");
}

#[test]
fn an_unknown_bare_link_in_a_site_with_stubs_hints_at_the_stub_form() {
    let site = Site::fixture("stubs/basic");
    site.write(
        "content/stories/talks.md",
        "---\ntitle: Talks\ndate: 2024-02-02\n---\nSee [[Zoning rules]].\n",
    );
    let (code, _, stderr) = site.run(&["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("content/stories/talks.md:5:5: error: unknown link [[Zoning rules]]"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "hint: to link a page not written yet, name its collection: [[topics/Zoning rules]]"
        ),
        "{stderr}"
    );
    // With two collections that make stubs, both are named.
    site.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true}\n  \
         companies: {required: [summary]}\n  topics: {stubs: true}\n  places: {stubs: true}\n",
    );
    let (_, _, stderr) = site.run(&["build"]);
    assert!(
        stderr.contains(
            "hint: to link a page not written yet, name its collection (places, topics): [[places/Zoning rules]]"
        ),
        "{stderr}"
    );
}

/// An empty item in a reference list or in `aliases` names nothing: it is
/// left out, and told as a warning at its line, never dropped in silence.
#[test]
fn empty_list_items_are_left_out_with_a_warning() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\naliases: [\"\", NE, \" \"]\n---\n## AI plans\n",
    );
    site.write(
        "content/stories/blank.md",
        "---\ntitle: Blank\ndate: 2024-02-01\ncompanies: [NetEase, \"\"]\n---\nBody.\n",
    );
    let built = site.build();
    assert_eq!(
        told(&built, "content/companies/netease.md"),
        ["4:11: `aliases` has 2 empty items, left out"]
    );
    assert_eq!(
        told(&built, "content/stories/blank.md"),
        ["4:22: `companies` has an empty item, left out"]
    );
    let notes = site.read("api/notes.json");
    assert!(notes.contains(r#""aliases":["NE"]"#), "{notes}");
    // The story still lists NetEase, and NetEase's page shows the story.
    assert!(site.read("companies/netease/index.html").contains("Blank"));
    // In a block list, at the item's own line.
    site.write(
        "content/stories/blank.md",
        "---\ntitle: Blank\ndate: 2024-02-01\ncompanies:\n  - NetEase\n  - ' '\n---\nBody.\n",
    );
    assert_eq!(
        told(&site.build(), "content/stories/blank.md"),
        ["6:5: `companies` has an empty item, left out"]
    );
    // A bare `-` is an empty item too, not an error (the build fails on
    // errors); and an apostrophe in a name before it does not hide where
    // it is.
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\naliases:\n  - NetEase's\n  -\n  - NE\n---\n## AI plans\n",
    );
    assert_eq!(
        told(&site.build(), "content/companies/netease.md"),
        ["6:3: `aliases` has an empty item, left out"]
    );
    assert!(site
        .read("api/notes.json")
        .contains(r#""aliases":["NetEase's","NE"]"#));
    // A text, not a list: told as such.
    site.write(
        "content/stories/blank.md",
        "---\ntitle: Blank\ndate: 2024-02-01\ncompanies: \"\"\n---\nBody.\n",
    );
    assert_eq!(
        told(&site.build(), "content/stories/blank.md"),
        ["4:12: `companies` is empty text, left out"]
    );
}

/// A build's warnings about the file at `path`, as `line:col: message`.
fn told(built: &brief::pipeline::Built, path: &str) -> Vec<String> {
    built
        .assembled
        .warnings
        .iter()
        .filter(|w| w.path == std::path::Path::new(path))
        .map(|w| format!("{}:{}: {}", w.location.line, w.location.col, w.message))
        .collect()
}

/// A note that is not UTF-8 is one error. Links that may name it are
/// quiet, a standalone page's by a bare name too; but a bad byte in a
/// front-matter comment leaves its names known, so other unknown names in
/// its collection are still told.
#[test]
fn a_note_that_is_not_utf8_quiets_only_the_links_that_may_name_it() {
    let site = Site::fixture("links/basic");
    // Writes `bytes` to the note at `rel` and `story` to a story, and
    // runs `check`, which must fail: its report.
    let check = |rel: &str, bytes: &[u8], story: &str| -> String {
        std::fs::write(site.root().join(rel), bytes).unwrap();
        site.write("content/stories/s.md", story);
        let (code, _, stderr) = site.run(&["check"]);
        assert_eq!(code, 1, "{stderr}");
        stderr
    };
    let stderr = check(
        "content/about.md",
        b"---\ntitle: Ab\xffout\n---\nText.\n",
        "---\ntitle: S\ndate: 2024-01-01\n---\nSee [[Ab\u{fffd}out]].\n",
    );
    assert!(
        stderr.contains("content/about.md:2:10: error: invalid UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("unknown link"), "{stderr}");
    assert!(stderr.contains("1 error"), "{stderr}");
    // A bad byte in a comment: the company's names are read, and an
    // unknown company is told.
    std::fs::remove_file(site.root().join("content/about.md")).unwrap();
    let stderr = check(
        "content/companies/netease.md",
        b"---\ntitle: NetEase\n# caf\xe9 note\nsummary: Games.\n---\nBody.\n",
        "---\ntitle: S\ndate: 2024-01-01\ncompanies: [Tencent]\n---\nSee [[NetEase]].\n",
    );
    assert!(
        stderr.contains("content/companies/netease.md:3:6: error: invalid UTF-8"),
        "{stderr}"
    );
    assert!(stderr.contains("Tencent"), "{stderr}");
    assert!(!stderr.contains("[[NetEase]]"), "{stderr}");
}

#[test]
fn a_required_key_left_empty_is_a_warning_and_empty_facts_are_not_shown() {
    let site = Site::sample();
    let yaml = site
        .read_input("site.yaml")
        .replace("required: [summary]", "required: [summary, headquarters]");
    site.write("site.yaml", &yaml);
    let alibaba = site.read_input("content/companies/alibaba.md");
    site.write(
        "content/companies/alibaba.md",
        &alibaba.replacen(
            "headquarters: Hangzhou\n",
            "headquarters:\nfounded: \"\"\nlisted: false\n",
            1,
        ),
    );
    // NetEase has no `headquarters` line at all: that stays an error.
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("netease.md:1:1: error: notes in `companies` need a `headquarters`"),
        "{stderr}"
    );
    let netease = site.read_input("content/companies/netease.md");
    site.write(
        "content/companies/netease.md",
        &netease.replacen("---\n", "---\nheadquarters: Hangzhou\n", 1),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains(
            "alibaba.md:5:1: warning: `headquarters` is empty, but notes in `companies` need it"
        ),
        "{stderr}"
    );
    let page = site.read("companies/alibaba/index.html");
    assert!(
        !page.contains("<dt>Headquarters</dt>"),
        "an empty fact is shown"
    );
    assert!(!page.contains("<dt>Founded</dt>"), "an empty fact is shown");
    // `false` is a value, not an empty key.
    assert!(page.contains("<dt>Listed</dt>"), "{page}");
}

#[test]
fn a_free_key_that_looks_like_a_slip_is_a_warning_at_the_key() {
    let site = Site::sample();
    site.write(
        "content/organisations/slip-org.md",
        "---\ntitle: Slip Org\ndrafts: true\n\"sumary\": A typo.\nDate: 2024-01-01\n\
         organisatons: [samr]\nupdate: 2024-01-01\ndata: {a: 1}\ndates: many\ntopic: games\n\
         Title: Shout\nalias: Slippy\ncompany: [alibaba]\nperson: Ann Example\n---\nBody.\n",
    );
    // A plain build says so too: a misspelt `draft` would publish a draft.
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    for (at, key, meant) in [
        ("3:1", "drafts", "draft"),
        ("4:1", "sumary", "summary"),
        ("5:1", "Date", "date"),
        ("6:1", "organisatons", "organisations"),
        ("7:1", "update", "updated"),
        ("12:1", "alias", "aliases"),
        ("13:1", "company", "companies"),
    ] {
        let line = format!("slip-org.md:{at}: warning: `{key}` is not a key brief reads");
        assert!(stderr.contains(&line), "{line}\n{stderr}");
        assert!(
            stderr.contains(&format!("did you mean `{meant}`?")),
            "{stderr}"
        );
    }
    // Keys that only look alike but hold another kind of value are data,
    // and so is one whose look-alike the note has (`title`).
    for key in ["`data`", "`dates`", "`topic`", "`Title`", "`person`"] {
        assert!(!stderr.contains(key), "{key}: {stderr}");
    }
    // A required key written as a slip: the error is at the slip.
    let netease = site.read_input("content/companies/netease.md");
    site.write(
        "content/companies/netease.md",
        &netease.replacen("\nsummary:", "\nsumary:", 1),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains(
            "netease.md:4:1: error: notes in `companies` need a `summary`\n  = hint: `sumary` here looks like it: rename it `summary`"
        ),
        "{stderr}"
    );
    // The error tells of the slip: no warning on its line besides.
    assert!(!stderr.contains("netease.md:4:1: warning"), "{stderr}");
}

#[test]
fn a_failed_build_shows_the_warnings_of_the_files_in_error_and_no_others() {
    let site = Site::sample();
    let tsai = site.read_input("content/people/joe-tsai.md");
    site.write(
        "content/people/joe-tsai.md",
        &tsai
            .replacen(
                "\ntopics:",
                "\ndrafts: true\nupdated: 2024-02-30\ntopics:",
                1,
            )
            .replacen("[alibaba]", "[alibaba, nobody-co, \"\"]", 1),
    );
    let zhang = site.read_input("content/people/daniel-zhang.md");
    site.write(
        "content/people/daniel-zhang.md",
        &zhang.replacen("\ntopics:", "\ndrafts: true\ntopics:", 1),
    );
    for (command, outcome) in [
        ("build", "2 errors; nothing was written\n"),
        ("check", "2 errors found\n"),
    ] {
        let (status, _, stderr) = site.run(&[command]);
        assert_eq!(status, 1, "{stderr}");
        let at = |file: &str, what: &str| {
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("content/people/{file}")) && l.contains(what))
        };
        assert!(at("joe-tsai.md", "error: invalid date"), "{stderr}");
        // Its slip, told with its error: one run shows all that is wrong
        // with the note.
        assert!(at("joe-tsai.md", "warning: `drafts`"), "{stderr}");
        // On an error's line, but not what the error tells of: shown.
        assert!(
            at("joe-tsai.md:7:22", "error: unknown reference"),
            "{stderr}"
        );
        assert!(
            at("joe-tsai.md:7:33", "warning: `companies` has an empty item"),
            "{stderr}"
        );
        // Another file's warning waits for a build that gets that far.
        assert!(!at("daniel-zhang.md", "warning"), "{stderr}");
        assert!(stderr.ends_with(outcome), "{stderr}");
    }
    // Once the error is fixed, the other file's warning is there too.
    site.write(
        "content/people/joe-tsai.md",
        &tsai.replacen("\ntopics:", "\ndrafts: true\ntopics:", 1),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("daniel-zhang.md:"), "{stderr}");
}

#[test]
fn a_typo_in_base_html_is_told_once_per_place_not_once_per_page_template() {
    let site = Site::sample();
    // The theme's own base.html, with `site.title` misspelt where every
    // page template reaches it (and in one place the home page reaches).
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html")).unwrap();
    assert!(base.matches("{{ site.title }}").count() >= 2);
    site.write(
        "templates/base.html",
        &base.replace("{{ site.title }}", "{{ site.titel }}"),
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(!errors.is_empty(), "{stderr}");
    // Each place once, however many page templates extend base.html.
    let mut places: Vec<&str> = errors
        .iter()
        .map(|l| l.split(": error: ").next().unwrap())
        .collect();
    places.dedup();
    assert_eq!(places.len(), errors.len(), "{stderr}");
    assert!(errors.len() <= 2, "{stderr}");
    assert!(
        errors
            .iter()
            .all(|l| l.starts_with("templates/base.html:")
                && l.contains("Field `titel` is not defined")),
        "{stderr}"
    );
    assert!(stderr.contains("hint: did you mean \"title\""), "{stderr}");
    assert!(stderr.contains(" more pages)"), "{stderr}");
}

/// Without a `summary`, what a body has before `<!-- more -->` is its
/// summary, whole: in lists, feeds and the meta description.
#[test]
fn the_text_before_more_is_the_summary_in_lists_feeds_and_meta() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/cut.md",
        "---\ntitle: Cut story\ndate: 2024-02-01\ncompanies: [netease]\n---\n\
         NetEase reported its results for the quarter, and they were better than \
         any analyst had expected, by a wide margin, in every segment it reports.\n\n\
         Games grew fastest.\n\n<!-- more -->\n\nThe details follow.\n",
    );
    site.build();
    let lead = "NetEase reported its results for the quarter, and they were better than \
                any analyst had expected, by a wide margin, in every segment it reports. \
                Games grew fastest.";
    assert!(site.read("stories/index.html").contains(lead));
    assert!(site
        .read("feed.xml")
        .contains(&format!("<summary type=\"text\">{lead}</summary>")));
    let page = site.read("stories/cut/index.html");
    assert!(page.contains(&format!("<meta name=\"description\" content=\"{lead}\">")));
    assert!(page.contains("The details follow."));
    assert!(!site
        .read("stories/index.html")
        .contains("The details follow."));
}

/// `redirect_from` keeps a renamed note's old addresses working: each is a
/// page that sends readers (and search engines) on to the note.
#[test]
fn old_addresses_in_redirect_from_send_readers_to_the_note() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/alibaba.md",
        &site.read_input("content/companies/alibaba.md").replacen(
            "---\n",
            "---\nredirect_from: [/companies/ali/, old/alibaba.html]\n",
            1,
        ),
    );
    site.build();
    for old in ["companies/ali/index.html", "old/alibaba.html"] {
        let page = site.read(old);
        assert!(
            page.contains("<meta http-equiv=\"refresh\" content=\"0; url=/companies/alibaba/\">"),
            "{page}"
        );
        assert!(page
            .contains("<link rel=\"canonical\" href=\"https://example.org/companies/alibaba/\">"));
    }
    // Not pages of their own: not in the sitemap.
    assert!(!site.read("sitemap.xml").contains("/ali/"));

    // Taken out again, the redirect goes with the next build.
    site.write(
        "content/companies/alibaba.md",
        &site
            .read_input("content/companies/alibaba.md")
            .replace("redirect_from: [/companies/ali/, old/alibaba.html]\n", ""),
    );
    site.build();
    assert!(!site.exists("companies/ali/index.html"));
    assert!(!site.exists("old/alibaba.html"));
}

#[test]
fn a_redirect_over_a_page_or_another_redirect_is_an_error_at_its_line() {
    let site = Site::fixture("links/basic");
    let first = site.read_input("content/companies/alibaba.md");
    site.write(
        "content/companies/alibaba.md",
        &first.replacen(
            "---\n",
            "---\nredirect_from:\n  - /companies/alibaba/\n  - /Companies/NetEase/\n  - /gone/\n",
            1,
        ),
    );
    site.write(
        "content/stories/gone.md",
        "---\ntitle: Gone\ndate: 2024-01-01\nredirect_from: [/gone/]\n---\nText.\n",
    );
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains(
        "content/companies/alibaba.md:3:5: error: `redirect_from`: \"/companies/alibaba/\" is this note's own address"
    ), "{stderr}");
    assert!(stderr.contains(
        "content/companies/alibaba.md:4:5: error: `redirect_from`: \"/Companies/NetEase/\" is the address of content/companies/netease.md"
    ), "{stderr}");
    assert!(
        stderr.contains("`redirect_from`: \"/gone/\" is an old address of content/"),
        "{stderr}"
    );
    assert!(!site.exists("index.html"), "nothing is written");

    // Over a generated page, a list page or a static file: at its line too.
    site.write(
        "content/companies/alibaba.md",
        &first.replacen(
            "---\n",
            "---\nredirect_from: [/search/, /stories/, /old.html]\n",
            1,
        ),
    );
    site.write(
        "content/stories/gone.md",
        "---\ntitle: Gone\ndate: 2024-01-01\n---\nText.\n",
    );
    site.write("static/old.html", "<p>old</p>");
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    for (col, what) in [
        (17, "search/index.html"),
        (27, "stories/index.html"),
        (38, "old.html"),
    ] {
        let line = format!("content/companies/alibaba.md:2:{col}: error: ");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&line) && l.ends_with(&format!("would both write {what}"))),
            "{line}…{what}\n{stderr}"
        );
    }
}

/// A heading without words keeps its place in the body but makes no
/// empty link in the table of contents.
#[test]
fn an_empty_heading_is_left_out_of_the_contents() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/parts.md",
        "---\ntitle: Parts\ndate: 2024-02-02\n---\n## One\n\nA.\n\n## \n\nB.\n\n## Two\n\nC.\n\n## Three\n",
    );
    site.build();
    let page = site.read("stories/parts/index.html");
    let toc = &page[page.find("class=\"toc\"").expect(&page)..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    assert_eq!(toc.matches("<li").count(), 3, "{toc}");
    assert!(!toc.contains("\"></a>"), "{toc}");
    assert!(page.contains("<h2 id=\"section\"></h2>"), "{page}");
}

/// A dated collection has a feed of its own newest notes, which its list
/// page advertises; an undated one has none.
#[test]
fn a_dated_collection_has_its_own_feed() {
    let site = Site::fixture("links/basic");
    site.build();
    let feed = site.read("stories/feed.xml");
    assert_xml(&feed);
    assert!(feed.contains("<link href=\"https://example.org/stories/feed.xml\" rel=\"self\""));
    assert!(feed.contains("<link href=\"https://example.org/stories/\" rel=\"alternate\""));
    assert!(before(
        &feed,
        "<title>AI push</title>",
        "<title>Older story</title>"
    ));
    assert_eq!(feed.matches("<entry").count(), 2);
    assert!(site.read("stories/index.html").contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Stories · Fixture\" href=\"/stories/feed.xml\">"
    ));
    assert!(!site.exists("companies/feed.xml"));
    assert!(!site
        .read("companies/index.html")
        .contains("/companies/feed.xml"));
}

/// A list item carries its note's free keys: a company list can show
/// each company's headquarters.
#[test]
fn list_items_carry_their_notes_free_keys() {
    let site = Site::fixture("links/basic");
    site.write(
        "templates/companies/list.html",
        "{% for n in notes %}[{{ n.title }}: {% if n.extra.headquarters %}{{ n.extra.headquarters }}\
         {% else %}-{% endif %}]{% endfor %}",
    );
    site.build();
    let list = site.read("companies/index.html");
    assert!(list.contains("[Alibaba Group: Hangzhou]"), "{list}");
    assert!(list.contains("[NetEase: -]"), "{list}");
}

/// An `_index.md` reads its title and summary: any other key does nothing,
/// and is told rather than passed over.
#[test]
fn a_key_an_intro_does_not_read_is_a_warning() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/_index.md",
        "---\ntitle: Stories\nsumary: What happened.\ndate: 2024-01-01\n---\nIntro.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains(
        "content/stories/_index.md:3:1: warning: `sumary` does nothing in an _index.md\n  = hint: did you mean `summary`?"
    ), "{stderr}");
    assert!(
        stderr.contains(
            "content/stories/_index.md:4:1: warning: `date` does nothing in an _index.md"
        ),
        "{stderr}"
    );
}

/// `note.word_count` and `note.reading_time`, for themes that show them.
#[test]
fn a_note_page_knows_its_words_and_reading_time() {
    let site = Site::fixture("links/basic");
    let words = vec!["word"; 450].join(" ");
    site.write(
        "content/stories/long.md",
        &format!("---\ntitle: Long\ndate: 2024-02-03\n---\n{words}\n"),
    );
    site.write(
        "templates/stories/note.html",
        "{{ note.word_count }} words, {{ note.reading_time }} min read",
    );
    site.build();
    assert_eq!(
        site.read("stories/long/index.html"),
        "450 words, 3 min read"
    );
}

/// `template:` renders one note with a template of its own; a name no
/// template has is an error at its line, not a quiet fall back.
#[test]
fn a_note_can_name_its_own_template() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/special.md",
        "---\ntitle: Special\ndate: 2024-05-01\ntemplate: reports/special.html\n---\nBody.\n",
    );
    site.write(
        "templates/reports/special.html",
        "{% extends \"note.html\" %}{% block lede %}<p class=\"special\">{{ note.title }}</p>{% endblock lede %}",
    );
    site.build();
    assert!(site
        .read("stories/special/index.html")
        .contains("<p class=\"special\">Special</p>"));
    assert!(!site
        .read("stories/older/index.html")
        .contains("class=\"special\""));

    site.write(
        "content/stories/special.md",
        "---\ntitle: Special\ndate: 2024-05-01\ntemplate: reports/specail.html\n---\nBody.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains(
        "content/stories/special.md:4:11: error: `template`: no template \"reports/specail.html\" found"
    ), "{stderr}");
}

/// A heading inside a footnote can be linked to, but is no part of the
/// body's table of contents.
#[test]
fn a_heading_in_a_footnote_is_not_in_the_contents() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/noted.md",
        "---\ntitle: Noted\ndate: 2024-02-02\n---\n## One\n\nA[^n].\n\n## Two\n\nB.\n\n## Three\n\n\
         See [[#Aside]].\n\n[^n]: A note.\n\n    ## Aside\n\n    More.\n",
    );
    site.build();
    let page = site.read("stories/noted/index.html");
    let toc = &page[page.find("class=\"toc\"").expect(&page)..];
    let toc = &toc[..toc.find("</nav>").unwrap()];
    assert_eq!(toc.matches("<li").count(), 3, "{toc}");
    assert!(!toc.contains("Aside"), "{toc}");
    assert!(page.contains("<h2 id=\"aside\">Aside</h2>"), "{page}");
    assert!(page.contains("href=\"#aside\""), "{page}");
}

/// A dated collection with no notes yet has a feed dated by the site's
/// newest note, not 1970.
#[test]
fn an_empty_collection_feed_is_dated_by_the_site() {
    let site = Site::fixture("links/basic");
    let yaml = site.read_input("site.yaml");
    site.write(
        "site.yaml",
        &yaml.replace("collections:\n", "collections:\n  reports: {dated: true}\n"),
    );
    site.build();
    let feed = site.read("reports/feed.xml");
    assert_xml(&feed);
    assert!(!feed.contains("<entry"), "{feed}");
    assert!(
        feed.contains("<updated>2024-01-05T00:00:00+00:00</updated>"),
        "{feed}"
    );
}

/// The order of a collection's list: `sort_by: weight` puts the lightest
/// first and notes without a weight last; the list page, the home page's
/// glance and each note's previous and next follow it, while the feed stays
/// newest first.
#[test]
fn a_collection_sorted_by_weight_lists_its_lightest_notes_first() {
    let site = Site::fixture("links/basic");
    site.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true, sort_by: weight}\n  companies: {required: [summary], sort_by: weight}\n  topics: {stubs: true}\n",
    );
    site.write(
        "content/companies/alibaba.md",
        "---\ntitle: Alibaba Group\nsummary: Group.\nweight: 20\n---\nBody.\n",
    );
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\nweight: 10\n---\n## AI plans\n",
    );
    site.write(
        "content/companies/baidu.md",
        "---\ntitle: Baidu\nsummary: Search.\nweight: -5\n---\nBody.\n",
    );
    site.write(
        "content/companies/tencent.md",
        "---\ntitle: Tencent\nsummary: Chat.\n---\nBody.\n",
    );
    site.write(
        "content/companies/ant.md",
        "---\ntitle: Ant Group\nsummary: Payments.\n---\nBody.\n",
    );
    // The oldest story weighs least: first in the list, last in the feed.
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\nweight: 1\n---\nOlder.\n",
    );
    let built = site.build();
    assert!(
        built.assembled.warnings.is_empty(),
        "{:?}",
        built.assembled.warnings
    );

    let list = site.read("companies/index.html");
    let order = [
        "/companies/baidu/",
        "/companies/netease/",
        "/companies/alibaba/",
        // Unweighted, in the date order: by title.
        "/companies/ant/",
        "/companies/tencent/",
    ];
    let places: Vec<usize> = order
        .iter()
        .map(|url| {
            list.find(&format!("href=\"{url}\""))
                .unwrap_or_else(|| panic!("{url} not listed"))
        })
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");

    let home = site.read("index.html");
    assert!(before(&home, "/companies/baidu/", "/companies/alibaba/"));

    let netease = site.read("companies/netease/index.html");
    let around = &netease[netease
        .find("class=\"around\"")
        .expect("no previous and next")..];
    assert!(
        around.contains("rel=\"prev\" href=\"/companies/baidu/\""),
        "{around}"
    );
    assert!(
        around.contains("rel=\"next\" href=\"/companies/alibaba/\""),
        "{around}"
    );
    assert!(around.contains(">Previous</span>") && around.contains(">Next</span>"));
    let tencent = site.read("companies/tencent/index.html");
    assert!(tencent.contains("rel=\"prev\" href=\"/companies/ant/\""));
    assert!(!tencent.contains("rel=\"next\""));

    let stories = site.read("stories/index.html");
    assert!(before(&stories, "/stories/older/", "/stories/ai-push/"));
    let feed = site.read("stories/feed.xml");
    assert!(before(&feed, "/stories/ai-push/", "/stories/older/"));
}

/// By default a note's previous and next are the next newer and next older
/// notes of its dated collection, labelled so; a stub is passed over, and
/// `sort_by: title` orders even a dated collection by title.
#[test]
fn previous_and_next_follow_the_list_and_pass_over_stubs() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/middle.md",
        "---\ntitle: A middle story\ndate: 2023-09-01\ntopics: [robotics]\n---\nBody.\n",
    );
    site.build();
    let middle = site.read("stories/middle/index.html");
    assert!(
        middle.contains(
            "rel=\"prev\" href=\"/stories/ai-push/\"><span class=\"around-label\">Newer</span>"
        ),
        "{middle}"
    );
    assert!(
        middle.contains(
            "rel=\"next\" href=\"/stories/older/\"><span class=\"around-label\">Older</span>"
        ),
        "{middle}"
    );
    let newest = site.read("stories/ai-push/index.html");
    assert!(!newest.contains("rel=\"prev\""));
    // `robotics` is a stub, listed with the topics but no note's neighbour.
    assert!(site.exists("topics/robotics/index.html"));
    let ai = site.read("topics/artificial-intelligence/index.html");
    assert!(
        !ai.contains("/topics/robotics/\"><span class=\"around-label\""),
        "{ai}"
    );
    assert!(!ai.contains("class=\"around\""), "{ai}");
    assert!(!site
        .read("topics/robotics/index.html")
        .contains("class=\"around\""));

    site.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true, sort_by: title, per_page: 2}\n  companies: {required: [summary]}\n  topics: {stubs: true}\n",
    );
    site.build();
    let list = site.read("stories/index.html");
    assert!(before(&list, "/stories/middle/", "/stories/ai-push/"));
    // The pager's pages are not newer and older either.
    assert!(
        list.contains("Next<span class=\"vh\"> page</span>"),
        "{list}"
    );
    assert!(!list.contains("Newer") && !list.contains("Older"));
    assert!(site
        .read("stories/page/2/index.html")
        .contains("/stories/older/"));
    let middle = site.read("stories/middle/index.html");
    assert!(!middle.contains("rel=\"prev\""));
    assert!(
        middle.contains(
            "rel=\"next\" href=\"/stories/ai-push/\"><span class=\"around-label\">Next</span>"
        ),
        "{middle}"
    );
}

/// Standalone pages have no collection: their weights order the list of
/// pages (the default theme's footer), and previous and next follow it.
#[test]
fn weights_order_the_standalone_pages() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/about.md",
        // `height` is a fact, not a slip for `weight`: no warning.
        "---\ntitle: About\nweight: 2\nheight: 180\n---\nAbout.\n",
    );
    site.write(
        "content/contact.md",
        "---\ntitle: Contact\nweight: 1\n---\nWrite.\n",
    );
    site.write("content/colophon.md", "---\ntitle: Colophon\n---\nMade.\n");
    // A date does not put a page first: the rest go by title.
    site.write(
        "content/zulu.md",
        "---\ntitle: Zulu\ndate: 2024-01-01\n---\nLast.\n",
    );
    site.write(
        "content/aardvark.md",
        "---\ntitle: Aardvark\n---\nFirst of the rest.\n",
    );
    let built = site.build();
    assert!(
        built.assembled.warnings.is_empty(),
        "{:?}",
        built.assembled.warnings
    );
    let home = site.read("index.html");
    let footer = &home[home.find("<footer").unwrap()..];
    assert!(before(footer, "/contact/", "/about/"), "{footer}");
    assert!(before(footer, "/about/", "/aardvark/"), "{footer}");
    assert!(before(footer, "/aardvark/", "/colophon/"), "{footer}");
    assert!(before(footer, "/colophon/", "/zulu/"), "{footer}");
    let about = site.read("about/index.html");
    assert!(about.contains("rel=\"prev\" href=\"/contact/\""));
    assert!(about.contains("rel=\"next\" href=\"/aardvark/\""));
}

/// `weight` must be a whole number, told at its value; a weight where the
/// collection is not sorted by weight is a warning; an unknown `sort_by`
/// is an error at its line in site.yaml.
#[test]
fn a_bad_weight_or_sort_by_is_told_at_its_line() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\nweight: heavy\n---\n## AI plans\n",
    );
    site.write(
        "content/companies/alibaba.md",
        "---\ntitle: Alibaba Group\nsummary: Group.\nweight: 1.5\n---\nBody.\n",
    );
    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\nweight: 9223372036854775808\n---\nOlder.\n",
    );
    site.write(
        "content/topics/artificial-intelligence.md",
        "---\ntitle: Artificial intelligence\nweight: -1e19\n---\nAbout AI.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert!(
        stderr.contains(
            "content/stories/older.md:4:9: error: `weight` 9223372036854775808 is out of range: weights go from -9223372036854775808 to 9223372036854775807"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/topics/artificial-intelligence.md:3:9: error: `weight` -1e19 is out of range"
        ),
        "{stderr}"
    );
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains(
            "content/companies/netease.md:4:9: error: `weight` must be a whole number, not the text \"heavy\""
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "content/companies/alibaba.md:4:9: error: `weight` must be a whole number, not 1.5"
        ),
        "{stderr}"
    );

    site.write(
        "content/stories/older.md",
        "---\ntitle: Older story\ndate: 2023-06-01\n---\nOlder.\n",
    );
    site.write(
        "content/topics/artificial-intelligence.md",
        "---\ntitle: Artificial intelligence\n---\nAbout AI.\n",
    );
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\nweight: 3\n---\n## AI plans\n",
    );
    site.write(
        "content/companies/alibaba.md",
        "---\ntitle: Alibaba Group\nsummary: Group.\n---\nBody.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("content/companies/netease.md:4:9: warning: `weight` orders nothing here: `companies` is sorted by date"), "{stderr}");
    assert!(
        stderr.contains("add `sort_by: weight` to `companies`"),
        "{stderr}"
    );

    // Zola's place for the setting is told where it goes in brief.
    site.write("content/companies/_index.md", "---\nsort_by: weight\n---\n");
    let (_, _, stderr) = site.run(&["check"]);
    assert!(
        stderr.contains(
            "content/companies/_index.md:2:1: warning: `sort_by` does nothing in an _index.md"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("`sort_by:` under `companies` in `collections:`"),
        "{stderr}"
    );

    site.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true}\n  companies:\n    sort_by: [weight]\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("site.yaml:6:5: error: collection `companies`, `sort_by`: invalid type: a list, expected one of `date`, `title`, `weight`"),
        "{stderr}"
    );
    site.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true}\n  companies:\n    sort_by: newest\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("site.yaml:6:"), "{stderr}");
    assert!(
        stderr.contains(
            "`sort_by`: unknown value `newest`, expected one of `date`, `title`, `weight`"
        ),
        "{stderr}"
    );
}
