#!/usr/bin/env bash
# Load-proof measurements: instructions executed (valgrind callgrind "Ir",
# all threads summed), repeatable to within a fraction of a percent however
# busy the machine is. Ratios of these are what to compare while the machine
# is shared; wall time comes from benches/bench-all.sh on a quiet machine.
#
#   benches/instructions.sh [PATH]     # default: a generated 1000-app corpus
#   PROFILE=1 benches/instructions.sh  # also the top functions of full lint
#
# Prints instructions for: read only, parse-only, full lint (plain), saphyr's
# tree loader, saphyr events, granit events; and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
target=${CARGO_TARGET_DIR:-$repo/target}
bin=$target/release/kwire
floor=$target/release/examples/saphyr_floor
gen=$target/release/examples/gen_corpus
WORK=${WORK:-/tmp/kwire-bench}
APPS=${APPS:-1000}
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet --bin kwire --example gen_corpus --example saphyr_floor
fi
command -v valgrind >/dev/null || { echo "valgrind not found (apt-get install -y valgrind)"; exit 2; }
dir=${1:-}
if [ -z "$dir" ]; then
  dir=$WORK/apps-$APPS
  if [ ! -f "$dir.docs" ]; then
    rm -rf "$dir"
    mkdir -p "$WORK"
    "$gen" "$dir" --apps "$APPS" --namespaces 20 | awk '{print $2}' >"$dir.docs"
  fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ir NAME CMD... -> prints the total instructions of CMD
ir() {
  local name=$1; shift
  valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.out" "$@" >/dev/null 2>"$tmp/$name.err" || true
  awk '/^summary:|^totals:/{print $2; exit}' "$tmp/$name.out"
}

echo "instructions (callgrind Ir, -j 1) over $dir"
declare -A n
n[read]=$(ir read "$bin" lint -j 1 --stop-after read "$dir")
n[parse]=$(ir parse "$bin" lint -j 1 --stop-after parse "$dir")
n[lint]=$(ir lint "$bin" lint -j 1 -f plain --fail-on never "$dir")
n[saphyr]=$(ir saphyr "$floor" -j 1 "$dir")
n[saphyr_events]=$(ir saphyr_events "$floor" -j 1 --events "$dir")
n[granit_events]=$(ir granit_events "$floor" -j 1 --granit "$dir")
for k in read parse lint saphyr saphyr_events granit_events; do
  printf '  %-15s %15s\n' "$k" "${n[$k]}"
done
python3 - "${n[read]}" "${n[parse]}" "${n[lint]}" "${n[saphyr]}" "${n[saphyr_events]}" "${n[granit_events]}" <<'PY'
import sys
read, parse, lint, saphyr, sev, gev = map(int, sys.argv[1:])
print(f"  full lint / parse-only        = {lint/parse:.2f}  (target <= 1.5)")
print(f"  parse-only / saphyr tree      = {parse/saphyr:.2f}  (target <= 1.0)")
print(f"  full lint / saphyr tree       = {lint/saphyr:.2f}")
print(f"  granit events / saphyr events = {gev/sev:.2f}")
print(f"  parse-only / granit events    = {parse/gev:.2f}")
PY
if [ -n "${PROFILE:-}" ]; then
  echo
  echo "top functions of full lint (inclusive of nothing: self cost):"
  callgrind_annotate --threshold=95 "$tmp/lint.out" 2>/dev/null | sed -n '/^Ir/,$p' | head -45
fi
