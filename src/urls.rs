//! Every internal URL and output path is made here, honouring base_url's
//! path prefix. No other module concatenates URL strings.
//!
//! A *route* is a page's folder relative to the site root, such as
//! `companies/alibaba/` or `` for the home page; its file is
//! `<route>index.html` and its URL is `<prefix><route>`.

use crate::config::BaseUrl;

/// The site's Atom feed.
pub const SITE_FEED: &str = "feed.xml";
/// The feed of the changes page.
pub const CHANGES_FEED: &str = "changes/feed.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The generated robots.txt.
pub const ROBOTS: &str = "robots.txt";

/// Builds URLs from routes for one base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: BaseUrl,
}

impl Urls {
    /// URLs under `base`.
    pub fn new(base: BaseUrl) -> Self {
        Urls { base }
    }

    /// The base URL in force.
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// The path of a route or file, with the prefix: `/briefing/companies/alibaba/`.
    pub fn path(&self, route: &str) -> String {
        // Made for every link on every page: one allocation, no formatting.
        [self.base.path(), route.trim_start_matches('/')].concat()
    }

    /// The absolute URL of a route or file: `https://example.org/briefing/...`.
    pub fn absolute(&self, route: &str) -> String {
        let route = route.trim_start_matches('/');
        [self.base.origin(), self.base.path(), route].concat()
    }
}

/// The route of a note: `collection/dirs/slug/`, or `slug/` for a page.
pub fn note_route(collection: Option<&str>, dirs: &[String], slug: &str) -> String {
    let mut route = String::new();
    for part in collection
        .into_iter()
        .chain(dirs.iter().map(String::as_str))
    {
        route.push_str(part);
        route.push('/');
    }
    route.push_str(slug);
    route.push('/');
    route
}

/// The route of a collection's list page `n` (1-based).
pub fn list_route(collection: &str, page: usize) -> String {
    if page <= 1 {
        format!("{collection}/")
    } else {
        format!("{collection}/page/{page}/")
    }
}

/// The output file of a route: `companies/alibaba/index.html`.
pub fn route_file(route: &str) -> String {
    format!("{route}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_kept_everywhere() {
        let urls = Urls::new(BaseUrl::parse("https://e.org/briefing/").unwrap());
        let route = note_route(Some("companies"), &[], "alibaba");
        assert_eq!(urls.path(&route), "/briefing/companies/alibaba/");
        assert_eq!(urls.absolute("feed.xml"), "https://e.org/briefing/feed.xml");
        assert_eq!(
            urls.path(&list_route("stories", 2)),
            "/briefing/stories/page/2/"
        );
        assert_eq!(route_file(""), "index.html");
    }
}
