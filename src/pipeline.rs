//! The build pipeline: config, content, graph, model, render, output, each
//! stage taking the previous one's value. `assemble` does everything but
//! writing; `build` adds the commit. `check` is `assemble` alone.

use std::path::PathBuf;
use std::time::Instant;

use crate::config::{self, BaseUrl};
use crate::content::{self, Drafts};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::graph;
use crate::model::Model;
use crate::output::{self, Artifact, CommitStats};
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Notes loaded (drafts excluded unless built).
    pub notes: usize,
    /// Stub pages generated.
    pub stubs: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Notes per collection, in display order.
    pub per_collection: Vec<(String, usize)>,
}

/// A site rendered in memory, not yet written.
#[derive(Debug)]
pub struct Assembled {
    /// Every output file.
    pub artifacts: Vec<Artifact>,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// Counts.
    pub stats: BuildStats,
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
    let lints = match opts.strictness {
        Strictness::Strict => Lints::Run,
        Strictness::Lenient => Lints::Skip,
    };
    assemble_with(opts, lints)
}

/// `brief check`: every stage but the write, and the lints. Their warnings
/// fail only with `--strict`.
pub fn check(opts: &BuildOptions) -> Result<Assembled, Diagnostics> {
    assemble_with(opts, Lints::Run)
}

fn assemble_with(opts: &BuildOptions, lints: Lints) -> Result<Assembled, Diagnostics> {
    let mut config = config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| {
            Diagnostics::from_iter([Diagnostic::error("--base-url", Location::default(), m)])
        })?;
    }
    let templates = Templates::load(&opts.root, &config.theme);
    let (corpus, mut diags) = content::load(&opts.root, &config, opts.drafts);
    let urls = Urls::new(config.base_url.clone());
    // Content, link and template errors are reported together.
    let linked = graph::link(&corpus, &config, &urls);
    let templates = match templates {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d.sorted());
            None
        }
    };
    let linked = match linked {
        Ok(l) => Some(l),
        Err(d) => {
            diags.extend(d.sorted());
            None
        }
    };
    let (Some(templates), Some(linked)) = (templates, linked) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let model = Model::build(&config, &corpus, &linked, &urls);
    let pages = render::render(&model, &templates)?;
    let page_count = pages.len();
    let mut artifacts = pages;
    for (a, id) in artifacts.iter_mut().zip(0..) {
        if let Some(note) = corpus.notes.get(id) {
            a.origin = note.path.display().to_string();
        }
    }
    artifacts.extend(output::generated(&model));
    artifacts.extend(crate::search::index(&model));
    artifacts.extend(output::static_files(&opts.root, &model)?);
    let collisions = output::check_paths(&artifacts);
    if collisions.has_errors() {
        return Err(collisions);
    }
    let mut warnings = corpus.warnings.clone();
    if lints == Lints::Run {
        warnings.extend(crate::lint::lint(&opts.root, &model));
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
        per_collection: model
            .collection_order
            .iter()
            .map(|c| (c.clone(), model.members.get(c).map_or(0, Vec::len)))
            .collect(),
    };
    Ok(Assembled {
        artifacts,
        warnings,
        stats,
    })
}

/// Assembles the site and writes what changed to the output folder.
pub fn build(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    let start = Instant::now();
    let out = opts.output_dir();
    output::check_output_dir(&opts.root, &out)?;
    let assembled = assemble(opts)?;
    let commit = output::commit(&out, &assembled.artifacts)?;
    Ok(Built {
        assembled,
        commit,
        millis: start.elapsed().as_millis(),
    })
}
