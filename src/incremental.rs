//! Applying an edit of note bodies (and summaries) alone to a session's
//! last good build, without running every stage again.
//!
//! Most saves while writing change a note's prose and nothing else: the
//! same front matter, the same links, the same headings. Then only the
//! note's own page, its entry in the feeds that show it and its search
//! document (with the index shards of the terms that moved) are made
//! again. If its summary changed too (its `summary:` line, or the first
//! paragraph it defaults to), so did its link view: the pages recorded as
//! showing it are rendered again, and the data export is remade. Anything
//! else, or any doubt, returns `None` and the session runs the full
//! (cached) pipeline, whose result this must always equal byte for byte.

use std::path::Path;

use crate::content::{self, Note};
use crate::graph;
use crate::markdown::Rendered;
use crate::model::{self, Model};
use crate::output::{self, Artifact};
use crate::pipeline::{BuildOptions, Cache, Stopwatch};
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

/// One note's edit: its id, the note as re-read, its new body, and its new
/// summary if that changed.
struct Edit {
    id: u32,
    note: Note,
    body: Rendered,
    summary: Option<String>,
}

/// Applies `changes` to `cache`'s retained build if they are edits of note
/// bodies and summaries alone; `None` (with the retained build dropped, as
/// the full pipeline will make it again) for anything else.
pub fn apply(opts: &BuildOptions, cache: &mut Cache, changes: &ChangeSet) -> Option<Applied> {
    let applied = try_apply(opts, cache, changes);
    if applied.is_none() {
        cache.retained = None;
    }
    applied
}

fn try_apply(opts: &BuildOptions, cache: &mut Cache, changes: &ChangeSet) -> Option<Applied> {
    let mut clock = Stopwatch::start();
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
    let mut edits = Vec::new();
    for path in paths {
        let notes = &retained.corpus.notes;
        let id = notes
            .binary_search_by(|n| n.path.as_path().cmp(path))
            .ok()?;
        let old = &notes[id];
        let (mut new, warnings) =
            content::reload_note(&opts.root, &retained.config, &retained.corpus, old)?;
        // Its warnings as before: new or mended ones (an empty list item
        // added, which leaves the note as it was) are told by a full
        // rebuild.
        let before = retained
            .corpus
            .warnings
            .iter()
            .filter(|w| w.path == old.path);
        if !warnings.iter().eq(before) {
            return None;
        }
        // Every changed file is a known note whose new text differs from
        // the old only in its body and summary.
        new.assets.clone_from(&old.assets);
        let mut probe = new.clone();
        probe.body.clone_from(&old.body);
        probe.body_line = old.body_line;
        probe.summary.clone_from(&old.summary);
        if probe != *old {
            return None;
        }
        if new == *old {
            continue;
        }
        let id = id as u32;
        let linked = &retained.linked;
        let body = if new.body == old.body {
            linked.bodies.get(id as usize)?.clone()
        } else {
            // The same links, headings and link questions, or `None`.
            graph::rerender_body(&retained.corpus, &retained.urls, linked, id, &new)?
        };
        let summary = model::summary_of(&new, &body);
        let written = new.summary.is_some() == old.summary.is_some();
        let summary = if written && retained.parts.as_ref()?.summary(id)? == summary {
            None
        } else if new.collection.is_none() {
            // A standalone page's link view is on every page.
            return None;
        } else {
            Some(summary)
        };
        edits.push(Edit {
            id,
            note: new,
            body,
            summary,
        });
    }
    clock.lap("load+markdown");
    let mut parts = retained.parts.take()?;
    for edit in &edits {
        let i = edit.id as usize;
        retained.corpus.notes[i] = edit.note.clone();
        retained.linked.bodies[i] = edit.body.clone();
        if let Some(summary) = &edit.summary {
            parts.set_summary(edit.id, summary.clone(), edit.note.summary.is_some());
        }
    }
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
        api: &mut cache.api,
    };
    let made = make(&model, &retained.templates, caches, &edits, &mut clock);
    retained.parts = Some(model.into_parts());
    let (artifacts, rendered) = made?;
    for edit in &edits {
        cache.notes.invalidate(&edit.note.path);
        cache.bodies.remove(&edit.note.path);
    }
    Some(Applied {
        artifacts,
        rendered,
        timings: clock.laps,
    })
}

/// The caches an edit updates.
struct Caches<'c> {
    pages: &'c mut Option<render::PageMemo>,
    feeds: &'c mut output::FeedCache,
    search: &'c mut crate::search::SearchCache,
    api: &'c mut output::ApiCache,
}

/// The pages, feeds, index and export files the edits change, and how
/// many pages were rendered. The caches stay valid whatever happens: each
/// entry is keyed by what it was made from.
fn make(
    model: &Model<'_>,
    templates: &render::Templates,
    caches: Caches<'_>,
    edits: &[Edit],
    clock: &mut Stopwatch,
) -> Option<(Vec<Artifact>, usize)> {
    let memo = caches.pages.as_mut()?;
    let mut files: Vec<String> = Vec::new();
    for edit in edits {
        files.push(render::note_file(model, edit.id));
        if edit.summary.is_some() {
            files.extend(memo.readers(edit.id).iter().cloned());
        }
    }
    files.sort();
    files.dedup();
    let mut artifacts = render::render_pages(model, templates, memo, &files).ok()?;
    let rendered = artifacts.len();
    clock.lap("render");
    for edit in edits {
        artifacts.extend(output::refeed(model, caches.feeds, edit.id));
    }
    clock.lap("feeds");
    for edit in edits {
        artifacts.extend(crate::search::reindex(model, caches.search, edit.id)?);
    }
    clock.lap("search");
    let summarised: Vec<u32> = edits
        .iter()
        .filter(|e| e.summary.is_some())
        .map(|e| e.id)
        .collect();
    if !summarised.is_empty() {
        // The export lists every note's summary.
        artifacts.push(output::renote(model, caches.api, &summarised)?);
        clock.lap("api");
    }
    Some((artifacts, rendered))
}
