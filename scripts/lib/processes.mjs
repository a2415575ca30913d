// Child processes started by the tests and the sandbox: each one leads its own process group, is tracked
// by PID, and is stopped by signalling that group (SIGTERM, then SIGKILL after a grace period), so helpers
// it spawned (code-server's extension host, pty host, Chromium's renderers) stop with it. Nothing is ever
// killed by name.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SUPERVISOR = fileURLToPath(new URL('./supervise.mjs', import.meta.url));

const running = new Set();

/**
 * Starts `cmd args` detached (new process group), through supervise.mjs unless `supervise: false`, so the
 * group also stops if this process dies without cleaning up. Output goes to `logFile` when given, else is
 * inherited (or piped with `pipe: true`). Returns {pid (= the group id), name, child, exited: Promise<{code, signal}>}.
 */
export function startProcess(name, cmd, args, { env = process.env, cwd, logFile, pipe = false, supervise = true } = {}) {
  if (supervise) {
    args = [SUPERVISOR, cmd, ...args];
    cmd = process.execPath;
  }
  let fd;
  let stdio = 'inherit';
  if (logFile) {
    fd = openSync(logFile, 'a');
    stdio = ['ignore', fd, fd];
  } else if (pipe) stdio = ['ignore', 'pipe', 'pipe'];
  const child = spawn(cmd, args, { env, cwd, stdio, detached: true });
  if (fd !== undefined) closeSync(fd);
  const p = { name, pid: child.pid, child, done: false };
  p.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      p.done = true;
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      p.done = true;
      p.error = err;
      resolve({ code: -1, signal: null });
    });
  });
  running.add(p);
  return p;
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {
    /* already gone */
  }
}

/** Stops a started process and everything in its process group. */
export async function stopProcess(p, { graceMs = 5000 } = {}) {
  if (!p || !p.pid) return;
  running.delete(p);
  if (!groupAlive(p.pid)) return;
  signalGroup(p.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(p.pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(p.pid)) {
    signalGroup(p.pid, 'SIGKILL');
    const hard = Date.now() + 3000;
    while (groupAlive(p.pid) && Date.now() < hard) await sleep(50);
  }
}

/** Stops every process started here, newest first. */
export async function stopAll() {
  for (const p of [...running].reverse()) await stopProcess(p);
}

let installed = false;
/**
 * On SIGINT/SIGTERM/SIGHUP: run `onSignal` (if any), stop everything, exit 130. On any exit: SIGKILL
 * whatever is still tracked (synchronous last resort).
 */
export function installCleanup(onSignal) {
  if (installed) return;
  installed = true;
  let stopping = false;
  const handler = (sig) => {
    if (stopping) return;
    stopping = true;
    Promise.resolve()
      .then(() => onSignal?.(sig))
      .catch(() => {})
      .then(() => stopAll())
      .finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, handler);
  process.on('exit', () => {
    for (const p of running) signalGroup(p.pid, 'SIGKILL');
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
