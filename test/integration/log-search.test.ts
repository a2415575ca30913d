/**
 * Search Logs… (now Show Logs under its palette name: the filter runs on the node, see show-logs-filter.test.ts)
 * and Open Grafana against the emulator.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, stackNode, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { InstanceNode, ServiceNode, type GroupNode } from '../../src/features/explorer/treeNodes';
import { DashboardFeature } from '../../src/features/dashboard/feature';
import type { ServiceStatus } from '../../src/openvidu/nodeCommands';
import { fake } from '../support/testbed';

let bed: Testbed;
let provider: ClusterTreeProvider;
let feature: DashboardFeature;
let service: ServiceNode;

before(async () => {
  bed = await startTestbed();
  await createOpenViduStack(bed.emu, { name: 'ov-grep', mediaNodes: 1 });
  bed.emu.clock.advance(2 * 3_600_000);
  provider = new ClusterTreeProvider(bed.app);
  feature = new DashboardFeature(bed.app, provider, { now: () => bed.emu.world.now() });
  const s = await stackNode(provider, 'ov-grep');
  const media = (await provider.getChildren(s)).find((g): g is GroupNode => g.kind === 'group' && g.role === 'media')!;
  const node = (await provider.getChildren(media)).find((n): n is InstanceNode => n.kind === 'instance')!;
  service = new ServiceNode(node, { name: 'openvidu', state: 'running', status: 'Up 2 hours', health: 'healthy' } as ServiceStatus);
});
after(async () => {
  feature.dispose();
  provider.dispose();
  await bed.stop();
});

test('Search Logs… is Show Logs under its old palette name: the same questions, filtered on the node', async () => {
  // (the filter's own tests: show-logs-filter.test.ts)
  const { registerOperations } = await import('../../src/features/operations');
  const subscriptions: { dispose(): void }[] = [];
  registerOperations(bed.app, { subscriptions } as never, { provider } as never);
  try {
    fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === 'Last 15 minutes'));
    fake.answers.inputBox.push('/INFO/');
    bed.emu.requests.clear();
    const uri = (await fake.commands.executeCommand('openviduHa.searchLogs', service)) as { path: string } | undefined;
    assert.ok(uri, JSON.stringify(fake.recorded.notifications.slice(-2)));
    assert.match(uri.path, /\/ov-grep\/Media i-\w+\/openvidu · Media i-\w+\.log$/);
    const sent = (bed.emu.requests.filter('ssm:SendCommand').find((r) => JSON.stringify(r.params).includes('docker compose logs'))!.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n');
    assert.match(sent, /--since '[^']+' 'openvidu' 2>&1 \| grep -E -e 'INFO' \| tail -n 500$/);
  } finally {
    for (const d of subscriptions) d.dispose();
  }
});

test('Open Grafana opens the URL from the secret with the admin password on the clipboard, never shown', async () => {
  const { openGrafana } = await import('../../src/features/dashboard/commands/openGrafana');
  const s = await stackNode(provider, 'ov-grep');
  const url = await openGrafana(feature, s);
  const values = JSON.parse(bed.emu.world.region('eu-west-1').secrets.get('openvidu-ha-eu-west-1-ov-grep')!.secretString) as Record<string, string>;
  assert.equal(url, values.GRAFANA_URL);
  assert.equal(fake.recorded.clipboard, values.GRAFANA_ADMIN_PASSWORD);
  const shown = JSON.stringify([fake.recorded.notifications, fake.recorded.output]);
  assert.ok(!shown.includes(values.GRAFANA_ADMIN_PASSWORD));
  assert.match(fake.recorded.notifications.at(-1)!.message, /sign in as grafanaadmin, the password is on the clipboard/);
});
