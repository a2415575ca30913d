/**
 * Session Manager data channel throughput: `cat` of a 5 MiB file in a shell on a node of the emulator, through the
 * whole protocol (1,024-byte output messages as the agent sends them, each with its 120-byte header, SHA-256 digest
 * and acknowledgement, delivered in order), next to the same bytes in the same 1,024-byte frames over a plain
 * loopback WebSocket (`ws`, no protocol). Prints bytes per second of each and their ratio (goal ≥ 0.5): after one
 * warm-up of each, in interleaved pairs (channel, then plain), the median of the per-pair ratios.
 * Run: npx tsx --require ./test/fakes/register-vscode.cjs bench/session-throughput.bench.ts
 */
import * as vscode from 'vscode';
import { WebSocketServer, WebSocket } from 'ws';
import { AddressInfo } from 'node:net';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../test/emulator/server';
import { createOpenViduStack } from '../test/support/openviduStack';
import { AppContext } from '../src/features/shared/appContext';
import { openSession } from '../src/aws/sessionManager/session';

const fake = vscode as unknown as typeof import('../test/fakes/vscode');
const SIZE = Number(process.env.BENCH_BYTES ?? 5 * 1024 * 1024);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

function fileOfSize(n: number): string {
  const line = `${'openvidu-session-manager-throughput '.repeat(2).trim()}\n`;
  return `${line.repeat(Math.ceil(n / line.length)).slice(0, n - 1)}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The plain server (worker side): on each connection's first message, the same bytes in 1 KiB frames. */
async function plainServer(data: Buffer): Promise<{ port: number; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    ws.once('message', () => {
      for (let i = 0; i < data.length; i += 1024) ws.send(data.subarray(i, i + 1024));
    });
  });
  return { port: (wss.address() as AddressInfo).port, close: () => wss.close() };
}

/** The plain client (main thread): connects, asks, counts bytes until all have come. */
async function plainWebSocket(port: number, size: number): Promise<number> {
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  await new Promise<void>((r) => client.once('open', () => r()));
  const t0 = performance.now();
  let got = 0;
  await new Promise<void>((resolve) => {
    client.on('message', (d: Buffer) => {
      got += d.length;
      if (got >= size) resolve();
    });
    client.send('go');
  });
  const ms = performance.now() - t0;
  client.close();
  return ms;
}

interface FarEnd {
  endpoint: string;
  instanceId: string;
  plainPort: number;
  expected: number;
}

/** Worker thread: the emulator (agent side) and the plain WebSocket server. */
async function farEnd(): Promise<void> {
  const emu = await startEmulator({ speed: 1 });
  await createOpenViduStack(emu, { name: 'bench-shell', mediaNodes: 1 });
  emu.clock.advance(3 * 3_600_000);
  emu.world.tick();
  const inst = [...emu.world.region('eu-west-1').instances.values()].find((i) => i.state === 'running' && i.node?.kind === 'media')!;
  const content = fileOfSize(SIZE);
  inst.node!.files = { ...(inst.node!.files ?? {}), '/tmp/big.txt': content };
  // the bytes the shell prints: LF → CRLF as a terminal's line discipline does
  const plainData = Buffer.from(content.replace(/\n/g, '\r\n'));
  const plain = await plainServer(plainData);
  const ready: FarEnd = { endpoint: emu.endpoint, instanceId: inst.instanceId, plainPort: plain.port, expected: plainData.length };
  parentPort!.postMessage(ready);
  parentPort!.once('message', async () => {
    plain.close();
    await emu.stop();
    parentPort!.postMessage('stopped');
  });
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
  // the worker runs this same file through tsx's require hook (a Worker given a .ts path would bypass tsx)
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(fileURLToPath(import.meta.url))});`, { eval: true });
  const far = await new Promise<FarEnd>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  fake.setSetting('openviduHa.endpoint', far.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  const inst = { instanceId: far.instanceId };
  const expected = far.expected;

  process.stderr.write(`node ${inst.instanceId} ready; opening shells\n`);
  const channelRun = async (): Promise<number> => {
    let got = 0;
    let tail = '';
    let done!: () => void;
    let waitingFor = /\$ $/;
    let armed: Promise<void> = new Promise((r) => (done = r));
    const s = await openSession(app.session('eu-west-1'), inst.instanceId, { kind: 'shell' }, {
      onOutput: (d) => {
        got += d.length;
        // only the last bytes are decoded to look for the prompt: the consumer does no more per message than the
        // plain WebSocket's (which counts bytes), so the ratio compares the transports, not the bench's own work
        tail = (tail + d.toString('latin1', Math.max(0, d.length - 64))).slice(-64);
        if (waitingFor.test(tail)) done();
      },
    });
    await armed;
    got = 0;
    tail = '';
    waitingFor = /\r\n\$ $/;
    armed = new Promise((r) => (done = r));
    const t0 = performance.now();
    s.channel.sendInput(Buffer.from('cat /tmp/big.txt\r'));
    await armed;
    const ms = performance.now() - t0;
    if (got < expected) throw new Error(`received ${got} bytes, expected at least ${expected}`);
    await s.terminate();
    return ms;
  };
  // Both sides warmed up once (JIT, the ws library's code paths) before anything is measured, then measured in pairs
  // (a channel run, then a plain run): the machine's load at that moment weighs on both halves of each ratio.
  for (let w = 0; w < WARMUP; w++) {
    await channelRun();
    await plainWebSocket(far.plainPort, expected);
  }
  const channelMs: number[] = [];
  const plainMs: number[] = [];
  const ratios: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    process.stderr.write(`run ${run + 1}: cat through the data channel, then plain…\n`);
    channelMs.push(await channelRun());
    plainMs.push(await plainWebSocket(far.plainPort, expected));
    ratios.push(plainMs[run] / channelMs[run]);
  }

  const mbps = (ms: number) => (expected / (ms / 1000) / 1e6).toFixed(1);
  const c = median(channelMs);
  const p = median(plainMs);
  console.log(`bytes: ${expected} (cat of a ${SIZE}-byte file, CRLF line ends), median of ${RUNS} runs after ${WARMUP} warm-up`);
  console.log(`Session Manager data channel (emulator agent): ${c.toFixed(0)} ms  ${mbps(c)} MB/s`);
  console.log(`plain loopback WebSocket, same 1 KiB frames:   ${p.toFixed(0)} ms  ${mbps(p)} MB/s`);
  console.log(`ratio per run (plain ms / channel ms): ${ratios.map((r) => r.toFixed(2)).join(' ')}`);
  console.log(`ratio (data channel / plain): ${median(ratios).toFixed(2)}  (goal ≥ 0.5)`);
  app.dispose();
  worker.postMessage('stop');
  await new Promise((r) => worker.once('message', r));
  await worker.terminate();
}

(isMainThread ? main() : farEnd()).catch((e) => {
  console.error(e);
  process.exit(1);
});
