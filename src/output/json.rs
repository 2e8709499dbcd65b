//! JSON written by hand, for the files there are thousands of (search
//! documents, index shards) or that are large (the data export): a
//! string is escaped exactly as `serde_json` escapes it, but the blocks
//! with nothing to escape are copied whole.

/// Is `block` free of bytes a JSON string must escape? Written as a fold
/// over the whole block so that it vectorises.
fn json_plain(block: &[u8]) -> bool {
    block
        .iter()
        .fold(true, |all, &b| all & (b >= 0x20 && b != b'"' && b != b'\\'))
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it
/// (quote, backslash and control characters; the rest as it is). Blocks
/// with nothing to escape, nearly all of them, are copied whole.
pub fn push_json_str(out: &mut String, text: &str) {
    const BLOCK: usize = 32;
    out.push('"');
    let bytes = text.as_bytes();
    // Bytes before `done` are in `out`.
    let mut done = 0;
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes.len().min(at + BLOCK);
        if json_plain(&bytes[at..end]) {
            at = end;
            continue;
        }
        for i in at..end {
            let b = bytes[i];
            let short = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            // Escaped bytes are ASCII: `i` and `i + 1` are boundaries.
            out.push_str(&text[done..i]);
            if short.is_empty() {
                let hex = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(hex[usize::from(b >> 4)]));
                out.push(char::from(hex[usize::from(b & 0xf)]));
            } else {
                out.push_str(short);
            }
            done = i + 1;
        }
        at = end;
    }
    out.push_str(&text[done..]);
    out.push('"');
}

/// Appends each `(name, value)`: the name as given (with its quotes,
/// colon and any comma or brace before it), then the value as a string.
pub fn push_json_fields(out: &mut String, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        out.push_str(name);
        push_json_str(out, value);
    }
}

/// Appends an object `{"key":value,...}`, each value written by `value`.
pub fn push_json_object<'k, V>(
    out: &mut String,
    entries: impl IntoIterator<Item = (&'k str, V)>,
    mut value: impl FnMut(&mut String, V),
) {
    out.push('{');
    for (i, (key, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, key);
        out.push(':');
        value(out, v);
    }
    out.push('}');
}

/// Appends `null` or the string.
pub fn push_json_opt(out: &mut String, text: Option<&str>) {
    match text {
        Some(text) => push_json_str(out, text),
        None => out.push_str("null"),
    }
}

/// Appends a list of strings: `["a","b"]`.
pub fn push_json_strs<S: AsRef<str>>(out: &mut String, items: &[S]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(out, item.as_ref());
    }
    out.push(']');
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::push_json_str;

    /// Text with every kind of byte the JSON writer and `truncate` tell
    /// apart: controls, quotes, backslashes, whitespace, wide characters.
    pub(crate) fn awkward() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[a-z ]{0,40}",
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\u{7f}\u{1}\u{8}\u{b}\u{c}\u{1f}\t\r\n".to_string()),
            Just("阿里 \u{3000}\u{85}\u{a0}\u{2028}é".to_string()),
            any::<String>(),
        ];
        prop::collection::vec(pieces, 0..12).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn json_strings_are_written_as_serde_json_writes_them(
            text in awkward(),
        ) {
            let mut out = String::new();
            push_json_str(&mut out, &text);
            prop_assert_eq!(out, serde_json::to_string(&text).unwrap());
        }
    }
}
