#!/usr/bin/env bash
# CI smoke of the benchmark tooling (no timing asserted): the generator, the
# hidden --stop-after stages, the saphyr floor binary, the determinism check
# and the instruction/wall-clock scripts' moving parts run on a small corpus,
# so the scripts never rot. Asserts only correctness: the injected mistakes
# are found and output is identical whatever -j.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/kwire
cargo build --release --quiet --bin kwire --example gen_corpus --example saphyr_floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$target/release/examples/gen_corpus" "$tmp/c" --apps 300 --namespaces 6 --mistakes 25 \
  >"$tmp/gen.out" 2>"$tmp/expected.txt"
read -r files docs bytes <"$tmp/gen.out"
echo "smoke corpus: $files files, $docs documents, $bytes bytes"

"$bin" lint --stop-after read "$tmp/c" 2>"$tmp/read.err"
"$bin" lint --stop-after parse "$tmp/c" 2>"$tmp/parse.err"
grep -q "$docs documents" "$tmp/parse.err" || { echo "parse-only saw: $(cat "$tmp/parse.err")"; exit 1; }
"$target/release/examples/saphyr_floor" -j 2 "$tmp/c" >"$tmp/floor.out"
[ "$(cut -d' ' -f2 "$tmp/floor.out")" = "$docs" ] || { echo "saphyr floor saw: $(cat "$tmp/floor.out")"; exit 1; }
"$target/release/examples/saphyr_floor" -j 2 --events "$tmp/c" >/dev/null
"$target/release/examples/saphyr_floor" -j 2 --granit "$tmp/c" >/dev/null

# The injected mistakes, and nothing else, are found.
"$bin" lint -f json --fail-on never "$tmp/c" >"$tmp/report.json"
python3 - "$tmp/report.json" "$tmp/c" "$tmp/expected.txt" <<'PY'
import json, os, sys
report, root = json.load(open(sys.argv[1])), sys.argv[2]
# Practice findings (KW5xxx) are a matter of taste; everything else must be
# exactly the injected mistakes (see tests/it/bench_corpus.rs).
got = sorted({f"{os.path.relpath(d['file'], root)} {d['code']}" for d in report["diagnostics"]
              if not d["code"].startswith("KW5")})
want = sorted({l.strip() for l in open(sys.argv[3]) if l.strip()})
if got != want:
    print("generator/lint mismatch:\n  only found:", sorted(set(got) - set(want)),
          "\n  only expected:", sorted(set(want) - set(got)))
    sys.exit(1)
print(f"injected mistakes found: {len(want)}")
PY
benches/check-deterministic.sh "$bin" "$tmp/c"
# benches/pairs.py (graph-bench.sh's ratios) on the small corpus.
python3 benches/pairs.py -n 2 -w 0 -s 0.1 -- "$bin" lint -f json --fail-on never "$tmp/c" -- "$bin" graph -f json "$tmp/c" \
  | grep -q "B/A over 2 pairs.*settle 0.1 s" && echo "pairs.py: ok"
if command -v hyperfine >/dev/null; then
  hyperfine -N --runs 2 --warmup 0 "$bin lint --stop-after parse $tmp/c" >/dev/null && echo "hyperfine: ok"
fi
echo "bench smoke: ok"
