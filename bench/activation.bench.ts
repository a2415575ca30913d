/**
 * Activation cost of the bundled extension as it ships (`--production`, minified, as `npm run package` builds it, into
 * .test-results/dist-production so dist/ keeps the dev build the probe reads), against
 * the fake `vscode` of the tests: `require` + `activate()` in a fresh Node process, median of 7 runs, printed beside
 * the time to `require('@aws-sdk/client-ec2')` alone in a fresh process on the same machine (the unit). Also prints
 * which AWS SDK clients and libraries were evaluated by then (esbuild wraps each bundled module in an init function
 * that runs on first use; the probe patches those helpers to record each module it evaluates).
 * Goal (issue 14): activation under a quarter of the unit; no SDK client evaluated at activation.
 * Then, per first command (open the tree, copy credentials, open the deploy form, check status) run in that order
 * against the emulator by bench/first-command-probe.cjs: the bundled modules and bytes evaluated by then, the AWS
 * SDK clients loaded, and any client loaded but never called.
 * Run: npm run bench -- activation
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const RUNS = 7;

// the production bundle is timed; the dev bundle (one `// path` comment per module) is what the probes count modules in
const productionDist = join(root, '.test-results', 'dist-production');
execFileSync(process.execPath, ['scripts/build.mjs', '--production', `--outdir=${productionDist}`], { cwd: root, stdio: 'ignore' });
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });

/** The top-level names of the vscode API (namespaces, classes, enums), from its type declarations. */
function vscodeNames(): string[] {
  const d = readFileSync(join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  return [...new Set([...d.matchAll(/^\t(?:export )?(?:namespace|class|enum) (\w+)/gm)].map((m) => m[1]))];
}

mkdirSync(join(root, '.test-results'), { recursive: true });
const probe = join(root, '.test-results', 'activation-probe.cjs');
writeFileSync(
  probe,
  `
// A stub 'vscode': every member is a callable, constructible proxy (events, registrations, tree views), so
// activate() runs its real code; nothing it asks of VS Code costs anything measurable.
const Module = require('node:module');
const stub = (name) => new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => name : k === 'visible' ? true : stub(name + '.' + String(k))),
  apply: () => stub(name + '()'),
  construct: () => stub('new ' + name),
  set: () => true,
  defineProperty: () => true,
});
const vscodeStub = Object.fromEntries(${JSON.stringify(vscodeNames())}.map((n) => [n, stub(n)]));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub };

// The bundle, with esbuild's lazy-module helpers patched to record each module the first time it is evaluated.
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const file = process.argv[3];
let code = fs.readFileSync(file, 'utf8');
const marks = [];
globalThis.__evaluated = marks;
code = code
  .replace('var __commonJS = (cb, mod) => function __require() {', 'var __commonJS = (cb, mod) => function __require() {\\n  if (!mod) globalThis.__evaluated.push(__getOwnPropNames(cb)[0]);')
  .replace('var __esm = (fn, res, err) => function __init() {', 'var __esm = (fn, res, err) => function __init() {\\n  if (fn) globalThis.__evaluated.push(__getOwnPropNames(fn)[0]);');
const mode = process.argv[2];
const t0 = performance.now();
if (mode === 'unit') {
  require('@aws-sdk/client-ec2');
} else {
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(require('node:path').dirname(file));
  m._compile(code, file);
  const memento = () => { const s = new Map(); return { get: (k, d) => (s.has(k) ? s.get(k) : d), update: async (k, v) => void s.set(k, v), keys: () => [...s.keys()] }; };
  m.exports.activate({ subscriptions: [], globalState: memento(), workspaceState: memento(), extensionUri: vscodeStub.Uri.file('/x'), extensionPath: '/x', extension: { id: 'openvidu-ha-tools.openvidu-ha' } });
}
const ms = performance.now() - t0;
const pkgs = new Set();
for (const k of marks) { const p = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k); if (p) pkgs.add(p[1]); }
process.stdout.write(JSON.stringify({ ms, modules: marks.length, loaded: [...pkgs].filter((p) => /^@aws-sdk\\/client-|^(yaml|jsonc-parser|livekit-server-sdk|ws)$/.test(p)) }));
`,
);

const devBundle = join(root, 'dist/extension.js');
const shippedBundle = join(productionDist, 'extension.js');
function run(mode: string, file = shippedBundle): { ms: number; modules: number; loaded: string[] } {
  const out = execFileSync(process.execPath, [probe, mode, file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.slice(out.lastIndexOf('{"ms"')));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = process.env.BENCH_PROBE_ONLY ? 0 : RUNS;
const unit = median(Array.from({ length: Math.max(1, runs) }, () => run('unit').ms));
const acts = Array.from({ length: Math.max(1, runs) }, () => run('activate'));
const act = median(acts.map((a) => a.ms));
// which lazy modules ran is read from the dev bundle (the minified one has no names to patch)
const devAct = run('activate', devBundle);
console.log(`| measure (median of ${RUNS}, fresh process each) | ms | ratio to the unit |`);
console.log('|---|---|---|');
console.log(`| require('@aws-sdk/client-ec2') alone (the unit) | ${unit.toFixed(1)} | 1.00 |`);
console.log(`| require(extension.js as packaged, minified) + activate() | ${act.toFixed(1)} | ${(act / unit).toFixed(2)} (goal < 0.25) |`);
console.log(`esbuild-wrapped (lazy) modules run at activation (dev bundle): ${devAct.modules}; of the SDK clients and heavy libraries: ${devAct.loaded.join(', ') || 'none'} (the table below counts every module)`);

/** The first commands, each after the previous one, in a fresh process against the emulator (one 4+2 stack). */
async function firstCommands(): Promise<void> {
  const { startEmulator } = await import('../test/emulator/server');
  const { createOpenViduStack } = await import('../test/support/openviduStack');
  const emu = await startEmulator({ speed: 20 });
  try {
    await createOpenViduStack(emu, { name: 'bench-first', mediaNodes: 2 });
    emu.world.settings.defaultHostManagement = true;
    emu.clock.advance(15 * 60_000);
    emu.requests.clear();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--require', './test/fakes/register-vscode.cjs', 'bench/first-command-probe.cjs', emu.endpoint], {
        cwd: root,
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIABENCH', AWS_SECRET_ACCESS_KEY: 'bench' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`probe failed (${code}): ${stderr.slice(-2000)}`))));
    });
    const steps = JSON.parse(out.trim().split('\n').at(-1)!) as { name: string; modules: number; bytes: number; clients: string[]; called: string[] }[];
    console.log('\n| after (each after the previous one) | bundled modules evaluated | bundled bytes evaluated | SDK clients loaded | loaded but never called |');
    console.log('|---|---|---|---|---|');
    let prev = { modules: 0, bytes: 0, clients: [] as string[] };
    for (const s of steps) {
      const added = s.clients.filter((c) => !prev.clients.includes(c));
      const idle = s.clients.filter((c) => !s.called.includes(c));
      const kB = (b: number) => `${(b / 1024).toFixed(0)} kB`;
      console.log(`| ${s.name} | ${s.modules}${prev.modules ? ` (+${s.modules - prev.modules})` : ''} | ${kB(s.bytes)}${prev.modules ? ` (+${kB(s.bytes - prev.bytes)})` : ''} | ${s.clients.join(', ') || 'none'}${added.length && prev.modules ? ` (new: ${added.join(', ')})` : ''} | ${idle.join(', ') || 'none'} |`);
      prev = s;
    }
    console.log('bytes: the unminified bundles (dist/extension.js, dist/aws-sdk.js) as built by scripts/build.mjs');
  } finally {
    await emu.stop();
  }
}

void firstCommands().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
