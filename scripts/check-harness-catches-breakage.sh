#!/usr/bin/env bash
# Proves the real-VS-Code suites catch a broken extension, without touching the working tree: copies the
# repository (no .git, node_modules or .tools: those are symlinked) to a temp dir, makes activate() throw in
# the copy, runs the extension-host and UI suites there, and succeeds only if BOTH fail.
# Usage: bash scripts/check-harness-catches-breakage.sh     (about 3 minutes; the UI suite waits out its timeouts)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COPY=$(mktemp -d "${TMPDIR:-/tmp}/openvidu-ha-broken-XXXXXX")
trap 'rm -rf "$COPY"' EXIT
tar --exclude=./node_modules --exclude=./.tools --exclude=./.git --exclude=./artifacts --exclude=./.sandbox \
    --exclude=./out --exclude=./dist --exclude=./.test-results --exclude='./*.vsix' -cf - . | tar -C "$COPY" -xf -
ln -s "$ROOT/node_modules" "$COPY/node_modules"
ln -s "$ROOT/.tools" "$COPY/.tools"
# First statement of activate(): throw.
perl -0pi -e 's/(export (async )?function activate\([^)]*\)[^{]*\{)/$1\n  throw new Error("deliberately broken activate() (check-harness-catches-breakage)");/' "$COPY/src/extension.ts"
grep -q 'deliberately broken' "$COPY/src/extension.ts" || { echo "could not find activate() in src/extension.ts" >&2; exit 2; }

status=0
for suite in extension-host ui; do
  echo "=== $suite suite against the broken extension"
  if TEST_RESULTS_FILE="$COPY/$suite.json" node "$COPY/scripts/run-$suite-tests.mjs" > "$COPY/$suite.log" 2>&1; then
    echo "NOT CAUGHT: the $suite suite passed with a broken activate()"; status=1
  else
    echo "caught: $(cat "$COPY/$suite.json")"
    grep -E '^\s+[0-9]+\) |^  ✖ ' "$COPY/$suite.log" | awk '!seen[$0]++' | head -8
  fi
done
rm -rf "$ROOT/artifacts/broken"; mkdir -p "$ROOT/artifacts/broken"
cp "$COPY"/artifacts/ui-*.png "$ROOT/artifacts/broken/" 2>/dev/null || true
echo "screenshots of the broken run: artifacts/broken/"
exit $status
