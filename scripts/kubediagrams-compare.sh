#!/usr/bin/env bash
# Runs KubeDiagrams (PyPI `KubeDiagrams`, pinned) and `kwire graph` on the same
# files and prints, per input, the relations each one draws: the comparison
# in docs/topology.md. Not part of CI (it downloads KubeDiagrams and needs
# Debian's libgraphviz-dev for pygraphviz); run it by hand:
#
#   scripts/kubediagrams-compare.sh            # fixtures, and ../shared/corpus/real when present
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
shared=${SHARED:-../shared}
version=${KUBEDIAGRAMS_VERSION:-0.8.0}
work=${WORK:-/tmp/kwire-kubediagrams}
mkdir -p "$work"
if ! dpkg -s libgraphviz-dev >/dev/null 2>&1; then
  apt-get install -y graphviz libgraphviz-dev >/dev/null || { apt-get update >/dev/null && apt-get install -y graphviz libgraphviz-dev >/dev/null; }
fi
if [ ! -x "$work/venv/bin/kube-diagrams" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet "KubeDiagrams==$version"
fi
cargo build --release --quiet --bin kwire
kwire=${CARGO_TARGET_DIR:-target}/release/kwire

# KubeDiagrams' dot_json: "Kind/name -> Kind/name | label" per edge.
edges_of() {
  python3 - "$1" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
objs = {o['_gvid']: o for o in d.get('objects', [])}
def name(o):
    t = o.get('tooltip') or ''
    kind = re.search(r'kind: (\S+)', t)
    nm = re.search(r'name: (\S+)', t)
    if kind and nm:
        return f"{kind.group(1)}/{nm.group(1)}"
    return ' '.join(re.sub(r'<[^>]+>', ' ', o.get('label', '') or '').split()) or o.get('name', '')
for e in d.get('edges', []):
    label = (e.get('xlabel') or e.get('label') or '').replace('\n', ' ')
    print(f"  {name(objs[e['tail']])} -> {name(objs[e['head']])}  {label}")
PY
}

compare() {
  local title=$1; shift
  echo "== $title"
  echo "-- KubeDiagrams $version"
  if "$work/venv/bin/kube-diagrams" -f dot_json -o "$work/out" "$@" >"$work/kd.log" 2>&1; then
    edges_of "$work/out.dot_json"
  else
    echo "  exit $?: $(grep -m1 -E 'Error|error|Traceback' "$work/kd.log" || tail -1 "$work/kd.log")"
  fi
  echo "-- kwire graph"
  "$kwire" graph -f json "$@" | python3 -c '
import json, sys
g = json.load(sys.stdin)
for e in g["edges"]:
    if e["relation"] == "owns":
        continue
    mark = ""
    if not e.get("resolved"):
        mark = "  (unresolved " + (e.get("finding") or "assumed") + ")"
    print("  " + e["from"] + " -" + e["relation"] + "-> " + e["to"] + "  " + (e.get("label") or "") + mark)
for x in g["exposures"]:
    print("  exposure " + x["entry"] + " -> container " + str(x["container_port"]) + ", " + str(x["endpoints"]) + " pods")
'
}

compare "named targetPort" fixtures/seeds/ingress-nginx/echo-hostname.yaml fixtures/seeds/ingress-nginx/ingress.yaml
compare "Istio bookinfo" fixtures/istio/bookinfo/platform.yaml fixtures/istio/bookinfo/networking.yaml
compare "extensions/v1beta1 Ingress" fixtures/seeds/09-ingress-v1beta1.yaml fixtures/seeds/07-hostname-services.yaml
compare "selector that misses its template" fixtures/seeds/14-selector-mismatch.yaml
demo="$shared/corpus/real/GoogleCloudPlatform__microservices-demo/kubernetes-manifests"
if [ -d "$demo" ]; then
  compare "microservices-demo (DNS calls in env)" "$demo"/*.yaml
fi

# The real corpus, one sample directory at a time.
if [ -d "$shared/corpus/real" ]; then
  echo "== real corpus, per top-level directory"
  for dir in "$shared"/corpus/real/*/; do
    mapfile -t files < <(find "$dir" -name '*.yaml' -o -name '*.yml' | sort)
    [ "${#files[@]}" -eq 0 ] && continue
    set +e
    timeout 600 "$work/venv/bin/kube-diagrams" -f dot -o "$work/corpus" "${files[@]}" >"$work/kd.log" 2>&1
    kd=$?
    "$kwire" graph -f json "$dir" >/dev/null 2>"$work/kw.log"
    kw=$?
    set -e
    why=""
    [ "$kd" -ne 0 ] && why=" ($(grep -m1 -E '^[A-Za-z]*Error' "$work/kd.log" || tail -1 "$work/kd.log"))"
    echo "  $(basename "$dir"): ${#files[@]} files; KubeDiagrams exit $kd$why; kwire graph exit $kw"
  done
fi
