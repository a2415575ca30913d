#!/usr/bin/env node
// Extension-host tests: mocha suites (test/extension-host) inside a real VS Code extension host.
//   1. builds the extension (npm run build) and compiles the suites to out/extension-host/
//   2. starts the AWS emulator (demo world) and a scratch workspace whose .vscode/settings.json points the
//      extension at it; fake credentials go in through the environment
//   3. @vscode/test-electron runTests() with vscodeExecutablePath = scripts/lib/vscode-launcher.mjs, which runs
//      the tests in code-server + headless Chromium (this machine cannot download VS Code). With
//      VSCODE_TEST_DESKTOP=1 runTests downloads and uses desktop VS Code instead (machines with internet).
//   4. writes {"passed","failed"} to $TEST_RESULTS_FILE; exits non-zero on any failure.
// Env: OPENVIDU_EH_GREP=<pattern> runs a subset.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, ARTIFACTS, ensureTools } from './lib/paths.mjs';
import { LAUNCHER, prepareExtensionHostRun } from './lib/extension-host.mjs';
import { installCleanup, stopAll } from './lib/processes.mjs';

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const resultsFile = process.env.TEST_RESULTS_FILE;
const desktop = process.env.VSCODE_TEST_DESKTOP === '1';
const scratch = mkdtempSync(join(tmpdir(), 'openvidu-ha-eh-'));
const ehResults = join(scratch, 'results.json');
installCleanup();

function report(passed, failed) {
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed }));
  console.log(`extension-host: ${passed} passed, ${failed} failed (${secs()})`);
}

async function main() {
  if (!desktop) ensureTools();
  if (existsSync(ARTIFACTS)) for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('extension-host-')) rmSync(join(ARTIFACTS, f), { force: true });
  console.log('[extension-host] building the extension and the suites');
  const { testsPath, workspace, env, launchArgs, emulator } = await prepareExtensionHostRun(scratch);
  console.log(`[extension-host] emulator ${emulator.endpoint} (${secs()})`);
  env.OPENVIDU_EH_RESULTS = ehResults;
  if (process.env.OPENVIDU_EH_GREP) env.OPENVIDU_EH_GREP = process.env.OPENVIDU_EH_GREP;

  let code = 0;
  try {
    code = await runTests({
      // desktop: test-electron downloads VS Code into .tools/vscode-test (git-ignored)
      ...(desktop ? { cachePath: join(ROOT, '.tools/vscode-test') } : { vscodeExecutablePath: LAUNCHER }),
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, ...launchArgs],
      extensionTestsEnv: env,
    });
  } catch (e) {
    console.error(`[extension-host] ${e.message}`);
    code = e.code ?? 1;
  } finally {
    await emulator.stop();
    await stopAll();
  }

  let passed = 0;
  let failed = 0;
  if (existsSync(ehResults)) ({ passed, failed } = JSON.parse(readFileSync(ehResults, 'utf8')));
  if (code !== 0 && failed === 0) failed = 1; // crashed, timed out or never ran the suites
  if (code !== 0) {
    // keep the logs for a look
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of existsSync(join(scratch, 'logs')) ? readdirSync(join(scratch, 'logs')) : []) {
      writeFileSync(join(ARTIFACTS, `extension-host-${f}`), readFileSync(join(scratch, 'logs', f)));
    }
    console.error(`[extension-host] logs copied to artifacts/extension-host-*`);
  }
  report(passed, failed);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(failed > 0 || code !== 0 ? 1 : 0);
}

main().catch(async (e) => {
  console.error(`[extension-host] ${e.stack ?? e}`);
  await stopAll();
  report(0, 1);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
});
