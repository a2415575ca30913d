/* global fetch, AbortSignal */
import { createServer } from 'node:net';
import { sleep } from './processes.mjs';

/** A free TCP port on 127.0.0.1 (asks the OS for one). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx; fails early when `proc` exits. */
export async function waitForHttp(url, { timeoutMs = 60000, proc, what = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc?.done) throw new Error(`${what}: process exited before it was ready`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return r;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms (${last})`);
}
