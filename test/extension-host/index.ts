/**
 * Mocha entry point loaded by VS Code as `--extensionTestsPath` (compiled to out/extension-host/index.js by
 * scripts/run-extension-host-tests.mjs). Runs every `*.test.js` beside it in name order inside the real
 * extension host, prints the spec report, writes `{passed, failed}` to $OPENVIDU_EH_RESULTS and rejects
 * when a test failed (VS Code then exits non-zero).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = typeof import('mocha');

export async function run(): Promise<void> {
  // mocha 12 is an ES module; require() gives its namespace (default = the class), older ones the class.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as MochaCtor & { default?: MochaCtor };
  const Mocha = mod.default ?? mod;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000, slow: 5_000 });
  if (process.env.OPENVIDU_EH_GREP) mocha.grep(process.env.OPENVIDU_EH_GREP);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const stats = await new Promise<{ passed: number; failed: number; pending: number }>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
    } catch (e) {
      reject(e);
    }
  });
  console.log(`extension-host: ${stats.passed} passed, ${stats.failed} failed, ${stats.pending} pending`);
  const out = process.env.OPENVIDU_EH_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify({ passed: stats.passed, failed: stats.failed }));
  if (stats.failed > 0 || stats.passed === 0) throw new Error(`${stats.failed} extension-host test(s) failed`);
}
