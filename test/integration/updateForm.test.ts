/**
 * The update form's host side (UpdateController) against the emulator, without a webview: the form's starting
 * values (NoEcho left out), the stack's own template when the version is kept, the checks that refuse before any
 * change set, a master-replacing change set reviewed then discarded, an upgrade with a retyped secret executed and
 * followed to UPDATE_COMPLETE, and an update that rolls back with its reason.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { createOpenViduStack } from '../support/openviduStack';
import { startTestbed, Testbed, withFastClock } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { readStackParameters } from '../../src/aws/changeSetApi';
import type { DeployHost } from '../../src/features/deploy/controller';
import { TemplateService } from '../../src/features/deploy/templateService';
import { UpdateController } from '../../src/features/lifecycle/updateController';
import { buildChangeSet } from '../../src/features/lifecycle/updateCore';
import { updateVersionOptions } from '../../src/openvidu/versionChoice';
import type { HostMessage, ProgressModel } from '../../src/protocol/deployForm';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;
let seq = 0;

before(async () => {
  bed = await startTestbed();
  ({ emu, app } = bed);
});
after(() => bed.stop());

function memento() {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void m.set(k, v) };
}

async function harness(stackName: string) {
  const logs: string[] = [];
  const host: DeployHost = {
    session: (r) => app.session(r),
    describeError: (e, r) => app.describeError(e, r),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    regions: async () => ['eu-west-1'],
    templateBaseUrl: () => `${emu.endpoint}/get.openvidu.io/pro/ha`,
  };
  const templates = new TemplateService({ session: host.session, baseUrl: host.templateBaseUrl, cache: memento(), describeError: host.describeError });
  const current = await readStackParameters(app.session('eu-west-1'), stackName);
  const pushed: ProgressModel[] = [];
  const started: string[] = [];
  const controller = new UpdateController(host, templates, { stackName, region: 'eu-west-1' }, current, { post: (m) => m.type === 'progress' && pushed.push(m.progress), updateStarted: (_r, n) => started.push(n) }, {
    autoPoll: false,
    changeSetPollMs: 20,
  });
  const send = async <T extends HostMessage['type']>(msg: Record<string, unknown>, expect: T): Promise<Extract<HostMessage, { type: T }>> => {
    const r = await controller.handle({ requestId: `t${++seq}`, ...msg });
    assert.equal(r?.type, expect, JSON.stringify(r));
    return r as Extract<HostMessage, { type: T }>;
  };
  const followToEnd = async (): Promise<ProgressModel> =>
    withFastClock(emu, async () => {
      for (let i = 0; i < 500; i++) {
        const p = await controller.pollProgress();
        if (p && p.outcome !== 'inProgress') return p;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the update did not settle');
    });
  return { controller, send, logs, pushed, started, followToEnd };
}

test('the form starts from the current values, NoEcho ones left out; keeping the version loads the stack template', async () => {
  await createOpenViduStack(emu, { name: 'ov-form' });
  const h = await harness('ov-form');
  const init = await h.send({ type: 'ready' }, 'init');
  const u = init.init.update!;
  assert.equal(u.stackName, 'ov-form');
  assert.equal(u.region, 'eu-west-1');
  assert.equal(u.values.MasterNodeInstanceType, 'c6a.xlarge');
  assert.ok(u.noEcho.includes('OpenViduLicense'));
  assert.equal(u.values.OpenViduLicense, undefined);
  assert.doesNotMatch(JSON.stringify(init), /\*\*\*\*/);
  const t = await h.send({ type: 'loadUpdateTemplate', version: '' }, 'template');
  assert.ok(t.spec.parameters.some((p) => p.key === 'MasterNodeInstanceType'));
  const other = await h.send({ type: 'loadUpdateTemplate', version: '3.8.0' }, 'template');
  assert.equal(other.version, '3.8.0');
  // malformed messages are ignored
  assert.equal(await h.controller.handle({ type: 'proposeUpdate', requestId: 'x1', draft: { version: 'not-a-version', values: {} } }), undefined);
  assert.equal(await h.controller.handle({ type: 'proposeUpdate', requestId: 'x2', draft: { version: '', values: { 'bad key': 'x' } } }), undefined);
});

test('an invalid value is refused on its field before any change set', async () => {
  const h = await harness('ov-form');
  emu.requests.clear();
  const init = (await h.send({ type: 'ready' }, 'init')).init.update!;
  const r = await h.send({ type: 'proposeUpdate', draft: { version: '', values: { ...init.values, MasterNodesDiskSize: '20' } } }, 'updateProposal');
  assert.equal(r.ok, false);
  assert.ok(r.issues.some((i) => i.field === 'MasterNodesDiskSize' && i.severity === 'error'));
  assert.ok(!r.issues.some((i) => i.field === 'StackName'), 'its own name is not "in use"');
  assert.ok(!r.issues.some((i) => i.field === 'OpenViduLicense'), 'an empty NoEcho field keeps the current value');
  assert.equal(emu.requests.count('cloudformation:CreateChangeSet'), 0);
});

test('a 3.8.0 stack: the form names the current version and labels older ones Downgrade; a downgrade needs confirmation before any change set', async () => {
  const h = await harness('ov-form');
  const ready = await h.send({ type: 'ready' }, 'init');
  const init = ready.init.update!;
  assert.equal(init.currentVersion, '3.8.0');
  const options = updateVersionOptions(ready.init.versions, init.currentVersion);
  assert.equal(options[0].label, 'Keep the current template (3.8.0)');
  assert.equal(options.find((o) => o.value === '3.2.0')?.label, 'Downgrade to 3.2.0');
  assert.ok(!options.some((o) => /^Upgrade to 3\.2\.0$/.test(o.label)));
  emu.requests.clear();
  const refused = await h.send({ type: 'proposeUpdate', draft: { version: '3.2.0', values: { ...init.values } } }, 'updateProposal');
  assert.equal(refused.ok, false);
  assert.ok(refused.issues.some((i) => i.field === 'Version' && i.severity === 'error' && /older than the version the stack runs \(3\.8\.0\)/.test(i.message)), JSON.stringify(refused.issues));
  assert.match(refused.message ?? '', /No change set was created/);
  assert.equal(emu.requests.count('cloudformation:CreateChangeSet'), 0, 'nothing is asked of CloudFormation before the confirmation');
  // the shared core refuses it too (the palette path)
  await assert.rejects(
    buildChangeSet({ session: app.session('eu-west-1'), stackName: 'ov-form', region: 'eu-west-1' }, await readStackParameters(app.session('eu-west-1'), 'ov-form'), { version: '3.2.0', changes: {} }),
    /confirm the downgrade/,
  );
  assert.equal(emu.requests.count('cloudformation:CreateChangeSet'), 0);
  // confirmed: the change set is created for the older template, then discarded
  const confirmed = await withFastClock(emu, () => h.send({ type: 'proposeUpdate', draft: { version: '3.2.0', values: { ...init.values }, confirmDowngrade: true } }, 'updateProposal'));
  assert.equal(confirmed.ok, true, confirmed.message);
  assert.equal(confirmed.review!.toVersion, '3.2.0');
  assert.equal(confirmed.review!.fromVersion, '3.8.0');
  const create = emu.requests.filter('cloudformation:CreateChangeSet');
  assert.equal(create.length, 1);
  assert.match(String(create[0].params.TemplateURL), /\/3\.2\.0\/aws\/cf-openvidu-ha\.yaml$/);
  await h.send({ type: 'discardUpdate' }, 'done');
});

test('a master instance type change: the review says the masters are replaced, Discard deletes the change set', async () => {
  const h = await harness('ov-form');
  emu.requests.clear();
  const init = (await h.send({ type: 'ready' }, 'init')).init.update!;
  const r = await withFastClock(emu, () => h.send({ type: 'proposeUpdate', draft: { version: '', values: { ...init.values, MasterNodeInstanceType: 'c6a.2xlarge', OpenViduLicense: '' } } }, 'updateProposal'));
  assert.equal(r.ok, true, r.message);
  const review = r.review!;
  assert.equal(review.mastersReplaced, true);
  assert.ok(review.replacements.some((c) => c.logicalId === 'OpenViduMasterNode1' && c.causes.includes('InstanceType')));
  assert.deepEqual(
    review.parameterDiffs.map((d) => [d.key, d.from, d.to]),
    [['MasterNodeInstanceType', 'c6a.xlarge', 'c6a.2xlarge']],
  );
  const create = emu.requests.filter('cloudformation:CreateChangeSet')[0];
  const params = create.params.Parameters as { ParameterKey: string; UsePreviousValue?: string; ParameterValue?: string }[];
  assert.equal(params.find((x) => x.ParameterKey === 'OpenViduLicense')?.UsePreviousValue, 'true');
  assert.equal(params.find((x) => x.ParameterKey === 'DomainName')?.UsePreviousValue, 'true', 'unchanged values are kept, not resent');
  assert.ok(h.controller.pendingChangeSet);
  const d = await h.send({ type: 'discardUpdate' }, 'done');
  assert.match(d.message ?? '', /Discarded the change set: ov-form is unchanged/);
  assert.equal(emu.requests.count('cloudformation:DeleteChangeSet'), 1);
  assert.equal(emu.requests.count('cloudformation:ExecuteChangeSet'), 0);
  const nothing = await h.send({ type: 'executeUpdate' }, 'done');
  assert.equal(nothing.ok, false);
});

test('an upgrade with a retyped secret: the secret is sent but never shown; Execute follows the update to UPDATE_COMPLETE', async () => {
  await createOpenViduStack(emu, { name: 'ov-form-old', version: '3.6.0' });
  const h = await harness('ov-form-old');
  emu.requests.clear();
  const init = (await h.send({ type: 'ready' }, 'init')).init.update!;
  await h.send({ type: 'loadUpdateTemplate', version: '3.8.0' }, 'template');
  const r = await withFastClock(emu, () =>
    h.send({ type: 'proposeUpdate', draft: { version: '3.8.0', values: { ...init.values, MediaNodeInstanceType: 'c6a.2xlarge', OpenViduLicense: 'NEW-LICENSE-1234' } } }, 'updateProposal'),
  );
  assert.equal(r.ok, true, r.message);
  assert.equal(r.review!.toVersion, '3.8.0');
  assert.doesNotMatch(JSON.stringify(r), /NEW-LICENSE-1234/);
  assert.ok(r.review!.parameterDiffs.some((x) => x.key === 'OpenViduLicense' && x.to === '**** (new value)'));
  const create = emu.requests.filter('cloudformation:CreateChangeSet')[0];
  assert.match(String(create.params.TemplateURL), /\/3\.8\.0\/aws\/cf-openvidu-ha\.yaml$/);
  const params = create.params.Parameters as { ParameterKey: string; ParameterValue?: string }[];
  assert.equal(params.find((x) => x.ParameterKey === 'OpenViduLicense')?.ParameterValue, 'NEW-LICENSE-1234');
  const ex = await h.send({ type: 'executeUpdate' }, 'done');
  assert.equal(ex.ok, true, ex.message);
  assert.deepEqual(h.started, ['ov-form-old']);
  const end = await h.followToEnd();
  assert.equal(end.action, 'update');
  assert.equal(end.status, 'UPDATE_COMPLETE');
  assert.equal(end.outcome, 'complete');
  assert.ok(h.pushed.length > 0);
  assert.ok(h.controller.following!.events.every((e) => !/CREATE_IN_PROGRESS/.test(e.status) || e.logicalId !== 'ov-form-old'), 'only the update events are shown');
  assert.ok(!h.logs.some((l) => l.includes('NEW-LICENSE-1234')));
});

test('an update that rolls back shows the failing resource and why', async () => {
  injectStackFailure(emu.world, { stackName: 'ov-form', logicalId: 'OpenViduMediaNodeLaunchTemplate', operation: 'update', reason: 'The instance type is not supported in this zone' });
  const h = await harness('ov-form');
  const init = (await h.send({ type: 'ready' }, 'init')).init.update!;
  const r = await withFastClock(emu, () => h.send({ type: 'proposeUpdate', draft: { version: '', values: { ...init.values, MediaNodeInstanceType: 'c6a.4xlarge' } } }, 'updateProposal'));
  assert.equal(r.ok, true, r.message);
  assert.equal(r.review!.mastersReplaced, false);
  await h.send({ type: 'executeUpdate' }, 'done');
  const end = await h.followToEnd();
  assert.equal(end.outcome, 'failed');
  assert.match(end.status, /^UPDATE_ROLLBACK/);
  assert.match(end.failure!.headline, /OpenViduMediaNodeLaunchTemplate: The instance type is not supported in this zone/);
  assert.match(end.failure!.nextSteps.join(' '), /rolled ov-form back/);
});
