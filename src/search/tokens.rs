//! The search tokenizer. `themes/default/static/search.js` implements the
//! same rules for queries; the two must agree, and a test pins both.
//!
//! Rules: lowercase; words are runs of letters and digits; Chinese,
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
    let n = word.chars().count();
    if !word.is_ascii() || n <= 3 {
        return word.to_string();
    }
    let mut w = word.to_string();
    if n > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    if w.len() > 5 && w.ends_with("ing") {
        w.truncate(w.len() - 3);
    } else if w.len() > 4 && w.ends_with("ed") {
        w.truncate(w.len() - 2);
    }
    w
}

/// Splits text into index terms, in order (duplicates kept).
pub fn tokens(text: &str) -> Vec<String> {
    let mut t = Tokenizer::default();
    for c in text.chars().flat_map(char::to_lowercase) {
        t.push(c);
    }
    t.flush_word();
    t.flush_cjk();
    t.out
}

#[derive(Default)]
struct Tokenizer {
    out: Vec<String>,
    word: String,
    cjk: Vec<char>,
    /// After an apostrophe inside a word: skip the rest (`'s`, `'ll`).
    skip_tail: bool,
}

impl Tokenizer {
    fn flush_word(&mut self) {
        if !self.word.is_empty() && !STOP_WORDS.contains(&self.word.as_str()) {
            self.out.push(stem(&self.word));
        }
        self.word.clear();
    }

    fn flush_cjk(&mut self) {
        match self.cjk.len() {
            0 => {}
            1 => self.out.push(self.cjk[0].to_string()),
            _ => self
                .out
                .extend(self.cjk.windows(2).map(|p| p.iter().collect::<String>())),
        }
        self.cjk.clear();
    }

    fn push(&mut self, c: char) {
        if is_cjk(c) {
            self.flush_word();
            self.skip_tail = false;
            self.cjk.push(c);
        } else if c.is_alphanumeric() {
            self.flush_cjk();
            if !self.skip_tail {
                self.word.push(c);
            }
        } else if (c == '\'' || c == '\u{2019}') && !self.word.is_empty() {
            self.flush_word();
            self.skip_tail = true;
        } else {
            self.flush_word();
            self.flush_cjk();
            self.skip_tail = false;
        }
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
    fn shard_hash_is_fnv1a() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
