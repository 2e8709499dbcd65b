//! The notes that stories point at: companies, people and topics, with
//! names unique across the whole site (titles, aliases and slugs), so no
//! reference in a generated corpus is ever ambiguous.

use std::collections::BTreeSet;

use super::model::{Body, Coll, Doc, Fact, Form, Link};
use super::prose::{capitalise, end_paragraph, sentences};
use super::rng::Rng;
use super::words::*;

/// How a note can be named.
#[derive(Debug, Clone)]
pub struct Names {
    pub slug: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// False for a topic that is referenced but has no note (a stub).
    pub exists: bool,
}

/// Every company, person and topic of a corpus.
#[derive(Debug)]
pub struct World {
    pub companies: Vec<Names>,
    pub people: Vec<Names>,
    /// The topics with notes, then the missing ones.
    pub topics: Vec<Names>,
    /// Companies each person works for (first one: their employer).
    pub employers: Vec<Vec<usize>>,
    /// Each person's role.
    pub roles: Vec<String>,
    /// The people working for each company.
    staff: Vec<Vec<usize>>,
    /// Each company's bare name (its first alias).
    bare: Vec<String>,
}

/// A pronounceable name for `index`, unique among `0..16^width` indexes:
/// the index goes through a bijection (odd multiplier, offset, modulo a
/// power of two) and each base-16 digit becomes a syllable.
fn syllable_name(table: &[&str; 16], index: usize, width: u32, offset: u64) -> String {
    let modulus = 1u64 << (4 * width);
    let mut x = (index as u64)
        .wrapping_mul(0x9E37_79B1)
        .wrapping_add(offset)
        % modulus;
    let mut out = String::new();
    for _ in 0..width {
        out.push_str(table[(x % 16) as usize]);
        x /= 16;
    }
    capitalise(&out)
}

/// Base-16 digits needed to number `count` items, at least `min`.
fn width_for(count: usize, min: u32) -> u32 {
    let mut width = min;
    while (1usize << (4 * width)) < count {
        width += 1;
    }
    width
}

/// Slugs (via the `slug` crate, as brief would make them).
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

impl World {
    /// Draws `companies` companies, `people` people and the fixed topics.
    pub fn new(rng: &mut Rng, companies: usize, people: usize) -> World {
        let cw = width_for(companies, 3);
        let coffset = rng.next_u64();
        let mut world = World {
            companies: Vec::new(),
            people: Vec::new(),
            topics: Vec::new(),
            employers: Vec::new(),
            roles: Vec::new(),
            staff: vec![Vec::new(); companies],
            bare: Vec::new(),
        };
        for i in 0..companies {
            let bare = syllable_name(&COMPANY_SYLLABLES, i, cw, coffset);
            let s = rng.below(COMPANY_SUFFIXES.len());
            let alt = (s + 1 + rng.below(COMPANY_SUFFIXES.len() - 1)) % COMPANY_SUFFIXES.len();
            let title = format!("{bare} {}", COMPANY_SUFFIXES[s]);
            world.companies.push(Names {
                slug: slugify(&title),
                aliases: vec![bare.clone(), format!("{bare} {}", COMPANY_SUFFIXES[alt])],
                title,
                exists: true,
            });
            world.bare.push(bare);
        }
        let pw = width_for(people, 2);
        let poffset = rng.next_u64();
        for i in 0..people {
            let given = *rng.pick(&GIVEN_NAMES);
            let surname = syllable_name(&SURNAME_SYLLABLES, i, pw, poffset);
            let title = format!("{given} {surname}");
            let initial = given.chars().next().unwrap_or('X');
            world.people.push(Names {
                slug: slugify(&title),
                aliases: vec![format!("{initial}. {surname}")],
                title,
                exists: true,
            });
            let jobs = rng.between(1, 2);
            let employers = rng.distinct(companies, jobs);
            for &c in &employers {
                world.staff[c].push(i);
            }
            world.employers.push(employers);
            world.roles.push(rng.pick(&ROLES).to_string());
        }
        let topics = TOPICS.iter().map(|t| (t, true));
        let missing = MISSING_TOPICS.iter().map(|t| (t, false));
        for (title, exists) in topics.chain(missing) {
            world.topics.push(Names {
                slug: slugify(title),
                title: title.to_string(),
                aliases: Vec::new(),
                exists,
            });
        }
        world.assert_unique();
        world
    }

    /// Panics if two notes share a slug, title or alias (case-insensitive).
    fn assert_unique(&self) {
        let mut seen = BTreeSet::new();
        let all = self
            .companies
            .iter()
            .chain(&self.people)
            .chain(&self.topics);
        for n in all {
            for name in std::iter::once(&n.slug)
                .chain(std::iter::once(&n.title))
                .chain(&n.aliases)
            {
                let key = name.to_lowercase();
                assert!(seen.insert(key), "generated name {name:?} is not unique");
            }
        }
    }

    fn names(&self, coll: Coll, i: usize) -> &Names {
        match coll {
            Coll::Companies => &self.companies[i],
            Coll::People => &self.people[i],
            _ => &self.topics[i],
        }
    }

    /// A link to company, person or topic `i`.
    pub fn link(&self, coll: Coll, i: usize, form: Form, label: Option<String>) -> Link {
        let n = self.names(coll, i);
        Link {
            coll,
            slug: n.slug.clone(),
            title: n.title.clone(),
            form,
            label,
            exists: n.exists,
        }
    }

    /// How many topics have notes.
    pub fn existing_topics(&self) -> usize {
        TOPICS.len()
    }

    /// The note of company `i`.
    pub fn company_doc(&self, rng: &mut Rng, i: usize) -> Doc {
        let n = &self.companies[i];
        let bare = &self.bare[i];
        let sector = *rng.pick(&SECTORS);
        let city = *rng.pick(&CITIES);
        let founded = rng.between(1950, 2020) as i64;
        let staff = &self.staff[i];
        let topics = rng.distinct(self.existing_topics(), 2);
        let mut b = Body::default();
        let article = if sector.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        b.text(&format!(
            "{} is {article} {sector} company headquartered in {city}, founded in {founded}. ",
            n.title
        ));
        sentences(rng, &mut b, bare, 2);
        end_paragraph(&mut b);
        b.text("## Business\n\nIts work touches ");
        b.link(self.link(Coll::Topics, topics[0], Form::Qualified, None));
        b.text(" and ");
        b.link(self.link(
            Coll::Topics,
            topics[1],
            Form::Titled,
            Some("related areas".into()),
        ));
        b.text(". ");
        if self.companies.len() > 1 {
            let peer = (i + 1 + rng.below(self.companies.len() - 1)) % self.companies.len();
            b.text("It competes with ");
            b.link(self.link(Coll::Companies, peer, Form::Slug, None));
            b.text(". ");
        }
        sentences(rng, &mut b, "The company", 2);
        end_paragraph(&mut b);
        if !staff.is_empty() {
            b.text("## People\n\n");
            for &p in staff {
                b.text("- ");
                b.link(self.link(Coll::People, p, Form::Slug, None));
                b.text(&format!(", {}\n", self.roles[p].to_lowercase()));
            }
            b.text("\n");
        }
        let people: Vec<String> = staff.iter().map(|&p| self.people[p].slug.clone()).collect();
        let mut refs = vec![(
            Coll::Topics,
            topics
                .iter()
                .map(|&t| self.topics[t].slug.clone())
                .collect(),
        )];
        if !people.is_empty() {
            refs.insert(0, (Coll::People, people));
        }
        Doc {
            coll: Coll::Companies,
            slug: n.slug.clone(),
            title: n.title.clone(),
            aliases: n.aliases.clone(),
            date: None,
            summary: Some(format!(
                "{} {sector} company based in {city}.",
                capitalise(article)
            )),
            refs,
            source: None,
            facts: vec![
                ("headquarters", Fact::Str(city.to_string())),
                ("founded", Fact::Int(founded)),
                (
                    "ticker",
                    Fact::Str(bare.to_uppercase().chars().take(4).collect()),
                ),
            ],
            body: b.0,
        }
    }

    /// The note of person `i`.
    pub fn person_doc(&self, rng: &mut Rng, i: usize) -> Doc {
        let n = &self.people[i];
        let employer = self.employers[i][0];
        let role = format!("{}, {}", self.roles[i], self.companies[employer].title);
        let mut b = Body::default();
        b.text(&format!(
            "{} is {} of ",
            n.title,
            self.roles[i].to_lowercase()
        ));
        b.link(self.link(Coll::Companies, employer, Form::Qualified, None));
        b.text(". ");
        sentences(rng, &mut b, &n.title, 2);
        end_paragraph(&mut b);
        b.text("## Career\n\n");
        sentences(rng, &mut b, "The executive", 2);
        b.text("See the ");
        let label = Some(format!("{} profile", self.companies[employer].title));
        b.link(self.link(Coll::Companies, employer, Form::Relative, label));
        b.text(" for more.");
        end_paragraph(&mut b);
        let companies = self.employers[i]
            .iter()
            .map(|&c| self.companies[c].slug.clone())
            .collect();
        Doc {
            coll: Coll::People,
            slug: n.slug.clone(),
            title: n.title.clone(),
            aliases: n.aliases.clone(),
            date: None,
            summary: Some(role.clone()),
            refs: vec![(Coll::Companies, companies)],
            source: None,
            facts: vec![("role", Fact::Str(role))],
            body: b.0,
        }
    }

    /// The note of topic `i` (one with a note).
    pub fn topic_doc(&self, rng: &mut Rng, i: usize) -> Doc {
        let n = &self.topics[i];
        let mut b = Body::default();
        b.text("## Overview\n\n");
        sentences(rng, &mut b, "The sector", 3);
        end_paragraph(&mut b);
        b.text("Companies to watch include ");
        let picks = rng.distinct(self.companies.len(), 2);
        for (k, &c) in picks.iter().enumerate() {
            if k > 0 {
                b.text(" and ");
            }
            b.link(self.link(Coll::Companies, c, Form::Slug, None));
        }
        b.text(". A related theme is ");
        let other = (i + 1) % self.existing_topics();
        b.link(self.link(Coll::Topics, other, Form::Slug, None));
        b.text(".\n");
        Doc {
            coll: Coll::Topics,
            slug: n.slug.clone(),
            title: n.title.clone(),
            aliases: Vec::new(),
            date: None,
            summary: Some(format!("Coverage of {}.", n.title.to_lowercase())),
            refs: Vec::new(),
            source: None,
            facts: Vec::new(),
            body: b.0,
        }
    }
}
