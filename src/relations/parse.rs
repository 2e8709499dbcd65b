//! Reading the `roles` and `relations` front-matter keys (kept as free keys
//! by `content`, so as JSON values) into raw items, every problem noted
//! with the item it belongs to. Nothing is resolved here.

use serde_json::{Map, Value};

use super::period::{Period, Term};

/// The front-matter key of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    /// `roles: [{company: alibaba, title: CEO}]`.
    Roles,
    /// `relations: [{rival: netease}]`.
    Relations,
}

impl List {
    /// The key as written.
    pub fn key(self) -> &'static str {
        match self {
            List::Roles => "roles",
            List::Relations => "relations",
        }
    }
}

/// A role as written: a collection, a target in it, a title and a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRole {
    /// The collection the target is in (`companies` for `company:`).
    pub collection: String,
    /// The target as written.
    pub target: String,
    /// `title`.
    pub title: String,
    /// `since` and `until`.
    pub term: Term,
    /// `exclusive`, if written.
    pub exclusive: Option<bool>,
}

/// A relation as written: a type and a target anywhere in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRelation {
    /// `rival`, `owns`...
    pub kind: String,
    /// The target as written.
    pub target: String,
    /// `since` and `until`.
    pub term: Term,
}

/// A problem with one item (or with the whole list when `item` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which list.
    pub list: List,
    /// Which item, from 0.
    pub item: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
    /// The key of the item at fault (`since`), if one is: the problem is
    /// located there rather than at the item's target.
    pub field: Option<String>,
}

/// Items read from one list; each keeps its position for locating.
#[derive(Debug)]
pub struct Items<T> {
    /// (position, item).
    pub items: Vec<(usize, T)>,
    /// The text that finds each item in the file (its first text value).
    pub needles: Vec<String>,
    /// Items left out for another problem whose target could be read:
    /// (position, collection, target), still checked, so that every
    /// problem of an item is told in one run.
    pub unfinished: Vec<(usize, Option<String>, String)>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items {
            items: Vec::new(),
            needles: Vec::new(),
            unfinished: Vec::new(),
        }
    }
}

/// The collection a role key names: `companies` itself, or its singular
/// (`company`, `person` for `people`, `organisation`).
pub fn collection_for(key: &str, collections: &[String]) -> Option<String> {
    let key = key.trim().to_lowercase();
    let candidates = [
        key.clone(),
        format!("{key}s"),
        format!("{key}es"),
        key.strip_suffix('y')
            .map_or_else(String::new, |stem| format!("{stem}ies")),
        if key == "person" {
            "people".to_string()
        } else {
            String::new()
        },
    ];
    candidates
        .into_iter()
        .find(|c| !c.is_empty() && collections.contains(c))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Why `v`, given for `what`, names nothing: it is blank, or not text.
fn not_text(what: &str, v: &Value, wanted: &str) -> String {
    match v {
        Value::String(_) => format!("{what} is empty: it must {wanted}"),
        _ => format!("{what} must {wanted}, not {}", kind(v)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// The text that finds an item in the file: its target (the value of its
/// one key that is not `title`, `since`, `until` or `exclusive`), else any
/// text value.
fn needle(v: &Value) -> String {
    const KNOWN: [&str; 4] = ["title", "since", "until", "exclusive"];
    match v {
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !KNOWN.contains(&k.as_str()))
            .chain(map.iter())
            .find_map(|(_, v)| text(v))
            .unwrap_or_default(),
        other => text(other).unwrap_or_default(),
    }
}

struct Reader<'a> {
    list: List,
    collections: &'a [String],
    problems: Vec<Problem>,
    /// See [`Items::unfinished`].
    unfinished: Vec<(usize, Option<String>, String)>,
}

impl Reader<'_> {
    fn problem(&mut self, item: Option<usize>, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            list: self.list,
            item,
            message,
            hints: hint.into_iter().collect(),
            field: None,
        });
    }

    /// A problem with the key `field` of item `i`, located at that key.
    fn field_problem(&mut self, i: usize, field: &str, message: String, hint: Option<String>) {
        self.problem(Some(i), message, hint);
        if let Some(last) = self.problems.last_mut() {
            last.field = Some(field.to_string());
        }
    }

    /// The list's items, or a problem if it is not a list of mappings.
    fn items<'v>(&mut self, value: &'v Value) -> Vec<(usize, &'v Map<String, Value>)> {
        let key = self.list.key();
        let example = match self.list {
            List::Roles => "roles: [{company: acme, title: CEO}]",
            List::Relations => "relations: [{rival: acme}]",
        };
        let items = match value {
            Value::Null => return Vec::new(),
            Value::Array(items) => items,
            other => {
                let message = format!("`{key}` must be a list, not {}", kind(other));
                self.problem(None, message, Some(format!("write `{example}`")));
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Object(map) => out.push((i, map)),
                other => {
                    let message =
                        format!("an item of `{key}` must be a mapping, not {}", kind(other));
                    self.problem(Some(i), message, Some(format!("write `{example}`")));
                }
            }
        }
        out
    }

    fn date(&mut self, i: usize, key: &str, v: &Value) -> Option<Period> {
        let Some(t) = text(v) else {
            let message = format!("`{key}` must be a date, not {}", kind(v));
            self.field_problem(
                i,
                key,
                message,
                Some("write 2023, 2023-09 or 2023-09-05".into()),
            );
            return None;
        };
        match Period::parse(&t) {
            Ok(p) => Some(p),
            Err(m) => {
                self.field_problem(i, key, format!("`{key}`: {m}"), None);
                None
            }
        }
    }

    /// Reads `since` and `until`; true if `key` was one of them.
    fn term(&mut self, i: usize, key: &str, v: &Value, term: &mut Term) -> bool {
        match key {
            "since" => term.since = self.date(i, key, v),
            "until" => term.until = self.date(i, key, v),
            _ => return false,
        }
        true
    }

    fn check_term(&mut self, i: usize, term: &Term) {
        if term.is_reversed() {
            let message = format!("this term {} ends before it begins", term.describe());
            self.problem(Some(i), message, Some("swap `since` and `until`".into()));
        }
    }

    fn role(&mut self, i: usize, map: &Map<String, Value>) -> Option<RawRole> {
        let mut target: Option<(String, String)> = None;
        let mut title = None;
        let mut term = Term::default();
        let mut exclusive = None;
        let ok_before = self.problems.len();
        for (key, v) in map {
            if self.term(i, key, v, &mut term) {
                continue;
            }
            match key.as_str() {
                "title" => match text(v).filter(|t| !t.is_empty()) {
                    Some(t) => title = Some(t),
                    None => self.field_problem(i, "title", not_text("`title`", v, "be text"), None),
                },
                "exclusive" => match v {
                    Value::Bool(b) => exclusive = Some(*b),
                    other => {
                        let message =
                            format!("`exclusive` must be true or false, not {}", kind(other));
                        self.field_problem(i, "exclusive", message, None);
                    }
                },
                _ => match collection_for(key, self.collections) {
                    Some(_) if target.is_some() => {
                        let message =
                            "a role names one note: it has two collection keys".to_string();
                        self.field_problem(i, key, message, Some("write one role per item".into()));
                    }
                    Some(c) => match text(v).filter(|t| !t.is_empty()) {
                        Some(t) => target = Some((c, t)),
                        None => {
                            let message = not_text(&format!("`{key}`"), v, "name one note");
                            self.field_problem(i, key, message, None);
                        }
                    },
                    None => self.unknown_role_key(i, key),
                },
            }
        }
        if map.is_empty() || (target.is_none() && self.problems.len() == ok_before) {
            let message = "this role names no note: it needs a collection key".to_string();
            self.problem(
                Some(i),
                message,
                Some("write `{company: acme, title: CEO}`".into()),
            );
        }
        if title.is_none() && self.problems.len() == ok_before {
            self.problem(
                Some(i),
                "this role has no `title`".into(),
                Some("add `title: CEO`".into()),
            );
        }
        self.check_term(i, &term);
        let (collection, target) = target?;
        if self.problems.len() != ok_before {
            self.unfinished.push((i, Some(collection), target));
            return None;
        }
        Some(RawRole {
            collection,
            target,
            title: title.unwrap_or_default(),
            term,
            exclusive,
        })
    }

    fn unknown_role_key(&mut self, i: usize, key: &str) {
        let mut names: Vec<&str> = vec!["title", "since", "until", "exclusive"];
        names.extend(self.collections.iter().map(String::as_str));
        let mut hints = vec![format!(
            "a role has a collection key (such as `{}`), `title`, and optionally `since`, `until` and `exclusive`",
            self.collections.first().map_or("companies", String::as_str)
        )];
        if let Some(h) = crate::diag::did_you_mean(key, names) {
            hints.insert(0, h);
        }
        self.problems.push(Problem {
            list: self.list,
            item: Some(i),
            message: format!("unknown key `{key}` in a role: it is not a collection"),
            hints,
            field: Some(key.to_string()),
        });
    }

    fn relation(&mut self, i: usize, map: &Map<String, Value>) -> Option<RawRelation> {
        let mut found: Vec<(String, String)> = Vec::new();
        let mut term = Term::default();
        let ok_before = self.problems.len();
        for (key, v) in map {
            if self.term(i, key, v, &mut term) {
                continue;
            }
            match text(v).filter(|t| !t.is_empty()) {
                Some(t) if !key.trim().is_empty() => found.push((key.trim().to_string(), t)),
                Some(t) => {
                    let message = format!("the relation to `{t}` has no type: its key is empty");
                    self.problem(Some(i), message, Some(format!("write `{{rival: {t}}}`")));
                }
                None => {
                    let message = not_text(&format!("the relation `{key}`"), v, "name one note");
                    self.problem(Some(i), message, Some("write `{rival: acme}`".into()));
                }
            }
        }
        if found.len() > 1 {
            // Named in the order they are kept in (sorted), not as written.
            let names: Vec<String> = found.iter().map(|(k, _)| format!("`{k}`")).collect();
            let items: Vec<String> = found.iter().map(|(k, t)| format!("{{{k}: {t}}}")).collect();
            self.problem(
                Some(i),
                format!(
                    "a relation has one type, but this one has {}",
                    crate::diag::and_list(&names)
                ),
                Some(format!(
                    "write one relation per item: [{}]",
                    items.join(", ")
                )),
            );
        }
        let found = if found.len() == 1 { found.pop() } else { None };
        if found.is_none() && self.problems.len() == ok_before {
            let message = "this relation has no type and target".to_string();
            self.problem(Some(i), message, Some("write `{rival: acme}`".into()));
        }
        self.check_term(i, &term);
        let (kind, target) = found?;
        if self.problems.len() != ok_before {
            self.unfinished.push((i, None, target));
            return None;
        }
        Some(RawRelation { kind, target, term })
    }
}

/// Reads one note's `roles` list.
pub fn roles(value: &Value, collections: &[String]) -> (Items<RawRole>, Vec<Problem>) {
    let mut reader = Reader {
        list: List::Roles,
        collections,
        problems: Vec::new(),
        unfinished: Vec::new(),
    };
    let mut out = Items::default();
    if let Value::Array(all) = value {
        out.needles = all.iter().map(needle).collect();
    }
    for (i, map) in reader.items(value) {
        if let Some(role) = reader.role(i, map) {
            out.items.push((i, role));
        }
    }
    out.unfinished = reader.unfinished;
    (out, reader.problems)
}

/// Reads one note's `relations` list.
pub fn relations(value: &Value) -> (Items<RawRelation>, Vec<Problem>) {
    let mut reader = Reader {
        list: List::Relations,
        collections: &[],
        problems: Vec::new(),
        unfinished: Vec::new(),
    };
    let mut out = Items::default();
    if let Value::Array(all) = value {
        out.needles = all.iter().map(needle).collect();
    }
    for (i, map) in reader.items(value) {
        if let Some(rel) = reader.relation(i, map) {
            out.items.push((i, rel));
        }
    }
    out.unfinished = reader.unfinished;
    (out, reader.problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cols() -> Vec<String> {
        vec!["companies".into(), "people".into(), "topics".into()]
    }

    #[test]
    fn singular_keys_name_collections() {
        let c = cols();
        assert_eq!(collection_for("company", &c).as_deref(), Some("companies"));
        assert_eq!(
            collection_for("companies", &c).as_deref(),
            Some("companies")
        );
        assert_eq!(collection_for("person", &c).as_deref(), Some("people"));
        assert_eq!(collection_for("topic", &c).as_deref(), Some("topics"));
        assert_eq!(collection_for("title", &c), None);
    }

    #[test]
    fn blank_values_and_keys_are_told_as_empty() {
        let messages = |problems: Vec<Problem>| -> Vec<String> {
            problems.into_iter().map(|p| p.message).collect()
        };
        let (_, p) = roles(&json!([{"company": "tidewater", "title": " "}]), &cols());
        assert_eq!(messages(p), ["`title` is empty: it must be text"]);
        let (_, p) = roles(&json!([{"company": "", "title": "CEO"}]), &cols());
        assert_eq!(messages(p), ["`company` is empty: it must name one note"]);
        let (_, p) = roles(&json!([{"company": "x", "title": ["a"]}]), &cols());
        assert_eq!(messages(p), ["`title` must be text, not a list"]);
        let (_, p) = relations(&json!([{"": "tidewater"}]));
        assert_eq!(
            messages(p),
            ["the relation to `tidewater` has no type: its key is empty"]
        );
        let (_, p) = relations(&json!([{"rival": ""}]));
        assert_eq!(
            messages(p),
            ["the relation `rival` is empty: it must name one note"]
        );
    }

    #[test]
    fn roles_are_read_with_terms() {
        let v = json!([{"company": "alibaba", "title": "CEO", "until": "2023-09", "since": 2015}]);
        let (items, problems) = roles(&v, &cols());
        assert!(problems.is_empty(), "{problems:?}");
        let (i, role) = &items.items[0];
        assert_eq!(*i, 0);
        assert_eq!(role.collection, "companies");
        assert_eq!(role.term.describe(), "from 2015 until 2023-09");
        assert_eq!(items.needles, vec!["alibaba".to_string()]);
    }

    #[test]
    fn every_problem_of_every_item_is_reported() {
        let v = json!([
            {"compny": "alibaba", "title": "CEO"},
            {"company": "alibaba"},
            "alibaba",
            {"company": "alibaba", "title": "CEO", "since": "2024", "until": "2020"},
            {"company": "alibaba", "title": "CEO", "since": "soon"}
        ]);
        let (items, problems) = roles(&v, &cols());
        assert!(items.items.is_empty());
        let mut problems = problems;
        problems.sort_by_key(|p| p.item);
        let at: Vec<Option<usize>> = problems.iter().map(|p| p.item).collect();
        assert_eq!(at, vec![Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert!(problems[0].hints[0].contains("did you mean \"companies\""));
        assert!(problems[1].message.contains("no `title`"));
        assert!(problems[3].message.contains("ends before it begins"));
    }

    #[test]
    fn relations_have_one_type_each() {
        let v =
            json!([{"rival": "netease"}, {"owns": "scmp", "since": "2016"}, {"a": "x", "b": "y"}]);
        let (items, problems) = relations(&v);
        assert_eq!(items.items.len(), 2);
        assert_eq!(items.items[1].1.kind, "owns");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].item, Some(2));
        let (_, problems) = relations(&json!({"rival": "netease"}));
        assert!(problems[0].message.contains("must be a list"));
    }
}
