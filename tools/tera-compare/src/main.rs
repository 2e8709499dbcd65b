//! tera-compare: Tera 1.20 against Tera 2 on brief's default theme (issue #3).
//!
//! Reads the page contexts that `run.sh` dumped with `{{ __tera_context }}`
//! (one JSON file per page, under a folder mirroring the built site), loads
//! brief's theme with Tera 1 (as src/render/templates.rs does) and the Tera 2
//! port (brief's theme since commit f4eb030), and
//!
//! - `check`: renders every page with both and compares them (exactly, and
//!   with whitespace normalised), and Tera 1's output with brief's own;
//! - `bench`: times compiling the templates, building the contexts
//!   (`Context::from_serialize` of the parsed JSON) and rendering, Tera 1 and
//!   Tera 2 alternating, and prints medians;
//! - `once`: does one phase once, for `valgrind --tool=callgrind`
//!   (`--toggle-collect='*measured_*'` counts only the measured work).
//!
//! Usage:
//!   tera-compare check  --contexts DIR --t1 DIR --t2 DIR [--brief DIR] [--out DIR]
//!   tera-compare bench  --contexts DIR --t1 DIR --t2 DIR [--reps N] [--compiles N] [--json FILE]
//!   tera-compare once   --contexts DIR --t1 DIR --t2 DIR --engine t1|t2 --phase compile|context|render

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One page of the site: where it was written, its template, its context.
struct Page {
    /// Which `--contexts` folder it came from (`--brief` has the same order).
    set: usize,
    /// Its file under that folder.
    rel: String,
    /// `<folder name>/<rel>`, for messages.
    path: String,
    template: &'static str,
    json: serde_json::Value,
}

/// The template brief renders a page of this kind with (src/render/mod.rs,
/// default theme: no per-collection templates).
fn template_for(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "note" => "note.html",
        "stub" => "stub.html",
        "page" => "page.html",
        "list" => "list.html",
        "home" => "index.html",
        "timeline" => "timeline.html",
        "changes" => "changes.html",
        "graph" => "graph.html",
        "search" => "search.html",
        "404" => "404.html",
        _ => return None,
    })
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let ty = e.file_type()?;
        if ty.is_dir() {
            walk(&e.path(), out)?;
        } else if ty.is_file() {
            out.push(e.path());
        }
    }
    Ok(())
}

/// Every `.html` file under `dir` holding a JSON page context.
fn load_pages(dir: &Path, set: usize) -> Result<Vec<Page>, String> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut pages = Vec::new();
    for f in files {
        if f.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", f.display()))?;
        let kind = json
            .pointer("/page/kind")
            .and_then(|k| k.as_str())
            .ok_or_else(|| format!("{}: no page.kind", f.display()))?;
        let template =
            template_for(kind).ok_or_else(|| format!("{}: unknown kind {kind}", f.display()))?;
        let rel = f.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let path = format!(
            "{}/{rel}",
            dir.file_name().unwrap_or_default().to_string_lossy()
        );
        pages.push(Page {
            set,
            rel,
            path,
            template,
            json,
        });
    }
    if pages.is_empty() {
        return Err(format!("no page contexts under {}", dir.display()));
    }
    Ok(pages)
}

/// The `.html` and `.xml` files of a template folder, as (name, text).
fn load_templates(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    walk(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for f in files {
        let name = f.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if name.ends_with(".html") || name.ends_with(".xml") {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            out.push((name, text));
        }
    }
    Ok(out)
}

// ---- the two engines, set up as brief sets up Tera 1 ----

/// brief's escape (crate::markdown::escape_html): pulldown-cmark-escape's,
/// which leaves `/` alone, unlike Tera's default.
fn escape_t1(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The same escaping for Tera 2, whose escape functions write to a writer.
fn escape_t2(text: &str, w: &mut dyn Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(w), text)
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

#[inline(never)]
fn measured_compile_t1(raw: &[(String, String)]) -> tera::Tera {
    let mut t = tera::Tera::default();
    t.autoescape_on(vec![".html", ".xml"]);
    t.set_escape_fn(escape_t1);
    if let Err(e) = t.add_raw_templates(raw.iter().map(|(n, c)| (n.as_str(), c.as_str()))) {
        panic!("Tera 1: {}", chain(&e));
    }
    t
}

#[inline(never)]
fn measured_compile_t2(raw: &[(String, String)]) -> tera2::Tera {
    let mut t = tera2::Tera::default();
    t.autoescape_on([".html", ".xml"]);
    t.set_escape_fn(escape_t2);
    if let Err(e) = t.add_raw_templates(raw.iter().map(|(n, c)| (n.as_str(), c.as_str()))) {
        panic!("Tera 2: {}", chain(&e));
    }
    t
}

#[inline(never)]
fn measured_context_t1(pages: &[Page]) -> Vec<tera::Context> {
    pages
        .iter()
        .map(|p| tera::Context::from_serialize(&p.json).expect("Tera 1 context"))
        .collect()
}

/// `Context::from_value` takes the JSON by value: the clone it needs is part
/// of what this times (brief never has a serde_json::Value to give it).
#[inline(never)]
fn measured_context_t1_from_value(pages: &[Page]) -> Vec<tera::Context> {
    pages
        .iter()
        .map(|p| tera::Context::from_value(p.json.clone()).expect("Tera 1 context"))
        .collect()
}

#[inline(never)]
fn measured_context_t2(pages: &[Page]) -> Vec<tera2::Context> {
    pages
        .iter()
        .map(|p| tera2::Context::from_serialize(&p.json).expect("Tera 2 context"))
        .collect()
}

/// Renders every page; returns the bytes written and the time per template.
#[inline(never)]
fn measured_render_t1(
    t: &tera::Tera,
    pages: &[Page],
    ctxs: &[tera::Context],
) -> (usize, BTreeMap<&'static str, Duration>) {
    let mut bytes = 0;
    let mut by_template: BTreeMap<&'static str, Duration> = BTreeMap::new();
    for (p, c) in pages.iter().zip(ctxs) {
        let start = Instant::now();
        let html = t
            .render(p.template, c)
            .unwrap_or_else(|e| panic!("Tera 1: {}: {}", p.path, chain(&e)));
        bytes += html.len();
        drop(html);
        *by_template.entry(p.template).or_default() += start.elapsed();
    }
    (bytes, by_template)
}

#[inline(never)]
fn measured_render_t2(
    t: &tera2::Tera,
    pages: &[Page],
    ctxs: &[tera2::Context],
) -> (usize, BTreeMap<&'static str, Duration>) {
    let mut bytes = 0;
    let mut by_template: BTreeMap<&'static str, Duration> = BTreeMap::new();
    for (p, c) in pages.iter().zip(ctxs) {
        let start = Instant::now();
        let html = t
            .render(p.template, c)
            .unwrap_or_else(|e| panic!("Tera 2: {}: {}", p.path, chain(&e)));
        bytes += html.len();
        drop(html);
        *by_template.entry(p.template).or_default() += start.elapsed();
    }
    (bytes, by_template)
}

// ---- arguments ----

struct Args {
    cmd: String,
    flags: BTreeMap<String, String>,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut it = std::env::args().skip(1);
        let cmd = it
            .next()
            .ok_or("usage: tera-compare check|bench|once --contexts DIR --t1 DIR --t2 DIR ...")?;
        let mut flags = BTreeMap::new();
        while let Some(f) = it.next() {
            let name = f
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {f}"))?;
            let v = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            flags.insert(name.to_string(), v);
        }
        Ok(Args { cmd, flags })
    }
    fn get(&self, name: &str) -> Result<&str, String> {
        self.flags
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("--{name} is required"))
    }
    fn num(&self, name: &str, default: usize) -> Result<usize, String> {
        match self.flags.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}")),
        }
    }
}

// ---- check ----

/// Whitespace runs become one space; whitespace between two tags goes.
fn normalise(html: &str) -> String {
    let collapsed = html.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace("> <", "><")
}

/// Where two strings first differ, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let i = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map(|((i, _), _)| i)
        .unwrap_or(a.len().min(b.len()));
    let from = a[..i].char_indices().rev().nth(80).map_or(0, |(j, _)| j);
    let cut = |s: &str| {
        s.chars()
            .skip(a[..from].chars().count())
            .take(200)
            .collect::<String>()
    };
    format!("    tera1: …{}…\n    tera2: …{}…", cut(a), cut(b))
}

/// Pages no generated site has: a note whose facts hold every kind of value
/// the `value` macro handles, with a source, an update date, and roles and
/// relations with and without dates; and the same note as a standalone page
/// (page.html). Made from the first note of `pages`.
fn synthetic(pages: &[Page]) -> Vec<Page> {
    use serde_json::json;
    let Some(base) = pages.iter().find(|p| p.template == "note.html") else {
        return Vec::new();
    };
    let day = |y: u32| json!({"ymd": format!("{y}-03-01"), "label": format!("March {y}")});
    let date = json!({"human": "2 March 2024", "month": "2024-03", "month_label": "March 2024",
                      "rfc3339": "2024-03-02T00:00:00+00:00", "ymd": "2024-03-02"});
    let target = json!({"url": "/briefing/companies/x/", "title": "X & <Co>"});
    let mut j = base.json.clone();
    let n = j["note"].as_object_mut().unwrap();
    n.insert("facts".into(), json!([
        {"key": "source", "label": "Source", "value": "https://example.org/a?b=1&c=<2>"},
        {"key": "text", "label": "Text", "value": "O'Brien & \"Sons\" <b>"},
        {"key": "int", "label": "Int", "value": 1984},
        {"key": "float", "label": "Float", "value": 2.5},
        {"key": "neg", "label": "Neg", "value": -3},
        {"key": "yes", "label": "Yes", "value": true},
        {"key": "no", "label": "No", "value": false},
        {"key": "nothing", "label": "Nothing", "value": null},
        {"key": "plain_url", "label": "Site", "value": "http://example.org/"},
        {"key": "list", "label": "List", "value": ["a", 1, true, {"name": "N", "url": "https://n.org/"}, ["x", "y"]]},
        {"key": "map", "label": "Map", "value": {"zeta": "z", "alpha": {"name": "Named"}, "mid": [1, 2], "deep": {"k": "v", "a": 1}}},
        {"key": "link", "label": "Link", "value": {"url": "https://only.url/"}},
        {"key": "named", "label": "Named", "value": {"name": "Only a name"}},
        {"key": "badurl", "label": "Bad url", "value": {"url": 3, "name": "n"}}
    ]));
    n.insert(
        "extra".into(),
        json!({"source": "http://example.org/source"}),
    );
    n.insert("updated".into(), date.clone());
    n.insert("date".into(), date);
    n.insert(
        "roles".into(),
        json!([
            {"title": "Chair", "target": target, "since": day(2019), "until": day(2023)},
            {"title": "Founder", "target": target, "since": day(2001), "until": null},
            {"title": "Adviser", "target": target, "since": null, "until": day(2010)},
            {"title": "Member", "target": target, "since": null, "until": null}
        ]),
    );
    n.insert("role_holders".into(), json!([
        {"holder": target, "roles": [{"title": "CEO", "since": day(2019), "until": null}, {"title": "CFO", "since": null, "until": null}]}
    ]));
    n.insert("relations".into(), json!([
        {"inverse": false, "kind": "owner", "label": "Owner", "note": target, "since": day(2015), "until": day(2020)},
        {"inverse": true, "kind": "rival", "label": "Rival", "note": target, "since": null, "until": null}
    ]));
    let mut page = j.clone();
    page["page"]["kind"] = json!("page");
    page["note"]["collection"] = json!("");
    vec![
        Page {
            set: usize::MAX,
            rel: String::new(),
            path: "synthetic/note/index.html".into(),
            template: "note.html",
            json: j,
        },
        Page {
            set: usize::MAX,
            rel: String::new(),
            path: "synthetic/page/index.html".into(),
            template: "page.html",
            json: page,
        },
    ]
}

fn check(
    args: &Args,
    pages: &[Page],
    raw1: &[(String, String)],
    raw2: &[(String, String)],
) -> Result<(), String> {
    let mut all: Vec<Page> = Vec::new();
    all.extend(synthetic(pages));
    let synthetic_count = all.len();
    let pages: Vec<&Page> = pages.iter().chain(all.iter()).collect();
    eprintln!("{synthetic_count} synthetic pages added");
    let t1 = measured_compile_t1(raw1);
    let t2 = measured_compile_t2(raw2);
    let brief: Vec<PathBuf> = args
        .flags
        .get("brief")
        .map(|b| b.split(':').map(PathBuf::from).collect())
        .unwrap_or_default();
    let out = args.flags.get("out").map(PathBuf::from);
    let (mut exact, mut norm, mut brief_same, mut brief_checked) = (0, 0, 0, 0);
    let mut diffs: Vec<String> = Vec::new();
    let mut by_template: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for p in pages.iter().copied() {
        let c1 = tera::Context::from_serialize(&p.json).map_err(|e| chain(&e))?;
        let c2 = tera2::Context::from_serialize(&p.json).map_err(|e| chain(&e))?;
        let h1 = t1
            .render(p.template, &c1)
            .map_err(|e| format!("Tera 1: {}: {}", p.path, chain(&e)))?;
        let h2 = t2
            .render(p.template, &c2)
            .map_err(|e| format!("Tera 2: {}: {}", p.path, chain(&e)))?;
        let entry = by_template.entry(p.template).or_default();
        entry.0 += 1;
        if h1 == h2 {
            exact += 1;
            entry.1 += 1;
        }
        let (n1, n2) = (normalise(&h1), normalise(&h2));
        if n1 == n2 {
            norm += 1;
            entry.2 += 1;
        } else if diffs.len() < 10 {
            diffs.push(format!(
                "  {} ({}):\n{}",
                p.path,
                p.template,
                first_difference(&n1, &n2)
            ));
        }
        if let Some(dir) = brief.get(p.set) {
            if let Ok(real) = std::fs::read_to_string(dir.join(&p.rel)) {
                brief_checked += 1;
                if real == h1 {
                    brief_same += 1;
                } else if diffs.len() < 10 {
                    diffs.push(format!(
                        "  {}: harness Tera 1 differs from brief's page\n{}",
                        p.path,
                        first_difference(&real, &h1)
                    ));
                }
            }
        }
        if let Some(dir) = &out {
            for (engine, html) in [("tera1", &h1), ("tera2", &h2)] {
                let f = dir.join(engine).join(&p.path);
                std::fs::create_dir_all(f.parent().unwrap()).map_err(|e| e.to_string())?;
                std::fs::write(&f, html).map_err(|e| e.to_string())?;
            }
        }
    }
    println!("pages: {}", pages.len());
    println!("tera1 == tera2 byte for byte: {exact}");
    println!("tera1 == tera2 up to whitespace: {norm}");
    for (t, (n, e, w)) in &by_template {
        println!("  {t:<14} {n:>5} pages: {e:>5} identical, {w:>5} same up to whitespace");
    }
    if !brief.is_empty() {
        println!("harness Tera 1 == brief's own output: {brief_same} of {brief_checked}");
    }
    for d in &diffs {
        println!("{d}");
    }
    if norm != pages.len() || brief_same != brief_checked {
        return Err("outputs differ".into());
    }
    Ok(())
}

// ---- bench ----

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[derive(Default)]
struct Samples {
    compile_ms: Vec<f64>,
    context_ms: Vec<f64>,
    context_from_value_ms: Vec<f64>,
    render_ms: Vec<f64>,
    by_template_ms: BTreeMap<&'static str, Vec<f64>>,
    bytes: usize,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench(
    args: &Args,
    pages: &[Page],
    raw1: &[(String, String)],
    raw2: &[(String, String)],
) -> Result<(), String> {
    let reps = args.num("reps", 7)?;
    let compiles = args.num("compiles", 20)?;
    let mut s1 = Samples::default();
    let mut s2 = Samples::default();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in pages {
        *counts.entry(p.template).or_default() += 1;
    }
    // Warm up both once (page cache, allocator).
    {
        let t = measured_compile_t1(raw1);
        let c = measured_context_t1(pages);
        measured_render_t1(&t, pages, &c);
        let t = measured_compile_t2(raw2);
        let c = measured_context_t2(pages);
        measured_render_t2(&t, pages, &c);
    }
    for rep in 0..reps {
        // Alternate which engine goes first.
        let order: [u8; 2] = if rep % 2 == 0 { [1, 2] } else { [2, 1] };
        for engine in order {
            if engine == 1 {
                for _ in 0..compiles {
                    let start = Instant::now();
                    let t = measured_compile_t1(raw1);
                    s1.compile_ms.push(ms(start.elapsed()));
                    drop(t);
                }
                let t = measured_compile_t1(raw1);
                let start = Instant::now();
                let c = measured_context_t1_from_value(pages);
                s1.context_from_value_ms.push(ms(start.elapsed()));
                drop(c);
                let start = Instant::now();
                let c = measured_context_t1(pages);
                s1.context_ms.push(ms(start.elapsed()));
                let start = Instant::now();
                let (bytes, by) = measured_render_t1(&t, pages, &c);
                s1.render_ms.push(ms(start.elapsed()));
                s1.bytes = bytes;
                for (k, d) in by {
                    s1.by_template_ms.entry(k).or_default().push(ms(d));
                }
            } else {
                for _ in 0..compiles {
                    let start = Instant::now();
                    let t = measured_compile_t2(raw2);
                    s2.compile_ms.push(ms(start.elapsed()));
                    drop(t);
                }
                let t = measured_compile_t2(raw2);
                let start = Instant::now();
                let c = measured_context_t2(pages);
                s2.context_ms.push(ms(start.elapsed()));
                let start = Instant::now();
                let (bytes, by) = measured_render_t2(&t, pages, &c);
                s2.render_ms.push(ms(start.elapsed()));
                s2.bytes = bytes;
                for (k, d) in by {
                    s2.by_template_ms.entry(k).or_default().push(ms(d));
                }
            }
        }
        eprintln!(
            "rep {}/{reps}: tera1 context {:.0} ms render {:.0} ms; tera2 context {:.0} ms render {:.0} ms",
            rep + 1,
            s1.context_ms.last().unwrap(),
            s1.render_ms.last().unwrap(),
            s2.context_ms.last().unwrap(),
            s2.render_ms.last().unwrap()
        );
    }
    let n = pages.len() as f64;
    let m1 = |v: &mut Vec<f64>| median(v);
    let (c1, c2) = (m1(&mut s1.compile_ms), m1(&mut s2.compile_ms));
    let (x1, x2) = (m1(&mut s1.context_ms), m1(&mut s2.context_ms));
    let xv1 = m1(&mut s1.context_from_value_ms);
    let (r1, r2) = (m1(&mut s1.render_ms), m1(&mut s2.render_ms));
    let pct = |a: f64, b: f64| (b - a) / a * 100.0;
    println!(
        "{} pages, {} reps (alternating), {} compiles per rep; medians",
        pages.len(),
        reps,
        compiles
    );
    println!();
    println!("| | Tera 1.20 | Tera 2 | Tera 2 vs 1 |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| compile all templates | {c1:.3} ms | {c2:.3} ms | {:+.0}% |",
        pct(c1, c2)
    );
    println!(
        "| contexts, `Context::from_serialize` (all pages) | {x1:.0} ms | {x2:.0} ms | {:+.0}% |",
        pct(x1, x2)
    );
    println!("| contexts, Tera 1 `Context::from_value` (clone + move) | {xv1:.0} ms | – | |");
    println!(
        "| render (all pages) | {r1:.0} ms | {r2:.0} ms | {:+.0}% |",
        pct(r1, r2)
    );
    println!(
        "| render per page | {:.1} µs | {:.1} µs | |",
        r1 / n * 1000.0,
        r2 / n * 1000.0
    );
    println!(
        "| context + render (all pages) | {:.0} ms | {:.0} ms | {:+.0}% |",
        x1 + r1,
        x2 + r2,
        pct(x1 + r1, x2 + r2)
    );
    println!("| bytes rendered | {} | {} | |", s1.bytes, s2.bytes);
    println!();
    println!("| render by template | pages | Tera 1.20 per page | Tera 2 per page | Tera 2 vs 1 |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut json_by = serde_json::Map::new();
    for (t, count) in &counts {
        let a = median(s1.by_template_ms.get_mut(t).unwrap());
        let b = median(s2.by_template_ms.get_mut(t).unwrap());
        let k = *count as f64;
        println!(
            "| {t} | {count} | {:.1} µs | {:.1} µs | {:+.0}% |",
            a / k * 1000.0,
            b / k * 1000.0,
            pct(a, b)
        );
        json_by.insert(
            t.to_string(),
            serde_json::json!({"pages": count, "tera1_ms": a, "tera2_ms": b}),
        );
    }
    if let Ok(path) = args.get("json") {
        let j = serde_json::json!({
            "pages": pages.len(),
            "reps": reps,
            "compiles_per_rep": compiles,
            "tera1": {"compile_ms": c1, "context_ms": x1, "context_from_value_ms": xv1, "render_ms": r1, "bytes": s1.bytes},
            "tera2": {"compile_ms": c2, "context_ms": x2, "render_ms": r2, "bytes": s2.bytes},
            "by_template": json_by,
        });
        std::fs::write(path, serde_json::to_string_pretty(&j).unwrap())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

// ---- once (for callgrind) ----

fn once(
    args: &Args,
    pages: &[Page],
    raw1: &[(String, String)],
    raw2: &[(String, String)],
) -> Result<(), String> {
    let engine = args.get("engine")?;
    let phase = args.get("phase")?;
    match (engine, phase) {
        ("t1", "compile") => drop(measured_compile_t1(raw1)),
        ("t2", "compile") => drop(measured_compile_t2(raw2)),
        ("t1", "context") => drop(measured_context_t1(pages)),
        ("t2", "context") => drop(measured_context_t2(pages)),
        ("t1", "render") => {
            let t = measured_compile_t1(raw1);
            let c = measured_context_t1(pages);
            eprintln!("{} bytes", measured_render_t1(&t, pages, &c).0);
        }
        ("t2", "render") => {
            let t = measured_compile_t2(raw2);
            let c = measured_context_t2(pages);
            eprintln!("{} bytes", measured_render_t2(&t, pages, &c).0);
        }
        _ => return Err("--engine t1|t2 --phase compile|context|render".into()),
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args = Args::parse()?;
    let mut pages = Vec::new();
    for (set, dir) in args.get("contexts")?.split(':').enumerate() {
        pages.extend(load_pages(Path::new(dir), set)?);
    }
    let raw1 = load_templates(Path::new(args.get("t1")?))?;
    let raw2 = load_templates(Path::new(args.get("t2")?))?;
    eprintln!(
        "{} page contexts parsed; {} Tera 1 templates, {} Tera 2 templates",
        pages.len(),
        raw1.len(),
        raw2.len()
    );
    match args.cmd.as_str() {
        "check" => check(&args, &pages, &raw1, &raw2),
        "bench" => bench(&args, &pages, &raw1, &raw2),
        "once" => once(&args, &pages, &raw1, &raw2),
        other => Err(format!("unknown command {other}: check, bench or once")),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tera-compare: {e}");
            ExitCode::FAILURE
        }
    }
}
