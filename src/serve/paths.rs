//! Turning a request target into a site path, refusing anything that could
//! reach outside the site: `..` and `.` segments (raw or percent-encoded),
//! encoded slashes and backslashes, NUL bytes, and invalid UTF-8.
//!
//! Pure: the server looks the result up in the in-memory site, so no
//! request ever becomes a filesystem path.

use percent_encoding::percent_decode_str;

/// What a request target asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A site file path relative to the root, such as `companies/alibaba/index.html`.
    File(String),
    /// Not a path within the site (a `..`, an encoded slash, a NUL...).
    Refused,
}

/// Decodes and checks the path part of a request target.
///
/// Returns the site-relative path (`` for the home page), or `Refused`.
pub fn site_path(target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or("");
    // The absolute form (`http://host/path`), which a server must accept.
    let path = match path
        .strip_prefix("http://")
        .or_else(|| path.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => path,
    };
    if !path.starts_with('/') {
        return Target::Refused;
    }
    let mut parts = Vec::new();
    for raw in path.split('/') {
        // Decode each segment on its own, so an encoded slash (%2F) stays
        // inside its segment and is refused below instead of splitting it.
        let Ok(segment) = percent_decode_str(raw).decode_utf8() else {
            return Target::Refused;
        };
        // A `:` is a name like any other: nothing here is a file system
        // path, so `C:` names no drive.
        if segment == ".." || segment == "." || segment.contains(['/', '\\', '\0']) {
            return Target::Refused;
        }
        if !segment.is_empty() {
            parts.push(segment.into_owned());
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Target::File(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass() {
        assert_eq!(site_path("/"), Target::File(String::new()));
        assert_eq!(
            site_path("/companies/alibaba/"),
            Target::File("companies/alibaba/".into())
        );
        assert_eq!(
            site_path("/style.css?v=1"),
            Target::File("style.css".into())
        );
        assert_eq!(site_path("/a%20b.png"), Target::File("a b.png".into()));
        assert_eq!(
            site_path("//double//slash"),
            Target::File("double/slash".into())
        );
        assert_eq!(site_path("/a:b.txt"), Target::File("a:b.txt".into()));
        assert_eq!(
            site_path("http://127.0.0.1:1111/stories/?q=1"),
            Target::File("stories/".into())
        );
        assert_eq!(
            site_path("https://example.org"),
            Target::File(String::new())
        );
    }

    #[test]
    fn traversal_is_refused_in_every_encoding() {
        for t in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2fetc%2fpasswd",
            "/a%2f..%2f..%2fetc",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "/a%00b",
            "/%ff%fe",
            "http://host/../etc/passwd",
            "etc/passwd",
            "/./index.html",
        ] {
            assert_eq!(site_path(t), Target::Refused, "{t}");
        }
    }
}
