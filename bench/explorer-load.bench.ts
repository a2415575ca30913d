/**
 * Explorer load cost: for a stack with 4 masters and N media nodes (N = 1, 10, 50, 200), the AWS calls made
 * to load the stack (what expanding it costs) and the wall time with 50 ms of injected latency per call.
 * Calls must not grow with N; time should stay within ~1–3 round trips because the calls go out together.
 * Run: npx tsx --require ./test/fakes/register-vscode.cjs bench/explorer-load.bench.ts
 */
import * as vscode from 'vscode';
import { startEmulator } from '../test/emulator/server';
import { createOpenViduStack, scaleMedia } from '../test/support/openviduStack';
import { AppContext } from '../src/features/shared/appContext';
import { ClusterTreeProvider } from '../src/features/explorer/clusterTreeProvider';

const LATENCY_MS = 50;
const fake = vscode as unknown as typeof import('../test/fakes/vscode');

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench';
  const emu = await startEmulator();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  const rows: string[][] = [['media nodes', 'calls (stack)', 'time (stack)', 'round trips', 'calls (media group)', 'time (media group)']];
  for (const n of [1, 10, 50, 200]) {
    const name = `bench-${n}`;
    await createOpenViduStack(emu, { name, mediaNodes: 1 });
    if (n !== 1) await scaleMedia(emu, name, n);
    const provider = new ClusterTreeProvider(app);
    const region = (await provider.getChildren())[0];
    const stack = (await provider.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === name)!;
    // warm up the SDK clients so the figure is the steady-state cost
    await provider.getChildren(stack);
    provider.refresh(stack);
    emu.faults.add({ kind: 'latency', latencyMs: LATENCY_MS });
    emu.requests.clear();
    let t0 = performance.now();
    const groups = await provider.getChildren(stack);
    const stackMs = performance.now() - t0;
    const stackCalls = emu.requests.count();
    const media = groups.find((g) => g.kind === 'group' && g.role === 'media')!;
    emu.requests.clear();
    t0 = performance.now();
    const nodes = await provider.getChildren(media);
    const mediaMs = performance.now() - t0;
    const mediaCalls = emu.requests.count();
    if (nodes.filter((x) => x.kind === 'instance').length !== n) throw new Error(`expected ${n} media nodes`);
    emu.faults.clear();
    rows.push([String(n), String(stackCalls), `${stackMs.toFixed(0)} ms`, (stackMs / LATENCY_MS).toFixed(2), String(mediaCalls), `${mediaMs.toFixed(0)} ms`]);
    provider.dispose();
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(`\nlatency injected per AWS call: ${LATENCY_MS} ms; "round trips" = stack load time / latency`);
  app.dispose();
  await emu.stop();
}

void main();
