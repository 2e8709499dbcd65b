//! A build killed at any moment (SIGKILL, through `Child::kill`) never
//! leaves a truncated file: every file in the output is whole, either the
//! version of one build or of the other. The next complete build repairs the
//! output to exactly what a clean build gives, and a foreign file (`CNAME`)
//! survives it all. A build stopped with Ctrl-C (SIGINT) takes back what
//! it staged and leaves the output exactly as it was.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use brief::pipeline::{self, BuildOptions};
use common::{copy_tree, repo, snapshot};

/// A site of `stories` dated stories and 40 companies; `version` changes
/// every body, and which stories exist.
fn write_site(root: &Path, version: u32, stories: usize) {
    copy_tree(&repo().join("themes/default"), &root.join("themes/default"));
    std::fs::write(
        root.join("site.yaml"),
        "title: Interrupted\nbase_url: https://example.org/\ncollections:\n  stories: {dated: true, per_page: 20}\n  companies: {}\n",
    )
    .unwrap();
    let companies = root.join("content/companies");
    let dir = root.join("content/stories");
    std::fs::create_dir_all(&companies).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    for c in 0..40 {
        std::fs::write(
            companies.join(format!("c{c}.md")),
            format!("---\ntitle: Company {c}\n---\nCompany {c}, version {version}.\n"),
        )
        .unwrap();
    }
    // Version 2 drops the first 30 stories and adds 30 new ones.
    let range = if version == 1 {
        0..stories
    } else {
        30..stories + 30
    };
    for s in range {
        let text = format!(
            "---\ntitle: Story {s}\ndate: 2024-{:02}-{:02}\ncompanies: [c{}, c{}]\n---\n\
             Story {s} (version {version}) mentions [[c{}]].\n\n{}\n",
            s % 12 + 1,
            s % 28 + 1,
            s % 40,
            (s * 7) % 40,
            (s * 3) % 40,
            "Words about chips, clouds and models. ".repeat(30)
        );
        std::fs::write(dir.join(format!("s{s}.md")), text).unwrap();
    }
}

/// A deterministic pseudo-random sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(dir).into_iter().collect()
}

fn build_command(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_brief"));
    cmd.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn is_bookkeeping(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path == ".brief-manifest"
        || path == ".brief-writing"
        || (name.starts_with('.') && name.ends_with(".brief-tmp"))
}

#[test]
fn builds_killed_at_random_moments_leave_whole_files_and_the_next_build_repairs_all() {
    let tmp = tempfile::tempdir().unwrap();
    let roots = [tmp.path().join("v1"), tmp.path().join("v2")];
    write_site(&roots[0], 1, 200);
    write_site(&roots[1], 2, 200);
    // Clean builds of both versions, through the library.
    let mut clean = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        let mut opts = BuildOptions::new(root);
        opts.output = Some(tmp.path().join(format!("clean{i}")));
        pipeline::build(&opts).unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        clean.push(files(&tmp.path().join(format!("clean{i}"))));
    }
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("CNAME"), "example.org\n").unwrap();
    // How long one whole build of the binary takes.
    let start = Instant::now();
    assert!(build_command(&roots[0], &out).status().unwrap().success());
    let whole = start.elapsed().as_millis().max(1) as u64;

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut killed_while_writing = 0;
    let rounds = 16;
    for round in 0..rounds {
        let version = round % 2;
        let mut child = build_command(&roots[version], &out).spawn().unwrap();
        if round % 3 == 0 {
            // At any moment of the build.
            std::thread::sleep(Duration::from_millis(rng.below(whole * 6 / 5)));
        } else {
            // During the write phase: wait for the marker, then a little.
            let marker = out.join(".brief-writing");
            let deadline = Instant::now() + Duration::from_millis(whole * 20 + 5000);
            while !marker.exists() && Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros(rng.below(whole * 300)));
        }
        let _ = child.kill();
        child.wait().unwrap();
        if out.join(".brief-writing").exists() {
            killed_while_writing += 1;
        }
        for (path, bytes) in files(&out) {
            if is_bookkeeping(&path) || path == "CNAME" {
                continue;
            }
            let whole_file =
                clean[0].get(&path) == Some(&bytes) || clean[1].get(&path) == Some(&bytes);
            assert!(
                whole_file,
                "round {round}: {path} ({} bytes) is neither version",
                bytes.len()
            );
        }
    }
    eprintln!("{killed_while_writing} of {rounds} builds were killed while writing");
    assert!(
        killed_while_writing > 0,
        "no build was killed during its write phase"
    );
    // A complete build repairs everything, whichever version was last.
    for (i, root) in roots.iter().enumerate() {
        assert!(build_command(root, &out).status().unwrap().success());
        let mut got = files(&out);
        assert_eq!(
            got.remove("CNAME").as_deref(),
            Some(&b"example.org\n"[..]),
            "the foreign file survives"
        );
        let leftovers: Vec<&String> = got.keys().filter(|p| is_bookkeeping(p)).collect();
        assert_eq!(leftovers, [".brief-manifest"], "temporary files remain");
        let want = &clean[i];
        let missing: Vec<&String> = want.keys().filter(|p| !got.contains_key(*p)).collect();
        let extra: Vec<&String> = got.keys().filter(|p| !want.contains_key(*p)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing {missing:?}, extra {extra:?}"
        );
        // The manifest's first line holds fingerprints of this folder's
        // files (their times differ from the clean build's); its paths must
        // be the same.
        let paths = |files: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
            String::from_utf8_lossy(&files[".brief-manifest"])
                .lines()
                .filter(|l| !l.starts_with('/'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(paths(&got), paths(want), "manifest paths");
        let mut want = want.clone();
        want.remove(".brief-manifest");
        got.remove(".brief-manifest");
        assert!(
            got == want,
            "version {}: files differ from a clean build",
            i + 1
        );
    }
}

/// Sends SIGINT, as Ctrl-C in a terminal does (through the shell's `kill`,
/// which every system that runs the tests has).
fn interrupt(pid: u32) {
    let sent = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -INT {pid}"))
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn ctrl_c_while_writing_takes_back_what_was_staged_and_leaves_the_output_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let roots = [tmp.path().join("v1"), tmp.path().join("v2")];
    write_site(&roots[0], 1, 300);
    write_site(&roots[1], 2, 300);
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("CNAME"), "example.org\n").unwrap();
    assert!(build_command(&roots[0], &out).status().unwrap().success());
    let mut current = 0;
    let mut before = files(&out);
    let mut stopped = 0;
    for round in 0..12 {
        // The other version: every page changes, so the build stages many.
        let next = 1 - current;
        let mut child = build_command(&roots[next], &out).spawn().unwrap();
        let staging = out.join(".brief-staging");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !staging.exists() && Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        if round % 2 == 1 {
            std::thread::sleep(Duration::from_millis(5));
        }
        interrupt(child.id());
        let status = child.wait().unwrap();
        if status.success() {
            // Finished before the signal came: the next round starts
            // from this version.
            current = next;
            before = files(&out);
            continue;
        }
        assert_eq!(status.code(), Some(130), "round {round}: {status}");
        stopped += 1;
        assert!(!staging.exists(), "round {round}: the staging folder stays");
        assert!(
            !out.join(".brief-writing").exists(),
            "round {round}: the build marker stays"
        );
        assert!(
            files(&out) == before,
            "round {round}: the output changed although the build was stopped"
        );
    }
    eprintln!("{stopped} of 12 builds were stopped while staging");
    assert!(
        stopped > 0,
        "no build was stopped while it staged its files"
    );
    // The next build finds nothing to sweep and is up to date or builds.
    assert!(build_command(&roots[current], &out)
        .status()
        .unwrap()
        .success());
}
