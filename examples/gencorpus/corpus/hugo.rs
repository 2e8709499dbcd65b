//! Writes the corpus as an equivalent Hugo site. Companies, people and
//! topics are Hugo taxonomies; each note becomes its term's `_index.md`, so
//! a term page shows the note and the stories that reference it (brief's
//! backlinks). Wikilinks become plain relative links.

use super::brief::body;
use super::model::{Coll, Doc, Fact, Intro, Link};
use super::quote;

const CONFIG: &str = r#"baseURL = "https://example.org/briefing/"
languageCode = "en"
title = "Generated Briefing"
paginate = 50
enableRobotsTXT = true

[params]
  description = "A generated briefing for benchmarks"

[taxonomies]
  company = "companies"
  person = "people"
  topic = "topics"

[services.rss]
  limit = 20

[outputs]
  home = ["HTML", "RSS", "JSON"]
"#;

const BASEOF: &str = r#"<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}{{ range $name, $_ := .Site.Taxonomies }}<a href="{{ printf "%s/" $name | relURL }}">{{ $name }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}<p><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ with .Params.source }}<p>Source: <a href="{{ .url }}">{{ .name }}</a></p>{{ end }}
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
<dl>
{{ range $tax, $_ := .Site.Taxonomies }}{{ with $.GetTerms $tax }}<dt>{{ $tax }}</dt>{{ range . }}<dd><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></dd>{{ end }}{{ end }}{{ end }}
</dl>
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsHome }}
<h2>Latest</h2>
<ul>{{ range first 20 (where .Site.RegularPages "Section" "stories") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ range $name, $terms := .Site.Taxonomies }}<h2><a href="{{ printf "%s/" $name | relURL }}">{{ $name }}</a></h2><p>{{ len $terms }} notes</p>{{ end }}
{{ else }}
{{ $pag := .Paginate .Pages }}
<ul>{{ range $pag.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
{{ end }}
"#;

const TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }}){{ with .Params.summary }} {{ . }}{{ end }}</li>{{ end }}</ul>
{{ end }}
"#;

const TERM: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<dl>{{ with .Params.role }}<dt>Role</dt><dd>{{ . }}</dd>{{ end }}{{ with .Params.headquarters }}<dt>Headquarters</dt><dd>{{ . }}</dd>{{ end }}{{ with .Params.founded }}<dt>Founded</dt><dd>{{ . }}</dd>{{ end }}{{ with .Params.ticker }}<dt>Ticker</dt><dd>{{ . }}</dd>{{ end }}</dl>
{{ .Content }}
<h2>Linked from</h2>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>
{{ with .OutputFormats.Get "rss" }}<p><a href="{{ .RelPermalink }}">Feed</a></p>{{ end }}
</article>
{{ end }}
"#;

/// Hugo's own RSS template, with each item's full content where Hugo's has
/// its summary: brief's and Zola's feeds carry full content.
const RSS: &str = r#"{{- $pctx := . -}}
{{- if .IsHome -}}{{ $pctx = .Site }}{{- end -}}
{{- $pages := slice -}}
{{- if or $.IsHome $.IsSection -}}{{- $pages = $pctx.RegularPages -}}{{- else -}}{{- $pages = $pctx.Pages -}}{{- end -}}
{{- $limit := .Site.Config.Services.RSS.Limit -}}
{{- if ge $limit 1 -}}{{- $pages = $pages | first $limit -}}{{- end -}}
{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{{ if eq .Title .Site.Title }}{{ .Site.Title }}{{ else }}{{ with .Title }}{{ . }} on {{ end }}{{ .Site.Title }}{{ end }}</title>
<link>{{ .Permalink }}</link>
<description>Recent content {{ if ne .Title .Site.Title }}{{ with .Title }}in {{ . }} {{ end }}{{ end }}on {{ .Site.Title }}</description>
<generator>Hugo</generator>
{{ with .Site.LanguageCode }}<language>{{ . }}</language>{{ end }}
{{ if not .Date.IsZero }}<lastBuildDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</lastBuildDate>{{ end }}
{{ with .OutputFormats.Get "RSS" }}{{ printf "<atom:link href=%q rel=\"self\" type=%q />" .Permalink .MediaType | safeHTML }}{{ end }}
{{ range $pages }}<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<guid>{{ .Permalink }}</guid>
<description>{{ .Summary | plainify }}</description>
<content:encoded>{{ .Content | html }}</content:encoded>
</item>
{{ end }}</channel>
</rss>
"#;

const SEARCH_JSON: &str = r#"{{- $items := slice -}}
{{- range .Site.Pages -}}{{- if .Title -}}{{- $items = $items | append (dict "title" .Title "url" .RelPermalink "text" .Plain) -}}{{- end -}}{{- end -}}
{{- $items | jsonify -}}
"#;

/// `config.toml` and the layouts.
pub fn preamble() -> Vec<(String, Vec<u8>)> {
    [
        ("config.toml", CONFIG),
        ("layouts/_default/baseof.html", BASEOF),
        ("layouts/_default/single.html", SINGLE),
        ("layouts/_default/list.html", LIST),
        ("layouts/_default/taxonomy.html", TAXONOMY),
        ("layouts/_default/term.html", TERM),
        ("layouts/index.json", SEARCH_JSON),
        ("layouts/_default/rss.xml", RSS),
    ]
    .iter()
    .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
    .collect()
}

/// Every page sits two folders deep (`/stories/x/`, `/companies/y/`), so one
/// relative form reaches any other page.
fn link(l: &Link) -> String {
    format!("[{}](../../{}/{}/)", l.text(), l.coll.dir(), l.slug)
}

/// A story as a page; any other note as its term's `_index.md`.
pub fn note(doc: &Doc) -> (String, String) {
    let mut t = String::from("---\n");
    t.push_str(&format!("title: {}\n", quote(&doc.title)));
    if !doc.aliases.is_empty() {
        // `aliases` means redirects in Hugo.
        let aliases: Vec<String> = doc.aliases.iter().map(|a| quote(a)).collect();
        t.push_str(&format!("aka: [{}]\n", aliases.join(", ")));
    }
    if let Some(d) = &doc.date {
        t.push_str(&format!("date: {d}\n"));
    }
    if let Some(s) = &doc.summary {
        t.push_str(&format!("summary: {}\n", quote(s)));
    }
    for (coll, slugs) in &doc.refs {
        t.push_str(&format!("{}: [{}]\n", coll.dir(), slugs.join(", ")));
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
    t.push_str(&body(&doc.body, link));
    let path = match doc.coll {
        Coll::Stories => format!("content/stories/{}.md", doc.slug),
        c => format!("content/{}/{}/_index.md", c.dir(), doc.slug),
    };
    (path, t)
}

/// The home page's and each section's or taxonomy's `_index.md`.
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
