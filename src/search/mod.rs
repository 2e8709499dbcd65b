//! The search index: full-text search over every note with no server,
//! split so that one query downloads only what it needs.
//!
//! Layout under `search/index/`: `meta.json` (document count, shard count,
//! each document's collection), `t/<shard>.json` (the postings of the terms
//! whose FNV-1a hash falls in that shard), and `d/<id>.json` (one document's
//! title, URL, collection, date and text, fetched only for shown results).
//! A query fetches `meta.json`, one shard per term and one file per shown
//! result. Everything is sorted, so the index is byte-identical across
//! builds. The query side is `search.js` in the default theme.

pub mod tokens;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Model;
use crate::output::json::{push_json_fields, push_json_str};
use crate::output::{Artifact, Sink};

/// Weights of a term by where it appears.
const TITLE: u32 = 10;
const ALIAS: u32 = 8;
const SUMMARY: u32 = 3;
const COLLECTION: u32 = 2;
const BODY: u32 = 1;
/// Characters of body text kept per document for snippets.
const TEXT_CHARS: usize = 2000;
/// The index's description, under the output folder.
const META_PATH: &str = "search/index/meta.json";
/// Aim for about this many postings per shard.
const POSTINGS_PER_SHARD: usize = 4000;

/// A term and its (document, weight) postings, as a session keeps them.
type OwnedPostings = (String, Vec<(u32, u32)>);

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    shards: usize,
    collections: Vec<CollectionMeta<'a>>,
    doc_collections: Vec<usize>,
}

#[derive(Serialize)]
struct CollectionMeta<'a> {
    name: &'a str,
    title: String,
}

/// A document's distinct terms, in no order, with their summed weights: packed
/// in one string (terms end at `ends`), so a 10,000-note site does not hold
/// millions of small strings.
#[derive(Debug, Default)]
struct Terms {
    buf: String,
    ends: Vec<u32>,
    weights: Vec<u32>,
}

impl Terms {
    fn iter(&self) -> impl Iterator<Item = (&str, u32)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .zip(&self.weights)
            .map(|((a, &b), &w)| (&self.buf[a as usize..b as usize], w))
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`th term.
    fn term(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }
}

std::thread_local! {
    /// Each thread's table of the terms of the document it is tokenising
    /// (their places in its [`Terms`]), kept (emptied) between documents
    /// so that it is not grown anew.
    static PLACES: std::cell::RefCell<hashbrown::HashTable<u32>> = Default::default();
}

fn weights(model: &Model<'_>, id: usize) -> Terms {
    let note = &model.corpus.notes[id];
    let link = &model.links[id];
    let body = &model.linked.bodies[id].plain_text;
    // Each term is written once into the packed list, as it first appears;
    // the table finds it again by its hash (no string per term).
    let mut packed = Terms {
        buf: String::with_capacity(body.len() / 3),
        ends: Vec::with_capacity(body.len() / 12),
        weights: Vec::with_capacity(body.len() / 12),
    };
    let hasher = foldhash::fast::FixedState::default();
    PLACES.with(|places| {
        let mut places = places.borrow_mut();
        places.clear();
        let mut add = |text: &str, weight: u32| {
            tokens::each_token(text, |t| {
                let hash = hasher.hash_one(t);
                let found = places.find(hash, |&i| packed.term(i as usize) == t);
                match found {
                    Some(&i) => packed.weights[i as usize] += weight,
                    None => {
                        let i = packed.ends.len() as u32;
                        packed.buf.push_str(t);
                        packed.ends.push(packed.buf.len() as u32);
                        packed.weights.push(weight);
                        places
                            .insert_unique(hash, i, |&j| hasher.hash_one(packed.term(j as usize)));
                    }
                }
            });
        };
        add(&note.title, TITLE);
        for alias in &note.aliases {
            add(alias, ALIAS);
        }
        add(&link.summary, SUMMARY);
        add(&link.collection_title, COLLECTION);
        add(body, BODY);
    });
    // In the order the terms first appear: every use of the terms groups
    // them by term (and sorts them there), so they need no sorting here.
    packed
}

/// How [`truncate`] sees a byte: part of a word (ASCII), ASCII
/// whitespace, or the start or middle of a longer character.
static CLASS: [u8; 256] = {
    let mut class = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = if matches!(b as u8, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            SPACE
        } else {
            WORD
        };
        b += 1;
    }
    class
};
const WORD: u8 = 0;
const SPACE: u8 = 1;
const WIDE: u8 = 2;

/// The first `max` characters of `text` with its runs of whitespace
/// collapsed to one space (reading no further than needed). Whitespace is
/// what `char::is_whitespace` says. Runs of ASCII word bytes are copied
/// whole; only other characters are decoded.
fn truncate(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(max.min(text.len()));
    let bytes = text.as_bytes();
    let mut chars = 0;
    // A space is owed before the next word (there is text before it).
    let mut owed = false;
    let mut at = 0;
    while at < bytes.len() {
        let (space, width) = match CLASS[usize::from(bytes[at])] {
            SPACE => (true, 1),
            WORD => (false, 1),
            _ => {
                let c = text[at..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            }
        };
        if space {
            owed = chars > 0;
            at += width;
            continue;
        }
        if owed {
            if chars == max {
                break;
            }
            out.push(' ');
            chars += 1;
            owed = false;
        }
        if chars == max {
            break;
        }
        if width > 1 {
            out.push_str(&text[at..at + width]);
            chars += 1;
            at += width;
            continue;
        }
        // A run of ASCII word bytes, as far as `max` allows, taking in
        // single spaces between them (they are already collapsed): prose
        // is copied a line at a time.
        let start = at;
        let end = bytes.len().min(at + (max - chars));
        while at < end {
            if CLASS[usize::from(bytes[at])] == WORD {
                at += 1;
            } else if bytes[at] == b' ' && at + 1 < end && CLASS[usize::from(bytes[at + 1])] == WORD
            {
                at += 2;
            } else {
                break;
            }
        }
        out.push_str(&text[start..at]);
        chars += at - start;
    }
    out
}

/// One document's index inputs, kept between a session's rebuilds.
#[derive(Debug, Clone)]
struct CachedDoc {
    fingerprint: u64,
    weights: Arc<Terms>,
    json: Arc<Vec<u8>>,
}

/// Per-document term weights and files by note key, so a rebuild only
/// re-tokenises the notes that changed.
#[derive(Debug, Default)]
pub struct SearchCache {
    docs: HashMap<String, CachedDoc>,
    /// Each shard's terms, sorted, with their postings sorted by document.
    shards: Vec<Vec<OwnedPostings>>,
    /// Postings in all.
    total: usize,
}

/// A fingerprint of everything a document's weights and file show.
fn doc_fingerprint(model: &Model<'_>, id: usize) -> u64 {
    let mut h = crate::stamp::fingerprinter();
    let link = &model.links[id];
    (
        &link.title,
        &link.url,
        &link.collection,
        &link.collection_title,
        &link.summary,
    )
        .hash(&mut h);
    link.date.as_ref().map(|d| &d.human).hash(&mut h);
    model.corpus.notes[id].aliases.hash(&mut h);
    model.linked.bodies[id].plain_text.hash(&mut h);
    h.finish()
}

/// The index files for every note of the site.
pub fn index(model: &Model<'_>) -> Vec<Artifact> {
    index_cached(model, None, Sink::Memory).unwrap_or_default()
}

/// `index`, reusing the weights and files of unchanged documents. Each
/// file goes to `sink`; without a cache, a document's file goes as soon as
/// it is made rather than when the whole index is.
pub fn index_cached(
    model: &Model<'_>,
    mut cache: Option<&mut SearchCache>,
    sink: Sink<'_>,
) -> Result<Vec<Artifact>, Diagnostics> {
    let n = model.corpus.notes.len();
    let previous = cache.as_deref();
    let keep = cache.is_some() || matches!(sink, Sink::Memory);
    let make = |id: usize| -> Result<(CachedDoc, Artifact), Diagnostic> {
        let fingerprint = if previous.is_some() {
            doc_fingerprint(model, id)
        } else {
            0
        };
        let doc = match previous
            .and_then(|c| c.docs.get(&model.links[id].key))
            .filter(|d| d.fingerprint == fingerprint)
        {
            Some(old) => old.clone(),
            None => CachedDoc {
                fingerprint,
                weights: Arc::new(weights(model, id)),
                json: Arc::new(doc_json(model, id)),
            },
        };
        let file = Artifact::bytes(doc_path(id), Arc::clone(&doc.json));
        if keep {
            return Ok((doc, file));
        }
        let file = sink.pass(file)?;
        let doc = CachedDoc {
            json: Arc::default(),
            ..doc
        };
        Ok((doc, file))
    };
    // A batch of documents at a time: their terms go into the postings,
    // and (unless a session keeps them) are let go before the next batch
    // is tokenised, so a large site never holds every document's terms
    // beside the postings made of them.
    let mut postings = Postings::new();
    let mut docs = Vec::with_capacity(if keep { n } else { 0 });
    let mut doc_files = Vec::with_capacity(n);
    let mut failed = Diagnostics::new();
    for first in (0..n).step_by(INDEX_BATCH) {
        let batch = first..(first + INDEX_BATCH).min(n);
        let made: Vec<Result<(CachedDoc, Artifact), Diagnostic>> = batch
            .clone()
            .into_par_iter()
            .with_max_len(crate::PAR_CHUNK)
            .map(make)
            .collect();
        let mut terms = Vec::with_capacity(batch.len());
        for m in made {
            match m {
                Ok((doc, file)) => {
                    terms.push(doc);
                    doc_files.push(file);
                }
                Err(d) => failed.push(d),
            }
        }
        if failed.has_errors() {
            continue;
        }
        postings.add(first as u32, &terms);
        if keep {
            docs.extend(terms);
        }
    }
    if failed.has_errors() {
        return Err(failed);
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.docs = docs
            .iter()
            .enumerate()
            .map(|(id, d)| (model.links[id].key.clone(), d.clone()))
            .collect();
    }
    let total = postings.total;
    let shards = shard_count(total);
    let by_shard = postings.into_shards(shards);
    let shard_files: Vec<Result<Artifact, Diagnostic>> = by_shard
        .par_iter()
        .with_max_len(crate::PAR_CHUNK)
        .enumerate()
        .map(|(i, terms)| {
            let json = shard_json(terms.iter().map(|(t, l)| (t.as_str(), flat_pairs(l))));
            sink.pass(Artifact::page(shard_path(i), json))
        })
        .collect();
    if let Some(cache) = cache {
        cache.total = total;
        cache.shards = by_shard;
    }
    let mut out = crate::output::collect_results(shard_files)?;
    out.extend(if keep {
        sink.pass_all(doc_files)?
    } else {
        doc_files
    });
    out.extend(sink.pass_all(vec![meta(model, n, shards)])?);
    Ok(out)
}

/// Documents tokenised at a time by [`index_cached`].
const INDEX_BATCH: usize = 4096;

/// What the last build recorded of the index, while the output folder is
/// as that build left it: the folder, and each document's key and
/// fingerprint in document order (see [`index_build`]).
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    /// The output folder.
    pub dir: &'a std::path::Path,
    /// Each document's key and fingerprint.
    pub docs: &'a [(String, u64)],
}

/// Each document's key and fingerprint, for the manifest: `(key, fp)`.
pub type DocStamps = Vec<(String, u64)>;

/// What [`index_build`] made.
#[derive(Debug, Default)]
pub struct Indexed {
    /// The index files.
    pub files: Vec<Artifact>,
    /// Each document's key and fingerprint, for the next build.
    pub stamps: DocStamps,
    /// How many documents were tokenised (the others' postings were read
    /// back from the last build's index).
    pub tokenised: usize,
}

/// The index for `brief build`, with each document's fingerprint for the
/// next build. The fingerprints start from `salt` (the binary, whose
/// tokenizer makes the terms); without one, nothing is recorded. When the
/// last build's index is in the output folder and the documents are the
/// same notes in the same order, only the documents whose fingerprint
/// changed are tokenised again: their postings are taken out of the
/// shards the folder holds and their new ones put in, and only the shards
/// and document files that changed are made.
pub fn index_build(
    model: &Model<'_>,
    sink: Sink<'_>,
    salt: Option<u64>,
    previous: Option<Previous<'_>>,
) -> Result<Indexed, Diagnostics> {
    let n = model.corpus.notes.len();
    let Some(salt) = salt else {
        return Ok(Indexed {
            files: index_cached(model, None, sink)?,
            stamps: Vec::new(),
            tokenised: n,
        });
    };
    let fps: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|id| {
            let mut h = crate::stamp::fingerprinter();
            (salt, doc_fingerprint(model, id)).hash(&mut h);
            h.finish()
        })
        .collect();
    let stamps = (0..n)
        .map(|id| (model.links[id].key.clone(), fps[id]))
        .collect();
    if let Some((files, tokenised)) = previous.and_then(|p| from_previous(model, p, &fps, sink)) {
        return Ok(Indexed {
            files: files?,
            stamps,
            tokenised,
        });
    }
    Ok(Indexed {
        files: index_cached(model, None, sink)?,
        stamps,
        tokenised: n,
    })
}

/// A shard as read back: each term's postings, flat (`doc, weight, ...`).
type ReadShard = std::collections::BTreeMap<String, Vec<u32>>;

/// [`index_build`] from the index the output folder holds, with the
/// number of documents tokenised; `None` when it cannot be used (other
/// notes, too many changed, a file unreadable, or a new shard count).
fn from_previous(
    model: &Model<'_>,
    previous: Previous<'_>,
    fps: &[u64],
    sink: Sink<'_>,
) -> Option<(Result<Vec<Artifact>, Diagnostics>, usize)> {
    let n = fps.len();
    let same_notes = previous.docs.len() == n
        && previous
            .docs
            .iter()
            .zip(&model.links)
            .all(|((key, _), link)| *key == link.key);
    if !same_notes {
        return None;
    }
    let changed: Vec<bool> = (0..n).map(|i| previous.docs[i].1 != fps[i]).collect();
    let count = changed.iter().filter(|&&c| c).count();
    if count > n / 8 + 1 {
        return None;
    }
    let read = |path: &str| std::fs::read(previous.dir.join(path)).ok();
    let described: serde_json::Value = serde_json::from_slice(&read(META_PATH)?).ok()?;
    let shards = usize::try_from(described.get("shards")?.as_u64()?).ok()?;
    if shards == 0 || described.get("docs")?.as_u64()? != n as u64 {
        return None;
    }
    let read_shards: Option<Vec<ReadShard>> = (0..shards)
        .into_par_iter()
        .map(|s| serde_json::from_slice(&read(&shard_path(s))?).ok())
        .collect();
    let mut read_shards = read_shards?;
    // Take the changed documents' postings out, remembering each: a
    // shard changes only if a posting comes back different or not at all.
    let mut removed: Vec<FxHashMap<(String, u32), u32>> = read_shards
        .par_iter_mut()
        .map(|terms| {
            let mut removed = FxHashMap::default();
            terms.retain(|term, flat| {
                let mut kept = 0;
                for k in (0..flat.len() / 2).map(|k| 2 * k) {
                    let (doc, w) = (flat[k], flat[k + 1]);
                    if changed.get(doc as usize).copied().unwrap_or(true) {
                        removed.insert((term.clone(), doc), w);
                    } else {
                        flat[kept] = doc;
                        flat[kept + 1] = w;
                        kept += 2;
                    }
                }
                flat.truncate(kept);
                kept > 0
            });
            removed
        })
        .collect();
    // And their new postings in.
    let mut dirty = vec![false; shards];
    let ids: Vec<usize> = (0..n).filter(|&i| changed[i]).collect();
    let new_terms: Vec<(usize, Terms)> =
        ids.par_iter().map(|&id| (id, weights(model, id))).collect();
    for (id, terms) in &new_terms {
        let doc = *id as u32;
        for (term, w) in terms.iter() {
            let shard = tokens::fnv1a(term) as usize % shards;
            if removed[shard].remove(&(term.to_string(), doc)) != Some(w) {
                dirty[shard] = true;
            }
            let flat = read_shards[shard].entry(term.to_string()).or_default();
            let (mut low, mut high) = (0, flat.len() / 2);
            while low < high {
                let mid = (low + high) / 2;
                if flat[2 * mid] < doc {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            let at = 2 * low;
            flat.splice(at..at, [doc, w]);
        }
    }
    for (shard, gone) in removed.iter().enumerate() {
        dirty[shard] |= !gone.is_empty();
    }
    let total: usize = read_shards
        .iter()
        .flat_map(|terms| terms.values())
        .map(|flat| flat.len() / 2)
        .sum();
    if shard_count(total) != shards {
        return None;
    }
    let kept = |path: String| sink.keep(Artifact::path_only(path));
    let shard_files: Vec<Result<Artifact, Diagnostic>> = read_shards
        .par_iter()
        .enumerate()
        .map(|(i, terms)| {
            if !dirty[i] {
                return Ok(kept(shard_path(i)));
            }
            let json = shard_json(
                terms
                    .iter()
                    .map(|(t, flat)| (t.as_str(), flat.iter().copied())),
            );
            sink.pass(Artifact::page(shard_path(i), json))
        })
        .collect();
    let doc_files: Vec<Result<Artifact, Diagnostic>> = (0..n)
        .into_par_iter()
        .map(|id| {
            if !changed[id] {
                return Ok(kept(doc_path(id)));
            }
            sink.pass(Artifact::bytes(doc_path(id), Arc::new(doc_json(model, id))))
        })
        .collect();
    let result = (|| {
        let mut out = crate::output::collect_results(shard_files)?;
        out.extend(crate::output::collect_results(doc_files)?);
        out.extend(sink.pass_all(vec![meta(model, n, shards)])?);
        Ok(out)
    })();
    Some((result, count))
}

/// Every term's (document, weight) postings, in document order, gathered
/// a batch of documents at a time. The terms are split into parts by
/// their hash, one part per thread, so that the parts fill in parallel;
/// which shard a term goes to is known only at the end, from the total.
struct Postings {
    parts: Vec<FxHashMap<String, Vec<(u32, u32)>>>,
    /// Postings in all.
    total: usize,
}

impl Postings {
    fn new() -> Self {
        // (At most 256: a term's part is kept in a byte.)
        let parts = rayon::current_num_threads().next_power_of_two().min(256);
        Postings {
            parts: (0..parts).map(|_| FxHashMap::default()).collect(),
            total: 0,
        }
    }

    /// The postings of `docs`, the documents numbered from `first` on.
    fn add(&mut self, first: u32, docs: &[CachedDoc]) {
        let parts = self.parts.len();
        // Each term's part, found once.
        let part_of: Vec<Vec<u8>> = docs
            .par_iter()
            .map(|d| {
                d.weights
                    .iter()
                    .map(|(t, _)| (tokens::fnv1a(t) as usize % parts) as u8)
                    .collect()
            })
            .collect();
        self.parts
            .par_iter_mut()
            .enumerate()
            .for_each(|(part, terms)| {
                for (k, (d, of)) in docs.iter().zip(&part_of).enumerate() {
                    let doc = first + k as u32;
                    for ((term, w), &p) in d.weights.iter().zip(of) {
                        if usize::from(p) == part {
                            match terms.get_mut(term) {
                                Some(list) => list.push((doc, w)),
                                None => {
                                    terms.insert(term.to_string(), vec![(doc, w)]);
                                }
                            }
                        }
                    }
                }
            });
        self.total += docs.iter().map(|d| d.weights.len()).sum::<usize>();
    }

    /// Each of `shards` shards' terms, sorted.
    fn into_shards(self, shards: usize) -> Vec<Vec<OwnedPostings>> {
        let mut by_shard: Vec<Vec<OwnedPostings>> = vec![Vec::new(); shards];
        for terms in self.parts {
            for (term, list) in terms {
                by_shard[tokens::fnv1a(&term) as usize % shards].push((term, list));
            }
        }
        by_shard
            .par_iter_mut()
            .for_each(|terms| terms.sort_unstable_by(|a, b| a.0.cmp(&b.0)));
        by_shard
    }
}

/// How many shards for `total` postings: a power of two.
fn shard_count(total: usize) -> usize {
    (total / POSTINGS_PER_SHARD)
        .clamp(1, 4096)
        .next_power_of_two()
}

fn shard_path(shard: usize) -> String {
    format!("search/index/t/{shard}.json")
}

fn doc_path(id: usize) -> String {
    format!("search/index/d/{id}.json")
}

/// A shard file: `{"term":[doc,weight,...],...}` for sorted terms, each
/// with its postings as flat numbers.
fn shard_json<'t, P: Iterator<Item = u32>>(terms: impl Iterator<Item = (&'t str, P)>) -> String {
    let mut json = String::from("{");
    for (k, (term, numbers)) in terms.enumerate() {
        if k > 0 {
            json.push(',');
        }
        push_json_str(&mut json, term);
        json.push_str(":[");
        // Millions of numbers on a large site: itoa, not the formatter.
        let mut digits = itoa::Buffer::new();
        for (j, v) in numbers.enumerate() {
            if j > 0 {
                json.push(',');
            }
            json.push_str(digits.format(v));
        }
        json.push(']');
    }
    json.push_str("}\n");
    json
}

/// (document, weight) postings as flat numbers.
fn flat_pairs(list: &[(u32, u32)]) -> impl Iterator<Item = u32> + '_ {
    list.iter().flat_map(|&(doc, w)| [doc, w])
}

/// The index files that change after a session's edit of note `id`'s body
/// alone (no other document changed), with `cache` updated: its document
/// and the shards of the terms whose postings moved. `None` when the shard
/// count changes, which needs the whole index.
pub fn reindex(model: &Model<'_>, cache: &mut SearchCache, id: u32) -> Option<Vec<Artifact>> {
    let id = id as usize;
    let key = &model.links[id].key;
    let old = cache.docs.get(key)?;
    let fingerprint = doc_fingerprint(model, id);
    if old.fingerprint == fingerprint {
        return Some(Vec::new());
    }
    let new = CachedDoc {
        fingerprint,
        weights: Arc::new(weights(model, id)),
        json: Arc::new(doc_json(model, id)),
    };
    let total = cache.total - old.weights.len() + new.weights.len();
    if shard_count(total) != cache.shards.len() || cache.shards.is_empty() {
        return None;
    }
    let before: FxHashMap<&str, u32> = old.weights.iter().collect();
    let after: FxHashMap<&str, u32> = new.weights.iter().collect();
    let mut moved: Vec<(&str, Option<u32>)> = before
        .iter()
        .filter(|(t, w)| after.get(*t) != Some(*w))
        .map(|(t, _)| (*t, after.get(t).copied()))
        .chain(
            after
                .iter()
                .filter(|(t, _)| !before.contains_key(*t))
                .map(|(t, w)| (*t, Some(*w))),
        )
        .collect();
    moved.sort_unstable();
    let doc = id as u32;
    let mut dirty = std::collections::BTreeSet::new();
    for (term, weight) in moved {
        let shard = tokens::fnv1a(term) as usize % cache.shards.len();
        dirty.insert(shard);
        let terms = &mut cache.shards[shard];
        let at = terms.binary_search_by(|(t, _)| t.as_str().cmp(term));
        let list = match (at, weight) {
            (Ok(i), _) => &mut terms[i].1,
            (Err(_), None) => continue,
            (Err(i), Some(_)) => {
                terms.insert(i, (term.to_string(), Vec::new()));
                &mut terms[i].1
            }
        };
        match (list.binary_search_by_key(&doc, |p| p.0), weight) {
            (Ok(i), Some(w)) => list[i].1 = w,
            (Ok(i), None) => {
                list.remove(i);
            }
            (Err(i), Some(w)) => list.insert(i, (doc, w)),
            (Err(_), None) => {}
        }
        if list.is_empty() {
            if let Ok(i) = terms.binary_search_by(|(t, _)| t.as_str().cmp(term)) {
                terms.remove(i);
            }
        }
    }
    let mut out: Vec<Artifact> = dirty
        .into_iter()
        .map(|shard| {
            let terms = &cache.shards[shard];
            let json = shard_json(terms.iter().map(|(t, l)| (t.as_str(), flat_pairs(l))));
            Artifact::page(shard_path(shard), json)
        })
        .collect();
    out.push(Artifact::bytes(doc_path(id), Arc::clone(&new.json)));
    cache.total = total;
    cache.docs.insert(key.clone(), new);
    Some(out)
}

/// A document's file, fetched for a shown result.
#[cfg_attr(test, derive(Serialize))]
struct Doc<'a> {
    title: &'a str,
    url: &'a str,
    collection: &'a str,
    collection_title: &'a str,
    date: Option<&'a str>,
    summary: &'a str,
    text: String,
}

impl Doc<'_> {
    /// The document as JSON on one line, as `serde_json` would write it.
    /// Written by hand: there are thousands, each with up to
    /// [`TEXT_CHARS`] of text to escape.
    fn json(&self) -> Vec<u8> {
        let mut json = String::with_capacity(self.text.len() + self.summary.len() + 256);
        push_json_fields(
            &mut json,
            &[
                ("{\"title\":", self.title),
                (",\"url\":", self.url),
                (",\"collection\":", self.collection),
                (",\"collection_title\":", self.collection_title),
            ],
        );
        json.push_str(",\"date\":");
        match self.date {
            Some(date) => push_json_str(&mut json, date),
            None => json.push_str("null"),
        }
        json.push_str(",\"summary\":");
        push_json_str(&mut json, self.summary);
        json.push_str(",\"text\":");
        push_json_str(&mut json, &self.text);
        json.push_str("}\n");
        json.into_bytes()
    }
}

fn doc_json(model: &Model<'_>, id: usize) -> Vec<u8> {
    let link = &model.links[id];
    Doc {
        title: &link.title,
        url: &link.url,
        collection: &link.collection,
        collection_title: &link.collection_title,
        date: link.date.as_ref().map(|d| d.human.as_str()),
        summary: &link.summary,
        text: truncate(&model.linked.bodies[id].plain_text, TEXT_CHARS),
    }
    .json()
}

fn meta(model: &Model<'_>, n: usize, shards: usize) -> Artifact {
    let names: Vec<&str> = model.collection_order.iter().map(String::as_str).collect();
    let mut collections: Vec<CollectionMeta<'_>> = names
        .iter()
        .map(|c| CollectionMeta {
            name: c,
            title: model.config.collection(c).title,
        })
        .collect();
    collections.push(CollectionMeta {
        name: "",
        title: "Pages".into(),
    });
    let doc_collections = (0..n)
        .map(|id| {
            let c = &model.links[id].collection;
            names.iter().position(|n| n == c).unwrap_or(names.len())
        })
        .collect();
    let meta = Meta {
        version: 1,
        docs: n,
        shards,
        collections,
        doc_collections,
    };
    let json = serde_json::to_string(&meta).unwrap_or_default();
    Artifact::page(META_PATH.into(), json + "\n")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{tokens, truncate, CachedDoc, Doc, OwnedPostings, Postings, Terms};
    use crate::output::json::tests::awkward;
    use std::sync::Arc;

    /// What `truncate` does, the slow way: collapse everything, then cut.
    fn collapse_then_cut(text: &str, max: usize) -> String {
        let collapsed = crate::markdown::collapse_spaces(text);
        match collapsed.char_indices().nth(max) {
            Some((i, _)) => collapsed[..i].to_string(),
            None => collapsed,
        }
    }

    /// A document of `terms` (repeats add up), as `weights` packs one.
    fn doc(terms: &[(String, u32)]) -> CachedDoc {
        let mut packed = Terms::default();
        for (term, w) in terms {
            match (0..packed.len()).find(|&i| packed.term(i) == term) {
                Some(i) => packed.weights[i] += w,
                None => {
                    packed.buf.push_str(term);
                    packed.ends.push(packed.buf.len() as u32);
                    packed.weights.push(*w);
                }
            }
        }
        CachedDoc {
            fingerprint: 0,
            weights: Arc::new(packed),
            json: Arc::default(),
        }
    }

    proptest! {
        #[test]
        fn postings_gathered_in_batches_are_those_of_all_documents_at_once(
            docs in prop::collection::vec(
                prop::collection::vec(("[a-e]{1,2}", 1u32..4), 0..6),
                0..12,
            ),
            batch in 1usize..5,
            shards in prop::sample::select(vec![1usize, 2, 4, 8]),
        ) {
            let docs: Vec<CachedDoc> = docs.iter().map(|d| doc(d)).collect();
            let mut postings = Postings::new();
            let mut first = 0;
            for chunk in docs.chunks(batch) {
                postings.add(first as u32, chunk);
                first += chunk.len();
            }
            // The slow way: every document's terms, in document order.
            let mut expected: Vec<Vec<OwnedPostings>> = vec![Vec::new(); shards];
            let mut total = 0;
            for (id, d) in docs.iter().enumerate() {
                for (term, w) in d.weights.iter() {
                    total += 1;
                    let shard = &mut expected[tokens::fnv1a(term) as usize % shards];
                    match shard.iter_mut().find(|(t, _)| t == term) {
                        Some((_, list)) => list.push((id as u32, w)),
                        None => shard.push((term.to_string(), vec![(id as u32, w)])),
                    }
                }
            }
            expected.iter_mut().for_each(|terms| terms.sort());
            prop_assert_eq!(postings.total, total);
            prop_assert_eq!(postings.into_shards(shards), expected);
        }

        #[test]
        fn documents_are_written_as_serde_json_writes_them(
            texts in prop::collection::vec(awkward(), 7),
            dated in any::<bool>(),
        ) {
            let doc = Doc {
                title: &texts[0],
                url: &texts[1],
                collection: &texts[2],
                collection_title: &texts[3],
                date: dated.then_some(texts[4].as_str()),
                summary: &texts[5],
                text: texts[6].clone(),
            };
            let mut expected = serde_json::to_vec(&doc).unwrap();
            expected.push(b'\n');
            prop_assert_eq!(String::from_utf8(doc.json()).unwrap(), String::from_utf8(expected).unwrap());
        }

        #[test]
        fn truncate_is_collapse_then_cut(text in awkward(), max in 0usize..60) {
            prop_assert_eq!(truncate(&text, max), collapse_then_cut(&text, max));
        }
    }

    #[test]
    fn truncate_matches_collapse_then_cut() {
        let texts = [
            "",
            "  a  b ",
            "one two  three\nfour",
            "阿里巴巴 网易  游戏",
            "abc",
            "a\u{b}b\u{c}c\u{85}d\u{a0}e\u{3000}f",
            " \t\n lead and trail \r\n",
            "ab cd\u{b}\u{c}ef\tg  h",
            "  x",
            "word    ",
        ];
        for text in texts {
            for max in 0..12 {
                assert_eq!(
                    truncate(text, max),
                    collapse_then_cut(text, max),
                    "{text:?} {max}"
                );
            }
        }
    }
}
