#!/usr/bin/env node
// The one test command (`npm test`): type-check, lint, then every suite in order. Each suite reports its
// counts; the last line is the plain total `N passed, N failed`, and the exit code is non-zero on any failure.
//
// Suites:
//   unit + integration  node's test runner over test/unit, test/integration and the emulator's self-checks in
//                       test/emulator (*.test.ts, via tsx); `npm test -- emulator` runs only the emulator's
//   further suites      scripts listed in SUITES below; each writes .test-results/<name>.json = {passed, failed}
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const only = process.argv.slice(2); // e.g. `npm test -- unit` runs one stage
const want = (name) => only.length === 0 || only.includes(name);

// The browser suites need Chromium, Node 24 and code-server (scripts/setup-tools.sh): on a fresh machine they
// install in the background while the static checks and the unit and integration tests run.
const { ensureToolsInBackground } = await import('./lib/paths.mjs');
const tools = want('extension-host') || want('ui')
  ? ensureToolsInBackground(join(results, 'setup-tools.log')).then(() => null, (e) => e)
  : Promise.resolve(null);

// A fresh clone has no node_modules: install exactly the locked packages first (the tools for the real-VS-Code
// suites are installing meanwhile, above).
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('[test] installing npm packages (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-fund', '--no-audit'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
const lines = [];

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function check(name, ok) {
  if (ok) passed++;
  else failed++;
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'}`);
}

if (want('static')) {
  check('typecheck (tsc --noEmit)', run('npx', ['tsc', '--noEmit', '-p', '.']) === 0);
  check('lint (eslint)', run('npx', ['eslint', '--no-error-on-unmatched-pattern', 'src', 'test', 'bench', 'scripts', 'webview']) === 0);
}

// The emulator's own tests (test/emulator/tests) run with the integration tests, or alone as `emulator`.
const GROUPS = { unit: ['test/unit'], integration: ['test/integration', 'test/emulator'], emulator: ['test/emulator'] };
if (want('unit') || want('integration') || only.includes('emulator')) {
  const dirs = [...new Set(Object.keys(GROUPS).filter((g) => (g === 'emulator' ? only.includes(g) : want(g))).flatMap((g) => GROUPS[g]))];
  const files = dirs.flatMap(testFiles);
  const tap = join(results, 'node.tap');
  const code = run(process.execPath, [
    '--import', 'tsx', '--require', './test/fakes/register-vscode.cjs',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const f = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  passed += p;
  failed += f;
  if (code !== 0 && f === 0) failed++;
  lines.push(`unit + integration: ${p} passed, ${f} failed`);
}

// Suites that run in a real VS Code (code-server) or a browser. Each is a script that writes its counts.
const SUITES = [
  { name: 'extension-host', script: 'scripts/run-extension-host-tests.mjs' },
  { name: 'ui', script: 'scripts/run-ui-tests.mjs' },
];
const toolsError = await tools;
if (toolsError) console.error(`[test] ${toolsError.message}`);
for (const suite of SUITES) {
  if (!want(suite.name) || !existsSync(suite.script)) continue;
  if (toolsError) {
    failed++;
    lines.push(`${suite.name}: not run (the tools did not install: see .test-results/setup-tools.log)`);
    continue;
  }
  const out = join(results, `${suite.name}.json`);
  const code = run(process.execPath, [suite.script], { TEST_RESULTS_FILE: out });
  let p = 0;
  let f = 0;
  if (existsSync(out)) ({ passed: p, failed: f } = JSON.parse(readFileSync(out, 'utf8')));
  if (code !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  lines.push(`${suite.name}: ${p} passed, ${f} failed`);
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
