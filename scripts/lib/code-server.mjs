// Starts a real VS Code (code-server 4.139.x on Node 24) on 127.0.0.1 with its own user-data and
// extensions dirs; installs .vsix files into an extensions dir.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER, NODE24, ROOT, toolEnv, xdgEnv } from './paths.mjs';
import { freePort, waitForHttp } from './net.mjs';
import { startProcess, stopProcess } from './processes.mjs';

/** Writes `settings` as the user settings.json of a code-server user-data dir. */
export function writeUserSettings(userDataDir, settings) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Default user settings for tests and the sandbox: no welcome pages, no update or telemetry chatter. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.openRepositoryInParentFolders': 'never',
};

export function installVsix(vsix, { extensionsDir, userDataDir }) {
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(
    NODE24,
    [CODE_SERVER, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { env: toolEnv(xdgEnv()), encoding: 'utf8', cwd: ROOT },
  );
  if (r.status !== 0) throw new Error(`code-server --install-extension failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * @param {object} o
 * @param {string} o.dir              a scratch dir for the config file
 * @param {string} o.userDataDir
 * @param {string} o.extensionsDir
 * @param {boolean} [o.smokeTestDriver] enable VS Code's smoke-test driver (codeAutomationLog/Exit; hides toasts)
 * @param {boolean} [o.workspaceTrust] keep workspace trust on (Restricted Mode tests); off otherwise
 * @param {Record<string,string>} [o.env] extra environment (reaches the extension host)
 * @param {string} [o.logFile]
 * @param {number} [o.port]
 * @returns {Promise<{port: number, url: string, proc, stop(): Promise<void>}>}
 */
export async function startCodeServer({ dir, userDataDir, extensionsDir, smokeTestDriver = false, workspaceTrust = false, env = {}, logFile, port, folder }) {
  port ??= await freePort();
  mkdirSync(dir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const config = join(dir, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    CODE_SERVER,
    '--config', config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (folder) args.push(folder);
  const proc = startProcess('code-server', NODE24, args, {
    cwd: ROOT,
    logFile,
    env: toolEnv({ ...xdgEnv(), NODE_OPTIONS: '', ...env }),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 90000, proc, what: 'code-server' });
  } catch (e) {
    await stopProcess(proc);
    throw e;
  }
  return { port, url, proc, stop: () => stopProcess(proc) };
}
