/**
 * The dashboard's model from the emulator: CPU per media node and the group over the last hour against the
 * target, node count, scaling activities, live rooms and the masters; a refresh makes the same number of AWS
 * calls for 2 and 20 media nodes, and no credential reaches the model.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, stackNode, type Testbed } from '../support/testbed';
import { createOpenViduStack, scaleMedia } from '../support/openviduStack';
import { addRooms } from '../emulator/livekit';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { DashboardFeature } from '../../src/features/dashboard/feature';
import { gatherDashboard } from '../../src/features/dashboard/gather';
import { RoomsFeature, answerConfirmationsWith } from '../../src/features/rooms';

let bed: Testbed;

before(async () => {
  bed = await startTestbed({ clusterUrlsInSecret: true });
  await createOpenViduStack(bed.emu, { name: 'ov-dash', mediaNodes: 2, parameters: { ScaleTargetCPU: '60' } });
  bed.emu.clock.advance(90 * 60_000);
  bed.emu.world.tick();
  await bed.emu.clusters.address('eu-west-1', 'ov-dash');
  addRooms(bed.emu.world, 'eu-west-1', 'ov-dash', [{ name: 'standup', participants: ['a', 'b', 'c'] }]);
});
after(() => bed.stop());

test('the dashboard model holds CPU against the target, node count, activities, rooms and masters; calls do not grow with nodes', async () => {
  const provider = new ClusterTreeProvider(bed.app);
  const dash = new DashboardFeature(bed.app, provider, { now: () => bed.emu.world.now() });
  const rooms = new RoomsFeature(bed.app, provider);
  const sub = answerConfirmationsWith(rooms);
  try {
    let s = await stackNode(provider, 'ov-dash');
    await gatherDashboard(dash, s); // credentials read once
    bed.emu.requests.clear();
    const m = await gatherDashboard(dash, s);
    const calls2 = bed.emu.requests.count();
    assert.equal(m.target, 60);
    assert.equal(m.nodes.length, 2);
    for (const n of m.nodes) assert.ok(n.series.values.length >= 11 && n.series.values.every((v) => v > 0 && v <= 100), `${n.instanceId}: ${n.series.values.length} points`);
    assert.equal(m.nodeCount.values.at(-1), 2);
    assert.ok(m.rooms.ok && m.rooms.rooms[0].name === 'standup' && m.rooms.rooms[0].participants === 3);
    assert.deepEqual(m.masters.map((x) => [x.label, x.state, x.services]), [1, 2, 3, 4].map((i) => [`Master ${i}`, 'running', 'not checked yet']));
    const secret = JSON.parse(bed.emu.world.region('eu-west-1').secrets.get('openvidu-ha-eu-west-1-ov-dash')!.secretString) as Record<string, string>;
    assert.ok(!JSON.stringify(m).includes(secret.LIVEKIT_API_SECRET) && !JSON.stringify(m).includes(secret.LIVEKIT_API_KEY));

    await scaleMedia(bed.emu, 'ov-dash', 20);
    bed.emu.clock.advance(11 * 60_000);
    provider.refresh();
    await new Promise((r) => setTimeout(r, 200));
    s = await stackNode(provider, 'ov-dash');
    bed.emu.requests.clear();
    const m20 = await gatherDashboard(dash, s);
    assert.equal(m20.nodes.length, 20);
    assert.ok(m20.activities.length >= 1, 'the scale-out is marked');
    assert.equal(bed.emu.requests.count(), calls2, JSON.stringify(bed.emu.requests.summary()));
    assert.deepEqual(bed.emu.requests.summary(), { 'cloudwatch:GetMetricData': 1, 'autoscaling:DescribeScalingActivities': 1 });
  } finally {
    sub.dispose();
    rooms.dispose();
    dash.dispose();
    provider.dispose();
  }
});
