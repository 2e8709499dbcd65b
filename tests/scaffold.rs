//! `brief init`, `brief new`, `brief completions` and `brief man`, run as a
//! user would: the real binary in temporary folders far from the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brief(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// Every file under `dir` with its bytes, to show that nothing changed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), Vec::new());
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

/// A temporary folder with a site made by `brief init site`.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&brief(tmp.path(), &["init", "site"]));
    let root = tmp.path().join("site");
    (tmp, root)
}

#[test]
fn init_then_build_and_check_work_without_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let out = brief(tmp.path(), &["init", "site"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.contains("cd site\n  brief serve"), "{text}");
    let root = tmp.path().join("site");
    for file in [
        "site.yaml",
        ".gitignore",
        "content/_index.md",
        "themes/default/templates/note.html",
        "themes/default/static/style.css",
    ] {
        assert!(root.join(file).is_file(), "{file} is missing");
    }
    for collection in ["companies", "people", "stories", "topics"] {
        let notes = std::fs::read_dir(root.join("content").join(collection)).unwrap();
        assert_eq!(notes.count(), 1, "one example note in {collection}");
    }
    let check = brief(&root, &["check", "--strict"]);
    assert_ok(&check);
    assert!(!root.join("public").exists(), "check wrote files");
    assert_ok(&brief(&root, &["build", "--strict"]));
    for page in [
        "index.html",
        "stories/kestrel-raises-series-b/index.html",
        "companies/kestrel-robotics/index.html",
        "people/ana-ruiz/index.html",
        "topics/warehouse-automation/index.html",
        "feed.xml",
    ] {
        assert!(root.join("public").join(page).is_file(), "{page} not built");
    }
}

#[test]
fn init_dot_fills_the_current_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let out = brief(tmp.path(), &["init", "."]);
    assert_ok(&out);
    assert!(stdout(&out).contains("  brief serve\n"), "{}", stdout(&out));
    assert!(tmp.path().join("site.yaml").is_file());
    assert_ok(&brief(tmp.path(), &["build"]));
}

#[test]
fn init_refuses_a_folder_with_files_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let before = tree(tmp.path());
    let out = brief(tmp.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: the folder is not empty"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn init_refuses_a_file_in_the_way() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site"), "a file").unwrap();
    let before = tree(tmp.path());
    let out = brief(tmp.path(), &["init", "site"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("exists and is not a folder"));
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn init_under_a_file_is_one_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes"), "a file").unwrap();
    let before = tree(tmp.path());
    let out = brief(tmp.path(), &["init", "notes/site"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(
        err.contains("notes/site: error: cannot create the folder"),
        "{err}"
    );
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn init_force_adds_the_starter_and_keeps_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("CNAME"), "news.example.org").unwrap();
    std::fs::write(tmp.path().join(".gitignore"), "mine\n").unwrap();
    assert_ok(&brief(tmp.path(), &["init", ".", "--force"]));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("CNAME")).unwrap(),
        "news.example.org"
    );
    // The user's .gitignore is kept, with the build output added to it.
    assert_eq!(
        std::fs::read_to_string(tmp.path().join(".gitignore")).unwrap(),
        "mine\n\n# brief's build output\n/public/\n"
    );
    assert!(tmp.path().join("site.yaml").is_file());
}

#[test]
fn new_in_every_collection_then_build() {
    let (_tmp, root) = new_site();
    let cases = [
        (
            "stories",
            "Kestrel opens a second plant",
            "kestrel-opens-a-second-plant",
        ),
        ("companies", "Tencent: the giant", "tencent-the-giant"),
        ("people", "Li Wei", "li-wei"),
        ("topics", "Robots", "robots"),
    ];
    for (collection, title, slug) in cases {
        let out = brief(&root, &["new", collection, title]);
        assert_ok(&out);
        let rel = format!("content/{collection}/{slug}.md");
        assert_eq!(stdout(&out), format!("created {rel}\n"));
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        assert!(text.starts_with("---\ntitle: "), "{text}");
        assert_eq!(text.contains("\ndate: "), collection == "stories", "{text}");
    }
    let company = std::fs::read_to_string(root.join("content/companies/tencent-the-giant.md"));
    let company = company.unwrap();
    assert!(
        company.contains("title: \"Tencent: the giant\"\n"),
        "{company}"
    );
    assert!(company.contains("summary: \"\"  # required\n"), "{company}");
    assert_ok(&brief(&root, &["build"]));
    // `check` passes, and lists what is left to fill in.
    let check = brief(&root, &["check"]);
    assert_ok(&check);
    assert!(
        stderr(&check).contains(
            "tencent-the-giant.md:3:1: warning: `summary` is empty, but notes in `companies` need it"
        ),
        "{}",
        stderr(&check)
    );
    assert!(
        !stderr(&check).contains("the summary is empty"),
        "told twice: {}",
        stderr(&check)
    );
    assert!(root
        .join("public/companies/tencent-the-giant/index.html")
        .is_file());
}

#[test]
fn new_takes_a_title_in_several_words_and_a_root() {
    let (tmp, _root) = new_site();
    let out = brief(
        tmp.path(),
        &["new", "people", "Ana", "Lopez", "--root", "site"],
    );
    assert_ok(&out);
    assert!(tmp
        .path()
        .join("site/content/people/ana-lopez.md")
        .is_file());
    assert!(stdout(&out).contains("ana-lopez.md"), "{}", stdout(&out));
}

#[test]
fn new_shortens_a_long_title_to_a_file_name_the_build_accepts() {
    let (_tmp, root) = new_site();
    let title = ["Extraordinarily"; 60].join(" ");
    let out = brief(&root, &["new", "stories", &title]);
    assert_ok(&out);
    let made: Vec<PathBuf> = std::fs::read_dir(root.join("content/stories"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("extraordinarily"))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    let stem = made[0].file_stem().unwrap().to_string_lossy().into_owned();
    assert!(stem.len() <= 200, "{} bytes", stem.len());
    // Cut after a whole word, and the title itself is kept whole.
    assert!(stem.ends_with("-extraordinarily"), "{stem}");
    let text = std::fs::read_to_string(&made[0]).unwrap();
    assert!(text.contains(&title), "{text}");
    assert_ok(&brief(&root, &["build"]));
}

#[test]
fn new_refuses_to_overwrite() {
    let (_tmp, root) = new_site();
    let before = tree(&root);
    let out = brief(&root, &["new", "people", "Ana Ruiz"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/people/ana-ruiz.md: error: a note with this name already exists"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

#[test]
fn new_refuses_a_title_another_note_has_as_its_title_or_alias() {
    let (_tmp, root) = new_site();
    let before = tree(&root);
    // The starter's company has the alias Kestrel; its title in another
    // collection, in other letter case, is refused too.
    for (title, how) in [("Kestrel", "alias"), ("kestrel robotics", "title")] {
        let out = brief(&root, &["new", "people", title]);
        assert_eq!(out.status.code(), Some(1), "{title}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "content/companies/kestrel-robotics.md: error: a note is already named \"{title}\" (its {how})"
            )),
            "{err}"
        );
    }
    assert_eq!(tree(&root), before);
}

#[test]
fn new_in_an_unknown_collection_lists_the_known_ones() {
    let (_tmp, root) = new_site();
    let before = tree(&root);
    let out = brief(&root, &["new", "storys", "Something"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "unknown collection `storys`: the collections are `companies`, `people`, `stories` and `topics`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean \"stories\"?"), "{err}");
    assert_eq!(tree(&root), before);
}

#[test]
fn new_outside_a_site_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = brief(tmp.path(), &["new", "stories", "Hello"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no site.yaml"), "{}", stderr(&out));
    assert_eq!(tree(tmp.path()).len(), 0);
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        brief(tmp.path(), &["new", "stories"]).status.code(),
        Some(2)
    );
    assert_eq!(brief(tmp.path(), &["init"]).status.code(), Some(2));
    assert_eq!(
        brief(tmp.path(), &["completions", "nosh"]).status.code(),
        Some(2)
    );
    // A bad flag value is one too, found before anything runs.
    let bad = brief(tmp.path(), &["build", "--base-url", "example.org"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("must start with http:// or https://"),
        "{}",
        stderr(&bad)
    );
}

#[cfg(unix)]
#[test]
fn new_open_runs_the_editor_on_the_note() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, root) = new_site();
    let editor = tmp.path().join("editor.sh");
    let log = tmp.path().join("opened.txt");
    std::fs::write(
        &editor,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["new", "topics", "Batteries", "--open"])
        .current_dir(&root)
        .env_remove("VISUAL")
        .env("EDITOR", &editor)
        .output()
        .unwrap();
    assert_ok(&out);
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(opened.trim(), "content/topics/batteries.md");
}

#[test]
fn new_open_without_an_editor_warns_and_keeps_the_note() {
    let (_tmp, root) = new_site();
    let out = brief(&root, &["new", "topics", "Batteries", "--open"]);
    assert_ok(&out);
    assert!(stderr(&out).contains("$EDITOR"), "{}", stderr(&out));
    assert!(root.join("content/topics/batteries.md").is_file());
}

#[test]
fn completions_and_man_page_come_from_the_command_line_definition() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = brief(tmp.path(), &["completions", shell]);
        assert_ok(&out);
        assert!(stdout(&out).contains("init"), "{shell}");
    }
    let man = brief(tmp.path(), &["man"]);
    assert_ok(&man);
    let page = stdout(&man);
    assert!(page.contains(".TH brief 1"), "{page}");
    assert!(page.contains("brief\\-new(1)"), "{page}");
    let dir = tmp.path().join("man1");
    assert_ok(&brief(tmp.path(), &["man", "--dir", "man1"]));
    for page in ["brief.1", "brief-init.1", "brief-new.1", "brief-build.1"] {
        assert!(dir.join(page).is_file(), "{page}");
    }
}

#[test]
fn every_help_shows_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let top = brief(tmp.path(), &["--help"]);
    assert_ok(&top);
    let text = stdout(&top);
    assert!(text.contains("Examples:"));
    // Every command listed by `brief --help`, so a new one cannot skip examples.
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains(&"init") && commands.contains(&"new"),
        "{text}"
    );
    for command in commands {
        let out = brief(tmp.path(), &[command, "--help"]);
        assert_ok(&out);
        assert!(stdout(&out).contains("Examples:"), "{command} --help");
    }
}
