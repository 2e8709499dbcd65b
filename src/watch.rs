//! Watching the site for changes: notify with a debouncer, and the pure
//! function that sorts a changed path into the kind of rebuild it needs.
//!
//! Owns notify. It watches `content/`, `templates/`, the active theme,
//! `static/` and `site.yaml`, never the output folder, and ignores the
//! files editors leave behind (swap files, backups, `4913`, lock files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::content::walk::{is_ignored_name, is_ignored_static_name};

/// What one changed path asks for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A file under `content/` (note, intro or bundle asset), relative to the root.
    Content(PathBuf),
    /// A template of the theme or the site.
    Template,
    /// A static file (theme or site), relative to the root.
    Static(PathBuf),
    /// `site.yaml`.
    Config,
}

/// The changes of one debounced burst, deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Sorted changes.
    pub changes: BTreeSet<Change>,
}

impl ChangeSet {
    /// Nothing to do?
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Is `site.yaml` among the changes?
    pub fn config(&self) -> bool {
        self.changes.contains(&Change::Config)
    }

    /// Did any template change?
    pub fn templates(&self) -> bool {
        self.changes.contains(&Change::Template)
    }

    /// Changed content files, relative to the root.
    pub fn content(&self) -> impl Iterator<Item = &Path> {
        self.changes.iter().filter_map(|c| match c {
            Change::Content(p) => Some(p.as_path()),
            _ => None,
        })
    }

    /// Are all changes static files?
    pub fn only_static(&self) -> bool {
        !self.is_empty() && self.changes.iter().all(|c| matches!(c, Change::Static(_)))
    }

    /// One line for the terminal: `content/a.md, site.yaml`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self
            .changes
            .iter()
            .map(|c| match c {
                Change::Content(p) | Change::Static(p) => p.display().to_string(),
                Change::Template => "templates".to_string(),
                Change::Config => crate::config::CONFIG_FILE.to_string(),
            })
            .collect();
        parts.join(", ")
    }
}

/// The folders of a site that `classify` needs to know.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The site root (absolute).
    pub root: PathBuf,
    /// The active theme's name.
    pub theme: String,
    /// The output folder (absolute), never watched.
    pub output: PathBuf,
}

/// Sorts an absolute changed path into a change, or `None` to ignore it.
pub fn classify(layout: &Layout, path: &Path) -> Option<Change> {
    if path.starts_with(&layout.output) {
        return None;
    }
    let rel = path.strip_prefix(&layout.root).ok()?;
    let names: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // `static/` publishes hidden files (`.well-known/`) too.
    let in_static = match names.as_slice() {
        [first, ..] if first == "static" => true,
        [themes, theme, dir, ..] => themes == "themes" && *theme == layout.theme && dir == "static",
        _ => false,
    };
    let ignored = if in_static {
        is_ignored_static_name
    } else {
        is_ignored_name
    };
    if names.iter().any(|n| ignored(n)) {
        return None;
    }
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    match first.as_str() {
        "site.yaml" => Some(Change::Config),
        "content" => Some(Change::Content(rel.to_path_buf())),
        "templates" => Some(Change::Template),
        "static" => Some(Change::Static(rel.to_path_buf())),
        "themes" => {
            if parts.next()? != layout.theme {
                return None;
            }
            // The theme's folder itself, moved away or back: everything
            // it holds is read again.
            let Some(inside) = parts.next() else {
                return Some(Change::Template);
            };
            match inside.as_str() {
                "templates" => Some(Change::Template),
                "static" => Some(Change::Static(rel.to_path_buf())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Does this kind of event change a file's content or presence? Reads
/// (our own rebuilds read every file) and metadata-only changes do not.
fn matters(kind: &notify::EventKind) -> bool {
    use notify::event::{EventKind, ModifyKind};
    match kind {
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
    }
}

/// Does this kind of event make a path appear (made, or renamed into
/// place)?
fn appears(kind: &notify::EventKind) -> bool {
    use notify::event::{EventKind, ModifyKind};
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_)) | EventKind::Any
    )
}

type Debounced = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Arc<OnceLock<Mutex<Debounced>>>,
    layout: Arc<Mutex<Layout>>,
}

impl Watcher {
    /// Follows a `theme:` changed in `site.yaml`: the new theme's
    /// templates and static files are watched from now on, and the old
    /// one's changes ignored. Returns whether the theme changed.
    pub fn set_theme(&self, theme: &str) -> bool {
        let Ok(mut layout) = self.layout.lock() else {
            return false;
        };
        if layout.theme == theme {
            return false;
        }
        layout.theme = theme.to_string();
        if let Some(Ok(mut debouncer)) = self.debouncer.get().map(Mutex::lock) {
            let _ = watch_folders(&mut debouncer, &layout);
        }
        true
    }
}

/// Is `path` one of the folders watched by [`watch_folders`]? Such a folder
/// made while serving (`templates/` in a site that had none) must be
/// watched from then on.
fn is_site_folder(layout: &Layout, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(&layout.root) else {
        return false;
    };
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str()).collect();
    match parts[..] {
        [one] => ["content", "templates", "static", "themes"]
            .iter()
            .any(|name| one == *name),
        [themes, theme] => themes == "themes" && theme == layout.theme.as_str(),
        _ => false,
    }
}

/// Watches each of the site's folders that exists; watching one already
/// watched again is harmless.
fn watch_folders(debouncer: &mut Debounced, layout: &Layout) -> notify::Result<()> {
    for dir in ["content", "templates", "static"] {
        let path = layout.root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let themes = layout.root.join("themes");
    let theme = themes.join(&layout.theme);
    if themes.is_dir() {
        // Not recursively: to see the theme's folder go and come back.
        debouncer.watch(&themes, RecursiveMode::NonRecursive)?;
    }
    if theme.is_dir() {
        debouncer.watch(&theme, RecursiveMode::Recursive)?;
    }
    Ok(())
}

/// Watches the site and sends one `ChangeSet` per debounced burst.
pub fn watch(layout: Layout, delay: Duration, tx: Sender<ChangeSet>) -> notify::Result<Watcher> {
    let shared = Arc::new(Mutex::new(layout.clone()));
    let handler_shared = Arc::clone(&shared);
    let cell: Arc<OnceLock<Mutex<Debounced>>> = Arc::default();
    let handler_cell = Arc::downgrade(&cell);
    let debouncer = new_debouncer(delay, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // The theme may have changed since the last burst.
        let Ok(handler_layout) = handler_shared.lock().map(|l| l.clone()) else {
            return;
        };
        let mut set = ChangeSet::default();
        let mut new_folder = false;
        for event in events {
            if !matters(&event.kind) {
                continue;
            }
            for path in &event.paths {
                if let Some(change) = classify(&handler_layout, path) {
                    set.changes.insert(change);
                }
                new_folder |=
                    appears(&event.kind) && is_site_folder(&handler_layout, path) && path.is_dir();
            }
        }
        if new_folder {
            if let Some(cell) = handler_cell.upgrade() {
                if let Some(Ok(mut debouncer)) = cell.get().map(Mutex::lock) {
                    let _ = watch_folders(&mut debouncer, &handler_layout);
                }
            }
            // What the folder brought before it was watched: templates and
            // static files are read again by a whole rebuild.
            set.changes.insert(Change::Template);
        }
        if !set.is_empty() {
            let _ = tx.send(set);
        }
    })?;
    let debouncer = cell.get_or_init(|| Mutex::new(debouncer));
    if let Ok(mut debouncer) = debouncer.lock() {
        // The root itself, not recursively: site.yaml and folders appearing.
        debouncer.watch(&layout.root, RecursiveMode::NonRecursive)?;
        watch_folders(&mut debouncer, &layout)?;
    }
    Ok(Watcher {
        debouncer: cell,
        layout: shared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/site"),
            theme: "default".into(),
            output: PathBuf::from("/site/public"),
        }
    }

    #[test]
    fn paths_sort_into_changes() {
        let l = layout();
        let c = |p: &str| classify(&l, Path::new(p));
        assert_eq!(c("/site/site.yaml"), Some(Change::Config));
        assert_eq!(
            c("/site/content/companies/alibaba.md"),
            Some(Change::Content(PathBuf::from(
                "content/companies/alibaba.md"
            )))
        );
        assert_eq!(c("/site/templates/note.html"), Some(Change::Template));
        assert_eq!(
            c("/site/themes/default/templates/base.html"),
            Some(Change::Template)
        );
        assert_eq!(
            c("/site/themes/default/static/style.css"),
            Some(Change::Static(PathBuf::from(
                "themes/default/static/style.css"
            )))
        );
        assert_eq!(c("/site/themes/default"), Some(Change::Template));
        assert_eq!(c("/site/themes/other"), None);
        assert_eq!(
            c("/site/static/logo.png"),
            Some(Change::Static(PathBuf::from("static/logo.png")))
        );
    }

    #[test]
    fn editor_files_other_themes_and_output_are_ignored() {
        let l = layout();
        for p in [
            "/site/content/.alibaba.md.swp",
            "/site/content/alibaba.md~",
            "/site/content/4913",
            "/site/content/.#alibaba.md",
            "/site/public/index.html",
            "/site/themes/other/templates/base.html",
            "/site/README.md",
            "/elsewhere/x.md",
            "/site/content/.git/HEAD",
            "/site/static/.git/HEAD",
            "/site/static/.#logo.png",
            "/site/static/logo.png~",
        ] {
            assert_eq!(classify(&l, Path::new(p)), None, "{p}");
        }
    }

    #[test]
    fn hidden_static_files_are_published_so_watched() {
        let l = layout();
        for p in [
            "/site/static/.well-known/security.txt",
            "/site/static/.nojekyll",
        ] {
            assert!(
                matches!(classify(&l, Path::new(p)), Some(Change::Static(_))),
                "{p}"
            );
        }
    }
}
