//! Limits: huge or pathological input finishes in bounded time with a clear
//! outcome. A 20 MB note, 100,000 front-matter keys, lists and quotes nested
//! 10,000 deep, YAML nested 10,000 deep, 100,000 front-matter keys that are
//! not text (100 errors shown), 100,000 references in one note
//! (good and bad), reference cycles, a symlink loop and a symlink out of
//! the site inside content/, a symlinked template, FIFOs (never opened),
//! file names with a backslash, a paragraph of 100,000 text pieces with
//! auto-linking, and a note that vanishes while builds run.
//! Measured figures (release and debug) are in docs/testing.md.

mod common;

use std::time::{Duration, Instant};

use brief::pipeline::{self, BuildOptions};
use common::Site;

/// Every limit must finish well within this, even in a debug build on a
/// loaded two-core CI machine.
const BOUND: Duration = Duration::from_secs(120);

fn site() -> Site {
    let site = Site::fixture("links/basic");
    std::fs::write(
        site.root().join("site.yaml"),
        "title: Limits\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true}\n  topics: {stubs: true}\n",
    )
    .unwrap();
    site
}

/// Builds, checking the time bound; returns the diagnostics on failure.
fn build(site: &Site) -> Result<pipeline::Built, Vec<String>> {
    let start = Instant::now();
    let result = pipeline::build(&BuildOptions::new(site.root()));
    let took = start.elapsed();
    assert!(took < BOUND, "took {took:?}");
    result.map_err(|d| d.sorted().iter().map(|d| d.to_string()).collect())
}

#[test]
fn a_twenty_megabyte_note_builds() {
    let site = site();
    let para = "Alibaba and NetEase compete in cloud computing and artificial intelligence, \
                and [[netease]] says so. "
        .repeat(8)
        + "\n\n";
    let body = para.repeat(20_000_000 / para.len());
    site.write(
        "content/companies/huge.md",
        &format!("---\ntitle: Huge\n---\n{body}"),
    );
    let built = build(&site).unwrap();
    assert!(built.commit.bytes > 20_000_000);
    assert!(site.exists("companies/huge/index.html"));
}

#[test]
fn a_hundred_thousand_front_matter_keys_build() {
    let site = site();
    let keys: String = (0..100_000)
        .map(|i| format!("key{i}: value {i}\n"))
        .collect();
    site.write(
        "content/companies/keys.md",
        &format!("---\ntitle: Keys\n{keys}---\nBody.\n"),
    );
    build(&site).unwrap();
    assert!(site
        .read("companies/keys/index.html")
        .contains("value 99999"));
}

#[test]
fn a_hundred_thousand_bad_front_matter_keys_show_a_hundred_errors() {
    let site = site();
    let keys: String = (0..100_000).map(|i| format!("[k{i}]: v\n")).collect();
    site.write(
        "content/companies/keys.md",
        &format!("---\ntitle: Keys\n{keys}---\nBody.\n"),
    );
    let errors = build(&site).unwrap_err();
    let here: Vec<&String> = errors.iter().filter(|e| e.contains("keys.md")).collect();
    assert_eq!(here.len(), 100, "{:?}", &here[..3]);
    assert!(here[99].contains("99900 more problems like this in this file not shown"));
}

#[test]
fn lists_and_quotes_nested_ten_thousand_deep_build() {
    let site = site();
    site.write(
        "content/companies/list.md",
        &format!("---\ntitle: List\n---\n{}x\n", "- ".repeat(10_000)),
    );
    site.write(
        "content/companies/quote.md",
        &format!("---\ntitle: Quote\n---\n{} x\n", ">".repeat(10_000)),
    );
    site.write(
        "content/companies/mixed.md",
        &format!("---\ntitle: Mixed\n---\n{}x\n", "> - 1. ".repeat(3_000)),
    );
    build(&site).unwrap();
}

#[test]
fn yaml_nested_ten_thousand_deep_is_a_located_error_and_a_hundred_deep_builds() {
    let site = site();
    site.write(
        "content/companies/deep.md",
        &format!(
            "---\ntitle: Deep\nx: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let errors = build(&site).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/companies/deep.md:3:")
            && errors[0].contains("recursion limit exceeded"),
        "{errors:?}"
    );
    // As deep as YAML allows, as free data shown in the facts box.
    site.write(
        "content/companies/deep.md",
        &format!(
            "---\ntitle: Deep\nx: {}1{}\ny: {}1{}\n---\n",
            "[".repeat(100),
            "]".repeat(100),
            "{a: ".repeat(100),
            "}".repeat(100)
        ),
    );
    build(&site).unwrap();
}

#[test]
fn a_hundred_thousand_references_in_one_note() {
    let site = site();
    for c in 0..50 {
        site.write(
            &format!("content/companies/c{c}.md"),
            &format!("---\ntitle: Company {c}\n---\nx\n"),
        );
    }
    let refs: Vec<String> = (0..100_000).map(|i| format!("c{}", i % 50)).collect();
    let links: Vec<String> = (0..100_000).map(|i| format!("[[c{}]]", i % 50)).collect();
    site.write(
        "content/stories/many.md",
        &format!(
            "---\ntitle: Many\ndate: 2024-01-01\ncompanies: [{}]\n---\n{}\n",
            refs.join(", "),
            links.join(" ")
        ),
    );
    build(&site).unwrap();
    assert!(site
        .read("companies/c7/index.html")
        .contains("/stories/many/"));
    // A hundred thousand unknown ones: the first 100 shown, the rest counted.
    let bad: Vec<String> = (0..100_000).map(|i| format!("[[nobody{i}]]")).collect();
    site.write(
        "content/stories/bad.md",
        &format!(
            "---\ntitle: Bad\ndate: 2024-01-01\n---\n{}\n",
            bad.join(" ")
        ),
    );
    let errors = build(&site).unwrap_err();
    assert_eq!(errors.len(), 100);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("99900 more problems like this in this file not shown")),
        "{:?}",
        &errors[99]
    );
}

#[test]
fn reference_cycles_build() {
    let site = site();
    site.write(
        "content/companies/a.md",
        "---\ntitle: A\ncompanies: [b, a]\n---\n[[b]] [[a]]\n",
    );
    site.write(
        "content/companies/b.md",
        "---\ntitle: B\ncompanies: [a]\n---\n[[a]] [[b]]\n",
    );
    build(&site).unwrap();
    assert!(site
        .read("companies/a/index.html")
        .contains("/companies/b/"));
    assert!(site
        .read("companies/b/index.html")
        .contains("/companies/a/"));
}

/// The build's warnings as printed.
#[cfg(unix)]
fn warnings(built: &pipeline::Built) -> Vec<String> {
    built
        .assembled
        .warnings
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// Asserts that the build warned about each of `paths` as a symbolic link
/// not followed.
#[cfg(unix)]
fn says_links_not_followed(built: &pipeline::Built, paths: &[&str]) {
    let warnings = warnings(built);
    for name in paths {
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&format!("{name}: warning: symbolic link not followed"))),
            "{warnings:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_in_content_are_not_followed_and_say_so() {
    let site = site();
    let content = site.root().join("content");
    // A loop, and a link out of the site (to a real note, so following it
    // would visibly publish it).
    std::os::unix::fs::symlink("..", content.join("companies/loop")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: Secret\n---\nPrivate.\n").unwrap();
    std::os::unix::fs::symlink(&secret, content.join("companies/secret.md")).unwrap();
    let built = build(&site).unwrap();
    says_links_not_followed(
        &built,
        &["content/companies/loop", "content/companies/secret.md"],
    );
    assert!(!site.exists("companies/secret/index.html"));
    for (path, bytes) in common::snapshot(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Private."),
            "{path} publishes the linked file"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_in_static_are_not_followed_and_say_so() {
    let site = site();
    let static_dir = site.root().join("static");
    std::fs::create_dir_all(static_dir.join("img")).unwrap();
    std::fs::write(static_dir.join("img/real.png"), "png").unwrap();
    std::os::unix::fs::symlink("..", static_dir.join("img/loop")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "Private.").unwrap();
    std::os::unix::fs::symlink(&secret, static_dir.join("secret.txt")).unwrap();
    let built = build(&site).unwrap();
    says_links_not_followed(&built, &["static/img/loop", "static/secret.txt"]);
    assert!(site.exists("img/real.png"));
    assert!(!site.exists("secret.txt"));
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_in_content_bundles_and_static_are_skipped_not_opened() {
    // Opened, a FIFO waits for a writer for ever: the build would hang.
    let site = site();
    let root = site.root();
    mkfifo(&root.join("content/companies/pipe.md"));
    std::fs::create_dir_all(root.join("content/companies/bundled")).unwrap();
    std::fs::write(
        root.join("content/companies/bundled/index.md"),
        "---\ntitle: Bundled\n---\nText.\n",
    )
    .unwrap();
    mkfifo(&root.join("content/companies/bundled/pipe.png"));
    std::fs::create_dir_all(root.join("static")).unwrap();
    mkfifo(&root.join("static/pipe.css"));
    let warnings = warnings(&build(&site).unwrap());
    for name in [
        "content/companies/pipe.md",
        "content/companies/bundled/pipe.png",
        "static/pipe.css",
    ] {
        assert!(
            warnings.iter().any(|w| w.starts_with(&format!(
                "{name}: warning: not a regular file (a FIFO, socket or device): skipped"
            ))),
            "{name}: {warnings:?}"
        );
    }
    assert!(site.exists("companies/bundled/index.html"));
    assert!(!site.exists("companies/bundled/pipe.png"));
    assert!(!site.exists("companies/pipe/index.html"));
    assert!(!site.exists("pipe.css"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_or_fifo_template_or_templates_folder_is_an_error_not_a_silent_fallback() {
    let site = site();
    let templates = site.root().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let page = outside.path().join("404.html");
    std::fs::write(&page, "<p>Linked</p>").unwrap();
    std::os::unix::fs::symlink(&page, templates.join("404.html")).unwrap();
    let errors = build(&site).unwrap_err();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "templates/404.html: error: symbolic link not followed: templates must be real files"
        )),
        "{errors:?}"
    );
    // A FIFO named like a template, and a linked templates folder.
    std::fs::remove_file(templates.join("404.html")).unwrap();
    mkfifo(&templates.join("404.html"));
    let errors = build(&site).unwrap_err();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "templates/404.html: error: not a regular file (a FIFO, socket or device)"
        )),
        "{errors:?}"
    );
    std::fs::remove_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink(outside.path(), &templates).unwrap();
    let errors = build(&site).unwrap_err();
    assert!(
        errors.iter().any(|e| e.starts_with(
            "templates: error: symbolic link not followed: templates must be real files"
        )),
        "{errors:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_backslash_in_a_bundle_or_static_file_name_is_refused_and_named_as_written() {
    // On Unix `a\b.png` is one file: copied, it became `a/b.png`.
    let site = site();
    let root = site.root();
    std::fs::create_dir_all(root.join("content/companies/bundled")).unwrap();
    std::fs::write(
        root.join("content/companies/bundled/index.md"),
        "---\ntitle: Bundled\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(root.join("content/companies/bundled/a\\b.png"), "png").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/a\\b.css"), "p {}").unwrap();
    let errors = build(&site).unwrap_err();
    for (file, output) in [
        (
            "content/companies/bundled/a\\b.png",
            "companies/bundled/a\\\\b.png",
        ),
        ("static/a\\b.css", "a\\\\b.css"),
    ] {
        let expected = format!("{file}: error: refusing to write \"{output}\"");
        assert!(
            errors.iter().any(|e| e.starts_with(&expected)),
            "{expected}: {errors:?}"
        );
    }
}

#[test]
fn a_paragraph_of_a_hundred_thousand_text_pieces_auto_links_in_bounded_time() {
    // Every `[` and `]` that opens no link is a text event of its own:
    // auto-linking joined them pair by pair, which took quadratic time.
    let site = site();
    let yaml = site.root().join("site.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{config}autolink: true\n")).unwrap();
    let mut body = "a [b] c ".repeat(100_000);
    body.push_str("NetEase grew.\n");
    std::fs::write(
        site.root().join("content/stories/long.md"),
        format!("---\ntitle: Long\ndate: 2024-01-01\n---\n{body}"),
    )
    .unwrap();
    build(&site).unwrap();
    let page = site.read("stories/long/index.html");
    assert!(page.contains("a [b] c a [b] c"), "the text is kept");
    assert!(
        page.contains("companies/netease/\">NetEase</a> grew."),
        "the mention after the pieces is linked"
    );
    assert!(
        page.contains("/companies/netease/\">NetEase</a> grew."),
        "the mention after the pieces is linked"
    );
}

#[test]
fn a_note_that_vanishes_during_builds_gives_a_clear_outcome() {
    let site = site();
    let path = site.root().join("content/companies/flicker.md");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flicker = {
        let stop = stop.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::write(&path, "---\ntitle: Flicker\n---\nHere.\n");
                std::thread::sleep(Duration::from_micros(300));
                let _ = std::fs::remove_file(&path);
                std::thread::sleep(Duration::from_micros(300));
            }
        })
    };
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..15 {
        match build(&site) {
            Ok(_) => ok += 1,
            Err(errors) => {
                failed += 1;
                for e in &errors {
                    // Read as it vanished, or found half-written by the
                    // flickering thread: either way, the file is named.
                    assert!(
                        e.starts_with("content/companies/flicker.md"),
                        "unclear error: {e}"
                    );
                }
            }
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    flicker.join().unwrap();
    eprintln!("{ok} builds succeeded, {failed} failed cleanly");
    // Once the file is gone for good, the build is clean again.
    let _ = std::fs::remove_file(&path);
    build(&site).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_inside_the_output_is_not_written_through() {
    let site = site();
    build(&site).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let companies = site.out().join("companies");
    std::fs::remove_dir_all(&companies).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &companies).unwrap();
    let errors = build(&site).unwrap_err();
    assert!(
        errors[0].starts_with("public/companies: error: refusing to write through a symbolic link"),
        "{errors:?}"
    );
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}
