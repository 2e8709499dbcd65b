//! Contradictions between roles: one single-holder post (a company's CEO,
//! its chair) held by two different notes over overlapping terms.
//!
//! Roles are grouped by (target, post) and swept in order of their start;
//! each role is compared with the earlier role of another holder that runs
//! longest, so a group of any size costs one sort and one pass.

use std::collections::BTreeMap;
use std::path::Path;

use super::locate;
use super::parse::{self, List};
use super::Role;
use crate::content::Corpus;
use crate::diag::{self, Diagnostic, Location};
use crate::graph::NameIndex;

/// A role's start and end for sorting; open ends reach the extremes.
fn start(r: &Role) -> (i32, u8, u8) {
    r.term.since.map_or((i32::MIN, 0, 0), |p| p.start())
}

fn end(r: &Role) -> (i32, u8, u8) {
    r.term.until.map_or((i32::MAX, 0, 0), |p| p.start())
}

/// (the later role, the earlier one it overlaps, the post).
type Clash<'r> = (&'r Role, &'r Role, &'r str);

fn clashes<'r>(roles: &'r [Role], index: &NameIndex) -> Vec<Clash<'r>> {
    let mut groups: BTreeMap<(u32, &str), Vec<&Role>> = BTreeMap::new();
    for r in roles {
        for post in &r.posts {
            groups.entry((r.target, post.as_str())).or_default().push(r);
        }
    }
    let mut out = Vec::new();
    for ((_, post), mut group) in groups {
        if group.len() < 2 {
            continue;
        }
        group.sort_by(|a, b| {
            (start(a), index.key(a.holder), a.item).cmp(&(start(b), index.key(b.holder), b.item))
        });
        // The two earlier roles that run longest, of different holders.
        let mut best: Option<&Role> = None;
        let mut second: Option<&Role> = None;
        for &r in &group {
            let rival = match best {
                Some(b) if b.holder != r.holder => Some(b),
                _ => second,
            };
            if let Some(earlier) = rival.filter(|e| e.term.overlaps(&r.term)) {
                out.push((r, earlier, post));
            }
            let longer = |x: Option<&Role>| x.is_none_or(|x| end(r) > end(x));
            if longer(best) {
                if best.is_some_and(|b| b.holder != r.holder) {
                    second = best;
                }
                best = Some(r);
            } else if best.is_some_and(|b| b.holder != r.holder) && longer(second) {
                second = Some(r);
            }
        }
    }
    out
}

/// Located warnings for every clash, at the later role.
pub fn contradictions(
    roles: &[Role],
    root: &Path,
    corpus: &Corpus,
    index: &NameIndex,
) -> Vec<Diagnostic> {
    let found = clashes(roles, index);
    let mut by_holder: BTreeMap<u32, Vec<Clash<'_>>> = BTreeMap::new();
    for c in found {
        by_holder.entry(c.0.holder).or_default().push(c);
    }
    let mut out = Vec::new();
    for (holder, list) in by_holder {
        let Some(note) = corpus.notes.get(holder as usize) else {
            continue;
        };
        let text = crate::content::read_text(root, &note.path).unwrap_or_default();
        let needles = note
            .extra
            .iter()
            .find(|(k, _)| k == "roles")
            .map(|(_, v)| parse::roles(v, &corpus.collections).0.needles)
            .unwrap_or_default();
        let places = locate::places(&text, note.body_line, List::Roles, &needles);
        // One warning for two roles however many posts they share
        // ("Chairman and CEO" twice; "Chairman" also marked exclusive).
        let mut pairs: Vec<(&Role, &Role, Vec<&str>)> = Vec::new();
        for (later, earlier, post) in list {
            let same = |(l, e, _): &&mut (&Role, &Role, Vec<&str>)| {
                std::ptr::eq(*l, later) && std::ptr::eq(*e, earlier)
            };
            match pairs.iter_mut().find(same) {
                Some((_, _, posts)) => posts.push(post),
                None => pairs.push((later, earlier, vec![post])),
            }
        }
        for (later, earlier, posts) in pairs.into_iter().take(diag::MAX_PER_FILE) {
            let posts = match posts.as_slice() {
                [one] => format!("the post \"{one}\" has"),
                many => format!("the posts \"{}\" have", many.join("\" and \"")),
            };
            let location = places
                .items
                .get(later.item)
                .copied()
                .unwrap_or(Location::new(1, 1));
            let message = format!(
                "two holders of one post: {} is \"{}\" of {} {}, while {} is \"{}\" {}",
                index.key(later.holder),
                later.title,
                index.key(later.target),
                later.term.describe(),
                index.key(earlier.holder),
                earlier.title,
                earlier.term.describe(),
            );
            out.push(
                Diagnostic::warning(&note.path, location, message)
                    .with_hint(format!(
                        "{posts} one holder at a time: end the earlier term with `until` or start this one with `since`"
                    ))
                    .with_hint("if the post is shared, add `exclusive: false` to the role"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::period::{Period, Term};

    fn role(holder: u32, since: Option<&str>, until: Option<&str>) -> Role {
        Role {
            holder,
            target: 9,
            title: "CEO".into(),
            term: Term {
                since: since.map(|s| Period::parse(s).unwrap()),
                until: until.map(|s| Period::parse(s).unwrap()),
            },
            posts: vec!["ceo".into()],
            exclusive: None,
            item: 0,
        }
    }

    fn index() -> NameIndex {
        let mut i = NameIndex::default();
        for k in ["a", "b", "c"] {
            i.add(
                Some("people".into()),
                format!("people/{k}"),
                k,
                vec![k.into()],
            );
        }
        i
    }

    #[test]
    fn successive_terms_do_not_clash_but_overlapping_ones_do() {
        let i = index();
        let ok = [
            role(0, None, Some("2023-09")),
            role(1, Some("2023-09"), None),
        ];
        assert!(clashes(&ok, &i).is_empty());
        let bad = [
            role(0, None, Some("2023-10")),
            role(1, Some("2023-09"), None),
        ];
        let found = clashes(&bad, &i);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0.holder, found[0].1.holder), (1, 0));
        // The same holder twice is no contradiction.
        assert!(clashes(&[role(0, None, None), role(0, Some("2020"), None)], &i).is_empty());
    }

    #[test]
    fn a_long_term_is_found_behind_a_short_one() {
        let i = index();
        let roles = [
            role(0, Some("2000"), None),
            role(1, Some("2001"), Some("2002")),
            role(2, Some("2010"), None),
        ];
        let found: Vec<(u32, u32)> = clashes(&roles, &i)
            .iter()
            .map(|c| (c.0.holder, c.1.holder))
            .collect();
        assert_eq!(found, vec![(1, 0), (2, 0)]);
    }
}
