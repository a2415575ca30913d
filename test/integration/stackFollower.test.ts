/**
 * The deploy progress poller against the emulator: while AWS throttles its reads beyond the SDK's retries, it waits
 * longer and longer (exponential backoff, capped) instead of polling at its interval; once AWS answers, the interval
 * is back and the progress moves on (issue 12, item 7).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { StackFollower } from '../../src/features/deploy/stackFollower';

let bed: Testbed;
before(async () => {
  bed = await startTestbed();
});
after(() => bed.stop());

test('a deploy progress poll that AWS throttles backs off (doubling, capped at 2 min) and recovers', async () => {
  const { emu, app } = bed;
  await createOpenViduStack(emu, { name: 'ov-follow', noWait: true });
  const logs: string[] = [];
  const follower = new StackFollower({ session: app.session('eu-west-1'), region: 'eu-west-1', stackName: 'ov-follow', pollMs: 1000, onUpdate: () => undefined, log: (m) => logs.push(m) });
  try {
    assert.equal(await follower.tick(), 1000);
    emu.throttles.set({ service: 'cloudformation', action: 'DescribeStackEvents', bucketSize: 0, refillPerSecond: 0 });
    emu.throttles.set({ service: 'cloudformation', action: 'DescribeStacks', bucketSize: 0, refillPerSecond: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) delays.push(await follower.tick());
    assert.deepEqual(delays, [2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000]);
    assert.match(logs.at(-1) ?? '', /AWS is throttling, next poll in 120000 ms/);
    emu.throttles.clear();
    assert.equal(await follower.tick(), 1000);
  } finally {
    emu.throttles.clear();
    follower.dispose();
  }
});
