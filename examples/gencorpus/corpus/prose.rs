//! Filler prose: sentences assembled from the fixed vocabularies, so bodies
//! have realistic length and shape (about 15-20 words a sentence).

use super::model::Body;
use super::rng::Rng;
use super::words::*;

/// `word` with its first letter in upper case.
pub fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence about `subject` ("The company", "Kaloma Holdings"...).
pub fn sentence(rng: &mut Rng, subject: &str) -> String {
    let noun = *rng.pick(&NOUNS);
    let noun2 = *rng.pick(&NOUNS);
    let adj = *rng.pick(&ADJECTIVES);
    let n = rng.between(2, 40);
    match rng.below(7) {
        0 => format!(
            "{subject} {} that it would {} {adj} {noun} {}.",
            rng.pick(&SAYING),
            rng.pick(&ACTIONS),
            rng.pick(&TIMES)
        ),
        1 => format!(
            "Analysts at {} expect {noun} to grow by {n} per cent {}, citing {}.",
            rng.pick(&FIRMS),
            rng.pick(&TIMES),
            rng.pick(&REASONS)
        ),
        2 => format!(
            "The move follows {adj} {noun} in {}, where {} have {} {} {noun2}.",
            rng.pick(&REGIONS),
            rng.pick(&GROUPS),
            rng.pick(&PAST_ACTIONS),
            rng.pick(&ADJECTIVES)
        ),
        3 => format!(
            "{} {} the plan {}, and {} expect further {noun} as {} weighs on {noun2}.",
            capitalise(GROUPS[rng.below(GROUPS.len())]),
            rng.pick(&PAST_ACTIONS),
            rng.pick(&TIMES),
            rng.pick(&GROUPS),
            rng.pick(&REASONS)
        ),
        4 => format!(
            "Executives {} that {noun} remained {adj}, while {noun2} rose {n} per cent from a year earlier.",
            rng.pick(&SAYING)
        ),
        5 => format!(
            "{subject} has spent much of the past year on {noun} and {noun2}, a shift that {} have {}.",
            rng.pick(&GROUPS),
            rng.pick(&PAST_ACTIONS)
        ),
        _ => format!(
            "People familiar with the matter said {noun} in {} could {} {} if {} persists.",
            rng.pick(&REGIONS),
            rng.pick(&ACTIONS),
            rng.pick(&TIMES),
            rng.pick(&REASONS)
        ),
    }
}

/// `count` sentences about `subject`, each followed by a space.
pub fn sentences(rng: &mut Rng, b: &mut Body, subject: &str, count: usize) {
    for _ in 0..count {
        let s = sentence(rng, subject);
        b.text(&s).text(" ");
    }
}

/// Ends a paragraph (drops the trailing space, adds a blank line).
pub fn end_paragraph(b: &mut Body) {
    if let Some(super::model::Seg::Text(t)) = b.0.last_mut() {
        let trimmed = t.trim_end().len();
        t.truncate(trimmed);
    }
    b.text("\n\n");
}

/// A Markdown table of figures for two years.
pub fn table(rng: &mut Rng, b: &mut Body, year: i32) {
    b.text(&format!(
        "| Metric | {} | {year} | Change |\n|---|---:|---:|---:|\n",
        year - 1
    ));
    for row in rng.distinct(METRICS.len(), 4) {
        let before = rng.between(50, 5000);
        let after = before * rng.between(80, 130) / 100;
        let change = (after as i64 - before as i64) * 1000 / before as i64;
        b.text(&format!(
            "| {} | {} | {} | {}{}.{}% |\n",
            METRICS[row],
            tenths(before),
            tenths(after),
            if change < 0 { "-" } else { "+" },
            change.abs() / 10,
            change.abs() % 10
        ));
    }
    b.text("\n");
}

/// `1234` as `123.4`, without floating point (so output never varies).
fn tenths(n: usize) -> String {
    format!("{}.{}", n / 10, n % 10)
}
