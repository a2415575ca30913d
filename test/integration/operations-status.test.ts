/**
 * Service status over SSM against the emulator: 4 masters + 3 media nodes, one master stopped, masters
 * not registered with SSM (template 3.8.0). One SendCommand, batched result collection.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EC2Client, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack, sdkConfig } from '../support/openviduStack';
import { fake, stackNode as namedStack, startTestbed, Testbed } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { checkStatus } from '../../src/features/operations/commands/checkStatus';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import { treeSnapshot } from '../../src/features/explorer/snapshot';
import type { StackNode } from '../../src/features/explorer/treeNodes';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;

before(async () => {
  bed = await startTestbed({ speed: 20 });
  ({ emu, app } = bed);
  await createOpenViduStack(emu, { name: 'ov-ops', mediaNodes: 3 });
});
after(() => bed.stop());

const stackNode = (p: ClusterTreeProvider): Promise<StackNode> => namedStack(p, 'ov-ops');

test('status of a stack: unregistered masters and a stopped master are explained, the others report their services', async () => {
  const p = new ClusterTreeProvider(app);
  const stack = await stackNode(p);
  const stopped = stack.cluster!.masters[1].instanceId;
  await new EC2Client(sdkConfig(emu)).send(new StopInstancesCommand({ InstanceIds: [stopped] }));
  emu.clock.advance(120_000);
  await p.reloadNow();
  const fresh = await stackNode(p);
  emu.requests.clear();
  const reportDocs = new ReportDocuments();
  const rows = await checkStatus(app, p, reportDocs, fresh);
  assert.ok(rows, JSON.stringify(fake.recorded.notifications));
  assert.equal(rows.length, 7);
  // One SendCommand for the reachable media nodes; nothing is sent to unreachable ones.
  const sends = emu.requests.filter('ssm:SendCommand');
  assert.equal(sends.length, 1);
  const sentTo = sends[0].params.InstanceIds as string[];
  assert.deepEqual(sentTo.sort(), rows.filter((r) => r.status).map((r) => r.instanceId).sort());
  for (const m of rows.filter((r) => r.role === 'master' && r.instanceId !== stopped)) {
    assert.match(m.error ?? '', /Not registered with SSM\. Template 3\.8\.0 gives the AmazonSSMManagedInstanceCore policy to media nodes only/);
  }
  assert.equal(rows.find((r) => r.instanceId === stopped)?.error, 'The instance is stopped: start it first.');
  const ok = rows.filter((r) => r.status);
  assert.equal(ok.length, 3);
  for (const r of ok) {
    assert.equal(r.status!.openvidu, 'active');
    assert.deepEqual(
      r.status!.services.map((s) => s.name).sort(),
      ['alloy', 'caddy', 'egress', 'ingress', 'openvidu', 'prometheus'].sort(),
    );
  }
  // Results were collected in batches, not one call per node.
  assert.equal(emu.requests.count('ssm:GetCommandInvocation'), 0);
  // The tree shows the services under the media nodes.
  const tree = await treeSnapshot(p);
  const media = tree[0].children!.find((s) => s.label === 'ov-ops')!.children!.find((g) => g.label === 'Media nodes')!;
  const withServices = media.children!.filter((n) => n.children?.length);
  assert.ok(withServices.length >= 2);
  assert.ok(withServices.some((n) => n.children!.some((c) => c.label === 'openvidu' && c.contextValue === 'service.running')));
  assert.match(withServices[0].description ?? '', /6\/6 services up/);
  // The report was opened, rendered, with the unreachable masters' explanation given once.
  const preview = fake.recorded.commands.find((c) => c.command === 'markdown.showPreview');
  assert.ok(preview && String(preview.args[0]).startsWith('openvidu-ha-report:/ov-ops-status'));
  const report = (reportDocs.provideTextDocumentContent(preview.args[0] as vscode.Uri));
  assert.match(report, /^- \*\*Master 1, Master 3, Master 4\*\*: Not registered with SSM\. Template 3\.8\.0/m);
  assert.match(report, /^\| Master 2 <span style="white-space:nowrap">i-\w+<\/span> \| ⚠ The instance is stopped: start it first\. \|/m);
  // Start the master again for the next test.
  await new EC2Client(sdkConfig(emu)).send(new StartInstancesCommand({ InstanceIds: [stopped] }));
  emu.clock.advance(120_000);
});

test('with the account-wide SSM setting the masters answer too', async () => {
  emu.world.settings.defaultHostManagement = true;
  // The agents register a few minutes after the setting changes, as on AWS.
  emu.clock.advance(15 * 60_000);
  try {
    const p = new ClusterTreeProvider(app);
    const stack = await stackNode(p);
    const masters = stack.cluster!.masters;
    const group = (await p.getChildren(stack)).find((g) => g.kind === 'group' && g.role === 'master');
    const rows = await checkStatus(app, p, new ReportDocuments(), group);
    assert.ok(rows);
    assert.equal(rows.length, masters.length);
    for (const r of rows) {
      assert.equal(r.error, undefined, r.error);
      assert.ok(r.status!.services.some((s) => s.name === 'openvidu-meet'), JSON.stringify(r));
    }
  } finally {
    emu.world.settings.defaultHostManagement = false;
  }
});

