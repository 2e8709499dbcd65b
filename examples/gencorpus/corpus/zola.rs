//! Writes the corpus as an equivalent Zola site. Companies, people and
//! topics are Zola taxonomies (term pages list the stories that reference
//! them, with a feed each); their notes are pages under `content/notes/`.
//! Links to notes become Zola's checked internal links (`@/...`).

use super::brief::body;
use super::model::{Coll, Doc, Fact, Intro, Link};
use super::quote;

const CONFIG: &str = r#"base_url = "https://example.org/briefing"
title = "Generated Briefing"
description = "A generated briefing for benchmarks"
default_language = "en"
compile_sass = false
build_search_index = true
generate_feeds = true
feed_limit = 20
taxonomies = [
    { name = "companies", feed = true },
    { name = "people", feed = true },
    { name = "topics", feed = true },
]

[markdown]
"#;

const BASE: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="alternate" type="application/atom+xml" href="{{ get_url(path="atom.xml", trailing_slash=false) }}">
</head>
<body>
<header><a href="{{ config.base_url }}/">{{ config.title }}</a>
<nav><a href="{{ get_url(path="@/stories/_index.md") }}">Stories</a>
{% for t in config.taxonomies %}<a href="{{ config.base_url }}/{{ t.name }}/">{{ t.name }}</a> {% endfor %}</nav>
</header>
<main>{% block content %}{% endblock content %}</main>
</body>
</html>
"#;

const INDEX: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% set stories = get_section(path="stories/_index.md") %}
<h2>Latest</h2>
<ul>{% for page in stories.pages | slice(end=20) %}<li><a href="{{ page.permalink }}">{{ page.title }}</a> <time>{{ page.date }}</time></li>{% endfor %}</ul>
{% endblock content %}
"#;

const PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
{% if page.date %}<p><time datetime="{{ page.date }}">{{ page.date | date(format="%-d %B %Y") }}</time></p>{% endif %}
{% if page.description %}<p class="summary">{{ page.description }}</p>{% endif %}
{% if page.extra.source %}<p>Source: <a href="{{ page.extra.source.url }}">{{ page.extra.source.name }}</a></p>{% endif %}
<dl>{% for key, value in page.extra %}{% if key != "source" and key != "aka" %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endif %}{% endfor %}</dl>
<nav class="toc"><ul>{% for h in page.toc %}<li><a href="{{ h.permalink }}">{{ h.title }}</a></li>{% endfor %}</ul></nav>
{{ page.content | safe }}
<dl>{% for name, terms in page.taxonomies %}<dt>{{ name }}</dt>{% for t in terms %}<dd><a href="{{ get_taxonomy_url(kind=name, name=t) }}">{{ t }}</a></dd>{% endfor %}{% endfor %}</dl>
{% if page.backlinks %}<h2>Linked from</h2><ul>{% for b in page.backlinks %}<li><a href="{{ b.permalink }}">{{ b.title }}</a></li>{% endfor %}</ul>{% endif %}
</article>
{% endblock content %}
"#;

const SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% if paginator %}{% set pages = paginator.pages %}{% else %}{% set pages = section.pages %}{% endif %}
<ul>{% for page in pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a>{% if page.date %} <time>{{ page.date }}</time>{% endif %}{% if page.description %}<p>{{ page.description }}</p>{% endif %}</li>{% endfor %}</ul>
{% if paginator %}<nav>{% if paginator.previous %}<a href="{{ paginator.previous }}">Newer</a>{% endif %} {% if paginator.next %}<a href="{{ paginator.next }}">Older</a>{% endif %}</nav>{% endif %}
{% for s in section.subsections %}{% set sub = get_section(path=s) %}<h2><a href="{{ sub.permalink }}">{{ sub.title }}</a></h2>{% endfor %}
{% endblock content %}
"#;

const TAXONOMY_LIST: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ taxonomy.name }}</h1>
<ul>{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}</ul>
{% endblock content %}
"#;

const TAXONOMY_SINGLE: &str = r#"{% extends "base.html" %}
{% block title %}{{ term.name }} · {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ term.name }}</h1>
<h2>Linked from</h2>
<ul>{% for page in term.pages %}<li><a href="{{ page.permalink }}">{{ page.title }}</a>{% if page.date %} <time>{{ page.date }}</time>{% endif %}</li>{% endfor %}</ul>
<p><a href="{{ term.permalink }}atom.xml">Feed</a></p>
{% endblock content %}
"#;

/// `config.toml` and the templates.
pub fn preamble() -> Vec<(String, Vec<u8>)> {
    [
        ("config.toml", CONFIG),
        ("templates/base.html", BASE),
        ("templates/index.html", INDEX),
        ("templates/page.html", PAGE),
        ("templates/section.html", SECTION),
        ("templates/taxonomy_list.html", TAXONOMY_LIST),
        ("templates/taxonomy_single.html", TAXONOMY_SINGLE),
        ("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n"),
    ]
    .iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect()
}

/// The note's file under `content/`.
fn content_path(coll: Coll, slug: &str) -> String {
    match coll {
        Coll::Stories => format!("stories/{slug}.md"),
        c => format!("notes/{}/{slug}.md", c.dir()),
    }
}

/// A checked internal link to a note; a stub topic (no note) links to its
/// taxonomy term page, relative to the page's depth.
fn link(from: Coll, l: &Link) -> String {
    if l.exists {
        return format!("[{}](@/{})", l.text(), content_path(l.coll, &l.slug));
    }
    let up = if from == Coll::Stories {
        "../../"
    } else {
        "../../../"
    };
    format!("[{}]({up}{}/{}/)", l.text(), l.coll.dir(), l.slug)
}

/// `content/stories/<slug>.md` or `content/notes/<collection>/<slug>.md`.
pub fn note(doc: &Doc) -> (String, String) {
    let mut t = String::from("+++\n");
    t.push_str(&format!("title = {}\n", quote(&doc.title)));
    if let Some(d) = &doc.date {
        t.push_str(&format!("date = {d}\n"));
    }
    if let Some(s) = &doc.summary {
        t.push_str(&format!("description = {}\n", quote(s)));
    }
    if !doc.refs.is_empty() {
        t.push_str("\n[taxonomies]\n");
        for (coll, slugs) in &doc.refs {
            let quoted: Vec<String> = slugs.iter().map(|s| quote(s)).collect();
            t.push_str(&format!("{} = [{}]\n", coll.dir(), quoted.join(", ")));
        }
    }
    t.push_str("\n[extra]\n");
    if !doc.aliases.is_empty() {
        // `aliases` means redirects in Zola.
        let aliases: Vec<String> = doc.aliases.iter().map(|a| quote(a)).collect();
        t.push_str(&format!("aka = [{}]\n", aliases.join(", ")));
    }
    if let Some((name, url)) = &doc.source {
        t.push_str(&format!(
            "source = {{ name = {}, url = {} }}\n",
            quote(name),
            quote(url)
        ));
    }
    for (key, fact) in &doc.facts {
        match fact {
            Fact::Str(s) => t.push_str(&format!("{key} = {}\n", quote(s))),
            Fact::Int(n) => t.push_str(&format!("{key} = {n}\n")),
        }
    }
    t.push_str("+++\n");
    t.push_str(&body(&doc.body, |l| link(doc.coll, l)));
    (format!("content/{}", content_path(doc.coll, &doc.slug)), t)
}

/// Section `_index.md` files: the stories are sorted by date and paginated
/// like brief's; the other notes sit in sections under `notes/`.
pub fn intro(i: &Intro) -> (String, String) {
    let (path, settings) = match i.coll {
        None => ("content/_index.md".to_string(), String::new()),
        Some(Coll::Stories) => (
            "content/stories/_index.md".to_string(),
            "sort_by = \"date\"\npaginate_by = 50\n".to_string(),
        ),
        Some(c) => (
            format!("content/notes/{}/_index.md", c.dir()),
            "sort_by = \"title\"\n".to_string(),
        ),
    };
    let text = format!(
        "+++\ntitle = {}\ndescription = {}\n{settings}+++\n{}\n",
        quote(&i.title),
        quote(&i.summary),
        i.text
    );
    (path, text)
}
