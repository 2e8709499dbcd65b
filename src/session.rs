//! A build session that stays alive between rebuilds (`brief serve`): it
//! keeps the last good site in memory and, on each change, re-does only the
//! work the change touches. The result always equals a fresh full build.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use crate::diag::Diagnostics;
use crate::output::{Artifact, Source};
use crate::pipeline::{self, BuildOptions, Cache};
use crate::watch::ChangeSet;

/// What one rebuild changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rebuilt {
    /// Output paths whose bytes changed or that are new.
    pub changed: Vec<String>,
    /// Output paths no longer produced.
    pub removed: Vec<String>,
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    /// Wall time in milliseconds.
    pub millis: u128,
    /// Milliseconds per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// Applied as an edit of note bodies alone, without the full pipeline
    /// (see [`crate::incremental`]).
    pub body_edit: bool,
    /// The site's warnings, from a full rebuild (`None` after a body edit,
    /// which is taken only when the edited notes' warnings are as they
    /// were).
    pub warnings: Option<Vec<crate::diag::Diagnostic>>,
}

impl Rebuilt {
    /// Did only stylesheets change?
    pub fn only_css(&self) -> bool {
        !self.changed.is_empty()
            && self.removed.is_empty()
            && self.changed.iter().all(|p| p.ends_with(".css"))
    }
}

/// The site as built, by output path.
pub type Files = BTreeMap<String, Arc<Artifact>>;

/// A long-lived build.
pub struct Session {
    opts: BuildOptions,
    files: Arc<Files>,
    cache: Cache,
}

impl Session {
    /// A session for `opts`; nothing is built until `rebuild`.
    pub fn new(opts: BuildOptions) -> Self {
        Session {
            opts,
            files: Arc::new(Files::new()),
            cache: Cache::default(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The last good site.
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Rebuilds after `changes`; on failure the last good site stays.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> Result<Rebuilt, Diagnostics> {
        let start = Instant::now();
        if changes.config() {
            self.cache.forget_all();
        } else if changes.templates() {
            self.cache.forget_pages();
        }
        for path in changes.content() {
            self.cache.notes.invalidate(path);
        }
        if let Some(applied) = crate::incremental::apply(&self.opts, &mut self.cache, changes) {
            let files = Arc::make_mut(&mut self.files);
            let mut changed = Vec::new();
            for mut artifact in applied.artifacts {
                let old = files.get(&artifact.path);
                if old.is_some_and(|old| old.source == artifact.source) {
                    continue;
                }
                if let Some(old) = old {
                    artifact.origin.clone_from(&old.origin);
                }
                {
                    changed.push(artifact.path.clone());
                    files.insert(artifact.path.clone(), Arc::new(artifact));
                }
            }
            return Ok(Rebuilt {
                changed,
                removed: Vec::new(),
                rendered: applied.rendered,
                millis: start.elapsed().as_millis(),
                timings: applied.timings,
                body_edit: true,
                warnings: None,
            });
        }
        let assembled = pipeline::reassemble(&self.opts, &mut self.cache)?;
        let rendered = assembled.stats.rendered;
        let timings = assembled.timings.clone();
        let warnings = assembled.warnings.clone();
        let mut files = Files::new();
        let mut changed = Vec::new();
        for mut artifact in assembled.artifacts {
            // Copied files are read now, so a change to one is seen and the
            // server never touches the disk.
            if let Source::File(path) = &artifact.source {
                let bytes = std::fs::read(path)
                    .map_err(|e| Diagnostics::from_iter([artifact.unreadable(path, &e)]))?;
                artifact.source = Source::Bytes(Arc::new(bytes));
            }
            let same = self
                .files
                .get(&artifact.path)
                .is_some_and(|old| old.source == artifact.source);
            if !same {
                changed.push(artifact.path.clone());
            }
            files.insert(artifact.path.clone(), Arc::new(artifact));
        }
        let removed = self
            .files
            .keys()
            .filter(|k| !files.contains_key(*k))
            .cloned()
            .collect();
        self.files = Arc::new(files);
        Ok(Rebuilt {
            changed,
            removed,
            rendered,
            millis: start.elapsed().as_millis(),
            timings,
            body_edit: false,
            warnings: Some(warnings),
        })
    }
}
