#!/usr/bin/env bash
# Runs the repository's pre-commit hook the way a user's repository would:
# installs pre-commit from PyPI into a throwaway virtualenv and runs
#   pre-commit try-repo . kwire --files fixtures/seeds/*.yaml
# (try-repo clones the repository, with uncommitted changes, and builds the
# hook with `language: rust`, i.e. `cargo install --path` of the clone).
# The seeds contain the mistakes kwire finds, so the hook must fail with
# kwire's findings in its output; a second run over a clean file must pass.
# Skips (exit 0, with a message) when pip cannot install pre-commit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=$(command -v python3 || command -v python || true)
if [ -z "$py" ] || ! "$py" -m venv "$tmp/venv" >"$tmp/venv.log" 2>&1 \
  || ! "$tmp/venv/bin/pip" install --quiet 'pre-commit>=3,<5' >"$tmp/pip.log" 2>&1; then
  echo "pre-commit-check: cannot install pre-commit from PyPI; hook check skipped"
  tail -3 "$tmp/pip.log" 2>/dev/null || tail -3 "$tmp/venv.log" 2>/dev/null || true
  exit 0
fi
export PRE_COMMIT_HOME="$tmp/cache"
# Reuse compiled dependencies between runs (the hook's own crate is rebuilt).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# try-repo needs a git repository with a HEAD commit.
git rev-parse --verify -q HEAD >/dev/null || { echo "pre-commit-check: no HEAD commit"; exit 1; }

status=0
set +e
"$tmp/venv/bin/pre-commit" try-repo "$root" kwire --verbose --files fixtures/seeds/*.yaml >"$tmp/seeds.log" 2>&1
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q 'error\[KW3001\]' "$tmp/seeds.log"; then
  echo "FAIL: the hook over fixtures/seeds exited $code without kwire's KW3001 finding"; cat "$tmp/seeds.log"; status=1
else
  echo "pre-commit-check: hook over fixtures/seeds failed as expected with kwire's findings"
fi
set +e
"$tmp/venv/bin/pre-commit" try-repo "$root" kwire --files fixtures/seeds/01-nginx-pod.yaml >"$tmp/clean.log" 2>&1
code=$?
set -e
if [ "$code" -ne 0 ]; then
  echo "FAIL: the hook over a clean file exited $code"; cat "$tmp/clean.log"; status=1
else
  echo "pre-commit-check: hook over a clean file passed"
fi
exit $status
