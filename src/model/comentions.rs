//! Co-mentions: for a company, person or topic, the notes most often linked
//! from the same dated notes (stories) as it, with counts and the newest
//! stories behind each.
//!
//! Who counts as mentioned: notes of collections that are neither dated
//! (stories) nor `stubs` collections (topics, which say what a story is
//! about rather than who is in it). Pages of every undated collection get
//! co-mentions. Each entity walks its dated backlinks once, so the cost is
//! the sum over stories of (entities linked)², with at most
//! [`PER_STORY`] entities taken from one story.

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::Corpus;
use crate::graph::Linked;

/// How many co-mentioned notes a page lists.
pub const TOP: usize = 8;
/// How many stories are kept for each.
pub const STORIES: usize = 3;
/// At most this many entities of one story count (the first by id).
pub const PER_STORY: usize = 64;

/// A note mentioned alongside another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoMention {
    /// The co-mentioned note.
    pub id: u32,
    /// In how many dated notes both appear.
    pub count: u32,
    /// The newest of those notes (at most [`STORIES`]).
    pub stories: Vec<u32>,
}

/// What part an id plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A dated note of a dated collection: its links are mentions.
    Story,
    /// A note that can be co-mentioned (and shows co-mentions).
    Entity,
    /// A page that shows co-mentions but is not counted (stubs, topics).
    Shown,
    /// Neither (standalone pages, undated notes of dated collections).
    Other,
}

fn parts(config: &SiteConfig, corpus: &Corpus, linked: &Linked) -> Vec<Part> {
    let kinds: std::collections::BTreeMap<&str, (bool, bool)> = corpus
        .collections
        .iter()
        .map(|c| {
            let cfg = config.collection(c);
            (c.as_str(), (cfg.dated, cfg.stubs))
        })
        .collect();
    let kind = |c: &str| kinds.get(c).copied().unwrap_or((false, false));
    let notes = corpus.notes.iter().map(|n| match n.collection.as_deref() {
        None => Part::Other,
        Some(c) => match kind(c) {
            (true, _) if n.date.is_some() => Part::Story,
            (true, _) => Part::Other,
            (false, true) => Part::Shown,
            (false, false) => Part::Entity,
        },
    });
    let stubs = linked.stubs.iter().map(|s| match kind(&s.collection) {
        (true, _) => Part::Other,
        _ => Part::Shown,
    });
    notes.chain(stubs).collect()
}

/// The co-mentions of every id (empty where none are shown).
pub fn compute(config: &SiteConfig, corpus: &Corpus, linked: &Linked) -> Vec<Vec<CoMention>> {
    let parts = parts(config, corpus, linked);
    let n = parts.len();
    let ranks = linked.index.key_ranks();
    (0..n as u32)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], vec![Vec::new(); n], Vec::new()),
            |(count, stories, touched), id| {
                if !matches!(parts[id as usize], Part::Entity | Part::Shown) {
                    return Vec::new();
                }
                for &s in &linked.backlinks[id as usize] {
                    if parts[s as usize] != Part::Story {
                        continue;
                    }
                    let entities = linked.outgoing[s as usize]
                        .iter()
                        .filter(|&&f| parts[f as usize] == Part::Entity)
                        .take(PER_STORY);
                    for &f in entities {
                        if f == id {
                            continue;
                        }
                        let i = f as usize;
                        if count[i] == 0 {
                            touched.push(f);
                        }
                        count[i] += 1;
                        let list: &mut Vec<u32> = &mut stories[i];
                        if list.len() < STORIES {
                            list.push(s);
                        }
                    }
                }
                let mut found: Vec<CoMention> = touched
                    .drain(..)
                    .map(|f| {
                        let i = f as usize;
                        let c = CoMention {
                            id: f,
                            count: count[i],
                            stories: std::mem::take(&mut stories[i]),
                        };
                        count[i] = 0;
                        c
                    })
                    .collect();
                // The most counted first, ties by key (by the keys' ranks):
                // the first TOP picked out, then only those sorted. A topic
                // of a large site has thousands.
                let order = |a: &CoMention, b: &CoMention| {
                    b.count
                        .cmp(&a.count)
                        .then_with(|| ranks[a.id as usize].cmp(&ranks[b.id as usize]))
                };
                if found.len() > TOP {
                    found.select_nth_unstable_by(TOP - 1, order);
                    found.truncate(TOP);
                }
                found.sort_unstable_by(order);
                found
            },
        )
        .collect()
}
