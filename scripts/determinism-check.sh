#!/usr/bin/env bash
# Determinism in CI (issue 17): lints the real-world corpus with -j 1 and
# -j 2 in every output format and compares the bytes of stdout and stderr;
# `kwire graph -f json|text` too.
# Exits 1 on any difference; skipped (exit 0, with a message) when
# ../shared/corpus/real is not there.
#
#   scripts/determinism-check.sh            # builds the release binary
#   KWIRE=path/to/kwire scripts/determinism-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
corpus=$shared/corpus/real
if [ ! -d "$corpus" ]; then
  echo "determinism check skipped: $corpus not found"
  exit 0
fi
if [ -z "${KWIRE:-}" ]; then
  cargo build --release --quiet --bin kwire
  KWIRE=${CARGO_TARGET_DIR:-target}/release/kwire
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every format kwire has, as clap lists them for an invalid one.
formats=$({ "$KWIRE" lint -f '?' 2>&1 || true; } | sed -n 's/.*\[possible values: \(.*\)\]/\1/p' | head -1 | tr -d ',')
[ -n "$formats" ] || { echo "cannot list the output formats from kwire lint --help"; exit 1; }
status=0
for format in $formats; do
  for j in 1 2; do
    "$KWIRE" lint --no-config -j "$j" -f "$format" --color never --fail-on never \
      --units per-directory "$corpus" >"$tmp/$format-$j.out" 2>"$tmp/$format-$j.err" || true
  done
  if ! cmp -s "$tmp/$format-1.out" "$tmp/$format-2.out" || ! cmp -s "$tmp/$format-1.err" "$tmp/$format-2.err"; then
    echo "NOT deterministic: -f $format -j 2 differs from -j 1"
    diff "$tmp/$format-1.out" "$tmp/$format-2.out" | head -5 || true
    diff "$tmp/$format-1.err" "$tmp/$format-2.err" | head -5 || true
    status=1
  elif [ ! -s "$tmp/$format-1.out" ]; then
    echo "-f $format: no output"; cat "$tmp/$format-1.err"; status=1
  else
    echo "-f $format: byte-identical with -j 1 and -j 2 ($(wc -c <"$tmp/$format-1.out") bytes)"
  fi
done
# kwire graph builds in parallel chunks, sorts on every core and writes its
# JSON in parallel: the same bytes whatever -j, with automatic units (one
# large world) and one unit per directory.
for format in json text; do
  for units in auto per-directory; do
    for j in 1 2; do
      "$KWIRE" graph --no-config -j "$j" -f "$format" --units "$units" "$corpus" \
        >"$tmp/graph-$format-$units-$j.out" 2>/dev/null || true
    done
    out=$tmp/graph-$format-$units
    if ! cmp -s "$out-1.out" "$out-2.out"; then
      echo "NOT deterministic: graph -f $format --units $units -j 2 differs from -j 1"; status=1
    elif [ ! -s "$out-1.out" ]; then
      echo "graph -f $format --units $units: no output"; status=1
    else
      echo "graph -f $format --units $units: byte-identical with -j 1 and -j 2 ($(wc -c <"$out-1.out") bytes)"
    fi
  done
done
exit "$status"
