//! Criterion benches for each build stage on a generated site, so that a
//! regression shows in the stage where it happened rather than only in the
//! whole build (`scripts/bench.sh`).
//!
//! ```sh
//! cargo bench --bench stages                            # 10,000 stories
//! BRIEF_BENCH_STORIES=1000 cargo bench --bench stages   # a quick run
//! cargo bench --bench stages -- render                  # one stage
//! ```
//!
//! The site is made once per run by `examples/gencorpus` (seed 1) in a
//! temporary folder (`TMPDIR`, so `TMPDIR=/dev/shm` takes the disk out of
//! the write stages), then each stage is timed on its own with the inputs
//! the earlier stages produced, in the order of `pipeline::assemble`. The
//! group is named after the size (`stages-10000/render`), so criterion
//! compares a run only with earlier runs of the same size.
//!
//! Ten samples each; a stage slower than half a second runs once per sample,
//! and criterion then warns that it "cannot complete 10 samples": expected.
//! Outputs are dropped outside the timing, as the pipeline keeps them until
//! the commit.

// Only the brief format is used here, and the generator's unit tests are
// not compiled into a bench: hence the allow.
#[allow(dead_code, unused_imports)]
#[path = "../examples/gencorpus/corpus/mod.rs"]
mod corpus;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Component, Path};
use std::time::Duration;

use brief::config::{self, SiteConfig};
use brief::content::{self, Corpus, Drafts};
use brief::diag::Diagnostics;
use brief::graph::{self, Linked, Lookup, NameIndex};
use brief::markdown::{self, Resolver, Target, Unresolved};
use brief::model::{self, Knowledge, Model};
use brief::output::{self, Artifact};
use brief::relations::{self, Relations};
use brief::render::{self, Templates};
use brief::search;
use brief::urls::Urls;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use rayon::prelude::*;

/// Stories in the generated site unless `BRIEF_BENCH_STORIES` says otherwise.
const DEFAULT_STORIES: usize = 10_000;

fn stories() -> usize {
    match std::env::var("BRIEF_BENCH_STORIES") {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("BRIEF_BENCH_STORIES: not a number: {v}")),
        Err(_) => DEFAULT_STORIES,
    }
}

/// The value of a stage that must succeed on the generated site.
fn ok<T>(stage: &str, result: Result<T, Diagnostics>) -> T {
    result.unwrap_or_else(|d| {
        let first: Vec<_> = d.iter().take(5).collect();
        panic!("{stage} failed on the generated site: {first:#?}")
    })
}

/// What the related-notes, co-mention and graph stages find, as
/// `pipeline::knowledge` computes it.
fn knowledge(
    config: &SiteConfig,
    corpus: &Corpus,
    linked: &Linked,
    relations: &Relations,
    order: &[String],
) -> Knowledge {
    Knowledge {
        related: model::related::compute(
            linked,
            &corpus
                .notes
                .iter()
                .map(|n| n.collection.is_none())
                .collect::<Vec<_>>(),
        ),
        co_mentions: model::comentions::compute(config, corpus, linked),
        graphs: model::graphs::compute(corpus, linked, relations, order),
        changes: model::changes(corpus),
        relations: relations.clone(),
    }
}

/// Answers link questions the way the graph stage's own (private) resolver
/// does, from the finished name index and routes, so that the markdown
/// bench renders the same HTML without timing the resolution bookkeeping.
struct IndexResolver<'a> {
    index: &'a NameIndex,
    routes: &'a [String],
    urls: &'a Urls,
    by_path: &'a HashMap<String, u32>,
    dir: &'a Path,
}

impl IndexResolver<'_> {
    fn target(&self, id: u32) -> Target {
        Target {
            url: self.urls.path(&self.routes[id as usize]),
            id,
            title: self.index.title(id).unwrap_or_default(),
            named: false,
        }
    }
}

fn unresolved() -> Unresolved {
    Unresolved {
        message: String::new(),
        hints: Vec::new(),
        quiet: true,
    }
}

/// A lowercase `/`-separated path with `.` and `..` resolved.
fn path_key(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().to_lowercase()),
            Component::ParentDir => {
                parts.pop()?;
            }
            _ => {}
        }
    }
    Some(parts.join("/"))
}

impl Resolver for IndexResolver<'_> {
    fn wikilink(&self, target: &str) -> Result<Target, Unresolved> {
        match self.index.lookup(target, None) {
            Lookup::Found(id) => Ok(Target {
                named: self.index.is_written_name(id, target),
                ..self.target(id)
            }),
            _ => Err(unresolved()),
        }
    }

    fn relative(&self, path: &str) -> Result<Target, Unresolved> {
        let key = path_key(&self.dir.join(path.replace("%20", " ")));
        match key.and_then(|k| self.by_path.get(&k).copied()) {
            Some(id) => Ok(self.target(id)),
            None => Err(unresolved()),
        }
    }
}

/// Every note body rendered to HTML, in parallel as the graph stage does.
fn render_bodies(corpus: &Corpus, linked: &Linked, urls: &Urls) -> Vec<markdown::Rendered> {
    let by_path: HashMap<String, u32> = corpus
        .notes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((path_key(&n.path)?, i as u32)))
        .collect();
    corpus
        .notes
        .par_iter()
        .map(|note| {
            let resolver = IndexResolver {
                index: &linked.index,
                routes: &linked.routes,
                urls,
                by_path: &by_path,
                dir: note.path.parent().unwrap_or(Path::new("")),
            };
            markdown::render(&note.body, &resolver)
        })
        .collect()
}

/// Bytes of the generated artifacts (copied static files not counted).
fn artifacts_total(artifacts: &[Artifact]) -> usize {
    artifacts.iter().filter_map(Artifact::len).sum()
}

fn stages(c: &mut Criterion) {
    let stories = stories();
    let site = tempfile::Builder::new()
        .prefix("brief-bench-site-")
        .tempdir()
        .expect("temporary folder for the site");
    let root = site.path();
    let options = corpus::Options {
        stories,
        seed: 1,
        format: corpus::Format::Brief,
    };
    let summary = corpus::generate(&options, root).expect("generating the corpus");
    eprintln!(
        "stages: {} stories, {} companies, {} people, {} topics in {}",
        summary.stories,
        summary.companies,
        summary.people,
        summary.topics,
        root.display()
    );

    // Every stage once, to have each one's inputs.
    let config = ok("config", config::load(root));
    let templates = ok("templates", Templates::load(root, &config.theme));
    let (corpus, diags) = content::load(root, &config, Drafts::Exclude);
    assert!(!diags.has_errors(), "content: {:#?}", diags.sorted());
    let urls = Urls::new(config.base_url.clone());
    let linked = ok("link", graph::link(&corpus, &config, &urls));
    let bodies = graph::body_cache(&corpus, &linked);
    let relations = ok(
        "relations",
        relations::resolve(root, &corpus, &linked.index),
    );
    // `model::collection_order` is crate-private; Model::build computes it.
    let order =
        Model::build(&config, &corpus, &linked, &urls, Knowledge::default()).collection_order;
    let known = knowledge(&config, &corpus, &linked, &relations, &order);
    let model = Model::build(&config, &corpus, &linked, &urls, known.clone());
    let mut artifacts = ok("render", render::render(&model, &templates));
    let pages = artifacts.len();
    artifacts.extend(output::generated(&model));
    artifacts.extend(search::index(&model));
    artifacts.extend(output::api(&model));
    artifacts.extend(ok("static files", output::static_files(root, &model)).0);
    let collisions = output::check_paths(&artifacts);
    assert!(!collisions.has_errors(), "{:#?}", collisions.sorted());
    let differ = render_bodies(&corpus, &linked, &urls)
        .iter()
        .zip(&linked.bodies)
        .filter(|(a, b)| a.html != b.html)
        .count();
    eprintln!(
        "stages: {} notes, {} stubs, {pages} pages, {} files, {} generated bytes; \
         markdown bench bodies differing from the graph stage's: {differ}",
        corpus.notes.len(),
        linked.stubs.len(),
        artifacts.len(),
        artifacts_total(&artifacts)
    );
    let out = tempfile::Builder::new()
        .prefix("brief-bench-out-")
        .tempdir()
        .expect("temporary output folder");
    let existing = out.path().join("public");
    ok("commit", output::commit(&existing, &artifacts));
    let again = ok("commit", output::commit(&existing, &artifacts));
    assert_eq!(again.written, 0, "a second commit rewrote files: {again:?}");

    let mut group = c.benchmark_group(format!("stages-{stories}"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    group.bench_function("config+templates", |b| {
        b.iter(|| {
            let config = ok("config", config::load(root));
            ok("templates", Templates::load(root, &config.theme))
        })
    });
    group.bench_function("load", |b| {
        b.iter_with_large_drop(|| content::load(root, &config, Drafts::Exclude))
    });
    group.bench_function("link+markdown", |b| {
        b.iter_with_large_drop(|| ok("link", graph::link(&corpus, &config, &urls)))
    });
    // Every body's earlier rendering is replayed, not rendered: what is
    // left is resolving names, stubs, fragments and edges.
    group.bench_function("link, bodies replayed", |b| {
        b.iter_with_large_drop(|| {
            ok(
                "link",
                graph::link_cached(
                    &corpus,
                    &config,
                    &urls,
                    Some(&bodies),
                    markdown::Keep::QUERIES,
                    Vec::new(),
                )
                .map_err(|f| f.diags),
            )
        })
    });
    group.bench_function("markdown", |b| {
        b.iter_with_large_drop(|| render_bodies(&corpus, &linked, &urls))
    });
    group.bench_function("relations", |b| {
        b.iter_with_large_drop(|| {
            ok(
                "relations",
                relations::resolve(root, &corpus, &linked.index),
            )
        })
    });
    group.bench_function("knowledge", |b| {
        b.iter_with_large_drop(|| knowledge(&config, &corpus, &linked, &relations, &order))
    });
    group.bench_function("model", |b| {
        b.iter_batched(
            || known.clone(),
            |k| Model::build(&config, &corpus, &linked, &urls, k),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("render", |b| {
        b.iter_with_large_drop(|| ok("render", render::render(&model, &templates)))
    });
    group.bench_function("feeds+sitemap", |b| {
        b.iter_with_large_drop(|| output::generated(&model))
    });
    group.bench_function("search", |b| {
        b.iter_with_large_drop(|| search::index(&model))
    });
    group.bench_function("api", |b| b.iter_with_large_drop(|| output::api(&model)));
    group.bench_function("static+paths", |b| {
        b.iter_with_large_drop(|| {
            let files = ok("static files", output::static_files(root, &model));
            black_box(output::check_paths(&artifacts));
            files
        })
    });
    group.bench_function("write, fresh folder", |b| {
        b.iter_batched(
            || {
                tempfile::Builder::new()
                    .prefix("brief-bench-out-")
                    .tempdir()
                    .expect("temporary output folder")
            },
            |dir: tempfile::TempDir| {
                ok(
                    "commit",
                    output::commit(&dir.path().join("public"), &artifacts),
                );
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("write, nothing changed", |b| {
        b.iter(|| ok("commit", output::commit(&existing, &artifacts)))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
