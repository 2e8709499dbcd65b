//! `brief check` lints: orphans, stub references, unlinked mentions, images
//! without alt text, empty summaries, duplicate titles, malformed
//! external URLs, links within a page to no id and links to files the
//! build does not publish, each located. Warnings without `--strict` (exit 0), errors
//! with it (exit 1); a plain `build` does not run them; `check` writes
//! nothing. The messages are pinned in tests/fixtures/lint/all/expected.txt
//! (BRIEF_BLESS=1 rewrites it).

mod common;

use common::{repo, snapshot, Site};

#[test]
fn check_reports_every_lint_located_and_writes_nothing() {
    let site = Site::fixture("lint/all");
    let before = snapshot(site.root());
    let (status, stdout, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("nothing written"), "{stdout}");
    assert_eq!(snapshot(site.root()), before, "check wrote something");
    let expected = repo().join("tests/fixtures/lint/all/expected.txt");
    if std::env::var_os("BRIEF_BLESS").is_some() {
        std::fs::write(&expected, &stderr).unwrap();
    }
    assert_eq!(stderr, std::fs::read_to_string(&expected).unwrap());
    for line in stderr.lines().filter(|l| !l.starts_with(' ')) {
        let (place, _) = line.split_once(": warning: ").expect(line);
        // A file that is no note (an image) has no line to point at.
        let parts = if place.ends_with(".png") { 1 } else { 3 };
        assert_eq!(place.split(':').count(), parts, "not path:line:col: {line}");
    }
}

#[test]
fn strict_check_and_strict_build_fail_on_lints() {
    let site = Site::fixture("lint/all");
    let (status, _, stderr) = site.run(&["check", "--strict"]);
    assert_eq!(status, 1);
    assert!(stderr.contains("error: image without alt text"), "{stderr}");
    assert!(stderr.ends_with("34 errors found\n"), "{stderr}");
    let (status, _, stderr) = site.run(&["build", "--strict"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(!site.out().exists(), "a failed build wrote output");
}

/// `brief check` warns of a comment a note never closes (in the fixture's
/// about.md), and the page ends it with the note: read as a browser reads
/// it, the page keeps its footer and hides only the rest of the note.
#[test]
fn a_comment_left_open_ends_with_the_note() {
    let site = Site::fixture("lint/all");
    site.build();
    let page = scraper::Html::parse_document(&site.read("about/index.html"));
    let footer = scraper::Selector::parse("body footer").unwrap();
    assert_eq!(page.select(&footer).count(), 1);
    let text: String = page.root_element().text().collect();
    assert!(text.contains("More about us soon."), "{text}");
    assert!(!text.contains("Founded in a garage"), "{text}");
}

/// A `<!--` in a script is text to a browser, not a comment: nothing is
/// closed after the note, and nothing is warned of.
#[test]
fn a_comment_marker_in_a_script_is_left_alone() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nBefore.\n\n<script>\nvar marker = \"<!--\";\n</script>\n\nAfter.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("HTML comment"), "{stderr}");
    site.build();
    let html = site.read("about/index.html");
    assert!(!html.contains("-->"), "{html}");
    let page = scraper::Html::parse_document(&html);
    let text: String = page.root_element().text().collect();
    assert!(text.contains("After."), "{text}");
}

#[test]
fn plain_build_does_not_lint() {
    let site = Site::fixture("lint/all");
    let (status, _, stderr) = site.run(&["build"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn the_sample_site_passes_strict_check() {
    let site = Site::sample();
    let (status, _, stderr) = site.run(&["check", "--strict"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn no_colour_when_stderr_is_not_a_terminal() {
    let site = Site::fixture("lint/all");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--root"])
        .arg(site.root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning:"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colour codes in a pipe: {stderr}"
    );
}

#[test]
fn a_role_or_a_relation_counts_as_a_link_for_the_orphan_lint() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/harbor.md",
        "---\ntitle: Harbor Logistics\nsummary: Ports.\nrelations: [{rival: tidewater}]\n---\nShips.\n",
    );
    site.write(
        "content/companies/tidewater.md",
        "---\ntitle: Tidewater\nsummary: Barges.\n---\nMore ships.\n",
    );
    site.write(
        "content/people/ana.md",
        "---\ntitle: Ana Ruiz\nroles: [{company: quayside, title: CEO}]\n---\nRuns Quayside.\n",
    );
    site.write(
        "content/companies/quayside.md",
        "---\ntitle: Quayside\nsummary: Cranes.\n---\nCranes.\n",
    );
    site.write(
        "content/companies/lonely.md",
        "---\ntitle: Lonely Co\nsummary: Alone.\n---\nNobody links here.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    for tied in ["Harbor Logistics", "Tidewater", "Ana Ruiz", "Quayside"] {
        assert!(
            !stderr.contains(&format!("no other note links to \"{tied}\"")),
            "{tied}: {stderr}"
        );
    }
    assert!(
        stderr.contains(
            "content/companies/lonely.md:1:1: warning: no other note links to \"Lonely Co\""
        ),
        "{stderr}"
    );
}

#[test]
fn links_to_files_are_looked_for_under_the_base_path() {
    let site = Site::fixture("links/basic");
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/briefing/\ncollections:\n  stories: {dated: true}\n  companies: {required: [summary]}\n  topics: {stubs: true}\n",
    );
    site.write("static/img/a.png", "PNG");
    site.write(
        "content/stories/files.md",
        "---\ntitle: Files\ndate: 2024-01-01\nsummary: S.\n---\n\
         [kept](/briefing/img/a.png) [missed](/img/a.png) [up](../../../a.png) [home](/briefing)\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nUs. ![the logo](logo.png)\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    // The hint for a page without a folder keeps the base path.
    assert!(
        stderr.contains("put the file in static/ and link it from the root, /briefing/logo.png"),
        "{stderr}"
    );
    // A path from the host's root gets the form that works wherever the
    // site is served (not one with /briefing/, which `serve` breaks).
    assert!(
        stderr.contains("hint: write it from the page: ../../img/a.png"),
        "{stderr}"
    );
    let files: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("content/stories/files.md") && l.contains("broken link"))
        .collect();
    assert_eq!(
        files,
        [
            "content/stories/files.md:6:29: warning: broken link to \"/img/a.png\": it is outside the site's base path /briefing/",
            "content/stories/files.md:6:50: warning: broken link to \"../../../a.png\": it climbs above the site's root with `..`",
        ],
        "{stderr}"
    );
}

#[test]
fn the_mention_lint_reads_prose_as_auto_linking_does() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/att.md",
        "---\ntitle: AT&T\nsummary: A carrier.\n---\nA carrier.\n",
    );
    site.write(
        "content/stories/reads.md",
        "---\ntitle: Reads\ndate: 2024-01-01\nsummary: S.\n---\n\
         Deal with AT&amp;T.\n\nSee www.example.org&nbsp;NetEase, at https://e.org/Alibaba.\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    let found: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("content/stories/reads.md") && l.contains("mentions"))
        .collect();
    // The entity is read as `&`, the no-break space ends the address, and
    // the name inside an address is none.
    assert_eq!(
        found,
        [
            "content/stories/reads.md:6:11: warning: \"AT&T\" mentions companies/att without linking it",
            "content/stories/reads.md:8:26: warning: \"NetEase\" mentions companies/netease without linking it",
        ],
        "{stderr}"
    );
}

/// A stub made by a typo of a note's name: the warning offers the note.
#[test]
fn a_stub_named_like_a_note_suggests_the_note() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/typo.md",
        "---\ntitle: Typo\ndate: 2024-01-01\nsummary: S.\ntopics: [artificial-inteligence]\n---\n\
         On [[topics/artifical intelligence]] and [[companies/alibaba]].\n",
    );
    let (status, _, stderr) = site.run(&["check"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains(
            "\"artificial-inteligence\" refers to a stub: there is no note topics/artificial-inteligence yet\n  \
             = hint: did you mean \"artificial-intelligence\""
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"topics/artifical intelligence\" refers to a stub")
            && stderr.contains("\"topics/artificial-intelligence\"? (or write content/topics/artifical-intelligence.md)"),
        "{stderr}"
    );
}
