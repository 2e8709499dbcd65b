//! Diagnostics: located errors and warnings that every stage reports.
//!
//! A stage never stops at its first problem: it collects `Diagnostic`s and the
//! caller decides. This module owns how a diagnostic reads
//! (`path:line:col: error: message` then `= hint:` lines); it must not print
//! anything itself, which is the job of `cli`.

use std::fmt;
use std::path::{Path, PathBuf};

/// At most this many problems of one kind are reported per file; the last
/// one shown says how many more there are. Keeps a pathological file (a
/// million broken links) from flooding the terminal or costing a hint each.
pub const MAX_PER_FILE: usize = 100;

/// The hint that closes a capped list of problems.
pub fn more_not_shown(count: usize) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} more problem{plural} like this in this file not shown")
}

/// `text` for a message: whole if it is short, else its first 40
/// characters and `…`.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// One file's problems as diagnostics (`make` turns each into one): at
/// most [`MAX_PER_FILE`], the last shown saying how many more there are.
pub fn capped<T>(problems: Vec<T>, make: impl FnMut(T) -> Diagnostic) -> Vec<Diagnostic> {
    let total = problems.len();
    let mut out: Vec<Diagnostic> = problems.into_iter().take(MAX_PER_FILE).map(make).collect();
    if let Some(last) = out.last_mut().filter(|_| total > MAX_PER_FILE) {
        last.hide_more(total - MAX_PER_FILE);
    }
    out
}

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build fails.
    Error,
    /// Reported; the build fails only with `--strict`.
    Warning,
}

/// A one-based line and column inside a file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Location {
    /// One-based line; zero when the problem concerns the whole file.
    pub line: usize,
    /// One-based column (in characters).
    pub col: usize,
}

impl Location {
    /// A location at `line`, `col`.
    pub fn new(line: usize, col: usize) -> Self {
        Location { line, col }
    }

    /// The location of byte `offset` in `text`, counted in characters.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { line, col }
    }
}

/// Turns byte offsets of one text into locations without rescanning the
/// text each time: lines are found by binary search, and columns are counted
/// from the previous answer when offsets arrive in increasing order (as
/// problems in a file do). Keeps many problems in a huge file linear.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    /// The last answer: byte offset, line index, column.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> Locator<'t> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Locator {
            text,
            line_starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// The location of byte `offset`, counted in characters.
    pub fn locate(&self, offset: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_col) = self.last.get();
        let (from, col) = if last_line == line && last_offset <= offset {
            (last_offset, last_col)
        } else {
            (self.line_starts[line], 1)
        };
        let col = col + self.text[from..offset].chars().count();
        self.last.set((offset, line, col));
        Location::new(line + 1, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem found in the site, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Where in the file; line 0 means the whole file.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Suggestions such as `did you mean "netease"?`.
    pub hints: Vec<String>,
    /// Problems like this one in the same file that are not shown (see
    /// [`MAX_PER_FILE`]): counted in the total all the same.
    #[serde(default)]
    pub hidden: usize,
}

impl Diagnostic {
    /// An error at `path:location`.
    pub fn error(path: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            location,
            message: message.into(),
            hints: Vec::new(),
            hidden: 0,
        }
    }

    /// A warning at `path:location`.
    pub fn warning(
        path: impl Into<PathBuf>,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, location, message)
        }
    }

    /// Says that `count` more problems like this one are not shown.
    pub fn hide_more(&mut self, count: usize) {
        self.hints.push(more_not_shown(count));
        self.hidden += count;
    }

    /// Adds a hint line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Is this an error?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, Location, Severity, &str) {
        (&self.path, self.location, self.severity, &self.message)
    }
}

/// `path` with `/` between its parts, as messages and output paths write
/// it. Only the platform's separators separate: on Unix a `\` is part of a
/// name, not a separator (`a\b.png` is one file, not `a/b.png`).
pub fn slashed(path: &Path) -> String {
    use std::path::Component;
    let mut out = String::new();
    for part in path.components() {
        match part {
            Component::Prefix(p) => out.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => out.push('/'),
            other => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    out
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = slashed(&self.path);
        if self.location.line == 0 {
            write!(f, "{path}: {kind}: {}", self.message)?;
        } else {
            write!(
                f,
                "{path}:{}:{}: {kind}: {}",
                self.location.line, self.location.col, self.message
            )?;
        }
        for hint in &self.hints {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of a run, kept sorted by path, line and column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many diagnostics.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Any errors?
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// No diagnostics at all?
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Turns every warning into an error (`--strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// The diagnostics sorted by path, line, column; duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Up to three names closest to `wanted`, best first, for a did-you-mean hint.
pub fn closest<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(u32, &str)> = names
        .into_iter()
        .filter_map(|name| {
            // A name less than half as long as the one wanted shares too
            // little of it to be what was meant (`next` for
            // `nonexistent`), however alike their first letters.
            // A name the wanted text starts with is still offered
            // (`tencent` for `tencent-holdings`).
            if name.chars().count() * 2 < wanted.chars().count()
                && !wanted.starts_with(&name.to_lowercase())
            {
                return None;
            }
            let score = strsim::jaro_winkler(&wanted, &name.to_lowercase());
            (score > 0.75).then_some(((score * 1_000_000.0) as u32, name))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut seen = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|(_, n)| seen.insert(n.to_lowercase()))
        .take(3)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// A did-you-mean hint from candidate names, if any are close.
pub fn did_you_mean<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggest(&closest(wanted, names))
}

/// A did-you-mean hint offering `names`, if there are any.
pub fn suggest(names: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    Some(format!("did you mean {}?", quoted.join(" or ")))
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => "none".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_with_slashes_and_only_separators_separate() {
        assert_eq!(
            slashed(Path::new("content/people/b/index.md")),
            "content/people/b/index.md"
        );
        assert_eq!(slashed(Path::new("/tmp/site/static")), "/tmp/site/static");
        #[cfg(unix)]
        assert_eq!(
            slashed(Path::new("content/people/b/a\\b.png")),
            "content/people/b/a\\b.png"
        );
        #[cfg(windows)]
        assert_eq!(
            slashed(Path::new("content\\people\\b.md")),
            "content/people/b.md"
        );
    }

    #[test]
    fn lists_read_like_prose() {
        let items = ["a", "b", "c"].map(String::from);
        assert_eq!(and_list(&items), "a, b and c");
        assert_eq!(and_list(&items[..1]), "a");
    }

    #[test]
    fn location_counts_lines_and_chars() {
        let text = "ab\nc阿d\n";
        assert_eq!(Location::of_offset(text, 0), Location::new(1, 1));
        assert_eq!(Location::of_offset(text, 3), Location::new(2, 1));
        // byte 7 is 'd' after a three-byte character
        assert_eq!(Location::of_offset(text, 7), Location::new(2, 3));
    }

    #[test]
    fn locator_agrees_with_of_offset_in_any_order() {
        let text = "ab\nc阿d\n\nxyz";
        let locator = Locator::new(text);
        for offset in (0..=text.len() + 2).chain((0..text.len()).rev()) {
            assert_eq!(
                locator.locate(offset),
                Location::of_offset(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn display_reads_like_a_compiler() {
        let d = Diagnostic::error("content/a.md", Location::new(3, 7), "unknown reference")
            .with_hint("did you mean \"netease\"?");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: unknown reference\n  = hint: did you mean \"netease\"?"
        );
    }

    #[test]
    fn closest_prefers_similar_names() {
        let names = ["netease", "alibaba", "tencent"];
        assert_eq!(closest("netase", names), vec!["netease".to_string()]);
    }

    #[test]
    fn closest_passes_over_names_less_than_half_as_long() {
        let names = ["next", "note"];
        assert!(closest("nonexistent", names).is_empty());
        assert_eq!(closest("nxet", names), vec!["next".to_string()]);
        assert_eq!(
            closest("netease group", ["netease"]),
            vec!["netease".to_string()]
        );
        assert_eq!(
            closest("tencent-holdings", ["tencent"]),
            vec!["tencent".to_string()]
        );
    }
}
