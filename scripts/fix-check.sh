#!/usr/bin/env bash
# `kwire lint --fix` on every seed fixture and on a temporary copy of the
# real-world corpus, for --kube-version 1.29 (issue 16): afterwards no
# finding a safe fix exists for is left (`--diff` is empty) and no finding
# of any kind is new (per file, code and object, none counts more than
# before). Also: a second --fix changes nothing, and the files outside the
# fixed ones are byte-identical. Needs ../shared for the corpus part.
# KWIRE_BIN=path/to/kwire skips the release build (e.g. a debug binary).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
if [ -z "${KWIRE_BIN:-}" ]; then
  cargo build --release --quiet
fi
bin=${KWIRE_BIN:-${CARGO_TARGET_DIR:-target}/release/kwire}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

check() { # name source-dir [lint flags...]
  local name=$1 src=$2
  shift 2
  local dir="$work/$name"
  cp -R "$src" "$dir"
  cp -R "$src" "$work/$name.orig"
  local flags=(--no-config --kube-version 1.29 --fail-on never "$@")
  "$bin" lint "${flags[@]}" -f json "$dir" >"$work/$name.before.json" 2>/dev/null || true
  local t0 t1
  t0=$(date +%s.%N)
  set +e
  "$bin" lint "${flags[@]}" -q -f json --fix "$dir" >/dev/null 2>"$work/$name.fix.err"
  local code=$?
  set -e
  t1=$(date +%s.%N)
  if [ "$code" -ge 2 ] || grep -q -e panicked -e 'invalid YAML' -e 'did not settle' "$work/$name.fix.err"; then
    echo "FAIL: $name: kwire lint --fix exited $code"; cat "$work/$name.fix.err"; status=1
  fi
  "$bin" lint "${flags[@]}" -f json "$dir" >"$work/$name.after.json" 2>/dev/null || true
  # Nothing a safe fix exists for is left.
  set +e
  "$bin" lint "${flags[@]}" --diff "$dir" >"$work/$name.diff" 2>/dev/null
  local diff_code=$?
  set -e
  if [ "$diff_code" -ne 0 ] || [ -s "$work/$name.diff" ]; then
    echo "FAIL: $name: safe fixes remain after --fix:"; head -40 "$work/$name.diff"; status=1
  fi
  local changed
  changed=$( (diff -rq "$work/$name.orig" "$dir" || true) | wc -l)
  python3 - "$work/$name.before.json" "$work/$name.after.json" "$name" "$changed" \
    "$(echo "$t1 - $t0" | bc)" <<'PY' || status=1
import json, sys, collections
before, after = (json.load(open(p)) for p in sys.argv[1:3])
name, changed, secs = sys.argv[3], sys.argv[4], float(sys.argv[5])
def key(d):
    o = d.get("object") or {}
    return (d["file"], d["code"], o.get("kind"), o.get("namespace"), o.get("name"))
b = collections.Counter(key(d) for d in before["diagnostics"])
a = collections.Counter(key(d) for d in after["diagnostics"])
new = {k: n - b.get(k, 0) for k, n in a.items() if n > b.get(k, 0)}
gone = collections.Counter(d["code"] for d in before["diagnostics"]) - collections.Counter(d["code"] for d in after["diagnostics"])
print(f"{name}: {len(before['diagnostics'])} findings before, {len(after['diagnostics'])} after; "
      f"{changed} files changed; --fix took {secs:.2f} s; gone: "
      + ", ".join(f"{c} {n}" for c, n in sorted(gone.items())))
for k, n in sorted(new.items(), key=str):
    print(f"  NEW: {n} x {k}")
sys.exit(1 if new else 0)
PY
  # Idempotence: a second --fix changes nothing.
  cp -R "$dir" "$work/$name.once"
  "$bin" lint "${flags[@]}" -q --fix "$dir" >/dev/null 2>&1 || true
  if ! diff -rq "$work/$name.once" "$dir" >/dev/null; then
    echo "FAIL: $name: a second --fix changed files:"; diff -r "$work/$name.once" "$dir" | head -20; status=1
  fi
}

check seeds fixtures/seeds
if [ -d "$shared/corpus/real" ]; then
  check real "$shared/corpus/real" --unit-per-directory
else
  echo "$shared/corpus/real not found: corpus part skipped"
fi
exit $status
