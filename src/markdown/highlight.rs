//! Syntax highlighting of fenced code blocks, with syntect's grammars (the
//! Sublime Text ones Zola used for years): a block whose info string names
//! a language syntect knows (```` ```rust ````, ```` ```py ````) has each
//! token that matters in a `<span>` of one of a few classes, which the
//! theme's stylesheet colours: `hl-comment`, `hl-string`, `hl-keyword`,
//! `hl-constant`, `hl-function`, `hl-type`, `hl-tag`, `hl-attribute`,
//! `hl-heading`, `hl-inserted` and `hl-deleted`. (A grammar names each
//! token with a stack of scopes, `source.rust meta.function
//! storage.type.function`; the innermost scope that falls in one of those
//! kinds gives the class, and the rest is plain text, which keeps a
//! page's bytes close to its text's.) The grammars are read once, when
//! the first such block is met; a site without one never reads them.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Which class a scope, and every scope it is a prefix of, gives; `""`
/// for scopes that are plain text even inside one that is not (an
/// operator is no keyword). A scope takes the first that fits.
const KINDS: &[(&str, &str)] = &[
    ("comment", "hl-comment"),
    ("string", "hl-string"),
    ("constant", "hl-constant"),
    ("variable.language", "hl-constant"),
    ("keyword.operator", ""),
    ("keyword", "hl-keyword"),
    ("storage", "hl-keyword"),
    ("entity.name.function", "hl-function"),
    ("support.function", "hl-function"),
    ("entity.name.tag", "hl-tag"),
    ("entity.other.attribute-name", "hl-attribute"),
    ("entity.name", "hl-type"),
    ("support.type", "hl-type"),
    ("support.class", "hl-type"),
    ("markup.heading", "hl-heading"),
    ("markup.inserted", "hl-inserted"),
    ("markup.deleted", "hl-deleted"),
];

/// [`KINDS`] as scopes.
fn kinds() -> &'static [(Scope, &'static str)] {
    static KINDS_AS_SCOPES: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    KINDS_AS_SCOPES.get_or_init(|| {
        KINDS
            .iter()
            .filter_map(|&(name, class)| Scope::new(name).ok().map(|s| (s, class)))
            .collect()
    })
}

/// The class of text under `stack`: its innermost scope's that has one.
fn class_of(stack: &[Scope]) -> &'static str {
    let kinds = kinds();
    for scope in stack.iter().rev() {
        if let Some((_, class)) = kinds.iter().find(|(k, _)| k.is_prefix_of(*scope)) {
            return class;
        }
    }
    ""
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The language a fenced block's info string names: its first word
/// (```` ```rust ignore ```` and ```` ```rust,ignore ```` are `rust`).
pub(crate) fn language(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default()
}

/// The grammar for `language`, by a name or file extension syntect knows
/// (`rust`, `rs`, `Python`, `sh`), if it is one worth colouring.
fn grammar(language: &str) -> Option<&'static SyntaxReference> {
    if language.is_empty() {
        return None;
    }
    let set = syntaxes();
    set.find_syntax_by_token(language)
        .filter(|s| s.name != "Plain Text")
}

/// The largest block highlighted, in bytes: a grammar's regular
/// expressions can take time that grows faster than the text (a line of
/// shell with thousands of quotes took seconds), and a block this big is
/// data pasted whole rather than code to read.
pub(crate) const MAX_BLOCK: usize = 32 * 1024;

/// The longest line of a block highlighted, in bytes (minified code, a
/// line of data).
pub(crate) const MAX_LINE: usize = 1000;

/// `code` as highlighted HTML (spans, no `<pre>` around them), or `None`
/// when no grammar knows `language`, the block is larger than
/// [`MAX_BLOCK`] or has a line longer than [`MAX_LINE`], or the grammar
/// fails on the text.
pub(crate) fn highlight(language: &str, code: &str) -> Option<String> {
    if code.len() > MAX_BLOCK || code.split('\n').any(|line| line.len() > MAX_LINE) {
        return None;
    }
    let syntax = grammar(language)?;
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 2);
    // The class of the span open in `html`, if one is.
    let mut open = "";
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        let mut from = 0;
        let ends = ops.iter().map(|(at, op)| (*at, Some(op)));
        for (at, op) in ends.chain([(line.len(), None)]) {
            if at > from {
                let class = class_of(stack.as_slice());
                if class != open {
                    if !open.is_empty() {
                        html.push_str("</span>");
                    }
                    if !class.is_empty() {
                        html.push_str("<span class=\"");
                        html.push_str(class);
                        html.push_str("\">");
                    }
                    open = class;
                }
                super::push_escaped(&mut html, &line[from..at]);
                from = at;
            }
            if let Some(op) = op {
                stack.apply(op).ok()?;
            }
        }
    }
    if !open.is_empty() {
        html.push_str("</span>");
    }
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_are_coloured_by_scope() {
        let html = highlight("rust", "fn main() { let x = \"<hi>\"; } // done\n").unwrap();
        assert!(html.contains("<span class=\"hl-keyword"), "{html}");
        assert!(html.contains("<span class=\"hl-string"), "{html}");
        assert!(html.contains("<span class=\"hl-comment"), "{html}");
        // The text is escaped.
        assert!(html.contains("&lt;hi&gt;"), "{html}");
        assert!(!html.contains("<hi>"), "{html}");
        // By extension and in any case.
        assert!(highlight("py", "def f(): pass\n").is_some());
        assert!(highlight("Python", "def f(): pass\n").is_some());
    }

    #[test]
    fn blocks_too_big_to_colour_quickly_are_left_plain() {
        let long_line = format!("echo \"{}\"\n", "a\\\"".repeat(MAX_LINE));
        assert!(highlight("sh", &long_line).is_none());
        let many_lines = "echo hello world\n".repeat(MAX_BLOCK / 10);
        assert!(highlight("sh", &many_lines).is_none());
        assert!(highlight("sh", "echo hello world\n").is_some());
    }

    #[test]
    fn unknown_and_plain_languages_are_left_alone() {
        assert!(highlight("no-such-language", "x\n").is_none());
        assert!(highlight("text", "x\n").is_none());
        assert!(highlight("", "x\n").is_none());
        assert_eq!(language("rust,ignore"), "rust");
        assert_eq!(language("python title=\"a.py\""), "python");
        assert_eq!(language(""), "");
    }
}
