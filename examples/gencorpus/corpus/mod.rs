//! A deterministic corpus generator for benchmarks and scale tests: N dated
//! stories plus the companies, people and topics they reference, written as a
//! brief site or as an equivalent Hugo or Zola site.
//!
//! Everything is drawn from a splitmix64 stream seeded by `--seed`, in a
//! fixed order, and written in a fixed order, so the same size and seed give
//! byte-identical trees. Shared by `examples/gencorpus/main.rs` and
//! `tests/gencorpus.rs` (which includes this folder with `#[path]`).

mod brief;
mod hugo;
mod model;
mod prose;
mod rng;
mod story;
mod words;
mod world;
mod zola;

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use model::{Coll, Doc, Intro};
use rng::Rng;
use story::Earlier;
use world::World;

/// Which generator's site to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A brief site (site.yaml, content/, themes/default/).
    Brief,
    /// A Hugo site (config.toml with taxonomies, layouts/).
    Hugo,
    /// A Zola site (config.toml with taxonomies, templates/).
    Zola,
}

impl Format {
    /// Parses `brief`, `hugo` or `zola`.
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "brief" => Some(Format::Brief),
            "hugo" => Some(Format::Hugo),
            "zola" => Some(Format::Zola),
            _ => None,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of stories.
    pub stories: usize,
    /// Seed of the random stream.
    pub seed: u64,
    /// Output format.
    pub format: Format,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub stories: usize,
    pub companies: usize,
    pub people: usize,
    /// Topics with notes.
    pub topics: usize,
    /// Files written (theme and templates included).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes files under a root, creating folders once.
struct Out {
    root: PathBuf,
    dirs: BTreeSet<PathBuf>,
    files: usize,
    bytes: u64,
}

impl Out {
    fn write(&mut self, rel: &str, text: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            if !self.dirs.contains(parent) {
                std::fs::create_dir_all(parent)?;
                self.dirs.insert(parent.to_path_buf());
            }
        }
        std::fs::write(&path, text)?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

/// A string as a double-quoted scalar: valid JSON, YAML and TOML alike.
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// The site's configuration and templates, before any note.
fn preamble(format: Format) -> io::Result<Vec<(String, Vec<u8>)>> {
    match format {
        Format::Brief => brief::preamble(),
        Format::Hugo => Ok(hugo::preamble()),
        Format::Zola => Ok(zola::preamble()),
    }
}

fn note(format: Format, doc: &Doc) -> (String, String) {
    match format {
        Format::Brief => brief::note(doc),
        Format::Hugo => hugo::note(doc),
        Format::Zola => zola::note(doc),
    }
}

fn intro(format: Format, intro: &Intro) -> (String, String) {
    match format {
        Format::Brief => brief::intro(intro),
        Format::Hugo => hugo::intro(intro),
        Format::Zola => zola::intro(intro),
    }
}

fn intros() -> Vec<Intro> {
    let make = |coll: Option<Coll>, title: &str, summary: &str, text: &str| Intro {
        coll,
        title: title.into(),
        summary: summary.into(),
        text: text.into(),
    };
    vec![
        make(
            None,
            "Generated Briefing",
            "A generated briefing for benchmarks",
            "This briefing is generated for benchmarks: stories about invented companies, \
             the people who run them and the topics they touch. Every page lists the \
             notes that point to it.",
        ),
        make(
            Some(Coll::Stories),
            "Stories",
            "Dated reports, newest first.",
            "Each story is a dated report linked to the companies, people and topics it involves.",
        ),
        make(
            Some(Coll::Companies),
            "Companies",
            "The companies in the news.",
            "Every company mentioned in a story has a page with its facts and the stories about it.",
        ),
        make(
            Some(Coll::People),
            "People",
            "The people behind the companies.",
            "Executives and founders, with the companies they work for.",
        ),
        make(
            Some(Coll::Topics),
            "Topics",
            "Themes that run through the stories.",
            "Some topics are only referenced; their pages are generated.",
        ),
    ]
}

/// Generates a site of `opts.stories` stories into `out`, which must be
/// missing or empty.
pub fn generate(opts: &Options, out: &Path) -> io::Result<Summary> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", out.display()),
        ));
    }
    let mut out = Out {
        root: out.to_path_buf(),
        dirs: BTreeSet::new(),
        files: 0,
        bytes: 0,
    };
    for (rel, bytes) in preamble(opts.format)? {
        out.write(&rel, &bytes)?;
    }
    for i in intros() {
        let (rel, text) = intro(opts.format, &i);
        out.write(&rel, text.as_bytes())?;
    }
    let mut rng = Rng::new(opts.seed);
    let companies = (opts.stories / 10).max(5);
    let people = (opts.stories / 10).max(5);
    let world = World::new(&mut rng, companies, people);
    let mut docs: Vec<Doc> = Vec::new();
    docs.extend((0..companies).map(|i| world.company_doc(&mut rng, i)));
    docs.extend((0..people).map(|i| world.person_doc(&mut rng, i)));
    docs.extend((0..world.existing_topics()).map(|i| world.topic_doc(&mut rng, i)));
    for doc in &docs {
        let (rel, text) = note(opts.format, doc);
        out.write(&rel, text.as_bytes())?;
    }
    let mut earlier: Vec<Earlier> = Vec::with_capacity(opts.stories);
    for i in 0..opts.stories {
        let doc = story::story_doc(&world, &mut rng, i, &earlier);
        let (rel, text) = note(opts.format, &doc);
        out.write(&rel, text.as_bytes())?;
        earlier.push(Earlier {
            slug: doc.slug,
            title: doc.title,
        });
    }
    Ok(Summary {
        stories: opts.stories,
        companies,
        people,
        topics: world.existing_topics(),
        files: out.files,
        bytes: out.bytes,
    })
}
