//! Atom feeds and the sitemap, written as XML with every value escaped and
//! characters that XML forbids removed.

use quick_xml::escape::escape;

use super::Artifact;
use crate::model::Model;

/// Removes characters XML 1.0 forbids (most control characters).
fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

/// Escapes text for XML content or attributes.
fn x(text: &str) -> String {
    escape(xml_chars(text).as_str()).into_owned()
}

struct Feed<'a> {
    title: String,
    subtitle: String,
    route: String,
    alternate: String,
    ids: &'a [u32],
}

const EPOCH: &str = "1970-01-01T00:00:00+00:00";

fn atom(model: &Model<'_>, feed: &Feed<'_>) -> Artifact {
    let urls = model.urls;
    let self_url = urls.absolute(&feed.route);
    let entries: Vec<u32> = feed
        .ids
        .iter()
        .copied()
        .take(model.config.feed_limit)
        .collect();
    let updated = entries
        .iter()
        .filter_map(|&id| model.corpus.notes.get(id as usize))
        .filter_map(|n| n.updated.max(n.date))
        .max()
        .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">\n",
        x(&model.config.language),
        x(&urls.base().full())
    ));
    out.push_str(&format!("<title>{}</title>\n", x(&feed.title)));
    if !feed.subtitle.is_empty() {
        out.push_str(&format!("<subtitle>{}</subtitle>\n", x(&feed.subtitle)));
    }
    out.push_str(&format!(
        "<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        x(&self_url),
        x(&feed.alternate)
    ));
    out.push_str(&format!(
        "<id>{}</id>\n<updated>{updated}</updated>\n",
        x(&self_url)
    ));
    out.push_str(&format!(
        "<author><name>{}</name></author>\n<generator>brief</generator>\n",
        x(&model.config.title)
    ));
    for id in entries {
        entry(model, id, &mut out);
    }
    out.push_str("</feed>\n");
    Artifact::page(feed.route.clone(), out)
}

fn entry(model: &Model<'_>, id: u32, out: &mut String) {
    let Some(note) = model.corpus.notes.get(id as usize) else {
        return;
    };
    let link = &model.links[id as usize];
    let permalink = model.urls.absolute(&model.linked.routes[id as usize]);
    let published = note.date.map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    let updated = note
        .updated
        .max(note.date)
        .map_or_else(|| EPOCH.to_string(), |d| d.rfc3339());
    out.push_str("<entry>\n");
    out.push_str(&format!("<title>{}</title>\n", x(&note.title)));
    out.push_str(&format!(
        "<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        x(&permalink)
    ));
    out.push_str(&format!("<id>{}</id>\n", x(&permalink)));
    out.push_str(&format!(
        "<published>{published}</published>\n<updated>{updated}</updated>\n"
    ));
    if !link.collection.is_empty() {
        out.push_str(&format!("<category term=\"{}\"/>\n", x(&link.collection)));
    }
    if !link.summary.is_empty() {
        out.push_str(&format!(
            "<summary type=\"text\">{}</summary>\n",
            x(&link.summary)
        ));
    }
    out.push_str(&format!(
        "<content type=\"html\">{}</content>\n",
        x(&model.linked.bodies[id as usize].html)
    ));
    out.push_str("</entry>\n");
}

/// `feed.xml` for the site and one for every note that dated notes link to.
pub fn feeds(model: &Model<'_>) -> Vec<Artifact> {
    let site = Feed {
        title: model.config.title.clone(),
        subtitle: model.config.description.clone(),
        route: "feed.xml".into(),
        alternate: model.urls.base().full(),
        ids: &model.dated,
    };
    let mut out = vec![atom(model, &site)];
    for (id, link) in model.links.iter().enumerate() {
        let Some(route) = model.feed_route(id as u32) else {
            continue;
        };
        let feed = Feed {
            title: format!("{} · {}", link.title, model.config.title),
            subtitle: format!("Dated notes that mention {}", link.title),
            route,
            alternate: model.urls.absolute(&model.linked.routes[id]),
            ids: &model.dated_backlinks[id],
        };
        out.push(atom(model, &feed));
    }
    out
}

/// `sitemap.xml`: every page, with `lastmod` where a note has a date.
pub fn sitemap(model: &Model<'_>) -> Artifact {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut push = |route: &str, lastmod: Option<String>| {
        out.push_str(&format!(
            "<url><loc>{}</loc>",
            x(&model.urls.absolute(route))
        ));
        if let Some(m) = lastmod {
            out.push_str(&format!("<lastmod>{m}</lastmod>"));
        }
        out.push_str("</url>\n");
    };
    push("", None);
    for c in &model.collection_order {
        push(&crate::urls::list_route(c, 1), None);
    }
    push("timeline/", None);
    for (id, route) in model.linked.routes.iter().enumerate() {
        let lastmod = model
            .corpus
            .notes
            .get(id)
            .and_then(|n| n.updated.max(n.date))
            .map(|d| d.ymd());
        push(route, lastmod);
    }
    out.push_str("</urlset>\n");
    Artifact::page("sitemap.xml".into(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips_forbidden_characters() {
        assert_eq!(
            x("a <b> & \"c\" ]]> \u{1}\u{8}d"),
            "a &lt;b&gt; &amp; &quot;c&quot; ]]&gt; d"
        );
    }
}
