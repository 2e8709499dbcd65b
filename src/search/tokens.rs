//! The search tokenizer. `themes/default/static/search.js` implements the
//! same rules for queries; the two must agree, and a test pins both.
//!
//! Rules: lowercase, a character at a time (a final sigma becomes a
//! sigma); words are runs of letters (with the vowel signs and other
//! marks Unicode counts as alphabetic) and digits; Chinese,
//! Japanese and Korean runs become overlapping character pairs (a single
//! character stands alone); English words lose a few common suffixes; a
//! short list of stop words is dropped.

/// Words too common to index.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this", "to",
    "was", "were", "will", "with",
];

/// Is `c` a Chinese, Japanese or Korean character?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FA1F)
}

/// Strips a few English suffixes: `companies` -> `company`,
/// `chips` -> `chip`, `restricted` -> `restrict`, `racing` -> `rac`.
pub fn stem(word: &str) -> String {
    let mut out = word.to_string();
    stem_in_place(&mut out);
    out
}

/// Strips the suffixes [`stem`] strips, in place: every rule cuts the
/// end off (and `ies` becomes `y`), so no copy is needed.
fn stem_in_place(word: &mut String) {
    let n = word.len();
    if n <= 3 || !word.is_ascii() {
        return;
    }
    if n > 4 && word.ends_with("ies") {
        word.truncate(n - 3);
        word.push('y');
    } else if word.ends_with("sses") {
        word.truncate(n - 2);
    } else if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        word.truncate(n - 1);
    }
    if word.len() > 5 && word.ends_with("ing") {
        word.truncate(word.len() - 3);
    } else if word.len() > 4 && word.ends_with("ed") {
        word.truncate(word.len() - 2);
    }
}

/// Splits text into index terms, in order (duplicates kept).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, |t| out.push(t.to_string()));
    out
}

/// Is `word` (lowercase) one of [`STOP_WORDS`]? A `match`, which the
/// compiler turns into a switch on length and a few byte comparisons.
fn is_stop(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "he"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "she"
            | "that"
            | "the"
            | "their"
            | "they"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
    )
}

/// For each byte, its lowercase form if it is an ASCII letter or digit,
/// else 0: one load tells a word byte and lowercases it.
static LOWER: [u8; 256] = {
    let mut lower = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            lower[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    lower
};

/// Calls `f` with every index term of `text`, in order, without
/// allocating per term.
pub fn each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::with_capacity(32);
    let mut cjk: Vec<char> = Vec::new();
    let mut pair = String::with_capacity(8);
    // After an apostrophe inside a word: skip the rest (`'s`, `'ll`).
    let mut skip_tail = false;
    // Both flushes run at every space and sign, and most of those end
    // only a word: each returns at once when it has nothing to flush, and
    // the pairs of a CJK run are made out of line, in `cjk_pairs`.
    let flush_word = |word: &mut String, f: &mut dyn FnMut(&str)| {
        if word.is_empty() {
            return;
        }
        if !is_stop(word) {
            stem_in_place(word);
            f(word);
        }
        word.clear();
    };
    let mut flush_cjk = |cjk: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        if !cjk.is_empty() {
            cjk_pairs(cjk, &mut pair, f);
            cjk.clear();
        }
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            at += 1;
            let lower = LOWER[usize::from(b)];
            if lower != 0 {
                flush_cjk(&mut cjk, &mut f);
                // The rest of the run of ASCII letters and digits.
                if skip_tail {
                    while at < bytes.len() && LOWER[usize::from(bytes[at])] != 0 {
                        at += 1;
                    }
                } else {
                    word.push(char::from(lower));
                    while let Some(&next) = bytes.get(at) {
                        let lower = LOWER[usize::from(next)];
                        if lower == 0 {
                            break;
                        }
                        word.push(char::from(lower));
                        at += 1;
                    }
                }
                continue;
            }
            if b == b'\'' && !word.is_empty() {
                flush_word(&mut word, &mut f);
                skip_tail = true;
                continue;
            }
            flush_word(&mut word, &mut f);
            flush_cjk(&mut cjk, &mut f);
            skip_tail = false;
            continue;
        }
        // `at` is on a character boundary: it moves by whole characters.
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        for c in c.to_lowercase() {
            // A final sigma is a sigma: `ΟΔΟΣ` and `οδος` are one word.
            let c = if c == 'ς' { 'σ' } else { c };
            if is_cjk(c) {
                flush_word(&mut word, &mut f);
                skip_tail = false;
                cjk.push(c);
            } else if c.is_alphanumeric() {
                flush_cjk(&mut cjk, &mut f);
                if !skip_tail {
                    word.push(c);
                }
            } else if c == '\u{2019}' && !word.is_empty() {
                flush_word(&mut word, &mut f);
                skip_tail = true;
            } else {
                flush_word(&mut word, &mut f);
                flush_cjk(&mut cjk, &mut f);
                skip_tail = false;
            }
        }
    }
    flush_word(&mut word, &mut f);
    flush_cjk(&mut cjk, &mut f);
}

/// The terms of a CJK run: overlapping pairs, or the single character.
#[inline(never)]
fn cjk_pairs(cjk: &[char], pair: &mut String, f: &mut dyn FnMut(&str)) {
    if let [c] = cjk {
        pair.clear();
        pair.push(*c);
        f(pair);
    }
    for w in cjk.windows(2) {
        pair.clear();
        pair.push(w[0]);
        pair.push(w[1]);
        f(pair);
    }
}

/// 32-bit FNV-1a of the term's UTF-8 bytes: picks the term's shard.
pub fn fnv1a(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_stem_and_stop_words_drop() {
        assert_eq!(
            tokens("The companies' AI chips, restricted!"),
            ["company", "ai", "chip", "restrict"]
        );
        assert_eq!(tokens("Alibaba's cloud"), ["alibaba", "cloud"]);
        assert_eq!(tokens("NetEase"), ["netease"]);
    }

    #[test]
    fn cjk_runs_become_pairs() {
        assert_eq!(
            tokens("阿里巴巴集团"),
            ["阿里", "里巴", "巴巴", "巴集", "集团"]
        );
        assert_eq!(tokens("网易 AI"), ["网易", "ai"]);
        assert_eq!(tokens("中"), ["中"]);
    }

    #[test]
    fn vowel_signs_stay_in_their_word_and_a_final_sigma_is_a_sigma() {
        // `ु` and `ं` are marks Unicode counts as alphabetic.
        assert_eq!(tokens("मुंबई port"), ["मुंबई", "port"]);
        assert_eq!(tokens("ΟΔΟΣ"), ["οδοσ"]);
        assert_eq!(tokens("οδος"), ["οδοσ"]);
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        for w in STOP_WORDS {
            assert!(is_stop(w), "{w} is a stop word");
        }
        let stops = ["a", "an", "and", "the", "with", "will"];
        for w in ["", "ab", "andy", "them", "within", "thee", "i"] {
            assert_eq!(is_stop(w), STOP_WORDS.contains(&w), "{w}");
        }
        assert!(stops.iter().all(|w| is_stop(w)));
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    /// The rules of the module's header, one character at a time: what
    /// [`each_token`] must give.
    fn by_the_rules(text: &str) -> Vec<String> {
        let (mut out, mut word, mut cjk) = (Vec::new(), String::new(), Vec::<char>::new());
        let mut skip_tail = false;
        let flush = |word: &mut String, cjk: &mut Vec<char>, out: &mut Vec<String>| {
            if !word.is_empty() && !STOP_WORDS.contains(&word.as_str()) {
                let mut s = word.clone();
                if s.is_ascii() && s.len() > 3 {
                    if s.len() > 4 && s.ends_with("ies") {
                        s.truncate(s.len() - 3);
                        s.push('y');
                    } else if s.ends_with("sses") {
                        s.truncate(s.len() - 2);
                    } else if s.ends_with('s') && !["ss", "us", "is"].iter().any(|e| s.ends_with(e))
                    {
                        s.pop();
                    }
                    if s.len() > 5 && s.ends_with("ing") {
                        s.truncate(s.len() - 3);
                    } else if s.len() > 4 && s.ends_with("ed") {
                        s.truncate(s.len() - 2);
                    }
                }
                out.push(s);
            }
            word.clear();
            match cjk.len() {
                0 => {}
                1 => out.push(cjk[0].to_string()),
                _ => out.extend(cjk.windows(2).map(|w| w.iter().collect())),
            }
            cjk.clear();
        };
        for c in text.chars().flat_map(char::to_lowercase) {
            if is_cjk(c) {
                let mut none = Vec::new();
                flush(&mut word, &mut none, &mut out);
                skip_tail = false;
                cjk.push(c);
            } else if c.is_alphanumeric() {
                let mut none = String::new();
                flush(&mut none, &mut cjk, &mut out);
                if !skip_tail {
                    word.push(c);
                }
            } else if (c == '\'' || c == '\u{2019}') && !word.is_empty() {
                flush(&mut word, &mut Vec::new(), &mut out);
                skip_tail = true;
            } else {
                flush(&mut word, &mut cjk, &mut out);
                skip_tail = false;
            }
        }
        flush(&mut word, &mut cjk, &mut out);
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn tokens_follow_the_rules(text in "[a-zA-Z0-9 .,'\u{2019}\u{e9}\u{c9}\u{130}\u{df}\u{4e2d}\u{6587}\u{ac00}\u{3000}-]{0,40}") {
            proptest::prop_assert_eq!(tokens(&text), by_the_rules(&text));
        }
    }

    #[test]
    fn stems_take_off_one_plural_then_one_ending() {
        for (word, stemmed) in [
            ("companies", "company"),
            ("ties", "tie"),
            ("classes", "class"),
            ("chips", "chip"),
            ("status", "status"),
            ("analysis", "analysis"),
            ("restricted", "restrict"),
            ("racing", "rac"),
            ("listings", "list"),
            ("bed", "bed"),
            ("caf\u{e9}s", "caf\u{e9}s"),
        ] {
            assert_eq!(stem(word), stemmed, "{word}");
        }
    }

    #[test]
    fn shard_hash_is_fnv1a() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
