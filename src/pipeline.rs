//! The build pipeline: config, content, graph, model, render, output, each
//! stage taking the previous one's value. `assemble` does everything but
//! writing; `build` adds the commit. `check` is `assemble` alone.

use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::{self, BaseUrl};
use crate::content::{self, Drafts};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::graph;
use crate::model::{self, views::LinkView, Knowledge, Model};
use crate::output::{self, Artifact, CommitStats, Sink, Staging};
use crate::relations::Relations;
use crate::render::{self, Templates};
use crate::urls::Urls;

/// Whether warnings fail the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Warnings are reported; the build succeeds.
    #[default]
    Lenient,
    /// Warnings are errors (`--strict`).
    Strict,
}

/// Runtime choices for one build; the site's own settings are in `site.yaml`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// The output folder; `None` means `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Build drafts?
    pub drafts: Drafts,
    /// Do warnings fail?
    pub strictness: Strictness,
}

impl BuildOptions {
    /// Defaults for a site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: Drafts::Exclude,
            strictness: Strictness::Lenient,
        }
    }

    /// The output folder in force.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BuildStats {
    /// Notes loaded (drafts excluded unless built).
    pub notes: usize,
    /// Stub pages generated.
    pub stubs: usize,
    /// HTML pages in the site.
    pub pages: usize,
    /// HTML pages the template engine actually rendered (a session's
    /// rebuild skips unchanged ones).
    pub rendered: usize,
    /// Notes per collection, in display order.
    pub per_collection: Vec<(String, usize)>,
}

/// A site made, not yet committed.
#[derive(Debug)]
pub struct Assembled {
    /// Every output file: whole when assembled in memory, else only each
    /// file's path and origin (its bytes went to the staging).
    pub artifacts: Vec<Artifact>,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Counts.
    pub stats: BuildStats,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// Milliseconds of the stages that run beside each other within one
    /// of `timings` (feeds, search, data export), each from its start to
    /// its end: they overlap, so their sum exceeds the stage's.
    pub beside: Vec<(&'static str, f64)>,
    /// Each page's fingerprint, for the next build (`brief build` only).
    pub page_stamps: Vec<(String, u64)>,
    /// Each search document's fingerprint, for the next build (`brief
    /// build` only).
    pub doc_stamps: crate::search::DocStamps,
    /// How many notes the search index tokenised (`brief build`, which
    /// reads the others' terms back from the last build's index).
    pub tokenised: usize,
    /// The model and its inputs, once the build is done with them
    /// (`None` in a session, which keeps them).
    pub leftovers: Option<Leftovers>,
}

/// What a build is done with: the notes, their links, the model. Dropped,
/// it is freed like anything else. A process about to exit can
/// [`abandon`](Leftovers::abandon) it instead: freeing some 300 MB of
/// small allocations one by one takes 30-50 ms at 10,000 stories, on one
/// core, after the work is done, and the system takes the memory back at
/// exit anyway.
pub struct Leftovers(#[allow(dead_code)] Box<dyn std::any::Any + Send>);

impl Leftovers {
    /// Leaves the memory to be taken back when the process exits.
    pub fn abandon(self) {
        std::mem::forget(self);
    }
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Leftovers")
    }
}

/// A finished build.
#[derive(Debug)]
pub struct Built {
    /// What was assembled.
    pub assembled: Assembled,
    /// What the commit did.
    pub commit: CommitStats,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// Nothing had changed since the last build: nothing was done.
    pub up_to_date: bool,
}

/// Whether the lints of [`crate::lint`] run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lints {
    /// `check`, and `build --strict`.
    Run,
    /// A plain `build` or `serve`: no time spent on them.
    Skip,
}

/// Runs every stage but the write; lints only with `--strict`.
pub fn assemble(opts: &BuildOptions) -> Result<Assembled, Diagnostics> {
    assemble_with(opts, Lints::of(opts), None, Sink::Memory, None)
}

impl Lints {
    /// Lints run for `--strict` only.
    fn of(opts: &BuildOptions) -> Self {
        match opts.strictness {
            Strictness::Strict => Lints::Run,
            Strictness::Lenient => Lints::Skip,
        }
    }
}

/// What a long-lived session keeps between rebuilds so that unchanged work
/// is not redone. A fresh `Cache` gives exactly a full build.
#[derive(Debug, Default)]
pub struct Cache {
    /// Rendered pages by fingerprint of their context.
    pub pages: Option<render::PageMemo>,
    /// Parsed note files by path and stamp.
    pub notes: content::LoadCache,
    /// Rendered note bodies by path.
    pub bodies: graph::BodyCache,
    /// Escaped feed entries by note key.
    pub feeds: output::FeedCache,
    /// Search index inputs and files by note key.
    pub search: crate::search::SearchCache,
    /// The data export's entries.
    pub api: output::ApiCache,
    /// The last good build itself, for an edit of note bodies alone.
    pub retained: Option<Box<Retained>>,
}

/// The last good build's inputs and model, kept by a session so that an
/// edit that changes nothing but note bodies is applied without running
/// every stage again (see [`crate::incremental`]).
pub struct Retained {
    /// `site.yaml`, with the session's base URL.
    pub config: config::SiteConfig,
    /// URL maker.
    pub urls: Urls,
    /// The templates.
    pub templates: Templates,
    /// The notes.
    pub corpus: content::Corpus,
    /// Links and bodies.
    pub linked: graph::Linked,
    /// The model's own parts (taken while a model borrows the rest).
    pub parts: Option<model::ModelParts>,
}

impl std::fmt::Debug for Retained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retained")
            .field("notes", &self.corpus.notes.len())
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// Forgets everything that depends on templates (they changed).
    pub fn forget_pages(&mut self) {
        self.pages = None;
    }

    /// Forgets everything (`site.yaml` changed).
    pub fn forget_all(&mut self) {
        *self = Cache::default();
    }
}

/// A rebuild for a session: like `assemble`, reusing and refreshing `cache`.
pub fn reassemble(opts: &BuildOptions, cache: &mut Cache) -> Result<Assembled, Diagnostics> {
    assemble_with(opts, Lints::Skip, Some(cache), Sink::Memory, None)
}

/// `brief check`: every stage but the write, and the lints. Their warnings
/// fail only with `--strict`.
///
/// A page whose fingerprint (the binary, the templates and its context)
/// is one the last build recorded in the output folder's manifest rendered
/// without error then, and would render the same now: it is not rendered
/// again. Only pages never rendered in this form are.
pub fn check(opts: &BuildOptions) -> Result<Assembled, Diagnostics> {
    let out = opts.output_dir();
    let pages = output::read_recorded(&out)
        .map(|r| r.pages)
        .unwrap_or_default();
    // With nothing recorded, fingerprints would only cost time.
    let last = (!pages.is_empty()).then_some(Last {
        pages: &pages,
        docs: &[],
        dir: &out,
    });
    assemble_with(opts, Lints::Run, None, Sink::Nothing, last)
}

/// What the last build recorded, for `brief build`: its page fingerprints
/// and search documents (empty if the output folder cannot be trusted to
/// hold what it wrote), and the folder.
struct Last<'a> {
    pages: &'a std::collections::HashMap<String, u64>,
    docs: &'a [(String, u64)],
    dir: &'a std::path::Path,
}

/// `last`: see [`Last`]; this build's fingerprints go to
/// `Assembled::page_stamps` and `Assembled::doc_stamps`.
fn assemble_with(
    opts: &BuildOptions,
    lints: Lints,
    mut cache: Option<&mut Cache>,
    sink: Sink<'_>,
    last: Option<Last<'_>>,
) -> Result<Assembled, Diagnostics> {
    let mut clock = Stopwatch::start();
    if let Some(cache) = cache.as_mut() {
        cache.retained = None;
    }
    let mut config = config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| {
            Diagnostics::from_iter([Diagnostic::error("--base-url", Location::default(), m)])
        })?;
    }
    let templates = Templates::load(&opts.root, &config.theme);
    let (mut corpus, mut diags) = content::load_cached(
        &opts.root,
        &config,
        opts.drafts,
        cache.as_mut().map(|c| &mut c.notes),
    );
    clock.lap("load");
    // The unlinked-mention lint's matcher over every title and alias takes
    // a while to build on one thread: it is built beside the other stages
    // (or taken from auto-linking, which builds the same one).
    let lint_mentions = (lints == Lints::Run && !config.autolink).then(|| {
        let names = graph::mention_names(&corpus);
        std::thread::spawn(move || crate::mentions::Mentions::new(names))
    });
    let urls = Urls::new(config.base_url.clone());
    // Content, link and template errors are reported together.
    // The lints look at each body's prose, images and links: the link pass,
    // which parses every body anyway, notes them on the way. Only a
    // session, which reuses bodies, keeps the link questions.
    let keep = crate::markdown::Keep {
        queries: cache.is_some(),
        inspection: lints == Lints::Run,
        text: !matches!(sink, Sink::Nothing),
        // Pages thrown away need no HTML, unless their fingerprints are to
        // be compared with a build's (or a session keeps the bodies).
        // (And unless a template reads it otherwise than to print it.)
        html: !matches!(sink, Sink::Nothing)
            || last.is_some()
            || cache.is_some()
            || !templates
                .as_ref()
                .is_ok_and(Templates::content_only_printed),
    };
    // Rendered, the Markdown sources are needed only by the lints and a
    // session's cache: a plain build hands them to the link stage, which
    // lets each go once it is rendered.
    let handed: Vec<String> = if cache.is_none() && lints == Lints::Skip {
        corpus
            .notes
            .iter_mut()
            .map(|note| std::mem::take(&mut note.body))
            .collect()
    } else {
        Vec::new()
    };
    let linked = graph::link_cached(
        &corpus,
        &config,
        &urls,
        cache.as_ref().map(|c| &c.bodies),
        keep,
        handed,
    );
    if let (Some(cache), Ok(linked)) = (cache.as_mut(), &linked) {
        cache.bodies = graph::body_cache(&corpus, linked);
    }
    clock.lap("link+markdown");
    let templates = match templates {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d.sorted());
            None
        }
    };
    let (linked, failed_index) = match linked {
        Ok(l) => (Some(l), None),
        Err(failed) => {
            diags.extend(failed.diags.sorted());
            (None, Some(failed.index))
        }
    };
    if linked.is_none() || templates.is_none() {
        // The build fails here, but the roles and relations are checked all
        // the same, against the names the links were resolved by, so that
        // every problem is told in one run.
        let index = linked.as_ref().map(|l| &l.index).or(failed_index.as_ref());
        if let Some(Err(d)) = index.map(|i| crate::relations::resolve(&opts.root, &corpus, i)) {
            diags.extend(d.sorted());
        }
    }
    let (Some(templates), Some(linked)) = (templates, linked) else {
        return Err(with_their_warnings(diags, &corpus.warnings));
    };
    let relations = match crate::relations::resolve(&opts.root, &corpus, &linked.index) {
        Ok(r) => r,
        Err(d) => {
            diags.extend(d.sorted());
            Relations::default()
        }
    };
    if diags.has_errors() {
        return Err(with_their_warnings(diags, &corpus.warnings));
    }
    clock.lap("relations");
    let knowledge = knowledge(&config, &corpus, &linked, relations, &mut clock);
    let mut model = Model::build(&config, &corpus, &linked, &urls, knowledge);
    let conflicts = output::redirect_conflicts(&model);
    if conflicts.has_errors() {
        return Err(with_their_warnings(conflicts, &corpus.warnings));
    }
    clock.lap("model");
    let memo = cache.as_ref().and_then(|c| c.pages.as_ref());
    let salt = last
        .as_ref()
        .and_then(|_| crate::stamp::page_salt(templates.digest()));
    let known = last.as_ref().zip(salt).map(|(last, salt)| render::Known {
        pages: last.pages,
        salt,
    });
    // The lints read what rendering reads, and run beside it: each leaves
    // the two cores idle at times the other fills.
    let (out, lint_warnings) = rayon::join(
        || render::render_with(&model, &templates, memo, cache.is_some(), sink, known),
        || {
            (lints == Lints::Run).then(|| {
                let mentions = match lint_mentions {
                    Some(made) => made.join().ok(),
                    None => linked.mentions.clone(),
                };
                let (mut warnings, file_links) =
                    crate::lint::lint(&opts.root, &model, mentions, templates.ids());
                let relations = &model.knowledge.relations;
                warnings.extend(relations.contradictions(&opts.root, &corpus, &linked.index));
                (warnings, file_links)
            })
        },
    );
    let out = out?;
    let mut page_stamps = out.stamps;
    // The link views' template values served the pages; the stages after
    // serialise the views their own way, so the values are let go (on
    // every core: there are thousands of maps). `check` has no stages
    // after, and lets the process's exit take them.
    if !matches!(sink, Sink::Nothing) {
        model
            .links
            .par_iter_mut()
            .with_max_len(crate::PAR_CHUNK)
            .for_each(LinkView::changed);
    }
    if let Some(cache) = cache.as_mut() {
        cache.pages = out.memo;
    }
    clock.lap(if lint_warnings.is_some() {
        "render+lints"
    } else {
        "render"
    });
    let page_count = out.pages.len();
    let rendered = out.rendered;
    let mut artifacts = out.pages;
    let mut doc_stamps = Vec::new();
    let mut tokenised = 0;
    let static_robots = output::static_robots(&opts.root, &config.theme);
    if matches!(sink, Sink::Nothing) {
        // `check`: feeds, the search index and the data export cannot fail;
        // only their paths matter, for collisions.
        artifacts.extend(output::generated_paths(&model, static_robots));
        clock.lap("feed and export paths");
    } else {
        // Feeds, the search index and the data export read the model and
        // nothing of each other: they run side by side, so that one's
        // single-threaded steps fill the cores the others leave idle.
        let (feed_cache, search_cache, api_cache) = match cache.as_mut() {
            Some(c) => (Some(&mut c.feeds), Some(&mut c.search), Some(&mut c.api)),
            None => (None, None, None),
        };
        let model = &model;
        let last = last.as_ref();
        let (((feeds, t_feeds), (indexed, t_search)), (api, t_api)) = rayon::join(
            || {
                rayon::join(
                    || timed(|| output::generated_cached(model, feed_cache, sink, static_robots)),
                    || timed(|| search_index(model, search_cache, sink, last)),
                )
            },
            || timed(|| output::api_cached(model, api_cache, sink, known)),
        );
        clock.beside = vec![("feeds", t_feeds), ("search", t_search), ("api", t_api)];
        artifacts.extend(feeds?);
        let indexed = indexed?;
        artifacts.extend(indexed.files);
        doc_stamps = indexed.stamps;
        tokenised = indexed.tokenised;
        let (files, stamps) = api?;
        artifacts.extend(files);
        page_stamps.extend(stamps);
        clock.lap("feeds+search+api");
    }
    let (files, static_warnings) = output::static_files(&opts.root, &model)?;
    artifacts.extend(sink.pass_all(files)?);
    let collisions = output::check_paths(&artifacts);
    if collisions.has_errors() {
        return Err(with_their_warnings(collisions, &corpus.warnings));
    }
    let mut warnings = corpus.warnings.clone();
    warnings.extend(static_warnings);
    clock.lap("paths");
    if let Some((lint_warnings, file_links)) = lint_warnings {
        warnings.extend(lint_warnings);
        let published: std::collections::HashSet<&str> =
            artifacts.iter().map(|a| a.path.as_str()).collect();
        warnings.extend(crate::lint::files::broken(
            &opts.root,
            &corpus.notes,
            file_links,
            &published,
            model.urls.base().path(),
        ));
        warnings = warnings.into_iter().collect::<Diagnostics>().sorted();
    }
    if opts.strictness == Strictness::Strict && !warnings.is_empty() {
        let mut diags: Diagnostics = warnings.drain(..).collect();
        diags.promote_warnings();
        return Err(diags);
    }
    let stats = BuildStats {
        notes: corpus.notes.len(),
        stubs: linked.stubs.len(),
        pages: page_count,
        rendered,
        per_collection: model
            .collection_order
            .iter()
            .map(|c| (c.clone(), model.members.get(c).map_or(0, Vec::len)))
            .collect(),
    };
    let leftovers = if let Some(cache) = cache {
        let parts = Some(model.into_parts());
        cache.retained = Some(Box::new(Retained {
            config,
            urls,
            templates,
            corpus,
            linked,
            parts,
        }));
        None
    } else {
        let parts = model.into_parts();
        Some(Leftovers(Box::new((
            parts, corpus, linked, templates, config, urls,
        ))))
    };
    clock.lap("finish");
    Ok(Assembled {
        artifacts,
        warnings,
        stats,
        timings: clock.laps,
        beside: clock.beside,
        page_stamps,
        doc_stamps,
        tokenised,
        leftovers,
    })
}

/// The search index: a session's, from its cache; a build's, reading back
/// what the last build (`last`) indexed of unchanged notes.
fn search_index(
    model: &Model<'_>,
    cache: Option<&mut crate::search::SearchCache>,
    sink: Sink<'_>,
    last: Option<&Last<'_>>,
) -> Result<crate::search::Indexed, Diagnostics> {
    if let Some(cache) = cache {
        let files = crate::search::index_cached(model, Some(cache), sink)?;
        return Ok(crate::search::Indexed {
            files,
            stamps: Vec::new(),
            tokenised: 0,
        });
    }
    let previous = last.map(|l| crate::search::Previous {
        dir: l.dir,
        docs: l.docs,
    });
    let salt = last.and_then(|_| crate::stamp::page_salt(0));
    crate::search::index_build(model, sink, salt, previous)
}

/// The stages that find what the site knows beyond each note's own links
/// (related notes, co-mentions, graphs, changes), each timed on its own.
fn knowledge(
    config: &config::SiteConfig,
    corpus: &content::Corpus,
    linked: &graph::Linked,
    relations: Relations,
    clock: &mut Stopwatch,
) -> Knowledge {
    let standalone: Vec<bool> = corpus
        .notes
        .iter()
        .map(|n| n.collection.is_none())
        .collect();
    let related = model::related::compute(linked, &standalone);
    clock.lap("related");
    let co_mentions = model::comentions::compute(config, corpus, linked);
    clock.lap("co-mentions");
    let order = model::collection_order(config, corpus);
    let graphs = model::graphs::compute(corpus, linked, &relations, &order);
    clock.lap("graphs");
    Knowledge {
        changes: model::changes(corpus),
        relations,
        related,
        co_mentions,
        graphs,
    }
}

/// Wall time of each stage, for `BRIEF_TIMINGS=1` and the benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Stopwatch {
    last: Option<Instant>,
    /// (stage, milliseconds).
    pub laps: Vec<(&'static str, f64)>,
    /// (stage, milliseconds) of stages run beside each other in one lap.
    pub beside: Vec<(&'static str, f64)>,
}

/// Runs `f`, and tells how many milliseconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64() * 1000.0)
}

impl Stopwatch {
    /// Starts timing.
    pub fn start() -> Self {
        Stopwatch {
            last: Some(Instant::now()),
            ..Stopwatch::default()
        }
    }

    /// Records the time since the last lap under `stage`.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last {
            self.laps.push((stage, (now - last).as_secs_f64() * 1000.0));
        }
        self.last = Some(now);
    }
}

/// A failed build's errors, with the warnings about the files they are
/// in: fixing a note, one sees all that is wrong with it at once. A
/// warning at an error's very place is left out (the error tells of it:
/// a required key written as a slip); other files' warnings wait for a
/// build that gets that far.
fn with_their_warnings(mut diags: Diagnostics, warnings: &[Diagnostic]) -> Diagnostics {
    let failed: std::collections::BTreeSet<(&std::path::Path, Location)> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.path.as_path(), d.location))
        .collect();
    if failed.is_empty() {
        return diags;
    }
    let files: std::collections::HashSet<&std::path::Path> =
        failed.iter().map(|&(path, _)| path).collect();
    let theirs: Vec<Diagnostic> = warnings
        .iter()
        .filter(|w| {
            files.contains(w.path.as_path()) && !failed.contains(&(w.path.as_path(), w.location))
        })
        .cloned()
        .collect();
    diags.extend(theirs);
    diags
}

/// Names files under the site root relative to it, as every other message
/// does (`public/companies: error: ...`); others keep their full path.
fn site_relative(root: &std::path::Path, diags: Diagnostics) -> Diagnostics {
    diags
        .sorted()
        .into_iter()
        .map(|mut d| {
            if let Ok(rel) = d.path.strip_prefix(root) {
                if !rel.as_os_str().is_empty() {
                    d.path = rel.to_path_buf();
                }
            }
            d
        })
        .collect()
}

/// Assembles the site and writes what changed to the output folder.
pub fn build(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    let start = Instant::now();
    let out = opts.output_dir();
    output::check_output_dir(&opts.root, &out)?;
    // Another build into this folder finishes first.
    let _held = output::lock_output(&out);
    let inputs = crate::stamp::inputs(opts);
    // The output folder as the last build left it, if it still is.
    let last = crate::stamp::last_intact(&out);
    if let (Some(inputs), Some((state, recorded))) = (inputs, &last) {
        if state.inputs == Some(inputs) {
            return Ok(Built {
                assembled: Assembled {
                    artifacts: Vec::new(),
                    warnings: state.warnings.clone(),
                    stats: state.stats.clone(),
                    timings: vec![("up to date", start.elapsed().as_secs_f64() * 1000.0)],
                    beside: Vec::new(),
                    page_stamps: Vec::new(),
                    doc_stamps: Vec::new(),
                    tokenised: 0,
                    leftovers: None,
                },
                commit: CommitStats {
                    unchanged: recorded.paths.len(),
                    ..CommitStats::default()
                },
                millis: start.elapsed().as_millis(),
                up_to_date: true,
            });
        }
    }
    // Pages whose fingerprint the last build recorded, the same now, are
    // kept as they are (only while its output is untouched).
    let (known, hashes, docs) = match last {
        Some((_, recorded)) => (recorded.pages, recorded.hashes, recorded.docs),
        None => Default::default(),
    };
    // Files are staged in the output folder as they are made; the commit
    // renames them into place only once the whole build has succeeded.
    let staging = Staging::new(&out).with_hashes(hashes);
    let mut assembled = assemble_with(
        opts,
        Lints::of(opts),
        None,
        Sink::Disk(&staging),
        Some(Last {
            pages: &known,
            docs: &docs,
            dir: &out,
        }),
    )?;
    drop((known, docs));
    let write = Instant::now();
    // The manifest remembers the build, so that the next one, if nothing
    // changed, can stop early, and otherwise can keep the pages whose
    // inputs are the same and compare files by hash.
    let commit = staging
        .finish_recording(|dir, paths, hashes| {
            let Some(outputs) = crate::stamp::outputs(dir, paths, |&(p, w)| (p, w)) else {
                return Vec::new();
            };
            let state = crate::stamp::State {
                inputs,
                outputs,
                stats: assembled.stats.clone(),
                warnings: assembled.warnings.clone(),
            };
            serde_json::to_string(&state)
                .map(|json| {
                    output::record_lines(
                        &json,
                        &assembled.page_stamps,
                        &assembled.doc_stamps,
                        hashes,
                    )
                })
                .unwrap_or_default()
        })
        .map_err(|d| site_relative(&opts.root, d))?;
    assembled
        .timings
        .push(("commit", write.elapsed().as_secs_f64() * 1000.0));
    Ok(Built {
        assembled,
        commit,
        millis: start.elapsed().as_millis(),
        up_to_date: false,
    })
}
