//! Related notes: for each note, the notes that link to the most of the
//! same targets, rare shared targets weighing more than common ones.
//!
//! Computed from the inverted index the graph already holds (a target's
//! backlinks are its linkers), never by comparing notes pairwise: a note
//! costs the sum of its targets' linker counts. Targets linked by more than
//! a small share of the site, and never more than a fixed number ([`cap`]),
//! are skipped; they say little about relatedness and would make the cost
//! quadratic. Scores are integers, so
//! the order is exact; ties go by key.

use rayon::prelude::*;

use crate::graph::Linked;

/// How many related notes each note lists.
pub const TOP: usize = 5;

/// A related note and how many targets it shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    /// The related note.
    pub id: u32,
    /// Targets both link to (among those counted).
    pub shared: u32,
    /// The weighted score (higher is closer).
    pub score: u64,
}

/// The most linkers a target may have and still count: 5% of the notes,
/// but never fewer than 50, so small sites count everything, and never
/// more than 1,000, so a note's cost does not grow with the site.
pub fn cap(notes: usize) -> usize {
    (notes / 20).clamp(50, 1000)
}

/// The weight of a target with `linkers` linkers: 1/ln(1 + linkers), in
/// millionths.
fn weight(linkers: usize) -> u64 {
    (1_000_000.0 / (1.0 + linkers as f64).ln()).round() as u64
}

/// Scratch space for one thread: dense scores and the ids touched.
struct Scratch {
    score: Vec<u64>,
    shared: Vec<u32>,
    touched: Vec<u32>,
}

/// The related notes of every id (notes then stubs; stubs link to nothing,
/// so theirs are empty). `standalone[i]` says whether note `i` is a
/// standalone page (`content/about.md`): about the site rather than its
/// subjects, it is nobody's related note and has none.
pub fn compute(linked: &Linked, standalone: &[bool]) -> Vec<Vec<Related>> {
    let n = linked.index.len();
    let cap = cap(standalone.len());
    let ranks = linked.index.key_ranks();
    let weights: Vec<u64> = linked
        .backlinks
        .iter()
        .map(|b| {
            if b.len() < 2 || b.len() > cap {
                0
            } else {
                weight(b.len())
            }
        })
        .collect();
    (0..n as u32)
        .into_par_iter()
        .map_init(
            || Scratch {
                score: vec![0; n],
                shared: vec![0; n],
                touched: Vec::new(),
            },
            |s, id| {
                if standalone.get(id as usize) == Some(&true) {
                    return Vec::new();
                }
                related_to(linked, &weights, ranks, standalone, s, id)
            },
        )
        .collect()
}

fn related_to(
    linked: &Linked,
    weights: &[u64],
    ranks: &[u32],
    standalone: &[bool],
    s: &mut Scratch,
    id: u32,
) -> Vec<Related> {
    let Some(targets) = linked.outgoing.get(id as usize) else {
        return Vec::new();
    };
    for &t in targets {
        let w = weights[t as usize];
        if w == 0 {
            continue;
        }
        for &other in &linked.backlinks[t as usize] {
            if other == id || standalone.get(other as usize) == Some(&true) {
                continue;
            }
            let o = other as usize;
            if s.shared[o] == 0 {
                s.touched.push(other);
            }
            s.score[o] += w;
            s.shared[o] += 1;
        }
    }
    let mut best: Vec<Related> = Vec::with_capacity(TOP + 1);
    // Ties go by key: by the keys' ranks, so no key is read.
    let key = |r: &Related| ranks[r.id as usize];
    for &other in &s.touched {
        let o = other as usize;
        let r = Related {
            id: other,
            shared: s.shared[o],
            score: s.score[o],
        };
        s.score[o] = 0;
        s.shared[o] = 0;
        let better =
            |a: &Related, b: &Related| a.score > b.score || (a.score == b.score && key(a) < key(b));
        if best.len() == TOP && !best.last().is_some_and(|last| better(&r, last)) {
            continue;
        }
        let at = best.partition_point(|b| better(b, &r));
        best.insert(at, r);
        best.truncate(TOP);
    }
    s.touched.clear();
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_targets_weigh_more() {
        assert!(weight(2) > weight(3));
        assert!(weight(3) > weight(100));
        assert_eq!(cap(100), 50);
        assert_eq!(cap(10_000), 500);
        assert_eq!(cap(100_000), 1000);
    }
}
