//! A session's incremental rebuilds must equal a fresh full build, byte for
//! byte: random sequences of edits (bodies, titles, links, new and deleted
//! notes, templates, static files, breakage and repair) are applied to a
//! fixture, and after each one the session's site is compared with a new
//! build of the same files. BRIEF_INCREMENTAL_STEPS sets the length, BRIEF_INCREMENTAL_SEED the sequence.

mod common;

#[path = "../examples/gencorpus/corpus/mod.rs"]
#[allow(dead_code)]
mod corpus;

use std::collections::BTreeMap;
use std::path::PathBuf;

use brief::pipeline::{self, BuildOptions};
use brief::session::Session;
use brief::watch::{Change, ChangeSet};
use common::Site;

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn full(opts: &BuildOptions) -> Result<BTreeMap<String, Vec<u8>>, String> {
    match pipeline::assemble(opts) {
        Ok(a) => Ok(a
            .artifacts
            .into_iter()
            .map(|a| {
                let bytes = match a.source {
                    brief::output::Source::Bytes(b) => b.as_ref().clone(),
                    brief::output::Source::File(p) => std::fs::read(p).unwrap(),
                };
                (a.path, bytes)
            })
            .collect()),
        Err(d) => Err(d
            .sorted()
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

fn session_files(session: &Session) -> BTreeMap<String, Vec<u8>> {
    session
        .files()
        .iter()
        .map(|(p, a)| {
            let bytes = match &a.source {
                brief::output::Source::Bytes(b) => b.as_ref().clone(),
                brief::output::Source::File(p) => std::fs::read(p).unwrap(),
            };
            (p.clone(), bytes)
        })
        .collect()
}

const COMPANIES: [&str; 2] = ["alibaba", "netease"];

fn story(i: usize, rng: &mut Rng) -> String {
    let company = COMPANIES[rng.below(2)];
    let day = 1 + rng.below(28);
    let other = COMPANIES[rng.below(2)];
    format!(
        "---\ntitle: Story number {i}\ndate: 2024-02-{day:02}\ncompanies: [{company}]\n---\nAbout [[{other}]] and more, take {}.\n\n## Part\n\nText.\n",
        rng.next() % 1000
    )
}

#[test]
fn random_edit_sequences_equal_fresh_builds() {
    let steps: usize = std::env::var("BRIEF_INCREMENTAL_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let site = Site::fixture("links/basic");
    let opts = BuildOptions::new(site.root());
    let mut session = Session::new(opts.clone());
    session.rebuild(&ChangeSet::default()).unwrap();
    let seed = std::env::var("BRIEF_INCREMENTAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED);
    let mut rng = Rng(seed);
    let mut stories: Vec<usize> = Vec::new();
    let mut next_story = 0;
    let mut body_edits = 0;
    let mut summary_edits = 0;
    let mut last_ok = true;
    for step in 0..steps {
        let mut changes = ChangeSet::default();
        let touch = |rel: &str, changes: &mut ChangeSet| {
            let change = if rel.starts_with("content/") {
                Change::Content(PathBuf::from(rel))
            } else if rel.starts_with("themes/default/templates") || rel.starts_with("templates") {
                Change::Template
            } else if rel == "site.yaml" {
                Change::Config
            } else {
                Change::Static(PathBuf::from(rel))
            };
            changes.changes.insert(change);
        };
        let action = rng.below(16);
        let what = match action {
            0 | 1 => {
                let i = next_story;
                next_story += 1;
                let rel = format!("content/stories/s{i}.md");
                site.write(&rel, &story(i, &mut rng));
                stories.push(i);
                touch(&rel, &mut changes);
                format!("add {rel}")
            }
            2 if !stories.is_empty() => {
                let i = stories.remove(rng.below(stories.len()));
                let rel = format!("content/stories/s{i}.md");
                std::fs::remove_file(site.root().join(&rel)).unwrap();
                touch(&rel, &mut changes);
                format!("delete {rel}")
            }
            3 if !stories.is_empty() => {
                let i = stories[rng.below(stories.len())];
                let rel = format!("content/stories/s{i}.md");
                site.write(&rel, &story(i, &mut rng));
                touch(&rel, &mut changes);
                format!("rewrite {rel}")
            }
            4 => {
                // Rename a company: every page showing its title changes.
                let title = ["NetEase", "NetEase Inc", "网易"][rng.below(3)];
                let rel = "content/companies/netease.md";
                site.write(
                    rel,
                    &format!("---\ntitle: {title}\nsummary: Games and AI.\n---\n## AI plans\n\nSpending on AI.\n"),
                );
                touch(rel, &mut changes);
                format!("retitle netease as {title}")
            }
            5 => {
                let rel = "themes/default/templates/base.html";
                let old = std::fs::read_to_string(site.root().join(rel)).unwrap();
                site.write(rel, &format!("{old}\n<!-- edit {step} -->"));
                touch(rel, &mut changes);
                "edit a template".to_string()
            }
            6 => {
                let rel = "static/extra.css";
                site.write(rel, &format!("body {{ margin: {}px }}\n", rng.below(20)));
                touch(rel, &mut changes);
                "edit a static file".to_string()
            }
            11 | 12 if !stories.is_empty() => {
                // Prose alone: the session's body-edit path.
                let i = stories[rng.below(stories.len())];
                let rel = format!("content/stories/s{i}.md");
                let old = std::fs::read_to_string(site.root().join(&rel)).unwrap();
                let words = [
                    "More text.",
                    "A mention of NetEase here.",
                    "Alibaba Group again.",
                    "# A new heading",
                    "See [[alibaba]].",
                ];
                let add = words[rng.below(words.len())];
                site.write(&rel, &format!("{old}\n{add} Step {step}.\n"));
                touch(&rel, &mut changes);
                format!("append to {rel}: {add}")
            }
            13 if !stories.is_empty() => {
                // The first paragraph: the default summary changes.
                let i = stories[rng.below(stories.len())];
                let rel = format!("content/stories/s{i}.md");
                let old = std::fs::read_to_string(site.root().join(&rel)).unwrap();
                site.write(
                    &rel,
                    &old.replacen("About ", &format!("About (step {step}) "), 1),
                );
                touch(&rel, &mut changes);
                format!("edit the first paragraph of {rel}")
            }
            14 => {
                // Two bodies in one burst; one of them a company's.
                let rel = "content/companies/netease.md";
                let old = std::fs::read_to_string(site.root().join(rel)).unwrap();
                site.write(rel, &format!("{old}\nSpending rose in step {step}.\n"));
                touch(rel, &mut changes);
                if let Some(&i) = stories.first() {
                    let rel = format!("content/stories/s{i}.md");
                    let old = std::fs::read_to_string(site.root().join(&rel)).unwrap();
                    site.write(&rel, &format!("{old}\nAnd in step {step}.\n"));
                    touch(&rel, &mut changes);
                }
                "append to two bodies".to_string()
            }
            15 => {
                // A company's `summary:` line alone.
                let rel = "content/companies/netease.md";
                let old = std::fs::read_to_string(site.root().join(rel)).unwrap();
                let new: Vec<String> = old
                    .lines()
                    .map(|l| {
                        if l.starts_with("summary:") {
                            format!("summary: Games, AI and step {step}.")
                        } else {
                            l.to_string()
                        }
                    })
                    .collect();
                site.write(rel, &(new.join("\n") + "\n"));
                touch(rel, &mut changes);
                "edit the summary of netease".to_string()
            }
            7 => {
                // Break a note; actions 8 to 10 repair it.
                let rel = "content/companies/alibaba.md";
                site.write(rel, "---\ntitle: Alibaba\nsummary: [broken\n---\nBody.\n");
                touch(rel, &mut changes);
                "break alibaba".to_string()
            }
            _ => {
                let rel = "content/companies/alibaba.md";
                // `alibaba` makes `[[alibaba]]` show as written, not the
                // title: the pages linking it change with the alias.
                let alias = ["Ali", "Alibaba", "阿里巴巴", "alibaba"][rng.below(4)];
                site.write(
                    rel,
                    &format!("---\ntitle: Alibaba Group\naliases: [{alias}]\nsummary: Group {step}.\nheadquarters: Hangzhou\n---\nAlibaba competes with [[netease]].\n"),
                );
                touch(rel, &mut changes);
                format!("rewrite alibaba with alias {alias}")
            }
        };
        let incremental = session.rebuild(&changes);
        let prose = what.ends_with(": More text.") || what == "append to two bodies";
        if prose && last_ok {
            // Prose with no link, heading or summary change, after a good
            // build: one page per note is rendered, on the body-edit path.
            let rebuilt = incremental.as_ref().expect("a body edit builds");
            assert!(rebuilt.body_edit, "step {step} ({what}): not a body edit");
            assert_eq!(
                rebuilt.rendered,
                changes.changes.len(),
                "step {step} ({what})"
            );
            body_edits += 1;
        }
        let summary =
            what.starts_with("edit the first paragraph") || what.starts_with("edit the summary");
        if summary && last_ok {
            // The summary changed: the pages showing the note render too.
            let rebuilt = incremental.as_ref().expect("a summary edit builds");
            assert!(rebuilt.body_edit, "step {step} ({what}): not a body edit");
            assert!(
                rebuilt.rendered > 1,
                "step {step} ({what}): {} pages",
                rebuilt.rendered
            );
            summary_edits += 1;
        }
        last_ok = incremental.is_ok();
        let fresh = full(&opts);
        match (incremental, fresh) {
            (Ok(_), Ok(fresh)) => {
                let ours = session_files(&session);
                let differ: std::collections::BTreeSet<&String> = fresh
                    .keys()
                    .chain(ours.keys())
                    .filter(|k| fresh.get(*k) != ours.get(*k))
                    .collect();
                assert!(
                    differ.is_empty(),
                    "step {step} ({what}): files differ: {differ:?}"
                );
            }
            (Err(a), Err(b)) => {
                let a = a
                    .sorted()
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n");
                assert_eq!(a, b, "step {step} ({what}): different errors");
            }
            (Ok(_), Err(b)) => {
                panic!("step {step} ({what}): the session built but a full build failed:\n{b}")
            }
            (Err(a), Ok(_)) => panic!(
                "step {step} ({what}): the session failed but a full build passed:\n{}",
                a.sorted()
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }
    eprintln!(
        "{steps} steps, {body_edits} prose and {summary_edits} summary edits on the body-edit path"
    );
    assert!(
        steps < 100 || (body_edits > 0 && summary_edits > 0),
        "no prose or no summary edit took the body-edit path"
    );
}

/// Prose edits on a generated site large enough for a many-shard search
/// index: each is applied on the body-edit path, and the site equals a
/// fresh build after each.
#[test]
fn body_edits_on_a_generated_site_equal_fresh_builds() {
    let dir = tempfile::tempdir().unwrap();
    let opts = corpus::Options {
        stories: 300,
        seed: 7,
        format: corpus::Format::parse("brief").unwrap(),
    };
    corpus::generate(&opts, dir.path()).unwrap();
    let build = BuildOptions::new(dir.path());
    let mut session = Session::new(build.clone());
    session.rebuild(&ChangeSet::default()).unwrap();
    let shards = session
        .files()
        .keys()
        .filter(|p| p.starts_with("search/index/t/"))
        .count();
    assert!(shards > 4, "a many-shard index ({shards})");
    let mut stories: Vec<PathBuf> = std::fs::read_dir(dir.path().join("content/stories"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("_index.md"))
        .collect();
    stories.sort();
    let edits = [
        (stories[3].clone(), "\nA brand new word: quorblefitz.\n"),
        (
            stories[150].clone(),
            "\nMore prose about the market and quorblefitz.\n",
        ),
        (stories[3].clone(), "\nAnother paragraph.\n"),
    ];
    for (step, (path, add)) in edits.iter().enumerate() {
        let old = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, format!("{old}{add}")).unwrap();
        let rel = path.strip_prefix(dir.path()).unwrap().to_path_buf();
        let mut changes = ChangeSet::default();
        changes.changes.insert(Change::Content(rel));
        let rebuilt = session.rebuild(&changes).unwrap();
        assert!(rebuilt.body_edit, "step {step}: not a body edit");
        assert_eq!(rebuilt.rendered, 1, "step {step}");
        assert!(
            rebuilt
                .changed
                .iter()
                .any(|p| p.starts_with("search/index/t/")),
            "step {step}: a shard changed: {:?}",
            rebuilt.changed
        );
        let fresh = full(&build).unwrap();
        let ours = session_files(&session);
        let differ: Vec<&String> = fresh
            .keys()
            .chain(ours.keys())
            .filter(|k| fresh.get(*k) != ours.get(*k))
            .collect();
        assert!(differ.is_empty(), "step {step}: files differ: {differ:?}");
    }
}

/// A note with a warning (an empty alias, left out) still takes the
/// body-edit path when only its prose changes, and the site equals a fresh
/// build.
#[test]
fn a_note_with_only_warnings_keeps_the_body_edit_path() {
    let site = Site::fixture("links/basic");
    let note = "content/companies/netease.md";
    let head = "---\ntitle: NetEase\nsummary: Games and AI.\naliases: [\"\", NE]\n---\n";
    site.write(note, &format!("{head}## AI plans\n\nSpending on AI.\n"));
    let build = BuildOptions::new(site.root());
    let mut session = Session::new(build.clone());
    session.rebuild(&ChangeSet::default()).unwrap();
    site.write(
        note,
        &format!("{head}## AI plans\n\nSpending on AI, and more.\n"),
    );
    let mut changes = ChangeSet::default();
    changes.changes.insert(Change::Content(PathBuf::from(note)));
    let rebuilt = session.rebuild(&changes).unwrap();
    assert!(rebuilt.body_edit, "not a body edit");
    assert_eq!(session_files(&session), full(&build).unwrap());
}

/// Files added to, changed in and removed from a bundle while serving are
/// published and taken away as a fresh build does: the bundle's note is
/// read again with its list of files.
#[test]
fn bundle_files_added_and_removed_equal_fresh_builds() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/bund/index.md",
        "---\ntitle: Bundle story\ndate: 2024-10-01\n---\n![A chart](chart.svg)\n",
    );
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
    site.write("content/stories/bund/chart.svg", svg);
    let opts = BuildOptions::new(site.root());
    let mut session = Session::new(opts.clone());
    session.rebuild(&ChangeSet::default()).unwrap();
    let steps: [(&str, Option<&str>); 4] = [
        ("content/stories/bund/extra.svg", Some(svg)),
        ("content/stories/bund/img/deep.svg", Some(svg)),
        ("content/stories/bund/chart.svg", None),
        ("content/stories/bund/img/deep.svg", None),
    ];
    for (rel, text) in steps {
        match text {
            Some(text) => site.write(rel, text),
            None => std::fs::remove_file(site.root().join(rel)).unwrap(),
        }
        let mut changes = ChangeSet::default();
        changes.changes.insert(Change::Content(PathBuf::from(rel)));
        let rebuilt = session.rebuild(&changes);
        assert!(rebuilt.is_ok(), "{rel}: {:?}", rebuilt.err());
        let published = rel.trim_start_matches("content/");
        assert_eq!(
            session.files().contains_key(published),
            text.is_some(),
            "{rel}"
        );
        assert_eq!(session_files(&session), full(&opts).unwrap(), "{rel}");
    }
}
