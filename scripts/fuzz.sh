#!/usr/bin/env bash
# Coverage-guided fuzzing of kwire (issue 17): runs one cargo-fuzz target of
# fuzz/ for SECONDS and prints how many inputs it executed.
#
#   scripts/fuzz.sh TARGET SECONDS [EXTRA_CORPUS_DIR...]
#
# TARGET: lint (parse -> model -> rules, as a file and as stdin), formats
# (every output format of the report) or graph (`kwire graph`/`kwire trace`).
# The seeds (fuzz/corpus/TARGET) are read, never written: what the run
# learns goes to fuzz/work/TARGET (not committed), crashes to
# fuzz/artifacts/TARGET. Extra corpus directories (e.g.
# ../shared/corpus/real) are read only too. FUZZ_ARGS adds libFuzzer flags
# (e.g. FUZZ_ARGS="-jobs=1 -workers=1" on a shared machine).
#
# Stable toolchain only: cargo-fuzz needs nightly flags, which
# RUSTC_BOOTSTRAP=1 allows on stable. cargo-fuzz is installed if missing.
# No sanitizer: kwire has no unsafe code, and ASan halves the executions.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS [EXTRA_CORPUS_DIR...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2
case $target in
  lint | formats | graph) ;;
  *) echo "fuzz.sh: unknown target $target (lint, formats, graph)" >&2; exit 2 ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  if ! cargo install --locked cargo-fuzz; then
    # FUZZ_SKIP_UNAVAILABLE=1 (.ci/run): no crates.io, no fuzzing, said so
    # (a crash or a build failure of fuzz/ still fails).
    if [ "${FUZZ_SKIP_UNAVAILABLE:-}" = 1 ]; then
      echo "fuzz.sh: cargo-fuzz could not be installed: fuzz smoke run skipped"
      exit 0
    fi
    exit 1
  fi
fi

export RUSTC_BOOTSTRAP=1
fuzz=$(pwd)/fuzz
# libFuzzer writes fuzz-N.log (with -jobs) into its working directory: one
# per target, so that campaigns of different targets can run side by side.
run="$fuzz/work/$target.run"
mkdir -p "$fuzz/work/$target" "$fuzz/artifacts/$target" "$run"
rm -f "$run"/fuzz-*.log
log=$(mktemp)
trap 'rm -f "$log"' EXIT
extra=()
for d in "$@"; do extra+=("$(cd "$d" && pwd)"); done
set +e
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
(
  cd "$run"
  cargo +stable fuzz run --fuzz-dir "$fuzz" --sanitizer none "$target" \
    "$fuzz/work/$target" "$fuzz/corpus/$target" "${extra[@]}" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -artifact_prefix="$fuzz/artifacts/$target/" ${FUZZ_ARGS:-}
) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
stats=$(cat "$log" "$run"/fuzz-*.log 2>/dev/null | grep -E 'stat::number_of_executed_units|DONE|corp:' | tail -3 || true)
echo "fuzz.sh: $target, ${seconds}s:"
echo "$stats"
executions=$(echo "$stats" | sed -n 's/.*stat::number_of_executed_units: *//p' | tail -1)
echo "fuzz.sh: $target executed ${executions:-?} inputs; corpus fuzz/work/$target: $(find "$fuzz/work/$target" -type f | wc -l) files; crashes: $(find "$fuzz/artifacts/$target" -type f | wc -l) files in fuzz/artifacts/$target"
exit "$status"
