//! The per-note [`Resolver`] that `markdown` calls for wikilinks and
//! relative `.md` links, and the registry of stub pages requested while
//! bodies render in parallel.
//!
//! Stub ids handed out during rendering are provisional (their order depends
//! on thread timing); `settle` sorts the stubs and renumbers every reference
//! so the result is deterministic.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use super::names::{Lookup, NameIndex};
use super::{key_text, Stub};
use crate::content::slugify;
use crate::markdown::{Rendered, Resolver, Target, Unresolved};
use crate::urls::{note_route, Urls};

/// Provisional stub ids start here, far above any real id.
const PROVISIONAL: u32 = 1 << 31;

/// Is `id` a stub's provisional id, handed out before the stubs settle?
pub fn is_provisional(id: u32) -> bool {
    id >= PROVISIONAL
}

#[derive(Default)]
struct Pending {
    by_key: HashMap<(String, String), u32>,
    stubs: Vec<Stub>,
    /// Each pending stub's spellings, for its title.
    spellings: Vec<Vec<Spelling>>,
}

/// One way a stub's name is written, how often, and where first.
struct Spelling {
    text: String,
    uses: u32,
    first: Place,
}

/// Where a reference is written, in the order of the site's files: the
/// note's place among the notes, then the reference's among those of its
/// front matter (or of its body: bodies ask, in a registry of their own,
/// only for stubs no front matter names). Notes that cannot be built
/// come last.
pub type Place = (u32, u32);

/// Why a name gets no stub page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoStub {
    /// It has no letter or digit to make a slug of.
    Unnamed,
    /// Its slug would be this many bytes long, more than a file name holds
    /// ([`crate::content::MAX_SLUG_BYTES`], as for a note's own slug).
    TooLong(usize),
}

impl NoStub {
    /// The problem, told of `what` (`reference "x" in `topics``, `link
    /// [[topics/x]]`).
    pub fn message(self, what: &str) -> String {
        match self {
            NoStub::Unnamed => format!("{what} has no letter or digit to name a page by"),
            NoStub::TooLong(n) => format!(
                "{what} would name a page whose slug is {n} bytes long; at most {} fit in a file name",
                crate::content::MAX_SLUG_BYTES
            ),
        }
    }

    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            NoStub::Unnamed => "write the name of the note it refers to",
            NoStub::TooLong(_) => "write a shorter name, or the note it refers to",
        }
    }
}

/// Stub pages requested by references to missing notes.
pub struct StubRequests {
    collections: Vec<String>,
    pending: Mutex<Pending>,
}

impl StubRequests {
    /// Accepts requests in the given `stubs` collections.
    pub fn new(collections: Vec<String>) -> Self {
        StubRequests {
            collections,
            pending: Mutex::new(Pending::default()),
        }
    }

    /// Does `collection` create stubs?
    pub fn allows(&self, collection: &str) -> bool {
        self.collections.iter().any(|c| c == collection)
    }

    /// A provisional id for a stub named `text` in `collection`, written
    /// at `place`.
    pub fn request(&self, collection: &str, text: &str, place: Place) -> Result<u32, NoStub> {
        let slug = slugify(text);
        if slug.is_empty() {
            return Err(NoStub::Unnamed);
        }
        if slug.len() > crate::content::MAX_SLUG_BYTES {
            return Err(NoStub::TooLong(slug.len()));
        }
        let mut pending = match self.pending.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        let text = text.trim();
        let key = (collection.to_string(), slug.clone());
        if let Some(&id) = pending.by_key.get(&key) {
            let spellings = &mut pending.spellings[(id - PROVISIONAL) as usize];
            match spellings.iter_mut().find(|s| s.text == text) {
                Some(s) => {
                    s.uses += 1;
                    s.first = s.first.min(place);
                }
                None => spellings.push(Spelling {
                    text: text.to_string(),
                    uses: 1,
                    first: place,
                }),
            }
            return Ok(id);
        }
        let id = PROVISIONAL + pending.stubs.len() as u32;
        pending.by_key.insert(key, id);
        pending.stubs.push(Stub {
            collection: collection.to_string(),
            slug,
            title: text.to_string(),
        });
        pending.spellings.push(vec![Spelling {
            text: text.to_string(),
            uses: 1,
            first: place,
        }]);
        Ok(id)
    }

    /// The title of a requested stub.
    fn title(&self, id: u32) -> String {
        let Ok(pending) = self.pending.lock() else {
            return String::new();
        };
        pending
            .stubs
            .get(id.wrapping_sub(PROVISIONAL) as usize)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    /// The provisional route of a requested stub.
    fn route(&self, id: u32) -> Option<String> {
        let pending = self.pending.lock().ok()?;
        let stub = pending.stubs.get((id - PROVISIONAL) as usize)?;
        Some(note_route(Some(&stub.collection), &[], &stub.slug))
    }

    /// Adds the requested stubs, sorted, to the index and renumbers every
    /// provisional id in `refs` and `bodies`.
    pub fn settle(
        self,
        index: &mut NameIndex,
        stubs: &mut Vec<Stub>,
        routes: &mut Vec<String>,
        refs: &mut [Vec<(String, Vec<u32>)>],
        bodies: &mut [Rendered],
    ) {
        let mut pending = match self.pending.into_inner() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        // A stub is titled as its references write it most often, and of
        // spellings used as often, as the first written: not as whichever
        // thread asked first. A reference written as the slug itself
        // (`ship-yards`) names no spelling while another is written.
        for (stub, spellings) in pending.stubs.iter_mut().zip(&pending.spellings) {
            let best = spellings.iter().max_by(|a, b| {
                (a.text != stub.slug)
                    .cmp(&(b.text != stub.slug))
                    .then(a.uses.cmp(&b.uses))
                    .then(b.first.cmp(&a.first))
            });
            if let Some(best) = best {
                stub.title.clone_from(&best.text);
            }
        }
        let mut order: Vec<usize> = (0..pending.stubs.len()).collect();
        order.sort_by(|&a, &b| pending.stubs[a].cmp(&pending.stubs[b]));
        let mut final_id = vec![0u32; pending.stubs.len()];
        for i in order {
            let stub = pending.stubs[i].clone();
            let key = format!("{}/{}", stub.collection, stub.slug);
            let id = index.add(
                Some(stub.collection.clone()),
                key,
                &stub.slug,
                vec![stub.title.clone()],
            );
            routes.push(note_route(Some(&stub.collection), &[], &stub.slug));
            stubs.push(stub);
            final_id[i] = id;
        }
        let renumber = |id: &mut u32| {
            if *id >= PROVISIONAL {
                *id = final_id[(*id - PROVISIONAL) as usize];
            }
        };
        for lists in refs.iter_mut() {
            for (_, ids) in lists.iter_mut() {
                ids.iter_mut().for_each(renumber);
            }
        }
        for body in bodies.iter_mut() {
            body.links.iter_mut().for_each(|l| renumber(&mut l.target));
        }
    }
}

/// Resolves links written in one note's body.
pub struct NoteResolver<'a> {
    /// Every name.
    pub index: &'a NameIndex,
    /// The folder of the file whose body this is, relative to the site root.
    pub dir: &'a Path,
    /// Note ids by lowercase file path.
    pub by_path: &'a HashMap<String, u32>,
    /// Routes by id.
    pub routes: &'a [String],
    /// URL maker.
    pub urls: &'a Urls,
    /// Where missing stub-collection links go.
    pub stubs: &'a StubRequests,
    /// The notes, for those that failed to load: links to them are not
    /// reported again.
    pub corpus: &'a crate::content::Corpus,
    /// Unknown links so far: past the per-file cap no did-you-mean is
    /// computed (each costs a pass over every name).
    pub failures: std::cell::Cell<usize>,
    /// Where this body's next stub request is written ([`Place`]).
    pub place: std::cell::Cell<Place>,
}

impl NoteResolver<'_> {
    fn target(&self, id: u32) -> Target {
        let route = if id >= PROVISIONAL {
            self.stubs.route(id).unwrap_or_default()
        } else {
            self.routes.get(id as usize).cloned().unwrap_or_default()
        };
        Target {
            url: self.urls.path(&route),
            id,
            title: self.index.title(id).unwrap_or_else(|| self.stubs.title(id)),
            named: false,
        }
    }
}

impl NoteResolver<'_> {
    /// For a broken `.md` link, the notes whose file has the name it
    /// names, as links from this note: `did you mean "2024/order.md"?`.
    fn same_name(&self, path: &str) -> Option<String> {
        // A pass over every note: for the first broken links of a file only.
        self.failures.set(self.failures.get() + 1);
        if self.failures.get() > crate::diag::MAX_PER_FILE {
            return None;
        }
        let name = path.rsplit('/').next()?.replace("%20", " ");
        let name = key_text(name);
        let mut found: Vec<String> = self
            .corpus
            .notes
            .iter()
            .filter(|n| {
                n.path
                    .file_name()
                    .is_some_and(|f| key_text(f.to_string_lossy().into_owned()) == name)
            })
            .map(|n| relative_path(self.dir, &n.path))
            .collect();
        found.sort();
        found.truncate(3);
        let quoted: Vec<String> = found.iter().map(|p| format!("\"{p}\"")).collect();
        (!quoted.is_empty()).then(|| {
            format!(
                "did you mean {}? (paths are relative to this note's file)",
                quoted.join(" or ")
            )
        })
    }

    /// A did-you-mean for the first unknown links of a file only; without
    /// one, for a bare name in a site with stubs, how to link a page not
    /// written yet.
    fn hint(&self, target: &str) -> Vec<String> {
        self.failures.set(self.failures.get() + 1);
        if self.failures.get() > crate::diag::MAX_PER_FILE {
            return Vec::new();
        }
        if let Some(draft) = self.corpus.draft_hint(None, target) {
            return vec![draft];
        }
        if let Some(near) = self.index.hint(target, None) {
            return vec![near];
        }
        let with_stubs = &self.stubs.collections;
        match with_stubs.first() {
            Some(collection) if !target.contains('/') && with_stubs.len() == 1 => vec![format!(
                "to link a page not written yet, name its collection: [[{collection}/{}]]",
                target.trim()
            )],
            Some(collection) if !target.contains('/') => vec![format!(
                "to link a page not written yet, name its collection ({}): [[{collection}/{}]]",
                with_stubs.join(", "),
                target.trim()
            )],
            _ => Vec::new(),
        }
    }
}

impl Resolver for NoteResolver<'_> {
    fn wikilink(&self, target: &str) -> Result<Target, Unresolved> {
        if target.trim().is_empty() {
            // `[[ ]]`, `[[#]]`: no note named. (`[[#Heading]]`, a heading
            // of this note, is answered before a note is looked up.)
            return Err(Unresolved {
                message: "empty link [[]]: it names no note".to_string(),
                hints: vec![
                    "write a note's slug, title or alias inside, [[Alibaba]], or a heading: \
                     [[Alibaba#Cloud]], [[#Cloud]] for one of this note"
                        .to_string(),
                ],
                quiet: false,
            });
        }
        match self.index.lookup(target, None) {
            Lookup::Found(id) => Ok(Target {
                named: self.index.is_written_name(id, target),
                ..self.target(id)
            }),
            Lookup::Ambiguous(ids) => Err(Unresolved {
                message: format!(
                    "ambiguous link [[{target}]]: it names {}",
                    self.index.keys(&ids)
                ),
                hints: vec![self.index.pick_hint(&ids, true)],
                quiet: false,
            }),
            Lookup::Missing => {
                if let Some((collection, rest)) = target.split_once('/') {
                    if self.stubs.allows(collection) {
                        let place = self.place.get();
                        self.place.set((place.0, place.1.saturating_add(1)));
                        match self.stubs.request(collection, rest, place) {
                            // Its title is not settled until every body
                            // has asked: the body is rendered again then.
                            Ok(id) => return Ok(self.target(id)),
                            Err(no @ NoStub::TooLong(_)) => {
                                return Err(Unresolved {
                                    message: no.message(&format!(
                                        "link [[{}]]",
                                        crate::diag::excerpt(target)
                                    )),
                                    hints: vec![no.hint().to_string()],
                                    quiet: false,
                                })
                            }
                            Err(NoStub::Unnamed) => {}
                        }
                    }
                }
                Err(Unresolved {
                    message: format!(
                        "unknown link [[{target}]]: no note has this slug, title or alias"
                    ),
                    hints: self.hint(target),
                    quiet: self.corpus.may_name_broken(None, target),
                })
            }
        }
    }

    fn mention(&self, id: u32) -> Option<Target> {
        ((id as usize) < self.routes.len() && id < PROVISIONAL).then(|| self.target(id))
    }

    fn relative(&self, path: &str) -> Result<Target, Unresolved> {
        let key = relative_key(self.dir, &path.replace("%20", " "));
        match key.as_ref().and_then(|k| self.by_path.get(k).copied()) {
            Some(id) => Ok(self.target(id)),
            None => Err(Unresolved {
                quiet: key.is_some_and(|k| {
                    self.corpus.broken_paths.binary_search(&k).is_ok()
                        || self.corpus.may_be_unread(&k)
                }),
                message: format!("broken link to \"{path}\": no note at that path"),
                hints: vec![self.same_name(path).unwrap_or_else(|| {
                    "paths are relative to this note's file, e.g. ../companies/acme.md".to_string()
                })],
            }),
        }
    }
}

/// `to` as a link from a file in the folder `from`, both relative to the
/// site root: `../companies/acme.md`.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The key in `by_path` (see [`path_key`](super::path_key)) of `path`, a link relative to
/// the folder `dir`: `.` and `..` resolved lexically as `Path::components`
/// would, `None` if it climbs out of the site or either is absolute.
/// Worked on the text, a segment at a time: a path's components, a
/// `PathBuf` and the key's copies cost thousands of instructions a link.
fn relative_key(dir: &Path, path: &str) -> Option<String> {
    // What `Path` takes for a separator here (Windows takes both).
    let separators: &[char] = if cfg!(windows) { &['/', '\\'] } else { &['/'] };
    let dir = dir.to_string_lossy();
    if dir.starts_with(separators) || path.starts_with(separators) {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split(separators).chain(path.split(separators)) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(key_text(parts.join("/")))
}

#[cfg(test)]
mod tests {
    use std::path::{Component, Path, PathBuf};

    use proptest::prelude::*;

    use super::relative_key;
    use crate::graph::path_key;

    /// The key as first written: join, walk the components, `path_key`.
    fn key_by_components(dir: &Path, path: &str) -> Option<String> {
        let mut out = PathBuf::new();
        for c in dir.join(path).components() {
            match c {
                Component::Normal(p) => out.push(p),
                Component::CurDir => {}
                Component::ParentDir => {
                    if !out.pop() {
                        return None;
                    }
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(path_key(&out))
    }

    fn segments() -> impl Strategy<Value = String> {
        let segment = prop_oneof![
            Just(String::new()),
            Just(".".to_string()),
            Just("..".to_string()),
            Just("Acme Corp.md".to_string()),
            Just("a\\..\\b".to_string()),
            Just("Été".to_string()),
            "[a-zA-Z.]{1,4}",
        ];
        prop::collection::vec(segment, 0..5).prop_map(|s| s.join("/"))
    }

    proptest! {
        #[test]
        fn relative_keys_are_the_components_keys(
            dir in segments(),
            path in segments(),
            lead in prop_oneof![Just(""), Just("/"), Just("./")],
        ) {
            let path = format!("{lead}{path}");
            prop_assert_eq!(
                relative_key(Path::new(&dir), &path),
                key_by_components(Path::new(&dir), &path)
            );
        }
    }
}
