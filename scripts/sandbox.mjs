#!/usr/bin/env node
// The sandbox (`npm start`): a real VS Code (code-server) in your browser with the packaged extension installed,
// pointed at the local AWS emulator (demo world: stack openvidu-demo in eu-west-1), so every feature can be
// tried with no AWS account. Ctrl-C stops everything it started.
//
//   npm start                                   emulator mode
//   npm start -- --aws-profile NAME [--region R[,R2]]   a real AWS account through a shared-config profile
//   options: --port P (code-server port, default a free one)  --speed S (emulator time speed, default 10:
//            an hour of AWS in 6 minutes; the demo cluster's media nodes drain in 24 s)
//            --folder DIR (workspace to open, default .sandbox/workspace)
//
// State lives in the git-ignored .sandbox/ (user data, extensions, logs, workspace) and .tools/ (tools, XDG dirs).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, VSIX, ensureNodeModules, ensureToolsInBackground, npmRun } from './lib/paths.mjs';
import { startEmulator, emulatorSettings, emulatorEnv, SANDBOX_SPEED, DEMO_DRAIN_SECONDS } from './lib/emulator.mjs';
import { startCodeServer, installVsix, writeUserSettings, QUIET_SETTINGS } from './lib/code-server.mjs';
import { installCleanup, stopAll } from './lib/processes.mjs';

const usage = () => readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n');
let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      'aws-profile': { type: 'string' },
      region: { type: 'string', multiple: true },
      port: { type: 'string' },
      speed: { type: 'string', default: String(SANDBOX_SPEED) },
      folder: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n\n${usage()}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage());
  process.exit(0);
}

const SANDBOX = join(ROOT, '.sandbox');
const LOGS = join(SANDBOX, 'logs');
const userDataDir = join(SANDBOX, 'user-data');
const extensionsDir = join(SANDBOX, 'extensions');
const folder = resolve(opts.folder ?? join(SANDBOX, 'workspace'));
const profile = opts['aws-profile'];
const regions = (opts.region ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
const log = (m) => console.log(`[sandbox] ${m}`);

let stopping = false;
installCleanup(() => {
  stopping = true;
  log('stopping…');
});

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

// One sandbox at a time per checkout: they would share .sandbox/user-data.
const LOCK = join(SANDBOX, 'sandbox.json');
/** PIDs of live processes started with `--user-data-dir <ours>` (a sandbox's code-server, any version). */
function userDataUsers() {
  const pids = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids; // not Linux: rely on the lock file
  }
  for (const d of entries) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    let args;
    try {
      args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const i = args.indexOf('--user-data-dir');
    const dir = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
    if (dir && resolve(dir) === userDataDir) pids.push(Number(d));
  }
  return pids;
}

function takeLock() {
  const users = userDataUsers();
  if (users.length) {
    const other = readJson(LOCK);
    console.error(`[sandbox] another sandbox is running on ${userDataDir} (pids ${users.join(', ')}${other.url ? `, ${other.url}` : ''}); stop it first.`);
    process.exit(1);
  }
  const other = readJson(LOCK);
  if (other.pid && other.pid !== process.pid) {
    try {
      process.kill(other.pid, 0);
      console.error(`[sandbox] another sandbox is running (pid ${other.pid}${other.url ? `, ${other.url}` : ''}); stop it first.`);
      process.exit(1);
    } catch {
      /* stale lock */
    }
  }
  mkdirSync(SANDBOX, { recursive: true });
  writeFileSync(LOCK, JSON.stringify({ pid: process.pid }));
  process.on('exit', () => {
    if (readJson(LOCK).pid === process.pid) rmSync(LOCK, { force: true });
  });
}

/** The newest modification time of anything that goes into the .vsix (sources, media, manifest, build script). */
function newestInput() {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) visit(join(p, n));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src', 'webview', 'media', 'docs/images', 'package.json', 'package-lock.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'scripts/build.mjs']) visit(join(ROOT, p));
  return newest;
}

async function main() {
  takeLock();
  // The tools (Chromium, Node 24, code-server) install in the background while npm packages install and the
  // extension is built and packaged: on a fresh clone that is most of the wait.
  const tools = ensureToolsInBackground(join(LOGS, 'setup-tools.log'));
  ensureNodeModules();
  mkdirSync(LOGS, { recursive: true });
  mkdirSync(folder, { recursive: true });
  if (!opts.folder && !existsSync(join(folder, 'README.md'))) {
    writeFileSync(join(folder, 'README.md'), '# OpenVidu HA sandbox\n\nOpen the OpenVidu HA view in the activity bar, or press F1 and type "OpenVidu".\n');
  }

  // A warm start reuses the package and its installation when nothing that goes into the .vsix changed.
  const stamp = join(extensionsDir, '.openvidu-ha-installed');
  const fresh = existsSync(VSIX) && existsSync(stamp) && readFileSync(stamp, 'utf8') === String(statSync(VSIX).mtimeMs) && statSync(VSIX).mtimeMs > newestInput();
  if (fresh) {
    log('the extension is unchanged since its last package: reusing it');
  } else {
    log('building and packaging the extension');
    rmSync(VSIX, { force: true });
    npmRun('package', { quiet: true });
  }
  if (!(await tools.then(() => true, (e) => (console.error(`[sandbox] ${e.message}`), false)))) process.exit(1);
  if (!fresh) {
    installVsix(VSIX, { extensionsDir, userDataDir });
    writeFileSync(stamp, String(statSync(VSIX).mtimeMs));
  }

  let env;
  let target;
  const ours = {};
  if (profile) {
    // Real AWS: the SDK reads ~/.aws for the profile; no endpoint override, no fake credentials.
    ours['openviduHa.profile'] = profile;
    ours['openviduHa.endpoint'] = '';
    ours['openviduHa.regions'] = regions;
    ours['openviduHa.templateBaseUrl'] = undefined; // the default: the real template bucket
    env = {};
    target = `AWS profile "${profile}"${regions.length ? `, regions ${regions.join(', ')}` : ''}`;
  } else {
    const emulator = await startEmulator({ speed: Number(opts.speed), logFile: join(LOGS, 'emulator.log') });
    // every AWS service, and the OpenVidu templates the deploy wizard reads, come from the emulator
    Object.assign(ours, emulatorSettings(emulator.endpoint, regions.length ? regions : ['eu-west-1']));
    // keep the developer's real ~/.aws out of emulator mode
    env = emulatorEnv(SANDBOX);
    target = `AWS emulator ${emulator.endpoint} (demo world, speed ×${opts.speed}; log ${join(LOGS, 'emulator.log')})`;
  }
  // Keep the person's own settings from earlier sandbox runs; ours win.
  const existing = readJson(join(userDataDir, 'User/settings.json'));
  writeUserSettings(userDataDir, { ...QUIET_SETTINGS, ...existing, ...ours });

  const cs = await startCodeServer({
    dir: SANDBOX,
    userDataDir,
    extensionsDir,
    port: opts.port ? Number(opts.port) : undefined,
    logFile: join(LOGS, 'code-server.log'),
    env,
  });
  console.log('');
  const shown = /^[\w./-]+$/.test(folder) ? folder : encodeURIComponent(folder);
  console.log(`  OpenVidu HA sandbox: ${cs.url}/?folder=${shown}`);
  console.log(`  target: ${target}`);
  console.log(`  code-server log: ${join(LOGS, 'code-server.log')}`);
  if (!profile) {
    const speed = Number(opts.speed);
    console.log(`  simulated time runs ×${speed}: an hour of AWS takes ${Math.round(60 / speed)} min, a demo media node drains in ${Math.round(DEMO_DRAIN_SECONDS / speed)} s`);
    console.log('  faster or slower: npm start -- --speed N  (e.g. --speed 60; --speed 1 is real time)');
  }
  console.log('  Ctrl-C to stop');
  writeFileSync(LOCK, JSON.stringify({ pid: process.pid, url: `${cs.url}/?folder=${shown}` }));
  console.log('');

  // Stay up until Ctrl-C (handled by installCleanup) or until code-server dies.
  const { code, signal } = await cs.proc.exited;
  if (stopping) return;
  log(`code-server exited (${signal ?? code}); see ${join(LOGS, 'code-server.log')}`);
  await stopAll();
  process.exit(1);
}

main().catch(async (e) => {
  console.error(`[sandbox] ${e.stack ?? e}`);
  await stopAll();
  process.exit(1);
});
