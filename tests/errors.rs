//! One fixture per error message under tests/fixtures/bad/<case>: the build
//! exits 1, prints exactly `expected.txt` on stderr, and leaves the previous
//! output as it was; `check` reports the same problems. Set BRIEF_BLESS=1 to
//! rewrite the expected files.

mod common;

use common::{repo, snapshot, Site};

fn case(name: &str) {
    let site = Site::fixture(&format!("bad/{name}"));
    // A previous build's output that must survive.
    site.write("public/index.html", "<p>old site</p>\n");
    site.write("public/.brief-manifest", "index.html\n");
    let before = snapshot(&site.out());
    let (status, stdout, stderr) = site.run(&["build"]);
    let root = site.root().display().to_string();
    let stderr = stderr.replace(&root, "<root>");
    assert_eq!(
        status, 1,
        "{name}: exit status; stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
    let expected_path = repo()
        .join("tests/fixtures/bad")
        .join(name)
        .join("expected.txt");
    if std::env::var_os("BRIEF_BLESS").is_some() {
        std::fs::write(&expected_path, &stderr).unwrap();
    } else {
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        assert_eq!(stderr, expected, "{name}: stderr differs from expected.txt");
    }
    assert_eq!(
        snapshot(&site.out()),
        before,
        "{name}: the old output changed"
    );
    let (status, _, check_err) = site.run(&["check"]);
    assert_eq!(status, 1, "{name}: check must fail too");
    // The same problems; only the last line differs, as check writes nothing.
    let built = stderr
        .strip_suffix("; nothing was written\n")
        .unwrap_or_else(|| panic!("{name}: build's last line:\n{stderr}"));
    assert_eq!(
        check_err.replace(&root, "<root>"),
        format!("{built} found\n"),
        "{name}: check reports the same"
    );
}

macro_rules! cases {
    ($($fn_name:ident => $dir:literal,)*) => {
        $(#[test] fn $fn_name() { case($dir); })*
    };
}

cases! {
    malformed_yaml => "malformed-yaml",
    unclosed_front_matter => "unclosed-front-matter",
    toml_front_matter_says_front_matter_is_yaml => "toml-front-matter",
    missing_title => "missing-title",
    missing_date_in_dated_collection => "missing-date",
    invalid_date => "invalid-date",
    missing_required_key => "missing-required",
    unknown_reference_with_did_you_mean => "unknown-reference",
    unknown_wikilink_with_did_you_mean => "unknown-wikilink",
    empty_wikilink => "empty-wikilink",
    ambiguous_reference => "ambiguous-reference",
    broken_md_link_to_a_file_elsewhere => "broken-md-link-same-name",
    duplicate_slug => "duplicate-slug",
    duplicate_slug_told_at_its_slug_line => "duplicate-slug-set",
    invalid_utf8 => "invalid-utf8",
    a_note_that_cannot_be_read_is_told_once_not_at_each_link => "unreadable-note",
    a_note_whose_names_read_keeps_other_links_checked => "unreadable-body",
    slug_with_traversal => "slug-traversal",
    bad_title_and_bad_slug_are_told_together => "title-and-slug",
    a_broken_note_named_by_title_alias_or_slug_is_told_once => "broken-note-named",
    a_note_with_invalid_yaml_is_told_once_not_at_each_link => "broken-yaml-named",
    a_quote_left_open_is_named_where_it_began => "unclosed-quote-runs-on",
    a_broken_note_has_its_own_links_and_references_checked => "broken-note-links",
    relations_are_checked_beside_unknown_references => "reference-and-role",
    malformed_site_yaml => "site-yaml-malformed",
    unknown_key_in_site_yaml => "site-yaml-unknown-key",
    bad_base_url => "site-yaml-bad-base-url",
    bad_language_tag => "site-yaml-bad-language",
    template_syntax_error => "template-error",
    template_unknown_filter_past_line_nine => "template-unknown-filter",
    syntax_errors_in_two_templates_are_told_together => "template-errors-in-two-files",
    extending_a_missing_template_is_told_at_the_tag => "template-extends-missing",
    an_intro_with_broken_yaml_has_its_links_checked => "broken-intro-links",
    untitled_note_and_slashed_slug_raise_no_cascade => "untitled-note-no-cascade",
    template_undefined_variable => "template-undefined",
    template_reading_a_null_date => "template-null-date",
    template_safe_of_undefined => "template-safe-undefined",
    template_duplicate_component => "template-duplicate-component",
    template_tera1_habits => "template-tera1-habits",
    template_extends_itself => "template-extends-itself",
    template_include_cycle => "template-include-cycle",
    components_calling_each_other_without_end_are_told_at_a_call => "template-component-recursion",
    components_too_deep_through_a_guarded_call_name_every_cycle => "template-component-guarded",
    template_override_drops_blocks => "template-override-drops-blocks",
    file_inside_the_search_index => "search-index-collision",
    several_errors_reported_together => "several-errors",
    missing_site_yaml => "missing-site-yaml",
    reserved_page_names_collide_with_generated_pages => "reserved-page-names",
    reserved_collection_names_collide_with_generated_pages => "reserved-collection-names",
    note_collides_with_a_pagination_page => "pagination-collision",
    bundle_and_static_files_collide_with_generated_files => "output-file-collision",
    a_file_where_the_site_needs_a_folder => "output-folder-collision",
    collection_folder_name_must_be_url_safe => "collection-folder-name",
    collection_name_in_site_yaml_must_be_url_safe => "site-yaml-collection-name",
    an_empty_required_key_in_site_yaml => "site-yaml-required-empty",
    a_link_to_a_draft_says_it_is_a_draft => "link-to-a-draft",
    a_key_written_twice_is_told_at_its_second_line => "duplicate-key",
    a_stub_reference_without_letters_is_an_error => "stub-reference-without-letters",
    a_stub_whose_name_is_too_long_for_a_file_is_an_error => "stub-name-too-long",
    slugs_that_transliterate_alike_collide => "slug-accents-collide",
    link_to_a_missing_heading => "broken-heading-link",
    slug_too_long_for_a_file_name => "slug-too-long",
    yaml_nested_too_deep => "yaml-nesting-too-deep",
    at_most_a_hundred_problems_per_file => "too-many-problems",
}

/// A first build (no output folder yet) writes its files while it renders:
/// a file and a folder of the same name are still told by name, as in a
/// build over an earlier output, and no output folder is left.
#[test]
fn a_first_build_tells_a_file_where_the_site_needs_a_folder_by_name() {
    let site = Site::fixture("bad/output-folder-collision");
    let (status, _, stderr) = site.run(&["build"]);
    let stderr = stderr.replace(&site.root().display().to_string(), "<root>");
    assert_eq!(status, 1, "{stderr}");
    let expected = std::fs::read_to_string(
        repo().join("tests/fixtures/bad/output-folder-collision/expected.txt"),
    )
    .unwrap();
    assert_eq!(stderr, expected);
    assert!(!site.out().exists(), "no output folder is left");
}
