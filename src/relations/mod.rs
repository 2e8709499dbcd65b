//! Typed relations between notes, from front matter: `roles` (a person's
//! posts at a company or organisation, with optional dates) and `relations`
//! (typed links such as `rival` or `owns`).
//!
//! `content` keeps both keys as free JSON; this stage reads them into
//! validated [`Role`]s and [`Relation`]s, resolving each target through the
//! [`NameIndex`] like a reference, and reports every problem located in its
//! file (re-read only when something is wrong). It also finds
//! contradictions: one exclusive post held by two people at once. It must
//! not render or write anything, and does not add edges to the link graph.

mod locate;
mod overlap;
pub mod parse;
pub mod period;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::content::Corpus;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Lookup, NameIndex};
use parse::{List, Problem};
pub use period::{Period, Term};

/// A post held by one note (a person) at another (a company).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Who holds it.
    pub holder: u32,
    /// Where.
    pub target: u32,
    /// `title` as written: `Chairman and CEO`.
    pub title: String,
    /// `since` and `until`.
    pub term: Term,
    /// The single-holder posts the title names (`chair`, `ceo`); empty when
    /// the post may be shared.
    pub posts: Vec<String>,
    /// `exclusive`, if written.
    pub exclusive: Option<bool>,
    /// Its position in the holder's `roles` list.
    pub item: usize,
}

/// A typed link from one note to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The note whose front matter says it.
    pub from: u32,
    /// The note it names.
    pub to: u32,
    /// The type as written: `rival`.
    pub kind: String,
    /// `since` and `until`.
    pub term: Term,
    /// Its position in the note's `relations` list.
    pub item: usize,
}

/// Every role and relation of the site, indexed by both ends.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    roles: Vec<Role>,
    relations: Vec<Relation>,
    roles_at: BTreeMap<u32, Vec<usize>>,
    inbound: BTreeMap<u32, Vec<usize>>,
}

impl Relations {
    fn new(mut roles: Vec<Role>, mut relations: Vec<Relation>, index: &NameIndex) -> Self {
        roles.sort_by_key(|r| (r.holder, r.item));
        relations.sort_by_key(|r| (r.from, r.item));
        let mut roles_at: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, r) in roles.iter().enumerate() {
            roles_at.entry(r.target).or_default().push(i);
        }
        for ids in roles_at.values_mut() {
            ids.sort_by(|&a, &b| {
                let (a, b) = (&roles[a], &roles[b]);
                index
                    .key(a.holder)
                    .cmp(index.key(b.holder))
                    .then(a.item.cmp(&b.item))
            });
        }
        let mut inbound: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, r) in relations.iter().enumerate() {
            inbound.entry(r.to).or_default().push(i);
        }
        for ids in inbound.values_mut() {
            ids.sort_by(|&a, &b| {
                let (a, b) = (&relations[a], &relations[b]);
                (a.kind.to_lowercase(), index.key(a.from), a.item).cmp(&(
                    b.kind.to_lowercase(),
                    index.key(b.from),
                    b.item,
                ))
            });
        }
        Relations {
            roles,
            relations,
            roles_at,
            inbound,
        }
    }

    /// Every role, by holder id then written order.
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Every relation, by id of the note that states it, then written order.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    /// The roles `id` holds, in written order.
    pub fn held_by(&self, id: u32) -> &[Role] {
        let start = self.roles.partition_point(|r| r.holder < id);
        let end = self.roles.partition_point(|r| r.holder <= id);
        &self.roles[start..end]
    }

    /// The roles held at `id`, by holder key then written order.
    pub fn held_at(&self, id: u32) -> impl Iterator<Item = &Role> {
        self.roles_at
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&i| &self.roles[i])
    }

    /// The relations `id` states, in written order.
    pub fn stated_by(&self, id: u32) -> &[Relation] {
        let start = self.relations.partition_point(|r| r.from < id);
        let end = self.relations.partition_point(|r| r.from <= id);
        &self.relations[start..end]
    }

    /// The relations other notes state about `id`, by type then key.
    pub fn stated_about(&self, id: u32) -> impl Iterator<Item = &Relation> {
        self.inbound
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&i| &self.relations[i])
    }

    /// Does `id` hold a role or state a relation, or is it the place of a
    /// role or the subject of another note's relation? Either end's page
    /// links the other.
    pub fn has_partners(&self, id: u32) -> bool {
        !self.held_by(id).is_empty()
            || self.roles_at.contains_key(&id)
            || !self.stated_by(id).is_empty()
            || self.inbound.contains_key(&id)
    }

    /// Every note at the other end of a role or relation of `id`, sorted.
    pub fn partners(&self, id: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self.held_by(id).iter().map(|r| r.target).collect();
        out.extend(self.held_at(id).map(|r| r.holder));
        out.extend(self.stated_by(id).iter().map(|r| r.to));
        out.extend(self.stated_about(id).map(|r| r.from));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Warnings for exclusive posts held by two notes at once, located at
    /// the later role (files re-read only for the notes concerned).
    pub fn contradictions(
        &self,
        root: &Path,
        corpus: &Corpus,
        index: &NameIndex,
    ) -> Vec<Diagnostic> {
        overlap::contradictions(&self.roles, root, corpus, index)
    }
}

/// Single-holder posts and the ways titles name them.
const POSTS: &[(&str, &[&str])] = &[
    (
        "ceo",
        &[
            "ceo",
            "chief executive",
            "chief executive officer",
            "group ceo",
        ],
    ),
    (
        "chair",
        &[
            "chair",
            "chairman",
            "chairwoman",
            "chairperson",
            "executive chairman",
            "board chair",
            "chairman of the board",
        ],
    ),
    ("president", &["president"]),
    ("cfo", &["cfo", "chief financial officer"]),
    ("coo", &["coo", "chief operating officer"]),
    ("cto", &["cto", "chief technology officer"]),
    ("managing director", &["managing director"]),
];

/// The single-holder posts a title names: its parts (split at `and`, `&`
/// and `/`) that are known posts; with `exclusive: true` and no known
/// post named, the whole title is one; with `exclusive: false` none.
pub fn posts(title: &str, exclusive: Option<bool>) -> Vec<String> {
    if exclusive == Some(false) {
        return Vec::new();
    }
    let norm = crate::markdown::collapse_spaces(&title.to_lowercase());
    let spaced = format!(" {norm} ")
        .replace(" and ", " & ")
        .replace('/', " & ");
    let mut out = Vec::new();
    for part in spaced.split('&').map(str::trim) {
        if let Some((post, _)) = POSTS.iter().find(|(_, names)| names.contains(&part)) {
            out.push((*post).to_string());
        }
    }
    // "Chief executive" marked exclusive is the CEO post it names, not a
    // second post beside it.
    if exclusive == Some(true) && out.is_empty() {
        out.push(norm);
    }
    out.sort();
    out.dedup();
    out
}

/// What one note contributes: its roles, relations and problems.
type NoteResult = (Vec<Role>, Vec<Relation>, Vec<Diagnostic>);

/// Reads and resolves every note's `roles` and `relations`.
pub fn resolve(root: &Path, corpus: &Corpus, index: &NameIndex) -> Result<Relations, Diagnostics> {
    let results: Vec<NoteResult> = corpus
        .notes
        .par_iter()
        .enumerate()
        .filter(|(_, n)| has_lists(&n.extra))
        .map(|(id, note)| {
            let source = (note.path.as_path(), note.body_line, &note.extra[..]);
            resolve_note(root, corpus, index, id as u32, source)
        })
        .collect();
    let mut diags = Diagnostics::new();
    // A note that cannot be built: its lists' problems are told all the
    // same (it is no note's id, so nothing names it as itself).
    for u in corpus.unbuilt.iter().filter(|u| has_lists(&u.extra)) {
        let source = (u.path.as_path(), u.body_line, u.extra.as_slice());
        diags.extend(resolve_note(root, corpus, index, u32::MAX, source).2);
    }
    let (mut roles, mut relations) = (Vec::new(), Vec::new());
    for (r, l, d) in results {
        roles.extend(r);
        relations.extend(l);
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    share_exclusive_titles(&mut roles);
    Ok(Relations::new(roles, relations, index))
}

/// `exclusive: true` on one role makes its title a single-holder post at
/// that note for every role there with the same title, unless a role
/// says `exclusive: false`: one mark is enough, whoever's note has it.
fn share_exclusive_titles(roles: &mut [Role]) {
    let title = |r: &Role| crate::markdown::collapse_spaces(&r.title.to_lowercase());
    let marked: std::collections::HashSet<(u32, String)> = roles
        .iter()
        .filter(|r| r.exclusive == Some(true))
        .map(|r| (r.target, title(r)))
        .collect();
    if marked.is_empty() {
        return;
    }
    for r in roles.iter_mut().filter(|r| r.exclusive.is_none()) {
        let post = title(r);
        if r.posts.is_empty() && marked.contains(&(r.target, post.clone())) {
            r.posts.push(post);
        }
    }
}

/// Does a note with these free keys have roles or relations?
fn has_lists(extra: &[(String, serde_json::Value)]) -> bool {
    extra.iter().any(|(k, _)| k == "roles" || k == "relations")
}

/// Resolves a target; a problem if it names no note, several, or `id` itself.
fn target(
    corpus: &Corpus,
    index: &NameIndex,
    id: u32,
    (list, item): (List, usize),
    text: &str,
    collection: Option<&str>,
) -> Result<Option<u32>, Problem> {
    let problem = |message: String, hint: Option<String>| Problem {
        list,
        item: Some(item),
        message,
        hints: hint.into_iter().collect(),
        field: None,
    };
    let what = match list {
        List::Roles => "role",
        List::Relations => "relation",
    };
    match index.lookup(text, collection) {
        Lookup::Found(found) if found == id => Err(problem(
            format!("the {what} \"{text}\" names this note itself"),
            Some(format!("a {what} links to another note")),
        )),
        Lookup::Found(found) => Ok(Some(found)),
        Lookup::Missing if corpus.may_name_broken(collection, text) => Ok(None),
        Lookup::Missing => {
            let place = collection.map_or_else(|| "the site".to_string(), |c| c.to_string());
            Err(problem(
                format!(
                    "unknown {what} target \"{text}\" in `{}`: no note in {place} has this slug, title or alias",
                    list.key()
                ),
                corpus
                    .draft_hint(collection, text)
                    .or_else(|| index.hint(text, collection)),
            ))
        }
        Lookup::Ambiguous(ids) => Err(problem(
            format!(
                "ambiguous reference \"{text}\": it names {}",
                index.keys(&ids)
            ),
            Some(index.pick_hint(&ids, false)),
        )),
    }
}

/// The roles and relations of note `id`, written in the file `path`
/// (whose body starts at line `body_line`) among the free keys `extra`.
fn resolve_note(
    root: &Path,
    corpus: &Corpus,
    index: &NameIndex,
    id: u32,
    (path, body_line, extra): (&Path, usize, &[(String, serde_json::Value)]),
) -> NoteResult {
    let mut problems = Vec::new();
    let mut needles: BTreeMap<List, Vec<String>> = BTreeMap::new();
    let (mut roles, mut relations) = (Vec::new(), Vec::new());
    for (key, value) in extra {
        match key.as_str() {
            "roles" => {
                let (items, found) = parse::roles(value, &corpus.collections);
                problems.extend(found);
                needles.insert(List::Roles, items.needles);
                for (item, raw) in items.items {
                    match target(
                        corpus,
                        index,
                        id,
                        (List::Roles, item),
                        &raw.target,
                        Some(&raw.collection),
                    ) {
                        Ok(Some(to)) => roles.push(Role {
                            holder: id,
                            target: to,
                            posts: posts(&raw.title, raw.exclusive),
                            exclusive: raw.exclusive,
                            title: raw.title,
                            term: raw.term,
                            item,
                        }),
                        Ok(None) => {}
                        Err(p) => problems.push(p),
                    }
                }
                for (item, collection, text) in items.unfinished {
                    let at = (List::Roles, item);
                    if let Err(p) = target(corpus, index, id, at, &text, collection.as_deref()) {
                        problems.push(p);
                    }
                }
            }
            "relations" => {
                let (items, found) = parse::relations(value);
                problems.extend(found);
                needles.insert(List::Relations, items.needles);
                for (item, raw) in items.items {
                    match target(
                        corpus,
                        index,
                        id,
                        (List::Relations, item),
                        &raw.target,
                        None,
                    ) {
                        Ok(Some(to)) => relations.push(Relation {
                            from: id,
                            to,
                            kind: raw.kind,
                            term: raw.term,
                            item,
                        }),
                        Ok(None) => {}
                        Err(p) => problems.push(p),
                    }
                }
                for (item, _, text) in items.unfinished {
                    if let Err(p) = target(corpus, index, id, (List::Relations, item), &text, None)
                    {
                        problems.push(p);
                    }
                }
            }
            _ => {}
        }
    }
    let diags = if problems.is_empty() {
        Vec::new()
    } else {
        locate::problems(root, path, body_line, &needles, problems)
    };
    (roles, relations, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_single_holder_posts() {
        assert_eq!(posts("Chairman and CEO", None), vec!["ceo", "chair"]);
        assert_eq!(posts("Founder & Chief Executive", None), vec!["ceo"]);
        assert!(posts("Executive vice-chairman", None).is_empty());
        assert!(posts("CEO (designate)", None).is_empty());
        assert!(posts("Chairman of Taobao & Tmall Group", None).is_empty());
        assert!(posts("CEO", Some(false)).is_empty());
        assert_eq!(posts("Board member", Some(true)), vec!["board member"]);
        // Marked, a known post is still that post, not a second one.
        assert_eq!(posts("Chief executive", Some(true)), vec!["ceo"]);
        assert_eq!(posts("Chair and CEO", Some(true)), vec!["ceo", "chair"]);
    }
}
