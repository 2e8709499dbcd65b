//! `brief new`: writes one note with front matter prefilled for its
//! collection, never over an existing file.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::io_error;
use crate::config::{self, CollectionConfig};
use crate::content::{self, Date};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Location};

/// A request for a new note.
#[derive(Debug, Clone)]
pub struct NewNote<'a> {
    /// The site root (holds `site.yaml`).
    pub root: &'a Path,
    /// The collection: a folder under `content/` or one named in `site.yaml`.
    pub collection: &'a str,
    /// The note's title; the file name is its slug.
    pub title: &'a str,
    /// Today's date, for dated collections.
    pub today: Date,
}

/// The note `new_note` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Relative to the site root: `content/stories/my-title.md`.
    pub path: PathBuf,
}

fn error(path: impl Into<PathBuf>, message: String, hint: String) -> Diagnostics {
    Diagnostics::from_iter([Diagnostic::error(path, Location::default(), message).with_hint(hint)])
}

/// The site's collections: folders under `content/` and those in `site.yaml`.
fn collections(root: &Path, config: &config::SiteConfig) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = content::walk::walk(root).collections.into_iter().collect();
    names.extend(config.collections.iter().map(|(n, _)| n.clone()));
    names
}

fn unknown_collection(wanted: &str, known: &BTreeSet<String>) -> Diagnostics {
    let list: Vec<String> = known.iter().map(|n| format!("`{n}`")).collect();
    let message = if known.is_empty() {
        format!("unknown collection `{wanted}`: this site has no collections yet")
    } else {
        format!(
            "unknown collection `{wanted}`: the collections are {}",
            crate::diag::and_list(&list)
        )
    };
    let mut d = Diagnostic::error(Path::new("content"), Location::default(), message);
    if let Some(hint) = did_you_mean(wanted, known.iter().map(String::as_str)) {
        d = d.with_hint(hint);
    }
    let folder_ok = !wanted.is_empty() && content::slugify(wanted) == wanted;
    if folder_ok {
        d = d.with_hint(format!(
            "to start a new collection, create the folder content/{wanted}/"
        ));
    }
    Diagnostics::from_iter([d])
}

/// Writes `content/<collection>/<slug>.md` under the request's root.
///
/// Refuses, writing nothing, when the collection is unknown, the title gives
/// an empty slug, or a note of that slug already exists there.
pub fn new_note(req: &NewNote<'_>) -> Result<Created, Diagnostics> {
    let config = config::load(req.root)?;
    let known = collections(req.root, &config);
    if !known.contains(req.collection) {
        return Err(unknown_collection(req.collection, &known));
    }
    let title = req.title.trim();
    let slug = shortened(content::slugify(title));
    if slug.is_empty() {
        return Err(error(
            Path::new("content").join(req.collection),
            format!("the title \"{title}\" gives an empty file name"),
            "use letters or digits in the title".to_string(),
        ));
    }
    let folder = Path::new("content").join(req.collection);
    let path = folder.join(format!("{slug}.md"));
    let bundle = folder.join(&slug).join("index.md");
    for existing in [&path, &bundle] {
        if req.root.join(existing).exists() {
            return Err(error(
                existing.clone(),
                "a note with this name already exists; nothing was written".to_string(),
                "choose another title, or edit the existing note".to_string(),
            ));
        }
    }
    if let Some((existing, how)) = named_already(req.root, &config, title) {
        return Err(error(
            existing,
            format!("a note is already named \"{title}\" (its {how}); nothing was written"),
            "links by this name would lead to the new note instead, or to neither: \
             choose another title, or edit the existing note"
                .to_string(),
        ));
    }
    let cfg = config.collection(req.collection);
    let text = front_matter(title, req.collection, &cfg, &known, req.today);
    write_new(req.root, &path, &text)?;
    Ok(Created { path })
}

/// The note (any collection, drafts too) whose title or an alias is
/// `title`, as a wikilink would match it, and which of the two it is.
fn named_already(
    root: &Path,
    config: &config::SiteConfig,
    title: &str,
) -> Option<(PathBuf, &'static str)> {
    let wanted = title.to_lowercase();
    let (corpus, _) = content::load(root, config, content::Drafts::Include);
    corpus.notes.into_iter().find_map(|note| {
        if note.title.trim().to_lowercase() == wanted {
            Some((note.path, "title"))
        } else if note
            .aliases
            .iter()
            .any(|a| a.trim().to_lowercase() == wanted)
        {
            Some((note.path, "alias"))
        } else {
            None
        }
    })
}

/// `slug` cut to the longest a build accepts ([`content::MAX_SLUG_BYTES`]),
/// after a whole word where one ends in the second half.
fn shortened(slug: String) -> String {
    let max = content::MAX_SLUG_BYTES;
    if slug.len() <= max {
        return slug;
    }
    // Slugs are ASCII: any byte is a character boundary.
    let cut = &slug[..max];
    let cut = match cut.rfind('-') {
        Some(at) if slug.as_bytes()[max] != b'-' && at > max / 2 => &cut[..at],
        _ => cut,
    };
    cut.trim_end_matches('-').to_string()
}

/// Creates the file, failing if it appeared in the meantime.
fn write_new(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostics> {
    let abs = root.join(rel);
    let fail = |what: &str, e: std::io::Error| Diagnostics::from_iter([io_error(rel, what, &e)]);
    if let Some(parent) = abs.parent() {
        std::fs::create_dir_all(parent).map_err(|e| fail("create the folder", e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&abs)
        .map_err(|e| fail("create", e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| fail("write", e))
}

/// Writes `text` as a YAML scalar: plain when that reads back the same,
/// double-quoted otherwise.
fn yaml_string(text: &str) -> String {
    const KEYWORDS: [&str; 11] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "",
    ];
    let plain = text.chars().next().is_some_and(char::is_alphabetic)
        && !KEYWORDS.contains(&text.to_lowercase().as_str())
        && text == text.trim()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || " -_.,()'&".contains(c));
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
    }
}

/// The value a required key starts with: empty, of the type brief expects.
fn empty_value(key: &str, known: &BTreeSet<String>, today: Date) -> String {
    match key {
        "date" | "updated" => today.ymd(),
        "summary" => "\"\"".to_string(),
        "draft" | "autolink" => "false".to_string(),
        "aliases" => "[]".to_string(),
        _ if known.contains(key) => "[]".to_string(),
        _ => String::new(),
    }
}

/// The text of a new note: front matter prefilled for `collection`, and an
/// empty body.
///
/// A dated collection gets `date: <today>`; every key that `site.yaml`
/// requires appears with an empty value and a `# required` comment; every
/// other collection appears as an empty reference list.
pub fn front_matter(
    title: &str,
    collection: &str,
    cfg: &CollectionConfig,
    known: &BTreeSet<String>,
    today: Date,
) -> String {
    let mut lines = vec!["---".to_string(), format!("title: {}", yaml_string(title))];
    let mut done: BTreeSet<&str> = ["title", "slug"].into();
    if cfg.dated {
        lines.push(format!("date: {}", today.ymd()));
        done.insert("date");
    }
    for key in &cfg.required {
        if done.insert(key) {
            let value = empty_value(key, known, today);
            let sep = if value.is_empty() { "" } else { " " };
            lines.push(format!("{key}:{sep}{value}  # required"));
        }
    }
    if !done.contains("summary") {
        lines.push("# summary: One line for lists, feeds and search results.".into());
    }
    if !done.contains("aliases") {
        lines.push("# aliases: [Another name, An abbreviation]".into());
    }
    for other in known {
        if other != collection && !done.contains(other.as_str()) {
            lines.push(format!("{other}: []"));
        }
    }
    lines.push("# draft: true  # built only with --drafts".into());
    lines.push("---".into());
    lines.push(String::new());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2024-06-01").unwrap()
    }

    fn known() -> BTreeSet<String> {
        ["companies", "people", "stories"].map(String::from).into()
    }

    #[test]
    fn dated_collections_get_today() {
        let mut cfg = CollectionConfig::default_for("stories");
        cfg.dated = true;
        let text = front_matter("A story", "stories", &cfg, &known(), today());
        assert!(
            text.starts_with("---\ntitle: A story\ndate: 2024-06-01\n"),
            "{text}"
        );
        assert!(text.contains("\ncompanies: []\npeople: []\n"), "{text}");
        assert!(!text.contains("stories: []"), "{text}");
    }

    #[test]
    fn required_keys_are_empty_and_marked() {
        let mut cfg = CollectionConfig::default_for("companies");
        cfg.required = vec!["summary".into(), "people".into(), "founded".into()];
        let text = front_matter("Tencent", "companies", &cfg, &known(), today());
        assert!(text.contains("\nsummary: \"\"  # required\n"), "{text}");
        assert!(text.contains("\npeople: []  # required\n"), "{text}");
        assert!(text.contains("\nfounded:  # required\n"), "{text}");
        assert!(!text.contains("# summary:"), "{text}");
        assert_eq!(text.matches("people:").count(), 1, "{text}");
    }

    #[test]
    fn titles_are_quoted_when_yaml_needs_it() {
        assert_eq!(yaml_string("NetEase"), "NetEase");
        assert_eq!(yaml_string("Yes"), "\"Yes\"");
        assert_eq!(yaml_string("AI: the race"), "\"AI: the race\"");
        assert_eq!(yaml_string("\"Quoted\""), "\"\\\"Quoted\\\"\"");
        assert_eq!(yaml_string("2024"), "\"2024\"");
        assert_eq!(yaml_string("阿里巴巴"), "阿里巴巴");
    }

    #[test]
    fn every_front_matter_reads_back() {
        use crate::content::frontmatter;
        let mut cfg = CollectionConfig::default_for("stories");
        cfg.dated = true;
        cfg.required = vec!["summary".into(), "companies".into(), "source".into()];
        for title in [
            "NetEase",
            "AI: the race",
            "No",
            "#1 story",
            "\"Quoted\" 'both'",
            "- dash",
            "阿里巴巴 @ 2024",
        ] {
            let text = front_matter(title, "stories", &cfg, &known(), today());
            let split = frontmatter::split(&text).unwrap();
            let fm = frontmatter::parse(&text, &split, &known()).unwrap();
            assert_eq!(fm.title.as_deref(), Some(title), "{text}");
            assert_eq!(fm.date, Some(today()));
            assert!(fm.keys.contains("source"), "{text}");
        }
    }
}
