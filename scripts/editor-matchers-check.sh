#!/usr/bin/env bash
# Checks the VS Code problemMatcher regexp documented in docs/ci.md against
# kwire's plain output of the seeds: every line must match, and the groups
# must equal the JSON report's file, line, column, severity, code, message.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${KWIRE_BIN:-${CARGO_TARGET_DIR:-target}/debug/kwire}
[ -x "$bin" ] || cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" lint --no-config -f plain --fail-on never fixtures/seeds fixtures/rules >"$tmp/plain.txt" 2>/dev/null || true
"$bin" lint --no-config -f json --fail-on never fixtures/seeds fixtures/rules >"$tmp/report.json" 2>/dev/null || true
python3 - docs/ci.md "$tmp/plain.txt" "$tmp/report.json" <<'PY'
import json, re, sys
doc, plain, report = sys.argv[1:]
line = next(l for l in open(doc) if '"regexp":' in l)
regexp = json.loads("{" + line.strip().rstrip(",") + "}")["regexp"]
pattern = re.compile(regexp)
diags = json.load(open(report))["diagnostics"]
lines = open(plain).read().splitlines()
assert len(lines) == len(diags) > 0, (len(lines), len(diags))
for text, d in zip(lines, diags):
    m = pattern.match(text)
    assert m, f"the documented regexp does not match: {text}"
    got = (m[1], int(m[2]), int(m[3]), m[4], m[5])
    want = (d["file"], d["line"], d["column"], d["severity"], d["code"])
    assert got == want, (got, want)
    assert d["message"].split("\n")[0].split()[0] in m[6]
print(f"editor-matchers-check: the VS Code regexp matches all {len(lines)} findings")
PY

# The documented vim errorformat, when vim is installed.
if command -v vim >/dev/null; then
  efm=$(grep -m1 '^set errorformat=' docs/ci.md)
  cat >"$tmp/check.vim" <<VIM
$efm
cgetfile $tmp/plain.txt
let out = []
for e in getqflist()
  call add(out, printf('%d:%d:%d:%s', e.valid, e.lnum, e.col, e.type))
endfor
call writefile(out, '$tmp/qf.txt')
qa!
VIM
  timeout 60 vim -Nu NONE -es -S "$tmp/check.vim" </dev/null || true
  python3 - "$tmp/qf.txt" "$tmp/report.json" <<'PY'
import json, sys
qf = open(sys.argv[1]).read().splitlines()
diags = json.load(open(sys.argv[2]))["diagnostics"]
want = [f"1:{d['line']}:{d['column']}:{d['severity'][0]}" for d in diags]
assert qf == want, (qf[:3], want[:3])
print(f"editor-matchers-check: the vim errorformat reads all {len(qf)} findings with their type")
PY
else
  echo "editor-matchers-check: vim not installed; errorformat check skipped"
fi
