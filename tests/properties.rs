//! Property tests over the whole pipeline: arbitrary bytes as a note,
//! arbitrary YAML values in every front-matter key, arbitrary Markdown and
//! arbitrary file names and slugs. Whatever the input, brief never panics
//! and either fails with located errors, or succeeds with every file inside
//! the output folder, every internal link resolving, no id given twice on
//! a page (footnotes, their citations, headings), feeds and sitemap that
//! parse as XML, search files that parse as JSON, no front-matter text
//! turned into markup, and output identical to a second build's.
//!
//! CI runs 32 cases per property; set `PROPTEST_CASES=1000` for a longer
//! search (see docs/errors.md).

mod common;

use std::path::Path;

use brief::diag::Diagnostic;
use brief::pipeline::{self, BuildOptions};
use common::{assert_links_resolve, assert_xml, repo, site_snapshot, snapshot};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const SITE_YAML: &str = "title: Props <b>&amp;</b> \"q\"\nbase_url: https://example.org/pre/\ncollections:\n  stories: {dated: true}\n  companies: {}\n  topics: {stubs: true}\n";

/// A site in a temporary folder: the default theme, `site.yaml`, two good
/// notes, and `files` (relative path, bytes).
fn site(files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_tree(&repo().join("themes/default"), &root.join("themes/default"));
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    let good = [
        (
            "content/companies/alibaba.md",
            "---\ntitle: Alibaba\naliases: [阿里巴巴]\n---\nA company.\n",
        ),
        (
            "content/stories/known.md",
            "---\ntitle: Known\ndate: 2024-01-05\ncompanies: [alibaba]\n---\nSee [[alibaba]].\n",
        ),
    ];
    for (path, text) in good {
        write(root, path, text.as_bytes());
    }
    for (path, bytes) in files {
        write(root, path, bytes);
    }
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Names a site file (or folder) relative to the root, with a line for a
/// file.
fn located(root: &Path, d: &Diagnostic) -> bool {
    let path = d.path.to_string_lossy();
    let line_or_folder = d.location.line >= 1 || root.join(&d.path).is_dir();
    // A file may be named `S2..md`; only a `..` component leaves the site.
    let inside = !d
        .path
        .components()
        .any(|c| c == std::path::Component::ParentDir);
    !path.is_empty() && d.path.is_relative() && inside && line_or_folder
}

/// Builds twice and checks every property; `front_matter_only` says the
/// arbitrary text came only from front matter (so no markup may appear).
fn check(dir: &tempfile::TempDir, front_matter_only: bool) {
    let root = dir.path();
    let sources = snapshot(root);
    let build = |out: &str| {
        let mut opts = BuildOptions::new(root);
        opts.output = Some(root.join(out));
        pipeline::build(&opts)
    };
    let first = build("out1");
    let second = build("out2");
    match (first, second) {
        (Err(a), Err(b)) => {
            let a = a.sorted();
            assert!(
                a.iter().any(Diagnostic::is_error),
                "failed without an error"
            );
            assert!(
                a.iter().any(|d| located(root, d)),
                "no located error: {:?}",
                a.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            );
            assert_eq!(a, b.sorted(), "two builds report differently");
            assert!(!root.join("out1").exists(), "a failed build wrote output");
        }
        (Ok(_), Ok(_)) => {
            let out = root.join("out1");
            let files = site_snapshot(&out);
            assert!(files == site_snapshot(&root.join("out2")), "builds differ");
            let canonical = out.canonicalize().unwrap();
            for (path, bytes) in &files {
                let full = out.join(path).canonicalize().unwrap();
                assert!(full.starts_with(&canonical), "{path} escapes the output");
                let text = String::from_utf8_lossy(bytes);
                if path.ends_with(".xml") {
                    assert_xml(&text);
                }
                if path.ends_with(".json") {
                    serde_json::from_slice::<serde_json::Value>(bytes)
                        .unwrap_or_else(|e| panic!("{path}: invalid JSON: {e}"));
                }
                if front_matter_only && path.ends_with(".html") {
                    assert_no_injected_markup(path, &text);
                }
                if path.ends_with(".html") {
                    let mut ids = common::ids(&text);
                    let count = ids.len();
                    ids.sort();
                    ids.dedup();
                    assert_eq!(
                        ids.len(),
                        count,
                        "{path}: an id given twice: {:?}",
                        common::ids(&text)
                    );
                }
            }
            assert_links_resolve(&out, "/pre/");
            // Nothing was written beside the sources but the two outputs.
            let after: Vec<_> = snapshot(root)
                .into_iter()
                .filter(|(p, _)| !p.starts_with("out1/") && !p.starts_with("out2/"))
                .collect();
            assert_eq!(after, sources, "the build wrote outside its output");
        }
        (a, b) => panic!(
            "one build failed and the other did not: {:?} / {:?}",
            a.err(),
            b.err()
        ),
    }
}

/// No element or attribute came from front-matter text: the payloads below
/// must appear as text only.
fn assert_no_injected_markup(path: &str, html: &str) {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("script, img, iframe, [onerror], x-injected").unwrap();
    for e in doc.select(&sel) {
        let v = e.value();
        assert!(
            v.name() == "script" && v.attr("src").is_some() || v.name() == "img",
            "{path}: injected <{}>",
            v.name()
        );
        assert!(v.attr("onerror").is_none(), "{path}: injected onerror");
    }
    let title = scraper::Selector::parse("title").unwrap();
    assert_eq!(doc.select(&title).count(), 1, "{path}: <title> broken");
}

/// Text that tries every escape: markup, quotes, CDATA ends, control and
/// XML-forbidden characters, every script, very long runs.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("\"><x-injected onerror=alert(1)>".to_string()),
        Just("]]> <![CDATA[ x ]]>".to_string()),
        Just("a\u{0}b\u{1}c\u{8}d\u{b}e\u{c}f\u{1b}g\u{7f}h\u{fffe}i\u{ffff}".to_string()),
        Just("'single' & \"double\" & &amp; &lt;".to_string()),
        Just("阿里巴巴 Ελληνικά русский العربية עברית हिन्दी 한국어 🙂".to_string()),
        Just("x".repeat(5000)),
        Just(String::new()),
        Just("   ".to_string()),
        "\\PC{0,40}",
        any::<String>(),
    ]
}

fn yaml_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<u64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Value::Number(f.into())),
        Just(Value::String("2024-01-05".into())),
        Just(Value::String("https://example.org/<x>\"".into())),
        Just(Value::String("alibaba".into())),
        nasty_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(|kv| {
                Value::Mapping(
                    kv.into_iter()
                        .map(|(k, v)| (Value::String(k), v))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

const KEYS: [&str; 14] = [
    "title",
    "slug",
    "aliases",
    "date",
    "updated",
    "draft",
    "summary",
    "autolink",
    "companies",
    "topics",
    "source",
    "free",
    "redirect_from",
    "template",
];

fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,12}",
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("|".to_string()),
        Just("#".to_string()),
        Just("[[alibaba]]".to_string()),
        Just("[[Alibaba|the group]]".to_string()),
        Just("[[阿里巴巴#History]]".to_string()),
        Just("[[topics/new topic]]".to_string()),
        Just("[[nobody]]".to_string()),
        Just("[[a|b|c]]".to_string()),
        Just("[[#]]".to_string()),
        Just("[x](../companies/alibaba.md)".to_string()),
        Just("[x](../companies/alibaba.md#top)".to_string()),
        Just("[x](../../../etc/passwd.md)".to_string()),
        Just("[x](../../site.md)".to_string()),
        Just("[x](./../stories/known.md)".to_string()),
        Just("[x](https://example.org/)".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\n# Heading\n".to_string()),
        Just("\n> ".to_string()),
        Just("\n- ".to_string()),
        Just("\n1. ".to_string()),
        Just("`".to_string()),
        Just("\n```\n".to_string()),
        Just("*".to_string()),
        Just("![](https://example.org/img.png)".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("[^a]".to_string()),
        Just("[^b]".to_string()),
        Just("\n\n[^a]: A cites [^b].\n".to_string()),
        Just("\n\n[^b]: B\n\n    more of B\n".to_string()),
        Just("[^x#y%]\n\n[^x#y%]: odd label\n".to_string()),
        Just("<a href=\"https://example.org/\">".to_string()),
        Just("</a>".to_string()),
        Just("\n<a class=\"target\">\n".to_string()),
        Just("\n<a href=\"https://example.org/\">\n\n".to_string()),
        Just("\n<!-- more -->\n".to_string()),
        Just("\n```rust\nfn main() { let s = \"</code>\"; }\n```\n".to_string()),
        Just("\n| a | b |\n|---|---|\n| [[alibaba]] | c |\n".to_string()),
        Just("<div>".to_string()),
        Just("&amp; &#0; &#xD800;".to_string()),
        nasty_text(),
    ]
}

fn file_stem() -> impl Strategy<Value = String> {
    let any_stem = prop_oneof![
        "[a-zA-Z0-9 ._-]{1,12}",
        Just("阿里巴巴".to_string()),
        Just("Café Noir".to_string()),
        Just("ÉTÉ".to_string()),
        Just("été".to_string()),
        Just("index".to_string()),
        Just("search".to_string()),
        Just("timeline".to_string()),
        Just("feed".to_string()),
        Just("page".to_string()),
        Just("_index".to_string()),
        Just("..".to_string()),
        Just("a%20b#c?d".to_string()),
        Just("🙂".to_string()),
        "\\PC{1,8}",
    ];
    // A file name cannot hold `/` or NUL.
    any_stem.prop_map(|s| s.replace(['/', '\0'], "_"))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_as_a_note(bytes in prop::collection::vec(any::<u8>(), 0..600),
                                 fenced in any::<bool>()) {
        let mut note = Vec::new();
        if fenced {
            note.extend_from_slice(b"---\ntitle: T\n");
        }
        note.extend(bytes);
        let dir = site(&[("content/stories/x.md".into(), note)]);
        check(&dir, false);
    }

    #[test]
    fn arbitrary_yaml_in_every_front_matter_key(
        values in prop::collection::vec(yaml_value(), KEYS.len()),
        present in prop::collection::vec(any::<bool>(), KEYS.len()),
    ) {
        let mut map = Mapping::new();
        for ((key, value), keep) in KEYS.iter().zip(values).zip(present) {
            if keep {
                map.insert(Value::String(key.to_string()), value);
            }
        }
        let yaml = serde_yaml::to_string(&map).unwrap();
        let text = format!("---\n{yaml}---\nBody.\n");
        let dir = site(&[("content/stories/x.md".into(), text.into_bytes())]);
        check(&dir, true);
    }

    #[test]
    fn arbitrary_markdown(pieces in prop::collection::vec(markdown_piece(), 0..40)) {
        let text = format!("---\ntitle: M\ndate: 2024-02-01\n---\n{}", pieces.concat());
        let dir = site(&[("content/stories/m.md".into(), text.into_bytes())]);
        check(&dir, false);
    }

    #[test]
    fn arbitrary_file_names_and_slugs(
        notes in prop::collection::vec(
            (prop::sample::select(vec!["stories", "companies", "topics", ""]),
             file_stem(),
             prop::option::of(nasty_text()),
             any::<bool>()),
            1..5),
    ) {
        let files: Vec<(String, Vec<u8>)> = notes
            .into_iter()
            .map(|(collection, stem, slug, bundle)| {
                let bundle = bundle && stem != "." && stem != "..";
                let dir = if collection.is_empty() { "content".to_string() } else { format!("content/{collection}") };
                let path = if bundle { format!("{dir}/{stem}/index.md") } else { format!("{dir}/{stem}.md") };
                let slug_line = slug
                    .map(|s| format!("slug: {}\n", serde_json::to_string(&s).unwrap()))
                    .unwrap_or_default();
                let text = format!("---\ntitle: {}\ndate: 2024-03-01\n{slug_line}---\nLinks [[alibaba]].\n",
                                   serde_json::to_string(&stem).unwrap());
                (path, text.into_bytes())
            })
            .collect();
        let dir = site(&files);
        check(&dir, false);
    }
}
