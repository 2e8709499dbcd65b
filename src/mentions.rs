//! Finding prose mentions of notes' titles and aliases: used by auto-linking
//! (`autolink: true`, in `markdown`) and by the unlinked-mention lint.
//!
//! A mention counts only on word boundaries (except in CJK text, which has
//! none), is matched ASCII case-insensitively, and the longest name wins
//! where several start at one place. Each (note, mentioned note) pair is
//! reported once, at its first mention, and only if the note does not link
//! to the mentioned note in any way.
//!
//! A name that starts with a word character can only start where a word
//! of the prose starts, and that word must be the name's first word: so
//! such names are found by one hash lookup per word of prose, keyed by
//! that first word. Building the table costs next to nothing, where an
//! Aho-Corasick automaton over 15,000 titles took a third of a second. The
//! few names that start otherwise (CJK names, names opening with a sign)
//! go into a small Aho-Corasick automaton.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// The owner of a name several notes share: it is matched like any other
/// (so that "Kestrel Robotics", a company's and a topic's title, is not
/// read as the company's alias "Kestrel" followed by a word), but it is
/// no one's mention.
const SHARED: u32 = u32::MAX;

/// Names shorter than this (in characters) are too common to lint, unless
/// they are CJK (where two characters make a name).
const MIN_CHARS: usize = 3;

/// The names being looked for, and the note each belongs to.
#[derive(Clone)]
pub struct Mentions {
    /// Names that start with a word character, by their first word
    /// (ASCII-lowercased), in groups by the byte after that word.
    by_word: HashMap<Box<str>, Vec<Group>, foldhash::fast::FixedState>,
    /// The longest first word in `by_word`, in bytes.
    longest_word: usize,
    /// For each key of `by_word`, a bit for its length (in bytes; 63 stands
    /// for 63 and more) in the entry of its first two bytes (see
    /// [`pair`]): a word of prose whose entry has no bit for its length is
    /// not looked up. Most words of prose stop here, in a table that fits
    /// the fastest cache: with a thousand names, the first byte alone let
    /// most words through.
    starts: Box<[u64; 1024]>,
    /// The other names, and the index in `names` of each of its patterns.
    anywhere: Option<(AhoCorasick, Vec<u32>)>,
    owners: Vec<u32>,
    names: Vec<String>,
    fingerprint: u64,
}

/// The names that share a first word and the byte after it
/// (ASCII-lowercased; `None` for names of one word): indexes into
/// `names`, the longest first. Prose whose next byte differs cannot match
/// any of them, so a common word that opens many names ("A" of "A. Chen",
/// "A. Wang" and a hundred more initials) is passed over in one compare
/// per group instead of one per name.
#[derive(Clone)]
struct Group {
    follow: Option<u8>,
    names: Vec<u32>,
}

/// One unlinked mention: byte offset in the searched text, the mentioned
/// note, and the name as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset in the text given to [`Mentions::find`].
    pub offset: usize,
    /// The mentioned note's id.
    pub target: u32,
    /// The title or alias that matched.
    pub name: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Can this byte be part of a written-out address (`https://x.org/a_(b)?c=1&d`)?
fn in_url(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'`')
}

/// The byte ranges of the addresses written out in `text`: a URL with a
/// scheme (`https://...`), one starting `www.`, a mail address
/// (`press@x.org`) or a handle (`@x`). A name inside one is part of the
/// address, not a mention. Addresses are ASCII: one ends at the first
/// space or other character (`，`, `—`), and a scheme starts after
/// whatever came before it (`(https://...`, `网站是https://...`).
fn address_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let forward = |mut at: usize, ok: &dyn Fn(u8) -> bool| {
        while at < b.len() && ok(b[at]) {
            at += 1;
        }
        at
    };
    let backward = |mut at: usize, ok: &dyn Fn(u8) -> bool| {
        while at > 0 && ok(b[at - 1]) {
            at -= 1;
        }
        at
    };
    // An address goes on over letters of any script but CJK
    // (`/wiki/Möwe`), and stops at any other character beyond ASCII.
    let url_end = |at: usize| {
        let mut end = at;
        for c in text[at..].chars() {
            let ok = if c.is_ascii() {
                in_url(c as u8)
            } else {
                c.is_alphanumeric() && !is_cjk(c)
            };
            if !ok {
                break;
            }
            end += c.len_utf8();
        }
        end
    };
    let mut spans = Vec::new();
    for at in memchr::memmem::find_iter(b, b"://") {
        let start = backward(at, &|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')
        });
        if start < at {
            spans.push(start..url_end(at + 3));
        }
    }
    let mut from = 0;
    while let Some(k) = b[from..]
        .windows(4)
        .position(|w| w.eq_ignore_ascii_case(b"www."))
    {
        let at = from + k;
        if at == 0 || !b[at - 1].is_ascii_alphanumeric() {
            spans.push(at..url_end(at + 4));
        }
        from = at + 4;
    }
    for at in memchr::memchr_iter(b'@', b) {
        let local =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_');
        spans.push(backward(at, &local)..forward(at + 1, &domain));
    }
    spans
}

/// Is the character at byte `at` a word character, and its width.
fn char_at(text: &str, at: usize) -> (bool, usize) {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[at..].chars().next().unwrap_or(' ');
        (is_word(c), c.len_utf8())
    }
}

/// Each byte's kind: an ASCII letter or digit, any other ASCII character,
/// or part of a longer UTF-8 character (decoded to be told apart). One
/// load per byte where a range test would take several instructions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Byte {
    Word,
    Other,
    Wide,
}

static BYTES: [Byte; 256] = {
    let mut kinds = [Byte::Wide; 256];
    let mut b = 0;
    while b < 128 {
        kinds[b] = if (b as u8).is_ascii_alphanumeric() {
            Byte::Word
        } else {
            Byte::Other
        };
        b += 1;
    }
    kinds
};

/// The entry of [`Mentions::starts`] for a word of `len` bytes starting
/// at `at`: the low five bits of its first two bytes (0 for a one-byte
/// word). ASCII letters keep their identity and lose their case; other
/// bytes share entries, which only lets a few more words through.
fn pair(bytes: &[u8], at: usize, len: usize) -> usize {
    let second = if len > 1 { bytes[at + 1] & 31 } else { 0 };
    usize::from(bytes[at] & 31) << 5 | usize::from(second)
}

/// The end of the run of word characters that starts at `from`: ASCII
/// letters and digits are stepped over a run at a time.
fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        while at < bytes.len() && BYTES[usize::from(bytes[at])] == Byte::Word {
            at += 1;
        }
        if at == bytes.len() || bytes[at].is_ascii() {
            return at;
        }
        let (word, width) = char_at(text, at);
        if !word {
            return at;
        }
        at += width;
    }
}

impl std::fmt::Debug for Mentions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mentions")
            .field("names", &self.names.len())
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl Mentions {
    /// Indexes `names`: (note id, title or alias).
    /// A name shared by several notes is no one's mention: it could mean
    /// any of them (the duplicate-title lint reports those). It still
    /// stops a shorter name from being found inside it.
    pub fn new(names: impl IntoIterator<Item = (u32, String)>) -> Self {
        let mut by_name: std::collections::BTreeMap<String, (String, Vec<u32>)> =
            Default::default();
        // A name with quotes, dashes or dots (`O'Brien Logistics`,
        // `"Best" Co`) is also looked for as smart punctuation typesets
        // it (`O’Brien`, `“Best” Co`).
        let names = names.into_iter().flat_map(|(id, name)| {
            let typeset = crate::markdown::typeset(&name).map(|t| (id, t));
            std::iter::once((id, name)).chain(typeset)
        });
        for (id, name) in names {
            let name = name.trim().to_string();
            let chars = name.chars().count();
            let long_enough = chars >= MIN_CHARS || (chars >= 2 && name.chars().all(is_cjk));
            if long_enough {
                let entry = by_name
                    .entry(name.to_lowercase())
                    .or_insert_with(|| (name, Vec::new()));
                if entry.1.last() != Some(&id) {
                    entry.1.push(id);
                }
            }
        }
        let mut owners = Vec::new();
        let mut kept = Vec::new();
        for (name, ids) in by_name.into_values() {
            owners.push(if let [id] = ids[..] { id } else { SHARED });
            kept.push(name);
        }
        let mut by_word: HashMap<Box<str>, Vec<Group>, _> =
            HashMap::with_hasher(foldhash::fast::FixedState::default());
        let mut longest_word = 0;
        let mut others = Vec::new();
        for (i, name) in kept.iter().enumerate() {
            if name.chars().next().is_some_and(is_word) {
                let end = word_end(name, 0);
                longest_word = longest_word.max(end);
                let follow = name.as_bytes().get(end).map(u8::to_ascii_lowercase);
                let groups = by_word
                    .entry(name[..end].to_ascii_lowercase().into_boxed_str())
                    .or_default();
                match groups.iter_mut().find(|g| g.follow == follow) {
                    Some(group) => group.names.push(i as u32),
                    None => groups.push(Group {
                        follow,
                        names: vec![i as u32],
                    }),
                }
            } else {
                others.push(i as u32);
            }
        }
        let mut starts = Box::new([0u64; 1024]);
        for (word, groups) in by_word.iter_mut() {
            for group in groups.iter_mut() {
                group
                    .names
                    .sort_by_key(|&i| std::cmp::Reverse(kept[i as usize].len()));
            }
            // The one-word names last: they are the shortest.
            groups.sort_by_key(|g| g.follow.is_none());
            starts[pair(word.as_bytes(), 0, word.len())] |= 1 << word.len().min(63);
        }
        let anywhere = if others.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(others.iter().map(|&i| &kept[i as usize]))
                .ok()
                .map(|automaton| (automaton, others))
        };
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&kept, &owners).hash(&mut h);
            h.finish() | 1
        };
        Mentions {
            by_word,
            longest_word,
            starts,
            anywhere,
            owners,
            names: kept,
            fingerprint,
        }
    }

    /// A fingerprint of every (name, owner) pair, never 0: two matchers
    /// with the same fingerprint find the same mentions.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Every name in `text` on word boundaries, as (start, end, index in
    /// `names`): leftmost first, the longest where several start at one
    /// place, none overlapping.
    fn matches(&self, text: &str) -> Vec<(usize, usize, u32)> {
        let mut found = Vec::new();
        if !self.by_word.is_empty() {
            self.word_matches(text, &mut found);
        }
        if let Some((automaton, patterns)) = &self.anywhere {
            let before = found.len();
            for m in automaton.find_iter(text) {
                let last = text[..m.end()].chars().next_back();
                let after = text[m.end()..].chars().next();
                if !(last.is_some_and(is_word) && after.is_some_and(is_word)) {
                    found.push((m.start(), m.end(), patterns[m.pattern().as_usize()]));
                }
            }
            if before > 0 && found.len() > before {
                found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
                let mut reached = 0;
                found.retain(|&(start, end, _)| {
                    let keep = start >= reached;
                    if keep {
                        reached = end;
                    }
                    keep
                });
            }
        }
        if !found.is_empty() {
            let spans = address_spans(text);
            if !spans.is_empty() {
                found.retain(|&(start, end, _)| {
                    !spans.iter().any(|s| s.start < end && start < s.end)
                });
            }
        }
        found
    }

    /// The names that start with a word character, found by looking up
    /// each word of `text` in `by_word`. Every word start the loop comes
    /// to follows a character that is not a word character (or is the
    /// text's start): it steps over whole words and whole matches, and a
    /// match never ends inside a word.
    fn word_matches(&self, text: &str, found: &mut Vec<(usize, usize, u32)>) {
        let bytes = text.as_bytes();
        let mut key = String::new();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if BYTES[usize::from(b)] == Byte::Other {
                at += 1;
                continue;
            }
            if !b.is_ascii() {
                let (word, width) = char_at(text, at);
                if !word {
                    at += width;
                    continue;
                }
            }
            let end = word_end(text, at);
            if end - at > self.longest_word
                || self.starts[pair(bytes, at, end - at)] >> (end - at).min(63) & 1 == 0
            {
                at = end;
                continue;
            }
            key.clear();
            key.push_str(&text[at..end]);
            key.make_ascii_lowercase();
            let follow = bytes.get(end).map(u8::to_ascii_lowercase);
            let mut hit = None;
            let groups = self
                .by_word
                .get(key.as_str())
                .map_or(&[][..], Vec::as_slice);
            'groups: for group in groups {
                if group.follow.is_some() && group.follow != follow {
                    continue;
                }
                for &i in &group.names {
                    let name = self.names[i as usize].as_bytes();
                    let stop = at + name.len();
                    // Equal bytes mean the name ends where a character does.
                    let same = bytes
                        .get(at..stop)
                        .is_some_and(|b| b.eq_ignore_ascii_case(name));
                    let joined = same
                        && text[..stop].chars().next_back().is_some_and(is_word)
                        && stop < bytes.len()
                        && char_at(text, stop).0;
                    if same && !joined {
                        hit = Some((stop, i));
                        break 'groups;
                    }
                }
            }
            match hit {
                Some((stop, i)) => {
                    found.push((at, stop, i));
                    at = stop;
                }
                None => at = end,
            }
        }
    }

    /// Mentions in `text` of notes other than `from`, skipping `linked`
    /// notes and those already in `reported` (which this extends).
    pub fn find(
        &self,
        text: &str,
        from: u32,
        linked: &[u32],
        reported: &mut HashSet<u32>,
    ) -> Vec<Mention> {
        let mut out = Vec::new();
        for (start, _, i) in self.matches(text) {
            let target = self.owners[i as usize];
            if target == SHARED
                || target == from
                || linked.contains(&target)
                || reported.contains(&target)
            {
                continue;
            }
            reported.insert(target);
            out.push(Mention {
                offset: start,
                target,
                name: self.names[i as usize].clone(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only_and_once_per_target() {
        let m = Mentions::new([
            (1, "NetEase".to_string()),
            (2, "Ali".to_string()),
            (3, "阿里巴巴".to_string()),
            (4, "AI".to_string()),
        ]);
        let mut reported = HashSet::new();
        let found = m.find(
            "netease and Alibaba, NetEase again; 阿里巴巴集团 and AI",
            0,
            &[],
            &mut reported,
        );
        let targets: Vec<(usize, u32)> = found.iter().map(|f| (f.offset, f.target)).collect();
        // "Ali" inside "Alibaba" is no mention; "AI" is too short to lint.
        assert_eq!(targets, [(0, 1), (36, 3)]);
        assert!(m.find("NetEase", 1, &[], &mut HashSet::new()).is_empty());
        assert!(m.find("NetEase", 0, &[1], &mut HashSet::new()).is_empty());
    }

    fn found(m: &Mentions, text: &str) -> Vec<(usize, u32, String)> {
        m.find(text, 0, &[], &mut HashSet::new())
            .into_iter()
            .map(|f| (f.offset, f.target, f.name))
            .collect()
    }

    #[test]
    fn a_name_with_quotes_or_dashes_is_found_as_typeset_too() {
        let m = Mentions::new([
            (1, "O'Brien Logistics".to_string()),
            (2, "The \"Best\" Co".to_string()),
            (3, "Alpha--Beta".to_string()),
            (4, "Wait... What".to_string()),
        ]);
        let targets = |text: &str| -> Vec<(usize, u32)> {
            found(&m, text).iter().map(|f| (f.0, f.1)).collect()
        };
        assert_eq!(targets("We met O'Brien Logistics."), [(7, 1)]);
        assert_eq!(targets("We met O\u{2019}Brien Logistics."), [(7, 1)]);
        assert_eq!(targets("See The \u{201c}Best\u{201d} Co now"), [(4, 2)]);
        assert_eq!(targets("See Alpha\u{2013}Beta now"), [(4, 3)]);
        assert_eq!(targets("See Wait\u{2026} What now"), [(4, 4)]);
    }

    #[test]
    fn names_inside_written_out_addresses_are_no_mentions() {
        let m = Mentions::new([
            (1, "Alibaba".to_string()),
            (2, "NetEase".to_string()),
            (3, "阿里巴巴".to_string()),
        ]);
        let targets = |text: &str| -> Vec<(usize, u32)> {
            found(&m, text).iter().map(|f| (f.0, f.1)).collect()
        };
        assert!(targets("see https://www.alibaba.com/about for it").is_empty());
        assert!(targets("(www.netease.com) or press@alibaba.com. @alibaba").is_empty());
        assert!(targets("site—www.alibaba.com—for 官网：www.alibaba.com").is_empty());
        assert!(targets("https://e.org/?a=1&amp;b=alibaba").is_empty());
        assert_eq!(
            targets("Alibaba: https://x.org/alibaba, then NetEase"),
            [(0, 1), (37, 2)]
        );
        // An address ends where ASCII does, and a scheme starts after `(`.
        assert_eq!(targets("Alibaba(https://www.alibaba.com)"), [(0, 1)]);
        let cjk = "阿里巴巴的网站是https://www.alibaba.com，阿里巴巴";
        assert_eq!(targets(cjk), [(0, 3)]);
        // Letters beyond ASCII are part of an address (an IRI).
        assert!(targets("see https://de.wikipedia.org/wiki/Möwe_Alibaba here").is_empty());
    }

    #[test]
    fn the_longest_name_on_word_boundaries_wins() {
        let m = Mentions::new([
            (1, "Ant Group".to_string()),
            (2, "Ant Group Holdings".to_string()),
            (3, "Group Holdings Ltd".to_string()),
            (4, "AT&T".to_string()),
            (5, "McDonald's".to_string()),
        ]);
        // The longer name, then nothing inside it.
        assert_eq!(found(&m, "ant group holdings ltd.")[0].1, 2);
        assert_eq!(found(&m, "ant group holdings ltd.").len(), 1);
        // A longer name that runs into a word gives way to a shorter one.
        assert_eq!(
            found(&m, "Ant Group Holdingsx"),
            [(0, 1, "Ant Group".to_string())]
        );
        // Names with signs in them, in any ASCII case.
        assert_eq!(
            found(&m, "at&t and mcdonald's")[0],
            (0, 4, "AT&T".to_string())
        );
        assert_eq!(found(&m, "at&t and mcdonald's")[1].0, 9);
        // Not inside a longer word, on either side.
        assert!(found(&m, "xAT&T, AT&Tx, antgroup").is_empty());
    }

    #[test]
    fn a_shared_name_is_no_ones_mention_and_hides_the_shorter_names_in_it() {
        let m = Mentions::new([
            (1, "Kestrel".to_string()),
            (1, "Kestrel Robotics".to_string()),
            (2, "Kestrel Robotics".to_string()),
            (3, "Harbor".to_string()),
        ]);
        // Not the company's "Kestrel", then " Robotics".
        assert!(found(&m, "We visited Kestrel Robotics last week.").is_empty());
        assert_eq!(
            found(&m, "Kestrel and Harbor"),
            [(0, 1, "Kestrel".to_string()), (12, 3, "Harbor".to_string())]
        );
    }

    #[test]
    fn names_that_start_with_a_sign_or_cjk_are_found_beside_the_others() {
        let m = Mentions::new([
            (1, ".NET Core".to_string()),
            (2, "Core Labs".to_string()),
            (3, "腾讯".to_string()),
            (4, "Tencent".to_string()),
        ]);
        // `.NET Core` starts first, so `Core Labs` (overlapping) is not found.
        assert_eq!(
            found(&m, "On .NET Core Labs, 腾讯 and Tencent."),
            [
                (3, 1, ".NET Core".to_string()),
                (19, 3, "腾讯".to_string()),
                (30, 4, "Tencent".to_string())
            ]
        );
        assert_eq!(found(&m, "Core Labs")[0].1, 2);
    }

    /// Every name, tried at every word start: the rules `matches` keeps
    /// with its hash table and groups, stated plainly.
    fn by_brute_force(names: &[String], text: &str) -> Vec<(usize, usize, String)> {
        let mut kept: Vec<&String> = names.iter().filter(|n| n.len() >= MIN_CHARS).collect();
        kept.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if !bytes[at].is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let hit = kept.iter().find(|name| {
                let stop = at + name.len();
                stop <= bytes.len()
                    && bytes[at..stop].eq_ignore_ascii_case(name.as_bytes())
                    && !(name.as_bytes()[name.len() - 1].is_ascii_alphanumeric()
                        && bytes.get(stop).is_some_and(u8::is_ascii_alphanumeric))
            });
            match hit {
                Some(name) => {
                    found.push((at, at + name.len(), name.to_string()));
                    at += name.len();
                }
                None => {
                    while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                        at += 1;
                    }
                }
            }
        }
        found
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn word_matches_agree_with_trying_every_name(
            names in proptest::collection::vec("[aAb][ab. &]{0,6}", 0..12),
            text in "[aAbB. &x]{0,60}",
        ) {
            // Distinct names (ignoring case), as `new` keeps only those.
            let mut distinct: Vec<String> = Vec::new();
            for name in names {
                let name = name.trim().to_string();
                if !distinct.iter().any(|d| d.eq_ignore_ascii_case(&name)) {
                    distinct.push(name);
                }
            }
            let m = Mentions::new(
                distinct.iter().enumerate().map(|(i, n)| (i as u32, n.clone())),
            );
            let got: Vec<(usize, usize, String)> = m
                .matches(&text)
                .into_iter()
                .map(|(start, end, i)| (start, end, m.names[i as usize].clone()))
                .collect();
            proptest::prop_assert_eq!(got, by_brute_force(&distinct, &text));
        }
    }
}
