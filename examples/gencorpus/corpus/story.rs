//! Stories: dated notes of about 400 words that reference companies, people
//! and topics in front matter and link to them in every form brief accepts.

use chrono::{Datelike, Days, NaiveDate};

use super::model::{Body, Coll, Doc, Form, Link};
use super::prose::{end_paragraph, sentence, sentences, table};
use super::rng::Rng;
use super::words::*;
use super::world::{Names, World};

/// Stories are dated over this many days from 2017-01-01.
const SPAN_DAYS: u64 = 7 * 365;

/// What later stories may link to.
#[derive(Debug, Clone)]
pub struct Earlier {
    pub slug: String,
    pub title: String,
}

fn date(rng: &mut Rng) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap_or_default();
    start
        .checked_add_days(Days::new(rng.below(SPAN_DAYS as usize) as u64))
        .unwrap_or(start)
}

/// 1-3 topics; about one draw in eight is a topic without a note.
fn topics(rng: &mut Rng, world: &World, force_missing: bool) -> Vec<usize> {
    let existing = world.existing_topics();
    let missing = world.topics.len() - existing;
    let want = rng.between(1, 3);
    let mut out: Vec<usize> = Vec::new();
    if force_missing {
        out.push(existing + rng.below(missing));
    }
    while out.len() < want {
        let t = if rng.chance(12) {
            existing + rng.below(missing)
        } else {
            rng.below(existing)
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn story_link(earlier: &Earlier, form: Form, label: Option<String>) -> Link {
    Link {
        coll: Coll::Stories,
        slug: earlier.slug.clone(),
        title: earlier.title.clone(),
        form,
        label,
        exists: true,
    }
}

fn slugs(world_names: &[Names], ids: &[usize]) -> Vec<String> {
    ids.iter().map(|&i| world_names[i].slug.clone()).collect()
}

/// Story number `i` (from 0); `earlier` are the stories before it.
pub fn story_doc(world: &World, rng: &mut Rng, i: usize, earlier: &[Earlier]) -> Doc {
    let day = date(rng);
    let k = rng.between(1, 3);
    let companies = rng.distinct(world.companies.len(), k);
    let k = rng.between(0, 2);
    let people = rng.distinct(world.people.len(), k);
    let topic_ids = topics(rng, world, i == 0);
    let lead = &world.companies[companies[0]];
    let topic = &world.topics[topic_ids[0]];
    let title = format!(
        "{} {} {} (report {})",
        lead.title,
        rng.pick(&HEADLINE_VERBS),
        topic.title.to_lowercase(),
        i + 1
    );
    let slug = format!("{}-{}-{}", lead.slug, topic.slug, i + 1);
    let summary = format!(
        "{} {} that it would {} {} {}.",
        lead.title,
        rng.pick(&SAYING),
        rng.pick(&ACTIONS),
        rng.pick(&ADJECTIVES),
        rng.pick(&NOUNS)
    );
    let source_name = rng.pick(&SOURCES).to_string();
    let url = format!(
        "https://news.example.com/{}/{:02}/{slug}.html",
        day.year(),
        day.month()
    );
    let body = body(
        world,
        rng,
        &Cast {
            companies: &companies,
            people: &people,
            topics: &topic_ids,
        },
        day.year(),
        earlier,
    );
    let mut refs = vec![(Coll::Companies, slugs(&world.companies, &companies))];
    if !people.is_empty() {
        refs.push((Coll::People, slugs(&world.people, &people)));
    }
    refs.push((Coll::Topics, slugs(&world.topics, &topic_ids)));
    Doc {
        coll: Coll::Stories,
        slug,
        title,
        aliases: Vec::new(),
        date: Some(day.format("%Y-%m-%d").to_string()),
        summary: Some(summary),
        refs,
        source: Some((source_name, url)),
        facts: Vec::new(),
        body,
    }
}

/// Who a story is about.
struct Cast<'a> {
    companies: &'a [usize],
    people: &'a [usize],
    topics: &'a [usize],
}

fn body(
    world: &World,
    rng: &mut Rng,
    cast: &Cast<'_>,
    year: i32,
    earlier: &[Earlier],
) -> Vec<super::model::Seg> {
    let mut b = Body::default();
    let lead = cast.companies[0];
    let topic = &world.topics[cast.topics[0]];
    b.link(world.link(Coll::Companies, lead, Form::Slug, None));
    b.text(&format!(
        " {} that it would {} its work on {}, a step that puts {} at the centre of its plans {}. ",
        rng.pick(&SAYING),
        rng.pick(&ACTIONS),
        topic.title.to_lowercase(),
        rng.pick(&NOUNS),
        rng.pick(&TIMES)
    ));
    sentences(rng, &mut b, "The company", 2);
    end_paragraph(&mut b);

    b.text("## Background\n\n");
    sentences(rng, &mut b, "The group", 2);
    if let Some(&second) = cast.companies.get(1) {
        b.text("The plan also involves ");
        b.link(world.link(Coll::Companies, second, Form::Qualified, None));
        b.text(", which has its own stake in the outcome. ");
    }
    match cast.people.first() {
        Some(&p) => {
            b.text("The strategy is overseen by ");
            b.link(world.link(
                Coll::People,
                p,
                Form::Titled,
                Some("its executive in charge".into()),
            ));
        }
        None => {
            b.text("The strategy is set by ");
            b.link(world.link(
                Coll::Companies,
                lead,
                Form::Titled,
                Some("the group's board".into()),
            ));
        }
    }
    b.text(". ");
    sentences(rng, &mut b, "The company", 1);
    end_paragraph(&mut b);

    b.text("- ");
    let lead_title = world.companies[lead].title.clone();
    b.link(world.link(Coll::Companies, lead, Form::Relative, Some(lead_title)));
    b.text(&format!(
        " {} it would {} {}.\n- ",
        rng.pick(&SAYING),
        rng.pick(&ACTIONS),
        rng.pick(&NOUNS)
    ));
    let last_topic = *cast.topics.last().unwrap_or(&cast.topics[0]);
    b.link(world.link(Coll::Topics, last_topic, Form::Qualified, None));
    b.text(&format!(
        ": {}\n- {}\n\n",
        sentence(rng, "The company"),
        sentence(rng, "The group")
    ));

    b.text("## The numbers\n\n");
    sentences(rng, &mut b, "The company", 1);
    end_paragraph(&mut b);
    table(rng, &mut b, year);

    b.text("## Reaction\n\n> ");
    let quote = format!(
        "{} {}",
        sentence(rng, "The industry"),
        sentence(rng, "The company")
    );
    b.text(&quote);
    b.text("\n\n");
    sentences(rng, &mut b, "The company", 2);
    if !earlier.is_empty() {
        let e = &earlier[rng.below(earlier.len())];
        b.text("An ");
        let link = match rng.below(3) {
            0 => story_link(e, Form::Qualified, None),
            1 => story_link(e, Form::Relative, Some("earlier report".into())),
            _ => story_link(e, Form::Titled, Some("earlier report".into())),
        };
        b.link(link);
        b.text(" covered the background.");
    }
    end_paragraph(&mut b);

    b.text("## Outlook\n\n");
    sentences(rng, &mut b, "The company", 3);
    if let Some(&p) = cast.people.get(1) {
        let name = world.people[p].title.clone();
        b.link(world.link(Coll::People, p, Form::Relative, Some(name)));
        b.text(&format!(
            " is expected to {} the plan {}.",
            rng.pick(&ACTIONS),
            rng.pick(&TIMES)
        ));
    }
    end_paragraph(&mut b);
    b.0
}
