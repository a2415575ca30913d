/**
 * CloudWatch GetMetricData as @aws-sdk/client-cloudwatch speaks it (AWS JSON 1.0, awsQueryCompatible errors)
 * against the emulator's simulated media-node load; the load reader's call count for 1, 10 and 50 media
 * nodes; the media-group row shows current CPU against the stack's ScaleTargetCPU.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { startTestbed, stackNode, type Testbed } from '../support/testbed';
import { createOpenViduStack, sdkConfig, scaleMedia } from '../support/openviduStack';
import { loadClusterLoad, loadQueries } from '../../src/aws/metrics';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { DashboardFeature } from '../../src/features/dashboard/feature';
import { attachMediaLoad } from '../../src/features/dashboard';
import { latest } from '../../src/openvidu/load';

let bed: Testbed;
let cw: CloudWatchClient;

before(async () => {
  bed = await startTestbed();
  await createOpenViduStack(bed.emu, { name: 'ov-cpu', mediaNodes: 2, parameters: { ScaleTargetCPU: '40' } });
  bed.emu.clock.advance(2 * 3_600_000); // an hour and more of samples
  cw = new CloudWatchClient(sdkConfig(bed.emu));
});
after(() => bed.stop());

const asgName = 'openvidu-ha-media-asg-eu-west-1-ov-cpu';
const groupCpu = (id: string, stat: string, period = 300): MetricDataQuery => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'AutoScalingGroupName', Value: asgName }] }, Period: period, Stat: stat } });

test('GetMetricData speaks JSON 1.0: averages, sample counts and newest-first timestamps aligned to the period', async () => {
  const end = new Date(Math.floor(bed.emu.world.now() / 300_000) * 300_000);
  const start = new Date(end.getTime() - 3_600_000);
  const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('cpu', 'Average'), groupCpu('n', 'SampleCount'), groupCpu('mx', 'Maximum', 3600)], StartTime: start, EndTime: end }));
  const [cpu, n, mx] = out.MetricDataResults!;
  assert.equal(cpu.Values!.length, 12);
  assert.ok(cpu.Values!.every((v) => v > 0 && v <= 100));
  assert.ok(cpu.Timestamps![0] > cpu.Timestamps![1], 'newest first by default');
  assert.ok(cpu.Timestamps!.every((t) => t.getTime() % 300_000 === 0));
  assert.deepEqual(new Set(n.Values), new Set([2]), 'two media nodes, one sample each per 5 minutes');
  assert.equal(mx.Values!.length, 1);
  assert.ok(mx.Values![0] >= Math.max(...cpu.Values!));
  // the SDK's wire protocol: AWS JSON 1.0 through X-Amz-Target (decoded by the emulator's JSON path)
  assert.equal(bed.emu.requests.filter('cloudwatch:GetMetricData').at(-1)?.status, 200);
});

test('GetMetricData enforces the documented limits with the awsQuery error codes', async () => {
  const end = new Date(bed.emu.world.now());
  const start = new Date(end.getTime() - 3_600_000);
  const many = Array.from({ length: 501 }, (_, i) => groupCpu(`q${i}`, 'Average'));
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: many, StartTime: start, EndTime: end })), (e: Error) => /^Validation(Error|Exception)$/.test(e.name) && /less than or equal to 500/.test(e.message));
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Average', 45)], StartTime: start, EndTime: end })), (e: Error) => e.name === 'InvalidParameterValueException' && /multiple of 60/.test(e.message));
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('Bad', 'Average')], StartTime: start, EndTime: end })), (e: Error) => e.name === 'InvalidParameterValueException');
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Median')], StartTime: start, EndTime: end })), (e: Error) => e.name === 'InvalidParameterValueException');
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Average')], StartTime: end, EndTime: start })), (e: Error) => e.name === 'InvalidParameterValueException');
  const old = new Date(end.getTime() - 20 * 86_400_000);
  await assert.rejects(cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Average', 60)], StartTime: old, EndTime: end })), (e: Error) => /multiple of 300/.test(e.message));
  // MaxDatapoints pages with NextToken
  const page1 = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Average')], StartTime: start, EndTime: end, MaxDatapoints: 5 }));
  assert.equal(page1.MetricDataResults![0].Values!.length, 5);
  assert.equal(page1.MetricDataResults![0].StatusCode, 'PartialData');
  assert.ok(page1.NextToken);
  const page2 = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [groupCpu('a', 'Average')], StartTime: start, EndTime: end, MaxDatapoints: 5, NextToken: page1.NextToken }));
  assert.equal(page2.MetricDataResults![0].Values!.length, 5);
});

test('the load reader makes one call for 1, 10 and 50 media nodes; two beyond 498', async () => {
  const stack = bed.emu.world.region('eu-west-1').stacks.find((s) => s.stackName === 'ov-cpu')!;
  assert.ok(stack);
  const calls: Record<number, number> = {};
  for (const n of [1, 10, 50]) {
    await scaleMedia(bed.emu, 'ov-cpu', n);
    bed.emu.clock.advance(11 * 60_000); // new nodes publish their first samples
    const ids = bed.emu.world.region('eu-west-1').asgs.get(asgName)!.instances.map((i) => i.instanceId);
    const end = bed.emu.world.now();
    const r = await loadClusterLoad(bed.app.session('eu-west-1'), { asgName, instanceIds: ids, startMs: end - 3_600_000, endMs: end, periodSeconds: 300 });
    calls[n] = r.calls;
    assert.equal(r.perNode.size, n);
    assert.equal(latest(r.nodeCount)?.value, n, `${n} nodes in service now`);
  }
  assert.deepEqual(calls, { 1: 1, 10: 1, 50: 1 });
  assert.equal(loadQueries({ asgName, instanceIds: Array.from({ length: 498 }, (_, i) => `i-${i}`), startMs: 0, endMs: 1, periodSeconds: 300 }).length, 500);
});

test('the media-group row shows current average CPU against ScaleTargetCPU', async () => {
  await scaleMedia(bed.emu, 'ov-cpu', 2);
  const provider = new ClusterTreeProvider(bed.app);
  const feature = new DashboardFeature(bed.app, provider, { now: () => bed.emu.world.now() });
  const sub = attachMediaLoad(feature);
  try {
    const s = await stackNode(provider, 'ov-cpu');
    const groups = await provider.getChildren(s);
    assert.ok((await feature.load(s)).load, 'loaded');
    await new Promise((r) => setImmediate(r));
    const media = groups.find((g) => g.kind === 'group' && g.role === 'media')!;
    assert.match(String(provider.getTreeItem(media).description), /^2 running · desired 2 .* · CPU \d+% · (target|well below target) 40%/);
  } finally {
    sub.dispose();
    feature.dispose();
    provider.dispose();
  }
});
