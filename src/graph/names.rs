//! The name index: every way to refer to a note (its key, slug, title and
//! aliases, case-insensitively) mapped to the notes it can mean.
//!
//! Resolution goes by tiers so that a more exact form wins: the full key,
//! then `collection/slug` (which leaves out the folders between), then the
//! slug, then a title or alias. Two matches in
//! the tier that answers is an ambiguity. Lookups are hash-map hits, never
//! scans; only a did-you-mean hint looks at every name.

use rustc_hash::FxHashMap as HashMap;

use crate::content::Note;
use crate::diag;

/// The outcome of looking up a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Exactly one note.
    Found(u32),
    /// Several notes share this name (ids sorted).
    Ambiguous(Vec<u32>),
    /// No note has this name.
    Missing,
}

/// One note's identity, as the index needs it.
#[derive(Debug, Clone)]
struct Entry {
    collection: Option<String>,
    key: String,
    names: Vec<String>,
    /// Does a `slug:` in its front matter give it its key (rather than
    /// its file name)?
    renamed: bool,
}

/// Every name of every note and stub.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    entries: Vec<Entry>,
    by_key: HashMap<String, Vec<u32>>,
    /// `collection/slug` of notes in folders within their collection,
    /// whose key is longer.
    by_short: HashMap<String, Vec<u32>>,
    by_slug: HashMap<String, Vec<u32>>,
    by_name: HashMap<String, Vec<u32>>,
    /// Each id's place in key order, made when first asked for.
    ranks: std::sync::OnceLock<Vec<u32>>,
}

/// `text` lowercased, ASCII without decoding characters.
fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// `text` with typeset punctuation written plainly: curly quotes as
/// straight ones, dashes as `--` and `---`, `…` as `...`. Smart
/// punctuation typesets prose and titles alike, so `[[McDonald's]]` names
/// the note titled `McDonald’s`, and the other way round.
fn plain_punctuation(text: &str) -> std::borrow::Cow<'_, str> {
    const TYPESET: [char; 7] = [
        '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2013}', '\u{2014}', '\u{2026}',
    ];
    if text.is_ascii() || !text.contains(TYPESET) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2018}' | '\u{2019}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            '\u{2013}' => out.push_str("--"),
            '\u{2014}' => out.push_str("---"),
            '\u{2026}' => out.push_str("..."),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn push(map: &mut HashMap<String, Vec<u32>>, key: String, id: u32) {
    let ids = map.entry(key).or_default();
    // Ids arrive in increasing order: a repeat can only be the last one.
    if ids.last() != Some(&id) {
        ids.push(id);
    }
}

impl NameIndex {
    /// Indexes `notes`; note `i` gets id `i`.
    pub fn build(notes: &[Note]) -> Self {
        let mut index = NameIndex::default();
        for note in notes {
            let mut names = vec![note.title.clone()];
            names.extend(note.aliases.iter().cloned());
            let id = index.add(note.collection.clone(), note.key(), &note.slug, names);
            index.entries[id as usize].renamed = note.slug_at.is_some();
        }
        index
    }

    /// Adds a note or stub; returns its id.
    pub fn add(
        &mut self,
        collection: Option<String>,
        key: String,
        slug: &str,
        names: Vec<String>,
    ) -> u32 {
        let id = self.entries.len() as u32;
        self.ranks = std::sync::OnceLock::new();
        let key_lower = key.to_lowercase();
        if let Some(c) = &collection {
            let short = format!("{c}/{slug}").to_lowercase();
            if short != key_lower {
                push(&mut self.by_short, short, id);
            }
        }
        push(&mut self.by_key, key_lower, id);
        push(&mut self.by_slug, slug.to_lowercase(), id);
        for name in &names {
            push(
                &mut self.by_name,
                lowercase(&plain_punctuation(name.trim())),
                id,
            );
        }
        self.entries.push(Entry {
            collection,
            key,
            names,
            renamed: false,
        });
        id
    }

    /// The title (first name) of an indexed id.
    pub fn title(&self, id: u32) -> Option<String> {
        self.entries
            .get(id as usize)
            .and_then(|e| e.names.first().cloned())
    }

    /// Is `text` (trimmed) one of the names of `id` exactly as written,
    /// its title or an alias in the same case?
    pub fn is_written_name(&self, id: u32, text: &str) -> bool {
        let text = text.trim();
        self.entries
            .get(id as usize)
            .is_some_and(|e| e.names.iter().any(|n| n.trim() == text))
    }

    /// How many notes and stubs are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Is the index empty?
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The key (`collection/slug`) of an id.
    pub fn key(&self, id: u32) -> &str {
        self.entries.get(id as usize).map_or("", |e| e.key.as_str())
    }

    /// Each id's place among all ids in the order of their keys (then of
    /// their ids), made once: comparing two ids' ranks orders them as
    /// comparing their keys would, without reading the strings. Ordering
    /// many ids by key (related notes, co-mentions) reads scattered
    /// strings, which at 100,000 notes costs more than the work around it.
    pub fn key_ranks(&self) -> &[u32] {
        self.ranks.get_or_init(|| {
            use rayon::prelude::*;
            let mut ids: Vec<u32> = (0..self.entries.len() as u32).collect();
            ids.par_sort_unstable_by(|&a, &b| self.key(a).cmp(self.key(b)).then(a.cmp(&b)));
            let mut ranks = vec![0; ids.len()];
            for (rank, &id) in ids.iter().enumerate() {
                ranks[id as usize] = rank as u32;
            }
            ranks
        })
    }

    /// Looks `text` up, in one collection or across the site.
    pub fn lookup(&self, text: &str, within: Option<&str>) -> Lookup {
        let wanted = lowercase(&plain_punctuation(text.trim()));
        let qualified = match within {
            Some(c) if !wanted.contains('/') => {
                // `collection/wanted`, without `format!`'s machinery: a
                // build looks up every reference of every note.
                let mut q = lowercase(c);
                q.reserve(1 + wanted.len());
                q.push('/');
                q.push_str(&wanted);
                q
            }
            _ => wanted.clone(),
        };
        // Looked up one after another, the first that names a note wins.
        let tiers = [
            (&self.by_key, &qualified),
            (&self.by_key, &wanted),
            (&self.by_short, &qualified),
            (&self.by_short, &wanted),
            (&self.by_slug, &wanted),
            (&self.by_name, &wanted),
        ];
        for (map, key) in tiers {
            let Some(ids) = map.get(key) else {
                continue;
            };
            if let [id] = ids[..] {
                if self.in_collection(id, within) {
                    return Lookup::Found(id);
                }
                continue;
            }
            let mut hits: Vec<u32> = ids
                .iter()
                .copied()
                .filter(|&id| self.in_collection(id, within))
                .collect();
            hits.sort_unstable();
            // Two files with one key (`netease.md` and `NetEase.md`) are a
            // duplicate-slug error already: a reference to the key is
            // not a second problem. It means the note named so by its
            // file, not one a `slug:` made clash with it (whose links
            // into headings would be checked against the wrong page).
            let one_key = hits.windows(2).all(|w| self.key(w[0]) == self.key(w[1]));
            match hits.len() {
                0 => continue,
                _ if one_key => {
                    let by_file = hits.iter().find(|&&id| !self.entries[id as usize].renamed);
                    return Lookup::Found(*by_file.unwrap_or(&hits[0]));
                }
                _ => return Lookup::Ambiguous(hits),
            }
        }
        // `topics/labour relations` names the key `topics/labour-relations`
        // (a stub its front-matter spelling made, or a note): each part of
        // the path as its slug.
        if qualified.contains('/') {
            let slugged: Vec<String> = qualified.split('/').map(crate::content::slugify).collect();
            let slugged = slugged.join("/");
            if slugged != qualified {
                if let Some(&[id]) = self.by_key.get(&slugged).map(Vec::as_slice) {
                    if self.in_collection(id, within) {
                        return Lookup::Found(id);
                    }
                }
            }
        }
        Lookup::Missing
    }

    fn in_collection(&self, id: u32, within: Option<&str>) -> bool {
        match within {
            None => true,
            Some(c) => {
                self.entries
                    .get(id as usize)
                    .and_then(|e| e.collection.as_deref())
                    == Some(c)
            }
        }
    }

    /// A did-you-mean hint for a missing `text`. Written as
    /// `collection/name`, the name is compared with the names of that
    /// collection's notes, and each suggestion keeps the collection.
    pub fn hint(&self, text: &str, within: Option<&str>) -> Option<String> {
        self.hint_among(text, within, self.entries.len() as u32)
    }

    /// [`NameIndex::hint`] among the first `count` ids only (the notes,
    /// not the stubs added after them).
    pub fn hint_among(&self, text: &str, within: Option<&str>, count: u32) -> Option<String> {
        let entries = &self.entries[..(count as usize).min(self.entries.len())];
        if let Some((c, rest)) = text.trim().split_once('/') {
            let c = lowercase(c.trim());
            let collection = entries
                .iter()
                .filter_map(|e| e.collection.as_deref())
                .find(|k| lowercase(k) == c);
            return match collection {
                Some(k) if within.is_none_or(|w| w == k) => {
                    let prefix = format!("{k}/");
                    let names = entries
                        .iter()
                        .filter(|e| e.collection.as_deref() == Some(k))
                        .flat_map(|e| {
                            let path = e.key.strip_prefix(&prefix).unwrap_or(&e.key);
                            let slug = e.key.rsplit('/').next().unwrap_or(&e.key);
                            [path, slug]
                                .into_iter()
                                .chain(e.names.iter().map(String::as_str))
                        });
                    let close = diag::closest(rest.trim(), names);
                    let qualified: Vec<String> = close.iter().map(|n| format!("{k}/{n}")).collect();
                    diag::suggest(&qualified)
                }
                _ => self.hint_among(rest, within, count),
            };
        }
        let names = entries
            .iter()
            .enumerate()
            .filter(|(id, _)| self.in_collection(*id as u32, within))
            .flat_map(|(_, e)| {
                let slug = e.key.rsplit('/').next().unwrap_or(&e.key);
                std::iter::once(slug).chain(e.names.iter().map(String::as_str))
            });
        diag::did_you_mean(text, names)
    }

    /// The keys of several ids, for an ambiguity message.
    pub fn keys(&self, ids: &[u32]) -> String {
        let keys: Vec<String> = self
            .by_key(ids)
            .iter()
            .map(|&id| format!("\"{}\"", self.key(id)))
            .collect();
        keys.join(", ")
    }

    /// `ids` in the order of their keys (`people/li-wei` before
    /// `people/li-wei-2`, which a file order puts first), as messages
    /// list them.
    fn by_key(&self, ids: &[u32]) -> Vec<u32> {
        let mut sorted = ids.to_vec();
        sorted.sort_by(|&a, &b| self.key(a).cmp(self.key(b)));
        sorted
    }

    /// The hint for an ambiguous name: the exact keys that pick each note,
    /// as wikilinks (`[[companies/a/x]]`) or as front-matter items.
    /// Only names that pick their note alone are offered: its key, else
    /// (two files with one key) its title, if that is unique.
    pub fn pick_hint(&self, ids: &[u32], wikilink: bool) -> String {
        let ids = self.by_key(ids);
        let shown = ids.len().min(4);
        let picks: Vec<String> = ids[..shown]
            .iter()
            .filter_map(|&id| {
                let key = self.key(id).to_string();
                let title = self.title(id);
                [Some(key), title].into_iter().flatten().find(
                    |name| matches!(self.lookup(name, None), Lookup::Found(found) if found == id),
                )
            })
            .map(|name| {
                if wikilink {
                    format!("[[{name}]]")
                } else {
                    format!("`{name}`")
                }
            })
            .collect();
        if picks.is_empty() {
            return "give one of them another title or a `slug:` of its own".to_string();
        }
        let more = if ids.len() > shown { ", ..." } else { "" };
        let rest = if picks.len() < shown {
            "; give the others another title or a `slug:` of their own"
        } else {
            ""
        };
        format!("to pick one, write {}{more}{rest}", picks.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex {
        let mut i = NameIndex::default();
        i.add(
            Some("companies".into()),
            "companies/alibaba".into(),
            "alibaba",
            vec!["Alibaba Group".into(), "Ali".into()],
        );
        i.add(
            Some("companies".into()),
            "companies/netease".into(),
            "netease",
            vec!["NetEase".into()],
        );
        i.add(
            Some("people".into()),
            "people/ali".into(),
            "ali",
            vec!["Ali Baba".into()],
        );
        i.add(
            Some("topics".into()),
            "topics/ai".into(),
            "ai",
            vec!["Ali".into()],
        );
        i
    }

    #[test]
    fn key_ranks_order_ids_as_their_keys_and_follow_new_ids() {
        let mut i = index();
        // companies/alibaba, companies/netease, people/ali, topics/ai
        assert_eq!(i.key_ranks(), &[0, 1, 2, 3]);
        i.add(
            Some("companies".into()),
            "companies/baidu".into(),
            "baidu",
            vec!["Baidu".into()],
        );
        // An id added after the ranks were made is ranked too.
        assert_eq!(i.key_ranks(), &[0, 2, 3, 4, 1]);
    }

    #[test]
    fn the_pick_hint_offers_only_names_that_pick_one_note() {
        let mut i = NameIndex::default();
        i.add(
            Some("companies".into()),
            "companies/acme".into(),
            "acme",
            vec!["Acme One".into()],
        );
        i.add(
            Some("companies".into()),
            "companies/sub/acme".into(),
            "acme",
            vec!["Acme Two".into()],
        );
        // The exact key wins over another note's collection and slug.
        assert_eq!(i.lookup("companies/acme", None), Lookup::Found(0));
        assert_eq!(i.lookup("acme", Some("companies")), Lookup::Found(0));
        let Lookup::Ambiguous(ids) = i.lookup("acme", None) else {
            panic!("the slug acme names both");
        };
        assert_eq!(
            i.pick_hint(&ids, true),
            "to pick one, write [[companies/acme]] or [[companies/sub/acme]]"
        );
        // Without a note at the short key, it names the note in a folder;
        // with two in folders, both.
        i.add(
            Some("companies".into()),
            "companies/a/beta".into(),
            "beta",
            vec!["Beta A".into()],
        );
        assert_eq!(i.lookup("companies/beta", None), Lookup::Found(2));
        i.add(
            Some("companies".into()),
            "companies/b/beta".into(),
            "beta",
            vec!["Beta B".into()],
        );
        assert_eq!(
            i.lookup("companies/beta", None),
            Lookup::Ambiguous(vec![2, 3])
        );
    }

    #[test]
    fn tiers_prefer_exact_forms() {
        let i = index();
        assert_eq!(i.lookup("companies/NetEase", None), Lookup::Found(1));
        assert_eq!(i.lookup("alibaba group", None), Lookup::Found(0));
        // the slug "ali" wins over the alias "Ali"
        assert_eq!(i.lookup("ali", None), Lookup::Found(2));
        assert_eq!(i.lookup("ali", Some("companies")), Lookup::Found(0));
        assert_eq!(i.lookup("Ali", Some("topics")), Lookup::Found(3));
        assert_eq!(i.lookup("nobody", None), Lookup::Missing);
    }

    #[test]
    fn typeset_and_plain_punctuation_name_the_same_note() {
        let mut i = index();
        i.add(
            Some("companies".into()),
            "companies/mcdonalds".into(),
            "mcdonalds",
            vec!["McDonald\u{2019}s".into(), "Rock 'n' Roll -- Ltd".into()],
        );
        assert_eq!(i.lookup("McDonald's", None), Lookup::Found(4));
        assert_eq!(i.lookup("mcdonald\u{2019}s", None), Lookup::Found(4));
        assert_eq!(
            i.lookup("Rock \u{2018}n\u{2019} Roll \u{2013} Ltd", None),
            Lookup::Found(4)
        );
    }

    #[test]
    fn shared_alias_is_ambiguous() {
        let mut i = index();
        i.add(
            Some("people".into()),
            "people/x".into(),
            "x",
            vec!["NetEase".into()],
        );
        assert_eq!(i.lookup("netease", None), Lookup::Found(1));
        assert_eq!(i.lookup("NetEase", Some("people")), Lookup::Found(4));
        i.add(
            Some("people".into()),
            "people/y".into(),
            "y",
            vec!["Same".into()],
        );
        i.add(
            Some("people".into()),
            "people/z".into(),
            "z",
            vec!["same".into()],
        );
        assert_eq!(i.lookup("same", None), Lookup::Ambiguous(vec![5, 6]));
    }

    #[test]
    fn hint_names_close_slugs() {
        let i = index();
        assert_eq!(
            i.hint("netase", None).as_deref(),
            Some("did you mean \"NetEase\"?")
        );
    }

    #[test]
    fn a_qualified_name_is_compared_within_its_collection() {
        let i = index();
        assert_eq!(
            i.hint("companies/netase", None).as_deref(),
            Some("did you mean \"companies/NetEase\"?")
        );
        let hint = i.hint("Companies/alibaba-grop", None).unwrap();
        assert!(
            hint.starts_with("did you mean \"companies/Alibaba Group\" or"),
            "{hint}"
        );
        // Not a collection: the name alone, across the site.
        assert_eq!(
            i.hint("firms/netase", None).as_deref(),
            Some("did you mean \"NetEase\"?")
        );
        // Another collection than the list's: the name, within the list's.
        assert_eq!(
            i.hint("people/netase", Some("companies")).as_deref(),
            Some("did you mean \"NetEase\"?")
        );
    }
}
