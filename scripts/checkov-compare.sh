#!/usr/bin/env bash
# Checkov beside kwire on the same manifests: the seed scenarios
# (fixtures/seeds) and Google's microservices-demo from the real corpus.
# Prints, per input, what each tool reports that the other does not, as
# (object, concern) pairs mapped through docs/rules.md's Checkov column.
#
#   scripts/checkov-compare.sh            # manual; takes a few minutes (pip install)
#
# Checkov comes from PyPI into a throwaway virtualenv ($WORK/checkov-venv,
# removed at the end unless KEEP_VENV=1). When PyPI is unreachable the
# script says so and exits 0. kwire runs with `--select ALL` (every rule,
# opt-in included: Checkov has no default/opt-in split) and with its
# default set, so both columns can be read.
#
# Environment: WORK (default /tmp/kwire-checkov), SHARED (default ../shared),
# SKIP_BUILD (use the existing target/release/kwire or target/debug/kwire).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
shared=${SHARED:-../shared}
WORK=${WORK:-/tmp/kwire-checkov}
mkdir -p "$WORK"
target=${CARGO_TARGET_DIR:-$repo/target}
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --quiet --bin kwire
fi
bin=$target/debug/kwire
[ -x "$target/release/kwire" ] && [ -n "${SKIP_BUILD:-}" ] && bin=$target/release/kwire

venv=$WORK/checkov-venv
if [ ! -x "$venv/bin/checkov" ]; then
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet checkov >"$WORK/pip.log" 2>&1; then
    echo "checkov could not be installed from PyPI (unreachable?): comparison skipped"
    tail -3 "$WORK/pip.log"
    rm -rf "$venv"
    exit 0
  fi
fi
[ -z "${KEEP_VENV:-}" ] && trap 'rm -rf "$venv"' EXIT
echo "checkov $("$venv/bin/checkov" --version)"

inputs=("$repo/fixtures/seeds")
demo=$shared/corpus/real/GoogleCloudPlatform__microservices-demo/kubernetes-manifests
[ -d "$demo" ] && inputs+=("$(cd "$demo" && pwd)") || echo "microservices-demo not found under $shared: seeds only"

for input in "${inputs[@]}"; do
  name=$(basename "$input")
  "$venv/bin/checkov" --framework kubernetes -d "$input" -o json --quiet --compact \
    >"$WORK/$name.checkov.json" 2>"$WORK/$name.checkov.err" || true
  "$bin" lint -f json --fail-on never --no-config --unit-per-directory --select ALL "$input" \
    >"$WORK/$name.kwire-all.json" 2>/dev/null || true
  "$bin" lint -f json --fail-on never --no-config --unit-per-directory "$input" \
    >"$WORK/$name.kwire-default.json" 2>/dev/null || true
  python3 - "$name" "$WORK/$name.checkov.json" "$WORK/$name.kwire-all.json" \
    "$WORK/$name.kwire-default.json" docs/rules.md <<'PY'
import json, re, sys, collections
name, checkov_path, all_path, default_path, table = sys.argv[1:]

# docs/rules.md: kwire code -> Checkov ids in its row.
to_ckv = collections.defaultdict(set)
for line in open(table):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 6 and re.fullmatch(r"KW\d{4}", cells[0]):
        for ckv in re.findall(r"CKV2?_K8S_\d+", cells[5]):
            to_ckv[cells[0]].add(ckv)

raw = json.load(open(checkov_path)) if open(checkov_path).read().strip() else []
runs = raw if isinstance(raw, list) else [raw]
failed = []
for run in runs:
    for c in run.get("results", {}).get("failed_checks", []):
        # resource: "Kind.namespace.name" (namespace may be absent)
        parts = c.get("resource", "").split(".")
        kind, obj = parts[0], parts[-1]
        failed.append((kind, obj, c["check_id"], c.get("check_name", "")))

def kwire(path):
    out = []
    for d in json.load(open(path))["diagnostics"]:
        o = d.get("object") or {}
        out.append((o.get("kind", ""), o.get("name", ""), d["code"], d["rule"]))
    return out

kw_all, kw_default = kwire(all_path), kwire(default_path)
ckv_seen = {(k, n, c) for k, n, c, _ in failed}
kw_as_ckv = {(k, n, ckv) for k, n, code, _ in kw_all for ckv in to_ckv.get(code, ())}

print(f"\n== {name}: checkov {len(failed)} failed checks; kwire --select ALL {len(kw_all)} findings, default set {len(kw_default)}")
only_ckv = collections.Counter((c, t) for k, n, c, t in failed if (k, n, c) not in kw_as_ckv)
print("-- Checkov reports, kwire (ALL) has no finding mapped to that id on that object:")
for (c, t), n in sorted(only_ckv.items()):
    print(f"  {n:4}  {c}  {t}")
only_kw = collections.Counter((code, rule) for k, n, code, rule in kw_all
                              if not any((k, n, ckv) in ckv_seen for ckv in to_ckv.get(code, ())))
print("-- kwire (ALL) reports, Checkov has no failed check mapped to that rule on that object:")
for (code, rule), n in sorted(only_kw.items()):
    default = sum(1 for d in kw_default if d[2] == code)
    print(f"  {n:4}  {code}  {rule}  (default set: {default})")
PY
done
