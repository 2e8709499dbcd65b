//! Finding prose mentions of notes' titles and aliases: used by auto-linking
//! (`autolink: true`, in `markdown`) and by the unlinked-mention lint.
//!
//! One Aho-Corasick automaton over every title and alias (ASCII
//! case-insensitive, leftmost-longest) scans each note's prose once. A
//! mention counts only on word boundaries (except in CJK text, which has
//! none), and only if the note does not link to the mentioned note in any
//! way; each (note, mentioned note) pair is reported once, at its first
//! mention.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Names shorter than this (in characters) are too common to lint, unless
/// they are CJK (where two characters make a name).
const MIN_CHARS: usize = 3;

/// The names being looked for, and the note each belongs to.
#[derive(Clone)]
pub struct Mentions {
    automaton: Option<AhoCorasick>,
    owners: Vec<u32>,
    names: Vec<String>,
    fingerprint: u64,
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
    /// A name shared by several notes is left out: a mention of it could
    /// mean any of them (the duplicate-title lint reports those).
    pub fn new(names: impl IntoIterator<Item = (u32, String)>) -> Self {
        let mut by_name: std::collections::BTreeMap<String, (String, Vec<u32>)> =
            Default::default();
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
            if let [id] = ids[..] {
                owners.push(id);
                kept.push(name);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&kept)
            .ok();
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&kept, &owners).hash(&mut h);
            h.finish() | 1
        };
        Mentions {
            automaton,
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

    /// Mentions in `text` of notes other than `from`, skipping `linked`
    /// notes and those already in `reported` (which this extends).
    pub fn find(
        &self,
        text: &str,
        from: u32,
        linked: &[u32],
        reported: &mut HashSet<u32>,
    ) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in automaton.find_iter(text) {
            let target = self.owners[m.pattern().as_usize()];
            if target == from || linked.contains(&target) || reported.contains(&target) {
                continue;
            }
            let before = text[..m.start()].chars().next_back();
            let first = text[m.start()..].chars().next();
            let last = text[..m.end()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let joined = |outer: Option<char>, edge: Option<char>| {
                outer.is_some_and(is_word) && edge.is_some_and(is_word)
            };
            if joined(before, first) || joined(after, last) {
                continue;
            }
            reported.insert(target);
            out.push(Mention {
                offset: m.start(),
                target,
                name: self.names[m.pattern().as_usize()].clone(),
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
}
