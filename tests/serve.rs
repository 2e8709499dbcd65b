//! `brief serve` end to end: a server on an ephemeral port over a copied
//! fixture, fetched with a real HTTP client while the test edits files.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use brief::content::Drafts;
use brief::serve::{self, Report, Running, ServeOptions};
use common::Site;

struct Server {
    site: Site,
    running: Option<Running>,
    reports: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(fixture: &str) -> Server {
        let site = Site::fixture(fixture);
        Self::start_site(site)
    }

    fn start_site(site: Site) -> Server {
        Self::start_bound(site, "127.0.0.1")
    }

    fn start_bound(site: Site, bind: &str) -> Server {
        let reports = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&reports);
        let report: Arc<dyn Fn(Report) + Send + Sync> = Arc::new(move |r| {
            sink.lock().unwrap().push(format!("{r:?}"));
        });
        let opts = ServeOptions {
            root: site.root().to_path_buf(),
            bind: bind.into(),
            port: 0,
            drafts: Drafts::Exclude,
            debounce: Duration::from_millis(20),
        };
        let running = serve::start(opts, report).unwrap();
        Server {
            site,
            running: Some(running),
            reports,
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}{}",
            self.running.as_ref().unwrap().url(),
            path.trim_start_matches('/')
        )
    }

    /// (status, body) of a GET.
    fn get(&self, path: &str) -> (u16, String) {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        match agent.get(&self.url(path)).call() {
            Ok(r) => (r.status(), r.into_string().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
            Err(e) => panic!("GET {path}: {e}"),
        }
    }

    /// Waits until `path` satisfies `ok`, or panics after 10 s.
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!(
                    "timed out waiting for {what} at {path} (last status {status});\nreports: {:?}\nbody:\n{body}",
                    self.reports.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends a raw request line, returns the status line.
    fn raw(&self, target: &str) -> String {
        let addr = self.running.as_ref().unwrap().addr;
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop();
        }
    }
}

#[test]
fn serves_pages_with_types_404_head_and_no_store() {
    let server = Server::start("links/basic");
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let home = agent.get(&server.url("/")).call().unwrap();
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    let body = home.into_string().unwrap();
    assert!(
        body.contains("__brief/events"),
        "live reload script injected"
    );
    let css = agent.get(&server.url("/style.css")).call().unwrap();
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's 404 page is served");
    let head = agent
        .head(&server.url("/companies/netease/"))
        .call()
        .unwrap();
    assert_eq!(head.status(), 200);
    let redirect = agent.get(&server.url("/companies/netease")).call().unwrap();
    assert_eq!(redirect.status(), 301);
    assert_eq!(redirect.header("Location"), Some("/companies/netease/"));
    let redirect = agent
        .get(&server.url("/companies/netease?tab=2"))
        .call()
        .unwrap();
    assert_eq!(
        redirect.header("Location"),
        Some("/companies/netease/?tab=2"),
        "the query goes along"
    );
    match agent.post(&server.url("/")).call() {
        Err(ureq::Error::Status(405, r)) => assert_eq!(r.header("Allow"), Some("GET, HEAD")),
        other => panic!("POST: {other:?}"),
    }
    // The absolute form of a request target, and a `:` in a name.
    let absolute = server.raw(&server.url("/companies/netease/"));
    assert!(absolute.starts_with("HTTP/1.1 200"), "{absolute}");
    server.site.write("static/a:b.txt", "colon\n");
    server.wait_for("/a:b.txt", "a static file with a colon", |s, b| {
        s == 200 && b == "colon\n"
    });
    // Links are rewritten to the preview address.
    let story = server.get("/stories/ai-push/").1;
    assert!(story.contains("href=\"/companies/netease/\""));
}

fn crawl(server: &Server) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["/".to_string()];
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, body) = server.get(&path);
        assert_eq!(status, 200, "{path}");
        if path.ends_with('/') {
            for link in common::links(&body) {
                let link = link.split('#').next().unwrap().to_string();
                if link.starts_with('/') && !link.starts_with("//") {
                    queue.push(link);
                }
            }
        }
    }
    seen.len()
}

#[test]
fn every_internal_link_of_the_served_site_resolves() {
    let server = Server::start("links/basic");
    let crawled = crawl(&server);
    assert!(crawled > 10, "crawled {crawled}");
}

#[test]
fn a_site_with_a_path_prefix_is_served_at_the_preview_root() {
    // The sample site's base_url is https://example.org/briefing/.
    let server = Server::start_site(Site::sample());
    let home = server.get("/").1;
    assert!(
        !home.contains("href=\"/briefing/"),
        "links still carry the published prefix"
    );
    assert!(home.contains("href=\"/companies/\""));
    let crawled = crawl(&server);
    assert!(crawled > 30, "crawled {crawled}");
}

#[test]
fn traversal_paths_get_nothing_from_outside_the_site() {
    let server = Server::start("links/basic");
    // A secret beside the site root, and site.yaml inside it.
    std::fs::write(server.site.root().join("../secret.txt"), "TOP SECRET").ok();
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2Fsite.yaml",
        "/..%2fsite.yaml",
        "/..%5csite.yaml",
        "/content/companies/netease.md",
        "/site.yaml",
        "//etc/passwd",
        "/%00",
    ] {
        let response = server.raw(target);
        let status = response.lines().next().unwrap_or("");
        assert!(
            !status.contains(" 200 ") || response.contains("<html"),
            "{target} answered {status}"
        );
        assert!(!response.contains("TOP SECRET"), "{target} leaked a file");
        assert!(
            !response.contains("root:x:0"),
            "{target} leaked /etc/passwd"
        );
        assert!(!response.contains("base_url:"), "{target} leaked site.yaml");
    }
}

#[test]
fn edits_additions_and_deletions_are_served_after_rebuild() {
    let server = Server::start("links/basic");
    let events = subscribe(&server);
    // Edit.
    server.site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games and AI.\n---\n## AI plans\n\nFreshly edited text.\n",
    );
    server.wait_for("/companies/netease/", "the edit", |s, b| {
        s == 200 && b.contains("Freshly edited text.")
    });
    assert!(
        events.wait_for("event: reload"),
        "a reload event was pushed"
    );
    // Addition: the new story shows in its target's backlinks.
    server.site.write(
        "content/stories/new-one.md",
        "---\ntitle: Brand new story\ndate: 2024-05-01\ncompanies: [alibaba]\n---\nNew.\n",
    );
    server.wait_for("/companies/alibaba/", "the new backlink", |_, b| {
        b.contains("/stories/new-one/")
    });
    assert_eq!(server.get("/stories/new-one/").0, 200);
    // Deletion: 404.
    std::fs::remove_file(server.site.root().join("content/stories/new-one.md")).unwrap();
    server.wait_for("/stories/new-one/", "the deletion", |s, _| s == 404);
}

#[test]
fn broken_yaml_keeps_the_last_good_page_and_shows_the_overlay() {
    let server = Server::start("links/basic");
    let events = subscribe(&server);
    server.site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: [unclosed\n---\nBroken.\n",
    );
    // The overlay names the file and line of the error.
    let page = server.wait_for("/companies/netease/", "the overlay", |_, b| {
        b.contains("window.__briefErrors=")
            && b.contains("content/companies/netease.md:3:19: error: invalid YAML")
    });
    assert!(
        page.contains("Spending on AI."),
        "the last good page is still served"
    );
    assert!(
        events.wait_for("content/companies/netease.md:3:19"),
        "errors were pushed to open pages"
    );
    // Reported just after the pages got the errors.
    wait_report(&server, "serving: true");
    server.site.write(
        "content/companies/netease.md",
        // ai-push.md links to its "AI plans" heading, which must stay.
        "---\ntitle: NetEase\nsummary: Fixed.\n---\nFixed body.\n\n## AI plans\n",
    );
    // The overlay goes with the next good build.
    server.wait_for("/companies/netease/", "the fix", |_, b| {
        b.contains("Fixed body.") && !b.contains("window.__briefErrors=")
    });
}

/// The build a served page says it comes from (`served = "..."` in its
/// live-reload script).
fn served_build(page: &str) -> String {
    let at = page.find("served = \"").expect("the reload script") + 10;
    page[at..].split('"').next().unwrap().to_string()
}

/// The first value of `event` on a stream opened now (its `hello` and
/// the errors that follow it).
fn opening(server: &Server, event: &str) -> String {
    let events = subscribe(server);
    let want = format!("event: {event}\ndata: ");
    assert!(events.wait_for(&want));
    let text = events.lines.lock().unwrap().clone();
    let at = text.find(&want).unwrap() + want.len();
    text[at..].lines().next().unwrap().to_string()
}

/// A build published while a page loads, before its event stream opens,
/// is not missed: the stream's `hello` names another build than the page,
/// which then reloads; errors that came meanwhile follow the `hello`.
#[test]
fn a_page_whose_stream_opens_after_a_rebuild_learns_of_it() {
    let server = Server::start("links/basic");
    let page = server.get("/companies/netease/").1;
    let before = served_build(&page);
    assert_eq!(opening(&server, "hello"), before, "nothing changed yet");
    assert_eq!(opening(&server, "errors"), "[]");
    server.site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: Games.\n---\nEdited.\n\n## AI plans\n",
    );
    let edited = server.wait_for("/companies/netease/", "the edit", |_, b| {
        b.contains("Edited.")
    });
    let after = opening(&server, "hello");
    assert_ne!(after, before, "the old page would not reload");
    assert_eq!(served_build(&edited), after);
    server.site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: [unclosed\n---\nBroken.\n",
    );
    wait_report(&server, "serving: true");
    let errors = opening(&server, "errors");
    assert!(errors.contains("netease.md:3:19"), "{errors}");
    // The site served did not change: the page need not reload.
    assert_eq!(opening(&server, "hello"), after);
}

#[test]
fn a_site_broken_from_the_start_is_served_as_its_errors() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/companies/netease.md",
        "---\ntitle: NetEase\nsummary: [unclosed\n---\nBroken.\n",
    );
    let server = Server::start_site(site);
    let page = server.wait_for("/", "the error page", |_, b| {
        b.contains("content/companies/netease.md:3:19: error: invalid YAML")
    });
    assert!(!page.contains("Spending on AI."), "{page}");
    // No earlier build to fall back on: the report says so.
    let reports = server.reports.lock().unwrap().join("\n");
    assert!(reports.contains("serving: false"), "{reports}");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let first = Server::start("links/basic");
    let port = first.running.as_ref().unwrap().addr.port();
    let site = Site::fixture("links/basic");
    let (status, _, stderr) = site.run(&["serve", "--port", &port.to_string()]);
    assert_eq!(status, 1);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

struct Events {
    lines: Arc<Mutex<String>>,
}

impl Events {
    fn wait_for(&self, needle: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self.lines.lock().unwrap().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

fn subscribe(server: &Server) -> Events {
    let addr = server.running.as_ref().unwrap().addr;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__brief/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let lines = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            sink.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    let events = Events { lines };
    assert!(events.wait_for("event: hello"));
    events
}

#[test]
fn ctrl_c_stops_the_server_within_a_second() {
    use std::process::{Command, Stdio};
    let site = Site::fixture("links/basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("serving at http://127.0.0.1:"), "{first}");
    // An open event stream must not keep the server alive.
    let url = first
        .split_whitespace()
        .nth(2)
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let addr = url.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /__brief/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    loop {
        if let Some(code) = child.try_wait().unwrap() {
            assert!(code.success(), "exit status {code}");
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_millis(1500),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "took {:?}",
        sent.elapsed()
    );
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let server = Server::start("links/basic");
    let events = subscribe(&server);
    let css = server.site.root().join("themes/default/static/style.css");
    let old = std::fs::read_to_string(&css).unwrap();
    std::fs::write(&css, format!("{old}\n.brief-test {{ color: red }}\n")).unwrap();
    assert!(events.wait_for("event: css"), "a css event was pushed");
    server.wait_for("/style.css", "the new stylesheet", |_, b| {
        b.contains(".brief-test")
    });
    assert!(
        !events.lines.lock().unwrap().contains("event: reload"),
        "no full reload"
    );
}

#[test]
fn editor_saves_by_rename_and_new_folders_are_seen() {
    let server = Server::start("links/basic");
    // Vim-style: write a swap file and a temp file, then rename over the note.
    let dir = server.site.root().join("content/companies");
    std::fs::write(dir.join(".netease.md.swp"), "swap").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::write(
        dir.join("netease.md.tmp~"),
        "---\ntitle: NetEase\nsummary: Games and AI.\n---\n## AI plans\n\nSaved by rename.\n",
    )
    .unwrap();
    std::fs::rename(dir.join("netease.md.tmp~"), dir.join("netease.md")).unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    server.wait_for("/companies/netease/", "the renamed save", |_, b| {
        b.contains("Saved by rename.")
    });
    // A new collection folder with a note in it.
    server.site.write(
        "content/regulators/samr.md",
        "---\ntitle: SAMR\n---\nThe regulator.\n",
    );
    server.wait_for("/regulators/samr/", "the new folder", |s, _| s == 200);
    // The folder removed again.
    std::fs::remove_dir_all(server.site.root().join("content/regulators")).unwrap();
    server.wait_for("/regulators/samr/", "the removed folder", |s, _| s == 404);
}

#[test]
fn templates_and_static_folders_made_while_serving_are_watched() {
    let server = Server::start("links/basic");
    assert!(!server.site.root().join("templates").exists());
    // A site override made after the server started: first its folder and
    // file at once, then an edit to the file, which only a watch sees.
    server.site.write(
        "templates/page.html",
        "{% extends \"note.html\" %}{% block kicker %}<p>first override</p>{% endblock kicker %}",
    );
    server.wait_for("/about/", "the new template", |_, b| {
        b.contains("first override")
    });
    std::thread::sleep(Duration::from_millis(100));
    server.site.write(
        "templates/page.html",
        "{% extends \"note.html\" %}{% block kicker %}<p>second override</p>{% endblock kicker %}",
    );
    server.wait_for("/about/", "the edited template", |_, b| {
        b.contains("second override")
    });
    // The same for static files.
    server.site.write("static/first.txt", "one\n");
    server.wait_for("/first.txt", "the new static folder", |s, _| s == 200);
    std::thread::sleep(Duration::from_millis(100));
    server.site.write("static/later.txt", "two\n");
    server.wait_for("/later.txt", "a file added later", |s, b| {
        s == 200 && b == "two\n"
    });
}

/// The theme's folder moved away while serving fails the build (told in
/// the pages); moved back, it builds again and is watched as before.
#[test]
fn a_theme_folder_moved_away_and_back_is_watched_again() {
    let server = Server::start("links/basic");
    let theme = server.site.root().join("themes/default");
    let away = server.site.root().join("elsewhere");
    std::fs::rename(&theme, &away).unwrap();
    server.wait_for("/", "the missing theme told", |_, b| {
        b.contains("window.__briefErrors=") && b.contains("theme")
    });
    std::fs::rename(&away, &theme).unwrap();
    server.wait_for("/", "the theme back", |_, b| {
        !b.contains("window.__briefErrors=")
    });
    std::thread::sleep(Duration::from_millis(100));
    edit_theme_and_wait(&server, "default");
}

/// Adds a probe to `theme`'s base template and waits until the home page
/// shows it: the theme is watched.
fn edit_theme_and_wait(server: &Server, theme: &str) {
    let base = format!("themes/{theme}/templates/base.html");
    let html = server.site.read_input(&base);
    server.site.write(
        &base,
        &html.replacen("</footer>", "<span id=\"probe\">P</span></footer>", 1),
    );
    server.wait_for("/", &format!("{theme}'s template edited"), |_, b| {
        b.contains("id=\"probe\"")
    });
}

/// A `theme:` changed in site.yaml while serving: the new theme's
/// templates and static files are watched from then on.
#[test]
fn a_theme_switched_while_serving_is_watched() {
    let site = Site::fixture("links/basic");
    common::copy_tree(
        &site.root().join("themes/default"),
        &site.root().join("themes/ledger"),
    );
    let server = Server::start_site(site);
    let yaml = server.site.read_input("site.yaml");
    server
        .site
        .write("site.yaml", &format!("{yaml}theme: ledger\n"));
    wait_report(&server, "site.yaml");
    std::thread::sleep(Duration::from_millis(100));
    edit_theme_and_wait(&server, "ledger");
    server
        .site
        .write("themes/ledger/static/style.css", "body { color: green }\n");
    server.wait_for("/style.css", "the new theme's stylesheet edited", |_, b| {
        b.contains("green")
    });
    // The old theme's edits are not this site's any more.
    server
        .site
        .write("themes/default/templates/base.html", "{{ nothing");
    std::thread::sleep(Duration::from_millis(300));
    let (status, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"probe\""), "{body}");
}

/// Waits until the reports contain `text`, or panics after 10 s.
fn wait_report(server: &Server, text: &str) {
    let start = Instant::now();
    while !server.reports.lock().unwrap().join("\n").contains(text) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no report with {text:?}: {:?}",
            server.reports.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Warnings are told while serving: those of the first build, and a new
/// set when a save changes it, not again at every save.
#[test]
fn serve_tells_warnings_when_they_change() {
    let site = Site::fixture("links/basic");
    site.write(
        "content/stories/blank.md",
        "---\ntitle: Blank\ndate: 2024-02-01\ncompanies: [NetEase, \"\"]\n---\nBody.\n",
    );
    let server = Server::start_site(site);
    wait_report(&server, "`companies` has an empty item");
    let warnings = |s: &Server| {
        s.reports
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.starts_with("Warnings"))
            .count()
    };
    assert_eq!(warnings(&server), 1);
    // A second empty item: a new set of warnings.
    server.site.write(
        "content/stories/other.md",
        "---\ntitle: Other\ndate: 2024-02-02\naliases: [\" \"]\n---\nBody.\n",
    );
    wait_report(&server, "`aliases` has an empty item");
    assert_eq!(warnings(&server), 2);
    // A save that leaves them as they are tells nothing new.
    server.site.write(
        "content/stories/other.md",
        "---\ntitle: Other\ndate: 2024-02-02\naliases: [\" \"]\n---\nBody, edited.\n",
    );
    server.wait_for("/stories/other/", "the edit", |_, b| {
        b.contains("Body, edited.")
    });
    wait_report(&server, "body_edit: true");
    assert_eq!(warnings(&server), 2, "{:?}", server.reports.lock().unwrap());
    // An empty item added to a list leaves the note as it was, all but
    // its warning, which is told all the same.
    server.site.write(
        "content/stories/other.md",
        "---\ntitle: Other\ndate: 2024-02-02\naliases: [\" \", \"\"]\n---\nBody, edited.\n",
    );
    wait_report(&server, "`aliases` has 2 empty items");
    assert_eq!(warnings(&server), 3, "{:?}", server.reports.lock().unwrap());
    // Every warning mended: told as an empty set, so that the last ones
    // printed are not taken as still standing.
    server.site.write(
        "content/stories/other.md",
        "---\ntitle: Other\ndate: 2024-02-02\n---\nBody, edited.\n",
    );
    server.site.write(
        "content/stories/blank.md",
        "---\ntitle: Blank\ndate: 2024-02-01\ncompanies: [NetEase]\n---\nBody.\n",
    );
    wait_report(&server, "Warnings([])");
}

/// Bound to every address of the machine, the preview's links name one a
/// browser can reach, never `0.0.0.0`.
#[test]
fn bound_to_every_address_the_pages_name_a_reachable_one() {
    let server = Server::start_bound(Site::fixture("links/basic"), "0.0.0.0");
    let url = server.url("");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (status, page) = server.get("companies/netease/");
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!(
            "<link rel=\"canonical\" href=\"{url}companies/netease/\">"
        )),
        "{page}"
    );
    assert!(!page.contains("0.0.0.0"), "{page}");
}

/// A HEAD of the live-reload stream answers with its headers and ends; it
/// does not hold the connection open with a stream no one reads.
#[test]
fn a_head_of_the_event_stream_ends_at_once() {
    use std::io::{Read, Write};
    let server = Server::start("links/basic");
    let addr = server.running.as_ref().unwrap().addr;
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(b"HEAD /__brief/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .expect("the answer ends before the timeout");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("text/event-stream"), "{answer}");
    assert!(!answer.contains("event: hello"), "{answer}");
}

/// A `Range` asks for part of a file (as a browser playing a video does);
/// pages, whose bytes the reload script changes, come whole.
#[test]
fn a_range_of_a_static_file_is_served_as_asked() {
    let site = Site::fixture("links/basic");
    site.write("static/clip.txt", "0123456789");
    let server = Server::start_site(site);
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let get = |path: &str, range: &str| {
        let r = agent.get(&server.url(path)).set("Range", range).call();
        let r = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{e}"),
        };
        let status = r.status();
        let content_range = r.header("Content-Range").map(str::to_string);
        (status, content_range, r.into_string().unwrap())
    };
    assert_eq!(
        get("clip.txt", "bytes=2-5"),
        (206, Some("bytes 2-5/10".into()), "2345".into())
    );
    assert_eq!(
        get("clip.txt", "bytes=-3"),
        (206, Some("bytes 7-9/10".into()), "789".into())
    );
    assert_eq!(
        get("clip.txt", "bytes=20-"),
        (
            416,
            Some("bytes */10".into()),
            "range not satisfiable\n".into()
        )
    );
    // Several parts, or a header that is not a range: the whole file.
    assert_eq!(get("clip.txt", "bytes=0-1,4-5").0, 200);
    assert_eq!(get("clip.txt", "lines=1-2").2, "0123456789");
    let (status, _, page) = get("companies/netease/", "bytes=0-9");
    assert_eq!(status, 200);
    assert!(page.contains("</html>"));
    // An If-Range names a version brief never gave out: the whole file.
    let r = agent
        .get(&server.url("clip.txt"))
        .set("Range", "bytes=2-5")
        .set("If-Range", "\"v1\"")
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(r.into_string().unwrap(), "0123456789");
}
