//! The HTTP side of `brief serve`, on tiny_http: static responses from the
//! in-memory site, the 404 page with a real 404 status, folder redirects,
//! and the server-sent-events stream that drives live reload.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::inject::{self, EVENTS};
use super::paths::{site_path, Target};
use crate::diag::Diagnostic;
use crate::output::Source;
use crate::session::Files;

/// The site being served and the last build's errors, if it failed.
#[derive(Clone, Default)]
pub struct Snapshot {
    /// The last good site.
    pub files: Arc<Files>,
    /// The errors of the last build as (JSON list, plain text), if it failed.
    pub errors: Option<(String, String)>,
    /// How many times the served site has changed: a page served from
    /// one build knows, when its event stream opens, if it missed one.
    pub generation: u64,
}

type Client = mpsc::Sender<(String, String)>;

/// Shared state between the rebuild loop and the request handlers.
pub struct Hub {
    base_path: String,
    state: RwLock<Snapshot>,
    clients: Mutex<Vec<Client>>,
    closed: AtomicBool,
    instance: String,
}

impl Hub {
    /// A hub serving under `base_path` (`/`).
    pub fn new(base_path: String) -> Self {
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            .to_string();
        Hub {
            base_path,
            state: RwLock::new(Snapshot::default()),
            clients: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            instance,
        }
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> Snapshot {
        self.state.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Serves a new good site and clears the errors; `changed` when its
    /// pages differ from the last (open pages are then to reload).
    pub fn publish_site(&self, files: Arc<Files>, changed: bool) {
        if let Ok(mut s) = self.state.write() {
            s.files = files;
            s.errors = None;
            s.generation += u64::from(changed);
        }
        self.send("errors", "[]");
    }

    /// The build the snapshot's pages come from, as pages and the event
    /// stream name it: the server's instance and the generation.
    pub fn build_id(&self, snapshot: &Snapshot) -> String {
        format!("{}-{}", self.instance, snapshot.generation)
    }

    /// Keeps the site, records the errors and pushes them to open pages.
    pub fn publish_errors(&self, diags: &[Diagnostic]) {
        let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
        let json = serde_json::to_string(&lines).unwrap_or_else(|_| "[]".into());
        let text = lines.join("\n");
        if let Ok(mut s) = self.state.write() {
            s.errors = Some((json.clone(), text));
        }
        self.send("errors", &json);
    }

    /// Sends an event to every open page.
    pub fn send(&self, event: &str, data: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send((event.to_string(), data.to_string())).is_ok());
        }
    }

    /// Ends every event stream.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Ok(mut clients) = self.clients.lock() {
            clients.clear();
        }
    }

    fn subscribe(&self) -> Option<mpsc::Receiver<(String, String)>> {
        if self.closed.load(Ordering::SeqCst) {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        self.clients.lock().ok()?.push(tx);
        Some(rx)
    }
}

/// Accepts requests until `stop` is set, each on its own thread.
pub fn accept_loop(server: &Server, stop: &AtomicBool, hub: &Arc<Hub>) {
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => {
                let hub = Arc::clone(hub);
                std::thread::spawn(move || handle(request, &hub));
            }
            Ok(None) => {}
            Err(_) => break,
        }
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript"
            || mime.subtype() == "json"
            || mime.subtype() == "xml" =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

fn respond(request: Request, status: u16, path: &str, body: Vec<u8>) {
    respond_with(request, status, path, body, &[]);
}

/// `respond`, with `more` headers.
fn respond_with(request: Request, status: u16, path: &str, body: Vec<u8>, more: &[(&str, &str)]) {
    let mut response = Response::from_data(body).with_status_code(StatusCode(status));
    for h in headers(path, more) {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

/// The headers of an answer with the file at `path`, and `more`.
fn headers(path: &str, more: &[(&str, &str)]) -> Vec<Header> {
    let extra = more.iter().map(|(name, value)| header(name, value));
    [
        header("Content-Type", &content_type(path)),
        header("Cache-Control", "no-store"),
        header("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .chain(extra)
    .flatten()
    .collect()
}

fn plain(request: Request, status: u16, text: &str) {
    respond(request, status, "error.txt", text.as_bytes().to_vec());
}

fn handle(request: Request, hub: &Hub) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let body = b"method not allowed\n".to_vec();
        return respond_with(request, 405, "error.txt", body, &[("Allow", "GET, HEAD")]);
    }
    let Target::File(path) = site_path(request.url()) else {
        return plain(request, 400, "bad request: this path is not allowed\n");
    };
    let Some(path) = path.strip_prefix(hub.base_path.trim_start_matches('/')) else {
        return plain(request, 404, "not found\n");
    };
    if path == EVENTS {
        return events(request, hub);
    }
    let snapshot = hub.snapshot();
    let wanted = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(artifact) = snapshot.files.get(&wanted) {
        if wanted.ends_with(".html") {
            let body = body_of(&artifact.source, &wanted, hub, &snapshot);
            return respond(request, 200, &wanted, body);
        }
        return respond_file(request, &wanted, &artifact.source);
    }
    if snapshot.files.contains_key(&format!("{wanted}/index.html")) {
        // The query goes along (`/stories?page=2` to `/stories/?page=2`).
        let query = request
            .url()
            .find('?')
            .map_or("", |at| &request.url()[at..]);
        let location = format!("{}{wanted}/{query}", hub.base_path);
        let mut response = Response::empty(StatusCode(301));
        if let Some(h) = header("Location", &location) {
            response.add_header(h);
        }
        let _ = request.respond(response);
        return;
    }
    if snapshot.files.is_empty() {
        if let Some((json, text)) = &snapshot.errors {
            return respond(
                request,
                500,
                "error.html",
                inject::error_page(&hub.base_path, &hub.build_id(&snapshot), json, text),
            );
        }
    }
    match snapshot.files.get("404.html") {
        Some(page) => {
            let body = body_of(&page.source, "404.html", hub, &snapshot);
            respond(request, 404, "404.html", body)
        }
        None => plain(request, 404, "not found\n"),
    }
}

/// A file of the site that is not a page, whole or the part a `Range`
/// header asks for (a browser playing a video from `static/` asks for
/// parts, and some play nothing without them). The session holds every
/// file's bytes (see [`crate::session`]): they are sent from there, not
/// copied. (Pages, whose bytes the live-reload script changes, are always
/// sent whole, by `respond`.)
fn respond_file(request: Request, path: &str, source: &Source) {
    let bytes = match source {
        Source::Bytes(b) => Arc::clone(b),
        // Not in a session's snapshot; read as `body_of` reads it.
        Source::File(p) => match std::fs::read(p) {
            Ok(b) => Arc::new(b),
            Err(_) => return plain(request, 404, "not found\n"),
        },
    };
    let len = bytes.len() as u64;
    // An `If-Range` names a version of the file brief never gave out (it
    // sends no validators): the whole file, as RFC 9110 asks. So for a
    // header that is not a range of bytes.
    let range = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Range"))
        .filter(|_| !request.headers().iter().any(|h| h.field.equiv("If-Range")))
        .and_then(|h| http_range_header::parse_range_header(h.value.as_str()).ok())
        .map(|parsed| parsed.validate(len));
    match range {
        // One part; several would need a multipart answer, and sending
        // the whole file instead is allowed.
        Some(Ok(parts)) if parts.len() == 1 => {
            let (start, end) = (*parts[0].start(), *parts[0].end());
            let part = bytes[start as usize..=end as usize].to_vec();
            let content_range = format!("bytes {start}-{end}/{len}");
            respond_with(
                request,
                206,
                path,
                part,
                &[
                    ("Accept-Ranges", "bytes"),
                    ("Content-Range", &content_range),
                ],
            );
        }
        Some(Err(_)) => {
            let content_range = format!("bytes */{len}");
            respond_with(
                request,
                416,
                "error.txt",
                b"range not satisfiable\n".to_vec(),
                &[("Content-Range", &content_range)],
            );
        }
        // The whole file, from the snapshot's own bytes (a video in
        // `static/` is hundreds of megabytes).
        _ => {
            let response = Response::new(
                StatusCode(200),
                headers(path, &[("Accept-Ranges", "bytes")]),
                std::io::Cursor::new(Shared(bytes)),
                Some(len as usize),
                None,
            );
            let _ = request.respond(response);
        }
    }
}

/// A file's bytes in the snapshot, read where they are.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn body_of(source: &Source, path: &str, hub: &Hub, snapshot: &Snapshot) -> Vec<u8> {
    let bytes = match source {
        Source::Bytes(b) => b.as_ref().clone(),
        Source::File(p) => std::fs::read(p).unwrap_or_default(),
    };
    if path.ends_with(".html") {
        let errors = snapshot.errors.as_ref().map(|(json, _)| json.as_str());
        inject::inject(&bytes, &hub.base_path, &hub.build_id(snapshot), errors)
    } else {
        bytes
    }
}

/// A server-sent-events stream: `hello` naming the build served now, the
/// current errors, then whatever the rebuild loop sends, with a keep-alive
/// comment every 15 s. The build is read after subscribing, so that a
/// build published in between is told by one or the other.
fn events(request: Request, hub: &Hub) {
    // A HEAD asks what a GET would answer: the headers, and no stream.
    if *request.method() == Method::Head {
        let mut response = Response::empty(StatusCode(200));
        for (name, value) in [
            ("Content-Type", "text/event-stream"),
            ("Cache-Control", "no-store"),
        ] {
            if let Some(h) = header(name, value) {
                response.add_header(h);
            }
        }
        let _ = request.respond(response);
        return;
    }
    let Some(rx) = hub.subscribe() else {
        return plain(request, 503, "shutting down\n");
    };
    let snapshot = hub.snapshot();
    let errors = snapshot
        .errors
        .as_ref()
        .map_or("[]", |(json, _)| json.as_str());
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let hello = format!(
        "retry: 500\nevent: hello\ndata: {}\n\nevent: errors\ndata: {errors}\n\n",
        hub.build_id(&snapshot)
    );
    if w.write_all(head.as_bytes())
        .and_then(|_| w.write_all(hello.as_bytes()))
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok((event, data)) => format!("event: {event}\ndata: {data}\n\n"),
            Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return;
        }
    }
}
