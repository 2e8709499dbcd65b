//! Links to a heading (`[[netease#ai-plans]]`, `[x](netease.md#ai-plans)`)
//! must name a heading the target page has: checked once every body is
//! rendered, since only then are the targets' heading ids known.

use std::path::Path;

use super::NameIndex;
use crate::diag::{Diagnostic, Diagnostics, Location, Locator};
use crate::markdown::Rendered;

/// One body whose links are checked, with where its text sits in its file.
pub struct Source<'a> {
    /// The file, relative to the site root.
    pub path: &'a Path,
    /// The Markdown body.
    pub body: &'a str,
    /// The file line of the body's first line.
    pub body_line: usize,
    /// What rendering it found.
    pub rendered: &'a Rendered,
}

/// The id as the author wrote it: a heading named like an id the page
/// keeps (`#Main`) is looked for as `main_1`, but told as `main`.
fn written_id(fragment: &str) -> &str {
    fragment
        .strip_suffix("_1")
        .filter(|id| crate::markdown::RESERVED_IDS.contains(id))
        .unwrap_or(fragment)
}

/// Reports every link whose `#fragment` names no heading of its target.
/// `bodies` are the notes' rendered bodies by id; stubs have none.
pub fn check(source: &Source<'_>, bodies: &[Rendered], index: &NameIndex, diags: &mut Diagnostics) {
    let mut locator: Option<Locator<'_>> = None;
    for link in &source.rendered.links {
        let Some(fragment) = &link.fragment else {
            continue;
        };
        let headings = bodies.get(link.target as usize).map(|b| &b.headings);
        if headings.is_some_and(|hs| hs.iter().any(|h| &h.id == fragment)) {
            continue;
        }
        let locator = locator.get_or_insert_with(|| Locator::new(source.body));
        let at = locator.locate(link.span.start);
        let location = Location::new(at.line + source.body_line - 1, at.col);
        let key = index.key(link.target);
        let hint = match headings.filter(|hs| !hs.is_empty()) {
            Some(hs) => {
                let ids: Vec<String> = hs.iter().take(8).map(|h| format!("#{}", h.id)).collect();
                format!("its headings: {}", ids.join(", "))
            }
            None => format!("{key} has no headings: link the page without `#`"),
        };
        diags.push(
            Diagnostic::error(
                source.path,
                location,
                format!(
                    "broken link to \"#{}\": {key} has no heading with this id",
                    written_id(fragment)
                ),
            )
            .with_hint(hint),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_id_is_told_as_written() {
        assert_eq!(written_id("main_1"), "main");
        assert_eq!(written_id("top_1"), "top");
        assert_eq!(written_id("top-1"), "top-1");
        assert_eq!(written_id("plans_1"), "plans_1");
        assert_eq!(written_id("plans"), "plans");
    }
}
