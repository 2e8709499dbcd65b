//! A fast path for the front matter most notes have: one `key: value` per
//! line, where a value is a quoted or plain scalar on its own line, or a
//! `[flow, list]` or `{flow: mapping}` of such scalars.
//!
//! serde_yaml (libyaml underneath) spends some 19 µs on each such front
//! matter, about a tenth of `brief check`'s CPU time at 10,000 stories.
//! [`parse`] reads the common shapes in a fraction of that and gives up
//! (`None`) on anything else, which then goes to serde_yaml as before:
//! block lists, indented lines, escapes, anchors, tags, comments after a
//! value, numbers other than plain whole numbers, duplicate keys. Where it
//! gives an answer it is the `Value` serde_yaml would give for the same
//! text; `tests` compare the two over generated front matter built from
//! the awkward cases (keywords such as `true` and `null`, leading zeros,
//! dates, colons, `#`, quotes and brackets in odd places).

use serde_yaml::{Mapping, Number, Value};

/// The mapping serde_yaml would read from `yaml`, if `yaml` has only the
/// shapes this module knows; `None` otherwise (and for a document with no
/// key, which serde_yaml does not read as a mapping).
///
/// With the mapping come its keys as written, each with its byte offset in
/// `yaml`: what `frontmatter::top_keys` would find in the same text, here
/// for free, since every key starts a line.
pub fn parse(yaml: &str) -> Option<(Mapping, Vec<(&str, usize)>)> {
    if !all_printable(yaml) {
        return None;
    }
    let mut map = Mapping::new();
    let mut keys = Vec::new();
    let mut offset = 0;
    for line in yaml.split('\n') {
        let at = offset;
        offset += line.len() + 1;
        if line.bytes().all(|b| b == b' ') || line.starts_with('#') {
            continue;
        }
        let (key, rest) = split_key(line)?;
        let value = match rest.trim_matches(' ') {
            "" => Value::Null,
            v => block_value(v)?,
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            // serde_yaml reports the duplicate.
            return None;
        }
        keys.push((key, at));
    }
    (!map.is_empty()).then_some((map, keys))
}

/// Characters libyaml accepts in a document, less tabs, the other line
/// breaks (carriage return, U+0085, U+2028, U+2029) and the byte-order
/// mark, which this module leaves to serde_yaml.
fn all_printable(yaml: &str) -> bool {
    if yaml.is_ascii() {
        return yaml
            .bytes()
            .all(|b| b == b'\n' || (0x20..0x7f).contains(&b));
    }
    yaml.chars().all(|c| {
        matches!(c as u32,
            0x0A | 0x20..=0x7E | 0xA0..=0x2027 | 0x202A..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD | 0x1_0000..=0x10_FFFF)
    })
}

/// `key: rest` or `key:` at the start of a line, where the key is a
/// [`plain_key`].
fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    (plain_key(key) && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// The longest key libyaml reads as a simple key, in characters.
const MAX_KEY: usize = 1024;

/// A key YAML reads as the text written: letters, digits, `_`, `-` and
/// single spaces, a letter first, not a keyword such as `true`, and short
/// enough for libyaml.
fn plain_key(key: &str) -> bool {
    if key.len() > MAX_KEY {
        return false;
    }
    let first_is_letter = key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    let word = key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b' '));
    first_is_letter && word && !key.ends_with(' ') && !key.contains("  ") && !keyword(key)
}

/// Plain words YAML reads as something other than text.
fn keyword(s: &str) -> bool {
    matches!(
        s,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// A value after `key: `, without the spaces around it.
fn block_value(v: &str) -> Option<Value> {
    match v.as_bytes()[0] {
        b'"' | b'\'' => {
            let (s, rest) = quoted(v)?;
            rest.is_empty().then(|| Value::String(s.to_string()))
        }
        b'[' => flow(v.strip_prefix('[')?.strip_suffix(']')?, false),
        b'{' => flow(v.strip_prefix('{')?.strip_suffix('}')?, true),
        _ => {
            // A `#` after a space starts a comment, `: ` a mapping.
            if v.contains(" #") || v.contains(": ") || v.ends_with(':') {
                return None;
            }
            plain(v)
        }
    }
}

/// A quoted scalar at the start of `v` that needs no unescaping, and
/// what follows it.
fn quoted(v: &str) -> Option<(&str, &str)> {
    let quote = v.as_bytes()[0];
    let inner = &v[1..];
    let end = inner.bytes().position(|b| b == quote)?;
    let (s, rest) = (&inner[..end], &inner[end + 1..]);
    if quote == b'"' && s.contains('\\') || quote == b'\'' && rest.starts_with('\'') {
        return None;
    }
    Some((s, rest))
}

/// The items of a flow list or mapping between its brackets: quoted
/// scalars, or plain scalars of letters, digits, spaces and `-_./`.
fn flow(inner: &str, mapping: bool) -> Option<Value> {
    let mut rest = inner.trim_start_matches(' ');
    let mut items = Vec::new();
    let mut map = Mapping::new();
    while !rest.is_empty() {
        let (key, after) = if mapping {
            let (key, after) = rest.split_once(':')?;
            if !plain_key(key) || !after.starts_with(' ') {
                return None;
            }
            (Some(key), after.trim_start_matches(' '))
        } else {
            (None, rest)
        };
        let (item, after) = flow_item(after)?;
        match key {
            Some(key) => {
                if map.insert(Value::String(key.to_string()), item).is_some() {
                    return None;
                }
            }
            None => items.push(item),
        }
        rest = after.trim_start_matches(' ');
        if let Some(next) = rest.strip_prefix(',') {
            rest = next.trim_start_matches(' ');
            if rest.is_empty() {
                // A trailing comma: left to serde_yaml.
                return None;
            }
        } else if !rest.is_empty() {
            return None;
        }
    }
    Some(if mapping {
        Value::Mapping(map)
    } else {
        Value::Sequence(items)
    })
}

/// One item of a flow collection at the start of `s`, and what follows.
fn flow_item(s: &str) -> Option<(Value, &str)> {
    match s.as_bytes().first()? {
        b'"' | b'\'' => {
            let (item, rest) = quoted(s)?;
            Some((Value::String(item.to_string()), rest))
        }
        _ => {
            let end = s.find([',']).unwrap_or(s.len());
            let item = s[..end].trim_end_matches(' ');
            let safe = item.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_' | b'.' | b'/')
            });
            if item.is_empty() || !safe || item.contains("  ") {
                return None;
            }
            Some((plain(item)?, &s[end..]))
        }
    }
}

/// A plain scalar: text, unless it is a keyword or a number. Only whole
/// numbers written plainly and dates are told apart here; any other
/// scalar starting with a digit or a sign is left to serde_yaml.
fn plain(v: &str) -> Option<Value> {
    let first = v.as_bytes()[0];
    if matches!(
        first,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b'.'
            | b'+'
            | b'~'
    ) {
        return None;
    }
    match v {
        "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    if first.is_ascii_digit() {
        if v.bytes().all(|b| b.is_ascii_digit()) {
            if v.len() > 1 && first == b'0' {
                // YAML 1.2: a leading zero makes it text.
                return Some(Value::String(v.to_string()));
            }
            return v
                .parse::<u64>()
                .ok()
                .map(|n| Value::Number(Number::from(n)));
        }
        let date = v.len() == 10
            && v.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        return date.then(|| Value::String(v.to_string()));
    }
    Some(Value::String(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The mapping alone, as most tests want it.
    fn parse(yaml: &str) -> Option<Mapping> {
        super::parse(yaml).map(|(map, _)| map)
    }

    fn serde(yaml: &str) -> Option<Mapping> {
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(m)) => Some(m),
            _ => None,
        }
    }

    /// Where the fast path answers, it answers as serde_yaml does.
    fn agrees(yaml: &str) -> bool {
        match parse(yaml) {
            Some(fast) => serde(yaml).as_ref() == Some(&fast),
            None => true,
        }
    }

    #[test]
    fn reads_the_common_shapes_as_serde_yaml_does() {
        let yaml = "title: \"Acme reports growth (report 12)\"\ndate: 2020-08-05\n\
                    summary: Acme's chips, now in 3 markets.\ncompanies: [acme, globex]\n\
                    topics: []\nsource: {name: \"Market Herald\", url: \"https://x.example/a?b=c#d\"}\n\
                    founded: 1960\nticker: '0700'\nAI spending: about 12bn\ndraft: false\n\
                    url: https://x.example/a\n# a comment\n\nupdated:\n";
        let fast = parse(yaml).expect("every line has a known shape");
        assert_eq!(Some(fast), serde(yaml));
    }

    #[test]
    fn leaves_other_shapes_to_serde_yaml() {
        for yaml in [
            "aliases:\n  - A\n",
            "aliases:\n- A\n",
            "title: a\n  continued\n",
            "title: \"a \\\"b\\\"\"\n",
            "title: 'it''s'\n",
            "title: a # note\n",
            "title: \"a\" # note\n",
            "title: a: b\n",
            "title: &anchor a\n",
            "title: !tag a\n",
            "title: |\n  a\n",
            "n: 1.5\n",
            "n: -1\n",
            "n: 0x1f\n",
            "n: .inf\n",
            "n: 99999999999999999999999\n",
            "list: [a, [b]]\n",
            "list: [a, b,]\n",
            "map: {a: {b: c}}\n",
            "title: a\ntitle: b\n",
            "true: a\n",
            "\"title\": a\n",
            "title:\ta\n",
            "# only a comment\n",
            "",
        ] {
            assert_eq!(parse(yaml), None, "{yaml:?}");
        }
    }

    #[test]
    fn keys_longer_than_libyaml_allows_are_left_to_it() {
        for n in [MAX_KEY - 1, MAX_KEY, MAX_KEY + 1, 3000] {
            let k = "k".repeat(n);
            for yaml in [format!("{k}: a\n"), format!("x: {{{k}: b}}\n")] {
                assert!(agrees(&yaml), "{n}");
                assert_eq!(parse(&yaml).is_some(), n <= MAX_KEY, "{n}");
            }
        }
    }

    #[test]
    fn keywords_leading_zeros_and_dates_resolve_as_in_yaml() {
        for yaml in [
            "a: true\nb: False\nc: NULL\nd: ~x\ne: 0123\nf: 2024-02-30\ng: 2024-2-3\nh: nan\ni: inf\n",
            "a: [true, null, 0123, 12, 2020-01-01, no, yes, Off]\n",
            "a: {b: true, c: 7, d: x y}\n",
            "a: é\nb: 東京\nc: Zürich AG\n",
        ] {
            assert!(agrees(yaml), "{yaml:?}");
        }
    }

    #[test]
    fn a_company_note_as_gencorpus_writes_it_takes_the_fast_path() {
        // tests/gencorpus.rs checks every note of a generated site.
        let yaml = "title: \"Babada Holdings\"\naliases: [\"Babada\", \"Babada Group\"]\n\
                    summary: \"An industrial software company based in Beijing.\"\n\
                    people: [kenji-vanwenvan]\ntopics: [semiconductor-supply, property-markets]\n\
                    headquarters: \"Beijing\"\nfounded: 1960\nticker: \"BABA\"\n";
        assert_eq!(parse(yaml), serde(yaml));
        assert!(parse(yaml).is_some());
    }

    /// Scalars chosen to sit on the edges of YAML's rules.
    fn token_list() -> Vec<&'static str> {
        vec![
            "a",
            "Acme",
            "acme-corp",
            "AI spending",
            "x y",
            "true",
            "False",
            "NULL",
            "null",
            "~",
            "0",
            "7",
            "0123",
            "1960",
            "18446744073709551616",
            "1e5",
            "1.5",
            "-1",
            "+1",
            ".inf",
            "nan",
            "inf",
            "2020-08-05",
            "2020-8-5",
            "0x1f",
            "0o17",
            "a:b",
            "a: b",
            "a #b",
            "a#b",
            "#c",
            "'q'",
            "\"q\"",
            "'it''s'",
            "\"a\\\"b\"",
            "\"a,b\"",
            "'a, b'",
            "[a, b]",
            "[]",
            "[ a ]",
            "[a,b]",
            "[a, [b]]",
            "{a: b}",
            "{a: b, c: 1}",
            "{}",
            "{a:b}",
            "é",
            "東京",
            "a/b.c",
            "http://x.example/a",
            "-",
            "- a",
            "? a",
            "&x a",
            "*x",
            "!t a",
            "|",
            ">",
            "%a",
            "@a",
            "`a",
            ",a",
            "a,",
            "a  b",
            " ",
            "",
            "yes",
            "[a, ]",
            "[,a]",
            "{a: [b]}",
            "[\"a\", 'b', c d]",
            "a]",
            "a}",
            "\"\"",
            "''",
            "a [b]",
            "a {b}",
            "a \"b\"",
            "a 'b'",
            "a\\b",
            "a:",
            "a: ",
            "é:x",
            "x,y, z",
        ]
    }

    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(token_list())
    }

    fn key_list() -> Vec<&'static str> {
        vec![
            "title",
            "summary",
            "companies",
            "AI spending",
            "a-b",
            "a_b",
            "x1",
            "true",
            "null",
            "1",
            "\"title\"",
            "title ",
            "ti tle",
            "a  b",
            "-a",
            "#a",
        ]
    }

    fn key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(key_list())
    }

    fn line(key: &str, value: &str, shape: u8) -> String {
        match shape {
            0 => format!("{key}: {value}\n"),
            1 => format!("{key}:{value}\n"),
            2 => format!("{key}:  {value}  \n"),
            3 => format!("{key}: [{value}, {value}]\n"),
            4 => format!("{key}: {{k: {value}, l: {value}}}\n"),
            5 => format!("{key}: [{value}]\n"),
            _ => format!("  {key}: {value}\n"),
        }
    }

    #[test]
    fn every_key_token_and_shape_agrees() {
        let keys = key_list();
        let tokens = token_list();
        let mut answered = 0;
        for k in &keys {
            for v in &tokens {
                for shape in 0..7 {
                    let yaml = line(k, v, shape);
                    assert!(
                        agrees(&yaml),
                        "{yaml:?}: fast {:?}, serde_yaml {:?}",
                        parse(&yaml),
                        serde(&yaml)
                    );
                    answered += usize::from(parse(&yaml).is_some());
                }
            }
        }
        // The fast path must answer often enough for the comparison to mean something.
        assert!(answered > 1000, "{answered}");
    }

    #[test]
    fn the_sample_briefing_agrees() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut notes = 0;
        let mut answered = 0;
        for entry in walk_md(&content) {
            let text = std::fs::read_to_string(&entry).unwrap();
            let Ok(split) = crate::content::frontmatter::split(&text) else {
                continue;
            };
            notes += 1;
            assert!(agrees(split.yaml), "{}", entry.display());
            answered += usize::from(parse(split.yaml).is_some());
        }
        assert!(notes > 20 && answered * 2 > notes, "{answered} of {notes}");
    }

    fn walk_md(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(walk_md(&path));
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
        found
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn answers_several_lines_only_as_serde_yaml_does(
            lines in prop::collection::vec((key(), token(), 0..7u8), 1..4)
        ) {
            let yaml: String = lines.into_iter().map(|(k, v, shape)| line(k, v, shape)).collect();
            prop_assert!(agrees(&yaml), "{:?}: fast {:?}, serde_yaml {:?}", yaml, parse(&yaml), serde(&yaml));
        }

        /// The keys the fast path gives are the ones the front matter's
        /// key finder would find, at the same offsets.
        #[test]
        fn gives_the_keys_top_keys_finds(
            lines in prop::collection::vec((key(), token(), 0..7u8), 1..5),
            blank in 0..3usize,
        ) {
            let mut yaml: String = lines.into_iter().map(|(k, v, shape)| line(k, v, shape)).collect();
            yaml.insert_str(0, &"\n# note\n".repeat(blank));
            if let Some((_, keys)) = super::parse(&yaml) {
                prop_assert_eq!(keys, crate::content::frontmatter::top_keys(&yaml), "{:?}", yaml);
            }
        }
    }
}
