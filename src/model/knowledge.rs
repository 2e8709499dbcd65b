//! What the site knows beyond each note's own links, computed once per
//! build by its own pipeline stages (relations, related notes, co-mentions,
//! graphs, changes) and turned here into the views note pages, the changes
//! page and the graph page receive.

use std::cmp::Reverse;

use super::comentions::CoMention;
use super::graphs::Graphs;
use super::related::Related;
use super::views::{
    ChangeView, CoMentionView, DateView, GraphView, HolderView, KnowledgeView, LinkFields,
    LinkView, Month, PeriodView, RelatedView, RelationView, RoleView, SiteGraphView,
};
use super::Model;
use crate::content::Corpus;
use crate::relations::{Period, Relations, Role, Term};

/// How many notes the changes page and its feed list.
pub const CHANGES: usize = 100;

/// The results of the knowledge stages, handed to [`Model::build`].
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// Roles and relations from front matter.
    pub relations: Relations,
    /// Each id's related notes, closest first.
    pub related: Vec<Vec<Related>>,
    /// Each id's co-mentions, most frequent first.
    pub co_mentions: Vec<Vec<CoMention>>,
    /// Each note's neighbourhood graph and the site graph.
    pub graphs: Graphs,
    /// Notes by their latest `updated` or `date`, newest first.
    pub changes: Vec<u32>,
}

/// The notes with a `date` or `updated`, by the later of the two, newest
/// first (then title, then key); at most [`CHANGES`].
pub fn changes(corpus: &Corpus) -> Vec<u32> {
    let notes = &corpus.notes;
    let mut when: Vec<((i32, i64), u32)> = notes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((n.updated.max(n.date)?.sort_key(), i as u32)))
        .collect();
    if when.len() > CHANGES {
        // Only notes as new as the CHANGES-th newest can be listed: the
        // others get no title or key made, and are not sorted.
        when.select_nth_unstable_by(CHANGES - 1, |a, b| b.0.cmp(&a.0));
        let cut = when[CHANGES - 1].0;
        when.retain(|w| w.0 >= cut);
    }
    let mut ids: Vec<((i32, i64), String, String, u32)> = when
        .into_iter()
        .map(|(key, i)| {
            let n = &notes[i as usize];
            (key, n.title.to_lowercase(), n.key(), i)
        })
        .collect();
    ids.sort_by(|a, b| (Reverse(a.0), &a.1, &a.2).cmp(&(Reverse(b.0), &b.1, &b.2)));
    ids.into_iter().take(CHANGES).map(|(.., id)| id).collect()
}

fn period(p: Option<Period>) -> Option<PeriodView> {
    p.map(|p| PeriodView {
        ymd: p.written(),
        label: p.label(),
    })
}

/// `rival` -> `Rival`, `owned_by` -> `Owned by`.
fn label(kind: &str) -> String {
    let spaced = kind.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Model<'_> {
    /// Groups dated ids (newest first) by month.
    pub fn months(&self, ids: &[u32]) -> Vec<Month<'_>> {
        let mut months: Vec<Month<'_>> = Vec::new();
        for &id in ids {
            let link = &self.links[id as usize];
            let Some(date) = &link.date else { continue };
            match months.last_mut() {
                Some(last) if last.month == date.month => last.notes.push(link),
                _ => months.push(Month {
                    month: date.month.clone(),
                    label: date.month_label.clone(),
                    notes: vec![link],
                }),
            }
        }
        months
    }

    fn link(&self, id: u32) -> &LinkView {
        &self.links[id as usize]
    }

    fn role<'s>(&'s self, r: &'s Role) -> RoleView<'s> {
        RoleView {
            holder: self.link(r.holder),
            target: self.link(r.target),
            title: &r.title,
            since: period(r.term.since),
            until: period(r.term.until),
        }
    }

    fn relation<'s>(
        &'s self,
        kind: &'s str,
        other: u32,
        inverse: bool,
        term: Term,
    ) -> RelationView<'s> {
        RelationView {
            kind,
            label: label(kind),
            note: self.link(other),
            inverse,
            since: period(term.since),
            until: period(term.until),
        }
    }

    /// The roles held at `id`, one entry per holder.
    fn holders(&self, id: u32) -> Vec<HolderView<'_>> {
        let mut out: Vec<HolderView<'_>> = Vec::new();
        for r in self.knowledge.relations.held_at(id) {
            let role = self.role(r);
            match out.last_mut() {
                Some(last) if last.holder.key == role.holder.key => last.roles.push(role),
                _ => out.push(HolderView {
                    holder: role.holder,
                    roles: vec![role],
                }),
            }
        }
        out
    }

    /// Is `id` a note or stub of an undated collection?
    fn in_undated_collection(&self, id: u32) -> bool {
        let c = &self.link(id).collection;
        !c.is_empty()
            && self
                .site
                .collections
                .iter()
                .any(|l| &l.name == c && !l.dated)
    }

    /// What note page `id` shows beyond its own links.
    pub fn knowledge_view(&self, id: u32) -> KnowledgeView<'_> {
        let k = &self.knowledge;
        let rel = &k.relations;
        let i = id as usize;
        let mut relations: Vec<RelationView<'_>> = rel
            .stated_by(id)
            .iter()
            .map(|r| self.relation(&r.kind, r.to, false, r.term))
            .collect();
        relations.extend(
            rel.stated_about(id)
                .map(|r| self.relation(&r.kind, r.from, true, r.term)),
        );
        let related = k.related.get(i).map_or_else(Vec::new, |list| {
            list.iter()
                .map(|r| RelatedView {
                    note: self.link(r.id),
                    shared: r.shared,
                })
                .collect()
        });
        let co_mentions = k.co_mentions.get(i).map_or_else(Vec::new, |list| {
            list.iter()
                .map(|c| CoMentionView {
                    note: self.link(c.id),
                    count: c.count,
                    stories: c.stories.iter().map(|&s| self.link(s)).collect(),
                })
                .collect()
        });
        let graph = k
            .graphs
            .notes
            .get(i)
            .and_then(Option::as_ref)
            .map(|g| GraphView {
                note: self.link(id),
                neighbours: g.neighbours.iter().map(|&n| self.link(n)).collect(),
                hidden: g.hidden,
                degrees: std::iter::once(id)
                    .chain(g.neighbours.iter().copied())
                    .map(|n| super::graphs::degree(self.linked, n))
                    .collect(),
                graph: g,
            });
        let timeline = if self.in_undated_collection(id) {
            self.months(&self.dated_backlinks[i])
        } else {
            Vec::new()
        };
        KnowledgeView {
            roles: rel.held_by(id).iter().map(|r| self.role(r)).collect(),
            role_holders: self.holders(id),
            relations,
            related,
            co_mentions,
            graph,
            timeline,
        }
    }

    /// The changes page's entries, newest first.
    pub fn changes_view(&self) -> Vec<ChangeView<'_>> {
        self.knowledge
            .changes
            .iter()
            .filter_map(|&id| {
                let note = self.corpus.notes.get(id as usize)?;
                let (change, when) = match (note.date, note.updated) {
                    (Some(d), Some(u)) if u > d => ("updated", u),
                    (None, Some(u)) => ("updated", u),
                    (Some(d), _) => ("added", d),
                    (None, None) => return None,
                };
                Some(ChangeView {
                    link: LinkFields(self.link(id)),
                    change,
                    changed: DateView::from(&when),
                })
            })
            .collect()
    }

    /// The site graph page's data.
    pub fn site_graph_view(&self) -> SiteGraphView<'_> {
        let g = &self.knowledge.graphs.site;
        let mut ids = g.nodes.clone();
        super::sort_ids(&mut ids, &self.corpus.notes, &self.linked.stubs);
        SiteGraphView {
            svg: &g.svg,
            groups: self.group(&ids),
            shown: g.nodes.len(),
            total: self.links.len(),
            edges: g.edges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Date, Note};
    use std::path::PathBuf;

    fn note(i: usize, day: u8, updated: Option<u8>, title: u8) -> Note {
        let date = |d: u8| Date::parse(&format!("2024-01-{:02}", d + 1)).ok();
        Note {
            path: PathBuf::from(format!("content/stories/n{i}.md")),
            collection: Some("stories".into()),
            dirs: Vec::new(),
            slug: format!("n{i}"),
            slug_at: None,
            title: ["Alpha", "beta", "ALPHA", "Gamma"][title as usize].into(),
            aliases: Vec::new(),
            redirects: Vec::new(),
            template: None,
            weight: None,
            date: date(day),
            updated: updated.and_then(date),
            draft: false,
            summary: None,
            autolink: None,
            refs: Vec::new(),
            extra: std::sync::Arc::new([]),
            body: String::new(),
            body_line: 1,
            assets: Vec::new(),
        }
    }

    proptest::proptest! {
        /// Few dates and titles, so that many notes tie at the cut.
        #[test]
        fn the_changes_are_the_first_of_a_full_sort(
            notes in proptest::collection::vec((0u8..6, proptest::option::of(0u8..8), 0u8..4), 0..260)
        ) {
            let notes: Vec<Note> = notes
                .into_iter()
                .enumerate()
                .map(|(i, (d, u, t))| note(i, d, u, t))
                .collect();
            let corpus = Corpus { notes, ..Corpus::default() };
            let mut all: Vec<((i32, i64), String, String, u32)> = corpus
                .notes
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    let when = n.updated.max(n.date)?;
                    Some((when.sort_key(), n.title.to_lowercase(), n.key(), i as u32))
                })
                .collect();
            all.sort_by(|a, b| (Reverse(a.0), &a.1, &a.2).cmp(&(Reverse(b.0), &b.1, &b.2)));
            let expected: Vec<u32> = all.into_iter().take(CHANGES).map(|(.., id)| id).collect();
            proptest::prop_assert_eq!(changes(&corpus), expected);
        }
    }
}
