//! Applying an edit of note bodies alone to a session's last good build,
//! without running every stage again.
//!
//! Most saves while writing change a note's prose and nothing else: the
//! same front matter, the same links, the same headings and summary. Then
//! nothing any other page shows has changed, so only the note's own page,
//! its entry in the feeds that show it and its search document (with the
//! index shards of the terms that moved) are made again. Anything else,
//! or any doubt, returns `None` and the session runs the full (cached)
//! pipeline, whose result this must always equal byte for byte.

use std::path::Path;

use crate::content;
use crate::graph;
use crate::model::{self, Model};
use crate::output::{self, Artifact};
use crate::pipeline::{BuildOptions, Cache};
use crate::render;
use crate::watch::{Change, ChangeSet};

/// What an applied edit made.
#[derive(Debug)]
pub struct Applied {
    /// The files made again (changed or not).
    pub artifacts: Vec<Artifact>,
    /// Pages rendered.
    pub rendered: usize,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, f64)>,
}

/// Applies `changes` to `cache`'s retained build if they are edits of note
/// bodies alone; `None` (with the retained build dropped, as the full
/// pipeline will make it again) for anything else.
pub fn apply(opts: &BuildOptions, cache: &mut Cache, changes: &ChangeSet) -> Option<Applied> {
    let applied = try_apply(opts, cache, changes);
    if applied.is_none() {
        cache.retained = None;
    }
    applied
}

fn try_apply(opts: &BuildOptions, cache: &mut Cache, changes: &ChangeSet) -> Option<Applied> {
    let mut clock = crate::pipeline::Stopwatch::start();
    if changes.is_empty() {
        return None;
    }
    let mut paths: Vec<&Path> = Vec::new();
    for change in &changes.changes {
        match change {
            Change::Content(path) => paths.push(path),
            _ => return None,
        }
    }
    let retained = cache.retained.as_mut()?;
    // Every changed file is a known note whose new text differs from the
    // old only in its body, links and headings included.
    let mut edits = Vec::new();
    for path in paths {
        let notes = &retained.corpus.notes;
        let id = notes
            .binary_search_by(|n| n.path.as_path().cmp(path))
            .ok()?;
        let old = &notes[id];
        let new = content::reload_note(&opts.root, &retained.config, &retained.corpus, old)?;
        if new.body == old.body {
            if new != *old {
                return None;
            }
            continue;
        }
        let mut new = new;
        new.assets.clone_from(&old.assets);
        let mut probe = new.clone();
        probe.body.clone_from(&old.body);
        probe.body_line = old.body_line;
        if probe != *old {
            return None;
        }
        let id = id as u32;
        let body =
            graph::rerender_body(&retained.corpus, &retained.urls, &retained.linked, id, &new)?;
        let parts = retained.parts.as_ref()?;
        if parts.summary(id)? != model::summary_of(&new, &body) {
            return None;
        }
        edits.push((id, new, body));
    }
    clock.lap("load+markdown");
    for (id, note, body) in edits.iter().cloned() {
        retained.corpus.notes[id as usize] = note;
        retained.linked.bodies[id as usize] = body;
    }
    let parts = retained.parts.take()?;
    let model = Model::from_parts(
        &retained.config,
        &retained.corpus,
        &retained.linked,
        &retained.urls,
        parts,
    );
    let caches = Caches {
        pages: &mut cache.pages,
        feeds: &mut cache.feeds,
        search: &mut cache.search,
    };
    let made = make(&model, &retained.templates, caches, &edits, &mut clock);
    retained.parts = Some(model.into_parts());
    let artifacts = made?;
    for (_, note, _) in &edits {
        cache.notes.invalidate(&note.path);
        cache.bodies.remove(&note.path);
    }
    Some(Applied {
        artifacts,
        rendered: edits.len(),
        timings: clock.laps,
    })
}

/// The caches an edit updates.
struct Caches<'c> {
    pages: &'c mut Option<render::PageMemo>,
    feeds: &'c mut output::FeedCache,
    search: &'c mut crate::search::SearchCache,
}

/// The pages, feeds and index files the edits change. The caches stay
/// valid whatever happens: each entry is keyed by what it was made from.
fn make(
    model: &Model<'_>,
    templates: &render::Templates,
    caches: Caches<'_>,
    edits: &[(u32, content::Note, crate::markdown::Rendered)],
    clock: &mut crate::pipeline::Stopwatch,
) -> Option<Vec<Artifact>> {
    let memo = caches.pages.as_mut()?;
    let mut artifacts = Vec::new();
    for (id, _, _) in edits {
        artifacts.push(render::render_note(model, templates, memo, *id).ok()?);
    }
    clock.lap("render");
    for (id, _, _) in edits {
        artifacts.extend(output::refeed(model, caches.feeds, *id));
    }
    clock.lap("feeds");
    for (id, _, _) in edits {
        artifacts.extend(crate::search::reindex(model, caches.search, *id)?);
    }
    clock.lap("search");
    Some(artifacts)
}
