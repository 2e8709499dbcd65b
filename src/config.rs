//! Site configuration: `site.yaml` parsed into a validated `SiteConfig`.
//!
//! The raw serde structs reject unknown keys and are converted field by field
//! into validated types, so a new field cannot be forgotten. Runtime choices
//! (drafts, output folder, base_url override) live in `BuildOptions`, not here.
//! This module reads only `site.yaml`; it knows nothing of notes.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics, Location};

/// The configuration file's name, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// A validated base URL: scheme and host, plus a path prefix ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    path: String,
}

impl BaseUrl {
    /// Parses `https://host[:port][/prefix/]`.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| text.strip_prefix("http://").map(|r| ("http://", r)));
        let Some((scheme, rest)) = rest else {
            return Err(format!(
                "base_url \"{text}\" must start with http:// or https://"
            ));
        };
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.contains('@') {
            return Err(format!(
                "base_url \"{text}\" holds a user name or password; a public address has none"
            ));
        }
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || "?#\\".contains(c)) {
            return Err(format!("base_url \"{text}\" has no valid host"));
        }
        // The same checks as the lint's for links: ports, `..` in hosts,
        // IPv6 brackets; a host of one name (`intranet`, `h`) is fine here.
        let problem = crate::lint::urls::problem(&format!("{scheme}{host}/"))
            .filter(|p| !p.contains("has no domain"));
        if let Some(problem) = problem {
            return Err(format!("base_url \"{text}\" is malformed: {problem}"));
        }
        if path.split('/').any(|part| part == ".." || part == ".") {
            return Err(format!(
                "base_url \"{text}\" has `.` or `..` in its path; write the path it leads to"
            ));
        }
        if path.contains(|c: char| c.is_whitespace() || "?#\\".contains(c)) {
            return Err(format!(
                "base_url \"{text}\" has a path with spaces, a query or a fragment"
            ));
        }
        let bytes = rest.as_bytes();
        let bad_escape = memchr::memchr_iter(b'%', bytes).any(|i| {
            bytes
                .get(i + 1..i + 3)
                .is_none_or(|h| !h.iter().all(u8::is_ascii_hexdigit))
        });
        if bad_escape {
            return Err(format!(
                "base_url \"{text}\" has a `%` that is not followed by two hex digits; \
                 a percent sign itself is written %25"
            ));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        // `https://host//` (a host's address with `/` added by a deploy
        // recipe) is `https://host/`: a path starting `//` would make
        // every root-relative link name another host.
        while path.contains("//") {
            path = path.replace("//", "/");
        }
        Ok(BaseUrl {
            origin: format!("{scheme}{host}"),
            path,
        })
    }

    /// `https://host`, without a trailing slash.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The path prefix: `/` or `/briefing/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full base URL, ending in `/`.
    pub fn full(&self) -> String {
        format!("{}{}", self.origin, self.path)
    }
}

/// How one collection behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionConfig {
    /// Shown as the list page's heading.
    pub title: String,
    /// Notes need `date`; sorted newest first; in feeds and the timeline.
    pub dated: bool,
    /// Notes per list page; 0 puts every note on one page.
    pub per_page: usize,
    /// Front-matter keys every note of the collection must have.
    pub required: Vec<String>,
    /// A reference to a missing note creates a generated stub page.
    pub stubs: bool,
    /// The order of the list pages and of `previous` and `next`.
    pub sort_by: SortBy,
}

/// How a collection's list orders its notes (`sort_by:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Newest first, then notes without a date; ties by title. For a
    /// collection without dates, by title.
    #[default]
    Date,
    /// By title, as a reader looks one up: case and accents folded,
    /// numbers by value (see `model::TitleKey`).
    Title,
    /// By `weight`, lightest first; notes without one after them, by date.
    Weight,
}

/// Read from its name alone, so that any other value is told with the
/// names it could be (serde's enum reader would expect a tagged value).
impl<'de> Deserialize<'de> for SortBy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = SortBy;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("one of `date`, `title`, `weight`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SortBy, E> {
                SortBy::ALL
                    .into_iter()
                    .find(|s| s.name() == v)
                    .ok_or_else(|| E::unknown_variant(v, SortBy::NAMES))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

impl SortBy {
    /// Every order, as `site.yaml` lists them in its messages.
    const ALL: [SortBy; 3] = [SortBy::Date, SortBy::Title, SortBy::Weight];
    /// Their names, in the same order.
    const NAMES: &'static [&'static str] = &["date", "title", "weight"];

    /// Its name in `site.yaml`.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl CollectionConfig {
    /// The configuration of a collection that `site.yaml` does not list.
    pub fn default_for(name: &str) -> Self {
        CollectionConfig {
            title: title_case(name),
            dated: false,
            per_page: 0,
            required: Vec::new(),
            stubs: false,
            sort_by: SortBy::Date,
        }
    }
}

/// `companies` -> `Companies`, `market-regulators` -> `Market regulators`.
fn title_case(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The validated `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// The site's name.
    pub title: String,
    /// Where the site is published; every URL honours its path.
    pub base_url: BaseUrl,
    /// One line about the site.
    pub description: String,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// A folder under `themes/`.
    pub theme: String,
    /// Link the first prose mention of a note's title or alias.
    pub autolink: bool,
    /// Collections named in `site.yaml`, in file order.
    pub collections: Vec<(String, CollectionConfig)>,
    /// Newest dated notes in `feed.xml` and in each note's feed.
    pub feed_limit: usize,
    /// Free data for templates.
    pub extra: serde_json::Value,
    /// How note bodies are written out.
    pub markdown: crate::markdown::Settings,
}

impl SiteConfig {
    /// The configuration of collection `name`, listed or defaulted.
    pub fn collection(&self, name: &str) -> CollectionConfig {
        self.collections
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| CollectionConfig::default_for(name), |(_, c)| c.clone())
    }

    /// How collection `name`'s list is sorted, without copying the rest
    /// of its configuration.
    pub fn sort_by(&self, name: &str) -> SortBy {
        self.collections
            .iter()
            .find(|(n, _)| n == name)
            .map_or(SortBy::Date, |(_, c)| c.sort_by)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    autolink: Option<bool>,
    #[serde(default)]
    collections: Option<serde_yaml::Mapping>,
    #[serde(default)]
    feed_limit: Option<usize>,
    #[serde(default)]
    extra: Option<serde_yaml::Value>,
    #[serde(default)]
    markdown: Option<serde_yaml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    highlight: Option<bool>,
    smart_punctuation: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCollection {
    title: Option<String>,
    #[serde(default)]
    dated: bool,
    #[serde(default)]
    per_page: Option<usize>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    stubs: bool,
    #[serde(default)]
    sort_by: Option<SortBy>,
}

/// Reads and validates `site.yaml` under `root`.
pub fn load(root: &Path) -> Result<SiteConfig, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if !root.as_os_str().is_empty() && !root.is_dir() => {
            let message = if root.exists() {
                "is a file, not a folder"
            } else {
                "no such folder"
            };
            let d = Diagnostic::error(root, Location::default(), message)
                .with_hint("pass the folder that holds site.yaml with --root DIR, or run `brief init <dir>` to start a site");
            return Err(Diagnostics::from_iter([d]));
        }
        Err(e) => {
            let d = if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::error(
                    CONFIG_FILE,
                    Location::default(),
                    "no site.yaml: this folder is not a brief site",
                )
                .with_hint("run `brief init <dir>` to start a site, or pass --root DIR")
            } else {
                // There is one: starting a new site is no answer.
                Diagnostic::error(
                    CONFIG_FILE,
                    Location::default(),
                    format!("cannot read site.yaml: {e}"),
                )
            };
            return Err(Diagnostics::from_iter([d]));
        }
    };
    parse(&text)
}

/// Validates the text of a `site.yaml`.
pub fn parse(text: &str) -> Result<SiteConfig, Diagnostics> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawConfig = serde_yaml::from_str(text).map_err(|e| {
        let mut diags = yaml_error(&e, text);
        diags.extend(other_key_errors(text, &diags));
        diags
    })?;
    validate(raw, text)
}

/// The reader stops at the first key of the wrong type: every other
/// top-level key is read on its own (beside a stand-in title and
/// base_url), so that all of them are told in one run. `told`: the errors
/// already found, whose lines are not told again.
fn other_key_errors(text: &str, told: &Diagnostics) -> Vec<Diagnostic> {
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(text)
    else {
        return Vec::new();
    };
    let told_lines: Vec<usize> = told.iter().map(|d| d.location.line).collect();
    let mut out = Vec::new();
    for (key, value) in &map {
        let Some(name) = key.as_str() else { continue };
        let mut one = serde_yaml::Mapping::new();
        one.insert("title".into(), "T".into());
        one.insert("base_url".into(), "https://example.org/".into());
        one.insert(key.clone(), value.clone());
        let Err(e) = serde_yaml::from_value::<RawConfig>(serde_yaml::Value::Mapping(one)) else {
            continue;
        };
        let location = key_location(text, name);
        if told_lines.contains(&location.line) {
            continue;
        }
        let message = plain_types(&strip_yaml_location(&e.to_string()));
        let message = if message.starts_with(name) || message.starts_with("unknown field") {
            message
        } else {
            format!("{name}: {message}")
        };
        let mut d = Diagnostic::error(CONFIG_FILE, location, message);
        if d.message.contains("unknown field") {
            d = d.with_hint(SITE_KEYS_HINT);
        }
        out.push(d);
    }
    out
}

/// The hint for an unknown key of `site.yaml`.
const SITE_KEYS_HINT: &str = "site.yaml keys are title, base_url, description, language, theme, \
     autolink, collections, feed_limit, markdown and extra; put free data under `extra:`";

fn yaml_error(e: &serde_yaml::Error, text: &str) -> Diagnostics {
    let full = e.to_string();
    let duplicate = crate::content::frontmatter::duplicate_key(
        text,
        0,
        text,
        &full,
        e.location().map(|l| l.index()),
    );
    let location = match &duplicate {
        Some((second, _)) => *second,
        None => yaml_error_location(e, text)
            .map(|at| yaml_culprit(&full, text, at).unwrap_or(at))
            .unwrap_or_default(),
    };
    let mut d = Diagnostic::error(
        CONFIG_FILE,
        location,
        plain_types(&strip_yaml_location(&full)),
    );
    let hint = match duplicate {
        Some((_, hint)) => Some(hint),
        None => yaml_context_hint(&full, text, yaml_error_line(e, text), 0),
    };
    if let Some(hint) = hint {
        d = d.with_hint(hint);
    }
    if full.contains("unknown field") {
        d = d.with_hint(SITE_KEYS_HINT);
    }
    Diagnostics::from_iter([d])
}

/// serde's words for types ("expected usize", "invalid type: string") in
/// a writer's ("expected a whole number", "invalid type: text").
pub(crate) fn plain_types(message: &str) -> String {
    const WORDS: [(&str, &str); 15] = [
        ("expected usize", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected a sequence", "expected a list"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected text"),
        ("expected a map", "expected a mapping"),
        ("invalid type: string", "invalid type: text"),
        ("invalid type: integer", "invalid type: number"),
        ("unknown variant", "unknown value"),
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: a mapping"),
        ("invalid type: unit value", "invalid type: empty"),
        // Last: its words hold "a map", which the words above would change.
        (
            "expected struct RawCollection",
            "expected a mapping of collection settings (title, dated, per_page, required, stubs, sort_by)",
        ),
        (
            "expected struct RawConfig",
            "expected a mapping of settings, one `key: value` a line (`title: My briefing`)",
        ),
    ];
    let mut out = message.to_string();
    for (from, to) in WORDS {
        out = out.replace(from, to);
    }
    out
}

/// serde_yaml appends " at line L column C"; the location is shown in front.
pub(crate) fn strip_yaml_location(message: &str) -> String {
    if let Some((_, head)) = reader_position(message) {
        return head.to_string();
    }
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A YAML reader error (`control characters are not allowed at position
/// 40`) comes with no line and column, only a byte offset into the YAML:
/// the offset and the message without it.
pub(crate) fn reader_position(message: &str) -> Option<(usize, &str)> {
    let (head, tail) = message.rsplit_once(" at position ")?;
    Some((tail.trim().parse().ok()?, head))
}

/// Where serde_yaml's error `e` about `yaml` happened (one-based, in
/// `yaml`), from its location or else its reader's byte offset.
/// (A reader error's own location is always 1:1.)
pub(crate) fn yaml_error_location(e: &serde_yaml::Error, yaml: &str) -> Option<Location> {
    match reader_position(&e.to_string()) {
        Some((at, _)) => Some(Location::of_offset(yaml, at)),
        // By its byte offset: libyaml's line numbers count more line
        // breaks than brief's (see `from_libyaml`).
        None => e.location().map(|l| Location::of_offset(yaml, l.index())),
    }
}

/// The line of serde_yaml's error `e` in `yaml`, as brief counts lines.
pub(crate) fn yaml_error_line(e: &serde_yaml::Error, yaml: &str) -> Option<usize> {
    e.location()
        .map(|l| Location::of_offset(yaml, l.index()).line)
}

/// A place as libyaml writes it in a message (one-based line and column,
/// columns in characters), as brief counts places in `yaml`. libyaml ends
/// a line at `\r\n`, `\r`, `\n`, and also at NEL (U+0085, what a
/// Windows `…` becomes when read as Latin-1), LS (U+2028) and PS
/// (U+2029); brief, an editor and `str::lines` end one at `\n` only.
pub(crate) fn from_libyaml(yaml: &str, line: usize, column: usize) -> Location {
    const OTHER_BREAKS: [char; 4] = ['\r', '\u{85}', '\u{2028}', '\u{2029}'];
    if !yaml.contains(OTHER_BREAKS) {
        return Location::new(line, column);
    }
    let (mut l, mut c) = (1, 1);
    let mut chars = yaml.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        let is_break = ch == '\n' || OTHER_BREAKS.contains(&ch);
        // The place, or the end of its line when the column is past it.
        if l == line && (c >= column || is_break) {
            return Location::of_offset(yaml, i);
        }
        if is_break {
            if ch == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
                chars.next();
            }
            (l, c) = (l + 1, 1);
        } else {
            c += 1;
        }
    }
    Location::of_offset(yaml, yaml.len())
}

/// Where the mistake behind serde_yaml's error most likely is, when the
/// parser noticed it only further on (`at`, one-based, in `yaml`):
/// - "could not find expected ':'" while scanning a simple key at line L:
///   that key, whose line has no colon;
/// - "did not find expected ',' or ']'" (or `}`) on a line after the one
///   where the list or mapping in brackets opened (the next key, say, or
///   the end): just after the last thing written before that line, where
///   the comma or the closing bracket is missing;
/// - "mapping values are not allowed" on a key whose line above, at the same
///   indent, has no colon (`title Acme`): that line.
///
/// `None` when the parser's place is the best there is.
pub(crate) fn yaml_culprit(message: &str, yaml: &str, at: Location) -> Option<Location> {
    let lines: Vec<&str> = yaml.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let context = yaml_context(message, yaml);
    if message.starts_with("could not find expected ':'") {
        let (what, line, column) = context?;
        return (what.contains("simple key") && line < at.line)
            .then(|| Location::new(line, column));
    }
    if message.starts_with("did not find expected ',' or ']'")
        || message.starts_with("did not find expected ',' or '}'")
    {
        let (_, opened, _) = context?;
        // Only where the parser stopped on a later line at what holds no
        // mistake of its own: that line's start, the colon of its first
        // key, or the end of the YAML. (A list over several lines can
        // have its mistake on the line the parser stopped at.)
        if opened >= at.line || at.line > lines.len() + 1 {
            return None;
        }
        if let Some(here) = lines.get(at.line - 1) {
            let start = here.len() - here.trim_start().len();
            let key = leading_key(here.trim_start());
            let start_col = here[..start].chars().count() + 1;
            let at_colon = !key.is_empty()
                && here[start + key.len()..].starts_with(':')
                && at.col == start_col + key.chars().count();
            if at.col != start_col && !at_colon {
                return None;
            }
        }
        let (i, text) = lines[..at.line - 1]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
        return Some(Location::new(i + 1, text.trim_end().chars().count() + 1));
    }
    if message.starts_with("mapping values are not allowed") {
        let (above, _) = colon_missing_line(yaml, at.line)?;
        let text = lines.get(above)?;
        return Some(Location::new(above + 1, indent(text) + 1));
    }
    None
}

/// What libyaml was reading when it failed, and where that began: from a
/// message ending ", while parsing a flow sequence at line L column C",
/// `("parsing a flow sequence", L, C)`.
fn yaml_context<'m>(message: &'m str, yaml: &str) -> Option<(&'m str, usize, usize)> {
    let (_, context) = message.split_once(", while ")?;
    let (what, at) = context.split_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    let column = column.split_whitespace().next()?;
    let at = from_libyaml(yaml, line.trim().parse().ok()?, column.parse().ok()?);
    Some((what, at.line, at.col))
}

/// When the key at `line` (1-based, in `yaml`) is refused because the line
/// above, at the same indent, is no `key: value` (`title [ Acme`): that
/// line ran on into this one, so its colon is what is missing.
fn colon_missing_above(yaml: &str, line: usize, line_offset: usize) -> Option<String> {
    let (above, key) = colon_missing_line(yaml, line)?;
    Some(format!(
        "line {} is not `key: value`: is the `:` after `{key}` missing?",
        above + 1 + line_offset
    ))
}

/// For [`colon_missing_above`]: the zero-based line above `line` that
/// should have been `key: value`, and its key.
fn colon_missing_line(yaml: &str, line: usize) -> Option<(usize, String)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (above, text) = lines[..line - 1]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let trimmed = text.trim_start();
    if indent(text) != indent(here)
        || trimmed.contains(':')
        || trimmed.starts_with(['-', '"', '\''])
        // The end of a quoted text or bracketed list begun further up.
        || crate::content::frontmatter::continues_above(yaml, above + 1)
    {
        return None;
    }
    let key = leading_key(trimmed);
    if key.is_empty() {
        return None;
    }
    Some((above, key))
}

/// The key of the nearest line above `line` (one-based) when that line is
/// `key: value` with a plain value, which a following line may continue
/// if indented.
fn plain_value_above(yaml: &str, line: usize) -> Option<String> {
    let above = yaml
        .lines()
        .take(line.checked_sub(1)?)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .last()?
        .trim_start();
    let key = leading_key(above);
    let value = above[key.len()..].strip_prefix(':')?.trim();
    let plain = !key.is_empty()
        && !value.is_empty()
        && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '#']);
    plain.then_some(key)
}

/// The word a line starts with, as a key would be written (letters,
/// digits, `_` and `-`): `role` of `role Chief executive`.
fn leading_key(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        .collect()
}

/// The hint for a whole number past 64 bits, which YAML reads into no type.
pub(crate) const TOO_LARGE_HINT: &str =
    "this number is too large to read: write a smaller one, or quote it to keep it as text (`worth: \"123456789012345678901\"`)";

/// A hint for serde_yaml's error `message` about `yaml`, which failed at
/// line `error_line` (one-based, in `yaml`); hints name lines moved down
/// by `line_offset`, for YAML that starts further down a file. The parser
/// reports a missing bracket or quote where it gives up, often lines after
/// the mistake, so the hint names where the unfinished part began: from a
/// message that ends ", while parsing a flow sequence at line L column C",
/// or, when it names no place, a quoted text still open at `error_line`
/// ([`quote_open_at`](crate::content::frontmatter::quote_open_at)). For
/// "mapping values are not allowed", otherwise, the usual cause: an
/// unquoted `: ` in a value.
pub(crate) fn yaml_context_hint(
    message: &str,
    yaml: &str,
    error_line: Option<usize>,
    line_offset: usize,
) -> Option<String> {
    let line_text = error_line.and_then(|line| yaml.lines().nth(line.checked_sub(1)?));
    if let Some(text) = line_text {
        let indent = &text[..text.len() - text.trim_start().len()];
        if indent.contains('\t') {
            return Some(format!(
                "line {} is indented with a tab: YAML indents with spaces only",
                error_line.unwrap_or(0) + line_offset
            ));
        }
        // `'Joe's'`: a single-quoted text ends at its second `'`.
        let value = text.split_once(": ").map_or("", |(_, v)| v.trim_start());
        let inner = value.strip_prefix('\'').unwrap_or("");
        let closed_early = value.starts_with('\'')
            && inner
                .split_once('\'')
                .is_some_and(|(_, after)| after.starts_with(|c: char| c.is_alphanumeric()));
        if closed_early {
            return Some(
                "in single quotes, `'` ends the text: write `''` for an apostrophe \
                 ('Joe''s'), or use double quotes (\"Joe's\")"
                    .into(),
            );
        }
    }
    let names_its_start = message
        .split_once(", while ")
        .is_some_and(|(_, context)| context.contains(" at line "));
    if !names_its_start {
        let run = error_line.and_then(|line| {
            crate::content::frontmatter::quote_open_at(yaml, line).map(|opened| (opened, line))
        });
        if let Some((opened, line)) = run {
            return Some(format!(
                "a quoted text starts on line {} and runs on to line {}: is its closing quote missing?",
                opened + line_offset,
                line + line_offset
            ));
        }
    }
    if message.contains(" as u128") || message.contains(" as i128") {
        // Past 64 bits, a whole number has no type to be read into.
        return Some(TOO_LARGE_HINT.into());
    }
    if message.contains("unknown escape character") {
        // A Windows path or a stray backslash in double quotes: the quote
        // is closed, the `\` is the problem.
        return Some(
            "in double quotes `\\` starts an escape such as `\\n`: write `\\\\` for a backslash, \
             or use single quotes: 'C:\\notes'"
                .into(),
        );
    }
    if message.starts_with("mapping values are not allowed") {
        if let Some(hint) = error_line.and_then(|line| colon_missing_above(yaml, line, line_offset))
        {
            return Some(hint);
        }
        // The usual cause: an unquoted `: ` inside a value.
        return Some("a value with `: ` in it must be quoted: `title: \"AI: the race\"`".into());
    }
    let (what, line, column) = yaml_context(message, yaml)?;
    let thing = what
        .strip_prefix("parsing ")
        .or_else(|| what.strip_prefix("scanning "))
        .unwrap_or(what);
    // libyaml's terms, in a writer's words, and what usually went wrong.
    let (thing, check) = if thing.contains("quoted scalar") {
        ("a quoted text", ": is its closing quote missing?")
    } else if thing.contains("flow sequence") {
        (
            "a list in brackets",
            ": is a `,` or its closing `]` missing?",
        )
    } else if thing.contains("flow mapping") {
        (
            "a mapping in braces",
            ": is a `,` or its closing `}` missing?",
        )
    } else if thing.contains("simple key") {
        let word = yaml
            .lines()
            .nth(line.checked_sub(1)?)
            .map(|text| leading_key(text.trim_start()));
        if let Some(word) = word.filter(|w| !w.is_empty()) {
            let mut hint = format!(
                "line {} is not `key: value`: is the `:` after `{word}` missing?",
                line + line_offset
            );
            // A long plain value wrapped onto a line of its own.
            if let Some(key) = plain_value_above(yaml, line) {
                hint.push_str(&format!(
                    " If it goes on with the value of `{key}` above, indent it"
                ));
            }
            return Some(hint);
        }
        (thing, "")
    } else {
        (thing, "")
    };
    Some(format!(
        "{thing} starts at line {}, column {column}{check}",
        line + line_offset
    ))
}

/// The location of the top-level `key:`, else of the first line that starts
/// with `key:` at any depth, else of the file.
pub(crate) fn key_location(text: &str, key: &str) -> Location {
    // The top-level key (not one of that name under `extra:`), else the
    // first written at any depth.
    if let Some(top) = top_key_location(text, key) {
        return top;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(&format!("{key}:")) {
            let indent = line.len() - line.trim_start().len();
            return Location::of_offset(text, offset + indent);
        }
        offset += line.len();
    }
    Location::default()
}

/// The location of the top-level `key:` (not indented), if written.
fn top_key_location(text: &str, key: &str) -> Option<Location> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(&format!("{key}:")) {
            return Some(Location::of_offset(text, offset));
        }
        offset += line.len();
    }
    None
}

/// `key:` written after `from` on `from`'s own line, inside a `{...}`
/// mapping (`stories: {dated: maybe, per_page: many}`).
fn flow_key_location(text: &str, from: Location, key: &str) -> Option<Location> {
    let start: usize = text
        .split_inclusive('\n')
        .take(from.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = text[start..].split('\n').next().unwrap_or("");
    let after: usize = line
        .char_indices()
        .nth(from.col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let needle = format!("{key}:");
    let mut from_byte = after;
    while let Some(k) = line[from_byte..].find(&needle) {
        let at = from_byte + k;
        if line[..at].ends_with(['{', ',', ' ']) {
            return Some(Location::of_offset(text, start + at));
        }
        from_byte = at + needle.len();
    }
    None
}

/// Where `key:` of the mapping whose key is at `from` is written: on a
/// line of its block, else inside a `{...}` on `from`'s line, else `from`.
fn nested_key_location(text: &str, from: Location, key: &str) -> Location {
    key_location_after(text, from, key)
        .or_else(|| flow_key_location(text, from, key))
        .unwrap_or(from)
}

/// The line below `from` that starts (indented) with `key:`, in the block
/// indented under the key at `from`. `None` when the key is written on
/// that line itself (a `{...}` mapping) or not found.
fn key_location_after(text: &str, from: Location, key: &str) -> Option<Location> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 > from.line {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if !trimmed.trim().is_empty() && !trimmed.starts_with('#') && indent < from.col {
                // Back at `from`'s level or above: its block ended.
                return None;
            }
            if trimmed.starts_with(&format!("{key}:")) {
                return Some(Location::of_offset(text, offset + indent));
            }
        }
        offset += line.len();
    }
    None
}

fn validate(raw: RawConfig, text: &str) -> Result<SiteConfig, Diagnostics> {
    let mut diags = Diagnostics::new();
    let base_url = match BaseUrl::parse(&raw.base_url) {
        Ok(b) => Some(b),
        Err(m) => {
            diags.push(
                Diagnostic::error(CONFIG_FILE, key_location(text, "base_url"), m)
                    .with_hint("for example: base_url: https://example.org/briefing/"),
            );
            None
        }
    };
    if raw.title.trim().is_empty() {
        diags.push(Diagnostic::error(
            CONFIG_FILE,
            key_location(text, "title"),
            "title is empty",
        ));
    }
    let language = raw
        .language
        .map_or_else(|| "en".to_string(), |l| l.trim().to_string());
    if !is_language_tag(&language) {
        let dashed = language.replace('_', "-");
        let hint = if is_language_tag(&dashed) {
            format!("language tags join their parts with `-`: {dashed}")
        } else {
            "a BCP 47 language tag, such as en, en-GB, fr or zh-Hans".to_string()
        };
        diags.push(
            Diagnostic::error(
                CONFIG_FILE,
                key_location(text, "language"),
                format!("language \"{language}\" is not a language tag"),
            )
            .with_hint(hint),
        );
    }
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        diags.push(Diagnostic::error(
            CONFIG_FILE,
            key_location(text, "theme"),
            format!("theme \"{theme}\" must be a folder name under themes/"),
        ));
    }
    let collections = validate_collections(raw.collections.unwrap_or_default(), text, &mut diags);
    let markdown = validate_markdown(raw.markdown, text, &mut diags);
    let extra = match raw.extra {
        None => serde_json::Value::Object(Default::default()),
        Some(v) => serde_json::to_value(&v).unwrap_or(serde_json::Value::Null),
    };
    match base_url {
        Some(base_url) if !diags.has_errors() => Ok(SiteConfig {
            title: raw.title,
            base_url,
            description: raw.description,
            language,
            theme,
            autolink: raw.autolink.unwrap_or(false),
            collections,
            feed_limit: raw.feed_limit.unwrap_or(20),
            extra,
            markdown,
        }),
        _ => Err(diags),
    }
}

/// Is `tag` written as a BCP 47 language tag: a language of 2 or 3
/// letters, as ISO 639 codes are (RFC 5646 leaves room for longer ones,
/// but none is registered, and `English` is a name, not a tag), or
/// `x-`/`i-` and a private or old tag; then parts of 1-8 letters and
/// digits, joined by `-`?
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    let private = matches!(first, "x" | "X" | "i" | "I");
    let rest: Vec<&str> = parts.collect();
    let language = (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic());
    (language || (private && !rest.is_empty()))
        && rest
            .iter()
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Could `key` start a front-matter line (`key: value`)? Not empty, no
/// spaces around it, and nothing that would end it early (`: `, ` #`).
fn is_front_matter_key(key: &str) -> bool {
    !key.is_empty()
        && key.trim() == key
        && !key.contains('\n')
        && !key.contains(": ")
        && !key.contains(" #")
        && !key.ends_with(':')
}

/// The `markdown:` settings, each key's mistake told at its line.
fn validate_markdown(
    value: Option<serde_yaml::Value>,
    text: &str,
    diags: &mut Diagnostics,
) -> crate::markdown::Settings {
    let default = crate::markdown::Settings::default();
    let value = match value {
        None | Some(serde_yaml::Value::Null) => return default,
        Some(v) => v,
    };
    let location = top_key_location(text, "markdown").unwrap_or_default();
    let Some(map) = value.as_mapping() else {
        diags.push(
            Diagnostic::error(CONFIG_FILE, location, "markdown: expected keys under it")
                .with_hint("write it as `markdown: {highlight: true, smart_punctuation: false}`"),
        );
        return default;
    };
    let mut settings = default;
    for (key, value) in map {
        let mut one = serde_yaml::Mapping::new();
        one.insert(key.clone(), value.clone());
        match serde_yaml::from_value::<RawMarkdown>(serde_yaml::Value::Mapping(one)) {
            Ok(raw) => {
                settings.highlight = raw.highlight.unwrap_or(settings.highlight);
                settings.smart_punctuation =
                    raw.smart_punctuation.unwrap_or(settings.smart_punctuation);
            }
            Err(e) => {
                let name = key.as_str().unwrap_or_default();
                let message = e.to_string();
                let mut d = Diagnostic::error(
                    CONFIG_FILE,
                    nested_key_location(text, location, name),
                    format!(
                        "`markdown.{name}`: {}",
                        plain_types(&strip_yaml_location(&message))
                    ),
                );
                if message.contains("unknown field") {
                    d = d.with_hint("markdown keys are highlight and smart_punctuation");
                }
                diags.push(d);
            }
        }
    }
    settings
}

fn validate_collections(
    raw: serde_yaml::Mapping,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, CollectionConfig)> {
    let mut out = Vec::new();
    for (key, value) in raw {
        let Some(name) = key.as_str().map(str::to_string) else {
            diags.push(Diagnostic::error(
                CONFIG_FILE,
                key_location(text, "collections"),
                "collection names must be strings",
            ));
            continue;
        };
        // Under the top-level `collections:`, not a key of that name
        // elsewhere (under `extra:`).
        let location = match top_key_location(text, "collections") {
            Some(top) => nested_key_location(text, top, &name),
            None => key_location(text, &name),
        };
        if !crate::content::is_collection_name(&name) {
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    location,
                    format!("collection name \"{name}\" is not a URL-safe name"),
                )
                .with_hint("collection names use only a-z, 0-9, `-` and `_`, like their folders"),
            );
        }
        let parsed: Result<RawCollection, _> = if value.is_null() {
            Ok(RawCollection::default())
        } else {
            serde_yaml::from_value(value.clone())
        };
        match parsed {
            Ok(c) => {
                for key in &c.required {
                    if !is_front_matter_key(key) {
                        let at = nested_key_location(text, location, "required");
                        diags.push(
                            Diagnostic::error(
                                CONFIG_FILE,
                                at,
                                format!(
                                    "collection `{name}`, `required`: \"{key}\" is not a front-matter key"
                                ),
                            )
                            .with_hint("list keys as they start a front-matter line, such as `summary`"),
                        );
                    }
                }
                let default = CollectionConfig::default_for(&name);
                out.push((
                    name,
                    CollectionConfig {
                        title: c.title.unwrap_or(default.title),
                        dated: c.dated,
                        per_page: c.per_page.unwrap_or(default.per_page),
                        required: c.required,
                        stubs: c.stubs,
                        sort_by: c.sort_by.unwrap_or_default(),
                    },
                ));
            }
            Err(e) => {
                // The value lost its place in the text: find the keys at
                // fault by reading each on its own, then their lines. Every
                // one is told, not only the first.
                let culprits: Vec<(String, serde_yaml::Error)> = value
                    .as_mapping()
                    .map(|map| {
                        map.iter()
                            .filter_map(|(k, v)| {
                                let mut one = serde_yaml::Mapping::new();
                                one.insert(k.clone(), v.clone());
                                let err = serde_yaml::from_value::<RawCollection>(
                                    serde_yaml::Value::Mapping(one),
                                )
                                .err()?;
                                Some((k.as_str()?.to_string(), err))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let told: Vec<(Location, String, serde_yaml::Error)> = if culprits.is_empty() {
                    vec![(location, format!("collection `{name}`"), e)]
                } else {
                    culprits
                        .into_iter()
                        .map(|(key, err)| {
                            (
                                nested_key_location(text, location, &key),
                                format!("collection `{name}`, `{key}`"),
                                err,
                            )
                        })
                        .collect()
                };
                for (location, what, err) in told {
                    let message = err.to_string();
                    let mut d = Diagnostic::error(
                        CONFIG_FILE,
                        location,
                        format!("{what}: {}", plain_types(&strip_yaml_location(&message))),
                    );
                    if message.contains("unknown field") {
                        d = d.with_hint(
                            "collection keys are title, dated, per_page, required, stubs and sort_by",
                        );
                    }
                    diags.push(d);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_path_has_no_empty_parts() {
        for (text, path) in [
            ("https://u.github.io//", "/"),
            ("https://u.github.io//repo/", "/repo/"),
            ("https://example.org/a//b", "/a/b/"),
            ("https://example.org", "/"),
        ] {
            assert_eq!(BaseUrl::parse(text).unwrap().path(), path, "{text}");
        }
    }

    #[test]
    fn markdown_settings_default_and_are_read_key_by_key() {
        const HEAD: &str = "title: T\nbase_url: https://example.org/\n";
        let settings = |more: &str| parse(&format!("{HEAD}{more}")).map(|c| c.markdown);
        let default = crate::markdown::Settings::default();
        assert!(default.highlight && !default.smart_punctuation);
        assert_eq!(settings("").unwrap(), default);
        assert_eq!(settings("markdown:\n").unwrap(), default);
        let set = settings("markdown:\n  highlight: false\n  smart_punctuation: true\n").unwrap();
        assert!(!set.highlight && set.smart_punctuation);
        // Each mistake at its own line, the key named.
        let errors = settings("markdown:\n  highlight: yes\n  highlight_code: true\n").unwrap_err();
        let told: Vec<String> = errors
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.col, d.message))
            .collect();
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(
            told[0].starts_with("4:3 `markdown.highlight`: invalid type"),
            "{told:?}"
        );
        assert!(
            told[1].starts_with("5:3 `markdown.highlight_code`: unknown field"),
            "{told:?}"
        );
        let errors = settings("markdown: true\n").unwrap_err();
        assert!(errors
            .iter()
            .any(|d| d.message.contains("expected keys under it")));
    }

    #[test]
    fn language_tags_are_checked_by_their_syntax() {
        for good in [
            "en",
            "en-GB",
            "zh-Hans",
            "zh-Hant-TW",
            "es-419",
            "sgn-BE-FR",
            "x-klingon",
            "de-CH-1996",
        ] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "en_US",
            "en-",
            "-en",
            "en--GB",
            "english language",
            "en\"><script>",
            "en-abcdefghi",
            "x",
            "12",
            "English",
            "English-Language",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn a_site_yaml_that_cannot_be_read_is_not_answered_with_brief_init() {
        let dir = tempfile::tempdir().unwrap();
        let missing = load(dir.path()).unwrap_err().sorted()[0].to_string();
        assert!(
            missing.contains("no site.yaml") && missing.contains("brief init"),
            "{missing}"
        );
        std::fs::create_dir(dir.path().join(CONFIG_FILE)).unwrap();
        let unreadable = load(dir.path()).unwrap_err().sorted()[0].to_string();
        assert!(
            unreadable.starts_with("site.yaml: error: cannot read site.yaml: "),
            "{unreadable}"
        );
        assert!(!unreadable.contains("brief init"), "{unreadable}");
    }

    #[test]
    fn a_bad_collection_key_is_located_at_its_line_in_plain_words() {
        let first_error = |text: &str| parse(text).unwrap_err().sorted().remove(0);
        let d = first_error("title: T\nbase_url: https://example.org/\ncollections:\n  stories:\n    title: Stories\n    dated: yes\n  companies:\n    per_page: 20\n");
        assert_eq!(d.location, Location::new(6, 5), "{d}");
        assert_eq!(
            d.message,
            "collection `stories`, `dated`: invalid type: text \"yes\", expected true or false"
        );
        // A sibling's key of the same name is not taken for it: the key is
        // found inside the `{...}`.
        let d = first_error("title: T\nbase_url: https://example.org/\ncollections:\n  stories: {per_page: many}\n  companies:\n    per_page: 20\n");
        assert_eq!(d.location, Location::new(4, 13), "{d}");
        assert!(
            d.message.ends_with("expected a whole number (0 or more)"),
            "{d}"
        );
        // Every wrong key of a collection is told in one run.
        let all = parse("title: T\nbase_url: https://example.org/\ncollections:\n  stories:\n    dated: yes please\n    per_page: many\n    colour: red\n")
            .unwrap_err()
            .sorted();
        let lines: Vec<(usize, &str)> = all
            .iter()
            .map(|d| (d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(
            lines.iter().map(|l| l.0).collect::<Vec<_>>(),
            [5, 6, 7],
            "{lines:?}"
        );
        assert!(lines[2].1.contains("`colour`: unknown field"), "{lines:?}");
        // A top-level key is found before one of that name under `extra:`.
        let d = first_error("title: T\nextra:\n  base_url: x\nbase_url: nonsense\n");
        assert_eq!(d.location.line, 4, "{d}");
        // In a `{...}` mapping each is located too, and a key of the same
        // name under `extra:` is not taken for the collection.
        let all = parse("title: T\nbase_url: https://example.org/\nextra:\n  stories:\n    dated: maybe\ncollections: {stories: {dated: maybe, per_page: many}, people: [x]}\n")
            .unwrap_err()
            .sorted();
        let found: Vec<String> = all
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.col, d.message))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0].starts_with("6:25 collection `stories`, `dated`"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("6:39 collection `stories`, `per_page`"),
            "{found:?}"
        );
        assert!(
            found[2].starts_with("6:56 collection `people`: invalid type: a list, expected a mapping of collection settings"),
            "{found:?}"
        );
    }

    #[test]
    fn a_site_yaml_that_is_not_a_mapping_says_so_in_plain_words() {
        let message = parse("- a\n- b\n").unwrap_err().sorted()[0].message.clone();
        assert_eq!(
            message,
            "invalid type: a list, expected a mapping of settings, one `key: value` a line (`title: My briefing`)"
        );
    }

    #[test]
    fn required_keys_are_refused_only_when_no_note_could_have_them() {
        for ok in ["summary", "c#", "a:b", "head quarters"] {
            assert!(is_front_matter_key(ok), "{ok}");
        }
        for bad in ["", " summary", "a: b", "a #b", "a:"] {
            assert!(!is_front_matter_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn every_key_of_the_wrong_type_is_told_in_one_run() {
        let text = "title: T\nlanguage: [en]\nbase_url: https://example.org/\ncolour: red\nfeed_limit: many\n";
        let errors = parse(text).unwrap_err().sorted();
        let lines: Vec<usize> = errors.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, [2, 4, 5], "{errors:?}");
        assert!(
            errors[1].message.starts_with("unknown field `colour`"),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].message.starts_with("feed_limit: invalid type"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn a_key_written_twice_is_located_at_its_second_line() {
        let text = "title: T\nbase_url: https://example.org/\nextra:\n  a: 1\nextra:\n  b: 2\n";
        let d = &parse(text).unwrap_err().sorted()[0];
        assert_eq!(d.location, Location::new(5, 1), "{d}");
        assert_eq!(d.message, "duplicate field `extra`");
        assert_eq!(
            d.hints,
            ["the key is written twice; the first is on line 3: keep one"]
        );
    }

    #[test]
    fn a_yaml_error_is_located_at_the_mistake_not_where_the_parser_gave_up() {
        let culprit = |text: &str| {
            let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
            let at = yaml_error_location(&e, text).unwrap();
            (at, yaml_culprit(&e.to_string(), text, at))
        };
        // A key without its colon, found at the next key.
        let (at, found) = culprit("title: T\nrole Chief executive\ncompanies: [a]\n");
        assert_eq!(at.line, 3);
        assert_eq!(found, Some(Location::new(2, 1)));
        // A list left open: the parser stops at the next key, or at the
        // end; the `]` is missing after `[a`.
        for text in [
            "title: T\ncompanies: [a\nrole: x\n",
            "title: T\ncompanies: [a\n",
            "title: T\ncompanies: [a\n\n# note\nrole: x\n",
        ] {
            let (at, found) = culprit(text);
            assert!(at.line > 2, "{text:?}: {at:?}");
            assert_eq!(found, Some(Location::new(2, 14)), "{text:?}");
        }
        // A mapping in braces left open, after a list over two lines.
        let (_, found) = culprit("a: [b,\n  c]\nd: {e: f\ng: h\n");
        assert_eq!(found, Some(Location::new(3, 9)));
        // `title [ Acme`: the colon is missing on the line above.
        let (at, found) = culprit("title [ Acme\nsummary: x\n");
        assert_eq!(at.line, 2);
        assert_eq!(found, Some(Location::new(1, 1)));
        // Where the parser stopped on the mistake's own line, it stays.
        assert_eq!(culprit("a: [b, c: d: e]\n").1, None);
        assert_eq!(culprit("title: \"AI: x\" y\n").1, None);
        // A list over two lines whose second line lacks a comma.
        let (at, found) = culprit("tags: [\"a\",\n  \"b\" \"c\"]\nsummary: x\n");
        assert_eq!((at.line, found), (2, None));
        // The last line of a quoted text or of a list over several lines
        // is not a key that lost its colon: the `: ` below is the mistake.
        for text in [
            "extra:\n  quote: \"Robots do the\n  lifting, we do the rest\"\n  source: Interview: 2024\n",
            "title: x\ntags: [a,\nb]\nrole: AI: the race\n",
        ] {
            let (_, found) = culprit(text);
            assert_eq!(found, None, "{text:?}");
        }
    }

    #[test]
    fn libyaml_places_are_counted_as_brief_counts_lines() {
        // Without other line breaks, the place is the same.
        assert_eq!(from_libyaml("a: 1\nb: 2\n", 2, 3), Location::new(2, 3));
        // NEL, LS, PS, a lone `\r`: one more line each for libyaml.
        let text = "a: \"x\u{85}y\u{2028}z\"\nb: [1\rc: 2\r\nd: é\n";
        assert_eq!(from_libyaml(text, 1, 4), Location::new(1, 4));
        assert_eq!(from_libyaml(text, 2, 1), Location::new(1, 7));
        assert_eq!(from_libyaml(text, 3, 2), Location::new(1, 10));
        assert_eq!(from_libyaml(text, 4, 4), Location::new(2, 4));
        assert_eq!(from_libyaml(text, 5, 1), Location::new(2, 7));
        // `\r\n` is one line end; columns count characters.
        assert_eq!(from_libyaml(text, 6, 4), Location::new(3, 4));
        // A column past its line's end: the end of that line.
        assert_eq!(from_libyaml(text, 4, 40), Location::new(2, 6));
        // Past the text: its end.
        assert_eq!(from_libyaml(text, 9, 1), Location::new(4, 1));
    }

    #[test]
    fn a_wrapped_plain_value_is_told_to_indent() {
        let text = "summary: Founder of the company and\nchief executive since 2019\nrole: x\n";
        let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        let hint = yaml_context_hint(&e.to_string(), text, yaml_error_line(&e, text), 1).unwrap();
        assert_eq!(
            hint,
            "line 3 is not `key: value`: is the `:` after `chief` missing? \
             If it goes on with the value of `summary` above, indent it"
        );
    }

    #[test]
    fn a_yaml_error_names_where_the_unclosed_part_starts() {
        let hint = |text: &str, offset: usize| {
            let e = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
            yaml_context_hint(&e.to_string(), text, yaml_error_line(&e, text), offset)
        };
        assert_eq!(
            hint("title: \"Joe\nsummary: x\n", 1).as_deref(),
            Some("a quoted text starts at line 2, column 8: is its closing quote missing?"),
        );
        assert_eq!(
            hint("a: {b: 1\n", 0).as_deref(),
            Some("a mapping in braces starts at line 1, column 4: is a `,` or its closing `}` missing?"),
        );
        // A quote left open runs on to the next quote; libyaml then names
        // no start.
        assert_eq!(
            hint("title: \"Joe\nlanguage: en\ndescription: \"A site.\"\n", 1).as_deref(),
            Some("a quoted text starts on line 2 and runs on to line 4: is its closing quote missing?"),
        );
        assert_eq!(
            yaml_context_hint("did not find expected key", "", None, 0),
            None
        );
        let tab = hint("title: T\nroles:\n\t- a\n", 1).unwrap();
        assert_eq!(
            tab,
            "line 4 is indented with a tab: YAML indents with spaces only"
        );
        let apostrophe = hint("title: T\nsummary: 'Joe's thing'\n", 1).unwrap();
        assert!(apostrophe.starts_with("in single quotes"), "{apostrophe}");
        let big = hint("worth: 123456789012345678901234567890\n", 0).unwrap();
        assert!(big.starts_with("this number is too large to read"), "{big}");
        // A backslash in a closed double-quoted text is not an open quote.
        let windows = hint("title: T\nfiled: \"C:\\dossiers\\joe\"\n", 1).unwrap();
        assert!(
            windows.starts_with("in double quotes `\\` starts an escape"),
            "{windows}"
        );
        // An unquoted `: ` in a value.
        assert!(hint("title: AI: the race\n", 0).is_some_and(|h| h.contains("must be quoted")));
    }

    #[test]
    fn base_url_keeps_its_prefix() {
        let b = BaseUrl::parse("https://example.org/briefing").unwrap();
        assert_eq!(b.origin(), "https://example.org");
        assert_eq!(b.path(), "/briefing/");
        assert_eq!(
            BaseUrl::parse("http://h:8080").unwrap().full(),
            "http://h:8080/"
        );
        assert!(BaseUrl::parse("example.org").is_err());
        assert_eq!(
            BaseUrl::parse("http://localhost:1111/").unwrap().full(),
            "http://localhost:1111/"
        );
        assert_eq!(
            BaseUrl::parse("https://[::1]:8080/x").unwrap().full(),
            "https://[::1]:8080/x/"
        );
        assert_eq!(
            BaseUrl::parse("https://x.org/caf%C3%A9/").unwrap().path(),
            "/caf%C3%A9/"
        );
        for (bad, why) in [
            ("https://x.org:99999/", "its port is not a number"),
            ("https://x..org/", "empty part"),
            ("https://[::1/", "IPv6"),
            ("https://x.org/a/../b/", "`.` or `..` in its path"),
            ("https://user:pw@x.org/", "user name or password"),
            ("https://x.org/a b/", "spaces"),
            ("https://x.org/a%zz/", "two hex digits"),
            ("https://x.org/100%", "two hex digits"),
            ("https://x%2.org/", "a host name cannot have"),
        ] {
            let err = BaseUrl::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn a_control_character_is_located_where_it_is() {
        let err = parse("base_url: https://e.org/\ntitle: \"x \u{1}\"\n").unwrap_err();
        let d = err.sorted().remove(0);
        assert_eq!(d.location, Location::new(2, 11));
        assert_eq!(d.message, "control characters are not allowed");
    }

    #[test]
    fn unknown_key_is_located() {
        let err = parse("title: T\nbase_url: https://e.org/\ncolour: red\n").unwrap_err();
        let d = err.sorted().remove(0);
        assert_eq!(d.location.line, 3);
        assert!(
            d.message.contains("unknown field `colour`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn collections_keep_file_order_and_defaults() {
        let c = parse(
            "title: T\nbase_url: https://e.org/\ncollections:\n  stories: {dated: true, per_page: 5}\n  companies:\n",
        )
        .unwrap();
        assert_eq!(c.collections[0].0, "stories");
        assert!(c.collections[0].1.dated);
        assert_eq!(c.collections[1].1.title, "Companies");
        assert_eq!(c.collection("topics").title, "Topics");
    }
}
