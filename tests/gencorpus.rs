//! The benchmark corpus generator (`examples/gencorpus`): the same size and
//! seed give byte-identical trees, and brief builds what it generates
//! without an error, as the benchmarks and CI rely on.

#[path = "../examples/gencorpus/corpus/mod.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::Path;

use brief::pipeline::{build, BuildOptions};

/// Every file under `root`, by `/`-separated relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{rel}{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{path}/"), out);
            } else {
                out.insert(path, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

fn generate(stories: usize, seed: u64, format: &str, out: &Path) -> corpus::Summary {
    let opts = corpus::Options {
        stories,
        seed,
        format: corpus::Format::parse(format).unwrap(),
    };
    corpus::generate(&opts, out).unwrap()
}

#[test]
fn same_seed_gives_byte_identical_trees() {
    for format in ["brief", "hugo", "zola"] {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = generate(200, 42, format, a.path());
        let sb = generate(200, 42, format, b.path());
        assert_eq!(sa, sb);
        let (ta, tb) = (tree(a.path()), tree(b.path()));
        assert_eq!(ta.len(), sa.files, "{format}: file count");
        assert_eq!(
            ta.keys().collect::<Vec<_>>(),
            tb.keys().collect::<Vec<_>>(),
            "{format}: paths differ"
        );
        for (path, bytes) in &ta {
            assert!(tb[path] == *bytes, "{format}: {path} differs between runs");
        }
    }
}

#[test]
fn another_seed_gives_another_corpus() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    generate(20, 1, "brief", a.path());
    generate(20, 2, "brief", b.path());
    assert_ne!(tree(a.path()), tree(b.path()));
}

#[test]
fn generated_sizes_follow_the_story_count() {
    let dir = tempfile::tempdir().unwrap();
    let s = generate(300, 3, "brief", dir.path());
    assert_eq!(
        (s.stories, s.companies, s.people, s.topics),
        (300, 30, 30, 30)
    );
    let t = tree(dir.path());
    let stories = t
        .keys()
        .filter(|p| p.starts_with("content/stories/"))
        .count();
    assert_eq!(stories, 300 + 1, "300 stories and the _index.md");
    assert!(t.contains_key("site.yaml"));
    assert!(t.keys().any(|p| p.starts_with("themes/default/templates/")));
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let opts = corpus::Options {
        stories: 10,
        seed: 1,
        format: corpus::Format::Brief,
    };
    assert!(corpus::generate(&opts, dir.path()).is_err());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn brief_builds_a_generated_site_of_1000_stories() {
    let site = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    generate(1000, 1, "brief", site.path());
    let opts = BuildOptions {
        output: Some(out.path().join("public")),
        ..BuildOptions::new(site.path())
    };
    let built = match build(&opts) {
        Ok(built) => built,
        Err(diags) => {
            let lines: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
            panic!("the generated site failed to build:\n{}", lines.join("\n"));
        }
    };
    // Warnings are expected (references to stub topics, stories nothing
    // links to); errors are not.
    let stats = &built.assembled.stats;
    assert_eq!(stats.notes, 1000 + 100 + 100 + 30);
    assert!(
        stats.stubs > 0,
        "references to missing topics make stub pages"
    );
    assert!(built.commit.written > stats.pages);
    let story_pages = std::fs::read_dir(out.path().join("public/stories"))
        .unwrap()
        .count();
    assert!(story_pages >= 1000, "one folder per story, plus list pages");
}

#[test]
fn generated_front_matter_takes_the_fast_path_and_reads_as_serde_yaml_does() {
    // The benchmarks' speed rests on the front matter of generated notes
    // being read without serde_yaml; where read, it must read the same.
    let dir = tempfile::tempdir().unwrap();
    generate(200, 7, "brief", dir.path());
    let mut notes = 0;
    for (path, bytes) in tree(&dir.path().join("content")) {
        let text = String::from_utf8(bytes).unwrap();
        let split = brief::content::frontmatter::split(&text).unwrap();
        let fast = brief::content::simple_yaml::parse(split.yaml);
        let Some((fast, keys)) = fast else {
            panic!("{path}: left to serde_yaml:\n{}", split.yaml);
        };
        let slow: serde_yaml::Value = serde_yaml::from_str(split.yaml).unwrap();
        assert_eq!(serde_yaml::Value::Mapping(fast), slow, "{path}");
        // The keys' places, given on the way, are the scanner's.
        assert_eq!(
            keys,
            brief::content::frontmatter::top_keys(split.yaml),
            "{path}"
        );
        notes += 1;
    }
    assert!(notes > 250, "{notes}");
}
