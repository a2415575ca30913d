/**
 * Update and upgrade through change sets against the emulator: a change set that replaces the masters is shown
 * with the warning and can be discarded; an upgrade 3.6.0 → 3.8.0; an update that rolls back says why.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { createOpenViduStack } from '../support/openviduStack';
import { fake, stackNode as stack, startTestbed, Testbed, withFastClock } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import { updateDeployment } from '../../src/features/lifecycle/commands/updateDeployment';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;
let reports: ReportDocuments;

before(async () => {
  bed = await startTestbed();
  ({ emu, app } = bed);
  reports = new ReportDocuments();
});
after(() => bed.stop());

function lastReport(): string {
  const preview = [...fake.recorded.commands].reverse().find((c) => c.command === 'markdown.showPreview')!;
  return reports.provideTextDocumentContent(preview.args[0] as vscode.Uri);
}

test('a change set that replaces the masters is shown loudly and can be discarded: nothing changes', async () => {
  await createOpenViduStack(emu, { name: 'ov-upd' });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-upd');
  const outcome = await withFastClock(emu, () => updateDeployment(app, p, reports, s, { changes: { MasterNodeInstanceType: 'c6a.2xlarge' }, decision: 'discard', pollMs: 20 }), 60_000);
  assert.deepEqual(outcome, { status: 'discarded' });
  const text = lastReport();
  assert.match(text, /MASTER NODES WILL BE REPLACED/);
  assert.match(text, /\| MasterNodeInstanceType \| c6a\.xlarge \| c6a\.2xlarge \|/);
  assert.match(text, /OpenViduMasterNode1/);
  assert.equal(emu.requests.count('cloudformation:ExecuteChangeSet'), 0);
  assert.equal(emu.requests.count('cloudformation:DeleteChangeSet'), 1);
  // NoEcho parameters were kept with UsePreviousValue, never sent in clear.
  const create = emu.requests.filter('cloudformation:CreateChangeSet')[0];
  const license = (create.params.Parameters as { ParameterKey: string; UsePreviousValue?: string; ParameterValue?: string }[]).find((x) => x.ParameterKey === 'OpenViduLicense');
  assert.equal(license?.UsePreviousValue, 'true');
  assert.equal(license?.ParameterValue, undefined);
});

test('an invalid parameter change is refused before any change set is created', async () => {
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-upd');
  emu.requests.clear();
  const outcome = await updateDeployment(app, p, reports, s, { changes: { MasterNodesDiskSize: '20' }, decision: 'execute', pollMs: 20 });
  assert.equal(outcome, undefined);
  assert.equal(emu.requests.count('cloudformation:CreateChangeSet'), 0);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /^Not updated: .*disk size must be at least 50/i);
});

test('upgrade 3.6.0 → 3.8.0 with a media-node change is executed and completes', async () => {
  await createOpenViduStack(emu, { name: 'ov-old', version: '3.6.0' });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-old');
  const outcome = await withFastClock(emu, () => updateDeployment(app, p, reports, s, { version: '3.8.0', changes: { MediaNodeInstanceType: 'c6a.2xlarge' }, decision: 'execute', pollMs: 20 }), 60_000);
  assert.deepEqual(outcome, { status: 'updated' });
  const create = emu.requests.filter('cloudformation:CreateChangeSet').at(-1)!;
  assert.match(String(create.params.TemplateURL), /\/3\.8\.0\/aws\/cf-openvidu-ha\.yaml$/);
  assert.match(lastReport(), /upgrade .* → 3\.8\.0/);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /ov-old is updated/);
});

test('an update that fails is rolled back and the failing resource and reason are shown', async () => {
  injectStackFailure(emu.world, { stackName: 'ov-upd', logicalId: 'OpenViduMediaNodeLaunchTemplate', operation: 'update', reason: 'The instance type is not supported in this zone' });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-upd');
  const outcome = await withFastClock(emu, () => updateDeployment(app, p, reports, s, { changes: { MediaNodeInstanceType: 'c6a.4xlarge' }, decision: 'execute', pollMs: 20 }), 60_000);
  assert.equal(outcome?.status, 'rolledBack');
  assert.match((outcome as { reason: string }).reason, /OpenViduMediaNodeLaunchTemplate: The instance type is not supported in this zone/);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /The update of ov-upd was rolled back: OpenViduMediaNodeLaunchTemplate/);
});
