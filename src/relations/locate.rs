//! Locating problems in `roles` and `relations`: the note's file is read
//! again (only when something is wrong), the list's key found at the start
//! of a front-matter line, then each item by its target text, in order, so
//! that two items naming the same note are told apart.

use std::collections::BTreeMap;
use std::path::Path;

use super::parse::{List, Problem};
use crate::content::Note;
use crate::diag::{self, Diagnostic, Location, Locator};

/// Where the items of one list were written.
pub struct Places {
    /// The list's key, or the first line.
    pub key: Location,
    /// Each item's target text, or the key when it cannot be found.
    pub items: Vec<Location>,
}

/// Finds the key and items of `list` in a note's text.
pub fn places(text: &str, note: &Note, list: List, needles: &[String]) -> Places {
    let end: usize = text
        .split_inclusive('\n')
        .take(note.body_line.saturating_sub(1))
        .map(str::len)
        .sum();
    let front = &text[..end.min(text.len())];
    let key = list.key();
    let quoted = format!("\"{key}\"");
    let mut offset = 0;
    let mut key_at = None;
    for line in front.split_inclusive('\n') {
        let plain = line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if plain || line.starts_with(&quoted) {
            key_at = Some(offset);
            break;
        }
        offset += line.len();
    }
    let locator = Locator::new(text);
    let Some(key_at) = key_at else {
        let first = Location::new(1, 1);
        return Places {
            key: first,
            items: vec![first; needles.len()],
        };
    };
    let key_location = locator.locate(key_at);
    let dashes = item_dashes(front, key_at);
    let mut from = key_at + key.len();
    let items = needles
        .iter()
        .enumerate()
        .map(|(i, needle)| {
            let found = (!needle.is_empty())
                .then(|| front[from.min(front.len())..].find(needle.as_str()))
                .flatten();
            match found {
                Some(found) => {
                    let at = from + found;
                    from = at + needle.len();
                    locator.locate(at)
                }
                // An item with no target to find (`- {}`): its own `-`,
                // in a list written one item per line.
                None => match dashes.get(i) {
                    Some(&at) if at >= from => {
                        from = at + 1;
                        locator.locate(at)
                    }
                    _ => key_location,
                },
            }
        })
        .collect();
    Places {
        key: key_location,
        items,
    }
}

/// The offsets of the `-` of each item of a block list whose key's line
/// starts at `key_at`: the lines after it that start with `-` at the first
/// item's indentation, up to the next key at the left margin. Empty for a
/// list written in brackets.
fn item_dashes(front: &str, key_at: usize) -> Vec<usize> {
    let mut lines = front[key_at..].split_inclusive('\n');
    let mut offset = key_at + lines.next().map_or(0, str::len);
    let mut indent = None;
    let mut dashes = Vec::new();
    for line in lines {
        let trimmed = line.trim_start_matches(' ');
        let depth = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ") || trimmed.trim_end() == "-";
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            // Blank lines and comments belong to no item.
        } else if is_item && indent.is_none_or(|d| d == depth) {
            indent = Some(depth);
            dashes.push(offset + depth);
        } else if depth == 0 || indent.is_none() {
            break;
        }
        offset += line.len();
    }
    dashes
}

/// Turns one note's problems into located errors.
pub fn problems(
    root: &Path,
    note: &Note,
    needles: &BTreeMap<List, Vec<String>>,
    problems: Vec<Problem>,
) -> Vec<Diagnostic> {
    let text = crate::content::read_text(root, &note.path).unwrap_or_default();
    let mut found: BTreeMap<List, Places> = BTreeMap::new();
    for (&list, n) in needles {
        found.insert(list, places(&text, note, list, n));
    }
    let total = problems.len();
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .take(diag::MAX_PER_FILE)
        .map(|p| {
            let location = found
                .get(&p.list)
                .map_or(Location::new(1, 1), |pl| match p.item {
                    Some(i) => pl.items.get(i).copied().unwrap_or(pl.key),
                    None => pl.key,
                });
            let mut d = Diagnostic::error(&note.path, location, p.message);
            d.hints = p.hints;
            d
        })
        .collect();
    if let Some(last) = out.last_mut().filter(|_| total > diag::MAX_PER_FILE) {
        last.hints
            .push(diag::more_not_shown(total - diag::MAX_PER_FILE));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(body_line: usize) -> Note {
        Note {
            path: "content/people/x.md".into(),
            collection: Some("people".into()),
            dirs: Vec::new(),
            slug: "x".into(),
            title: "X".into(),
            aliases: Vec::new(),
            date: None,
            updated: None,
            draft: false,
            summary: None,
            autolink: None,
            refs: Vec::new(),
            extra: Vec::new(),
            body: String::new(),
            body_line,
            assets: Vec::new(),
        }
    }

    #[test]
    fn items_naming_one_note_twice_are_told_apart() {
        let text = "---\ntitle: X\nroles:\n  - company: alibaba\n    title: CEO\n  - {company: alibaba, title: Chair}\n---\nalibaba\n";
        let needles = vec!["alibaba".to_string(), "alibaba".to_string()];
        let p = places(text, &note(8), List::Roles, &needles);
        assert_eq!(p.key, Location::new(3, 1));
        assert_eq!(p.items, vec![Location::new(4, 14), Location::new(6, 15)]);
        let missing = places(text, &note(8), List::Relations, &needles);
        assert_eq!(missing.key, Location::new(1, 1));
    }

    #[test]
    fn an_item_with_no_target_is_found_by_its_dash() {
        let needles = vec!["acme".to_string(), String::new(), "globex".to_string()];
        let block = "---\ntitle: X\nroles:\n  - company: acme\n    title: CEO\n\n  # old\n  - {}\n  - {company: globex, title: Chair}\nsummary: s\n---\n";
        let p = places(block, &note(12), List::Roles, &needles);
        assert_eq!(
            p.items,
            vec![
                Location::new(4, 14),
                Location::new(8, 3),
                Location::new(9, 15)
            ]
        );
        // At the left margin, too.
        let margin = "---\nroles:\n- {company: acme}\n- {}\ntitle: X\n---\n";
        let p = places(margin, &note(7), List::Roles, &needles[..2]);
        assert_eq!(p.items, vec![Location::new(3, 13), Location::new(4, 1)]);
        // In brackets, the list's key.
        let flow = "---\nroles: [{company: acme}, {}]\n---\n";
        let p = places(flow, &note(4), List::Roles, &needles[..2]);
        assert_eq!(p.items, vec![Location::new(2, 19), Location::new(2, 1)]);
    }
}
