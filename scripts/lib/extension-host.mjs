// What an extension-host test run needs, shared by scripts/run-extension-host-tests.mjs (npm test) and
// .vscode-test.mjs (@vscode/test-cli): the built extension, the suites compiled to out/extension-host/, a
// fresh emulator (demo world) and a scratch workspace whose .vscode/settings.json points the extension at it.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, npmRun } from './paths.mjs';
import { startEmulator, emulatorSettings, emulatorEnv } from './emulator.mjs';

export const LAUNCHER = join(ROOT, 'scripts/lib/vscode-launcher.mjs');
export const SUITES_OUT = join(ROOT, 'out/extension-host');

/** Compiles test/extension-host/*.ts one-to-one (no bundling: `vscode` and `mocha` are required at run time). */
export async function compileSuites() {
  const src = join(ROOT, 'test/extension-host');
  rmSync(SUITES_OUT, { recursive: true, force: true });
  const entryPoints = readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => join(src, f));
  await esbuild.build({ entryPoints, outdir: SUITES_OUT, bundle: false, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'warning' });
  return join(SUITES_OUT, 'index.js');
}

/**
 * Builds, compiles, starts the emulator and writes the workspace under `scratch`.
 * @returns {Promise<{testsPath: string, workspace: string, env: Record<string,string>, launchArgs: string[], emulator}>}
 */
export async function prepareExtensionHostRun(scratch) {
  npmRun('build', { quiet: true });
  const testsPath = await compileSuites();
  mkdirSync(join(scratch, 'logs'), { recursive: true });
  const emulator = await startEmulator({ speed: 10, logFile: join(scratch, 'logs/emulator.log') });
  const workspace = join(scratch, 'workspace');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify({ ...emulatorSettings(emulator.endpoint), 'openviduHa.showWalkthroughOnFirstStart': false }, null, 2));
  writeFileSync(join(workspace, 'README.md'), '# OpenVidu HA extension-host test workspace\n');
  const env = {
    // never read the developer's ~/.aws or an instance role
    ...emulatorEnv(scratch),
    OPENVIDU_TEST_EMULATOR: emulator.endpoint,
    VSCODE_LAUNCHER_LOG_DIR: join(scratch, 'logs'),
  };
  const launchArgs = [`--user-data-dir=${join(scratch, 'user-data')}`, `--extensions-dir=${join(scratch, 'extensions')}`, '--disable-extensions'];
  return { testsPath, workspace, env, launchArgs, emulator };
}
