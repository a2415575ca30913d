#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests({ vscodeExecutablePath }) and
// @vscode/test-cli (useInstallation.fromPath) spawn. It accepts their Electron-style flags
//   --extensionDevelopmentPath=P (repeatable) --extensionTestsPath=T --user-data-dir=D --extensions-dir=E [folder]
// (other flags such as --no-sandbox, --disable-updates, --skip-welcome are accepted and ignored), then runs the
// tests in a real VS Code extension host: code-server with VS Code's smoke-test driver, opened in headless
// Chromium with the extension-development payload. The test output comes back through codeAutomationLog and
// the exit code through codeAutomationExit; this process exits with that code after stopping code-server and
// Chromium. On a machine with internet the same runTests call without vscodeExecutablePath runs desktop VS Code.
//
// Env: VSCODE_LAUNCHER_TIMEOUT_MS (default 300000), VSCODE_LAUNCHER_LOG_DIR (code-server log + a screenshot
// on timeout; default a temp dir), VSCODE_LAUNCHER_VERBOSE=1 (echo browser console errors).
import { mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { format } from 'node:util';
import { ensureTools } from './paths.mjs';
import { startCodeServer } from './code-server.mjs';
import { launchBrowser, closeBrowser } from './browser.mjs';
import { installCleanup, stopAll } from './processes.mjs';

function parseArgs(argv) {
  const flags = new Map();
  const positional = [];
  const withValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'locale', 'log']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      let name;
      let value;
      if (eq > 0) {
        name = a.slice(2, eq);
        value = a.slice(eq + 1);
      } else {
        name = a.slice(2);
        value = withValue.has(name) && i + 1 < argv.length ? argv[++i] : 'true';
      }
      if (!flags.has(name)) flags.set(name, []);
      flags.get(name).push(value);
    } else positional.push(a);
  }
  return { flags, positional };
}

const verbose = !!process.env.VSCODE_LAUNCHER_VERBOSE;
// Workbench chatter that is not test output (shown with VSCODE_LAUNCHER_VERBOSE=1).
const NOISE = [
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /ENOTFOUND|getaddrinfo|open-vsx\.org|marketplace|gallery/i,
  /^\s*at (async )?\S+ \(https?:\/\/127\.0\.0\.1/,
];

const abs = (p) => (isAbsolute(p) ? p : resolve(p));

async function main() {
  const { flags, positional } = parseArgs(process.argv.slice(2));
  const devPaths = (flags.get('extensionDevelopmentPath') ?? []).map(abs);
  const testsPath = flags.get('extensionTestsPath')?.[0];
  if (!testsPath) {
    console.error('vscode-launcher: --extensionTestsPath is required (this launcher only runs extension tests)');
    return 2;
  }
  ensureTools();
  const scratch = mkdtempSync(join(tmpdir(), 'openvidu-ha-vscode-'));
  const logDir = process.env.VSCODE_LAUNCHER_LOG_DIR ? abs(process.env.VSCODE_LAUNCHER_LOG_DIR) : scratch;
  mkdirSync(logDir, { recursive: true });
  const userDataDir = abs(flags.get('user-data-dir')?.[0] ?? join(scratch, 'user-data'));
  const extensionsDir = abs(flags.get('extensions-dir')?.[0] ?? join(scratch, 'extensions'));
  const folder = positional[0] ? abs(positional[0]) : undefined;
  const timeoutMs = Number(process.env.VSCODE_LAUNCHER_TIMEOUT_MS ?? 300000);
  const csLog = join(logDir, 'code-server.log');

  let browser;
  installCleanup(() => closeBrowser(browser));
  // If whoever started us (test-electron, test-cli) goes away without signalling us, clean up and leave.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.kill(process.pid, 'SIGTERM');
    }
  }, 1000);
  watchdog.unref();
  const t0 = Date.now();
  const cs = await startCodeServer({ dir: scratch, userDataDir, extensionsDir, smokeTestDriver: true, logFile: csLog });
  console.log(`[launcher] code-server ready on ${cs.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log: ${csLog})`);

  const authority = `127.0.0.1:${cs.port}`;
  const remote = (p) => `vscode-remote://${authority}${abs(p)}`;
  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const query = new URLSearchParams();
  if (folder) query.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', folder);
  query.set('payload', JSON.stringify(payload));
  const url = `${cs.url}/?${query}`;

  let exitCode;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (verbose) {
      page.on('console', (m) => m.type() === 'error' && console.error(`[browser] ${m.text()}`));
      page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
    }
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (!verbose && NOISE.some((re) => re.test(text))) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(Number(code ?? 1));
    });
    await page.goto(url);
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      const shot = join(logDir, 'vscode-launcher-timeout.png');
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`[launcher] the tests did not finish within ${timeoutMs} ms (screenshot: ${shot})`);
      exitCode = 124;
    } else exitCode = result;
  } catch (e) {
    console.error(`[launcher] ${e.stack ?? e}`);
    exitCode = 1;
  } finally {
    await closeBrowser(browser);
    await stopAll();
  }
  if (exitCode !== 0 && existsSync(csLog)) {
    const tail = readFileSync(csLog, 'utf8').split('\n').filter((l) => !/ENOTFOUND|getaddrinfo/.test(l)).slice(-30).join('\n');
    console.error(`[launcher] code-server log (tail, without ENOTFOUND noise):\n${tail}`);
  }
  console.log(`[launcher] done in ${((Date.now() - t0) / 1000).toFixed(1)} s, exit code ${exitCode}`);
  // The scratch dir holds the config and, unless given, the profile; keep it only when it holds the logs of a failure.
  if (logDir !== scratch || exitCode === 0) rmSync(scratch, { recursive: true, force: true });
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[launcher] ${e.stack ?? e}`);
    await stopAll();
    process.exit(1);
  },
);
