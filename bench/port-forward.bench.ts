/**
 * Port forwarding: a burst of concurrent HTTP requests (each its own TCP connection, as a browser opens them) through
 * a forward of the emulator's loopback HTTP service, multiplexed (one session, an smux stream per connection) next
 * to basic mode (the emulator's agent set to 3.0.196.0, which does not multiplex: a StartSession, a WebSocket and a
 * handshake per connection). Prints the time per burst of each, their ratio, and the StartSession calls made.
 * Run: npm run bench -- port-forward
 */
import * as vscode from 'vscode';
import { request } from 'node:http';
import { startEmulator } from '../test/emulator/server';
import { setSessionFaults } from '../test/emulator/services/ssmSessions';
import { createOpenViduStack } from '../test/support/openviduStack';
import { AppContext } from '../src/features/shared/appContext';
import { startPortForward } from '../src/aws/sessionManager/portForward';

const fake = vscode as unknown as typeof import('../test/fakes/vscode');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const BURSTS = Number(process.env.BENCH_BURSTS ?? 5);

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
    });
    req.on('error', reject);
    req.end();
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIABENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
  const emu = await startEmulator({ speed: 1 });
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  emu.world.settings.defaultHostManagement = true;
  await createOpenViduStack(emu, { name: 'bench-fwd', mediaNodes: 1 });
  emu.clock.advance(3 * 3_600_000);
  emu.world.tick();
  const master = [...emu.world.region('eu-west-1').instances.values()].find((i) => i.state === 'running' && i.node?.kind === 'master')!.instanceId;

  const results: Record<string, { ms: number; starts: number }> = {};
  for (const mode of ['mux', 'basic'] as const) {
    setSessionFaults(emu.world, mode === 'basic' ? { agentVersion: '3.0.196.0' } : {});
    const fwd = await startPortForward(app.session('eu-west-1'), master, 7880);
    if (fwd.mode !== mode) throw new Error(`expected ${mode}, got ${fwd.mode}`);
    const starts = emu.requests.count('StartSession');
    const times: number[] = [];
    for (let b = 0; b < BURSTS; b++) {
      const t0 = performance.now();
      const sizes = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => get(fwd.localPort, `/b${b}/c${i}`)));
      times.push(performance.now() - t0);
      if (sizes.some((n) => n === 0)) throw new Error('an empty response');
    }
    results[mode] = { ms: median(times), starts: emu.requests.count('StartSession') - starts };
    await fwd.stop();
  }
  const { mux, basic } = results;
  console.log(`${CONNECTIONS} concurrent HTTP connections per burst, median of ${BURSTS} bursts`);
  console.log(`multiplexed (one session, smux streams): ${mux.ms.toFixed(0)} ms per burst, ${mux.starts} StartSession during the bursts`);
  console.log(`basic (a session per connection):        ${basic.ms.toFixed(0)} ms per burst, ${basic.starts} StartSession during the bursts`);
  console.log(`ratio (basic time / multiplexed time): ${(basic.ms / mux.ms).toFixed(2)}`);
  app.dispose();
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
