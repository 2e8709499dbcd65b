//! What the link graphs show: for each note, its neighbours (links,
//! backlinks and the other ends of its roles and relations), the most
//! connected first when there are too many; for the site, every note of a
//! small site or the most connected notes (links in and out) of a big
//! one. Drawn by [`graph_svg`](super::graph_svg): the site graph once per
//! build, each note's when its page is rendered ([`NoteGraph::draw`]), so
//! that a big site's drawings are never all held at once and a rebuild
//! draws only the pages it renders again.

use rayon::prelude::*;

use super::graph_svg::{self, Caption, Node};
use crate::content::Corpus;
use crate::graph::Linked;
use crate::relations::Relations;

/// At most this many neighbours are drawn around a note.
pub const NEIGHBOURS: usize = 24;
// Positions among the neighbours are kept as bytes.
const _: () = assert!(NEIGHBOURS <= u8::MAX as usize);
/// At most this many notes are drawn in the site graph.
pub const SITE_NODES: usize = 150;
/// At most this many links are drawn in the site graph.
pub const SITE_EDGES: usize = 2000;

/// A note's neighbourhood graph: what to draw, not the drawing.
#[derive(Debug, Clone)]
pub struct NoteGraph {
    /// The neighbours drawn, in drawing order.
    pub neighbours: Vec<u32>,
    /// Neighbours left out for space.
    pub hidden: usize,
    /// The links among the neighbours, as positions in `neighbours`
    /// (at most [`NEIGHBOURS`], so a byte each). The note's link to each
    /// neighbour is always drawn and not listed.
    pub among: Vec<(u8, u8)>,
}

/// How many links note `id` has, in and out: the size of its dot.
pub fn degree(linked: &Linked, id: u32) -> usize {
    linked.outgoing[id as usize].len() + linked.backlinks[id as usize].len()
}

impl NoteGraph {
    /// The SVG (escaped; safe to print as is): `note` in the middle, its
    /// `neighbours` (one [`Node`] for each of [`NoteGraph::neighbours`],
    /// in order) around it.
    pub fn draw<'n>(
        &self,
        note: Node<'n>,
        neighbours: impl IntoIterator<Item = Node<'n>>,
    ) -> String {
        let mut nodes = vec![note];
        nodes.extend(neighbours);
        let mut edges: Vec<(usize, usize)> = (1..nodes.len()).map(|i| (0, i)).collect();
        edges.extend(
            self.among
                .iter()
                .map(|&(a, b)| (usize::from(a) + 1, usize::from(b) + 1)),
        );
        let count = nodes.len() - 1;
        let title = format!(
            "Link graph: {} and {} linked note{}",
            note.label,
            count,
            if count == 1 { "" } else { "s" }
        );
        graph_svg::neighbourhood(
            &nodes,
            &edges,
            Caption {
                id: "graph-title",
                text: &title,
            },
        )
    }
}

/// The whole site's graph.
#[derive(Debug, Clone, Default)]
pub struct SiteGraph {
    /// The SVG (escaped; safe to print as is).
    pub svg: String,
    /// The notes drawn, in drawing order (collection, then key).
    pub nodes: Vec<u32>,
    /// The links drawn between them.
    pub edges: usize,
}

/// Every graph of the site.
#[derive(Debug, Clone, Default)]
pub struct Graphs {
    /// One per id; `None` for a note with no neighbours.
    pub notes: Vec<Option<NoteGraph>>,
    /// The site graph.
    pub site: SiteGraph,
}

/// What the graphs need to know of every id.
struct Facts<'a> {
    linked: &'a Linked,
    relations: &'a Relations,
    titles: Vec<&'a str>,
    collections: Vec<&'a str>,
    /// The collection's place in display order, for sorting.
    rank: Vec<usize>,
    /// Each id's place in key order (see `NameIndex::key_ranks`).
    key_rank: &'a [u32],
}

impl<'a> Facts<'a> {
    fn new(
        corpus: &'a Corpus,
        linked: &'a Linked,
        relations: &'a Relations,
        order: &[String],
    ) -> Self {
        let mut titles: Vec<&str> = corpus.notes.iter().map(|n| n.title.as_str()).collect();
        titles.extend(linked.stubs.iter().map(|s| s.title.as_str()));
        let mut collections: Vec<&str> = corpus
            .notes
            .iter()
            .map(|n| n.collection.as_deref().unwrap_or(""))
            .collect();
        collections.extend(linked.stubs.iter().map(|s| s.collection.as_str()));
        let rank = collections
            .iter()
            .map(|c| order.iter().position(|o| o == c).unwrap_or(order.len()))
            .collect();
        Facts {
            linked,
            relations,
            titles,
            collections,
            rank,
            key_rank: linked.index.key_ranks(),
        }
    }

    fn degree(&self, id: u32) -> usize {
        degree(self.linked, id)
    }

    /// Where `id`'s key falls in key order: comparing these compares keys.
    fn key(&self, id: u32) -> u32 {
        self.key_rank[id as usize]
    }

    fn node(&self, id: u32) -> Node<'_> {
        Node {
            label: self.titles[id as usize],
            collection: self.collections[id as usize],
            degree: self.degree(id),
        }
    }

    /// Sorts ids for drawing: by collection order, then key.
    fn sort_for_drawing(&self, ids: &mut [u32]) {
        ids.sort_by(|&a, &b| {
            (self.rank[a as usize], self.key(a)).cmp(&(self.rank[b as usize], self.key(b)))
        });
    }

    /// Keeps the `max` most connected ids (ties by key), in no order: a
    /// topic of a large site links thousands, and only `max` are kept.
    fn most_connected(&self, ids: &mut Vec<u32>, max: usize) {
        if ids.len() > max {
            if max > 0 {
                ids.select_nth_unstable_by(max - 1, |&a, &b| {
                    self.degree(b)
                        .cmp(&self.degree(a))
                        .then_with(|| self.key(a).cmp(&self.key(b)))
                });
            }
            ids.truncate(max);
        }
    }

    /// Links among `ids` (positions offset by `base`), each pair once:
    /// links in prose and front matter, roles and relations.
    fn edges_among(&self, ids: &[u32], base: usize, max: usize) -> Vec<(usize, usize)> {
        let mut sorted: Vec<(u32, usize)> =
            ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        sorted.sort_unstable();
        let pos = |id: u32| {
            sorted
                .binary_search_by_key(&id, |&(x, _)| x)
                .ok()
                .map(|i| sorted[i].1)
        };
        let mut edges = Vec::new();
        for (i, &a) in ids.iter().enumerate() {
            let links = self.linked.outgoing[a as usize].iter().copied();
            let roles = self.relations.held_by(a).iter().map(|r| r.target);
            let relations = self.relations.stated_by(a).iter().map(|r| r.to);
            for b in links.chain(roles).chain(relations) {
                if let Some(j) = pos(b).filter(|&j| j != i) {
                    edges.push((base + i.min(j), base + i.max(j)));
                }
            }
        }
        edges.sort_unstable();
        edges.dedup();
        edges.truncate(max);
        edges
    }

    fn note(&self, id: u32) -> Option<NoteGraph> {
        let mut ids: Vec<u32> = self.linked.outgoing[id as usize].clone();
        ids.extend(&self.linked.backlinks[id as usize]);
        ids.extend(self.relations.partners(id));
        ids.sort_unstable();
        ids.dedup();
        ids.retain(|&n| n != id);
        if ids.is_empty() {
            return None;
        }
        let all = ids.len();
        self.most_connected(&mut ids, NEIGHBOURS);
        self.sort_for_drawing(&mut ids);
        let among = self
            .edges_among(&ids, 0, NEIGHBOURS * NEIGHBOURS)
            .into_iter()
            .map(|(a, b)| (a as u8, b as u8))
            .collect();
        Some(NoteGraph {
            hidden: all - ids.len(),
            neighbours: ids,
            among,
        })
    }

    fn site(&self) -> SiteGraph {
        let mut ids: Vec<u32> = (0..self.titles.len() as u32).collect();
        self.most_connected(&mut ids, SITE_NODES);
        self.sort_for_drawing(&mut ids);
        let nodes: Vec<Node<'_>> = ids.iter().map(|&n| self.node(n)).collect();
        let edges = self.edges_among(&ids, 0, SITE_EDGES);
        let title = format!(
            "Link graph of the site: {} notes and {} links between them",
            ids.len(),
            edges.len()
        );
        let svg = graph_svg::site(
            &nodes,
            &edges,
            Caption {
                id: "site-graph-title",
                text: &title,
            },
        );
        SiteGraph {
            svg,
            nodes: ids,
            edges: edges.len(),
        }
    }
}

/// Finds every note's neighbourhood and draws the site graph. `order` is
/// the collection display order.
pub fn compute(
    corpus: &Corpus,
    linked: &Linked,
    relations: &Relations,
    order: &[String],
) -> Graphs {
    let facts = Facts::new(corpus, linked, relations, order);
    let notes = (0..facts.titles.len() as u32)
        .into_par_iter()
        .with_max_len(crate::PAR_CHUNK)
        .map(|id| facts.note(id))
        .collect();
    Graphs {
        notes,
        site: facts.site(),
    }
}
