#!/usr/bin/env bash
# `kwire graph` on inputs too large for `cargo test`: the graph and the lint
# findings of the same run agree (every unresolved edge has its finding,
# every reference finding its unresolved edge; `kwire graph --check-agreement`)
# on the real corpus (one unit per directory, and default units), the peers'
# fixtures (one unit per file) and a generated 1,000-app corpus; the JSON of
# the whole real corpus validates against docs/graph-report.schema.json; and
# microservices-demo shows what issue 13 promises (its exposure and calls);
# and kwire trace follows every http(s) way in of the corpus (issue 14).
# Needs ../shared for the corpus parts (skipped without it).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin kwire --example gen_corpus
bin=$target/release/kwire
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

agree() {
  if ! "$bin" graph --check-agreement "$@" 2>"$tmp/agree.err"; then
    echo "FAIL: graph and lint disagree on $*"; cat "$tmp/agree.err"; status=1
  else
    echo "agree: $* ($(tail -1 "$tmp/agree.err"))"
  fi
}

"$target/release/examples/gen_corpus" "$tmp/gen" --apps 1000 --namespaces 8 --mistakes 20 \
  >/dev/null 2>"$tmp/gen.expected"
agree "$tmp/gen"

if [ -d "$shared/corpus/real" ]; then
  agree --unit-per-directory "$shared/corpus/real"
  agree "$shared/corpus/real"
  agree --units per-file "$shared/corpus/peer-fixtures"

  "$bin" graph -f json --unit-per-directory "$shared/corpus/real" >"$tmp/real.json"
  KWIRE_GRAPH_JSON="$tmp/real.json" \
    cargo test --quiet --test it graph::graph_json_file_matches_the_contract -- --ignored --exact

  demo="$shared/corpus/real/GoogleCloudPlatform__microservices-demo/kubernetes-manifests"
  "$bin" graph "$demo" >"$tmp/demo.txt"
  for want in \
    "LoadBalancer :80 → Service frontend-external :80 → targetPort 8080 → container :8080 → 1 pod" \
    "calls Service productcatalogservice :3550" \
    "calls Service cartservice :7070" \
    "calls Service redis-cart :6379"; do
    grep -qF "$want" "$tmp/demo.txt" || { echo "FAIL: microservices-demo graph lacks: $want"; status=1; }
  done

  # kwire trace on the corpus: every way in the graph found, followed as a
  # request (at most 300), never crashes, exits 0 or 1, and prints a report
  # that follows docs/trace-report.schema.json.
  python3 - "$tmp/real.json" >"$tmp/urls.txt" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
seen = []
for e in g["exposures"]:
    entry = e["entry"].split(" ")[0]
    if entry.startswith(("http://", "https://")) and entry not in seen:
        seen.append(entry.replace("*", "wild"))
print("\n".join(seen[:300]))
PY
  : >"$tmp/traces.jsonl"
  traced=0
  while read -r url; do
    [ -n "$url" ] || continue
    code=0
    "$bin" trace -f json --unit-per-directory "$url" "$shared/corpus/real" >>"$tmp/traces.jsonl" 2>"$tmp/trace.err" || code=$?
    if [ "$code" -gt 1 ]; then
      echo "FAIL: kwire trace $url exited $code"; cat "$tmp/trace.err"; status=1
    fi
    traced=$((traced + 1))
  done <"$tmp/urls.txt"
  if grep -q '"internal-error"' "$tmp/traces.jsonl"; then
    echo "FAIL: kwire trace had an internal error"; grep '"internal-error"' "$tmp/traces.jsonl" | head -3; status=1
  fi
  KWIRE_TRACE_JSONL="$tmp/traces.jsonl" \
    cargo test --quiet --test it trace::trace_jsonl_file_matches_the_contract -- --ignored --exact
  echo "trace: $traced requests from the real corpus's ways in, reports follow the contract"
else
  echo "$shared/corpus/real not found: corpus parts of the graph check skipped"
fi
[ "$status" -eq 0 ] && echo "graph-check: ok"
exit "$status"
