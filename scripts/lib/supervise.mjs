#!/usr/bin/env node
// `node supervise.mjs <cmd> [args…]`: runs cmd in this process's group and ties its life to our parent's.
// startProcess() starts every child through this wrapper as a process-group leader, so that
//   - stopping the group by PID stops the wrapper, cmd and whatever cmd started, and
//   - if the parent (a test runner, the sandbox) dies without cleaning up, even by SIGKILL, the group is
//     stopped within a second or two instead of being left running.
import { spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
const parent = process.ppid;
const child = spawn(cmd, args, { stdio: 'inherit' });

function stopGroup() {
  try {
    process.kill(-process.pid, 'SIGTERM');
  } catch {
    /* not a group leader: stop the child only */
    child.kill('SIGTERM');
  }
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, 5000).unref();
}

setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    stopGroup();
  }
}, 1000).unref();

// Signals sent to the wrapper alone (not the group) are passed on.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    child.kill(sig);
    setTimeout(() => process.exit(143), 6000).unref();
  });
}
child.on('error', (e) => {
  console.error(`supervise: cannot start ${cmd}: ${e.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
