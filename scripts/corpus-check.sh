#!/usr/bin/env bash
# Runs kwire over the real-world corpus (and the peers' fixtures) and fails if
# kwire panics, exits 2 (an unreadable file or I/O error), or if the
# cross-object rules report anything beyond the reviewed list in
# scripts/corpus-expected.txt (each entry there was checked by eye).
#
# The corpus is a folder of independent samples, not one cluster: the real
# corpus is linted with one unit per directory (--unit-per-directory), the
# peers' fixtures (a directory of unrelated test files) with one unit per
# file, and no finding may relate two samples. argo-cd is also linted with
# the default units (its kustomizations), which must give no KW3302.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/kwire
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
for corpus in "$shared/corpus/real" "$shared/corpus/peer-fixtures"; do
  name=$(basename "$corpus")
  units=per-directory
  [ "$name" = peer-fixtures ] && units=per-file
  set +e
  "$bin" lint -f json --fail-on never --units "$units" "$corpus" >"$out/$name.json" 2>"$out/$name.err"
  code=$?
  set -e
  if grep -q panicked "$out/$name.err" || [ "$code" -ne 0 ]; then
    echo "FAIL: kwire exited $code on $corpus"; cat "$out/$name.err"; status=1
  fi
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))
s = report["summary"]
print(f"{sys.argv[2]}: {s['files']} files, {s['documents']} documents, {s['objects']} objects; "
      f"{s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos")
for code, n in sorted(collections.Counter(d["code"] for d in report["diagnostics"]).items()):
    print(f"  {code}: {n}")
PY
done

# No finding relates two samples: related locations stay in the finding's
# directory (real corpus) or file (peers' fixtures).
python3 - "$out/real.json" "$out/peer-fixtures.json" <<'PY' || status=1
import json, sys, os
bad = []
for path, same in ((sys.argv[1], lambda a, b: os.path.dirname(a) == os.path.dirname(b)),
                   (sys.argv[2], lambda a, b: a == b)):
    for d in json.load(open(path))["diagnostics"]:
        for r in d["related"]:
            if not same(d["file"], r["file"]):
                bad.append(f"{d['code']} {d['file']}:{d['line']} -> {r['file']}:{r['line']}")
for b in bad: print(f"cross-sample finding: {b}")
print(f"cross-sample findings: {len(bad)}")
sys.exit(1 if bad else 0)
PY

# argo-cd with its kustomizations as units: the HA base's redis address
# resolves (kustomize removes the chart's namespace), so no KW3302.
for target in "$shared/corpus/real/argoproj__argo-cd" "$shared/corpus/real/argoproj__argo-cd/manifests/ha/base"; do
  "$bin" lint -f json --fail-on never "$target" >"$out/argo.json" 2>/dev/null || true
  python3 - "$out/argo.json" "$target" <<'PY' || status=1
import json, sys
ds = [d for d in json.load(open(sys.argv[1]))["diagnostics"] if d["code"] == "KW3302" and "/ha/base/" in d["file"]]
for d in ds: print(f"FAIL: KW3302 in {d['file']}:{d['line']} with default units of {sys.argv[2]}")
print(f"KW3302 in argo-cd manifests/ha/base with default units ({sys.argv[2]}): {len(ds)}")
sys.exit(1 if ds else 0)
PY
done

# Reference and Istio findings on the real corpus must be exactly the reviewed ones.
python3 - "$out/real.json" "$shared/corpus/real" scripts/corpus-expected.txt <<'PY' || status=1
import json, sys, os
report, root, expected_path = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def rel(p): return os.path.relpath(p, root)
got = sorted({f"{d['code']} {rel(d['file'])}:{d['line']}" for d in report["diagnostics"]
              if d["category"] in ("reference", "istio")})
want = sorted(l.split('#')[0].strip() for l in open(expected_path) if l.split('#')[0].strip())
new = [g for g in got if g not in want]
gone = [w for w in want if w not in got]
for g in new: print(f"NEW reference/istio finding (review it, then add it to {expected_path} or fix the rule): {g}")
for w in gone: print(f"reviewed finding no longer reported (remove it from {expected_path}): {w}")
print(f"reference and istio findings on the real corpus: {len(got)} (reviewed: {len(want)})")
sys.exit(1 if new or gone else 0)
PY
# The cross-object practice and security rules (KW55xx, KW65xx, default set)
# on the real corpus must be exactly the reviewed ones.
python3 - "$out/real.json" "$shared/corpus/real" scripts/corpus-expected-cross.txt <<'PY' || status=1
import json, sys, os
report, root, expected_path = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def rel(p): return os.path.relpath(p, root)
got = sorted({f"{d['code']} {rel(d['file'])}:{d['line']}" for d in report["diagnostics"]
              if d["code"][:4] in ("KW55", "KW65")})
want = sorted(l.split('#')[0].strip() for l in open(expected_path) if l.split('#')[0].strip())
new = [g for g in got if g not in want]
gone = [w for w in want if w not in got]
for g in new: print(f"NEW cross-object finding (review it, then add it to {expected_path} or fix the rule): {g}")
for w in gone: print(f"reviewed cross-object finding no longer reported (remove it from {expected_path}): {w}")
print(f"cross-object practice/security findings on the real corpus: {len(got)} (reviewed: {len(want)})")
sys.exit(1 if new or gone else 0)
PY
# Schema errors and warnings (KW1xxx, not the KW1005 info) on the real corpus
# must be exactly the reviewed ones. A CRD validates only the objects of its
# world, so this runs with the default units, where a directory of examples
# meets the CRDs its repository ships elsewhere (argo-cd's ApplicationSets).
"$bin" lint -f json --fail-on never "$shared/corpus/real" >"$out/real-auto.json" 2>/dev/null || true
python3 - "$out/real-auto.json" "$shared/corpus/real" scripts/corpus-expected-schema.txt <<'PY' || status=1
import json, sys, os
report, root, expected_path = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def rel(p): return os.path.relpath(p, root)
got = sorted({f"{d['code']} {rel(d['file'])}:{d['line']}" for d in report["diagnostics"]
              if d["category"] == "schema" and d["severity"] != "info"})
want = sorted(l.split('#')[0].strip() for l in open(expected_path) if l.split('#')[0].strip())
new = [g for g in got if g not in want]
gone = [w for w in want if w not in got]
for g in new: print(f"NEW schema finding (review it, then add it to {expected_path} or fix the cause): {g}")
for w in gone: print(f"reviewed schema finding no longer reported (remove it from {expected_path}): {w}")
print(f"schema findings on the real corpus: {len(got)} (reviewed: {len(want)})")
sys.exit(1 if new or gone else 0)
PY
exit $status
