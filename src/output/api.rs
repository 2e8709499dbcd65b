//! The data export: `api/notes.json` (every note with its front matter and
//! links) and `api/graph.json` (nodes and typed edges, relations included),
//! for scripts, notebooks and other tools. The schema is in docs/api.md.
//!
//! Compact JSON, every list sorted by key, so the same site gives the same
//! bytes. It reads the model and must not change it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Artifact;
use crate::graph::EdgeKind;
use crate::model::Model;

/// The schema version, raised when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct NotesFile<'a> {
    version: u32,
    notes: Vec<NoteOut<'a>>,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    key: &'a str,
    collection: &'a str,
    title: &'a str,
    url: String,
    date: Option<String>,
    updated: Option<String>,
    summary: &'a str,
    stub: bool,
    aliases: &'a [String],
    front_matter: BTreeMap<&'a str, &'a serde_json::Value>,
    refs: BTreeMap<&'a str, Vec<&'a str>>,
    links: Vec<&'a str>,
    backlinks: Vec<&'a str>,
}

#[derive(Serialize)]
struct GraphFile<'a> {
    version: u32,
    nodes: Vec<NodeOut<'a>>,
    edges: Vec<EdgeOut<'a>>,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    key: &'a str,
    collection: &'a str,
    title: &'a str,
    url: String,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct EdgeOut<'a> {
    source: &'a str,
    target: &'a str,
    #[serde(rename = "type")]
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

/// Keys of `ids`, sorted.
fn keys<'m>(model: &'m Model<'_>, ids: &[u32]) -> Vec<&'m str> {
    let mut out: Vec<&str> = ids
        .iter()
        .map(|&id| model.links[id as usize].key.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn notes(model: &Model<'_>) -> String {
    let mut notes: Vec<NoteOut<'_>> = model
        .links
        .iter()
        .enumerate()
        .map(|(id, link)| {
            let note = model.corpus.notes.get(id);
            let refs = model
                .linked
                .refs
                .get(id)
                .map_or_else(BTreeMap::new, |lists| {
                    lists
                        .iter()
                        .map(|(k, ids)| (k.as_str(), keys(model, ids)))
                        .collect()
                });
            NoteOut {
                key: &link.key,
                collection: &link.collection,
                title: &link.title,
                url: model.urls.absolute(&model.linked.routes[id]),
                date: note.and_then(|n| n.date).map(|d| d.ymd()),
                updated: note.and_then(|n| n.updated).map(|d| d.ymd()),
                summary: &link.summary,
                stub: link.is_stub,
                aliases: note.map_or(&[], |n| n.aliases.as_slice()),
                front_matter: note.map_or_else(BTreeMap::new, |n| {
                    n.extra.iter().map(|(k, v)| (k.as_str(), v)).collect()
                }),
                refs,
                links: keys(model, &model.linked.outgoing[id]),
                backlinks: keys(model, &model.linked.backlinks[id]),
            }
        })
        .collect();
    notes.sort_by(|a, b| a.key.cmp(b.key));
    serde_json::to_string(&NotesFile {
        version: VERSION,
        notes,
    })
    .unwrap_or_default()
}

fn kind(kind: &EdgeKind) -> String {
    match kind {
        EdgeKind::Reference(key) => format!("reference/{key}"),
        EdgeKind::Wikilink => "wikilink".into(),
        EdgeKind::Relative => "relative".into(),
        EdgeKind::Mention => "mention".into(),
    }
}

fn graph(model: &Model<'_>) -> String {
    let key = |id: u32| model.links[id as usize].key.as_str();
    let mut nodes: Vec<NodeOut<'_>> = model
        .links
        .iter()
        .enumerate()
        .map(|(id, link)| NodeOut {
            key: &link.key,
            collection: &link.collection,
            title: &link.title,
            url: model.urls.absolute(&model.linked.routes[id]),
        })
        .collect();
    nodes.sort_by(|a, b| a.key.cmp(b.key));
    let plain = |source, target, kind| EdgeOut {
        source,
        target,
        kind,
        title: None,
        since: None,
        until: None,
    };
    let mut edges: Vec<EdgeOut<'_>> = model
        .linked
        .edges
        .iter()
        .map(|e| plain(key(e.from), key(e.to), kind(&e.kind)))
        .collect();
    let rel = &model.knowledge.relations;
    edges.extend(rel.roles().iter().map(|r| EdgeOut {
        title: Some(&r.title),
        since: r.term.since.map(|p| p.written()),
        until: r.term.until.map(|p| p.written()),
        ..plain(key(r.holder), key(r.target), "role".into())
    }));
    edges.extend(rel.relations().iter().map(|r| EdgeOut {
        since: r.term.since.map(|p| p.written()),
        until: r.term.until.map(|p| p.written()),
        ..plain(key(r.from), key(r.to), format!("relation/{}", r.kind))
    }));
    edges.sort();
    edges.dedup();
    serde_json::to_string(&GraphFile {
        version: VERSION,
        nodes,
        edges,
    })
    .unwrap_or_default()
}

/// `api/notes.json` and `api/graph.json`.
pub fn export(model: &Model<'_>) -> Vec<Artifact> {
    vec![
        Artifact::page("api/notes.json".into(), notes(model)).from_origin("the data export"),
        Artifact::page("api/graph.json".into(), graph(model)).from_origin("the data export"),
    ]
}
