//! The generated corpus as plain data, before any format writes it: notes
//! with typed front matter and bodies made of text and links, so one corpus
//! can be written as a brief, Hugo or Zola site with the same prose.

/// The four collections of a generated site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coll {
    Stories,
    Companies,
    People,
    Topics,
}

impl Coll {
    /// The folder name, which is also the front-matter key.
    pub fn dir(self) -> &'static str {
        match self {
            Coll::Stories => "stories",
            Coll::Companies => "companies",
            Coll::People => "people",
            Coll::Topics => "topics",
        }
    }
}

/// How a link to another note is written in brief's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `[[slug]]` (or `[[slug|label]]`).
    Slug,
    /// `[[collection/slug]]`.
    Qualified,
    /// `[[Title|label]]`.
    Titled,
    /// `[label](../collection/slug.md)`.
    Relative,
}

/// A link from one note's body to another note (or a stub topic).
#[derive(Debug, Clone)]
pub struct Link {
    /// The target's collection.
    pub coll: Coll,
    /// The target's slug.
    pub slug: String,
    /// The target's title (what brief shows for an unlabelled wikilink).
    pub title: String,
    /// How it is written.
    pub form: Form,
    /// The text shown, if not the title.
    pub label: Option<String>,
    /// Does the target have a note of its own? (False for stub topics.)
    pub exists: bool,
}

impl Link {
    /// The text a reader sees.
    pub fn text(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.title)
    }
}

/// A piece of a body.
#[derive(Debug, Clone)]
pub enum Seg {
    /// Markdown written as is.
    Text(String),
    /// A link, written per format.
    Link(Link),
}

/// A fact in front matter.
#[derive(Debug, Clone)]
pub enum Fact {
    /// A quoted string.
    Str(String),
    /// A bare integer.
    Int(i64),
}

/// One note.
#[derive(Debug, Clone)]
pub struct Doc {
    pub coll: Coll,
    pub slug: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub summary: Option<String>,
    /// Reference lists by collection, as slugs.
    pub refs: Vec<(Coll, Vec<String>)>,
    /// `source: {name, url}`.
    pub source: Option<(String, String)>,
    /// Free keys such as `headquarters` or `role`.
    pub facts: Vec<(&'static str, Fact)>,
    pub body: Vec<Seg>,
}

/// A collection's or the home page's intro.
#[derive(Debug, Clone)]
pub struct Intro {
    /// `None` for the home page.
    pub coll: Option<Coll>,
    pub title: String,
    pub summary: String,
    pub text: String,
}

/// Builds a body piece by piece.
#[derive(Debug, Default)]
pub struct Body(pub Vec<Seg>);

impl Body {
    /// Appends text, merging with the text before it.
    pub fn text(&mut self, s: &str) -> &mut Self {
        if let Some(Seg::Text(t)) = self.0.last_mut() {
            t.push_str(s);
        } else {
            self.0.push(Seg::Text(s.to_string()));
        }
        self
    }

    /// Appends a link.
    pub fn link(&mut self, link: Link) -> &mut Self {
        self.0.push(Seg::Link(link));
        self
    }
}
