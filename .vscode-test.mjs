// @vscode/test-cli configuration: `npx vscode-test` (and VS Code's Extension Test Runner) run the same
// extension-host suites as `npm test` (which uses scripts/run-extension-host-tests.mjs). Here they run in
// code-server + headless Chromium through scripts/lib/vscode-launcher.mjs; with VSCODE_TEST_DESKTOP=1 in
// desktop VS Code (downloaded by test-electron). Loading this file builds the extension, compiles the suites
// and starts an emulator; the emulator stops when the test-cli process exits.
import { defineConfig } from '@vscode/test-cli';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTools } from './scripts/lib/paths.mjs';
import { LAUNCHER, SUITES_OUT, prepareExtensionHostRun } from './scripts/lib/extension-host.mjs';
import { installCleanup } from './scripts/lib/processes.mjs';

const desktop = process.env.VSCODE_TEST_DESKTOP === '1';
const listing = process.argv.includes('--list-configuration');

async function config() {
  // in name order, as `npm test` runs them (01-activation first); a glob's order is unspecified
  const files = readdirSync(join(import.meta.dirname, 'test/extension-host'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(SUITES_OUT, f.replace(/\.ts$/, '.js')));
  const base = { label: 'extension-host', files, mocha: { ui: 'bdd', timeout: 60_000, color: false } };
  if (listing) return defineConfig([base]);
  if (!desktop) ensureTools();
  installCleanup();
  const scratch = mkdtempSync(join(tmpdir(), 'openvidu-ha-cli-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const { workspace, env, launchArgs } = await prepareExtensionHostRun(scratch);
  return defineConfig([
    {
      ...base,
      workspaceFolder: workspace,
      launchArgs,
      env,
      ...(desktop ? { cachePath: join(import.meta.dirname, '.tools/vscode-test') } : { useInstallation: { fromPath: LAUNCHER } }),
    },
  ]);
}

export default config();
