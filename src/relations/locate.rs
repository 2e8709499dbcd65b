//! Locating problems in `roles` and `relations`: the note's file is read
//! again (only when something is wrong), the list's key found at the start
//! of a front-matter line, then each item by its target text, in order, so
//! that two items naming the same note are told apart.

use std::collections::BTreeMap;
use std::path::Path;

use super::parse::{List, Problem};
use crate::diag::{self, Diagnostic, Location, Locator};

/// Where the items of one list were written.
pub struct Places {
    /// The list's key, or the first line.
    pub key: Location,
    /// Each item's target text, or the key when it cannot be found.
    pub items: Vec<Location>,
    /// Each item's own text (byte range), when its lines or braces were
    /// found: where its keys are looked for.
    pub spans: Vec<Option<(usize, usize)>>,
}

/// Finds the key and items of `list` in a note's text.
pub fn places(text: &str, body_line: usize, list: List, needles: &[String]) -> Places {
    let end: usize = text
        .split_inclusive('\n')
        .take(body_line.saturating_sub(1))
        .map(str::len)
        .sum();
    let front = &text[..end.min(text.len())];
    let key = list.key();
    // The key is looked for after the opening fence.
    let fence = front.split_inclusive('\n').next().map_or(0, str::len);
    let key_at =
        crate::content::frontmatter::top_key_offset(&front[fence..], key).map(|at| fence + at);
    let locator = Locator::new(text);
    let Some(key_at) = key_at else {
        let first = Location::new(1, 1);
        return Places {
            key: first,
            items: vec![first; needles.len()],
            spans: vec![None; needles.len()],
        };
    };
    let key_location = locator.locate(key_at);
    // Each item is looked for in its own text only (its lines, or its
    // braces in a list in brackets), and one whose target cannot be found
    // there (`- {}`) is placed at its start. Failing that, each is looked
    // for after the one before.
    let (dashes, list_end) = match item_dashes(front, key_at) {
        (dashes, end) if dashes.is_empty() => {
            let colon = front[key_at..].find(':').map_or(key_at, |c| key_at + c + 1);
            flow_items(front, colon).unwrap_or((dashes, end))
        }
        found => found,
    };
    let by_line = dashes.len() == needles.len();
    let spans = (0..needles.len())
        .map(|i| by_line.then(|| (dashes[i], dashes.get(i + 1).copied().unwrap_or(list_end))))
        .collect();
    let mut from = key_at + key.len();
    let items = needles
        .iter()
        .enumerate()
        .map(|(i, needle)| {
            let (start, end) = if by_line {
                (dashes[i], dashes.get(i + 1).copied().unwrap_or(list_end))
            } else {
                (from.min(front.len()), front.len())
            };
            let found = (!needle.is_empty())
                .then(|| front[start..end].find(needle.as_str()))
                .flatten();
            match found {
                Some(found) => {
                    let at = start + found;
                    from = at + needle.len();
                    locator.locate(at)
                }
                None if by_line => locator.locate(dashes[i]),
                None => key_location,
            }
        })
        .collect();
    Places {
        key: key_location,
        items,
        spans,
    }
}

/// Where `field:` is written in `text[span]`: at the start of a line or
/// after `{`, `,` or a space.
fn field_at(text: &str, (start, end): (usize, usize), field: &str) -> Option<usize> {
    let part = text.get(start..end)?;
    let pattern = format!("{field}:");
    part.match_indices(&pattern)
        .find(|&(at, _)| {
            part[..at]
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, '{' | ',' | ' ' | '\n' | '-'))
        })
        .map(|(at, _)| start + at)
}

/// The offsets of the `-` of each item of a block list whose key's line
/// starts at `key_at` (the lines after it that start with `-` at the first
/// item's indentation, up to the next key at the key's indentation), and the
/// offset where the list ends. No items for a list written in brackets.
fn item_dashes(front: &str, key_at: usize) -> (Vec<usize>, usize) {
    // The key's indentation: that of every top-level key.
    let margin = key_at - front[..key_at].rfind('\n').map_or(0, |n| n + 1);
    let mut lines = front[key_at..].split_inclusive('\n');
    let mut offset = key_at + lines.next().map_or(0, str::len);
    let mut indent = None;
    let mut dashes = Vec::new();
    // Brackets and braces left open by the lines before: a line inside
    // them goes on with an item, wherever it starts.
    let mut open = 0usize;
    for line in lines {
        let trimmed = line.trim_start_matches(' ');
        let depth = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ") || trimmed.trim_end() == "-";
        if open > 0 || trimmed.trim().is_empty() || trimmed.starts_with('#') {
            // Inside an item's braces, or a blank line or a comment.
        } else if is_item && indent.is_none_or(|d| d == depth) {
            indent = Some(depth);
            dashes.push(offset + depth);
        } else if indent.is_none() || depth <= margin {
            break;
        }
        open = brackets_left_open(open, trimmed);
        offset += line.len();
    }
    (dashes, offset)
}

/// In a list written in brackets after `from` (`[{...}, {...}]`, on one
/// line or several), the offset of each item's `{` and of the closing
/// `]`; `None` if the list is not written so.
fn flow_items(front: &str, from: usize) -> Option<(Vec<usize>, usize)> {
    let rest = &front[from.min(front.len())..];
    let start = from + rest.find(|c: char| c != ' ')?;
    if !front[start..].starts_with('[') {
        return None;
    }
    let mut items = Vec::new();
    let mut depth = 0usize;
    for (i, c) in brackets(&front[start..]) {
        if matches!(c, '{' | '[') {
            if depth == 1 && c == '{' {
                items.push(start + i);
            }
            depth += 1;
        } else {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some((items, start + i));
            }
        }
    }
    None
}

/// `open` plus the brackets and braces `line` opens, less those it closes.
fn brackets_left_open(open: usize, line: &str) -> usize {
    brackets(line).fold(open, |open, (_, c)| {
        if matches!(c, '{' | '[') {
            open + 1
        } else {
            open.saturating_sub(1)
        }
    })
}

/// The brackets and braces of `text` with their offsets, leaving out those
/// in quoted text and in comments. A quote opens quoted text only where a
/// value begins (`Director's` is plain text).
fn brackets(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut quote = None;
    let mut comment = false;
    let mut before = '\n';
    text.char_indices().filter_map(move |(i, c)| {
        let found = match (quote, c) {
            _ if comment => {
                comment = c != '\n';
                None
            }
            (Some(q), c) if c == q => {
                quote = None;
                None
            }
            (Some(_), _) => None,
            (None, '"' | '\'') if matches!(before, ' ' | '\n' | '{' | '[' | ',' | ':') => {
                quote = Some(c);
                None
            }
            (None, '#') if matches!(before, ' ' | '\n') => {
                comment = true;
                None
            }
            (None, '{' | '[' | '}' | ']') => Some((i, c)),
            _ => None,
        };
        before = c;
        found
    })
}

/// Turns the problems of the note in file `path` (whose body starts at
/// line `body_line`) into located errors.
pub fn problems(
    root: &Path,
    path: &Path,
    body_line: usize,
    needles: &BTreeMap<List, Vec<String>>,
    problems: Vec<Problem>,
) -> Vec<Diagnostic> {
    let text = crate::content::read_text(root, path).unwrap_or_default();
    let mut found: BTreeMap<List, Places> = BTreeMap::new();
    for (&list, n) in needles {
        found.insert(list, places(&text, body_line, list, n));
    }
    let locator = Locator::new(&text);
    diag::capped(problems, |p| {
        let location = found
            .get(&p.list)
            .map_or(Location::new(1, 1), |pl| match p.item {
                Some(i) => {
                    let at_field = p.field.as_deref().and_then(|field| {
                        let span = pl.spans.get(i).copied().flatten()?;
                        field_at(&text, span, field)
                    });
                    match at_field {
                        Some(at) => locator.locate(at),
                        None => pl.items.get(i).copied().unwrap_or(pl.key),
                    }
                }
                None => pl.key,
            });
        let mut d = Diagnostic::error(path, location, p.message);
        d.hints = p.hints;
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_in_its_own_item() {
        let text = "---\ntitle: X\nroles:\n  - {company: a, title: T, since: 2020-13}\n  - company: b\n    until: soon\n---\n";
        let needles = vec!["a".to_string(), "b".to_string()];
        let p = places(text, 8, List::Roles, &needles);
        let first = p.spans[0].unwrap();
        let second = p.spans[1].unwrap();
        assert_eq!(
            field_at(text, first, "since").map(|at| &text[at..at + 6]),
            Some("since:")
        );
        // `until` is only in the second item; `since` not at all.
        assert!(field_at(text, first, "until").is_none());
        assert!(field_at(text, second, "until").is_some());
        assert!(field_at(text, second, "since").is_none());
    }

    #[test]
    fn items_naming_one_note_twice_are_told_apart() {
        let text = "---\ntitle: X\nroles:\n  - company: alibaba\n    title: CEO\n  - {company: alibaba, title: Chair}\n---\nalibaba\n";
        let needles = vec!["alibaba".to_string(), "alibaba".to_string()];
        let p = places(text, 8, List::Roles, &needles);
        assert_eq!(p.key, Location::new(3, 1));
        assert_eq!(p.items, vec![Location::new(4, 14), Location::new(6, 15)]);
        let missing = places(text, 8, List::Relations, &needles);
        assert_eq!(missing.key, Location::new(1, 1));
    }

    #[test]
    fn each_item_is_looked_for_in_its_own_lines() {
        // The second item's `CEO` is not the first item's, nor a comment's.
        let text = "---\ntitle: X\nroles: # CEO posts\n  - {company: alibaba, title: CEO}\n  - {title: CEO}\n  - title: Chair\n    since: 2020\n---\n";
        let needles = vec!["alibaba".to_string(), "CEO".to_string(), "2020".to_string()];
        let p = places(text, 9, List::Roles, &needles);
        assert_eq!(
            p.items,
            vec![
                Location::new(4, 15),
                Location::new(5, 13),
                Location::new(7, 12)
            ]
        );
    }

    #[test]
    fn items_of_an_indented_front_matter_are_located() {
        let text = "---\n  title: X\n  roles:\n  - {company: acme, title: CEO}\n  - {}\n  summary: acme\n---\n";
        let needles = vec!["acme".to_string(), String::new()];
        let p = places(text, 8, List::Roles, &needles);
        assert_eq!(p.key, Location::new(3, 3));
        assert_eq!(p.items, vec![Location::new(4, 15), Location::new(5, 3)]);
    }

    #[test]
    fn an_item_with_no_target_is_found_by_its_dash() {
        let needles = vec!["acme".to_string(), String::new(), "globex".to_string()];
        let block = "---\ntitle: X\nroles:\n  - company: acme\n    title: CEO\n\n  # old\n  - {}\n  - {company: globex, title: Chair}\nsummary: s\n---\n";
        let p = places(block, 12, List::Roles, &needles);
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
        let p = places(margin, 7, List::Roles, &needles[..2]);
        assert_eq!(p.items, vec![Location::new(3, 13), Location::new(4, 1)]);
        // An item in braces over two lines, the second at the margin.
        let spread =
            "---\nroles:\n- {company: acme, title: Director's\noffice, x: '{'}\n- {}\n---\n";
        let p = places(spread, 7, List::Roles, &needles[..2]);
        assert_eq!(p.items, vec![Location::new(3, 13), Location::new(5, 1)]);
        // In brackets, each item's braces, on one line or several.
        let flow = "---\nroles: [{company: acme}, {}, {title: '}'}]\n---\n";
        let p = places(flow, 4, List::Roles, &needles[..3]);
        assert_eq!(
            p.items,
            vec![
                Location::new(2, 19),
                Location::new(2, 26),
                Location::new(2, 30)
            ]
        );
        let spread = "---\nroles: [ # posts\n  {company: acme},\n  {},\n]\n---\n";
        let p = places(spread, 6, List::Roles, &needles[..2]);
        assert_eq!(p.items, vec![Location::new(3, 13), Location::new(4, 3)]);
    }
}
