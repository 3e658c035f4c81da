#!/usr/bin/env bash
# kwire against the tools people would otherwise run, on the same files,
# timed with hyperfine (wall clock: run it on a quiet machine).
#
#   benches/compare.sh [PATH...]    # default: the real corpus and a 1000-app corpus
#
# Peers installed from PyPI into a throwaway virtualenv ($WORK/peers-venv,
# removed at the end unless KEEP_VENV=1):
#   yamllint             YAML syntax and style           (yamllint -f parsable)
#   kubernetes-validate  JSON-schema validation          (kubernetes-validate)
#   checkov              policy checks (kubernetes)      (checkov --framework kubernetes)
# kubeconform and kube-linter are Go programs with no PyPI/Debian package
# here: docs/performance.md quotes their published numbers instead.
#
# Environment: WORK (default /tmp/kwire-bench), OUT (default $WORK/compare),
# APPS (synthetic corpus size, default 1000), RUNS (default 3), SKIP_BUILD,
# PEERS (default "yamllint kubernetes-validate checkov").
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
target=${CARGO_TARGET_DIR:-$repo/target}
bin=$target/release/kwire
gen=$target/release/examples/gen_corpus
WORK=${WORK:-/tmp/kwire-bench}
OUT=${OUT:-$WORK/compare}
APPS=${APPS:-1000}
RUNS=${RUNS:-3}
PEERS=${PEERS:-"yamllint kubernetes-validate checkov"}
mkdir -p "$WORK" "$OUT"

if ! command -v hyperfine >/dev/null; then
  apt-get install -y hyperfine >/dev/null || { apt-get update >/dev/null && apt-get install -y hyperfine >/dev/null; }
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release --quiet --bin kwire --example gen_corpus
fi

venv=$WORK/peers-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet $PEERS
fi
[ -z "${KEEP_VENV:-}" ] && trap 'rm -rf "$venv"' EXIT

if [ "$#" -gt 0 ]; then
  paths=("$@")
else
  paths=()
  [ -d "$repo/../shared/corpus/real" ] && paths+=("$(cd "$repo/../shared/corpus/real" && pwd)")
  syn=$WORK/apps-$APPS
  if [ ! -f "$syn.docs" ]; then
    rm -rf "$syn"
    "$gen" "$syn" --apps "$APPS" --namespaces 20 | awk '{print $2}' >"$syn.docs"
  fi
  paths+=("$syn")
fi

results=$OUT/compare.md
{
  echo "# kwire vs peers"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in $PEERS; do
    echo "- $p $("$venv/bin/pip" show "$p" 2>/dev/null | awk '/^Version/{print $2}')"
  done
  echo "- kwire $("$bin" --version | awk '{print $2}'); wall-clock, hyperfine mean ± σ of $RUNS runs"
  echo
} >"$results"

for dir in "${paths[@]}"; do
  list=$OUT/files-$(basename "$dir").txt
  find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$list"
  n=$(wc -l <"$list")
  echo "== $dir ($n YAML files)"
  cmds=(-n "kwire lint (all cores)" "$bin lint -f plain --fail-on never $dir"
        -n "kwire lint -j 1" "$bin lint -j 1 -f plain --fail-on never $dir")
  for p in $PEERS; do
    case $p in
      yamllint) cmds+=(-n "yamllint" "xargs -a $list $venv/bin/yamllint -f parsable -d relaxed") ;;
      kubernetes-validate) cmds+=(-n "kubernetes-validate" "xargs -a $list $venv/bin/kubernetes-validate --quiet") ;;
      checkov) cmds+=(-n "checkov" "$venv/bin/checkov --quiet --compact --framework kubernetes -d $dir") ;;
    esac
  done
  name=$(basename "$dir")
  hyperfine -i --warmup 1 --runs "$RUNS" --export-json "$OUT/$name.json" \
    --export-markdown "$OUT/$name.md" "${cmds[@]}" >/dev/null
  {
    echo "## $name ($n YAML files)"
    echo
    cat "$OUT/$name.md"
    echo
    python3 - "$OUT/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["mean"]
for x in r[1:]:
    print(f"- {x['command']}: {x['mean']/base:.1f}x kwire (all cores)")
PY
    echo
  } >>"$results"
done
cat "$results"
