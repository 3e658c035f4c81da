#!/usr/bin/env bash
# `kwire graph` against `kwire lint` of the same files, in one hyperfine run
# per corpus (issue 13: graph at most 1.25x lint; lint not slower than a
# baseline binary by more than 5%). Ratios are taken inside one run, and as
# the median of interleaved pairs (benches/pairs.py, which also prints the ratios
# of each command's fastest, first-quartile and median run): back to back, and
# settled (`-s SETTLE`, default 6 s, before every run) so that neither command
# inherits the memory the other just freed (docs/performance.md, eighth pass).
# SETTLE=0 skips the settled pairs.
#
#   benches/graph-bench.sh                   # real corpus + generated 10,000 apps
#   BASE=/path/to/old/kwire benches/graph-bench.sh   # adds the baseline's lint
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
REAL=${REAL:-../shared/corpus/real}
WORK=${WORK:-/tmp/kwire-graph-bench}
RUNS=${RUNS:-10}
SETTLE=${SETTLE:-6}
APPS=${APPS:-10000}
cargo build --release --quiet --bin kwire --example gen_corpus
bin=$target/release/kwire
mkdir -p "$WORK"
[ -d "$WORK/gen$APPS" ] || "$target/release/examples/gen_corpus" "$WORK/gen$APPS" --apps "$APPS" --namespaces 8 >/dev/null 2>&1
for corpus in "$REAL" "$WORK/gen$APPS"; do
  [ -d "$corpus" ] || { echo "skip $corpus (not found)"; continue; }
  cmds=()
  [ -n "${BASE:-}" ] && cmds+=("$BASE lint -f json --fail-on never $corpus")
  cmds+=("$bin lint -f json --fail-on never $corpus" "$bin graph -f json $corpus" "$bin graph $corpus")
  echo "== $corpus (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  hyperfine -N -w 2 -r "$RUNS" "${cmds[@]}"
  # The ratios the issue asks for, as medians of interleaved pairs (hyperfine's
  # means drift with the shared machine's load; a pair sees one load).
  python3 benches/pairs.py -n "$RUNS" -- $bin lint -f json --fail-on never "$corpus" -- $bin graph -f json "$corpus"
  python3 benches/pairs.py -n "$RUNS" -- $bin lint --fail-on never "$corpus" -- $bin graph "$corpus"
  if [ "$SETTLE" != 0 ]; then
    python3 benches/pairs.py -n "$RUNS" -s "$SETTLE" -- $bin lint -f json --fail-on never "$corpus" -- $bin graph -f json "$corpus"
  fi
  if [ -n "${BASE:-}" ]; then
    python3 benches/pairs.py -n "$RUNS" -- "$BASE" lint -f json --fail-on never "$corpus" -- $bin lint -f json --fail-on never "$corpus"
  fi
done
