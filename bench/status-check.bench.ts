/**
 * Day-2 over SSM at scale: for a stack of 4 masters + N media nodes (N = 1, 10, 50, 200), with 50 ms injected
 * latency per AWS call and the masters reachable (Default Host Management Configuration on), the SSM calls and
 * wall time of a status check of every node (checkStatus), and of one live-tail poll of a service on every
 * media node. Calls must grow with ceil(nodes / 50), not with nodes. Then the tail's memory after 100,000
 * lines: the buffer stays at its cap.
 * Run: npx tsx --require ./test/fakes/register-vscode.cjs bench/status-check.bench.ts
 */
import * as vscode from 'vscode';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startEmulator } from '../test/emulator/server';
import { createOpenViduStack, scaleMedia } from '../test/support/openviduStack';
import { AppContext } from '../src/features/shared/appContext';
import { ClusterTreeProvider } from '../src/features/explorer/clusterTreeProvider';
import { checkStatus } from '../src/features/operations/commands/checkStatus';
import { ReportDocuments } from '../src/features/operations/reportDocument';
import { SsmTailPoller } from '../src/features/operations/tailPollers';
import { nodeLabel } from '../src/features/operations/targets';
import { TailEngine, type SourcePoll } from '../src/openvidu/tail';
import type { LogLine } from '../src/openvidu/nodeCommands';

const LATENCY_MS = 50;
const fake = vscode as unknown as typeof import('../test/fakes/vscode');

function table(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

function ssmCalls(summary: Record<string, number>): { total: number; detail: string } {
  const keys = ['ssm:DescribeInstanceInformation', 'ssm:SendCommand', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation'];
  const short = ['Describe', 'Send', 'List', 'Get'];
  return {
    total: Object.entries(summary).filter(([k]) => k.startsWith('ssm:')).reduce((s, [, v]) => s + v, 0),
    detail: keys.map((k, i) => `${short[i]} ${summary[k] ?? 0}`).join(', '),
  };
}

async function scale(): Promise<void> {
  const emu = await startEmulator({ speed: 1 });
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  const rows: string[][] = [['nodes', 'ceil(n/50)', 'status: SSM calls', 'per batch of 50', 'status: by API', 'status: time', 'node exec', 'ratio to exec + 3 RT', 'first check: time, ratio', 'tail poll: SSM calls', 'tail poll: by API', 'tail poll: time', 'tail: node exec', 'tail: ratio']];
  const region = emu.world.regions.get('eu-west-1')!;
  /** SSM's own time for the commands a step sent: from the first RequestedDateTime to the last node's end */
  const nodeExec = async (fn: () => Promise<unknown>): Promise<{ ms: number; exec: number; ratio: number }> => {
    const before = new Set(region.ssmCommands.keys());
    const wall0 = Date.now();
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    const cmds = [...region.ssmCommands.values()].filter((c) => !before.has(c.commandId));
    const start = Math.min(...cmds.map((c) => c.requestedAt));
    const exec = Math.max(...cmds.flatMap((c) => c.invocations.map((i) => i.finishAt ?? c.requestedAt))) - start;
    if (process.env.BENCH_TRACE) {
      for (const r of emu.requests.filter().filter((x) => x.at >= wall0)) process.stderr.write(`  ${r.at - wall0} ms (sim ${r.simAt - start}) ${r.service}:${r.action}\n`);
      process.stderr.write(`  first requested -> last end: ${exec} ms; wall ${ms.toFixed(0)} ms\n`);
    }
    return { ms, exec, ratio: ms / (exec + 3 * LATENCY_MS) };
  };
  const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [1, 10, 50, 200];
  for (const n of sizes) {
    const name = `bench-ssm-${n}`;
    const step = (what: string) => process.stderr.write(`[4 + ${n}] ${what}\n`);
    step('creating the stack');
    await createOpenViduStack(emu, { name, mediaNodes: Math.min(n, 5) });
    if (n > 5) await scaleMedia(emu, name, n);
    emu.world.settings.defaultHostManagement = true;
    emu.clock.advance(15 * 60_000);
    const provider = new ClusterTreeProvider(app);
    const regionNode = (await provider.getChildren())[0];
    const stack = (await provider.getChildren(regionNode)).find((s) => s.kind === 'stack' && s.summary.stackName === name)!;
    if (stack.kind !== 'stack') throw new Error('no stack');
    await provider.getChildren(stack);
    const total = 4 + n;
    if ((stack.cluster?.masters.length ?? 0) + (stack.cluster?.media.length ?? 0) !== total) throw new Error(`expected ${total} nodes`);
    step('status check');
    emu.faults.add({ kind: 'latency', latencyMs: LATENCY_MS });
    // the first check of this size, then the measured one (the poll schedule remembers how long the script ran)
    const first = await nodeExec(() => checkStatus(app, provider, new ReportDocuments(), stack));
    emu.requests.clear();
    let rowsOut: Awaited<ReturnType<typeof checkStatus>>;
    const st = await nodeExec(async () => (rowsOut = await checkStatus(app, provider, new ReportDocuments(), stack)));
    if (!rowsOut || rowsOut.filter((r) => r.status).length !== total) throw new Error(`status of ${total} nodes: ${rowsOut?.filter((r) => r.error).map((r) => r.error).slice(0, 2).join('; ')}`);
    const status = ssmCalls(emu.requests.summary());
    // one live-tail poll of caddy on every media node (after the first poll, caught-up nodes share one command per 50)
    const media = stack.cluster!.media;
    const poller = new SsmTailPoller(app.session('eu-west-1'), media.map((m) => ({ instanceId: m.instanceId, label: nodeLabel(m) })), 'caddy', undefined, { maxLines: 5000 });
    step('tail poll');
    const abort = new AbortController();
    while ((await poller.poll(abort.signal)).again);
    // steady state: one more interval, then the measured one (openviduHa.tailIntervalSeconds, default 5)
    emu.clock.advance(5_000);
    await poller.poll(abort.signal);
    emu.clock.advance(5_000);
    emu.requests.clear();
    const tl = await nodeExec(() => poller.poll(abort.signal));
    const tail = ssmCalls(emu.requests.summary());
    emu.faults.clear();
    rows.push([`4 + ${n}`, String(Math.ceil(total / 50)), String(status.total), (status.total / Math.ceil(total / 50)).toFixed(1), status.detail, `${st.ms.toFixed(0)} ms`, `${st.exec} ms`, st.ratio.toFixed(2), `${first.ms.toFixed(0)} ms, ${first.ratio.toFixed(2)}`, String(tail.total), tail.detail, `${tl.ms.toFixed(0)} ms`, `${tl.exec} ms`, tl.ratio.toFixed(2)]);
    provider.dispose();
  }
  table(rows);
  console.log(`\nlatency injected per AWS call: ${LATENCY_MS} ms; simulated time at real speed (SSM invocations take ~1 s to run on a node)`);
  console.log('node exec: SSM\'s own time for the step (first RequestedDateTime to the last node\'s end); ratio: wall time / (node exec + 3 round trips), goal <= 1');
  console.log('first check: the first check of that size (no history yet when its batch size is new: 1, up to 10, or 50 nodes per command)');
  app.dispose();
  await emu.stop();
}

function heapUsed(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function tailMemory(): void {
  const rows: string[][] = [['lines received', 'lines kept', 'dropped', 'heap growth']];
  const cap = 5000;
  const engine = new TailEngine({ maxLines: cap, prefix: true });
  for (let i = 0; i < 4; i++) engine.addSource(`i-${i}`, `Media i-${i}`);
  const base = heapUsed();
  const t0 = Date.UTC(2026, 10, 24, 9);
  let received = 0;
  for (let round = 0; round < 100; round++) {
    const results = new Map<string, SourcePoll>();
    for (let s = 0; s < 4; s++) {
      const lines: LogLine[] = [];
      for (let i = 0; i < 250; i++) {
        const ms = t0 + round * 1000 + i * 4 + s;
        lines.push({ container: 'openvidu', timestamp: `${new Date(ms).toISOString().slice(0, 23)}${String(s).padStart(6, '0')}Z`, text: `INFO livekit room=${round} participant=p${i} track published (simulcast, 3 layers) ${'x'.repeat(40)}` });
      }
      results.set(`i-${s}`, { kind: 'ok', now: lines[249].timestamp, bootedAt: '2026-11-24 08:00:00', lines, more: false });
    }
    engine.accept(results);
    received += 1000;
    if (received % 25_000 === 0) {
      rows.push([String(engine.ring.total), String(engine.ring.size), String(engine.ring.dropped), `${((heapUsed() - base) / 1024 / 1024).toFixed(1)} MB`]);
    }
  }
  table(rows);
  if (engine.ring.size !== cap || engine.ring.total !== 100_000) throw new Error('the tail buffer is not at its cap');
  console.log(`\ntail cap ${cap} lines (openviduHa.tailMaxLines): memory stays flat after the cap is reached`);
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench';
  await scale();
  console.log('');
  tailMemory();
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
