#!/usr/bin/env node
// UI tests: the packaged extension in a real VS Code workbench, driven like a user would with Playwright.
//   1. packages the extension (npm run package → openvidu-ha.vsix)
//   2. starts the AWS emulator (demo world) and ONE code-server (no smoke-test driver, so toasts show) with a
//      fresh profile, the .vsix installed, user settings pointing at the emulator, fake env credentials
//   3. runs test/ui/*.test.ts with node's test runner (they open headless Chromium against that code-server
//      and save a screenshot per step in artifacts/ui-*.png)
//   4. writes {"passed","failed"} to $TEST_RESULTS_FILE; exits non-zero on any failure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, VSIX, ensureTools, npmRun } from './lib/paths.mjs';
import { startEmulator, emulatorSettings, emulatorEnv } from './lib/emulator.mjs';
import { startCodeServer, installVsix, writeUserSettings, QUIET_SETTINGS } from './lib/code-server.mjs';
import { installCleanup, startProcess, stopAll } from './lib/processes.mjs';

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const resultsFile = process.env.TEST_RESULTS_FILE;
const scratch = mkdtempSync(join(tmpdir(), 'openvidu-ha-ui-'));
installCleanup();

function report(passed, failed) {
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed }));
  console.log(`ui: ${passed} passed, ${failed} failed (${secs()})`);
}

function keepLogs() {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of ['code-server.log', 'emulator.log']) {
    if (existsSync(join(scratch, f))) copyFileSync(join(scratch, f), join(ARTIFACTS, `ui-${f}`));
  }
}

async function main() {
  ensureTools();
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('ui-')) rmSync(join(ARTIFACTS, f), { force: true });
  console.log('[ui] packaging the extension');
  rmSync(VSIX, { force: true });
  npmRun('package', { quiet: true });
  if (!existsSync(VSIX)) throw new Error(`npm run package did not produce ${VSIX}`);

  const emulator = await startEmulator({ speed: 10, logFile: join(scratch, 'emulator.log') });
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  installVsix(VSIX, { extensionsDir, userDataDir });
  writeUserSettings(userDataDir, {
    ...QUIET_SETTINGS,
    ...emulatorSettings(emulator.endpoint),
    // the walkthrough test opens it itself; elsewhere it would cover the editors the tests look at
    'openviduHa.showWalkthroughOnFirstStart': false,
    // xterm's DOM renderer keeps the terminal's text in the page (.xterm-rows), where a test can read what a
    // person sees; the WebGL renderer draws it on a canvas. Same text, another renderer.
    'terminal.integrated.gpuAcceleration': 'off',
  });
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# OpenVidu HA UI test workspace\n');
  const cs = await startCodeServer({
    dir: scratch,
    userDataDir,
    extensionsDir,
    logFile: join(scratch, 'code-server.log'),
    env: emulatorEnv(scratch),
  });
  console.log(`[ui] emulator ${emulator.endpoint}, code-server ${cs.url} (${secs()})`);

  // OPENVIDU_UI_FILES=explorer,deploy runs only the files whose names start with one of these.
  const only = (process.env.OPENVIDU_UI_FILES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const files = readdirSync(join(ROOT, 'test/ui'))
    .filter((f) => f.endsWith('.test.ts') && (!only.length || only.some((o) => f.startsWith(o))))
    .sort()
    .map((f) => join(ROOT, 'test/ui', f));
  const tap = join(scratch, 'ui.tap');
  const runner = startProcess(
    'ui-tests',
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        OPENVIDU_UI_URL: cs.url,
        OPENVIDU_UI_FOLDER: workspace,
        OPENVIDU_TEST_EMULATOR: emulator.endpoint,
        OPENVIDU_UI_ARTIFACTS: ARTIFACTS,
      },
    },
  );
  const { code } = await runner.exited;
  await cs.stop();
  await emulator.stop();
  await stopAll();

  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const passed = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  let failed = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  if (code !== 0 && failed === 0) failed = 1;
  if (failed > 0) keepLogs();
  report(passed, failed);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(failed > 0 ? 1 : 0);
}

main().catch(async (e) => {
  console.error(`[ui] ${e.stack ?? e}`);
  await stopAll();
  keepLogs();
  report(0, 1);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
});
