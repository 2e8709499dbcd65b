//! The data export: `api/notes.json` (every note with its front matter and
//! links) and `api/graph.json` (nodes and typed edges, relations included),
//! for scripts, notebooks and other tools. The schema is in docs/api.md.
//!
//! Compact JSON, every list sorted by key, so the same site gives the same
//! bytes. It reads the model and must not change it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
#[cfg(test)]
use serde::Serialize;

use super::json::{
    push_json_fields, push_json_object, push_json_opt, push_json_str, push_json_strs,
};
use super::Artifact;
use crate::graph::EdgeKind;
use crate::model::Model;

/// The schema version, raised when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

#[cfg_attr(test, derive(Serialize))]
#[derive(Hash)]
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

#[cfg_attr(test, derive(Serialize))]
#[derive(Hash)]
struct NodeOut<'a> {
    key: &'a str,
    collection: &'a str,
    title: &'a str,
    url: String,
}

/// One edge as `graph.json` writes it, made from an [`EdgeAt`] as it is
/// written.
#[cfg_attr(test, derive(Serialize))]
struct EdgeOut<'a> {
    source: &'a str,
    target: &'a str,
    #[cfg_attr(test, serde(rename = "type"))]
    kind: &'a str,
    #[cfg_attr(test, serde(flatten))]
    term: Option<&'a EdgeTerm<'a>>,
}

/// An edge as sorted and kept until it is written: its ends' places in key
/// order, its type's place among the types and its term's among the terms
/// (both sorted, so comparing places compares what they name; 0 for no
/// term). A million or more on a large site: 16 bytes each.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct EdgeAt {
    s: u32,
    t: u32,
    kind: u32,
    term: u32,
}

/// A role's title and the dates a role or relation holds between. The
/// edges of one type either all have one or none does.
#[cfg_attr(test, derive(Serialize))]
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct EdgeTerm<'a> {
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    title: Option<&'a str>,
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    since: Option<String>,
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    until: Option<String>,
}

/// A value of the export written as compact JSON, field by field in the
/// order `serde_json` would write the struct (a test holds the two to
/// each other): the export is the largest JSON a build writes, and
/// `serde_json` escapes a string a byte at a time.
trait WriteJson {
    fn write_json(&self, out: &mut String);

    fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// What a note and a graph node start with: `{"key":…,"url":…`.
fn push_node_head(out: &mut String, key: &str, collection: &str, title: &str, url: &str) {
    push_json_fields(
        out,
        &[
            ("{\"key\":", key),
            (",\"collection\":", collection),
            (",\"title\":", title),
            (",\"url\":", url),
        ],
    );
}

impl WriteJson for NoteOut<'_> {
    fn write_json(&self, out: &mut String) {
        push_node_head(out, self.key, self.collection, self.title, &self.url);
        out.push_str(",\"date\":");
        push_json_opt(out, self.date.as_deref());
        out.push_str(",\"updated\":");
        push_json_opt(out, self.updated.as_deref());
        out.push_str(",\"summary\":");
        push_json_str(out, self.summary);
        out.push_str(if self.stub {
            ",\"stub\":true"
        } else {
            ",\"stub\":false"
        });
        out.push_str(",\"aliases\":");
        push_json_strs(out, self.aliases);
        out.push_str(",\"front_matter\":");
        // Free front matter, a few small values: serde_json's own.
        push_json_object(
            out,
            self.front_matter.iter().map(|(k, v)| (*k, v)),
            |out, v| {
                out.push_str(&serde_json::to_string(v).unwrap_or_default());
            },
        );
        out.push_str(",\"refs\":");
        push_json_object(out, self.refs.iter().map(|(k, v)| (*k, v)), |out, keys| {
            push_json_strs(out, keys);
        });
        out.push_str(",\"links\":");
        push_json_strs(out, &self.links);
        out.push_str(",\"backlinks\":");
        push_json_strs(out, &self.backlinks);
        out.push('}');
    }
}

impl WriteJson for NodeOut<'_> {
    fn write_json(&self, out: &mut String) {
        push_node_head(out, self.key, self.collection, self.title, &self.url);
        out.push('}');
    }
}

impl WriteJson for EdgeOut<'_> {
    fn write_json(&self, out: &mut String) {
        push_json_fields(
            out,
            &[
                ("{\"source\":", self.source),
                (",\"target\":", self.target),
                (",\"type\":", self.kind),
            ],
        );
        if let Some(term) = self.term {
            let optional = [
                (",\"title\":", term.title),
                (",\"since\":", term.since.as_deref()),
                (",\"until\":", term.until.as_deref()),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    out.push_str(name);
                    push_json_str(out, value);
                }
            }
        }
        out.push('}');
    }
}

/// Every id's place in key order, and the ids in that order.
#[derive(Debug)]
struct KeyOrder {
    rank: Vec<u32>,
    ids: Vec<usize>,
}

impl KeyOrder {
    fn new(model: &Model<'_>) -> Self {
        let mut ids: Vec<usize> = (0..model.links.len()).collect();
        ids.par_sort_by(|&a, &b| model.links[a].key.cmp(&model.links[b].key));
        let mut rank = vec![0; ids.len()];
        for (r, &id) in ids.iter().enumerate() {
            rank[id] = r as u32;
        }
        KeyOrder { rank, ids }
    }

    /// Keys of `ids`, sorted, without repeats.
    fn keys<'m>(&self, model: &'m Model<'_>, ids: &[u32]) -> Vec<&'m str> {
        let mut ranks: Vec<u32> = ids.iter().map(|&id| self.rank[id as usize]).collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks
            .into_iter()
            .map(|r| model.links[self.ids[r as usize]].key.as_str())
            .collect()
    }
}

/// The items of a JSON list, serialised in parallel a chunk at a time and
/// added to `pieces` in order, each chunk after the first starting with
/// its comma: a large list is never joined into one string (at 100,000
/// stories the edges' JSON is 170 MB).
fn json_items<T: Sync>(
    pieces: &mut Vec<Cow<'static, str>>,
    items: &[T],
    write: impl Fn(&T, &mut String) + Sync,
) {
    const CHUNK: usize = 512;
    pieces.par_extend(items.par_chunks(CHUNK).enumerate().map(|(c, chunk)| {
        let mut s = String::new();
        for (i, item) in chunk.iter().enumerate() {
            if c > 0 || i > 0 {
                s.push(',');
            }
            write(item, &mut s);
            if i == 0 {
                // Room for the rest at a little over the first's size, so
                // the chunk is not copied at each doubling; never more
                // than a mebibyte on one item's say (a note with a huge
                // front matter).
                s.reserve((s.len() * chunk.len() * 5 / 4).min(1 << 20));
            }
        }
        Cow::Owned(s)
    }));
}

fn note_out<'m>(model: &'m Model<'_>, order: &KeyOrder, id: usize) -> NoteOut<'m> {
    let keys = |ids: &[u32]| order.keys(model, ids);
    let link = &model.links[id];
    let note = model.corpus.notes.get(id);
    let refs = model
        .linked
        .refs
        .get(id)
        .map_or_else(BTreeMap::new, |lists| {
            lists
                .iter()
                .map(|(k, ids)| (k.as_str(), keys(ids)))
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
        links: keys(&model.linked.outgoing[id]),
        backlinks: keys(&model.linked.backlinks[id]),
    }
}

/// The text `notes.json` starts with; it ends with `]}`.
fn notes_head() -> String {
    format!("{{\"version\":{VERSION},\"notes\":[")
}

/// `notes.json` from its entries.
fn notes_json(entries: &[String]) -> String {
    let size: usize = entries.iter().map(|e| e.len() + 1).sum();
    let mut out = notes_head();
    out.reserve(size + 2);
    append_entries(&mut out, entries);
    out.push_str("]}");
    out
}

/// Appends entries, comma-separated, after whatever `out` already lists.
fn append_entries(out: &mut String, entries: &[String]) {
    for e in entries {
        if !out.ends_with('[') {
            out.push(',');
        }
        out.push_str(e);
    }
}

/// Every type of edge, sorted, and where each is in that order: there are
/// millions of edges on a large site, and few types.
struct Kinds<'m> {
    names: Vec<String>,
    references: HashMap<&'m str, u32>,
    relations: HashMap<&'m str, u32>,
    plain: [u32; 4],
}

/// The types of edge that are not made of a name, in [`Kinds::plain`]'s
/// order.
const PLAIN_KINDS: [&str; 4] = ["wikilink", "relative", "mention", "role"];

impl<'m> Kinds<'m> {
    fn new(model: &'m Model<'_>) -> Self {
        let mut references: HashMap<&'m str, u32> = HashMap::new();
        for edge in &model.linked.edges {
            if let EdgeKind::Reference(key) = &edge.kind {
                references.entry(key.as_str()).or_default();
            }
        }
        let mut relations: HashMap<&'m str, u32> = model
            .knowledge
            .relations
            .relations()
            .iter()
            .map(|r| (r.kind.as_str(), 0))
            .collect();
        let mut names: Vec<String> = PLAIN_KINDS.iter().map(|k| k.to_string()).collect();
        names.extend(references.keys().map(|k| format!("reference/{k}")));
        names.extend(relations.keys().map(|k| format!("relation/{k}")));
        names.sort_unstable();
        names.dedup();
        let place = |name: &str| {
            names
                .binary_search_by(|n| n.as_str().cmp(name))
                .unwrap_or(0) as u32
        };
        for (key, at) in &mut references {
            *at = place(&format!("reference/{key}"));
        }
        for (key, at) in &mut relations {
            *at = place(&format!("relation/{key}"));
        }
        let plain = PLAIN_KINDS.map(place);
        Kinds {
            names,
            references,
            relations,
            plain,
        }
    }

    /// The place of an edge of the link graph's type.
    fn of(&self, kind: &EdgeKind) -> u32 {
        match kind {
            // Every reference's type was placed by `new`.
            EdgeKind::Reference(key) => self.references.get(key.as_str()).copied().unwrap_or(0),
            EdgeKind::Wikilink => self.plain[0],
            EdgeKind::Relative => self.plain[1],
            EdgeKind::Mention => self.plain[2],
        }
    }

    /// The place of the type of a relation of `kind`.
    fn relation(&self, kind: &str) -> u32 {
        self.relations.get(kind).copied().unwrap_or(0)
    }

    /// The type at `place`.
    fn name(&self, place: u32) -> &str {
        self.names.get(place as usize).map_or("", String::as_str)
    }
}

/// The graph's edges, sorted, with the terms they name.
struct Edges<'m> {
    edges: Vec<EdgeAt>,
    /// Sorted, without repeats; an edge's `term` is its place here plus 1.
    terms: Vec<EdgeTerm<'m>>,
}

/// The graph's nodes and edges, sorted.
fn graph_parts<'m>(
    model: &'m Model<'_>,
    order: &KeyOrder,
    kinds: &Kinds<'_>,
) -> (Vec<NodeOut<'m>>, Edges<'m>) {
    let nodes: Vec<NodeOut<'_>> = order
        .ids
        .par_iter()
        .map(|&id| {
            let link = &model.links[id];
            NodeOut {
                key: &link.key,
                collection: &link.collection,
                title: &link.title,
                url: model.urls.absolute(&model.linked.routes[id]),
            }
        })
        .collect();
    let rel = &model.knowledge.relations;
    // The roles' and relations' terms, sorted, so that comparing their
    // places compares them.
    let role_terms = rel.roles().iter().map(|r| EdgeTerm {
        title: Some(r.title.as_str()),
        since: r.term.since.map(|p| p.written()),
        until: r.term.until.map(|p| p.written()),
    });
    let relation_terms = rel.relations().iter().map(|r| EdgeTerm {
        title: None,
        since: r.term.since.map(|p| p.written()),
        until: r.term.until.map(|p| p.written()),
    });
    let written: Vec<EdgeTerm<'_>> = role_terms.chain(relation_terms).collect();
    let mut terms = written.clone();
    terms.sort_unstable();
    terms.dedup();
    let term_place = |term: &EdgeTerm<'_>| terms.binary_search(term).map_or(0, |at| at as u32 + 1);
    let at = |from: u32, to: u32, kind: u32, term: u32| EdgeAt {
        s: order.rank[from as usize],
        t: order.rank[to as usize],
        kind,
        term,
    };
    // Room for every edge at once: growing the list for the roles and
    // relations would copy it whole.
    let mut edges: Vec<EdgeAt> =
        Vec::with_capacity(model.linked.edges.len() + rel.roles().len() + rel.relations().len());
    edges.par_extend(
        model
            .linked
            .edges
            .par_iter()
            .map(|e| at(e.from, e.to, kinds.of(&e.kind), 0)),
    );
    let (roles, relations) = written.split_at(rel.roles().len());
    edges.extend(
        rel.roles()
            .iter()
            .zip(roles)
            .map(|(r, term)| at(r.holder, r.target, kinds.plain[3], term_place(term))),
    );
    edges.extend(
        rel.relations()
            .iter()
            .zip(relations)
            .map(|(r, term)| at(r.from, r.to, kinds.relation(&r.kind), term_place(term))),
    );
    // Unstable: equal edges are equal in every field, so their order
    // cannot show, and the edges are not copied through a merge buffer.
    edges.par_sort_unstable();
    edges.dedup();
    (nodes, Edges { edges, terms })
}

/// `graph.json` from its nodes and edges, in pieces.
fn graph_json(
    nodes: &[NodeOut<'_>],
    edges: &Edges<'_>,
    kinds: &Kinds<'_>,
) -> Vec<Cow<'static, str>> {
    let mut pieces = vec![Cow::Owned(format!("{{\"version\":{VERSION},\"nodes\":["))];
    json_items(&mut pieces, nodes, NodeOut::write_json);
    pieces.push(Cow::Borrowed("],\"edges\":["));
    json_items(&mut pieces, &edges.edges, |e, out| {
        let key = |rank: u32| nodes.get(rank as usize).map_or("", |n| n.key);
        EdgeOut {
            source: key(e.s),
            target: key(e.t),
            kind: kinds.name(e.kind),
            term: (e.term as usize)
                .checked_sub(1)
                .and_then(|at| edges.terms.get(at)),
        }
        .write_json(out);
    });
    pieces.push(Cow::Borrowed("]}"));
    pieces
}

/// Where the notes go.
pub const NOTES: &str = "api/notes.json";
/// Where the graph goes.
pub const GRAPH: &str = "api/graph.json";
/// What produced them, for collision errors.
pub const ORIGIN: &str = "the data export";

/// `api/notes.json` and `api/graph.json`.
pub fn export(model: &Model<'_>) -> Vec<Artifact> {
    export_cached(model, None, super::Sink::Memory, None)
        .map(|(files, _)| files)
        .unwrap_or_default()
}

/// The key order and each note's `notes.json` entry, kept by a session so
/// that an edit of one note's summary remakes one entry, not the export.
#[derive(Debug, Default)]
pub struct ApiCache {
    order: Option<KeyOrder>,
    entries: Vec<String>,
}

/// Each export file's fingerprint, by path.
pub type Stamps = Vec<(String, u64)>;

/// A fingerprint of what one export file shows, from the values it is
/// written from (hashed, not written out as JSON), and `salt`.
fn fingerprint(salt: u64, path: &str, parts: &[u64]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::stamp::fingerprinter();
    (salt, path, VERSION, parts).hash(&mut h);
    h.finish()
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::stamp::fingerprinter();
    value.hash(&mut h);
    h.finish()
}

/// `export`, keeping what [`renote`] needs in `cache`. With `known` (a
/// build over an output folder as the last build left it), a file whose
/// fingerprint is the one recorded is kept as it is, not written out
/// again; each file's fingerprint comes back with the files.
pub fn export_cached(
    model: &Model<'_>,
    cache: Option<&mut ApiCache>,
    sink: super::Sink<'_>,
    known: Option<crate::render::Known<'_>>,
) -> Result<(Vec<Artifact>, Stamps), crate::diag::Diagnostics> {
    let order = KeyOrder::new(model);
    let mut stamps = Vec::new();
    // A file whose fingerprint is recorded as it is now is kept.
    let mut kept = |path: &str, parts: &[u64]| {
        let known = known?;
        let fp = fingerprint(known.salt, path, parts);
        stamps.push((path.to_string(), fp));
        (known.pages.get(path) == Some(&fp))
            .then(|| sink.keep(Artifact::path_only(path.into()).from_origin(ORIGIN)))
    };
    let one = |path: &str, pieces: Vec<Cow<'static, str>>| {
        sink.pass_pieces(path.into(), ORIGIN, &pieces)
            .map_err(|d| crate::diag::Diagnostics::from_iter([d]))
    };
    // One file at a time: each is large on a large site. The graph comes
    // first: the notes' file, smaller, then fits in the memory it and its
    // edges let go (memory the system hands out new costs much more).
    let kinds = Kinds::new(model);
    let (nodes, edges) = graph_parts(model, &order, &kinds);
    let parts = [
        hash_of(&nodes),
        hash_of(&edges.edges),
        hash_of(&edges.terms),
        hash_of(&kinds.names),
    ];
    let graph = match kept(GRAPH, &parts) {
        Some(file) => file,
        None => one(GRAPH, graph_json(&nodes, &edges, &kinds))?,
    };
    drop((nodes, edges));
    let note_hashes: Vec<u64> = match known {
        Some(_) if cache.is_none() => order
            .ids
            .par_iter()
            .map(|&id| hash_of(&note_out(model, &order, id)))
            .collect(),
        _ => Vec::new(),
    };
    let mut entries = Vec::new();
    let notes = match kept(NOTES, &note_hashes) {
        Some(file) => file,
        None => {
            let keep = cache.is_some().then_some(&mut entries);
            one(NOTES, notes_pieces(model, &order, keep))?
        }
    };
    if let Some(cache) = cache {
        cache.order = Some(order);
        cache.entries = entries;
    }
    Ok((vec![notes, graph], stamps))
}

/// `notes.json` in pieces, its entries serialised in parallel, each after
/// the first starting with its comma; with `keep`, whole, and every entry
/// kept for a session's [`ApiCache`].
fn notes_pieces(
    model: &Model<'_>,
    order: &KeyOrder,
    keep: Option<&mut Vec<String>>,
) -> Vec<Cow<'static, str>> {
    if let Some(keep) = keep {
        *keep = order
            .ids
            .par_iter()
            .map(|&id| note_out(model, order, id).to_json())
            .collect();
        return vec![Cow::Owned(notes_json(keep))];
    }
    let mut pieces = vec![Cow::Owned(notes_head())];
    pieces.par_extend(order.ids.par_iter().enumerate().map(|(i, &id)| {
        let mut entry = String::new();
        if i > 0 {
            entry.push(',');
        }
        note_out(model, order, id).write_json(&mut entry);
        Cow::Owned(entry)
    }));
    pieces.push(Cow::Borrowed("]}"));
    pieces
}

/// `notes.json` again after a session's edit that changed only what the
/// entries of `ids` show (their summaries): `None` without a cache.
pub fn renote(model: &Model<'_>, cache: &mut ApiCache, ids: &[u32]) -> Option<Artifact> {
    let order = cache.order.as_ref()?;
    for &id in ids {
        let at = *order.rank.get(id as usize)? as usize;
        let entry = note_out(model, order, id as usize).to_json();
        *cache.entries.get_mut(at)? = entry;
    }
    let notes = notes_json(&cache.entries);
    Some(Artifact::page(NOTES.into(), notes).from_origin(ORIGIN))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::{EdgeOut, EdgeTerm, NodeOut, NoteOut, WriteJson};
    use crate::output::json::tests::awkward;

    /// Free front-matter values of every kind.
    fn values() -> Vec<serde_json::Value> {
        serde_json::from_str(
            r#"[null, true, 3, -2.5, "a \"quoted\"\n text", [1, "x", {"y": []}],
               {"name": "Wire", "url": "https://example.com/?a=1&b=\u0001"}]"#,
        )
        .unwrap()
    }

    proptest! {
        #[test]
        fn export_values_are_written_as_serde_json_writes_them(
            t in prop::collection::vec(awkward(), 8),
            flags in prop::collection::vec(any::<bool>(), 4),
            lists in prop::collection::vec(prop::collection::vec(awkward(), 0..4), 3),
        ) {
            let values = values();
            let s = |i: usize| t[i].as_str();
            let strs = |i: usize| lists[i].iter().map(String::as_str).collect::<Vec<_>>();
            let note = NoteOut {
                key: s(0),
                collection: s(1),
                title: s(2),
                url: t[3].clone(),
                date: flags[0].then(|| t[4].clone()),
                updated: flags[1].then(|| t[5].clone()),
                summary: s(6),
                stub: flags[2],
                aliases: &lists[0],
                front_matter: if flags[3] {
                    BTreeMap::new()
                } else {
                    lists[1].iter().map(String::as_str).zip(&values).collect()
                },
                refs: lists[2].iter().map(|k| (k.as_str(), strs(1))).collect(),
                links: strs(2),
                backlinks: strs(0),
            };
            prop_assert_eq!(note.to_json(), serde_json::to_string(&note).unwrap());
            let node = NodeOut { key: s(7), collection: s(0), title: s(1), url: t[2].clone() };
            prop_assert_eq!(node.to_json(), serde_json::to_string(&node).unwrap());
            let term = EdgeTerm {
                title: flags[0].then(|| s(6)),
                since: flags[1].then(|| t[7].clone()),
                until: flags[2].then(|| t[0].clone()),
            };
            let edge = EdgeOut {
                source: s(3),
                target: s(4),
                kind: s(5),
                term: flags[3].then_some(&term),
            };
            prop_assert_eq!(edge.to_json(), serde_json::to_string(&edge).unwrap());
        }
    }
}
