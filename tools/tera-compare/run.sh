#!/usr/bin/env bash
# Tera 1.20 against Tera 2 on brief's default theme (issue #3), end to end:
#   1. page contexts: a generated 2,000-story site (and brief's own example
#      site) built with every page template replaced by
#      `{{ __tera_context | safe }}`, so each page's file is its JSON context;
#   2. check: every page rendered with Tera 1 (brief's theme at BRIEF_REV)
#      and Tera 2 (the port, brief's theme since PORT_REV), compared with
#      each other and with brief's own output;
#   3. bench: compile, context and render times, engines alternating, medians;
#      once with Tera 2's default features and once with its `fast` feature;
#   4. build cost: clean build time, crate count and binary size of a program
#      using only Tera 1, only Tera 2, or neither; brief's crate count with
#      tera 2 in place of tera 1 (resolution only);
#   5. callgrind instruction counts (CALLGRIND=0 skips it).
#
# Usage: tools/tera-compare/run.sh            (from anywhere; about 25 minutes
#        on 2 shared cores, most of it clean builds and callgrind)
# Knobs: WORK=/tmp/tc  REPS=7  STORIES=2000  CALLGRIND=1  BUILDCOST=1
#        BRIEF_BIN=... GENCORPUS_BIN=...  (skip building brief: use these)
# Writes everything under $WORK; nothing in the repository but
# tools/tera-compare/target/ (gitignored).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/tc}
REPS=${REPS:-7}
STORIES=${STORIES:-2000}
CALLGRIND=${CALLGRIND:-1}
BUILDCOST=${BUILDCOST:-1}
mkdir -p "$WORK/bin"
log() { printf '\n== %s\n' "$*" >&2; }

# ---- 1. brief and gencorpus, from a snapshot of HEAD in its own target dir
# (brief's target/ may be in use; uncommitted edits are left out).
# brief moved to Tera 2 after this comparison: the Tera 1 side (brief's
# binary, which dumps the contexts, and the Tera 1 theme) comes from the last
# commit on Tera 1, BRIEF_REV.
BRIEF_REV=${BRIEF_REV:-4d89872}
rm -rf "$WORK/brief-src" && mkdir -p "$WORK/brief-src"
git -C "$ROOT" archive "$BRIEF_REV" | tar -x -C "$WORK/brief-src"
if [[ -z "${BRIEF_BIN:-}" || -z "${GENCORPUS_BIN:-}" ]]; then
  log "building brief and gencorpus at $BRIEF_REV"
  cargo build --release --locked --manifest-path "$WORK/brief-src/Cargo.toml" \
    --target-dir "$WORK/brief-target" --bin brief --example gencorpus
  BRIEF_BIN=$WORK/brief-target/release/brief
  GENCORPUS_BIN=$WORK/brief-target/release/examples/gencorpus
fi

# ---- the page contexts
PAGE_TEMPLATES="note list index timeline changes graph search 404 page stub"
dump_contexts() { # site-folder public-out contexts-out
  local site=$1
  rm -rf "$site/templates" "$2" "$3"
  "$BRIEF_BIN" build --root "$site" --output "$2" >&2
  mkdir -p "$site/templates"
  for t in $PAGE_TEMPLATES; do
    printf '{{ __tera_context | safe }}' > "$site/templates/$t.html"
  done
  "$BRIEF_BIN" build --root "$site" --output "$3" >&2
  rm -rf "$site/templates"
}
log "generating the $STORIES-story site and dumping its page contexts"
rm -rf "$WORK/site"
"$GENCORPUS_BIN" --stories "$STORIES" --seed 1 --out "$WORK/site" >&2
dump_contexts "$WORK/site" "$WORK/public" "$WORK/contexts"
log "dumping the page contexts of brief's own example site"
rm -rf "$WORK/example" && mkdir -p "$WORK/example"
cp -r "$WORK/brief-src/site.yaml" "$WORK/brief-src/content" "$WORK/brief-src/themes" "$WORK/example/"
dump_contexts "$WORK/example" "$WORK/example-public" "$WORK/example-contexts"

# ---- the harness, with Tera 2's default features and with `fast`
log "building tera-compare"
cd "$HERE"
cargo build --release --locked
cp target/release/tera-compare "$WORK/bin/tera-compare-default"
cargo build --release --locked --features fast
cp target/release/tera-compare "$WORK/bin/tera-compare-fast"
T1=$WORK/brief-src/themes/default/templates
# The port became brief's default theme at PORT_REV.
PORT_REV=${PORT_REV:-f4eb030}
rm -rf "$WORK/port-src" && mkdir -p "$WORK/port-src"
git -C "$ROOT" archive "$PORT_REV" themes/default/templates | tar -x -C "$WORK/port-src"
T2=$WORK/port-src/themes/default/templates

# ---- 2. check
log "check: Tera 1 and Tera 2 outputs, and Tera 1 against brief's pages"
for v in default fast; do
  "$WORK/bin/tera-compare-$v" check \
    --contexts "$WORK/contexts:$WORK/example-contexts" --t1 "$T1" --t2 "$T2" \
    --brief "$WORK/public:$WORK/example-public" --out "$WORK/rendered-$v" \
    | tee "$WORK/check-$v.txt"
done

# ---- 3. bench (single-threaded; the two variants one after the other)
for v in default fast; do
  log "bench: Tera 2 with $v features, $REPS reps"
  "$WORK/bin/tera-compare-$v" bench --contexts "$WORK/contexts" --t1 "$T1" --t2 "$T2" \
    --reps "$REPS" --json "$WORK/bench-$v.json" | tee "$WORK/bench-$v.md"
done

# ---- 4. build cost
if [[ "$BUILDCOST" == 1 ]]; then
  log "build cost: one small program per engine"
  BC=$WORK/buildcost
  rm -rf "$BC" && mkdir -p "$BC"
  mkprog() { # name dependency-lines main-body
    mkdir -p "$BC/$1/src"
    printf '[package]\nname = "bc-%s"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n\n[dependencies]\nserde_json = "1"\n%s\n\n[profile.release]\ndebug = false\ncodegen-units = 16\n' "$1" "$2" > "$BC/$1/Cargo.toml"
    printf '%s\n' "$3" > "$BC/$1/src/main.rs"
    cp "$HERE/Cargo.lock" "$BC/$1/Cargo.lock" # the same versions as the harness
  }
  mkprog none '' 'fn main() { let v: serde_json::Value = serde_json::from_str(&std::env::args().nth(1).unwrap_or("{}".into())).unwrap(); println!("{v}"); }'
  mkprog tera1 'tera = { version = "1.20", default-features = false }' 'fn main() { let v: serde_json::Value = serde_json::from_str(&std::env::args().nth(1).unwrap_or("{}".into())).unwrap(); let mut t = tera::Tera::default(); t.add_raw_templates(vec![("m.html", "{% macro x(a) %}{{ a }}{% endmacro %}"), ("p.html", "{% import \"m.html\" as m %}{% for k, x in v %}{{ k | upper }}{{ m::x(a=x) }}{% endfor %}")]).unwrap(); let c = tera::Context::from_serialize(serde_json::json!({"v": v})).unwrap(); println!("{}", t.render("p.html", &c).unwrap()); }'
  T2MAIN='fn main() { let v: serde_json::Value = serde_json::from_str(&std::env::args().nth(1).unwrap_or("{}".into())).unwrap(); let mut t = tera::Tera::default(); t.add_raw_templates(vec![("m.html", "{% component x(a) %}{{ a }}{% endcomponent %}"), ("p.html", "{% for k, x in v %}{{ k | upper }}{{ <x a={x}/> }}{% endfor %}")]).unwrap(); let c = tera::Context::from_serialize(&serde_json::json!({"v": v})).unwrap(); println!("{}", t.render("p.html", &c).unwrap()); }'
  mkprog tera2 'tera = { version = "2", features = ["preserve_order"] }' "$T2MAIN"
  mkprog tera2-fast 'tera = { version = "2", features = ["preserve_order", "fast"] }' "$T2MAIN"
  {
    echo "| program | crates (cargo tree, normal + build deps) | clean release build, wall | binary | binary minus none |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    base=
    for p in none tera1 tera2 tera2-fast; do
      crates=$(cd "$BC/$p" && cargo tree -e normal,build --prefix none | sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | wc -l)
      start=$(date +%s%N)
      (cd "$BC/$p" && cargo build --release --quiet)
      secs=$(awk "BEGIN{printf \"%.1f\", ($(date +%s%N) - $start) / 1e9}")
      size=$(stat -c %s "$BC/$p/target/release/bc-$p")
      base=${base:-$size}
      printf '| %s | %d | %s s | %d KiB | %+d KiB |\n' "$p" "$crates" "$secs" $((size / 1024)) $(((size - base) / 1024))
    done
  } | tee "$WORK/buildcost.md"
  # brief's own tree with tera 2 in place of tera 1 (resolution only, on a
  # copy of HEAD; brief itself would not compile against it unported).
  if [[ -d "$WORK/brief-src" ]]; then SNAP=$WORK/brief-src; else
    SNAP=$WORK/brief-snap; rm -rf "$SNAP" && mkdir -p "$SNAP"
    git -C "$ROOT" archive HEAD | tar -x -C "$SNAP"
  fi
  count() { (cd "$SNAP" && cargo tree -e normal,build --prefix none "$@" | sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | wc -l); }
  b1=$(count --locked)
  cp "$SNAP/Cargo.toml" "$SNAP/Cargo.toml.orig"
  sed -i 's/^tera = .*/tera = { version = "2", features = ["preserve_order"] }/' "$SNAP/Cargo.toml"
  b2=$(count)
  mv "$SNAP/Cargo.toml.orig" "$SNAP/Cargo.toml"
  (cd "$SNAP" && git -C "$ROOT" show HEAD:Cargo.lock > Cargo.lock)
  printf '\nbrief (normal + build dependencies, no dev): %d crates with tera 1.20, %d with tera 2\n' "$b1" "$b2" | tee -a "$WORK/buildcost.md"
fi

# ---- 5. callgrind: instructions of each measured phase (inclusive), one run
# per engine; the JSON parsing before it is not counted.
if [[ "$CALLGRIND" == 1 ]] && command -v valgrind >/dev/null; then
  log "callgrind (a few minutes)"
  {
    echo "| phase (instructions, callgrind) | Tera 1.20 | Tera 2 (default) | Tera 2 (fast) |"
    echo "| --- | ---: | ---: | ---: |"
    for e in t1 t2 t2fast; do
      bin=$WORK/bin/tera-compare-default; eng=$e
      [[ $e == t2fast ]] && bin=$WORK/bin/tera-compare-fast && eng=t2
      valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.$e.out" \
        "$bin" once --contexts "$WORK/contexts" --t1 "$T1" --t2 "$T2" --engine "$eng" --phase render \
        2> "$WORK/callgrind.$e.log"
      callgrind_annotate --inclusive=yes --threshold=100 "$WORK/callgrind.$e.out" \
        | grep -E 'measured_(compile|context|render)_t[12]' > "$WORK/callgrind.$e.txt" || true
    done
    for phase in compile context render; do
      row="| $phase |"
      for e in t1 t2 t2fast; do
        n=$(grep -E "measured_${phase}_t[12]" "$WORK/callgrind.$e.txt" | head -1 | awk '{print $1}')
        row="$row ${n:-?} |"
      done
      echo "$row"
    done
  } | tee "$WORK/callgrind.md"
fi

log "done: $WORK/check-*.txt, bench-*.md, buildcost.md, callgrind.md"
