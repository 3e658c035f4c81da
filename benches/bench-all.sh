#!/usr/bin/env bash
# Every wall-clock measurement of issue 7 in one command. Run it on a quiet
# machine (wall time is meaningless under load; see benches/instructions.sh
# for load-proof instruction counts).
#
#   benches/bench-all.sh                 # everything, results in $OUT/results.md
#   SIZES="1000 10000" benches/bench-all.sh      # skip the 100k corpus
#   SKIP_BUILD=1 RUNS=3 benches/bench-all.sh
#
# Environment: SIZES (apps per synthetic corpus; default "1000 10000 100000"),
# JOBS (threads for every tool; default nproc), REAL (real-world corpus;
# default ../shared/corpus/real), WORK (corpora, default /tmp/kwire-bench),
# OUT (results, default $WORK/results), RUNS/WARMUP (hyperfine), SKIP_BUILD.
#
# Measures, each as ratios taken in this one run:
#  1. floor: read-only, kwire parse-only, full lint, and saphyr's tree loader
#     (plus saphyr and granit event parsers) over the same files, on the 10k
#     corpus (or the largest size below it) and on the real corpus;
#  2. scaling: full lint per document at every size, and peak RSS
#     (/usr/bin/time -v) at the largest;
#  3. threads: -j 1 vs -j 2 on the 10k corpus, and byte-identical output
#     whatever -j;
#  4. one big file: 100k vs 300k findings in one file (time linear in findings);
#  5. start-up: one small file.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
SIZES=${SIZES:-"1000 10000 100000"}
JOBS=${JOBS:-$(nproc)}
REAL=${REAL:-$repo/../shared/corpus/real}
WORK=${WORK:-/tmp/kwire-bench}
OUT=${OUT:-$WORK/results}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
target=${CARGO_TARGET_DIR:-$repo/target}
bin=$target/release/kwire
floor=$target/release/examples/saphyr_floor
gen=$target/release/examples/gen_corpus

if ! command -v hyperfine >/dev/null; then
  echo "hyperfine not found: installing the Debian package"
  apt-get install -y hyperfine >/dev/null || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; }
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet --bin kwire --example gen_corpus --example saphyr_floor
fi
mkdir -p "$WORK" "$OUT"
results=$OUT/results.md
{
  echo "# kwire benchmark run"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- threads (-j) for every tool: $JOBS; hyperfine runs: $RUNS, warmup: $WARMUP"
  echo "- all times are wall-clock (hyperfine mean ± σ)"
  echo
} >"$results"

# corpus APPS -> prints its directory; documents in $dir.docs
corpus() {
  local apps=$1 dir=$WORK/apps-$1
  if [ ! -f "$dir.docs" ]; then
    rm -rf "$dir"
    "$gen" "$dir" --apps "$apps" --namespaces 20 | awk '{print $2}' >"$dir.docs"
  fi
  echo "$dir"
}

# mean seconds of one command in a hyperfine JSON export
mean() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"])' "$1" "$2"; }

hf() { # name, then commands
  local name=$1; shift
  hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/$name.json" \
    --export-markdown "$OUT/$name.md" "$@" >/dev/null
  cat "$OUT/$name.md" >>"$results"
  echo >>"$results"
}

floor_for() { # label dir
  local label=$1 dir=$2
  echo "## Floor: $label ($dir)" >>"$results"
  hf "floor-$label" \
    -n "read only" "$bin lint -j $JOBS --stop-after read $dir" \
    -n "kwire parse-only" "$bin lint -j $JOBS --stop-after parse $dir" \
    -n "kwire lint (full)" "$bin lint -j $JOBS -f plain --fail-on never $dir" \
    -n "saphyr MarkedYaml tree" "$floor -j $JOBS $dir" \
    -n "saphyr events" "$floor -j $JOBS --events $dir" \
    -n "granit events" "$floor -j $JOBS --granit $dir"
  local f=$OUT/floor-$label.json
  python3 - "$f" >>"$results" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = [x["mean"] for x in res]
lo = [x["min"] for x in res]
read, parse, lint, saphyr = r[0], r[1], r[2], r[3]
# The minimum is the least-disturbed run: on a shared machine it moves
# less than the mean, so both are printed.
print(f"- full lint / parse-only = {lint/parse:.2f} (target <= 1.5); of the fastest runs {lo[2]/lo[1]:.2f}")
print(f"- parse-only / saphyr tree loader = {parse/saphyr:.2f} (target <= 1.0); of the fastest runs {lo[1]/lo[3]:.2f}")
print(f"- full lint / saphyr tree loader = {lint/saphyr:.2f}")
print(f"- read-only share of parse-only = {read/parse:.2f}")
print()
PY
}

echo "== floor"
sizes=($SIZES)
mid=${sizes[0]}
for s in "${sizes[@]}"; do [ "$s" -le 10000 ] && mid=$s; done
floor_for "synthetic-${mid}-apps" "$(corpus "$mid")"
[ -d "$REAL" ] && floor_for real "$REAL"

echo "== scaling"
echo "## Scaling: full lint, time per document" >>"$results"
echo >>"$results"
echo "| apps | documents | mean s | µs/document | vs first |" >>"$results"
echo "|---:|---:|---:|---:|---:|" >>"$results"
first=
for s in "${sizes[@]}"; do
  dir=$(corpus "$s")
  docs=$(cat "$dir.docs")
  runs=$RUNS; [ "$s" -ge 100000 ] && runs=3
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$OUT/scale-$s.json" \
    "$bin lint -j $JOBS -f plain --fail-on never $dir" >/dev/null
  m=$(mean "$OUT/scale-$s.json" 0)
  per=$(python3 -c "print(f'{$m/$docs*1e6:.2f}')")
  [ -z "$first" ] && first=$per
  echo "| $s | $docs | $(printf '%.3f' "$m") | $per | $(python3 -c "print(f'{$per/$first:.2f}')") |" >>"$results"
done
echo >>"$results"
largest=${sizes[-1]}
dir=$(corpus "$largest")
/usr/bin/time -v "$bin" lint -j "$JOBS" -f plain --fail-on never "$dir" >/dev/null 2>"$OUT/rss.txt" || true
rss=$(awk -F: '/Maximum resident set size/{gsub(/ /,"",$2); print $2}' "$OUT/rss.txt")
echo "- peak RSS at $largest apps ($(cat "$dir.docs") documents): $((rss / 1024)) MiB (target < 3072 MiB)" >>"$results"
echo >>"$results"

echo "== threads"
dir=$(corpus "$mid")
echo "## Threads: -j 1 vs -j 2 ($mid apps)" >>"$results"
hf threads -n "1 thread (-j 1)" "$bin lint -j 1 -f plain --fail-on never $dir" \
  -n "2 threads (-j 2)" "$bin lint -j 2 -f plain --fail-on never $dir"
python3 - "$OUT/threads.json" >>"$results" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = [x["mean"] for x in res]
lo = [x["min"] for x in res]
print(f"- speed-up -j 2 over -j 1 = {r[0]/r[1]:.2f} (target >= 1.7); of the fastest runs {lo[0]/lo[1]:.2f}")
PY
"$repo/benches/check-deterministic.sh" "$bin" "$dir" >>"$results"
echo >>"$results"

echo "== one big file"
# Issue 17: findings in ONE file must cost what they cost over many files
# (the finish stage once scanned a file's objects per finding). Two
# findings (KW0002) per ConfigMap, all in one file; 100k vs 300k findings.
echo "## One big file: time linear in findings" >>"$results"
echo >>"$results"
echo "| objects | findings | mean s | finish stage (KWIRE_TIMINGS) |" >>"$results"
echo "|---:|---:|---:|---|" >>"$results"
big_ratio=()
for objects in 50000 150000; do
  big=$WORK/one-big-$objects.yaml
  [ -f "$big" ] || python3 - "$big" "$objects" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  a: p\n  a: q\n  b: p\n  b: q\n")
PY
  hyperfine -N --warmup 1 --runs 3 --export-json "$OUT/big-$objects.json" \
    "$bin lint -j $JOBS -f json --fail-on never $big" >/dev/null
  m=$(mean "$OUT/big-$objects.json" 0)
  finish=$(KWIRE_TIMINGS=1 "$bin" lint -j "$JOBS" -f json --fail-on never "$big" 2>&1 >/dev/null | grep -o 'finish [0-9.]* ms' || true)
  big_ratio+=("$m")
  echo "| $objects | $((objects * 2)) | $(printf '%.3f' "$m") | $finish |" >>"$results"
done
echo >>"$results"
echo "- 300k / 100k findings time ratio = $(python3 -c "print(f'{${big_ratio[1]}/${big_ratio[0]}:.2f}')") (target <= 3.5)" >>"$results"
echo >>"$results"

echo "== start-up"
small=$WORK/small.yaml
"$gen" "$WORK/small" --apps 1 --namespaces 1 >/dev/null
cp "$WORK"/small/team-0/app-0.yaml "$small"
echo "## Start-up: one small file ($(grep -c '^kind:' "$small") documents)" >>"$results"
hf startup -n "kwire lint small.yaml" "$bin lint -f plain --fail-on never $small"
python3 - "$OUT/startup.json" >>"$results" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["results"][0]["mean"]
print(f"- start-up = {m*1000:.1f} ms (target < 20 ms)")
PY

echo
cat "$results"
