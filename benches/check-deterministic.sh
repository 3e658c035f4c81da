#!/usr/bin/env bash
# Output is identical byte for byte whatever -j: lints PATH with -j 1, 2 and
# 4 in plain and json and compares. Exits 1 on any difference.
#   benches/check-deterministic.sh KWIRE_BINARY PATH...
set -euo pipefail
bin=$1; shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for format in plain json; do
  for j in 1 2 4; do
    "$bin" lint -j "$j" -f "$format" --fail-on never "$@" >"$tmp/$format-$j" 2>"$tmp/$format-$j.err" || true
  done
  for j in 2 4; do
    if ! cmp -s "$tmp/$format-1" "$tmp/$format-$j" || ! cmp -s "$tmp/$format-1.err" "$tmp/$format-$j.err"; then
      echo "- NOT deterministic: -f $format -j $j differs from -j 1"
      diff "$tmp/$format-1" "$tmp/$format-$j" | head -5
      status=1
    fi
  done
done
if [ "$status" -eq 0 ]; then
  echo "- output byte-identical with -j 1, 2, 4 (plain and json, $(wc -c <"$tmp/json-1") bytes of json)"
fi
exit "$status"
