/**
 * Searchable logs over SSM against the emulator: the filter runs on the node (grep), so only matching lines
 * come back; unsafe or invalid patterns are refused before any AWS call.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, stackNode, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { InstanceNode, ServiceNode, type GroupNode } from '../../src/features/explorer/treeNodes';
import { DashboardFeature } from '../../src/features/dashboard/feature';
import { searchLogs } from '../../src/features/dashboard/commands/searchLogs';
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

test('only matching lines travel: the filter is applied on the node', async () => {
  const all = await searchLogs(feature, service, { window: { kind: 'last', minutes: 2 }, filter: '' });
  assert.ok(all && all.length > 5, `unfiltered: ${all?.length}`);
  assert.ok(!fake.recorded.notifications.some((n) => /output limit/.test(n.message)), 'the 2-minute read is whole');
  // a word that some lines have and others do not
  const words = new Map<string, number>();
  for (const l of all) for (const w of new Set(l.split(/[^A-Za-z]+/).filter((x) => x.length > 4))) words.set(w, (words.get(w) ?? 0) + 1);
  const needle = [...words.entries()].find(([, n]) => n > 0 && n < all.length)?.[0];
  assert.ok(needle, 'a word in some lines only');
  const plain = await searchLogs(feature, service, { window: { kind: 'last', minutes: 2 }, filter: needle });
  assert.ok(plain && plain.length >= 1 && plain.length < all.length, `${plain?.length} of ${all.length}`);
  assert.ok(plain.every((l) => l.includes(needle)));
  const regex = await searchLogs(feature, service, { window: { kind: 'last', minutes: 2 }, filter: `/${needle.toLowerCase()}/i` });
  assert.ok(regex && regex.length >= 1 && regex.every((l) => l.toLowerCase().includes(needle.toLowerCase())), `regex: ${regex?.length}`);
  // (no count comparison with the plain search: the 2-minute window slides between the two reads)
  // the command sent carries the filter, single-quoted, to grep on the node
  const sent = bed.emu.requests.filter('ssm:SendCommand').at(-1)!.params as { Parameters: { commands: string[] } };
  assert.match(sent.Parameters.commands.join('\n'), new RegExp(`\\| grep -E -i -e '${needle.toLowerCase()}' \\| tail -n 2000$`));
});

test('unsafe or invalid patterns are refused before any call', async () => {
  for (const bad of ["/(a+)+$/", '/\\d+/', '/(?=x)/', '/[unclosed/', 'x'.repeat(201), 'line\nrm -rf /']) {
    bed.emu.requests.clear();
    assert.equal(await searchLogs(feature, service, { window: { kind: 'last', minutes: 15 }, filter: bad }), undefined, bad);
    assert.equal(bed.emu.requests.count(), 0, `no AWS call for ${JSON.stringify(bad)}`);
    assert.match(fake.recorded.notifications.at(-1)!.message, /^Logs not searched: /);
  }
  // quotes and shell syntax are plain text, quoted: they reach grep as the pattern, nothing else runs
  const odd = await searchLogs(feature, service, { window: { kind: 'last', minutes: 15 }, filter: `'; touch /tmp/pwned; echo '` });
  assert.deepEqual(odd, []);
  const sent = bed.emu.requests.filter('ssm:SendCommand').at(-1)!.params as { Parameters: { commands: string[] } };
  assert.ok(sent.Parameters.commands.join('\n').includes(`grep -F -e ''\\''; touch /tmp/pwned; echo '\\'''`));
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
