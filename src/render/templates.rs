//! Loading and running Tera templates: the theme's, overridden file by file
//! by the site's `templates/` folder.
//!
//! Owns tera. Template errors become located diagnostics naming the template
//! file (and its line when Tera gives one).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diag::{Diagnostic, Diagnostics, Location};

/// Compiled templates, with where each came from.
pub struct Templates {
    tera: Tera,
    /// `tera` with an escape function that writes nothing, made on the
    /// first [`Templates::render_nowhere`]: where the output is thrown
    /// away, escaping each value only costs time (and cannot fail).
    discarding: std::sync::OnceLock<Tera>,
    sources: BTreeMap<String, PathBuf>,
    /// A fingerprint of every template's name and text.
    digest: u64,
    /// Do the templates use a note's `content` only to print it whole or
    /// test whether it is empty? Then a render whose output is thrown
    /// away may give it a stand-in.
    plain_content: bool,
    /// The same for a note graph's `svg`.
    plain_svg: bool,
    /// The ids the templates give elements.
    ids: PageIds,
    /// Where components call themselves, directly or through others: the
    /// place for Tera's "recursion depth exceeded", which names none.
    self_calls: Vec<SelfCall>,
}

/// A component as [`component_calls`] finds it.
struct Component<'t> {
    name: &'t str,
    /// The template it is defined in.
    template: &'t str,
    /// (byte offset in the template, component called, held by an `if`
    /// or `for` of the body, or by a condition in its own tag?).
    calls: Vec<(usize, &'t str, bool)>,
}

/// A component's call that starts a cycle of calls back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SelfCall {
    /// The template's file.
    path: PathBuf,
    /// The call's place in it.
    location: Location,
    /// The components of the cycle, the first again at the end.
    cycle: Vec<String>,
    /// Does a condition hold one of the cycle's calls (an `if` or `for`
    /// of a component's body, or an `if`, `and` or `or` in the call's tag)?
    guarded: bool,
}

/// The ids templates give elements (`id="main"`), for the lint of links
/// to a place on a page (`[x](#main)`). An id made by the template
/// (`id="m-{{ month }}"`) is known by the part before the tag.
#[derive(Debug, Clone, Default)]
pub struct PageIds {
    exact: BTreeSet<String>,
    prefixes: Vec<String>,
}

impl PageIds {
    fn scan<'t>(texts: impl Iterator<Item = &'t str>) -> PageIds {
        let mut ids = PageIds::default();
        let mut found = Vec::new();
        for text in texts {
            crate::markdown::inspect::html_ids(text, &mut found);
        }
        for id in found {
            match id.find(['{', '}']) {
                Some(at) => ids.prefixes.push(id[..at].to_string()),
                None => {
                    ids.exact.insert(id);
                }
            }
        }
        ids.prefixes.sort();
        ids.prefixes.dedup();
        ids
    }

    /// Might a page of these templates have an element with this id?
    pub fn has(&self, id: &str) -> bool {
        self.exact.contains(id) || self.prefixes.iter().any(|p| id.starts_with(p.as_str()))
    }
}

/// Does every use of the field `field` in `text`'s tags print it whole
/// (`{{ note.content | safe }}`) or test whether it is empty
/// (`{% if note.content %}`)? Any other use (a filter, a comparison, a
/// `set`, a component argument) might depend on what it holds.
fn only_printed_or_tested(text: &str, field: &str) -> bool {
    let is_path = |p: &str| {
        p.strip_suffix(field)
            .and_then(|head| head.strip_suffix('.'))
            .is_some_and(|head| {
                !head.is_empty()
                    && head
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            })
    };
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let Some(end) = after[1..].find(close) else {
            return false;
        };
        let kind = after.as_bytes()[0];
        let inner = &after[1..1 + end];
        rest = &after[1 + end + close.len()..];
        if kind == b'#' || !mentions_word(inner, field) {
            continue;
        }
        let inner = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let plain = if kind == b'{' {
            inner
                .split_once('|')
                .is_some_and(|(path, filter)| is_path(path.trim()) && filter.trim() == "safe")
        } else {
            let test = inner
                .strip_prefix("if ")
                .or_else(|| inner.strip_prefix("elif "))
                .map(str::trim);
            let test = test.map(|t| t.strip_prefix("not ").map_or(t, str::trim));
            test.is_some_and(is_path)
        };
        if !plain {
            return false;
        }
    }
    true
}

/// Does `text` hold `word` as a whole identifier?
fn mentions_word(text: &str, word: &str) -> bool {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].bytes().next_back();
        let after = text[at + word.len()..].bytes().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// Why a template file is not read: it must be a real file inside the site.
const LINKED: &str = "symbolic link not followed: templates must be real files inside the site";
const SPECIAL: &str =
    "not a regular file (a FIFO, socket or device): templates must be real files inside the site";

/// The templates under `dir` by name; symbolic links (the folder itself
/// or anything in it), not followed, and FIFOs, sockets and devices named
/// like templates go to `refused` with the reason.
fn collect(
    dir: &Path,
    prefix: &str,
    out: &mut BTreeMap<String, PathBuf>,
    refused: &mut Vec<(PathBuf, &'static str)>,
) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            refused.push((dir.to_path_buf(), LINKED));
            return Ok(());
        }
        Ok(meta) if meta.is_dir() => {}
        _ => return Ok(()),
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if crate::content::walk::is_ignored_name(&name) {
            continue;
        }
        let ty = entry.file_type()?;
        let template = name.ends_with(".html") || name.ends_with(".xml");
        if ty.is_dir() {
            collect(&entry.path(), &format!("{prefix}{name}/"), out, refused)?;
        } else if ty.is_symlink() && (template || entry.path().is_dir()) {
            refused.push((entry.path(), LINKED));
        } else if ty.is_file() && template {
            out.insert(format!("{prefix}{name}"), entry.path());
        } else if !ty.is_file() && !ty.is_symlink() && template {
            refused.push((entry.path(), SPECIAL));
        }
    }
    Ok(())
}

/// Every message of an error's chain.
fn raw_chain(e: &dyn std::error::Error) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts
}

/// Every message of an error's chain on one line; a parse error's
/// source excerpt is dropped (the location is shown in front).
fn chain(e: &dyn std::error::Error) -> String {
    raw_chain(e)
        .iter()
        .map(|p| match p.find("-->") {
            Some(i) => {
                let detail = p
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("= "))
                    .collect::<Vec<_>>();
                format!("{}{}", p[..i].trim_end(), detail.join("; "))
            }
            None => p.clone(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// The template name an error message quotes (`'note.html'`), if any.
fn quoted_template(message: &str, sources: &BTreeMap<String, PathBuf>) -> Option<String> {
    message
        .split('\'')
        .skip(1)
        .step_by(2)
        .find(|name| sources.contains_key(*name))
        .map(str::to_string)
}

/// The `{% ... %}` tags of a template as Tera reads them: each tag's byte
/// offset and its words (without `{%`, `%}`, `-` and the spaces around),
/// leaving out comments and what `{% raw %}` holds.
fn tags(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut raw = false;
    while let Some(i) = text[at..].find('{') {
        let start = at + i;
        let close = match text.as_bytes().get(start + 1) {
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            break;
        };
        at = start + 2 + len + 2;
        if close == "#}" && !raw {
            continue;
        }
        let tag = text[start + 2..start + 2 + len]
            .trim()
            .trim_matches('-')
            .trim();
        if raw {
            raw = tag != "endraw";
        } else if tag == "raw" {
            raw = true;
        } else if close == "%}" {
            out.push((start, tag));
        }
    }
    out
}

/// The byte offset of `part`, a piece of `text`, in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// The template a tag opening with `word` names in quotes
/// (`extends "base.html"` → `base.html`).
fn quoted<'t>(tag: &'t str, word: &str) -> Option<&'t str> {
    let after = tag.strip_prefix(word)?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = after[1..].find(quote)?;
    Some(&after[1..=end])
}

/// The templates a template names in `{% extends %}` and `{% include %}`
/// tags, with the byte offset of each tag.
fn references(text: &str) -> Vec<(usize, &str)> {
    tags(text)
        .into_iter()
        .filter_map(|(start, tag)| {
            let name = quoted(tag, "extends").or_else(|| quoted(tag, "include"))?;
            Some((start, name))
        })
        .collect()
}

/// The name a tag opening with `word` gives (`block main` → `main`,
/// `component items(notes)` → `items`), as a piece of `tag`.
fn tag_name<'t>(tag: &'t str, word: &str) -> Option<&'t str> {
    let rest = tag.strip_prefix(word)?;
    let name = rest.trim_start();
    if name.len() == rest.len() {
        return None;
    }
    let len = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (len > 0).then(|| &name[..len])
}

/// The blocks of the templates `template` extends, up its chain, each
/// once, in the order met.
fn parent_blocks(template: &str, raw: &[(String, String)]) -> Vec<String> {
    let text_of = |name: &str| raw.iter().find(|(n, _)| n == name).map(|(_, t)| t.as_str());
    let mut blocks: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current = text_of(template);
    while let Some(text) = current {
        let parent = tags(text)
            .into_iter()
            .find_map(|(_, tag)| quoted(tag, "extends"));
        let Some(parent) = parent.filter(|p| seen.insert(p.to_string())) else {
            break;
        };
        current = text_of(parent);
        for (_, tag) in current.map(tags).unwrap_or_default() {
            if let Some(name) = tag_name(tag, "block").filter(|n| !blocks.iter().any(|b| b == n)) {
                blocks.push(name.to_string());
            }
        }
    }
    blocks
}

/// Each component's name, template and the components its body calls,
/// with each call's byte offset in the template and whether an `if` or
/// `for` of the body, or a condition in its tag, holds it. A call is `<name` inside `{{ }}` or `{% %}`
/// (`{{ <items notes={x}/> }}`); HTML tags are outside.
fn component_calls(raw: &[(String, String)]) -> Vec<Component<'_>> {
    let ident = |t: &str| -> usize {
        t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(t.len())
    };
    // `tag` opens with `word`, then a space, a `(` or its end.
    let keyword = |tag: &str, word: &str| {
        tag.strip_prefix(word).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(')
        })
    };
    let mut out = Vec::new();
    for (template, text) in raw {
        let mut at = 0;
        let mut current: Option<Component<'_>> = None;
        // Open `if` and `for` blocks in the current component.
        let mut depth = 0usize;
        while let Some(i) = text[at..].find('{') {
            let start = at + i;
            let close = match text.as_bytes().get(start + 1) {
                Some(b'{') => "}}",
                Some(b'%') => "%}",
                Some(b'#') => {
                    // A comment: nothing in it counts.
                    match text[start + 2..].find("#}") {
                        Some(len) => at = start + 2 + len + 2,
                        None => break,
                    }
                    continue;
                }
                _ => {
                    at = start + 1;
                    continue;
                }
            };
            let Some(len) = text[start + 2..].find(close) else {
                break;
            };
            let inner = &text[start + 2..start + 2 + len];
            at = start + 2 + len + 2;
            // `{%- endif -%}` and `{%-endif-%}` alike.
            let tag = inner.trim().trim_matches('-').trim();
            if close == "%}" {
                if keyword(tag, "raw") {
                    // Text as it is, up to `{% endraw %}`: no tags in it.
                    let mut end = None;
                    let mut from = at;
                    while let Some(j) = text[from..].find("{%") {
                        let open = from + j + 2;
                        let Some(len) = text[open..].find("%}") else {
                            break;
                        };
                        let inside = text[open..open + len].trim_matches('-').trim();
                        from = open + len + 2;
                        if inside == "endraw" {
                            end = Some(from);
                            break;
                        }
                    }
                    match end {
                        Some(e) => at = e,
                        None => break,
                    }
                    continue;
                }
                if keyword(tag, "component") {
                    let rest = tag["component".len()..].trim_start();
                    out.extend(current.take());
                    current = Some(Component {
                        name: &rest[..ident(rest)],
                        template,
                        calls: Vec::new(),
                    });
                    depth = 0;
                    continue;
                }
                if keyword(tag, "if") || keyword(tag, "for") {
                    depth += 1;
                } else if keyword(tag, "endif") || keyword(tag, "endfor") {
                    depth = depth.saturating_sub(1);
                }
                if keyword(tag, "endcomponent") {
                    out.extend(current.take());
                    continue;
                }
            }
            let Some(Component { calls, .. }) = current.as_mut() else {
                continue;
            };
            let operators = inline_conditions(inner, close == "%}");
            let base = start + 2;
            let mut from = 0;
            while let Some(j) = inner[from..].find('<') {
                let k = from + j + 1;
                let name = &inner[k..k + ident(&inner[k..])];
                if !name.is_empty() {
                    // A condition in the tag itself may stop it: it is on
                    // the left of an `if` (`<v/> if n > 0 else ""`), or on
                    // the right of an `else`, `and` or `or`.
                    let at = from + j;
                    let inline = operators.iter().any(|&(pos, word)| match word {
                        "if" => pos > at,
                        _ => pos < at,
                    });
                    calls.push((base + at, name, depth > 0 || inline));
                }
                from = k;
            }
        }
        out.extend(current);
    }
    out
}

/// The places of the operators `if`, `else`, `and` and `or` in a tag's
/// text, outside its strings and the `{ }` of component arguments (which
/// run whatever the tag's condition). A statement's own keyword (`{% if
/// x %}`, `statement`) is not one.
fn inline_conditions(inner: &str, statement: bool) -> Vec<(usize, &str)> {
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut braces, mut first) = (0, 0usize, statement);
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i = inner[i + 1..]
                    .find(q as char)
                    .map_or(b.len(), |n| i + 1 + n + 1);
            }
            b'{' => {
                braces += 1;
                i += 1;
            }
            b'}' => {
                braces = braces.saturating_sub(1);
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let len = inner[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(b.len() - i);
                let word = &inner[i..i + len];
                if std::mem::take(&mut first) {
                    // The statement's keyword.
                } else if braces == 0 && matches!(word, "if" | "else" | "and" | "or") {
                    out.push((i, word));
                }
                i += len;
            }
            _ => i += 1,
        }
    }
    out
}

/// The calls by which components reach themselves again, one per cycle
/// (see [`SelfCall`]), those of `templates/` first.
fn self_calls(raw: &[(String, String)], sources: &BTreeMap<String, PathBuf>) -> Vec<SelfCall> {
    let components = component_calls(raw);
    let path_of = |template: &str| {
        sources
            .get(template)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(template))
    };
    // (cycle's members sorted, template, offset, cycle, guarded, file).
    #[allow(clippy::type_complexity)]
    let mut found: Vec<(Vec<&str>, &str, usize, Vec<&str>, bool, PathBuf)> = Vec::new();
    for Component {
        name: start,
        template,
        calls: own,
    } in &components
    {
        for &(offset, first, guarded) in own {
            // A cycle recurses for ever if no condition holds any of its
            // calls; one that some condition holds may stop.
            let endless = if guarded {
                None
            } else {
                way_back(&components, start, first, true)
            };
            let Some((path, guarded)) = endless
                .map(|p| (p, false))
                .or_else(|| way_back(&components, start, first, false).map(|p| (p, true)))
            else {
                continue;
            };
            let mut key: Vec<&str> = path[..path.len() - 1].to_vec();
            key.sort_unstable();
            found.push((key, template, offset, path, guarded, path_of(template)));
        }
    }
    // A call no condition holds recurses for ever: the likeliest culprit.
    // Then one call per cycle, the first of it in that order.
    found.sort_by_key(|f| (f.4, !f.5.starts_with("templates")));
    let mut reported = BTreeSet::new();
    found
        .into_iter()
        .filter(|f| reported.insert(f.0.clone()))
        .map(|(_, template, offset, cycle, guarded, path)| {
            let text = raw
                .iter()
                .find(|(n, _)| n == template)
                .map_or("", |(_, t)| t.as_str());
            SelfCall {
                path,
                location: crate::diag::Locator::new(text).locate(offset),
                cycle: cycle.iter().map(|s| s.to_string()).collect(),
                guarded,
            }
        })
        .collect()
}

/// A way from component `start` through its call of `first` back to
/// `start`, through unguarded calls only or through any.
fn way_back<'t>(
    components: &[Component<'t>],
    start: &'t str,
    first: &'t str,
    unguarded: bool,
) -> Option<Vec<&'t str>> {
    let calls = |name: &'t str| {
        components
            .iter()
            .filter(move |c| c.name == name)
            .flat_map(|c| c.calls.iter())
            .filter(move |(_, _, guarded)| !(unguarded && *guarded))
            .map(|(_, callee, _)| *callee)
    };
    // Depth-first from the callee.
    let mut stack: Vec<Vec<&str>> = vec![vec![start, first]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path[path.len() - 1];
        if last == start {
            return Some(path);
        }
        if !seen.insert(last) {
            continue;
        }
        for next in calls(last) {
            let mut longer = path.clone();
            longer.push(next);
            stack.push(longer);
        }
    }
    None
}

/// Tera names no place for `{% extends "x.html" %}` of a template that
/// does not exist: the error is put at the tag, with the templates there
/// are to choose from.
fn locate_missing_parent(mut d: Diagnostic, raw: &[(String, String)]) -> Diagnostic {
    let message = d.message.clone();
    let Some((child, rest)) = message
        .split_once("Template '")
        .and_then(|(_, r)| r.split_once("' is inheriting from '"))
    else {
        return d;
    };
    let Some((parent, _)) = rest.split_once("', which doesn't exist") else {
        return d;
    };
    let Some((_, text)) = raw.iter().find(|(name, _)| name == child) else {
        return d;
    };
    let Some(&(at, _)) = references(text).iter().find(|(_, name)| *name == parent) else {
        return d;
    };
    d.location = Location::of_offset(text, at);
    let mut names: Vec<&str> = raw
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| *n != child && !n.starts_with("partials/"))
        .collect();
    names.sort_unstable();
    let hint = match crate::diag::did_you_mean(parent, names.iter().copied()) {
        Some(near) => near,
        None => format!("no template is named {parent}: a template extends one of templates/ or the theme's templates/"),
    };
    d.with_hint(hint)
}

/// Tera names no place for a component defined in two templates: the
/// error is put at the second definition.
fn locate_duplicate_component(
    d: Diagnostic,
    raw: &[(String, String)],
    sources: &BTreeMap<String, PathBuf>,
) -> Diagnostic {
    let Some(rest) = d.message.split_once("Component `").map(|(_, r)| r) else {
        return d;
    };
    let Some((name, rest)) = rest.split_once("` is defined in both `") else {
        return d;
    };
    let Some((first, rest)) = rest.split_once("` and `") else {
        return d;
    };
    let second = rest.trim_end_matches('`');
    // Told in the site's own template rather than the theme's, which the
    // site should not have to edit; else at the second.
    let theirs = |name: &str| sources.get(name).is_some_and(|p| p.starts_with("themes"));
    let (first, second) = if theirs(second) && !theirs(first) {
        (second, first)
    } else {
        (first, second)
    };
    let (Some((_, text)), Some(path)) =
        (raw.iter().find(|(n, _)| n == second), sources.get(second))
    else {
        return d;
    };
    let defined = tags(text).into_iter().find_map(|(_, tag)| {
        let found = tag_name(tag, "component").filter(|n| *n == name)?;
        let after = &tag[offset_in(tag, found) + found.len()..];
        after
            .trim_start()
            .starts_with('(')
            .then(|| offset_in(text, found))
    });
    let location = defined.map_or_else(Location::default, |at| Location::of_offset(text, at));
    let first_path = sources
        .get(first)
        .map_or(first.to_string(), |p| p.display().to_string());
    Diagnostic::error(path, location, d.message.clone()).with_hint(format!(
        "components are shared by every template, so their names must differ: rename this one \
         (the other is in {first_path})"
    ))
}

/// Templates that extend or include themselves, directly or through
/// others, would recurse without end: each cycle is an error at the tag
/// that closes it.
fn cycles(raw: &[(String, String)], sources: &BTreeMap<String, PathBuf>) -> Diagnostics {
    let refs: BTreeMap<&str, Vec<(usize, &str)>> = raw
        .iter()
        .map(|(name, text)| (name.as_str(), references(text)))
        .collect();
    let mut diags = Diagnostics::new();
    let mut reported = std::collections::BTreeSet::new();
    for start in refs.keys() {
        // Depth-first from `start`, looking for a way back to it.
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, vec![start])];
        let mut seen = std::collections::BTreeSet::new();
        while let Some((name, path)) = stack.pop() {
            for &(_, next) in refs.get(name).into_iter().flatten() {
                if next == *start {
                    let mut cycle = path.clone();
                    cycle.push(next);
                    let mut key: Vec<&str> = path.clone();
                    key.sort_unstable();
                    if !reported.insert(key) {
                        continue;
                    }
                    let (offset, _) = refs[start]
                        .iter()
                        .find(|(_, n)| *n == path.get(1).copied().unwrap_or(next))
                        .copied()
                        .unwrap_or((0, ""));
                    let text = raw
                        .iter()
                        .find(|(n, _)| n == start)
                        .map_or("", |(_, t)| t.as_str());
                    let location = crate::diag::Locator::new(text).locate(offset);
                    let path_of = sources
                        .get(*start)
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(*start));
                    let (message, hint) = if cycle.len() == 2 {
                        (
                            format!("template error: {start} extends or includes itself"),
                            "a template in templates/ replaces the theme's file of the same \
                             name, so it cannot build on it: extend base.html instead, or copy \
                             the theme's file and edit the copy",
                        )
                    } else {
                        (
                            format!(
                                "template error: templates extend or include each other in a \
                                 cycle: {}",
                                cycle.join(" -> ")
                            ),
                            "remove one of these tags: rendering would never end",
                        )
                    };
                    diags.push(Diagnostic::error(path_of, location, message).with_hint(hint));
                } else if seen.insert(next) {
                    let mut p = path.clone();
                    p.push(next);
                    stack.push((next, p));
                }
            }
        }
    }
    diags
}

/// The escape function of renders whose output is thrown away.
fn discard(_: &str, _: &mut dyn std::io::Write) -> std::io::Result<()> {
    Ok(())
}

/// Escapes only what HTML and XML need (`& < > " '`), writing straight
/// into Tera's output.
fn escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // A control character from a YAML escape (`title: "a\x07"`) never
    // reaches a page: the files' own are gone when they are read.
    let text = crate::markdown::html_chars(text).unwrap_or(std::borrow::Cow::Borrowed(text));
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), &text)
}

/// Tera's `safe`, except that an undefined value is an error: Tera's
/// prints it as nothing, so `{{ note.contnet | safe }}` (misspelt) would
/// build every page without its body and say nothing.
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
    if value.is_undefined() {
        return Err(tera::Error::message(
            "`safe` was given a value that is not defined: a misspelt name, or a key this page lacks \
             (test an optional one first: `{% if note.extra.x %}`)",
        ));
    }
    Ok(match value.as_str() {
        Some(text) => tera::Value::safe_string(text),
        None => tera::Value::safe_string(&value.to_string()),
    })
}

/// Tera 2's filters and tests, for "did you mean" (docs/templates.md
/// lists them too).
const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "capitalize",
    "title",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "truncate",
    "indent",
    "wordcount",
    "newlines_to_br",
    "pluralize",
    "escape",
    "escape_html",
    "escape_xml",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "keys",
    "values",
    "pairs",
    "group_by",
];
const TESTS: &[&str] = &[
    "string",
    "number",
    "integer",
    "float",
    "bool",
    "map",
    "array",
    "iterable",
    "none",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

/// Where the templates' documentation explains what Tera 1 users write.
const FROM_TERA_1: &str = "docs/templates.md, \"Coming from Tera 1\"";

/// A hint for Tera's terser messages, most of them habits from Tera 1 or
/// other engines. `line` is the template's line split at the error's
/// column, when it is known (syntax errors, found while loading).
fn tera_hint(mut d: Diagnostic, line: Option<(&str, &str)>) -> Diagnostic {
    let (before, line) = (line.map(|(b, _)| b), line.map(|(_, a)| a));
    let word = line.map(|l| {
        l.trim_start()
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default()
    });
    if let Some(tag) = word.filter(|w| !w.is_empty() && d.message.ends_with("Unknown tag")) {
        d.message = format!("{} `{tag}`", d.message);
    }
    let message = d.message.as_str();
    let named = |what: &str| {
        message
            .split_once(what)
            .and_then(|(_, rest)| rest.strip_prefix('`'))
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| name.to_string())
    };
    let hint = if message.contains("Unknown tag") {
        match word {
            Some("import") => format!(
                "Tera 2 has no imports: components are seen from every template ({FROM_TERA_1})"
            ),
            Some("macro" | "endmacro") => format!(
                "macros are components in Tera 2: `{{% component x(a) %}}…{{% endcomponent x %}}` ({FROM_TERA_1})"
            ),
            _ => "the tags are extends, block, include, if, for, set, set_global, filter, \
                  component, raw and break/continue (docs/templates.md)"
                .to_string(),
        }
    } else if message.contains("Found `:` but expected") && line.is_some_and(|l| l.contains("::")) {
        format!("a macro call (`m::x(a=v)`) is a component call in Tera 2: `{{{{ <x a={{v}}/> }}}}` ({FROM_TERA_1})")
    } else if message.contains("Found string but expected identifier")
        && before.is_some_and(|b| b.trim_end().ends_with('('))
    {
        "a test's or function's arguments are named: `is starting_with(pat=\"x\")`".to_string()
    } else if let Some(name) = named("Unknown filter ") {
        match name.as_str() {
            "date" => "dates come formatted: `note.date.ymd`, `.human`, `.month_label` \
                       (DateView in docs/templates.md)"
                .to_string(),
            "filter" | "map" => format!(
                "write a list comprehension: `[n for n in notes if n.title]` ({FROM_TERA_1})"
            ),
            _ => crate::diag::did_you_mean(&name, FILTERS.iter().copied())
                .unwrap_or_else(|| "docs/templates.md lists the filters there are".to_string()),
        }
    } else if let Some(name) = named("Unknown test ") {
        match name.as_str() {
            "object" => format!("a map is tested with `is map` ({FROM_TERA_1})"),
            _ => crate::diag::did_you_mean(&name, TESTS.iter().copied())
                .unwrap_or_else(|| "docs/templates.md lists the tests there are".to_string()),
        }
    } else if message.contains("but got `undefined`") {
        "the value given to the filter is not defined: is its name misspelt?".to_string()
    } else if let Some(field) = named("Field ").filter(|f| {
        !message.contains("Available fields")
            && ["ymd", "human", "rfc3339", "month", "month_label"].contains(&f.as_str())
    }) {
        // Read from a null value: a date the note does not have.
        format!(
            "`date` and `updated` are null on a note without them: test first, \
             `{{% if note.date %}}{{{{ note.date.{field} }}}}{{% endif %}}`"
        )
    } else if let Some((_, fields)) = message.split_once("is not defined. Available fields: ") {
        let fields = fields.split(" (rendering ").next().unwrap_or_default();
        named("Field ")
            .and_then(|name| crate::diag::did_you_mean(&name, fields.split(", ")))
            .unwrap_or_else(|| {
                "if the field may be missing, test it first (`{% if a.b %}`), or read a key \
                 below it with `?.` (`{% if a.b?.c %}`)"
                    .to_string()
            })
    } else if let Some((_, names)) = message.split_once("is not defined. Available variables: ") {
        let names = names.split(" (rendering ").next().unwrap_or_default();
        named("Variable ")
            .and_then(|name| crate::diag::did_you_mean(&name, names.split(", ")))
            .unwrap_or_else(|| {
                "docs/templates.md lists what each template sees; a name that may be missing \
                 is tested first (`{% if x is defined %}`)"
                    .to_string()
            })
    } else {
        return d;
    };
    d.with_hint(hint)
}

/// A Tera error as diagnostics. Syntax and rendering errors carry the
/// template and the span they concern; the checks Tera runs after parsing
/// (unknown blocks, components, filters) report each problem as text with a
/// ` --> name:line:col` line; anything else names a template in its message,
/// if any, else `name`, else `fallback`.
fn diagnostics(
    e: &tera::Error,
    sources: &BTreeMap<String, PathBuf>,
    raw: &[(String, String)],
    name: Option<&str>,
    fallback: &Path,
) -> Vec<Diagnostic> {
    let path_of = |template: &str| sources.get(template).cloned();
    let fallback = || {
        name.and_then(path_of)
            .unwrap_or_else(|| fallback.to_path_buf())
    };
    // The template's line split at the error's column, if it is known.
    let at = |template: &str, location: Location| {
        let (_, text) = raw.iter().find(|(n, _)| n == template)?;
        let line = text.lines().nth(location.line.checked_sub(1)?)?;
        line.char_indices()
            .nth(location.col.saturating_sub(1))
            .map(|(i, _)| line.split_at(i))
    };
    let hinted = |d: Diagnostic, template: &str| {
        if !d.message.contains("is not defined in any parent template") {
            let line = at(template, d.location);
            tera_hint(d, line)
        } else if d.path.starts_with("themes")
            && sources.values().any(|p| p.starts_with("templates"))
        {
            // A theme template lost a block its parent had: the parent
            // was replaced by one in templates/.
            d.with_hint(
                "a template in templates/ replaces the theme's file of the same name; \
                 templates that extend it may override blocks it no longer has: \
                 keep those blocks, or override those templates too",
            )
        } else {
            let name = d
                .message
                .split_once("Block `")
                .and_then(|(_, rest)| rest.split_once('`'))
                .map_or("", |(name, _)| name);
            let blocks = parent_blocks(template, raw);
            let names = blocks.iter().map(String::as_str);
            let hint = match crate::diag::did_you_mean(name, names) {
                Some(near) => near,
                None if blocks.is_empty() => "no template it extends has a block of this name: \
                     check the spelling (docs/themes.md lists the theme's blocks)"
                    .to_string(),
                None => format!(
                    "no template it extends has a block of this name; they have: {}",
                    blocks.join(", ")
                ),
            };
            d.with_hint(hint)
        }
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let path = path_of(r.filename()).unwrap_or_else(fallback);
            let location = if span.start_line == 0 {
                Location::default()
            } else {
                Location::new(span.start_line, span.start_col + 1)
            };
            let mut message = format!("template error: {}", r.message());
            if let Some(name) = name.filter(|n| *n != r.filename() && !r.filename().is_empty()) {
                message.push_str(&format!(" (rendering {name})"));
            }
            vec![hinted(
                Diagnostic::error(path, location, message),
                r.filename(),
            )]
        }
        // Tera's reports: `error: ...`, then ` --> name:line:col`, indented
        // by the width of the line number.
        tera::ErrorKind::Msg(text) if text.lines().any(|l| l.trim_start().starts_with("--> ")) => {
            text.split("\n\n")
                .filter_map(|report| {
                    let mut lines = report.lines();
                    let message = lines.next()?.trim_start_matches("error: ").to_string();
                    let at = lines.find_map(|l| l.trim_start().strip_prefix("--> "))?;
                    let mut parts = at.rsplitn(3, ':');
                    let col: usize = parts.next()?.parse().ok()?;
                    let line: usize = parts.next()?.parse().ok()?;
                    let template = parts.next()?;
                    let path = path_of(template).unwrap_or_else(fallback);
                    let d = Diagnostic::error(
                        path,
                        Location::new(line, col),
                        format!("template error: {message}"),
                    );
                    Some(hinted(d, template))
                })
                .collect()
        }
        _ => {
            let message = chain(e);
            let path = quoted_template(&message, sources)
                .and_then(|n| path_of(&n))
                .unwrap_or_else(fallback);
            vec![Diagnostic::error(
                path,
                Location::default(),
                format!("template error: {message}"),
            )]
        }
    }
}

impl Templates {
    /// Loads `themes/<theme>/templates/` then `templates/` under `root`.
    pub fn load(root: &Path, theme: &str) -> Result<Templates, Diagnostics> {
        let mut sources = BTreeMap::new();
        let theme_dir = root.join("themes").join(theme);
        let io = |dir: &Path, e: std::io::Error| {
            let rel = dir.strip_prefix(root).unwrap_or(dir);
            Diagnostics::from_iter([Diagnostic::error(
                rel,
                Location::default(),
                format!("cannot read templates: {e}"),
            )])
        };
        if !theme_dir.is_dir() {
            // At the `theme:` line, if it is written (else the default is
            // missing), with the themes there are.
            let location = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
                .map(|text| crate::config::key_location(&text, "theme"))
                .unwrap_or_default();
            let mut there: Vec<String> = std::fs::read_dir(root.join("themes"))
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.path().join("templates").is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            there.sort();
            let hint = if there.is_empty() {
                "set `theme:` to a folder under themes/ (brief init writes themes/default)"
                    .to_string()
            } else {
                let names: Vec<String> = there.iter().map(|t| format!("`{t}`")).collect();
                format!(
                    "set `theme:` to a folder under themes/: {}",
                    crate::diag::and_list(&names)
                )
            };
            let d = Diagnostic::error(
                crate::config::CONFIG_FILE,
                location,
                format!("theme \"{theme}\" not found: no folder themes/{theme}/"),
            )
            .with_hint(hint);
            return Err(Diagnostics::from_iter([d]));
        }
        let theme_templates = theme_dir.join("templates");
        let mut links = Vec::new();
        collect(&theme_templates, "", &mut sources, &mut links)
            .map_err(|e| io(&theme_templates, e))?;
        let site_templates = root.join("templates");
        collect(&site_templates, "", &mut sources, &mut links)
            .map_err(|e| io(&site_templates, e))?;
        let mut raw = Vec::new();
        let mut diags = Diagnostics::new();
        // An error, not a warning as in content/ and static/: skipped, a
        // linked template would leave the theme's in its place unsaid.
        for (path, why) in links {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            diags.push(
                Diagnostic::error(rel, Location::default(), why)
                    .with_hint("put the file itself in the folder"),
            );
        }
        for (name, path) in &sources {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            match crate::content::read_text(root, &rel) {
                Ok(text) => raw.push((name.clone(), text)),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        let sources: BTreeMap<String, PathBuf> = sources
            .into_iter()
            .map(|(n, p)| (n, p.strip_prefix(root).unwrap_or(&p).to_path_buf()))
            .collect();
        let cyclic = cycles(&raw, &sources);
        if cyclic.has_errors() {
            return Err(cyclic);
        }
        let digest = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            raw.hash(&mut h);
            h.finish()
        };
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(escape);
        tera.register_filter("safe", safe);
        let pairs = raw.iter().map(|(n, t)| (n.as_str(), t.as_str()));
        if let Err(e) = tera.add_raw_templates(pairs) {
            let fallback = theme_templates
                .strip_prefix(root)
                .unwrap_or(&theme_templates)
                .to_path_buf();
            let mut all: Diagnostics = diagnostics(&e, &sources, &raw, None, &fallback)
                .into_iter()
                .map(|d| locate_missing_parent(d, &raw))
                .map(|d| locate_duplicate_component(d, &raw, &sources))
                .collect();
            if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                // Tera stops at the first file that does not parse: each
                // file is parsed alone, so that every one is told at once.
                for (name, text) in &raw {
                    let mut alone = Tera::default();
                    if let Err(e) = alone.add_raw_template(name, text) {
                        if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                            all.extend(diagnostics(&e, &sources, &raw, None, &fallback));
                        }
                    }
                }
                // The first file's error is found twice, at one place.
                let mut sorted = all.sorted();
                sorted.dedup();
                all = sorted.into_iter().collect();
            }
            return Err(all);
        }
        let plain = |field| raw.iter().all(|(_, t)| only_printed_or_tested(t, field));
        let (plain_content, plain_svg) = (plain("content"), plain("svg"));
        let ids = PageIds::scan(raw.iter().map(|(_, t)| t.as_str()));
        let self_calls = self_calls(&raw, &sources);
        Ok(Templates {
            tera,
            discarding: std::sync::OnceLock::new(),
            sources,
            digest,
            plain_content,
            plain_svg,
            ids,
            self_calls,
        })
    }

    /// The ids the templates give elements.
    pub fn ids(&self) -> &PageIds {
        &self.ids
    }

    /// Do the templates only print a note's `content` whole or test
    /// whether it is empty? Then `check` may give it a stand-in.
    pub fn content_only_printed(&self) -> bool {
        self.plain_content
    }

    /// A fingerprint of every template's name and text: pages rendered
    /// from the same contexts by templates with the same digest are the
    /// same.
    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// The first of `names` that exists.
    pub fn pick<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names
            .iter()
            .copied()
            .find(|n| self.sources.contains_key(*n))
    }

    /// Does template `name` exist?
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The Tera context of `context`, for template `name`'s errors.
    fn context(&self, name: &str, context: &impl serde::Serialize) -> Result<Context, Diagnostic> {
        crate::model::views::for_template(|| Context::from_serialize(context))
            .map_err(|e| self.error(name, &e))
    }

    /// Renders `name` with a serialisable context.
    pub fn render(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<String, Diagnostic> {
        let context = self.context(name, context)?;
        self.tera
            .render(name, &context)
            .map_err(|e| self.error(name, &e))
    }

    /// Renders `name` into bytes, for a page written and let go at once:
    /// into a buffer large enough for most pages (no regrowing), and with
    /// no check that the output is UTF-8, which Tera's own output is.
    pub fn render_bytes(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<Vec<u8>, Diagnostic> {
        /// Most pages are smaller: a story's is about 13 KB.
        const PAGE_BUFFER: usize = 32 * 1024;
        let context = self.context(name, context)?;
        let mut out = Vec::with_capacity(PAGE_BUFFER);
        self.tera
            .render_to(name, &context, &mut out)
            .map_err(|e| self.error(name, &e))?;
        Ok(out)
    }

    /// Renders `name` only to see that it renders (`brief check`): the
    /// output goes nowhere, so no page is held in memory.
    pub fn render_nowhere(
        &self,
        name: &str,
        context: &impl serde::Serialize,
    ) -> Result<(), Diagnostic> {
        let context = if self.plain_svg {
            crate::model::views::for_discarded_template(|| Context::from_serialize(context))
                .map_err(|e| self.error(name, &e))?
        } else {
            self.context(name, context)?
        };
        let tera = self.discarding.get_or_init(|| {
            let mut tera = self.tera.clone();
            tera.set_escape_fn(discard);
            tera
        });
        tera.render_to(name, &context, std::io::sink())
            .map_err(|e| self.error(name, &e))
    }

    fn error(&self, name: &str, e: &tera::Error) -> Diagnostic {
        if chain(e).contains("recursion depth for components exceeded") {
            if let Some(first) = self.self_calls.first() {
                return self.endless(first);
            }
        }
        diagnostics(e, &self.sources, &[], Some(name), Path::new(name))
            .into_iter()
            .next()
            .unwrap_or_else(|| {
                Diagnostic::error(name, Location::default(), format!("template error: {e}"))
            })
    }
}

impl Templates {
    /// Tera's "recursion depth exceeded", put at a component's call that
    /// leads back to it (one of the site's own before the theme's).
    fn endless(&self, call: &SelfCall) -> Diagnostic {
        let cycle = call.cycle.join(" -> ");
        let message = match (call.guarded, call.cycle.len()) {
            (false, 2) => format!(
                "template error: component `{}` calls itself without end",
                call.cycle[0]
            ),
            (false, _) => {
                format!("template error: components call each other without end: {cycle}")
            }
            // Every call that leads back is held by a condition: the data
            // may be what runs too deep.
            (true, _) => format!(
                "template error: components nested more than 20 deep, Tera's limit, \
                 here through {cycle}"
            ),
        };
        let d = Diagnostic::error(&call.path, call.location, message).with_hint(
            "a component that calls itself needs a condition that stops it: pass a \
             smaller value on each call and test it, \
             `{% if depth > 0 %}{{ <name depth={depth - 1}/> }}{% endif %}`",
        );
        if !call.guarded {
            // No condition holds this call: it is the one.
            return d;
        }
        let mut d = d.with_hint(
            "or the data it walks is too deep: a note's nested facts or lists, \
             with the components around them, must stay under 20 levels",
        );
        let others: Vec<String> = self.self_calls[1..]
            .iter()
            .map(|c| {
                format!(
                    "{} ({}:{}:{})",
                    c.cycle.join(" -> "),
                    crate::diag::slashed(&c.path),
                    c.location.line,
                    c.location.col
                )
            })
            .collect();
        if !others.is_empty() {
            d = d.with_hint(format!("other calls that lead back: {}", others.join(", ")));
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_printed_whole_or_tested_for_emptiness_is_plain() {
        for plain in [
            "<div>{{ note.content | safe }}</div>",
            "{{- note.content|safe -}}",
            "{%- if note.content %}x{% elif not page.note.content %}y{% endif %}",
            "<meta name=\"description\" content=\"{{ page.description }}\">",
            "{# {{ note.content | length }} #}",
            "{{ note.contents }} {{ content_type }}",
            "",
        ] {
            assert!(only_printed_or_tested(plain, "content"), "{plain}");
        }
        for not in [
            "{% if \"<table\" in note.content %}x{% endif %}",
            "{{ note.content | striptags }}",
            "{{ note.content }}",
            "{% set c = note.content %}",
            "{{ <box html={note.content}/> }}",
            "{% if note.content | length > 10 %}{% endif %}",
            "{{ note.content | safe",
        ] {
            assert!(!only_printed_or_tested(not, "content"), "{not}");
        }
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for entry in std::fs::read_dir(theme).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(only_printed_or_tested(&text, "content"));
            assert!(only_printed_or_tested(&text, "svg"));
        }
    }

    #[test]
    fn component_calls_are_found_in_tags_with_their_guards() {
        let text = "{% component a(x) -%}<label>{{ <b x={x}/> }}</label>\
                    {% if x %}{{ <a x={x}/> }}{% endif %}{%- endcomponent a %}\
                    <b>{{ <a x={1}/> }}</b>\
                    {% component b(x) %}{% for y in x %}{{ <c/> }}{% endfor %}<c/>{% endcomponent b %}";
        let raw = vec![("t.html".to_string(), text.to_string())];
        let found = component_calls(&raw);
        let names = |calls: &[(usize, &str, bool)]| -> Vec<(String, bool)> {
            calls.iter().map(|&(_, n, g)| (n.to_string(), g)).collect()
        };
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "a");
        assert_eq!(
            names(&found[0].calls),
            [("b".to_string(), false), ("a".to_string(), true)]
        );
        // Outside a component, and in HTML (`<c/>`), nothing is a call.
        assert_eq!(found[1].name, "b");
        assert_eq!(names(&found[1].calls), [("c".to_string(), true)]);
        let (offset, _, _) = found[0].calls[0];
        assert!(text[offset..].starts_with("<b x="));
    }

    #[test]
    fn comments_raw_blocks_and_odd_spacing_are_read_as_tera_does() {
        let text = "{%- component\n a(x) %}{# {% if x %} {{ <a/> }} #}\
                    {% raw %}{{ <a/> }}{% endraw %}{{ <a/> }}\
                    {%- if(x) %}{{ <b/> }}{% endif -%}{%- for\n y in x %}{{ <c/> }}{%- endfor %}\
                    {% endcomponent a %}";
        let raw = vec![("t.html".to_string(), text.to_string())];
        let found = component_calls(&raw);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "a");
        let calls: Vec<(&str, bool)> = found[0].calls.iter().map(|&(_, n, g)| (n, g)).collect();
        assert_eq!(calls, [("a", false), ("b", true), ("c", true)]);
    }

    #[test]
    fn a_cycle_no_condition_holds_is_named_before_guarded_ones() {
        let raw = vec![
            (
                "x.html".to_string(),
                "{% component v(x) %}{% if x %}{{ <v x={x}/> }}{% endif %}{% endcomponent v %}\n\
                 {% component p() %}{{ <q/> }}{% endcomponent p %}\n\
                 {% component q() %}{% if 1 %}{{ <p/> }}{% endif %}{% endcomponent q %}\n\
                 {% component r() %}{{ <s/> }}{% endcomponent r %}\n\
                 {% component s() %}{%-if 1-%}{%-endif-%}{{ <r/> }}{% endcomponent s %}\n\
                 {% component t(n) %}{{ <t n={n - 1}/> if n > 0 else '.' }}{% endcomponent t %}\n\
                 {% component u(n) %}{{ <u n={n or 1} label=\"Terms and if\"/> or 2 }}{% endcomponent u %}\n\
                 {% component w(n) %}{{ n > 0 and <w n={n - 1}/> }}{% endcomponent w %}"
                    .to_string(),
            ),
            (
                "y.html".to_string(),
                "{% component ok() %}{{ <v x={1}/> }}{% endcomponent ok %}".to_string(),
            ),
        ];
        let sources: BTreeMap<String, PathBuf> = raw
            .iter()
            .map(|(n, _)| (n.clone(), PathBuf::from("templates").join(n)))
            .collect();
        let calls = self_calls(&raw, &sources);
        let cycles: Vec<(String, bool)> = calls
            .iter()
            .map(|c| (c.cycle.join(" -> "), c.guarded))
            .collect();
        // `p -> q -> p` stops when q's `if` does; `r -> s -> r` never does
        // (`{%-endif-%}` closes the `if`); `t` stops by its inline `if`,
        // `w` by its `and`; `u`'s words are in its arguments, in a string
        // and on the left of an `or`, which runs always.
        assert_eq!(
            cycles,
            [
                ("r -> s -> r".to_string(), false),
                ("u -> u".to_string(), false),
                ("v -> v".to_string(), true),
                ("p -> q -> p".to_string(), true),
                ("t -> t".to_string(), true),
                ("w -> w".to_string(), true)
            ]
        );
        assert_eq!(calls[0].location, Location::new(4, 23));
    }

    #[test]
    fn references_are_the_extends_and_include_tags() {
        let text =
            "{% extends \"base.html\" %}\n{%- include 'partials/a.html' -%}{% if x %}{% endif %}";
        let refs: Vec<&str> = references(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(refs, ["base.html", "partials/a.html"]);
    }

    /// Tags are read as Tera reads them: none inside a comment or a raw
    /// block, each with its offset and its words alone.
    #[test]
    fn tags_leave_out_comments_and_raw_blocks() {
        let text = "{# {% include \"a.html\" %} #}{%- block main -%}\
                    {% raw %}{% include \"b.html\" %}{% endraw %}{%-component  x(n)%}";
        let found: Vec<(usize, &str)> = tags(text);
        assert_eq!(
            found,
            [
                (text.find("{%- block").unwrap(), "block main"),
                (text.find("{%-component").unwrap(), "component  x(n)")
            ]
        );
        assert!(references(text).is_empty());
        assert_eq!(tag_name("component  x(n)", "component"), Some("x"));
        assert_eq!(tag_name("componentx(n)", "component"), None);
        assert_eq!(quoted("extends 'base.html'", "extends"), Some("base.html"));
    }

    /// The default theme's `groups` writes each group's list itself (a
    /// component call per group costs more than the list): its lists must
    /// be what `items` writes for the same notes, compact or not.
    #[test]
    fn groups_write_the_lists_items_writes() {
        let dir = tempfile::tempdir().unwrap();
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let copy = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&copy).unwrap();
        for entry in std::fs::read_dir(&theme).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/probe.html"),
            "{%- set gs = [{\"collection\": \"stories\", \"title\": \"Stories\", \"notes\": notes}] -%}\n\
             {{ <items notes={notes} compact={compact}/> }}\n@@\n\
             {{ <groups groups={gs} compact={compact}/> }}",
        )
        .unwrap();
        let templates = Templates::load(dir.path(), "default").unwrap();
        let date = serde_json::json!({"rfc3339": "2024-01-05T00:00:00+00:00", "datetime": "2024-01-05", "human": "5 January 2024"});
        let note = |title: &str, date: &serde_json::Value, summary: &str, stub: bool| {
            serde_json::json!({"title": title, "url": "/n/", "collection": "stories",
                "date": date, "summary": summary, "is_stub": stub})
        };
        let lists = [
            vec![
                note("A & B", &date, "Its <summary>", false),
                note("C", &serde_json::Value::Null, "", true),
            ],
            vec![note("Undated", &serde_json::Value::Null, "S", false)],
        ];
        for notes in lists {
            for compact in [false, true] {
                let ctx = serde_json::json!({"notes": notes, "compact": compact});
                let out = templates.render("probe.html", &ctx).unwrap();
                let (items, groups) = out.split_once("@@").unwrap();
                let list = |html: &str| {
                    let start = html.find("<ul").expect("a list");
                    let end = html.find("</ul>").expect("its end") + "</ul>".len();
                    html[start..end].to_string()
                };
                assert!(items.contains("/n/"), "{items}");
                assert_eq!(list(groups), list(items), "compact: {compact}");
            }
        }
    }

    /// Tera's terse messages get the hint that says what to write.
    #[test]
    fn tera_messages_get_hints_for_habits_from_elsewhere() {
        let hint = |message: &str, line: Option<(&str, &str)>| {
            let d = Diagnostic::error("t.html", Location::new(1, 1), message);
            let d = tera_hint(d, line);
            (d.message.clone(), d.hints.join(" | "))
        };
        let filter = |name: &str| hint(&format!("template error: Unknown filter `{name}`"), None).1;
        assert!(
            filter("date").contains("note.date.ymd"),
            "{}",
            filter("date")
        );
        assert!(filter("map").contains("list comprehension"));
        assert!(filter("filter").contains("list comprehension"));
        assert_eq!(filter("uppr"), "did you mean \"upper\"?");
        assert!(filter("zzzzzz").contains("lists the filters"));
        let test = |name: &str| hint(&format!("template error: Unknown test `{name}`"), None).1;
        assert!(test("object").contains("`is map`"));
        assert!(
            test("strng").starts_with("did you mean \"string\""),
            "{}",
            test("strng")
        );
        let (message, tag) = hint(
            "template error: Unknown tag",
            Some(("{% ", "macro x(a) %}")),
        );
        assert_eq!(message, "template error: Unknown tag `macro`");
        assert!(tag.contains("{% component x(a) %}"), "{tag}");
        assert!(hint(
            "template error: Unknown tag",
            Some(("{% ", "import \"m.html\" as m %}"))
        )
        .1
        .contains("no imports"));
        assert!(
            hint("template error: Unknown tag", Some(("{% ", "frob %}")))
                .1
                .contains("the tags are")
        );
        let call = "template error: Found `:` but expected }}.";
        assert!(hint(call, Some(("{{ m", "::x(a=1) }}")))
            .1
            .contains("<x a={v}/>"));
        // A `:` elsewhere than a macro call is not one.
        assert_eq!(hint(call, Some(("{{ a ", ": 1 }}"))).1, "");
        // A string where a name goes is a named argument only in a call.
        let string = "template error: Found string but expected identifier.";
        let named = hint(string, Some(("{% if a is starting_with(", "\"x\") %}")));
        assert!(named.1.contains("pat=\"x\""), "{}", named.1);
        assert_eq!(hint(string, Some(("{% set ", "\"a\" = 1 %}"))).1, "");
        let undefined =
            "template error: Invalid type for the value, expected `string` but got `undefined`";
        assert!(hint(undefined, None).1.contains("misspelt"));
        // A field or a variable that is not defined, among the names Tera
        // lists.
        let not_defined = |what: &str, name: &str, listed: &str| {
            let message = format!(
                "template error: {what} `{name}` is not defined. Available {listed} (rendering note.html)"
            );
            hint(&message, None).1
        };
        let field = |name| not_defined("Field", name, "fields: title, url");
        assert_eq!(field("titel"), "did you mean \"title\"?");
        assert!(field("source").contains("`?.`"), "{}", field("source"));
        let variable = |name| not_defined("Variable", name, "variables: note, page, site");
        assert_eq!(variable("notx"), "did you mean \"note\"?");
        assert!(variable("x").contains("is defined"), "{}", variable("x"));
        // Anything else is left as it is.
        assert_eq!(hint("template error: something else", None).1, "");
    }
}
