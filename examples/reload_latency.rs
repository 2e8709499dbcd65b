//! Measures `brief serve`'s edit-to-reload latency: starts the server on a
//! site, subscribes to its live-reload events like an open tab, then edits
//! one story N times and times each save until the `reload` event arrives.
//!
//! cargo run --release --example reload_latency -- SITE_DIR [EDITS] [--summary]
//!
//! Each edit appends a sentence to the story's body; with `--summary` it
//! changes the summary that lists, backlinks and related notes show
//! instead (the `summary:` line, or else the first paragraph).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use brief::content::Drafts;
use brief::serve::{self, Report, ServeOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let root =
        std::path::PathBuf::from(args.next().expect("usage: reload_latency SITE_DIR [EDITS]"));
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(11);
    let summary = args.next().is_some_and(|a| a == "--summary");
    let (tx, rx) = mpsc::channel::<String>();
    let report: Arc<dyn Fn(Report) + Send + Sync> = Arc::new(move |r| {
        if let Report::Rebuilt { rebuilt, .. } = &r {
            let how = if rebuilt.body_edit {
                "body edit"
            } else {
                "full"
            };
            let stages: Vec<String> = rebuilt
                .timings
                .iter()
                .map(|(s, ms)| format!("{s} {ms:.0}"))
                .collect();
            let _ = tx.send(format!(
                "{how}, {} ms, {} pages rendered, {} files changed; {}",
                rebuilt.millis,
                rebuilt.rendered,
                rebuilt.changed.len(),
                stages.join(", ")
            ));
        }
    });
    let start = Instant::now();
    let opts = ServeOptions {
        root: root.clone(),
        bind: "127.0.0.1".into(),
        port: 0,
        drafts: Drafts::Exclude,
        // As `brief serve` has it.
        debounce: serve::DEBOUNCE,
    };
    let running = serve::start(opts, report).expect("the site builds");
    println!("first build and listen: {} ms", start.elapsed().as_millis());
    let mut stream = TcpStream::connect(running.addr).unwrap();
    write!(
        stream,
        "GET /__brief/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let (events_tx, events) = mpsc::channel::<Instant>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if line.starts_with("event: reload") {
                let _ = events_tx.send(Instant::now());
            }
            line.clear();
        }
    });
    let stories = root.join("content/stories");
    let mut files: Vec<_> = std::fs::read_dir(&stories)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let original = std::fs::read_to_string(&file).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let mut times = Vec::new();
    for i in 0..edits {
        let saved = Instant::now();
        let edited = if summary && original.contains("\nsummary: ") {
            original.replacen("\nsummary: ", &format!("\nsummary: Edit number {i}. "), 1)
        } else if summary {
            let body = original.find("\n---\n").map_or(0, |at| at + 5);
            format!(
                "{}Edit number {i}. {}",
                &original[..body],
                &original[body..]
            )
        } else {
            format!("{original}\nEdit number {i}.\n")
        };
        std::fs::write(&file, edited).unwrap();
        match events.recv_timeout(Duration::from_secs(60)) {
            Ok(at) => {
                let ms = (at - saved).as_secs_f64() * 1000.0;
                let line = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
                println!("edit {i}: reload event after {ms:.0} ms ({line})");
                times.push(ms);
            }
            Err(_) => println!("edit {i}: no reload event within 60 s"),
        }
        std::thread::sleep(Duration::from_millis(300));
        while rx.try_recv().is_ok() {}
    }
    std::fs::write(&file, original).unwrap();
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        println!(
            "median edit-to-reload latency over {} edits: {:.0} ms (min {:.0}, max {:.0})",
            times.len(),
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
    running.stop();
}
