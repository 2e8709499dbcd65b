//! Writes the corpus as a brief site: `site.yaml`, `content/` with YAML
//! front matter and wikilinks, and a copy of the repository's default theme.

use std::io;
use std::path::Path;

use super::model::{Coll, Doc, Fact, Form, Intro, Link, Seg};
use super::quote;

const SITE_YAML: &str = "\
title: Generated Briefing
base_url: https://example.org/briefing/
description: A generated briefing for benchmarks
language: en
theme: default
collections:
  stories: {title: Stories, dated: true, per_page: 50}
  companies: {title: Companies, required: [summary]}
  people: {title: People}
  topics: {title: Topics, stubs: true}
";

/// The repository's default theme, copied into every generated site.
fn theme_dir() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default")
}

/// Editor leftovers and hidden files are never copied.
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp")
}

fn copy_tree(dir: &Path, rel: &str, out: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if ignored(&name) {
            continue;
        }
        let path = format!("{rel}/{name}");
        let ty = e.file_type()?;
        if ty.is_dir() {
            copy_tree(&e.path(), &path, out)?;
        } else if ty.is_file() {
            out.push((path, std::fs::read(e.path())?));
        }
    }
    Ok(())
}

/// `site.yaml` and `themes/default/`.
pub fn preamble() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![("site.yaml".to_string(), SITE_YAML.as_bytes().to_vec())];
    copy_tree(Path::new(theme_dir()), "themes/default", &mut files)?;
    Ok(files)
}

/// A link in brief's syntax, written from a note in `from`.
pub fn link(from: Coll, l: &Link) -> String {
    let label = |s: &str| match &l.label {
        Some(text) => format!("[[{s}|{text}]]"),
        None => format!("[[{s}]]"),
    };
    match l.form {
        Form::Slug => label(&l.slug),
        Form::Qualified => label(&format!("{}/{}", l.coll.dir(), l.slug)),
        Form::Titled => format!("[[{}|{}]]", l.title, l.text()),
        Form::Relative if from == l.coll => format!("[{}]({}.md)", l.text(), l.slug),
        Form::Relative => format!("[{}](../{}/{}.md)", l.text(), l.coll.dir(), l.slug),
    }
}

/// A body with links written by `render`.
pub fn body(segs: &[Seg], mut render: impl FnMut(&Link) -> String) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            Seg::Text(t) => out.push_str(t),
            Seg::Link(l) => out.push_str(&render(l)),
        }
    }
    out
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// `content/<collection>/<slug>.md`.
pub fn note(doc: &Doc) -> (String, String) {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", quote(&doc.title)));
    if !doc.aliases.is_empty() {
        let aliases: Vec<String> = doc.aliases.iter().map(|a| quote(a)).collect();
        t.push_str(&format!("aliases: {}\n", list(&aliases)));
    }
    if let Some(d) = &doc.date {
        t.push_str(&format!("date: {d}\n"));
    }
    if let Some(s) = &doc.summary {
        t.push_str(&format!("summary: {}\n", quote(s)));
    }
    for (coll, slugs) in &doc.refs {
        t.push_str(&format!("{}: {}\n", coll.dir(), list(slugs)));
    }
    if let Some((name, url)) = &doc.source {
        t.push_str(&format!(
            "source: {{name: {}, url: {}}}\n",
            quote(name),
            quote(url)
        ));
    }
    for (key, fact) in &doc.facts {
        match fact {
            Fact::Str(s) => t.push_str(&format!("{key}: {}\n", quote(s))),
            Fact::Int(n) => t.push_str(&format!("{key}: {n}\n")),
        }
    }
    t.push_str("---\n");
    t.push_str(&body(&doc.body, |l| link(doc.coll, l)));
    (format!("content/{}/{}.md", doc.coll.dir(), doc.slug), t)
}

/// `content/_index.md` or `content/<collection>/_index.md`.
pub fn intro(i: &Intro) -> (String, String) {
    let path = match i.coll {
        Some(c) => format!("content/{}/_index.md", c.dir()),
        None => "content/_index.md".to_string(),
    };
    let text = format!(
        "---\ntitle: {}\nsummary: {}\n---\n{}\n",
        quote(&i.title),
        quote(&i.summary),
        i.text
    );
    (path, text)
}
