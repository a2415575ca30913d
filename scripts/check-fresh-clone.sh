#!/usr/bin/env bash
# A newcomer's path, measured: clones this repository (its committed HEAD) into a temporary folder and runs the
# README's two commands there exactly as written, printing the time of each.
#   1. npm start (cold: no node_modules, no .tools) until its URL answers with the workbench, then Ctrl-C
#   2. npm start again (warm), likewise
#   3. npm test, which must end "N passed, 0 failed"
# Usage: bash scripts/check-fresh-clone.sh [--keep] [--no-test]
# Logs: <tmp>/start-cold.log, start-warm.log, test.log (the folder is removed at the end unless --keep).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KEEP=0; RUN_TEST=1
for a in "$@"; do case $a in --keep) KEEP=1 ;; --no-test) RUN_TEST=0 ;; *) echo "unknown option $a" >&2; exit 2 ;; esac; done
WORK=$(mktemp -d /tmp/openvidu-fresh-XXXXXX)
CLONE=$WORK/openvidu-ha
cleanup() { [ "$KEEP" = 1 ] && echo "[fresh] kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT
log() { echo "[fresh] $*"; }

git clone -q "$ROOT" "$CLONE" || exit 1
log "cloned $(git -C "$CLONE" rev-parse --short HEAD) into $CLONE ($( [ -x /usr/bin/chromium ] && echo "chromium installed" || echo "no chromium" ))"
cd "$CLONE" || exit 1

# Runs `npm start` until the workbench answers at the printed URL, then stops it as a person would (Ctrl-C =
# SIGINT to its process group). Prints the seconds it took; fails if no URL within 15 minutes.
start_sandbox() {
  local name=$1 logf=$WORK/start-$1.log t0 url="" pid
  t0=$(date +%s.%N)
  setsid npm start >"$logf" 2>&1 &
  pid=$!
  for _ in $(seq 1 1800); do
    url=$(grep -o 'OpenVidu HA sandbox: http[^ ]*' "$logf" | head -1 | sed 's/OpenVidu HA sandbox: //')
    if [ -n "$url" ] && curl -fsS -o /dev/null "$url"; then break; fi
    url=""
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  local t1; t1=$(date +%s.%N)
  kill -INT -- "-$pid" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -z "$url" ]; then
    log "npm start ($name): no working URL; last lines of $logf:"; tail -20 "$logf"; return 1
  fi
  local left; left=$(pgrep -f "$CLONE/.tools/cs|$CLONE/test/emulator" | wc -l)
  log "npm start ($name): workbench answered at $url after $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s; processes left after Ctrl-C: $left"
}

status=0
start_sandbox cold || status=1
start_sandbox warm || status=1
if [ "$RUN_TEST" = 1 ]; then
  t0=$(date +%s)
  npm test >"$WORK/test.log" 2>&1
  code=$?
  t1=$(date +%s)
  log "npm test: exit $code after $((t1 - t0)) s: $(tail -1 "$WORK/test.log")"
  grep -E '^(typecheck|lint|unit|extension-host|ui)' "$WORK/test.log" | sed 's/^/[fresh]   /'
  [ "$code" = 0 ] || { status=1; KEEP=1; }
fi
exit $status
