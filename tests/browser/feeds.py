"""Every Atom feed of two builds of the same sites parses as Atom 1.0 with
Python's feedparser (no bozo error), has ids on the feed and every entry,
unique within the feed, and the two builds give the same feeds with the
same ids.

    python3 tests/browser/feeds.py BUILD_A BUILD_B

Run by tests/browser.rs; prints one line per problem and a summary.
"""

import os
import sys

import feedparser


def feeds(root):
    """Relative paths of every Atom feed (an .xml file whose root is <feed>)."""
    out = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".xml"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                head = f.read(512)
            if b"<feed" in head and b"http://www.w3.org/2005/Atom" in head:
                out.append(os.path.relpath(path, root))
    return sorted(out)


def check(path, problems):
    """Parses one feed; returns its ids (feed id first)."""
    d = feedparser.parse(path)
    if d.bozo:
        problems.append(f"{path}: not well-formed: {d.bozo_exception}")
    if d.version != "atom10":
        problems.append(f"{path}: parsed as {d.version or 'nothing'}, not Atom 1.0")
    feed = d.feed
    for key in ("id", "title", "updated"):
        if not feed.get(key):
            problems.append(f"{path}: the feed has no {key}")
    if not any(l.get("rel") == "self" for l in feed.get("links", [])):
        problems.append(f"{path}: no rel=self link")
    ids = [feed.get("id", "")]
    for i, e in enumerate(d.entries):
        for key in ("id", "title", "link", "updated"):
            if not e.get(key):
                problems.append(f"{path}: entry {i + 1} has no {key}")
        ids.append(e.get("id", ""))
    entry_ids = ids[1:]
    if len(set(entry_ids)) != len(entry_ids):
        problems.append(f"{path}: duplicate entry ids")
    return ids, len(d.entries)


def main(a, b):
    problems = []
    fa, fb = feeds(a), feeds(b)
    if fa != fb:
        problems.append(f"the two builds have different feeds: {sorted(set(fa) ^ set(fb))}")
    entries = 0
    for rel in fa:
        ids_a, n = check(os.path.join(a, rel), problems)
        entries += n
        if rel in fb:
            ids_b, _ = check(os.path.join(b, rel), [])
            if ids_a != ids_b:
                problems.append(f"{rel}: ids differ between builds: {ids_a} vs {ids_b}")
    for p in problems:
        print(p)
    print(f"feeds: {len(fa)} Atom feeds, {entries} entries; {len(problems)} problems")
    if not fa:
        print("feeds: no feed found")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
