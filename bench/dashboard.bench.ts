/**
 * Dashboard refresh at scale: for a stack with N = 1, 10 and 50 media nodes, with 50 ms injected latency per
 * AWS call, the AWS calls and wall time of one dashboard refresh (CPU per node and the group from
 * GetMetricData, scaling activities, rooms from the cluster's LiveKit API; credentials already read).
 * Goal: the same number of AWS calls for any node count up to 498 (500 queries per GetMetricData call), and a
 * time within 2 round trips (the calls run in parallel: about one round trip of latency).
 * Run: npx tsx --require ./test/fakes/register-vscode.cjs bench/dashboard.bench.ts
 */
import * as vscode from 'vscode';
import { startEmulator } from '../test/emulator/server';
import { createOpenViduStack, scaleMedia } from '../test/support/openviduStack';
import { addRooms } from '../test/emulator/livekit';
import { AppContext } from '../src/features/shared/appContext';
import { ClusterTreeProvider } from '../src/features/explorer/clusterTreeProvider';
import { DashboardFeature } from '../src/features/dashboard/feature';
import { gatherDashboard } from '../src/features/dashboard/gather';
import { RoomsFeature, answerConfirmationsWith } from '../src/features/rooms';

const LATENCY_MS = 50;
const fake = vscode as unknown as typeof import('../test/fakes/vscode');

function table(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  const emu = await startEmulator({ speed: 1, clusterUrlsInSecret: true });
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  const rows: string[][] = [['media nodes', 'AWS calls', 'by API', 'LiveKit calls', 'time (ms)', 'round trips (time / 50 ms)']];
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [1, 10, 50];
  for (const n of sizes) {
    const name = `bench-dash-${n}`;
    process.stderr.write(`[${n}] creating the stack\n`);
    await createOpenViduStack(emu, { name, mediaNodes: Math.min(n, 5) });
    if (n > 5) await scaleMedia(emu, name, n);
    emu.clock.advance(60 * 60_000);
    emu.world.tick();
    await emu.clusters.address('eu-west-1', name);
    addRooms(emu.world, 'eu-west-1', name, [{ name: 'r1', participants: ['a', 'b'] }]);
    const provider = new ClusterTreeProvider(app);
    const region = (await provider.getChildren())[0];
    const stack = (await provider.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === name)!;
    if (stack.kind !== 'stack') throw new Error('no stack');
    await provider.getChildren(stack);
    const dash = new DashboardFeature(app, provider, { now: () => emu.world.now() });
    const rooms = new RoomsFeature(app, provider);
    const sub = answerConfirmationsWith(rooms);
    await gatherDashboard(dash, stack); // warm: credentials read, clients built
    emu.faults.add({ kind: 'latency', latencyMs: LATENCY_MS });
    emu.requests.clear();
    const { clusterLive } = await import('../test/emulator/livekit');
    const live = clusterLive(emu.world, 'eu-west-1', name);
    live.calls.length = 0;
    const t0 = performance.now();
    const m = await gatherDashboard(dash, stack);
    const ms = performance.now() - t0;
    emu.faults.clear();
    if (m.nodes.length !== n) throw new Error(`expected ${n} nodes, got ${m.nodes.length}`);
    const summary = emu.requests.summary();
    rows.push([String(n), String(emu.requests.count()), Object.entries(summary).map(([k, v]) => `${k.split(':')[1]} ${v}`).join(', '), String(live.calls.length), ms.toFixed(0), (ms / LATENCY_MS).toFixed(1)]);
    sub.dispose();
    rooms.dispose();
    dash.dispose();
    provider.dispose();
  }
  table(rows);
  app.dispose();
  await emu.stop();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
