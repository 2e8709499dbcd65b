//! The sample site published under a path prefix, as a real web server
//! serves it: `brief build --base-url http://127.0.0.1:PORT/briefing/`,
//! Debian's nginx with `location /briefing/ { alias public/; }`, and a
//! crawl from the home page over every `href` and `src`: no 404 (nor any
//! other error or redirect), no address outside the prefix, and every
//! HTML page of the output reached.

use std::collections::{BTreeSet, VecDeque};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::common::Site;
use super::sites::html_files;
use super::tools::{self, Tool};

const PREFIX: &str = "/briefing/";

/// nginx in the foreground with its own configuration, pid file, logs and
/// temporary folders, all in `dir`; stopped when dropped.
struct Nginx {
    child: Child,
}

impl Nginx {
    fn start(dir: &Path, public: &Path, port: u16) -> Nginx {
        let d = dir.display();
        let conf = format!(
            "daemon off;\n\
             master_process off;\n\
             worker_processes 1;\n\
             pid {d}/nginx.pid;\n\
             error_log {d}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
               types {{ text/html html; text/css css; application/javascript js; application/json json;\n\
                        application/atom+xml xml; image/svg+xml svg; image/png png; text/plain txt; }}\n\
               default_type application/octet-stream;\n\
               charset utf-8;\n\
               access_log {d}/access.log;\n\
               client_body_temp_path {d}/client_body;\n\
               proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n\
               uwsgi_temp_path {d}/uwsgi;\n\
               scgi_temp_path {d}/scgi;\n\
               server {{\n\
                 listen 127.0.0.1:{port};\n\
                 server_name localhost;\n\
                 location {PREFIX} {{ alias {}/; error_page 404 {PREFIX}404.html; }}\n\
               }}\n\
             }}\n",
            public.display()
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, conf).unwrap();
        let child = Command::new(tools::nginx().unwrap())
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx");
        Nginx { child }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on at the moment.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The path a link points to, resolved against `page` (a path), without
/// query or fragment; `None` for other hosts, other schemes, or a bare
/// `#fragment`.
fn resolve(page: &str, link: &str, origin: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    let link = link.split('?').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    if let Some(rest) = link
        .strip_prefix(origin)
        .filter(|r| r.is_empty() || r.starts_with('/'))
    {
        return Some(normalise(&format!("/{}", rest.trim_start_matches('/'))));
    }
    if link.contains(':') || link.starts_with("//") {
        return None;
    }
    if link.starts_with('/') {
        return Some(normalise(link));
    }
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    Some(normalise(&format!("{dir}{link}")))
}

/// Removes `.` and `..` segments.
fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            s if s.is_empty() && i != 0 && i != segs.len() - 1 => {}
            s => out.push(s),
        }
    }
    out.join("/")
}

fn links(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("[href], [src]").unwrap();
    doc.select(&sel)
        .flat_map(|e| [e.value().attr("href"), e.value().attr("src")])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// (status, content type, body) of a GET, without following redirects.
fn get(agent: &ureq::Agent, url: &str) -> (u16, String, String) {
    match agent.get(url).call() {
        Ok(r) => {
            let ct = r.content_type().to_string();
            (r.status(), ct, r.into_string().unwrap_or_default())
        }
        Err(ureq::Error::Status(code, r)) => {
            let ct = r.content_type().to_string();
            (code, ct, r.into_string().unwrap_or_default())
        }
        Err(e) => panic!("GET {url}: {e}"),
    }
}

#[test]
fn nginx_serves_a_path_prefixed_site_with_no_broken_link() {
    if !tools::available(
        "nginx_serves_a_path_prefixed_site_with_no_broken_link",
        &[Tool::Nginx],
    ) {
        return;
    }
    let site = Site::sample();
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let public = site.root().join("public");
    let (code, _, stderr) = site.run(&[
        "build",
        "--output",
        &public.to_string_lossy(),
        "--base-url",
        &format!("{origin}{PREFIX}"),
    ]);
    assert_eq!(code, 0, "brief build failed:\n{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let _nginx = Nginx::start(dir.path(), &public, port);
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(10))
        .build();
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "nginx did not start:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let mut queue = VecDeque::from([PREFIX.to_string()]);
    let mut seen = BTreeSet::from([PREFIX.to_string()]);
    let mut pages = BTreeSet::new();
    let mut problems = Vec::new();
    while let Some(path) = queue.pop_front() {
        let (status, ct, body) = get(&agent, &format!("{origin}{path}"));
        if status != 200 {
            problems.push(format!("{status} for {path}"));
            continue;
        }
        if !ct.starts_with("text/html") {
            continue;
        }
        pages.insert(path.clone());
        for link in links(&body) {
            let Some(target) = resolve(&path, &link, &origin) else {
                continue;
            };
            if !target.starts_with(PREFIX) {
                problems.push(format!("{path} links outside {PREFIX}: {link}"));
            } else if seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }

    // The 404 page: served for a missing address, with working links even
    // several folders deep.
    let missing = format!("{PREFIX}no/such/page/");
    let (status, _, body) = get(&agent, &format!("{origin}{missing}"));
    assert_eq!(status, 404, "status of {missing}");
    assert!(
        body.contains("kind-404"),
        "{missing} is not the site's 404 page"
    );
    for link in links(&body) {
        if let Some(target) = resolve(&missing, &link, &origin) {
            let (status, _, _) = get(&agent, &format!("{origin}{target}"));
            if status != 200 {
                problems.push(format!("{status} for {target}, linked from the 404 page"));
            }
        }
    }

    // Every page but the 404 page and the redirects from `page/1/` (which
    // nothing links to: the list's first page is the list itself).
    let files: BTreeSet<String> = html_files(&public)
        .into_iter()
        .filter(|f| f != "404.html" && !f.ends_with("page/1/index.html"))
        .map(|f| format!("{PREFIX}{}", f.trim_end_matches("index.html")))
        .collect();
    let unreached: Vec<&String> = files.difference(&pages).collect();
    assert!(
        problems.is_empty(),
        "{} problems crawling {origin}{PREFIX}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        unreached.is_empty(),
        "pages no link reaches from the home page: {unreached:?}"
    );
    eprintln!(
        "nginx: crawled {} addresses ({} pages) in {:?}",
        seen.len(),
        pages.len(),
        start.elapsed()
    );
}

#[test]
fn link_resolution() {
    let o = "http://127.0.0.1:9";
    assert_eq!(resolve("/b/x/", "../y/", o).as_deref(), Some("/b/y/"));
    assert_eq!(
        resolve("/b/x/", "logo.svg", o).as_deref(),
        Some("/b/x/logo.svg")
    );
    assert_eq!(resolve("/b/x/", "/b/z/#top", o).as_deref(), Some("/b/z/"));
    assert_eq!(
        resolve("/b/x/", "http://127.0.0.1:9/b/q/?a=1", o).as_deref(),
        Some("/b/q/")
    );
    assert_eq!(resolve("/b/x/", "https://example.org/", o), None);
    assert_eq!(resolve("/b/x/", "#top", o), None);
    assert_eq!(resolve("/b/x/", "mailto:a@b.c", o), None);
}
