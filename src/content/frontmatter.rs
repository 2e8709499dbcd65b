//! Front matter: split a note's text into YAML and body, then turn the YAML
//! into known keys, reference lists and free keys, each problem located.
//!
//! Owns the note format of SPEC section 3. It knows the names of collections
//! (a key named after one is a reference list) but nothing of files or URLs.

use std::collections::BTreeSet;

use serde_yaml::{Mapping, Value};

use super::date::Date;
use crate::config::{strip_yaml_location, yaml_context_hint};
use crate::diag::{Location, Locator};

/// A reference as written in front matter, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The text: a slug, `collection/slug`, a title or an alias.
    pub text: String,
    /// Its place in the note's file.
    pub location: Location,
}

/// A front-matter key named after a collection, listing notes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefList {
    /// The key, which is also the collection it points into.
    pub key: String,
    /// The references, in written order.
    pub items: Vec<Reference>,
}

/// An old address of a note (`redirect_from: [/companies/old-name/]`),
/// where a page sends readers and search engines on to the note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// As written.
    pub from: String,
    /// The file it is served from: `companies/old-name/index.html`.
    pub path: String,
    /// Where it is written.
    pub location: Location,
}

/// The file that serves old address `from`, a path on the site (after
/// `base_url`): `/companies/old/` and `companies/old` are
/// `companies/old/index.html`, `/old.html` is `old.html`. Else the error
/// and a hint.
pub fn redirect_file(from: &str) -> Result<String, (String, &'static str)> {
    let written = from.trim();
    const HINT: &str =
        "write the address as a path after the site's base_url, such as /companies/old-name/";
    if written.contains("://") || written.starts_with("//") {
        return Err((
            format!("`redirect_from`: \"{written}\" is not a path on this site"),
            HINT,
        ));
    }
    if written.contains(['?', '#']) {
        return Err((
            format!(
                "`redirect_from`: \"{written}\" has a query or a fragment, which no file can serve"
            ),
            HINT,
        ));
    }
    if written.to_ascii_lowercase().contains("%2f") {
        return Err((
            format!(
                "`redirect_from`: \"{written}\" has an encoded `/` (%2F), which no file can serve"
            ),
            HINT,
        ));
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(written).decode_utf8() else {
        return Err((
            format!("`redirect_from`: \"{written}\" is not valid percent-encoded UTF-8"),
            HINT,
        ));
    };
    let path = decoded.trim_start_matches('/');
    if path.is_empty() {
        return Err((
            format!(
                "`redirect_from`: \"{written}\" is the home page, which cannot be sent elsewhere"
            ),
            HINT,
        ));
    }
    let (dir, last) = match path.strip_suffix('/') {
        Some(dir) => (dir, None),
        None => match path.rsplit_once('/') {
            Some((_, last)) => (path, Some(last)),
            None => (path, Some(path)),
        },
    };
    if dir
        .split('/')
        .any(|part| part.is_empty() || part.starts_with('.') || part.contains(['\\', '\0']))
        || dir.contains(char::is_control)
    {
        return Err((
            format!(
                "`redirect_from`: \"{written}\" is not a plain path (empty parts, `.`, `..` or hidden names)"
            ),
            HINT,
        ));
    }
    // What file systems and hosts take: 255 bytes a name, and a path
    // well within any limit.
    if dir.split('/').any(|part| part.len() > 255) || dir.len() > 1024 {
        return Err((
            format!("`redirect_from`: \"{written}\" is too long for a file name"),
            "an address has at most 255 bytes between slashes, and 1,024 in all",
        ));
    }
    let is_page = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.ends_with(".html") || lower.ends_with(".htm")
    };
    match last {
        None => Ok(format!("{dir}/index.html")),
        Some(last) if is_page(last) => Ok(dir.to_string()),
        Some(last) if !last.contains('.') => Ok(format!("{dir}/index.html")),
        Some(_) => Err((
            format!(
                "`redirect_from`: \"{written}\" names a file that is not a page: a redirect is an HTML page"
            ),
            "an old address ends in `/` (a page's folder) or `.html`",
        )),
    }
}

/// A problem in the front matter, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub location: Location,
    /// What.
    pub message: String,
    /// How to fix it, if we know.
    pub hint: Option<String>,
}

/// The parsed front matter of one note.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `slug`, unvalidated.
    pub slug: Option<(String, Location)>,
    /// `aliases`.
    pub aliases: Vec<String>,
    /// `redirect_from`: the note's old addresses.
    pub redirects: Vec<Redirect>,
    /// `template`: the template that renders this note's page, and where
    /// it is named.
    pub template: Option<(String, Location)>,
    /// `weight`: the note's place in a collection sorted by weight, and
    /// where it is written.
    pub weight: Option<(i64, Location)>,
    /// `date`.
    pub date: Option<Date>,
    /// Where `date` was written (or line 1 if absent).
    pub date_location: Location,
    /// Where `title:` is written, if its value is not a usable text.
    pub title_location: Location,
    /// `updated`.
    pub updated: Option<Date>,
    /// `draft`.
    pub draft: bool,
    /// `summary`.
    pub summary: Option<String>,
    /// `autolink` (per-note opt out).
    pub autolink: Option<bool>,
    /// Keys named after collections.
    pub refs: Vec<RefList>,
    /// Every other key, in written order.
    pub extra: Vec<(String, serde_json::Value)>,
    /// Every key present, for `required` checks.
    pub keys: BTreeSet<String>,
    /// The keys present with nothing in them (`key:`, `""`, `[]`, `{}`),
    /// and where each is written: a required key must not be one.
    pub empty: Vec<(String, Location)>,
    /// Free keys that look like slips for a key brief reads (`sumary` for
    /// `summary`): the key written, the key meant, and where it is.
    pub slips: Vec<(String, String, Location)>,
    /// What was read but left out, to be told as warnings (a list's empty
    /// items).
    pub warnings: Vec<Problem>,
}

/// A note's text split in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `yaml` in the text.
    pub yaml_offset: usize,
    /// Byte offset of `body` in the text.
    pub body_offset: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `---\nyaml\n---\nbody`; the error is a located message.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if is_fence(first) => {
            let yaml_offset = first.len();
            let mut offset = yaml_offset;
            for line in lines {
                if is_fence(line) || line.trim_end() == "..." {
                    return Ok(Split {
                        yaml: &text[yaml_offset..offset],
                        body: &text[offset + line.len()..],
                        yaml_offset,
                        body_offset: offset + line.len(),
                    });
                }
                offset += line.len();
            }
            Err(Problem {
                location: Location::new(1, 1),
                message: "front matter opened here is never closed".into(),
                hint: Some("end the front matter with a line `---`".into()),
            })
        }
        // Zola's and Hugo's TOML front matter.
        Some(first) if first.trim_end() == "+++" => Err(Problem {
            location: Location::new(1, 1),
            message: "TOML front matter (`+++`) is not read: front matter is YAML".into(),
            hint: Some(
                "write it between `---` lines as YAML: `title = \"Acme\"` becomes `title: Acme`"
                    .into(),
            ),
        }),
        _ => Err(Problem {
            location: Location::new(1, 1),
            message: "a note must start with front matter".into(),
            hint: Some("begin the file with `---`, a line `title: ...`, and `---`".into()),
        }),
    }
}

/// Byte offset in `yaml` (front matter without its fences) of the
/// top-level `key` (plain, or in quotes) followed by `:`, if written so.
pub fn top_key_offset(yaml: &str, key: &str) -> Option<usize> {
    top_keys(yaml)
        .into_iter()
        .find(|&(k, _)| k == key)
        .map(|(_, at)| at)
}

/// The indentation of the first key of `yaml`: YAML allows a whole
/// mapping to be indented.
fn margin(yaml: &str) -> usize {
    yaml.lines()
        .map(|l| (l, l.trim_start_matches(' ')))
        .find(|(_, t)| !t.trim().is_empty() && !t.starts_with('#'))
        .map_or(0, |(l, t)| l.len() - t.len())
}

/// Every top-level key of `yaml` (front matter without its fences), as
/// written (without quotes), with its byte offset, in one pass. Top-level
/// keys are the lines at the indentation of the first key (YAML allows a
/// whole mapping to be indented), so a nested key of the same name, or a
/// list item's, is not taken for one.
pub fn top_keys(yaml: &str) -> Vec<(&str, usize)> {
    let margin = margin(yaml);
    let mut keys = Vec::new();
    let mut offset = 0;
    // What the lines before leave open: a line inside a quoted value, a
    // flow collection or a block scalar is not a key, whatever it starts
    // with.
    let mut state = Open::default();
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some(block) = state.block {
            if content.trim().is_empty() || indent > block {
                offset += line.len();
                continue;
            }
            state.block = None;
        }
        if state.quote.is_none() && state.flow == 0 && indent == margin {
            if let Some(key) = line_key(content) {
                keys.push((key, offset + margin));
            }
        }
        state = scan_line(content, indent, state);
        offset += line.len();
    }
    keys
}

/// For a YAML error about a key written twice at the top level (serde's
/// `duplicate entry with key "K"`, or `duplicate field `K`` in a typed
/// struct), which it locates at the start of the mapping: where the second
/// `K:` is in `text` (whose YAML, `yaml`, starts at byte `yaml_offset`),
/// and a hint naming the line of the first.
pub fn duplicate_key(
    text: &str,
    yaml_offset: usize,
    yaml: &str,
    message: &str,
    within: Option<usize>,
) -> Option<(Location, String)> {
    // `source: duplicate entry ...` is inside the value of `source`: not a
    // top-level key, and found only from where the parser placed it.
    let nested = !message.starts_with("duplicate ");
    if nested && (within.is_none() || !message.contains(": duplicate ")) {
        return None;
    }
    let key = message
        .split_once("duplicate entry with key \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .or_else(|| {
            message
                .split_once("duplicate field `")
                .and_then(|(_, rest)| rest.split_once('`'))
        })
        .map(|(key, _)| key)?;
    let top: Vec<usize> = top_keys(yaml)
        .into_iter()
        .filter(|&(k, _)| k == key)
        .map(|(_, offset)| offset)
        .collect();
    // Not twice at the top level: in a nested mapping, which the parser
    // places where it starts (`within`): the key's first two places from
    // there.
    let (first, second) = match top.as_slice() {
        [first, second, ..] if !nested => (*first, *second),
        _ if !nested => return None,
        _ => {
            let mut at = key_offsets(yaml, key)
                .into_iter()
                .filter(|&at| at >= within.unwrap_or(0));
            (at.next()?, at.next()?)
        }
    };
    let first = Location::of_offset(text, yaml_offset + first).line;
    let second = Location::of_offset(text, yaml_offset + second);
    Some((
        second,
        format!("the key is written twice; the first is on line {first}: keep one"),
    ))
}

/// Every place `key:` is written as a key in `yaml` (at a line's start,
/// indented or not, or after `{` or `,` in a `{...}`), outside comments.
fn key_offsets(yaml: &str, key: &str) -> Vec<usize> {
    let needle = format!("{key}:");
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let mut from = 0;
        while let Some(k) = line[from..].find(&needle) {
            let at = from + k;
            let before = &line[..at];
            if before.contains('#') {
                break;
            }
            let body = before.trim_end_matches([' ', '\t']);
            if body.is_empty()
                || body.ends_with(['{', ','])
                || body.trim_start_matches(['-', ' ']).is_empty()
            {
                out.push(line_start + at);
            }
            from = at + needle.len();
        }
        line_start += line.len();
    }
    out
}

/// What a front matter that is not valid YAML still tells of its note's
/// names: `(names, guesses)`. Each `title`, `aliases` and `slug` entry is
/// read alone, and the names of those that read go to `names`. Of those
/// that do not, such as `title: "Acme Corp` with its quote left open, the
/// value with its opening quote or bracket taken off (each item, for a
/// list in brackets) goes to `guesses`, lowercased: what the name most
/// likely is once the mistake is mended.
pub fn salvage_names(yaml: &str) -> (Vec<String>, Vec<String>) {
    const NAMES: [&str; 3] = ["title", "aliases", "slug"];
    // Unlike `top_keys`, a line that starts like a key is taken for one
    // even where the lines before leave a quote or a bracket open, or where
    // it is less indented than the first key: in YAML that does not parse,
    // that is most likely the mistake. So is a tab before one of the names.
    let margin = margin(yaml);
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        if let Some(key) = line_key(content) {
            if indent <= margin || (NAMES.contains(&key) && line[..indent].contains('\t')) {
                keys.push((key, offset + indent));
            }
        }
        offset += line.len();
    }
    let mut names = Vec::new();
    let mut guesses = Vec::new();
    let scalar = |value: Value| match value {
        Value::String(name) => Some(name),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    for (i, &(key, at)) in keys.iter().enumerate() {
        if !NAMES.contains(&key) {
            continue;
        }
        let end = keys.get(i + 1).map_or(yaml.len(), |&(_, next)| next);
        let entry = yaml[at..end].trim_end();
        match serde_yaml::from_str::<Mapping>(entry) {
            Ok(map) => match map.into_iter().next().map(|(_, v)| v) {
                Some(Value::Sequence(items)) => names.extend(items.into_iter().filter_map(scalar)),
                Some(value) => names.extend(scalar(value)),
                None => {}
            },
            Err(_) => {
                let value = entry.split_once(':').map_or("", |(_, v)| v).trim();
                let (list, value) = match value.strip_prefix('[') {
                    Some(items) => (true, items.trim_end_matches(']')),
                    None => (false, value),
                };
                let unquote = |v: &str| v.trim().trim_matches(['"', '\'']).trim().to_lowercase();
                if list {
                    guesses.extend(value.split(',').map(unquote));
                } else {
                    guesses.push(unquote(value));
                }
            }
        }
    }
    guesses.retain(|g| !g.is_empty());
    (names, guesses)
}

/// If a quoted text that began on an earlier line is still open where
/// line `line` of `yaml` starts (both one-based), the line it began on.
/// YAML lets a quoted text run over lines, so a quote left open swallows
/// the lines after it up to the next quote, and the parser gives up
/// there, far from the mistake.
pub fn quote_open_at(yaml: &str, line: usize) -> Option<usize> {
    let mut state = Open::default();
    let mut opened = 0;
    for (i, text) in yaml.split_inclusive('\n').enumerate() {
        let number = i + 1;
        if number == line {
            return state.quote.map(|_| opened);
        }
        let content = text.trim_start_matches(' ');
        let indent = text.len() - content.len();
        if let Some(block) = state.block {
            if content.trim().is_empty() || indent > block {
                continue;
            }
            state.block = None;
        }
        let was_open = state.quote.is_some();
        state = scan_line(content, indent, state);
        if state.quote.is_some() && !was_open {
            opened = number;
        }
    }
    None
}

/// Whether line `line` of `yaml` (one-based) goes on with something begun
/// above it: a quoted text, a list or mapping in brackets, or a block
/// scalar (`|`, `>`) whose text it is.
pub fn continues_above(yaml: &str, line: usize) -> bool {
    let mut state = Open::default();
    for (i, text) in yaml.split_inclusive('\n').enumerate() {
        let content = text.trim_start_matches(' ');
        let indent = text.len() - content.len();
        let in_block = state
            .block
            .is_some_and(|block| content.trim().is_empty() || indent > block);
        if i + 1 == line {
            return in_block || state.quote.is_some() || state.flow > 0;
        }
        if in_block {
            continue;
        }
        state.block = None;
        state = scan_line(content, indent, state);
    }
    false
}

/// The key a line of a mapping starts with, quoted or plain, if a `:`
/// follows it.
fn line_key(content: &str) -> Option<&str> {
    match content.as_bytes().first()? {
        &q @ (b'"' | b'\'') => {
            let end = 1 + quote_end(&content[1..], q)?;
            let key = &content[1..end - 1];
            content[end..].trim_start().starts_with(':').then_some(key)
        }
        b'#' => None,
        _ => content.find(':').map(|colon| content[..colon].trim_end()),
    }
}

/// What a front-matter line leaves open for the lines after it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Open {
    /// Inside a quoted scalar (`"` or `'`).
    quote: Option<u8>,
    /// Inside this many brackets and braces.
    flow: usize,
    /// A block scalar (`|`, `>`) began on a line of this indentation: the
    /// more indented lines after it are its text.
    block: Option<usize>,
}

/// Scans one line (`content`, after its `indent` spaces), starting in
/// `state`. A quote opens a quoted scalar only where a value begins (the
/// line's start, after `: `, `- `, `[`, `{` or `,`, and after an anchor
/// or a tag); elsewhere, as in `he said "hi`, it is text. A `#` after a
/// space, or where a value begins, starts a comment.
fn scan_line(content: &str, indent: usize, mut state: Open) -> Open {
    let bytes = content.as_bytes();
    let mut i = 0;
    let mut value_start = true;
    while i < bytes.len() {
        if let Some(q) = state.quote {
            match quote_end(&content[i..], q) {
                Some(end) => {
                    i += end;
                    state.quote = None;
                    value_start = false;
                    continue;
                }
                None => return state,
            }
        }
        let b = bytes[i];
        let spaced = bytes.get(i + 1).is_none_or(|&n| n == b' ' || n == b'\n');
        match b {
            b' ' | b'\n' => {}
            b'#' if value_start || bytes[i - 1] == b' ' => return state,
            b'"' | b'\'' if value_start => state.quote = Some(b),
            b'[' | b'{' if value_start || state.flow > 0 => {
                state.flow += 1;
                value_start = true;
            }
            b']' | b'}' if state.flow > 0 => {
                state.flow -= 1;
                value_start = false;
            }
            b',' if state.flow > 0 => value_start = true,
            b':' if spaced || state.flow > 0 => value_start = true,
            b'-' if value_start && spaced => {}
            b'&' | b'!' if value_start => {
                // An anchor or a tag: the value begins after it.
                while i < bytes.len() && bytes[i] != b' ' {
                    i += 1;
                }
                continue;
            }
            b'|' | b'>' if value_start && state.flow == 0 => {
                state.block = Some(indent);
                return state;
            }
            _ => value_start = false,
        }
        i += 1;
    }
    state
}

/// The offset just past the quote `q` that ends the quoted text `text`
/// starts inside, if it ends in `text`: `\"` does not end a double-quoted
/// text, nor `''` a single-quoted one.
fn quote_end(text: &str, q: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Where `key:` is first written as a key below the top level of `yaml`
/// (in an anchored mapping or a `{...}` a merge brings in), outside
/// comments.
fn nested_key_offset(yaml: &str, key: &str) -> Option<usize> {
    key_offsets(yaml, key)
        .into_iter()
        .find(|&at| at > 0 && yaml.as_bytes()[at - 1] != b'\n')
}

/// The line of the merge (`<<:`) that cannot be merged: the first whose
/// value is written on its line and is neither an alias (`*x`), a
/// mapping (`{...}`) nor a list of them; else the first merge.
fn bad_merge_offset(yaml: &str) -> Option<usize> {
    let mut first = None;
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let item = trimmed.trim_start_matches(['-', ' ']);
        if let Some(value) = item.strip_prefix("<<:") {
            let at = offset + (line.len() - item.len());
            first.get_or_insert(at);
            let value = value.split(" #").next().unwrap_or("").trim();
            let plausible = value.is_empty()
                || value.starts_with(['*', '{'])
                || (value.starts_with('[')
                    && value
                        .trim_matches(['[', ']'])
                        .split(',')
                        .all(|v| v.trim().starts_with(['*', '{']) || v.trim().is_empty()));
            if !plausible {
                return Some(at);
            }
        }
        offset += line.len();
    }
    first
}

/// Is a `<<` written unquoted as a key anywhere in `yaml` (`<<: *base`)?
/// Quoted (`"<<": x`), it is an ordinary key, which the parsed value
/// cannot tell apart.
fn writes_plain_merge_key(yaml: &str) -> bool {
    yaml.match_indices("<<").any(|(i, _)| {
        let before = yaml[..i].trim_end_matches([' ', '\t']).chars().next_back();
        let after = yaml[i + 2..].trim_start_matches([' ', '\t']).chars().next();
        !matches!(before, Some('"' | '\'')) && after == Some(':')
    })
}

/// Does `value` hold a `<<` merge key anywhere?
fn has_merge_key(value: &Value) -> bool {
    match value {
        Value::Mapping(map) => map
            .iter()
            .any(|(k, v)| k.as_str() == Some("<<") || has_merge_key(v)),
        Value::Sequence(items) => items.iter().any(has_merge_key),
        Value::Tagged(t) => has_merge_key(&t.value),
        _ => false,
    }
}

/// Parses the YAML of a split note. `collections` are the reference keys.
pub fn parse(
    text: &str,
    split: &Split<'_>,
    collections: &BTreeSet<String>,
) -> Result<FrontMatter, Vec<Problem>> {
    match parse_all(text, split, collections)? {
        (fm, problems) if problems.is_empty() => Ok(fm),
        (_, problems) => Err(problems),
    }
}

/// [`parse`], going on past problems with single keys: what could be
/// read, and the problems (only YAML that does not parse, or is not a
/// mapping, is an `Err`). A note's own checks (its slug, its title) can
/// then be reported with the keys' problems, all at once.
pub fn parse_all(
    text: &str,
    split: &Split<'_>,
    collections: &BTreeSet<String>,
) -> Result<(FrontMatter, Vec<Problem>), Vec<Problem>> {
    // The top-level keys' places, when the fast path read the YAML (it
    // finds them on the way); else found the first time one is asked for.
    let keys = std::cell::OnceCell::new();
    let value: Value = if split.yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else if let Some((map, found)) = super::simple_yaml::parse(split.yaml) {
        let _ = keys.set(found);
        Value::Mapping(map)
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| {
            let above = Location::of_offset(text, split.yaml_offset).line - 1;
            let full = e.to_string();
            // Where the mistake is, when the parser noticed it further on.
            let location = crate::config::yaml_error_location(&e, split.yaml)
                .map(|at| crate::config::yaml_culprit(&full, split.yaml, at).unwrap_or(at))
                .map_or(Location::new(1, 1), |l| {
                    Location::new(above + l.line, l.col)
                });
            let message = strip_yaml_location(&full);
            if let Some((location, hint)) = duplicate_key(
                text,
                split.yaml_offset,
                split.yaml,
                &message,
                e.location().map(|l| l.index()),
            ) {
                return vec![Problem {
                    location,
                    message: format!("invalid YAML in front matter: {message}"),
                    hint: Some(hint),
                }];
            }
            let hint = if message.contains("recursion limit") {
                Some("nest lists and mappings at most 128 levels deep".to_string())
            } else {
                yaml_context_hint(
                    &full,
                    split.yaml,
                    crate::config::yaml_error_line(&e, split.yaml),
                    above,
                )
            };
            vec![Problem {
                location,
                message: format!("invalid YAML in front matter: {message}"),
                hint,
            }]
        })?
    };
    if let Some(at) = lossy_whole_number(&value, split.yaml) {
        let digits: String = split.yaml[at..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
            .collect();
        return Err(vec![Problem {
            location: Location::of_offset(text, split.yaml_offset + at),
            message: format!(
                "invalid YAML in front matter: the whole number {digits} is too large to read \
                 exactly"
            ),
            hint: Some(crate::config::TOO_LARGE_HINT.into()),
        }]);
    }
    // `<<: *defaults` merges another mapping's keys, as YAML 1.1 tools do.
    let mut value = value;
    if split.yaml.contains("<<") && has_merge_key(&value) && writes_plain_merge_key(split.yaml) {
        if let Err(e) = value.apply_merge() {
            let at =
                bad_merge_offset(split.yaml).map_or(split.yaml_offset, |i| split.yaml_offset + i);
            return Err(vec![Problem {
                location: Location::of_offset(text, at),
                message: format!(
                    "invalid YAML in front matter: {}",
                    strip_yaml_location(&e.to_string())
                ),
                hint: Some("`<<:` merges a mapping (`<<: *defaults`) or a list of them".into()),
            }]);
        }
    }
    let Value::Mapping(map) = value else {
        return Err(vec![Problem {
            location: Location::of_offset(text, split.yaml_offset),
            message: "front matter must be a mapping of keys to values".into(),
            hint: Some("write `title: My note` between the `---` lines".into()),
        }]);
    };
    let mut reader = Reader {
        text,
        split,
        // Every offset it is asked for lies in the front matter.
        locator: Locator::new(&text[..split.yaml_offset + split.yaml.len()]),
        keys,
        problems: Vec::new(),
        notices: Vec::new(),
    };
    let mut fm = reader.read(map, collections);
    fm.warnings = reader.notices;
    Ok((fm, reader.problems))
}

/// Where `yaml` writes a whole number past the largest 128-bit one, which
/// the YAML parser reads as a float (`1e39`), its digits lost: a run of
/// digits, written as a whole number, whose value is a float `value` holds.
/// (Smaller ones past 64 bits are a parse error already.)
fn lossy_whole_number(value: &Value, yaml: &str) -> Option<usize> {
    fn big_floats(v: &Value, out: &mut Vec<f64>) {
        match v {
            Value::Number(n) if !n.is_i64() && !n.is_u64() => {
                if let Some(f) = n
                    .as_f64()
                    .filter(|f| f.is_finite() && f.abs() > u128::MAX as f64)
                {
                    out.push(f.abs());
                }
            }
            Value::Sequence(items) => items.iter().for_each(|i| big_floats(i, out)),
            Value::Mapping(map) => map.iter().for_each(|(k, v)| {
                big_floats(k, out);
                big_floats(v, out);
            }),
            Value::Tagged(t) => big_floats(&t.value, out),
            _ => {}
        }
    }
    let mut floats = Vec::new();
    big_floats(value, &mut floats);
    if floats.is_empty() {
        return None;
    }
    let bytes = yaml.as_bytes();
    let part = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| bytes[j]);
        let whole = !before.is_some_and(part) && !bytes.get(i).copied().is_some_and(part);
        // Quoted digits, or digits in a comment, have other values than
        // the floats (a float written `1e39` has no run of digits at all).
        let read_as_float = || {
            yaml[start..i]
                .parse::<f64>()
                .is_ok_and(|f| floats.contains(&f))
        };
        if whole && i - start > 38 && read_as_float() {
            let signed = matches!(before, Some(b'-' | b'+'));
            return Some(if signed { start - 1 } else { start });
        }
    }
    None
}

struct Reader<'t> {
    text: &'t str,
    split: &'t Split<'t>,
    locator: Locator<'t>,
    /// The top-level keys and their offsets in `split.yaml`, found the
    /// first time a key's place is asked for.
    keys: std::cell::OnceCell<Vec<(&'t str, usize)>>,
    problems: Vec<Problem>,
    /// Told as warnings: see [`FrontMatter::warnings`].
    notices: Vec<Problem>,
}

impl Reader<'_> {
    /// Byte offset of the top-level `key:` in the text, if written plainly.
    fn key_offset(&self, key: &str) -> Option<usize> {
        let keys = self.keys.get_or_init(|| top_keys(self.split.yaml));
        Some(self.split.yaml_offset + find_key(self.split.yaml, keys, key)?)
    }

    /// Location of the top-level `key:`, or of the front matter's start.
    fn key_location(&self, key: &str) -> Location {
        let offset = self.key_offset(key).unwrap_or(self.split.yaml_offset);
        self.locator.locate(offset)
    }

    /// Offset of the value written on the line of the top-level `key:`
    /// (`2024-02-30` in `date: 2024-02-30`), if one is written there.
    fn value_offset(&self, key: &str) -> Option<usize> {
        let at = self.key_offset(key)?;
        let line = self.text[at..].split('\n').next()?;
        let colon = match line.as_bytes().first()? {
            &q @ (b'"' | b'\'') => {
                let end = 1 + quote_end(&line[1..], q)?;
                end + line[end..].find(':')?
            }
            _ => line.find(':')?,
        };
        let rest = &line[colon + 1..];
        let value = rest.trim_start_matches([' ', '\t']);
        if value.trim_end().is_empty() || value.starts_with(['#', '|', '>']) {
            return None;
        }
        Some(at + colon + 1 + (rest.len() - value.len()))
    }

    /// Location of the value of the top-level `key:` if it is written on
    /// the key's line, else of the key.
    fn value_location(&self, key: &str) -> Location {
        match self.value_offset(key) {
            Some(offset) => self.locator.locate(offset),
            None => self.key_location(key),
        }
    }

    /// Location of `item` written after byte `from` (at first, the offset
    /// of its key); `from` moves past it, so a long list is read once.
    fn item_location(&self, key: &str, item: &str, from: &mut usize) -> Location {
        let yaml_end = self.split.yaml_offset + self.split.yaml.len();
        let start = (*from).min(yaml_end);
        match find_short(&self.text[start..yaml_end], item) {
            Some(found) => {
                *from = start + found + item.len();
                self.locator.locate(start + found)
            }
            None => self.key_location(key),
        }
    }

    fn problem(&mut self, key: &str, message: String, hint: Option<&str>) {
        // Past the problems shown, none is looked for: finding each key
        // reads the front matter from its start.
        // A problem of the value points at the value, where it is written
        // on the key's line; else at the key.
        let location = if self.problems.len() < crate::diag::MAX_PER_FILE {
            self.value_location(key)
        } else {
            Location::default()
        };
        self.problems.push(Problem {
            location,
            message,
            hint: hint.map(str::to_string),
        });
    }

    fn string(&mut self, key: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.problem(key, format!("`{key}` must be text, not {}", kind(v)), None);
                None
            }
        }
    }

    /// A list's items as text; empty ones are left out, with a warning.
    fn list(&mut self, key: &str, v: &Value) -> Vec<String> {
        let mut items = self.list_items(key, v);
        let before = items.len();
        items.retain(|t| !t.trim().is_empty());
        let blank = before - items.len();
        if blank > 0 && !matches!(v, Value::Sequence(_)) {
            // `companies: ""`: a text, not a list, and an empty one.
            self.notices.push(Problem {
                location: self.value_location(key),
                message: format!("`{key}` is empty text, left out"),
                hint: Some("write a name, or remove the key".to_string()),
            });
        } else if blank > 0 {
            let (n, them) = if blank == 1 {
                ("an empty item".to_string(), "it")
            } else {
                (format!("{blank} empty items"), "them")
            };
            self.notices.push(Problem {
                location: self.blank_item_location(key),
                message: format!("`{key}` has {n}, left out"),
                hint: Some(format!("remove {them}, or write a name in {them}")),
            });
        }
        items
    }

    /// Where the first item naming nothing (`""`, `' '`, a bare `-`, `~`)
    /// after `key:` is written, before the next top-level key; else where
    /// the value is.
    fn blank_item_location(&self, key: &str) -> Location {
        let Some(start) = self.key_offset(key) else {
            return self.value_location(key);
        };
        let yaml_end = self.split.yaml_offset + self.split.yaml.len();
        let keys = self.keys.get_or_init(|| top_keys(self.split.yaml));
        let end = keys
            .iter()
            .map(|&(_, at)| self.split.yaml_offset + at)
            .filter(|&at| at > start)
            .min()
            .unwrap_or(yaml_end);
        match blank_item_offset(&self.text[start..end]) {
            Some(at) => self.locator.locate(start + at),
            None => self.value_location(key),
        }
    }

    fn list_items(&mut self, key: &str, v: &Value) -> Vec<String> {
        let mut reported = false;
        match v {
            Value::Null => Vec::new(),
            Value::String(_) | Value::Number(_) => self.string(key, v).into_iter().collect(),
            Value::Sequence(items) => items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    // A bare `-` or `~`: an empty item, left out by `list`.
                    Value::Null => Some(String::new()),
                    // One problem per key, however long the list.
                    _ if reported => None,
                    other => {
                        reported = true;
                        // `companies: [[alibaba]]`: a wikilink's brackets.
                        let wikilink = matches!(other, Value::Sequence(inner)
                            if !inner.is_empty() && inner.iter().all(Value::is_string));
                        let hint = if wikilink {
                            "`[[name]]` is a wikilink, for the body; front matter lists names \
                             bare: [alibaba, netease]"
                        } else {
                            "write one name per item: [acme, globex]"
                        };
                        self.problem(
                            key,
                            format!("`{key}` must list text items, not {}", kind(other)),
                            Some(hint),
                        );
                        None
                    }
                })
                .collect(),
            other => {
                self.problem(
                    key,
                    format!("`{key}` must be a list, not {}", kind(other)),
                    Some("write a list: [acme, globex]"),
                );
                Vec::new()
            }
        }
    }

    fn date(&mut self, key: &str, v: &Value) -> Option<Date> {
        let text = self.string(key, v)?;
        match Date::parse(&text) {
            Ok(d) => Some(d),
            Err(m) => {
                self.problem(key, m, None);
                None
            }
        }
    }

    /// The offset of the `n`th top-level line of the front matter that
    /// opens with `[`, `{` or `?` (a key that is not text), or of the
    /// front matter's start.
    fn nth_odd_key_line(&self, n: usize) -> usize {
        let mut offset = self.split.yaml_offset;
        let mut seen = 0;
        for line in self.split.yaml.split_inclusive('\n') {
            if line.starts_with(['[', '{', '?']) {
                if seen == n {
                    return offset;
                }
                seen += 1;
            }
            offset += line.len();
        }
        self.split.yaml_offset
    }

    fn read(&mut self, map: Mapping, collections: &BTreeSet<String>) -> FrontMatter {
        let mut fm = FrontMatter {
            date_location: Location::new(1, 1),
            title_location: Location::new(1, 1),
            ..FrontMatter::default()
        };
        // Keys that are lists or mappings, as met: the nth is written on
        // the nth top-level line opening with `[`, `{` or `?`.
        let mut odd_keys = 0;
        // Free keys that look like slips for a key brief reads.
        let mut slips = Vec::new();
        for (k, v) in map {
            let key = match &k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    // Past the problems shown, none is looked for.
                    let location = if self.problems.len() < crate::diag::MAX_PER_FILE {
                        Location::of_offset(self.text, self.nth_odd_key_line(odd_keys))
                    } else {
                        Location::default()
                    };
                    odd_keys += 1;
                    self.problems.push(Problem {
                        location,
                        message: format!("front-matter keys must be text, not {}", kind(other)),
                        hint: None,
                    });
                    continue;
                }
            };
            fm.keys.insert(key.clone());
            let empty = match &v {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Sequence(items) => items.is_empty(),
                Value::Mapping(m) => m.is_empty(),
                _ => false,
            };
            if empty {
                fm.empty.push((key.clone(), self.key_location(&key)));
            }
            match key.as_str() {
                "title" => {
                    fm.title = self.string(&key, &v);
                    if fm.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                        fm.title_location = self.key_location("title");
                    }
                }
                "slug" => {
                    fm.slug = self
                        .string(&key, &v)
                        .map(|s| (s, self.value_location("slug")))
                }
                "aliases" => {
                    fm.aliases = self.list(&key, &v);
                    for alias in fm.aliases.iter().filter(|a| a.starts_with('/')) {
                        let mut from = self
                            .key_offset(&key)
                            .map_or(self.split.yaml_offset, |at| at + key.len() + 1);
                        let location = self.item_location(&key, alias, &mut from);
                        self.notices.push(Problem {
                            location,
                            message: format!(
                                "`aliases`: \"{alias}\" looks like an address, but aliases are other names of the note"
                            ),
                            hint: Some(
                                "an old address goes under `redirect_from:` (Hugo's and Zola's `aliases`)"
                                    .to_string(),
                            ),
                        });
                    }
                }
                "template" => {
                    let Some(name) = self.string(&key, &v) else {
                        continue;
                    };
                    let plain = name.ends_with(".html")
                        && !name.starts_with('/')
                        && !name.contains('\\')
                        && name
                            .split('/')
                            .all(|p| !p.is_empty() && p != "." && p != "..");
                    if plain {
                        fm.template = Some((name, self.value_location("template")));
                    } else {
                        self.problem(
                            &key,
                            format!("`template`: \"{name}\" is not a template's name"),
                            Some("name an .html file under templates/ or the theme's templates/, such as `report.html`"),
                        );
                    }
                }
                "redirect_from" => {
                    let texts = self.list(&key, &v);
                    let mut from = self
                        .key_offset(&key)
                        .map_or(self.split.yaml_offset, |at| at + key.len() + 1);
                    for text in texts {
                        let location = self.item_location(&key, &text, &mut from);
                        match redirect_file(&text) {
                            Ok(path) => fm.redirects.push(Redirect {
                                from: text,
                                path,
                                location,
                            }),
                            Err((message, hint)) => self.problems.push(Problem {
                                location,
                                message,
                                hint: Some(hint.to_string()),
                            }),
                        }
                    }
                }
                "date" => {
                    fm.date_location = self.key_location("date");
                    fm.date = self.date(&key, &v);
                }
                "updated" => fm.updated = self.date(&key, &v),
                "summary" => fm.summary = self.string(&key, &v),
                "weight" => match v {
                    Value::Number(n) if n.as_i64().is_some() => {
                        let w = n.as_i64().unwrap_or_default();
                        fm.weight = Some((w, self.value_location("weight")));
                    }
                    Value::Null => {}
                    other => self.problem(
                        &key,
                        match &other {
                            // Past i64 YAML reads a number as u64, or
                            // as a float below it.
                            Value::Number(n)
                                if n.is_u64()
                                    || n.as_f64().is_some_and(|f| {
                                        f.fract() == 0.0
                                            && (f >= i64::MAX as f64 || f < i64::MIN as f64)
                                    }) =>
                            {
                                format!(
                                    "`weight` {n} is out of range: weights go from {} to {}",
                                    i64::MIN,
                                    i64::MAX
                                )
                            }
                            Value::Number(n) => format!("`weight` must be a whole number, not {n}"),
                            Value::String(t) => {
                                format!("`weight` must be a whole number, not the text \"{t}\"")
                            }
                            _ => format!("`weight` must be a whole number, not {}", kind(&other)),
                        },
                        Some(
                            "write digits alone, without quotes, leading zeros or `_` (`weight: 10`); lighter notes come first",
                        ),
                    ),
                },
                "draft" | "autolink" => match v {
                    Value::Bool(b) if key == "draft" => fm.draft = b,
                    Value::Bool(b) => fm.autolink = Some(b),
                    Value::Null => {}
                    other => self.problem(
                        &key,
                        format!("`{key}` must be true or false, not {}", kind(&other)),
                        None,
                    ),
                },
                _ if collections.contains(&key) => {
                    let texts = self.list(&key, &v);
                    // Items are looked for after `key:`, not in the key.
                    let mut from = self
                        .key_offset(&key)
                        .map_or(self.split.yaml_offset, |at| at + key.len() + 1);
                    let items = texts
                        .into_iter()
                        .map(|t| Reference {
                            location: self.item_location(&key, &t, &mut from),
                            text: t,
                        })
                        .collect();
                    fm.refs.push(RefList { key, items });
                }
                _ => {
                    if let Some(meant) = meant_key(&key, &v, collections) {
                        slips.push((key.clone(), meant));
                    }
                    let json = serde_json::to_value(spelled_non_finite(v))
                        .unwrap_or(serde_json::Value::Null);
                    fm.extra.push((key, json));
                }
            }
        }
        for (key, meant) in slips {
            if fm.keys.contains(meant) {
                continue;
            }
            let location = self.key_location(&key);
            self.notices.push(Problem {
                location,
                message: format!("`{key}` is not a key brief reads: it is kept as free data"),
                hint: Some(if key.to_lowercase() == meant {
                    format!(
                        "did you mean `{meant}`? (keys are case-sensitive; a free key shows among the note's facts)"
                    )
                } else {
                    format!("did you mean `{meant}`? (a free key shows among the note's facts)")
                }),
            });
            fm.slips.push((key, meant.to_string(), location));
        }
        fm
    }
}

/// Where the top-level `key:` of a split note is written, found as the
/// reader finds a key's place for its own messages; the front matter's
/// start if it cannot be found.
pub fn key_location(text: &str, split: &Split<'_>, key: &str) -> Location {
    let at = find_key(split.yaml, &top_keys(split.yaml), key).unwrap_or(0);
    Location::of_offset(text, split.yaml_offset + at)
}

/// Where `key:` is in `yaml`, among its top-level `keys` or, for a key a
/// merge (`<<: *defaults`) brought, nested.
fn find_key(yaml: &str, keys: &[(&str, usize)], key: &str) -> Option<usize> {
    match keys.iter().find(|&&(k, _)| k == key) {
        Some(&(_, at)) => Some(at),
        None => nested_key_offset(yaml, key),
    }
}

/// The keys brief reads itself, besides the collections' names (`roles`
/// and `relations` are left out: `role:` is a common free key).
const KNOWN_KEYS: &[&str] = &[
    "title",
    "slug",
    "aliases",
    "date",
    "updated",
    "draft",
    "summary",
    "autolink",
    "redirect_from",
    "template",
    "weight",
];

/// The key a free key most likely meant to be: one that differs from it
/// only in case or by one letter (`drafts`, `sumary`, `peopel`, `Title`),
/// or is its singular (`alias`, `company`, `person`),
/// and whose kind of value it has (`drafts: true`, not `data: {...}`; a
/// list for a collection, not `source: {...}` beside a `sources`
/// collection). A slip would otherwise pass without a word: a draft
/// published, a reference list lost.
fn meant_key<'k>(key: &str, value: &Value, collections: &'k BTreeSet<String>) -> Option<&'k str> {
    let lower = key.to_lowercase();
    // Short keys are one letter from too many others (`tag`, `tags`,
    // `tab`): only their case and their plural count.
    let short = lower.chars().count() < 4;
    // Lengths first: most free keys are far from every known one, and
    // this runs for every free key of every note.
    let close = |known: &str| {
        (lower.len().abs_diff(known.len()) <= 1
            && (lower == known || (!short && strsim::damerau_levenshtein(&lower, known) == 1)))
            || singular_of(&lower, known)
    };
    let dated = |v: &Value| {
        v.as_str().is_some_and(|t| {
            let b = t.as_bytes();
            b.len() >= 10
                && b[..10].iter().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        *c == b'-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
        })
    };
    let fits = |known: &str| match known {
        "draft" | "autolink" => value.is_bool(),
        // `height: 180` is a fact of its own, not a slip.
        "weight" => value.is_i64() && lower.starts_with('w'),
        "date" | "updated" => dated(value),
        "aliases" => value.is_sequence() || value.is_string(),
        _ => value.is_string(),
    };
    // Hugo's and Zola's names for what brief reads (their `tags` and
    // `categories` are what a `topics` collection holds).
    let renamed = FROM_OTHER_TOOLS
        .iter()
        .find(|(theirs, _)| *theirs == lower)
        .and_then(|&(_, ours)| match ours {
            "topics" if value.is_sequence() => collections.get("topics").map(String::as_str),
            "topics" => None,
            _ => fits(ours).then_some(ours),
        });
    renamed.or_else(|| {
        KNOWN_KEYS
            .iter()
            .copied()
            .find(|k| fits(k) && close(k))
            .or_else(|| {
                collections
                    .iter()
                    .map(String::as_str)
                    .find(|c| value.is_sequence() && close(c))
            })
    })
}

/// Keys of Hugo's and Zola's front matter, lowercased, and brief's for
/// the same thing.
const FROM_OTHER_TOOLS: &[(&str, &str)] = &[
    ("lastmod", "updated"),
    ("description", "summary"),
    ("publishdate", "date"),
    ("pubdate", "date"),
    ("tags", "topics"),
    ("categories", "topics"),
];

/// Is `word` the singular of the plural `known` (`alias` of `aliases`,
/// `company` of `companies`, `person` of `people`)?
fn singular_of(word: &str, known: &str) -> bool {
    if known == "people" {
        return word == "person";
    }
    known
        .strip_suffix("ies")
        .is_some_and(|stem| word.strip_suffix('y') == Some(stem))
        || known.strip_suffix("es") == Some(word)
        || known.strip_suffix('s') == Some(word)
}

/// `v` with each float that JSON cannot hold (`.nan`, `.inf`, `-.inf`)
/// turned into that YAML spelling as text, so that templates show what was
/// written rather than nothing.
fn spelled_non_finite(v: Value) -> Value {
    match v {
        Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            let f = n.as_f64().unwrap_or_default();
            let text = if f.is_nan() {
                ".nan"
            } else if f > 0.0 {
                ".inf"
            } else {
                "-.inf"
            };
            Value::String(text.to_string())
        }
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(spelled_non_finite).collect())
        }
        Value::Mapping(map) => Value::Mapping(
            map.into_iter()
                .map(|(k, v)| (spelled_non_finite(k), spelled_non_finite(v)))
                .collect(),
        ),
        Value::Tagged(mut t) => {
            t.value = spelled_non_finite(t.value);
            Value::Tagged(t)
        }
        other => other,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// `hay.find(needle)` for the short needles of front-matter lists (slugs,
/// names): each place holding the needle's first byte is tried, so there is
/// no searcher to set up per item as `str::find` does (a thousand
/// instructions an item). A match starts where the needle's first byte
/// does, which in valid UTF-8 is a character boundary.
fn find_short(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, &hay[from..]) {
        let at = from + i;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The byte offset in `region` (a top-level key's text, from the key to the
/// next key) of its list's first item that names nothing: a blank quoted
/// text (`""`, `' '`), or a null (a bare `-`, `~`, `null`). Quotes open a
/// text only where an item starts, so an apostrophe inside a name
/// (`[O'Reilly, '']`) is part of the name.
fn blank_item_offset(region: &str) -> Option<usize> {
    let b = region.as_bytes();
    let is_null = |t: &str| matches!(t, "" | "~" | "null" | "Null" | "NULL");
    let line_end = |from: usize| region[from..].find('\n').map_or(b.len(), |n| from + n);
    let mut i = region.find(':')? + 1;
    // Open `[`s; whether the next token starts an item; whether it is
    // the first on its line.
    let (mut depth, mut item, mut line_start) = (0usize, false, false);
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'\n' => {
                line_start = depth == 0;
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(i);
                continue;
            }
            _ => {}
        }
        let first = std::mem::replace(&mut line_start, false);
        if first && c == b'-' && matches!(b.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            // A block list's item: the rest of its line, and the lines
            // below indented more than its `-`, where the item may go on
            // or a block text (`|`, `>`) is written. Read as one, then
            // passed over: a `-` inside it starts no item.
            let col = i - region[..i].rfind('\n').map_or(0, |n| n + 1);
            let eol = line_end(i + 1);
            let below = continued(region, eol, col);
            let end = (eol + 1).min(b.len()) + below.len();
            // Its first token, past comments, anchors and tags.
            let mut p = i + 1;
            while p < end {
                match b[p] {
                    b' ' | b'\t' | b'\r' | b'\n' => p += 1,
                    b'#' => p = line_end(p),
                    b'&' | b'!' => {
                        p = region[p..end]
                            .find(char::is_whitespace)
                            .map_or(end, |n| p + n)
                    }
                    _ => break,
                }
            }
            let blank = if p >= end {
                Some(i)
            } else {
                match b[p] {
                    b'|' | b'>' => region[line_end(p)..end].trim().is_empty().then_some(i),
                    b'"' | b'\'' => {
                        let close = p + quote_end(&region[p + 1..], b[p])?;
                        blank_quoted(&region[p + 1..close], b[p]).then_some(p)
                    }
                    _ => is_null(without_comment(&region[p..line_end(p).min(end)]).trim())
                        .then_some(i),
                }
            };
            if blank.is_some() {
                return blank;
            }
            i = end;
            line_start = true;
            continue;
        }
        match c {
            b'[' | b',' if c == b'[' || depth > 0 => {
                depth += usize::from(c == b'[');
                item = true;
                i += 1;
            }
            b']' => {
                depth = depth.saturating_sub(1);
                item = false;
                i += 1;
            }
            b'&' | b'!' => {
                // An anchor or a tag (`&a`, `!!str`): the item is after it.
                i = region[i..]
                    .find([' ', '\t', '\n', ',', ']'])
                    .map_or(b.len(), |n| i + n);
            }
            b'"' | b'\'' => {
                let end = i + quote_end(&region[i + 1..], c)?;
                if item && blank_quoted(&region[i + 1..end], c) {
                    return Some(i);
                }
                item = false;
                i = end + 1;
            }
            _ => {
                // A plain text: to the end of its line, or in brackets to
                // the next `,` or `]`.
                let end = if depth > 0 {
                    region[i..]
                        .find([',', ']', '\n'])
                        .map_or(b.len(), |n| i + n)
                } else {
                    line_end(i)
                };
                if item && is_null(region[i..end].trim()) {
                    return Some(i);
                }
                item = false;
                i = end.max(i + 1);
            }
        }
    }
    None
}

/// `line` up to its comment: a `#` at its start or after white space.
fn without_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let at = (0..b.len()).find(|&k| b[k] == b'#' && (k == 0 || matches!(b[k - 1], b' ' | b'\t')));
    at.map_or(line, |k| &line[..k])
}

/// Is the text between `quote`s all white space once YAML reads it? In
/// double quotes, escapes are read left to right (`"\t"`, `"\u00a0"` are
/// white space; `"\\n"` is a backslash and an `n`).
fn blank_quoted(inner: &str, quote: u8) -> bool {
    if quote == b'\'' {
        return inner.trim().is_empty();
    }
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        let c = if c == '\\' {
            match chars.next() {
                Some('t' | '\t') => '\t',
                Some('n') => '\n',
                Some('r') => '\r',
                Some(' ') => ' ',
                Some('_') => '\u{a0}',
                Some('N') => '\u{85}',
                Some('L') => '\u{2028}',
                Some('P') => '\u{2029}',
                // An escaped line break: nothing.
                Some('\n') => continue,
                Some(k @ ('x' | 'u' | 'U')) => {
                    let digits = match k {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.by_ref().take(digits).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(c) => c,
                        None => return false,
                    }
                }
                _ => return false,
            }
        } else {
            c
        };
        if !c.is_whitespace() {
            return false;
        }
    }
    true
}

/// The lines after the line ending at `from` that belong to a block item
/// whose `-` is at column `col`: blank ones, and those indented more.
fn continued(region: &str, from: usize, col: usize) -> &str {
    let start = (from + 1).min(region.len());
    let mut end = start;
    for line in region[start..].split_inclusive('\n') {
        let text = line.trim_end();
        let indent = text.len() - text.trim_start().len();
        if !text.is_empty() && indent <= col {
            break;
        }
        end += line.len();
    }
    &region[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_are_a_letter_off_a_case_off_or_a_singular() {
        let collections: BTreeSet<String> = ["companies", "people", "tags", "sources"]
            .into_iter()
            .map(String::from)
            .collect();
        let list: Value = serde_yaml::from_str("[a]").unwrap();
        let text = Value::String("x".into());
        let yes = Value::Bool(true);
        for (key, value, meant) in [
            ("drafts", &yes, Some("draft")),
            ("sumary", &text, Some("summary")),
            ("Date", &Value::String("2024-01-01".into()), Some("date")),
            ("alias", &text, Some("aliases")),
            ("company", &list, Some("companies")),
            ("person", &list, Some("people")),
            ("tag", &list, Some("tags")),
            ("TAGS", &list, Some("tags")),
            // Text beside a collection is a fact; short keys are not
            // one letter from everything.
            ("company", &text, None),
            ("person", &text, None),
            ("source", &text, None),
            ("tab", &list, None),
            ("data", &text, None),
            // Hugo's and Zola's names.
            (
                "lastmod",
                &Value::String("2024-01-01".into()),
                Some("updated"),
            ),
            ("description", &text, Some("summary")),
            (
                "publishDate",
                &Value::String("2024-01-01".into()),
                Some("date"),
            ),
            ("lastmod", &text, None),
        ] {
            assert_eq!(meant_key(key, value, &collections), meant, "{key}");
        }
        let with_topics: BTreeSet<String> = ["topics".to_string()].into();
        assert_eq!(meant_key("tags", &list, &with_topics), Some("topics"));
        assert_eq!(meant_key("categories", &list, &with_topics), Some("topics"));
        assert_eq!(meant_key("tags", &text, &with_topics), None);
        assert_eq!(meant_key("categories", &list, &collections), None);
    }

    proptest::proptest! {
        #[test]
        fn a_blank_item_is_looked_for_without_panics(
            tail in "[-~ \t\r\n\"'\\\\\\[\\],#&!|>a中😀\u{feff}]{0,40}"
        ) {
            let region = format!("aliases:{tail}");
            if let Some(at) = blank_item_offset(&region) {
                proptest::prop_assert!(region.is_char_boundary(at));
            }
        }

        #[test]
        fn find_short_is_str_find(hay in "[ab, é阿-]{0,40}", needle in "[ab é阿-]{0,4}") {
            proptest::prop_assert_eq!(find_short(&hay, &needle), hay.find(&needle));
        }
    }

    fn cols() -> BTreeSet<String> {
        ["companies".to_string(), "topics".to_string()].into()
    }

    #[test]
    fn a_blank_item_is_found_where_an_item_starts() {
        fn at(region: &str) -> Option<&str> {
            blank_item_offset(region).map(|i| &region[i..])
        }
        assert_eq!(at("companies: [acme, \"\", x]"), Some("\"\", x]"));
        // An apostrophe inside a name opens nothing.
        assert_eq!(at("companies: [O'Reilly, '']"), Some("'']"));
        assert_eq!(at("companies: [\"a \\\" b\", ' ']"), Some("' ']"));
        assert_eq!(at("companies: ['it''s', \"\"]"), Some("\"\"]"));
        // Nulls: `~`, `null`, a bare `-`.
        assert_eq!(at("companies: [a, ~]"), Some("~]"));
        assert_eq!(at("companies:\n  - a\n  -\n  - b\n"), Some("-\n  - b\n"));
        assert_eq!(at("companies:\n  - a\n  - # none\n"), Some("- # none\n"));
        assert_eq!(at("companies:\n  - O'Reilly\n  - null\n"), Some("- null\n"));
        assert_eq!(at("companies:\n  - a\n  - \"\"\n"), Some("\"\"\n"));
        // Nothing blank: a trailing comma, `-` inside a name, a comment.
        assert_eq!(at("companies: [a, b, ]"), None);
        assert_eq!(at("companies: [a-b, c] # ''"), None);
        assert_eq!(at("companies:\n  - a - b\n  - 'x'\n"), None);
        // An item that goes on below its `-` is not empty; the next one is.
        assert_eq!(
            at("aliases:\n  - # the group\n    Acme\n  - \"\"\n"),
            Some("\"\"\n")
        );
        assert_eq!(at("aliases:\n  -\n    Acme\n  - x\n  - ~\n"), Some("- ~\n"));
        // Escaped white space, anchors, tags and empty block texts.
        assert_eq!(at(r#"aliases: [x, "\t"]"#), Some(r#""\t"]"#));
        assert_eq!(at("aliases: &a [x, \"\"]"), Some("\"\"]"));
        assert_eq!(at("aliases: [x, !!str \"\"]"), Some("\"\"]"));
        assert_eq!(at("aliases:\n  - >-\n\n  - x\n"), Some("- >-\n\n  - x\n"));
        assert_eq!(at("aliases:\n  - >-\n    Acme\n  - x\n"), None);
        // A `-` inside an item's text starts no item.
        assert_eq!(at("aliases:\n  - |\n    -\n  - \"\"\n"), Some("\"\"\n"));
        assert_eq!(at("aliases:\n  - a\n    -\n  - \"\"\n"), Some("\"\"\n"));
        // Escapes read left to right: `\\n` is not white space, `\u00a0` is.
        assert_eq!(at(r#"aliases: [a, "\\n", ""]"#), Some(r#"""]"#));
        assert_eq!(at(r#"aliases: [a, "\u00a0"]"#), Some(r#""\u00a0"]"#));
        assert_eq!(
            at("aliases:\n  - a\n  - \"\\x20\"\n  - \"\"\n"),
            Some("\"\\x20\"\n  - \"\"\n")
        );
        // A comment after a tab.
        assert_eq!(
            at("aliases:\n  - a\n  - ~\t# none\n"),
            Some("- ~\t# none\n")
        );
    }

    #[test]
    fn splits_and_reads_known_keys() {
        let text = "---\ntitle: Alibaba\naliases: [Ali]\ncompanies: [netease, tencent]\nhq: Hangzhou\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.body, "Body\n");
        let fm = parse(text, &s, &cols()).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Alibaba"));
        assert_eq!(fm.refs[0].items[1].text, "tencent");
        assert_eq!(fm.refs[0].items[1].location, Location::new(4, 22));
        assert_eq!(fm.extra[0].0, "hq");
    }

    #[test]
    fn old_addresses_are_the_files_that_serve_them() {
        for (from, file) in [
            ("/companies/old/", "companies/old/index.html"),
            ("companies/old", "companies/old/index.html"),
            ("/old.html", "old.html"),
            ("/a/b.htm", "a/b.htm"),
            ("/Old.HTML", "Old.HTML"),
            ("/caf%C3%A9/", "café/index.html"),
            (" /v1.2/ ", "v1.2/index.html"),
        ] {
            assert_eq!(redirect_file(from).as_deref(), Ok(file), "{from}");
        }
        for bad in [
            "/",
            "",
            "https://example.org/a/",
            "//cdn.example.org/a/",
            "/a/?page=2",
            "/a/#top",
            "/a/../b/",
            "/a//b/",
            "/report.pdf",
            "/a%2Fb/",
            "/%FF/",
            "/.hidden/",
            "/a/.html",
        ] {
            assert!(redirect_file(bad).is_err(), "{bad}");
        }
        assert!(redirect_file(&format!("/{}/", "x".repeat(256))).is_err());
        assert!(redirect_file(&format!("/{}/", "x".repeat(255))).is_ok());
        // Read from the front matter at their lines; an address written as
        // an alias (Hugo's and Zola's word for redirects) is a warning.
        let text =
            "---\ntitle: A\naliases: [Ali, /old-a/]\nredirect_from:\n  - /old/\n  - /x.pdf\n---\n";
        let s = split(text).unwrap();
        let (fm, problems) = parse_all(text, &s, &cols()).unwrap();
        assert_eq!(fm.redirects.len(), 1);
        assert_eq!(fm.redirects[0].path, "old/index.html");
        assert_eq!(fm.redirects[0].location, Location::new(5, 5));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].location, Location::new(6, 5));
        assert!(fm.extra.is_empty(), "{:?}", fm.extra);
    }

    #[test]
    fn floats_json_cannot_hold_keep_their_yaml_spelling() {
        let text =
            "---\ntitle: A\nscore: .nan\nfacts: {low: -.inf, high: .Inf, n: [1, .NaN, 2.5]}\n---\n";
        let s = split(text).unwrap();
        let fm = parse(text, &s, &cols()).unwrap();
        let extra: serde_json::Map<String, serde_json::Value> = fm.extra.into_iter().collect();
        assert_eq!(extra["score"], serde_json::json!(".nan"));
        assert_eq!(
            extra["facts"],
            serde_json::json!({"low": "-.inf", "high": ".inf", "n": [1, ".nan", 2.5]})
        );
    }

    #[test]
    fn a_key_that_lost_its_colon_is_named_in_the_hint() {
        let hint = |text: &str| {
            let s = split(text).unwrap();
            parse(text, &s, &cols()).unwrap_err()[0]
                .hint
                .clone()
                .unwrap_or_default()
        };
        assert_eq!(
            hint("---\ntitle [ Acme\nsummary: s\n---\n"),
            "line 2 is not `key: value`: is the `:` after `title` missing?"
        );
        assert!(hint("---\ntitle: AI: the race\n---\n").contains("must be quoted"));
    }

    #[test]
    fn a_yaml_error_after_a_nel_or_a_carriage_return_is_on_the_right_line() {
        // libyaml ends a line at NEL (U+0085, a Windows `…` read as
        // Latin-1), LS, PS and a lone `\r` too; the place and the hint
        // count lines as the file has them.
        for odd in ["\u{85}", "\u{2028}", "\r"] {
            let text = format!(
                "---\ntitle: A\nsummary: \"fell{odd} then rose\"\ntopics: [a, b\ncompanies: [x]\n---\n"
            );
            let s = split(&text).unwrap();
            let p = &parse(&text, &s, &cols()).unwrap_err()[0];
            assert_eq!(p.location, Location::new(4, 14), "{odd:?}: {}", p.message);
            assert_eq!(
                p.hint.as_deref(),
                Some("a list in brackets starts at line 4, column 9: is a `,` or its closing `]` missing?"),
                "{odd:?}"
            );
        }
    }

    #[test]
    fn a_whole_number_past_128_bits_is_an_error_not_a_float() {
        // Past 38 digits the YAML parser reads a whole number as a float
        // (1e39): its digits would be lost without a word.
        let nines = "9".repeat(39);
        for (value, col) in [
            (nines.clone(), 6),
            (format!("-{nines}"), 6),
            (format!("[1, {nines}]"), 10),
        ] {
            let text = format!("---\ntitle: A\nbig: {value}\n---\n");
            let s = split(&text).unwrap();
            let p = &parse(&text, &s, &cols()).unwrap_err()[0];
            assert_eq!(p.location, Location::new(3, col), "{value}: {}", p.message);
            assert!(
                p.message.contains("is too large to read exactly"),
                "{}",
                p.message
            );
            assert_eq!(p.hint.as_deref(), Some(crate::config::TOO_LARGE_HINT));
        }
        // A float written as one, and long digits elsewhere (quoted, in a
        // comment, in a block of text) beside one, stay as they are.
        let digits = "1234567890".repeat(4);
        for fine in [
            "1e39".to_string(),
            "1.5e40".to_string(),
            format!("\"{nines}\""),
            format!("1e40\nisbn: \"{digits}\""),
            format!("2.0e39\n# ref {digits}"),
            format!("1e40\nnotes: |\n  order {digits}"),
        ] {
            let text = format!("---\ntitle: A\nbig: {fine}\n---\n");
            let s = split(&text).unwrap();
            assert!(parse(&text, &s, &cols()).is_ok(), "{fine}");
        }
        // The long number is found, not quoted digits written before it.
        let text = format!("---\ntitle: A\nisbn: \"{digits}\"\nbig: {nines}\n---\n");
        let s = split(&text).unwrap();
        assert_eq!(
            parse(&text, &s, &cols()).unwrap_err()[0].location,
            Location::new(4, 6)
        );
    }

    #[test]
    fn a_merged_value_is_located_where_it_is_written() {
        let text = "---\ntitle: Acme\nsummary: \"the date: soon\"\n<<: {date: notadate}\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        assert_eq!(p[0].location, Location::new(4, 12), "{}", p[0].message);
    }

    #[test]
    fn merge_keys_are_merged() {
        let keys = |text: &str| -> Vec<String> {
            let s = split(text).unwrap();
            let fm = parse(text, &s, &cols()).unwrap();
            fm.extra.into_iter().map(|(k, _)| k).collect()
        };
        for text in [
            "---\ntitle: T\n<<: {hq: Oslo, founded: 2001}\nticker: X\n---\n",
            "---\ntitle: T\n_base: &base\n  hq: Oslo\n  founded: 2001\n<<: *base\nticker: X\n---\n",
        ] {
            let keys = keys(text);
            assert!(
                keys.iter().any(|k| k == "hq") && keys.iter().any(|k| k == "founded"),
                "{keys:?}"
            );
            assert!(!keys.iter().any(|k| k == "<<"), "{keys:?}");
        }
        // Quoted, `"<<"` is an ordinary key.
        for text in [
            "---\ntitle: T\n\"<<\": {hq: Oslo}\n---\n",
            "---\ntitle: T\n'<<' : {hq: Oslo}\n---\n",
        ] {
            assert_eq!(keys(text), ["<<"], "{text:?}");
        }
        let text = "---\ntitle: \"A << B\"\n# use << to merge\n_b: &b {hq: Oslo}\n<<: *b\nn:\n  <<: 3\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        assert_eq!(p[0].location, Location::new(7, 3));
        assert!(
            p[0].message.starts_with("invalid YAML in front matter"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn a_duplicate_is_moved_to_its_second_line_only_where_it_is_known() {
        let text = "---\ntitle: T\nname: X\nname: Y\n---\n";
        let yaml = &text[4..text.len() - 4];
        let top = "duplicate entry with key \"name\"";
        let (location, hint) = duplicate_key(text, 4, yaml, top, None).unwrap();
        assert_eq!(location, Location::new(4, 1));
        assert_eq!(
            hint,
            "the key is written twice; the first is on line 3: keep one"
        );
        let nested = "source: duplicate entry with key \"name\"";
        assert_eq!(duplicate_key(text, 4, yaml, nested, None), None);
        // A top-level duplicate is never taken from a nested mapping.
        let text = "---\ntitle: T\nname: X\nb: {name: Y}\n---\n";
        let yaml = &text[4..text.len() - 4];
        assert_eq!(duplicate_key(text, 4, yaml, top, Some(0)), None);
    }

    #[test]
    fn a_nested_duplicate_is_located_at_its_second_key() {
        for (text, at) in [
            (
                "---\ntitle: T\nb: {founded: 1, founded: 2}\n---\n",
                Location::new(3, 17),
            ),
            (
                "---\ntitle: T\nb:\n  founded: 1\n  founded: 2\n---\n",
                Location::new(5, 3),
            ),
        ] {
            let s = split(text).unwrap();
            let p = parse(text, &s, &cols()).unwrap_err();
            assert_eq!(p[0].location, at, "{text}: {}", p[0].message);
            assert!(
                p[0].hint
                    .as_deref()
                    .is_some_and(|h| h.contains("written twice")),
                "{:?}",
                p[0]
            );
        }
    }

    #[test]
    fn a_wikilink_in_a_front_matter_list_gets_its_own_hint() {
        let text = "---\ntitle: T\ncompanies: [[alibaba]]\n---\n";
        let s = split(text).unwrap();
        let (_, problems) = parse_all(text, &s, &cols()).unwrap();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .starts_with("`[[name]]` is a wikilink"),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn a_reference_is_located_after_its_key_not_inside_it() {
        let text = "---\ntitle: T\ncompanies: [pan, companies]\n---\n";
        let s = split(text).unwrap();
        let fm = parse(text, &s, &cols()).unwrap();
        assert_eq!(fm.refs[0].items[0].location, Location::new(3, 13));
        assert_eq!(fm.refs[0].items[1].location, Location::new(3, 18));
    }

    #[test]
    fn yaml_errors_are_located_in_the_file() {
        let text = "---\ntitle: A\nsummary: [unclosed\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        assert!(p[0].location.line >= 3, "{:?}", p[0]);
        assert!(p[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn quoted_keys_are_located_at_their_lines() {
        let text = "---\ntitle: A\n'summary': [b]\n\"draft\": maybe\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        let lines: Vec<usize> = p.iter().map(|p| p.location.line).collect();
        assert_eq!(lines, [3, 4]);
    }

    #[test]
    fn keys_of_an_indented_mapping_are_located_at_their_lines() {
        // YAML allows the whole mapping to be indented; a nested key of the
        // same name (`title` under `source`) is not the top-level one.
        let text = "---\n  source:\n    title: fine\n  title: [a, b]\n  draft: maybe\n  companies: [acme, globex]\n---\n";
        let s = split(text).unwrap();
        let (fm, p) = parse_all(text, &s, &cols()).unwrap();
        let found: Vec<Location> = p.iter().map(|p| p.location).collect();
        assert_eq!(found, [Location::new(4, 10), Location::new(5, 10)], "{p:?}");
        assert_eq!(fm.refs[0].items[1].location, Location::new(6, 21));
        assert_eq!(top_key_offset("  a: 1\n  b: 2\n", "b"), Some(9));
        // A quoted value running on over a line that looks like a key.
        let yaml = "summary: \"a long\ntitle: text\"\ntitle: x\n";
        assert_eq!(top_key_offset(yaml, "title"), Some(30));
        let yaml = "summary: 'it''s\ntitle: long'\ntitle: x\n";
        assert_eq!(top_key_offset(yaml, "title"), Some(29));
        let yaml = "summary: \"a \\\" b\ntitle: c\"\ntitle: x\n";
        assert_eq!(top_key_offset(yaml, "title"), Some(27));
        assert_eq!(top_key_offset("a: \"b\"\ntitle: x\n", "title"), Some(7));
        let yaml = "source:\n  name: \"a\ntitle: b\"\ntitle: x\n";
        assert_eq!(top_key_offset(yaml, "title"), Some(29));
        assert_eq!(top_key_offset("a:\n  b: 1\n", "b"), None);
        // Quotes that open no quoted value: in a comment, in a block
        // scalar's text, inside a plain value; then quotes, brackets and
        // block scalars that do run on.
        for (yaml, before) in [
            ("# see: \"old\ntitle: x\n", "# see: \"old\n"),
            (
                "summary: |\n  he said: \"hi\ntitle: x\n",
                "summary: |\n  he said: \"hi\n",
            ),
            (
                "summary: he said \"hi\ntitle: x\n",
                "summary: he said \"hi\n",
            ),
            (
                "summary: &s \"a\ntitle: b\"\ntitle: x\n",
                "summary: &s \"a\ntitle: b\"\n",
            ),
            (
                "aliases: [\"a\ntitle: b\"]\ntitle: x\n",
                "aliases: [\"a\ntitle: b\"]\n",
            ),
            ("tags: [a,\ntitle: b]\ntitle: x\n", "tags: [a,\ntitle: b]\n"),
            (
                "aliases:\n  - \"a\ntitle: b\"\ntitle: x\n",
                "aliases:\n  - \"a\ntitle: b\"\n",
            ),
            (
                "summary: >-\n  a\n\n  b\ntitle: x\n",
                "summary: >-\n  a\n\n  b\n",
            ),
        ] {
            let at = top_key_offset(yaml, "title");
            assert_eq!(at.map(|at| &yaml[..at]), Some(before), "{yaml:?}");
        }
    }

    #[test]
    fn keys_that_are_not_text_are_located_at_their_lines() {
        let text = "---\ntitle: A\ndate: 2024-01-01\n[a, b]: c\n? {x: 1}\n: d\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        let found: Vec<(Location, &str)> =
            p.iter().map(|p| (p.location, p.message.as_str())).collect();
        assert_eq!(
            found,
            [
                (
                    Location::new(4, 1),
                    "front-matter keys must be text, not a list"
                ),
                (
                    Location::new(5, 1),
                    "front-matter keys must be text, not a mapping"
                ),
            ]
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let p = split("---\ntitle: A\n").unwrap_err();
        assert!(p.message.contains("never closed"));
    }

    #[test]
    fn a_control_character_is_located_where_it_is() {
        let text = "---\ntitle: A\n\nsummary: \"bad \u{1} here\"\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        assert_eq!(p[0].location, Location::new(4, 15), "{p:?}");
        assert!(
            p[0].message.ends_with("control characters are not allowed"),
            "{p:?}"
        );
    }

    #[test]
    fn wrong_types_are_reported_all_at_once() {
        let text = "---\ntitle: [a]\ndraft: maybe\ndate: soon\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        assert_eq!(p.len(), 3);
        assert_eq!(p[2].location, Location::new(4, 7));
    }

    #[test]
    fn a_wrong_value_is_located_at_the_value_on_its_line_else_at_its_key() {
        let text = "---
\"draft\":   maybe # no\nupdated:\n  soon\ndate:\t'x'\n---\n";
        let s = split(text).unwrap();
        let p = parse(text, &s, &cols()).unwrap_err();
        let found: Vec<Location> = p.iter().map(|p| p.location).collect();
        assert_eq!(
            found,
            [
                Location::new(2, 12),
                Location::new(3, 1),
                Location::new(5, 7)
            ],
            "{p:?}"
        );
    }

    #[test]
    fn names_are_salvaged_from_a_front_matter_that_is_not_yaml() {
        // The title's quote is left open; the aliases and the slug read
        // alone; a list item's `title:` is not a key.
        let yaml = "title: \"Acme Corp\naliases:\n  - Acme Holdings\n  - \"Acme, Inc.\"\nslug: acme\nsummary: a: b\nitems:\n  - title: Other\n";
        assert!(serde_yaml::from_str::<Value>(yaml).is_err());
        let (names, guesses) = salvage_names(yaml);
        assert_eq!(names, ["Acme Holdings", "Acme, Inc.", "acme"]);
        assert_eq!(guesses, ["acme corp"]);
        // A `: ` in a title is a title the links do not know yet: no guess
        // is cut out of it, the whole value is the guess.
        let (_, guesses) = salvage_names("title: Acme Corp: makers\n");
        assert_eq!(guesses, ["acme corp: makers"]);
        // An open bracket: each item is a guess.
        let (_, guesses) = salvage_names("aliases: [Acme, 'Acme Group'\n");
        assert_eq!(guesses, ["acme", "acme group"]);
        // Numbers are names too.
        let (names, _) = salvage_names("title: 1984\naliases: [2001, Nineteen]\nsummary: a: b\n");
        assert_eq!(names, ["1984", "2001", "Nineteen"]);
        // A whole front matter indented; a first line indented by mistake;
        // a tab before a key.
        let cases = [
            "  title: Acme\n  summary: a: b\n",
            " title: Acme\naliases: [Acme Holdings]\nsummary: a: b\n",
            "title: Acme\n\taliases: [Acme Holdings]\n",
        ];
        for (yaml, expected) in cases.iter().zip([
            &["Acme"][..],
            &["Acme", "Acme Holdings"],
            &["Acme", "Acme Holdings"],
        ]) {
            assert_eq!(
                salvage_names(yaml),
                (expected.iter().map(|s| s.to_string()).collect(), Vec::new()),
                "{yaml:?}"
            );
        }
        // Nothing named: nothing salvaged.
        assert_eq!(salvage_names("summary: a: b\n"), (Vec::new(), Vec::new()));
    }

    #[test]
    fn a_quote_left_open_is_found_from_the_line_it_swallows() {
        let yaml = "title: \"Acme\naliases: [x]\nsummary: \"Makes things.\"\n";
        assert_eq!(quote_open_at(yaml, 2), Some(1));
        assert_eq!(quote_open_at(yaml, 3), Some(1));
        // Closed on its own line, or only in a comment or a block scalar:
        // nothing runs on.
        for yaml in [
            "title: \"Acme\"\nsummary: x\n",
            "title: Acme # \"quoted\nsummary: x\n",
            "note: |\n  \"open\nsummary: x\n",
            "title: it's\nsummary: x\n",
        ] {
            assert_eq!(quote_open_at(yaml, 2), None, "{yaml:?}");
        }
    }
}
