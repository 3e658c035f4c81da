#!/usr/bin/env bash
# Renders `kwire graph` the way users view it, for the seed fixtures,
# fixtures/istio/bookinfo, fixtures/topology/multi-ns, fixtures/units/shop
# (several units), the renderers' test graphs (examples/graphs/*.json,
# hostile names included, rendered with examples/render_graph.rs) and, when
# ../shared is there, the real microservices-demo manifests:
#   -f dot      through Graphviz `dot -Tsvg`: must succeed with an SVG that
#               has one node per graph node;
#   -f mermaid  a syntax sanity check (flowchart header, balanced subgraphs,
#               quoted labels, every edge between declared nodes), then
#               Mermaid itself: its browser bundle (dist/mermaid.min.js of the
#               npm package `mermaid`, MIT, fetched with `npm pack` into a
#               temporary directory, or KWIRE_MERMAID_JS=path) parses and
#               renders the diagram in headless Chromium. Without npm or the
#               registry only the sanity check runs (with a message).
#               @mermaid-js/mermaid-cli is not used: it downloads puppeteer
#               and a browser of its own;
#   -f html     in headless Chromium with every host name unresolvable (the
#               page must need no network): a 1400x900 screenshot that is
#               not blank where the graph is drawn, no console message at
#               all (the page's script logs nothing, so any line is an error
#               or a failed load), and the DOM after the script ran has
#               data-kwire-ready="1" and, opened on #exposure=0, the
#               exposure in the side panel.
# Installs graphviz and chromium with apt-get when `dot` / `chromium` are
# missing; a tool that cannot be installed skips its check with a message.
# KWIRE_GRAPH_RENDER_OUT=DIR keeps the rendered files and screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${KWIRE_GRAPH_RENDER_OUT:-$tmp/out}
mkdir -p "$out"
py=$(command -v python3 || command -v python || true)
[ -n "$py" ] || { echo "graph-render-check: python3 not found"; exit 1; }

have_chromium() { command -v chromium || command -v chromium-browser || true; }
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ -n "$(have_chromium)" ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=$(command -v sudo || true)
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    echo "graph-render-check: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "${missing[@]}" >"$tmp/apt.log" 2>&1 \
      || { $sudo apt-get update -qq >>"$tmp/apt.log" 2>&1 \
           && $sudo apt-get install -y -qq "${missing[@]}" >>"$tmp/apt.log" 2>&1; } \
      || { echo "graph-render-check: apt-get install ${missing[*]} failed:"; tail -3 "$tmp/apt.log"; }
  else
    echo "graph-render-check: no apt-get (or no root): cannot install ${missing[*]}"
  fi
fi
has_dot=$(command -v dot || true)
chromium=$(have_chromium)
[ -n "$has_dot" ] || echo "graph-render-check: dot not available: Graphviz check skipped"
[ -n "$chromium" ] || echo "graph-render-check: chromium not available: html check skipped"

# Mermaid's browser bundle, for a real parse of the mermaid output.
mermaid_js=${KWIRE_MERMAID_JS:-}
if [ -z "$mermaid_js" ] && [ -n "$chromium" ] && command -v npm >/dev/null 2>&1; then
  if (cd "$tmp" && timeout 120 npm pack --silent 'mermaid@11' >"$tmp/npm.log" 2>&1) \
    && tar -xzf "$tmp"/mermaid-*.tgz -C "$tmp" package/dist/mermaid.min.js 2>>"$tmp/npm.log"; then
    mermaid_js=$tmp/package/dist/mermaid.min.js
  else
    echo "graph-render-check: cannot fetch the npm package mermaid: Mermaid's own parse skipped"
    tail -3 "$tmp/npm.log" || true
  fi
elif [ -z "$mermaid_js" ]; then
  echo "graph-render-check: no chromium or no npm: Mermaid's own parse skipped"
fi

cargo build --quiet --bin kwire --example render_graph
kwire=${KWIRE:-target/debug/kwire}
render_json=target/debug/examples/render_graph

# Inputs: name and how to produce a format (kwire graph, or render_graph on a JSON file).
inputs=()
seeds=fixtures/seeds
[ -d "$seeds" ] || seeds=../shared/seeds
[ -d "$seeds" ] && inputs+=("seeds:graph:$seeds")
[ -d fixtures/istio/bookinfo ] && inputs+=("bookinfo:graph:fixtures/istio/bookinfo")
[ -d fixtures/topology/multi-ns ] && inputs+=("multi-ns:graph:fixtures/topology/multi-ns")
[ -d fixtures/units/shop ] && inputs+=("units-shop:graph:fixtures/units/shop")
demo=../shared/corpus/real/GoogleCloudPlatform__microservices-demo/kubernetes-manifests
if [ -d "$demo" ]; then
  inputs+=("microservices-demo:graph:$demo")
else
  echo "graph-render-check: $demo not found: microservices-demo skipped"
fi
for f in examples/graphs/*.json; do
  inputs+=("example-$(basename "$f" .json):json:$f")
done

produce() { # name kind path format > file
  case "$2" in
    graph) "$kwire" graph -f "$4" "$3" ;;
    json) "$render_json" "$4" "$3" ;;
  esac
}

status=0
fail() { echo "FAIL: $*"; status=1; }

for spec in "${inputs[@]}"; do
  name=${spec%%:*}; rest=${spec#*:}; kind=${rest%%:*}; path=${rest#*:}
  for format in json dot mermaid html; do
    if ! produce "$name" "$kind" "$path" "$format" >"$out/$name.$format" 2>"$tmp/$name.$format.err"; then
      fail "$name: kwire graph -f $format failed"; cat "$tmp/$name.$format.err"
    fi
  done
  nodes=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["nodes"]))' "$out/$name.json" 2>/dev/null || echo 0)

  # Graphviz.
  if [ -n "$has_dot" ]; then
    if ! dot -Tsvg "$out/$name.dot" >"$out/$name.svg" 2>"$tmp/$name.dot.err"; then
      fail "$name: dot -Tsvg rejected the dot output"; cat "$tmp/$name.dot.err"
    elif [ -s "$tmp/$name.dot.err" ] && grep -qiv 'warning' "$tmp/$name.dot.err"; then
      fail "$name: dot -Tsvg printed errors"; cat "$tmp/$name.dot.err"
    else
      drawn=$(grep -c 'class="node"' "$out/$name.svg" || true)
      if ! grep -q '<svg' "$out/$name.svg" || [ "$drawn" -lt "$nodes" ]; then
        fail "$name: the SVG from dot has $drawn nodes, the graph $nodes"
      else
        echo "graph-render-check: $name: dot -Tsvg drew $drawn nodes ($nodes in the graph)"
      fi
    fi
  fi

  # Mermaid: syntax sanity.
  if ! "$py" - "$out/$name.mermaid" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[0] == "flowchart LR", "first line is not 'flowchart LR'"
node = re.compile(r'^n\d+(\["[^"]*"\]|\(\["[^"]*"\]\)|\{\{"[^"]*"\}\}|\[/"[^"]*"/\])$')
edge = re.compile(r'^(n\d+) (-->|==>|-\.->)\|"[^"|]*"\| (n\d+)$')
sub = re.compile(r'^subgraph [gu]\d+\["[^"]*"\]$')
declared, depth, errors = set(), 0, []
for no, raw in enumerate(lines[1:], 2):
    line = raw.strip()
    if not line:
        continue
    if sub.match(line):
        depth += 1
    elif line == "end":
        depth -= 1
        if depth < 0:
            errors.append(f"{no}: 'end' without subgraph")
    elif node.match(line):
        declared.add(line.split("[")[0].split("(")[0].split("{")[0])
    elif m := edge.match(line):
        for n in (m.group(1), m.group(3)):
            if n not in declared:
                errors.append(f"{no}: edge to undeclared {n}")
    elif re.match(r'^(classDef \w+ [\w:#.,\- ]+|class [n\d,]+ \w+|linkStyle [\d,]+ [\w:#.,\- ]+)$', line):
        pass
    else:
        errors.append(f"{no}: unexpected line {raw!r}")
if depth != 0:
    errors.append(f"{depth} subgraph(s) not closed")
if errors:
    print("\n".join(errors[:10]))
    sys.exit(1)
PY
  then
    fail "$name: the mermaid output is not sane (above)"
  else
    echo "graph-render-check: $name: mermaid output is syntax-sane"
  fi

  # Headless Chromium: Mermaid's own parser and renderer on the mermaid output.
  if [ -n "$chromium" ] && [ -n "$mermaid_js" ]; then
    "$py" - "$out/$name.mermaid" "$mermaid_js" "$tmp/$name.mermaid.html" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
page = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="out"></div>
<script src="file://%s"></script>
<script>
(async function () {
  var out = document.getElementById("out");
  try {
    var text = %s;
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", maxTextSize: 100000000, maxEdges: 1000000 });
    await mermaid.parse(text);
    var r = await mermaid.render("kwire-mermaid", text);
    out.setAttribute("data-nodes", String((r.svg.match(/class="node /g) || []).length));
    out.setAttribute("data-result", "ok");
  } catch (e) {
    out.setAttribute("data-result", "error");
    out.textContent = String((e && e.message) || e);
  }
})();
</script></body></html>""" % (sys.argv[2], json.dumps(text).replace("<", "\\u003c"))
open(sys.argv[3], "w", encoding="utf-8").write(page)
PY
    timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
      --user-data-dir="$tmp/profile-mermaid-$name" --virtual-time-budget=30000 \
      --dump-dom "file://$tmp/$name.mermaid.html" >"$tmp/$name.mermaid.dom" 2>/dev/null || true
    result=$(grep -o '<div id="out"[^>]*>[^<]*' "$tmp/$name.mermaid.dom" || true)
    drawn=$(echo "$result" | sed -n 's/.*data-nodes="\([0-9]*\)".*/\1/p')
    case "$result" in
      *'data-result="ok"'*)
        if [ "${drawn:-0}" -lt "$nodes" ]; then
          fail "$name: Mermaid drew ${drawn:-0} nodes, the graph has $nodes"
        else
          echo "graph-render-check: $name: Mermaid parsed and rendered it ($drawn nodes)"
        fi ;;
      *) fail "$name: Mermaid rejected the mermaid output: ${result:-no result}" ;;
    esac
  fi

  # Headless Chromium: the html page.
  if [ -n "$chromium" ]; then
    url="file://$PWD/$out/$name.html"
    [ "${out#/}" != "$out" ] && url="file://$out/$name.html"
    flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
      --disable-extensions --disable-background-networking --disable-sync
      --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$tmp/profile-$name"
      --enable-logging=stderr --v=0 --window-size=1400,900)
    timeout 120 "$chromium" "${flags[@]}" --screenshot="$out/$name.png" "$url" \
      >/dev/null 2>"$tmp/$name.shot.log" || true
    timeout 120 "$chromium" "${flags[@]}" --dump-dom "$url#exposure=0" \
      >"$tmp/$name.dom" 2>"$tmp/$name.dom.log" || true
    if grep -h 'CONSOLE' "$tmp/$name.shot.log" "$tmp/$name.dom.log" >"$tmp/$name.console"; then
      fail "$name: the html page wrote to the console:"; cat "$tmp/$name.console"
    fi
    if ! grep -q 'data-kwire-ready="1"' "$tmp/$name.dom"; then
      fail "$name: the page's script did not finish (no data-kwire-ready)"
    fi
    exposures=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["exposures"]))' "$out/$name.json" 2>/dev/null || echo 0)
    if [ "$exposures" -gt 0 ] && ! grep -q '<aside id="panel"><h2>' "$tmp/$name.dom"; then
      fail "$name: #exposure=0 did not show the exposure in the panel"
    fi
    if [ ! -s "$out/$name.png" ]; then
      fail "$name: no screenshot"; tail -5 "$tmp/$name.shot.log"
    elif ! ink=$("$py" - "$out/$name.png" "$nodes" <<'PY'
# Share of the graph area (below the exposures bar, left of the side panel)
# drawn in something darker than the page's pale backgrounds. PNG decoded
# with zlib only (no PIL here).
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, []
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, color = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat.append(body)
    pos += 12 + length
assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth}/{color}"
bpp = 4 if color == 6 else 3
raw = zlib.decompress(b"".join(idat))
stride = width * bpp
prev = bytearray(stride)
top, bottom, right = 260, height - 20, width - 360
dark = total = 0
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if top <= y < bottom:
        for x in range(0, right, 2):
            i = x * bpp
            total += 1
            if line[i] + line[i + 1] + line[i + 2] < 660:
                dark += 1
share = dark / max(total, 1)
print(f"{share:.4f}")
nodes = int(sys.argv[2])
sys.exit(0 if nodes == 0 or share > 0.002 else 1)
PY
    ); then
      fail "$name: the screenshot is blank where the graph is drawn (ink share ${ink:-?})"
    else
      echo "graph-render-check: $name: html rendered in Chromium, no console message, ink share $ink of the graph area"
    fi
  fi
done

[ "$status" = 0 ] && echo "graph-render-check: all renderings passed (${#inputs[@]} inputs)"
exit $status
