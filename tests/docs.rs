//! The documentation cannot drift from the program: every `site.yaml` and
//! every note shown in `docs/*.md` is built here.
//!
//! A fenced block is checked when it is
//! - ```` ```yaml ```` (or `yml`) with a top-level `base_url:` line: a `site.yaml`;
//! - ```` ```markdown ```` (or `md`) whose first line is `---`: a note.
//!
//! An HTML comment on the line before the fence says how to test it:
//!
//! ```text
//! <!-- test: PATH [site=NAME] [starter] [expect-error="TEXT"] -->
//! ```
//!
//! - `PATH` is where the block goes in the test site (`site.yaml`,
//!   `content/companies/harbor.md`). Default: `site.yaml` for a site.yaml
//!   block, `content/example.md` (a standalone page) for a note.
//! - `site=NAME` puts every block of the same file with that name into one
//!   site, so notes can refer to each other. Without it a block is alone.
//! - `starter` starts the site from what `brief init` writes (site.yaml and
//!   the example notes) instead of a bare site.yaml.
//! - `expect-error="TEXT"` says the build must fail with a diagnostic that
//!   contains TEXT (for examples of mistakes, in errors.md).
//! - `defaults` says a site.yaml block spells out every default: it must
//!   mean the same as a site.yaml with only its `title` and `base_url`.
//!
//! A site without a site.yaml block gets a minimal one. Each site gets the
//! repository's `themes/default`, copied under the name its site.yaml asks
//! for. A site.yaml block alone also gets one standalone page.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use brief::pipeline::{self, BuildOptions};

/// One checked block.
#[derive(Debug, Clone)]
struct Block {
    /// `docs/x.md:LINE`, for messages.
    origin: String,
    text: String,
    path: String,
    site: Option<String>,
    starter: bool,
    expect_error: Option<String>,
    /// The block claims to show every default: it must read the same as a
    /// site.yaml with only its `title` and `base_url`.
    defaults: bool,
}

/// The words of a `<!-- test: ... -->` comment; quotes group words, and
/// `\"` inside quotes is a quote.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => word.extend(chars.next()),
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn is_site_yaml(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("base_url:"))
}

/// Every checked block of one document.
fn blocks(name: &str, doc: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].trim_start().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let fence_line = i + 1;
        let tag = info.trim().to_lowercase();
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            body.push(lines[i]);
            i += 1;
        }
        i += 1;
        let text = body.join("\n") + "\n";
        let kind = match tag.as_str() {
            "yaml" | "yml" if is_site_yaml(&text) => "site.yaml",
            "markdown" | "md" if text.starts_with("---") => "content/example.md",
            _ => continue,
        };
        let origin = format!("docs/{name}:{fence_line}");
        let comment = lines[..fence_line - 1]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| l.trim().strip_prefix("<!-- test:"))
            .and_then(|l| l.strip_suffix("-->"));
        let mut block = Block {
            origin: origin.clone(),
            text,
            path: kind.to_string(),
            site: None,
            starter: false,
            expect_error: None,
            defaults: false,
        };
        for word in comment.map(words).unwrap_or_default() {
            if let Some(site) = word.strip_prefix("site=") {
                block.site = Some(site.to_string());
            } else if let Some(e) = word.strip_prefix("expect-error=") {
                block.expect_error = Some(e.to_string());
            } else if word == "starter" {
                block.starter = true;
            } else if word == "defaults" {
                block.defaults = true;
            } else if word == "site.yaml" || word.starts_with("content/") {
                block.path = word;
            } else {
                return Err(format!("{origin}: unknown word `{word}` in <!-- test: -->"));
            }
        }
        out.push(block);
    }
    Ok(out)
}

/// Blocks grouped into the sites they make, in document order.
fn sites(blocks: Vec<Block>) -> Vec<Vec<Block>> {
    let mut named: BTreeMap<String, usize> = BTreeMap::new();
    let mut out: Vec<Vec<Block>> = Vec::new();
    for block in blocks {
        match block.site.clone() {
            Some(name) => match named.get(&name) {
                Some(&i) => out[i].push(block),
                None => {
                    named.insert(name, out.len());
                    out.push(vec![block]);
                }
            },
            None => out.push(vec![block]),
        }
    }
    out
}

const MINIMAL_SITE: &str = "title: Docs example\nbase_url: https://example.org/\n";

/// Writes one site in `root`, ready to build.
fn write_site(root: &Path, blocks: &[Block]) {
    if blocks.iter().any(|b| b.starter) {
        brief::scaffold::init(root, brief::scaffold::Existing::Refuse).unwrap();
    } else {
        std::fs::write(root.join("site.yaml"), MINIMAL_SITE).unwrap();
    }
    for b in blocks {
        let path = root.join(&b.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &b.text).unwrap();
    }
    if blocks.iter().all(|b| b.path == "site.yaml") && !root.join("content").exists() {
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(
            root.join("content/about.md"),
            "---\ntitle: About\n---\nA page.\n",
        )
        .unwrap();
    }
    let theme = std::fs::read_to_string(root.join("site.yaml"))
        .ok()
        .and_then(|t| brief::config::parse(&t).ok())
        .map_or_else(|| "default".to_string(), |c| c.theme);
    let target = root.join("themes").join(&theme);
    if !target.exists() {
        common::copy_tree(&common::repo().join("themes/default"), &target);
    }
}

/// A `defaults` block must mean the same as its title and base_url alone.
fn check_defaults(block: &Block) -> Result<(), String> {
    use brief::config::parse;
    let shown = parse(&block.text).map_err(|d| format!("{}: {d:?}", block.origin))?;
    let bare = format!(
        "title: {:?}\nbase_url: {:?}\n",
        shown.title,
        shown.base_url.full()
    );
    let bare = parse(&bare).map_err(|d| format!("{}: {d:?}", block.origin))?;
    if shown == bare {
        Ok(())
    } else {
        Err(format!(
            "{}: these are not the defaults; the program has:\n{bare:#?}",
            block.origin
        ))
    }
}

/// Builds one site; `Err` says what went wrong.
fn check_site(blocks: &[Block]) -> Result<(), String> {
    for b in blocks.iter().filter(|b| b.defaults) {
        check_defaults(b)?;
    }
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), blocks);
    let origins: Vec<&str> = blocks.iter().map(|b| b.origin.as_str()).collect();
    let expected: Vec<&str> = blocks
        .iter()
        .filter_map(|b| b.expect_error.as_deref())
        .collect();
    match pipeline::build(&BuildOptions::new(dir.path())) {
        Ok(_) if expected.is_empty() => Ok(()),
        Ok(_) => Err(format!(
            "{}: built, but the docs say it fails with {expected:?}",
            origins.join(", ")
        )),
        Err(diags) => {
            let text: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
            let text = text.join("\n");
            let missing: Vec<&&str> = expected.iter().filter(|e| !text.contains(**e)).collect();
            if !expected.is_empty() && missing.is_empty() {
                Ok(())
            } else {
                Err(format!("{}: the build failed:\n{text}", origins.join(", ")))
            }
        }
    }
}

fn docs() -> Vec<(String, String)> {
    let dir = common::repo().join("docs");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p: PathBuf| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_site_yaml_and_note_in_the_docs_builds() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, doc) in docs() {
        let found = match blocks(&name, &doc) {
            Ok(b) => b,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        for site in sites(found) {
            checked += site.len();
            if let Err(e) = check_site(&site) {
                failures.push(e);
            }
        }
    }
    assert!(checked > 10, "only {checked} blocks found in docs/");
    assert!(
        failures.is_empty(),
        "{} docs example(s) do not build:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_harness_reads_annotations() {
    let doc = "text\n\n<!-- test: content/a/b.md site=one starter expect-error=\"no `title` \\\"x\\\"\" -->\n```markdown\n---\ntitle: X\n---\n```\n\n```yaml\ntitle: T\nbase_url: https://e.org/\n```\n\n```yaml\nkey: not a site\n```\n";
    let found = blocks("x.md", doc).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].path, "content/a/b.md");
    assert_eq!(found[0].site.as_deref(), Some("one"));
    assert!(found[0].starter);
    assert_eq!(found[0].expect_error.as_deref(), Some("no `title` \"x\""));
    assert_eq!(found[0].origin, "docs/x.md:4");
    assert_eq!(found[1].path, "site.yaml");
    assert!(found[1].site.is_none());
}

#[test]
fn the_github_pages_workflow_is_valid_and_shown_whole_in_deploy_md() {
    let workflow = std::fs::read_to_string(common::repo().join("docs/github-pages.yml")).unwrap();
    let parsed: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    let steps = &parsed["jobs"]["build"]["steps"];
    let uses: Vec<&str> = steps
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(uses
        .iter()
        .any(|u| u.starts_with("actions/upload-pages-artifact@")));
    assert!(workflow.contains("brief build --base-url"));
    assert!(workflow.contains("cargo install --locked --git"));
    let deploy = &parsed["jobs"]["deploy"]["steps"][0]["uses"];
    assert!(deploy
        .as_str()
        .unwrap()
        .starts_with("actions/deploy-pages@"));
    let doc = std::fs::read_to_string(common::repo().join("docs/deploy.md")).unwrap();
    assert!(
        doc.contains(&format!("```yaml\n{workflow}```")),
        "docs/deploy.md must show docs/github-pages.yml exactly"
    );
}

/// The fixed words of a message: the runs between its variable parts
/// (quoted names, paths, numbers), each at least two words long.
fn fixed_parts(message: &str) -> Vec<String> {
    let variable = |w: &str| {
        w.contains(['/', '"', '`', '[', '(', ')', '\\']) || w.contains(|c: char| c.is_ascii_digit())
    };
    let mut parts = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for word in message.split_whitespace().chain(["/"]) {
        if variable(word) {
            if run.len() >= 2 {
                parts.push(run.join(" ").trim_end_matches([':', ',']).to_string());
            }
            run.clear();
        } else {
            run.push(word);
        }
    }
    parts
}

#[test]
fn errors_md_explains_every_pinned_message() {
    let doc = std::fs::read_to_string(common::repo().join("docs/errors.md")).unwrap();
    let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut missing = Vec::new();
    let fixtures = common::repo().join("tests/fixtures");
    let mut stack = vec![fixtures];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_none_or(|n| n != "expected.txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let Some((_, message)) = line
                    .split_once(": error: ")
                    .or_else(|| line.split_once(": warning: "))
                else {
                    continue;
                };
                for part in fixed_parts(message) {
                    if !doc.contains(&part) {
                        missing.push(format!("{part:?} (from {})", path.display()));
                    }
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "docs/errors.md does not explain these messages:\n{}",
        missing.join("\n")
    );
}

#[test]
fn getting_started_shows_what_brief_new_writes() {
    let starter = brief::scaffold::starter_files()
        .find(|f| f.path == "site.yaml")
        .unwrap();
    let config = brief::config::parse(std::str::from_utf8(starter.bytes).unwrap()).unwrap();
    let known = ["companies", "people", "stories", "topics"]
        .map(String::from)
        .into();
    let text = brief::scaffold::front_matter(
        "Harbor Logistics orders 200 robots from Kestrel",
        "stories",
        &config.collection("stories"),
        &known,
        brief::content::Date::parse("2024-06-01").unwrap(),
    );
    let doc = std::fs::read_to_string(common::repo().join("docs/getting-started.md")).unwrap();
    assert!(
        doc.contains(&format!("```markdown\n{text}```")),
        "docs/getting-started.md must show what `brief new` writes:\n{text}"
    );
}
