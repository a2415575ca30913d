/**
 * The deploy wizard's host side (DeployController) against the emulator, through the real SDK clients: template
 * loading (GetTemplateSummary + the served YAML, offline fallback), AWS facts, the checks that refuse before
 * CreateStack, CreateStack → CREATE_COMPLETE with events followed, an injected failure, parameters files.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { createOpenViduStack } from '../support/openviduStack';
import { setStackReadLag } from '../emulator/services/cloudformation';
import { loadCluster } from '../../src/aws/clusterApi';
import { templateBaseUrl } from '../../src/features/deploy/deployPanel';
import type { AppContext } from '../../src/features/shared/appContext';
import { DeployController, type DeployHost } from '../../src/features/deploy/controller';
import { TemplateService } from '../../src/features/deploy/templateService';
import type { AwsFacts, DeployDraft, EventRow, HostMessage, ProgressModel } from '../../src/protocol/deployForm';

const fake = vscode as unknown as typeof import('../fakes/vscode');
let emu: Emulator;
let app: AppContext;
let seq = 0;

before(async () => {
  delete process.env.AWS_PROFILE;
  ({ emu, app } = await startTestbed({ seed: 5 }));
  fake.setSetting('openviduHa.regions', ['us-west-2', 'eu-west-1']);
});
after(async () => {
  app.dispose();
  await emu.stop();
});
beforeEach(() => {
  emu.faults.clear();
});

function memento() {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k: string, v: unknown) => void m.set(k, v), m };
}

interface Harness {
  controller: DeployController;
  pushed: Array<{ progress: ProgressModel; events: EventRow[] }>;
  logs: string[];
  effects: { copied: string[]; shown: string[]; created: string[] };
  send<T extends HostMessage['type']>(msg: Record<string, unknown>, expect: T): Promise<Extract<HostMessage, { type: T }>>;
}

function harness(baseUrl = `${emu.endpoint}/get.openvidu.io/pro/ha`, options: { retryDelayMs?: number } = {}): Harness {
  const logs: string[] = [];
  const host: DeployHost = {
    session: (r) => app.session(r),
    describeError: (e, r) => app.describeError(e, r),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    regions: async () => ['us-west-2', 'eu-west-1'],
    templateBaseUrl: () => baseUrl,
  };
  const templates = new TemplateService({ session: host.session, baseUrl: host.templateBaseUrl, cache: memento(), describeError: host.describeError });
  const pushed: Harness['pushed'] = [];
  const effects = { copied: [] as string[], shown: [] as string[], created: [] as string[] };
  const controller = new DeployController(
    host,
    templates,
    {
      post: (m) => {
        if (m.type === 'progress') pushed.push({ progress: m.progress, events: m.events });
      },
      copyText: async (t) => void effects.copied.push(t),
      showNodes: async (r, s) => void effects.shown.push(`${r}/${s}`),
      stackCreated: (r, s) => void effects.created.push(`${r}/${s}`),
      liveKitCommandAvailable: async () => false,
    },
    { autoPoll: false, ...options },
  );
  return {
    controller,
    pushed,
    logs,
    effects,
    async send(msg, expect) {
      const reply = await controller.handle({ requestId: `r${++seq}`, ...msg });
      assert.ok(reply, `no reply to ${String(msg.type)}`);
      assert.equal(reply.type, expect, JSON.stringify(reply).slice(0, 600));
      return reply as never;
    },
  };
}

/** A valid draft for the region, from the facts the controller itself reads. */
async function validDraft(h: Harness, region: string, stackName: string, version = '3.8.0'): Promise<{ draft: DeployDraft; facts: AwsFacts }> {
  await h.send({ type: 'loadTemplate', version, region }, 'template');
  const all = (await h.send({ type: 'loadFacts', region, version }, 'facts')).facts;
  const vpc = all.vpcs!.find((v) => v.name === 'openvidu-vpc')!;
  const facts = (await h.send({ type: 'loadFacts', region, version, vpcId: vpc.id }, 'facts')).facts;
  const publicSubnets = facts.subnets!.filter((s) => s.vpcId === vpc.id && s.public && s.mapPublicIpOnLaunch);
  const oneper = [...new Map(publicSubnets.map((s) => [s.availabilityZone, s.id])).values()];
  const cert = facts.certificates!.find((c) => c.domainName === 'openvidu.example.com' && c.status === 'ISSUED')!;
  return {
    facts,
    draft: {
      stackName,
      region,
      version,
      preserveOnFailure: true,
      values: {
        DomainName: 'openvidu.example.com',
        OpenViduCertificateARN: cert.arn,
        OpenViduLicense: 'secret-license-value',
        KeyName: 'openvidu-key',
        OpenViduVPC: vpc.id,
        OpenViduMasterNodeSubnets: oneper.slice(0, 4),
        OpenViduMediaNodeSubnets: oneper,
        InitialNumberOfMediaNodes: '1',
        MinNumberOfMediaNodes: '1',
        MaxNumberOfMediaNodes: '3',
        S3AppDataBucketName: '',
        S3ClusterDataBucketName: '',
      },
    },
  };
}

async function followToEnd(h: Harness, stepMs = 120_000, maxSteps = 300): Promise<ProgressModel> {
  for (let i = 0; i < maxSteps; i++) {
    const p = await h.controller.pollProgress();
    assert.ok(p);
    if (p.outcome !== 'inProgress') return p;
    emu.clock.advance(stepMs);
  }
  assert.fail('the stack did not settle');
}

test('ready: regions, versions and the template base URL', async () => {
  const h = harness();
  const r = await h.send({ type: 'ready' }, 'init');
  assert.deepEqual(r.init.regions, ['us-west-2', 'eu-west-1']);
  assert.equal(r.init.versions[0], 'latest');
  assert.ok(r.init.versions.includes('3.8.0'));
  assert.equal(r.following, undefined);
});

test('loadTemplate: GetTemplateSummary plus the served YAML (patterns and constraint texts), cached per version', async () => {
  const h = harness();
  const before = emu.requests.count('cloudformation:GetTemplateSummary');
  const t = await h.send({ type: 'loadTemplate', version: '3.8.0', region: 'us-west-2' }, 'template');
  assert.equal(t.source, 'template');
  assert.equal(t.notice, undefined);
  const domain = t.spec.parameters.find((p) => p.key === 'DomainName')!;
  assert.ok(domain.allowedPattern, 'pattern from the YAML');
  assert.ok(domain.constraintDescription);
  assert.equal(t.spec.parameters.find((p) => p.key === 'OpenViduLicense')?.noEcho, true);
  assert.ok(t.spec.groups.length >= 5);
  assert.ok(Object.keys(t.spec.resources).includes('OpenViduMasterNode4'));
  await h.send({ type: 'loadTemplate', version: '3.8.0', region: 'us-west-2' }, 'template');
  assert.equal(emu.requests.count('cloudformation:GetTemplateSummary') - before, 1, 'the second load comes from the cache');
  const older = await h.send({ type: 'loadTemplate', version: '3.3.0', region: 'us-west-2' }, 'template');
  assert.ok(older.spec.parameters.some((p) => p.key === 'TurnDomainName'), '3.3.0 has the TURN pair');
});

test('loadTemplate: an unreachable template falls back to the bundled spec and says so', async () => {
  const h = harness(`${emu.endpoint}/nowhere/pro/ha-missing`);
  const t = await h.send({ type: 'loadTemplate', version: '3.7.0', region: 'us-west-2' }, 'template');
  assert.equal(t.source, 'bundled');
  assert.match(t.notice ?? '', /offline copy of version 3\.7\.0/);
  assert.ok(t.spec.parameters.some((p) => p.key === 'DomainName'));
});

test('loadFacts: VPCs, subnets public/private with zones, key pairs, certificates, offerings per zone, stack names', async () => {
  const h = harness();
  await h.send({ type: 'loadTemplate', version: '3.8.0', region: 'eu-west-1' }, 'template');
  const all = (await h.send({ type: 'loadFacts', region: 'eu-west-1', version: '3.8.0' }, 'facts')).facts;
  const vpc = all.vpcs!.find((v) => v.name === 'openvidu-vpc')!;
  assert.ok(vpc && all.vpcs!.some((v) => v.isDefault));
  const f = (await h.send({ type: 'loadFacts', region: 'eu-west-1', version: '3.8.0', vpcId: vpc.id }, 'facts')).facts;
  assert.deepEqual(f.problems, []);
  assert.ok(f.subnets!.every((s) => s.vpcId === vpc.id));
  assert.equal(f.subnets!.filter((s) => s.public && s.mapPublicIpOnLaunch).length, 3);
  assert.ok(f.subnets!.some((s) => !s.public), 'private subnets');
  assert.ok(f.subnets!.some((s) => s.public && !s.mapPublicIpOnLaunch), 'the no-auto-IP trap');
  assert.deepEqual(f.keyPairs, ['openvidu-key', 'ops-laptop']);
  assert.ok(f.certificates!.some((c) => c.status === 'PENDING_VALIDATION'));
  assert.ok(f.certificates!.some((c) => c.domainName === 'ecdsa.openvidu.example.com'), 'ECDSA certificates are listed too');
  assert.deepEqual(Object.keys(f.instanceTypesByZone!).sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.ok(f.instanceTypesByZone!['eu-west-1a'].includes('c6a.xlarge'));
  assert.ok(!f.instanceTypesByZone!['eu-west-1a'].includes('t2.large'), 'restricted to the template allowed types');
  assert.ok(!f.instanceTypesByZone!['eu-west-1c'].includes('c7i-flex.large'), 'eu-west-1c lacks c7i-flex');
});

test('a valid form creates the stack (TemplateURL, parameters, CAPABILITY_NAMED_IAM, DO_NOTHING) and follows it to CREATE_COMPLETE', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-ok');
  const review = await h.send({ type: 'review', draft }, 'reviewResult');
  assert.deepEqual(review.issues, []);
  assert.ok(review.review);
  assert.equal(review.review.rows.find((r) => r.key === 'OpenViduLicense')?.value, '****');
  assert.ok(!JSON.stringify(review.review).includes('secret-license-value'));
  assert.deepEqual(review.review.capabilities, ['CAPABILITY_NAMED_IAM']);
  assert.equal(review.review.onFailure, 'DO_NOTHING');
  assert.ok(review.review.resources.some((r) => r.logicalId === 'S3AppDataBucketResource'));

  const creates = emu.requests.count('cloudformation:CreateStack');
  const created = await h.send({ type: 'create', draft, acceptWarnings: false }, 'createResult');
  assert.equal(created.ok, true, created.message);
  assert.match(created.stackId ?? '', /^arn:aws:cloudformation:us-west-2:/);
  assert.equal(emu.requests.count('cloudformation:CreateStack'), creates + 1);
  const call = emu.requests.filter('CreateStack').at(-1)!;
  assert.equal(call.params.TemplateURL, `${emu.endpoint}/get.openvidu.io/pro/ha/3.8.0/aws/cf-openvidu-ha.yaml`);
  assert.equal(call.params.OnFailure, 'DO_NOTHING');
  assert.deepEqual(call.params.Capabilities, ['CAPABILITY_NAMED_IAM']);
  assert.deepEqual(h.effects.created, ['us-west-2/ov-wizard-ok']);
  assert.ok(!h.logs.join('\n').includes('secret-license-value'), 'secrets are never logged');

  const end = await followToEnd(h);
  assert.equal(end.status, 'CREATE_COMPLETE');
  assert.equal(end.outcome, 'complete');
  assert.ok(end.done > 30 && end.done === end.total, `${end.done}/${end.total}`);
  // the real 3.8.0 template has no LoadBalancerDNS output: the completion does not invent one
  assert.equal(end.completion?.loadBalancerDns, undefined);
  assert.match(end.completion?.secretsConsoleUrl ?? '', /secretsmanager/);
  assert.equal(end.completion?.domainName, 'openvidu.example.com');
  // events arrive once each, oldest first, and the pushes carry only new ones
  const ids = h.pushed.flatMap((p) => p.events.map((e) => e.id));
  assert.equal(new Set(ids).size, ids.length, 'no event pushed twice');
  assert.equal(h.controller.following!.events.length, ids.length);
  assert.equal(h.pushed.at(-1)!.progress.outcome, 'complete');
  assert.ok(h.pushed.some((p) => p.events.some((e) => e.logicalId === 'OpenViduMasterNode1' && e.status === 'CREATE_COMPLETE')));
  // no polling once complete
  const polls = emu.requests.count('cloudformation:DescribeStackEvents');
  await h.controller.pollProgress();
  emu.clock.advance(600_000);
  await h.controller.pollProgress();
  assert.equal(emu.requests.count('cloudformation:DescribeStackEvents'), polls);
  // completion actions
  const copy = await h.send({ type: 'copyLoadBalancerDns' }, 'done');
  assert.equal(copy.ok, false);
  assert.deepEqual(h.effects.copied, []);
  await h.send({ type: 'showNodes' }, 'done');
  assert.deepEqual(h.effects.shown, ['us-west-2/ov-wizard-ok']);
  const lk = await h.send({ type: 'copyLiveKitCredentials' }, 'done');
  assert.equal(lk.ok, false);
  // a reloaded webview gets the progress back
  const init = await h.send({ type: 'ready' }, 'init');
  assert.equal(init.following?.outcome, 'complete');
  assert.equal(init.events?.length, ids.length);
  h.controller.dispose();
});

test('each blocking check stops before CreateStack, with the error on its field', async () => {
  await createOpenViduStack(emu, { name: 'ov-taken', region: 'us-west-2' });
  const h = harness();
  const { draft, facts } = await validDraft(h, 'us-west-2', 'ov-wizard-blocked');
  const privateSubnet = facts.subnets!.find((s) => !s.public)!;
  const noAutoIp = facts.subnets!.find((s) => s.public && !s.mapPublicIpOnLaunch)!;
  const pending = facts.certificates!.find((c) => c.status === 'PENDING_VALIDATION')!;
  const other = facts.certificates!.find((c) => c.domainName === 'other-app.example.org')!;
  const cases: Array<[string, (d: DeployDraft) => void, string, RegExp]> = [
    ['missing domain', (d) => (d.values.DomainName = ''), 'DomainName', /required/],
    ['bad domain pattern', (d) => (d.values.DomainName = 'Not A Domain'), 'DomainName', /domain name/i],
    ['stack name in use', (d) => (d.stackName = 'ov-taken'), 'StackName', /already used/],
    ['stack name too long for the Lambda', (d) => (d.stackName = `a${'b'.repeat(60)}`), 'StackName', /too long/],
    ['private master subnet', (d) => (d.values.OpenViduMasterNodeSubnets = [privateSubnet.id]), 'OpenViduMasterNodeSubnets', /not public/],
    ['subnet without public IPv4', (d) => (d.values.OpenViduMediaNodeSubnets = [noAutoIp.id]), 'OpenViduMediaNodeSubnets', /public IPv4/],
    ['certificate pending validation', (d) => (d.values.OpenViduCertificateARN = pending.arn), 'OpenViduCertificateARN', /PENDING_VALIDATION/],
    ['certificate not covering the domain', (d) => (d.values.OpenViduCertificateARN = other.arn), 'OpenViduCertificateARN', /does not cover/],
    ['unknown key pair', (d) => (d.values.KeyName = 'nobody-key'), 'KeyName', /does not exist/],
    ['min above max', (d) => ((d.values.MinNumberOfMediaNodes = '4'), (d.values.MaxNumberOfMediaNodes = '2')), 'MinNumberOfMediaNodes', /greater than/],
    ['disk too small', (d) => (d.values.MasterNodesDiskSize = '10'), 'MasterNodesDiskSize', /at least/],
    ['missing license', (d) => (d.values.OpenViduLicense = ''), 'OpenViduLicense', /required|mandatory/i],
  ];
  const before = emu.requests.count('cloudformation:CreateStack');
  for (const [name, mutate, field, message] of cases) {
    const d = structuredClone(draft);
    mutate(d);
    const r = await h.send({ type: 'create', draft: d, acceptWarnings: true }, 'createResult');
    assert.equal(r.ok, false, name);
    assert.equal(r.blocked, 'errors', name);
    const issue = r.issues.find((i) => i.field === field && i.severity === 'error');
    assert.ok(issue, `${name}: no error on ${field} in ${JSON.stringify(r.issues)}`);
    assert.match(issue.message, message, name);
    const review = await h.send({ type: 'review', draft: d }, 'reviewResult');
    assert.equal(review.review, undefined, `${name}: no review with errors`);
  }
  assert.equal(emu.requests.count('cloudformation:CreateStack'), before, 'CreateStack was never called');
});

test('warnings need "Deploy anyway"; ROLLBACK when preservation is off', async () => {
  const h = harness();
  // eu-west-1 has 3 zones: fewer than the 4 master nodes → a warning on the master subnets
  const { draft } = await validDraft(h, 'eu-west-1', 'ov-wizard-warned');
  draft.preserveOnFailure = false;
  const before = emu.requests.count('cloudformation:CreateStack');
  const r = await h.send({ type: 'create', draft, acceptWarnings: false }, 'createResult');
  assert.equal(r.ok, false);
  assert.equal(r.blocked, 'warnings');
  assert.ok(r.issues.some((i) => i.field === 'OpenViduMasterNodeSubnets' && i.severity === 'warning'));
  assert.equal(emu.requests.count('cloudformation:CreateStack'), before);
  const ok = await h.send({ type: 'create', draft, acceptWarnings: true }, 'createResult');
  assert.equal(ok.ok, true, ok.message);
  assert.equal(emu.requests.filter('CreateStack').at(-1)!.params.OnFailure, 'ROLLBACK');
  h.controller.dispose();
});

test('an injected resource failure: the first failing event is the headline, with failed resources and next steps', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-fails');
  const reason = 'WaitCondition timed out. Received 0 conditions when expecting 1';
  injectStackFailure(emu.world, { stackName: 'ov-wizard-fails', logicalId: 'MasterNodesWaitCondition2', reason });
  const created = await h.send({ type: 'create', draft, acceptWarnings: false }, 'createResult');
  assert.equal(created.ok, true, created.message);
  const end = await followToEnd(h);
  assert.equal(end.outcome, 'failed');
  assert.equal(end.status, 'CREATE_FAILED', 'DO_NOTHING keeps the resources');
  assert.equal(end.failure?.headline, `MasterNodesWaitCondition2: ${reason}`);
  assert.ok(end.failure?.failedResources.some((r) => r.logicalId === 'MasterNodesWaitCondition2'));
  assert.ok(end.failure?.nextSteps.some((s) => s.includes('/var/log/cloud-init-output.log') && s.includes('(OpenViduMasterNode2)')));
  assert.ok(end.failure?.nextSteps.some((s) => /delete-stack --stack-name ov-wizard-fails/.test(s)));
  h.controller.dispose();
});

test('CreateStack refused by CloudFormation is reported, not thrown (and not retried into a second stack)', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-throttled');
  emu.faults.add({ service: 'cloudformation', action: 'CreateStack', kind: 'error', code: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]', status: 400, count: 1 } as never);
  const r = await h.send({ type: 'create', draft, acceptWarnings: true }, 'createResult');
  assert.equal(r.ok, false);
  assert.equal(r.blocked, 'aws');
  assert.match(r.message ?? '', /CAPABILITY_AUTO_EXPAND/);
  assert.equal(emu.requests.filter('CreateStack').filter((x) => x.params.StackName === 'ov-wizard-throttled').length, 1);
});

test('parameters file: export leaves NoEcho values out; import fills the form and ignores unknown and secret keys', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-file');
  let saved = '';
  const withFiles = new DeployController(
    { session: (r) => app.session(r), describeError: (e) => String(e), log: { info() {}, warn() {} }, regions: async () => ['us-west-2'], templateBaseUrl: () => `${emu.endpoint}/get.openvidu.io/pro/ha` },
    new TemplateService({ session: (r) => app.session(r), baseUrl: () => `${emu.endpoint}/get.openvidu.io/pro/ha` }),
    {
      saveParametersFile: async (text) => ((saved = text), '/tmp/x-parameters.json'),
      openParametersFile: async () => JSON.stringify([...JSON.parse(saved), { ParameterKey: 'NotAParameter', ParameterValue: 'x' }, { ParameterKey: 'OpenViduLicense', ParameterValue: 'leaked' }]),
    },
    { autoPoll: false },
  );
  const exp = (await withFiles.handle({ type: 'exportParameters', requestId: 'e1', draft })) as Extract<HostMessage, { type: 'exportResult' }>;
  assert.equal(exp.ok, true);
  assert.match(exp.message, /OpenViduLicense/);
  const file = JSON.parse(saved) as Array<{ ParameterKey: string; ParameterValue: string }>;
  assert.ok(!saved.includes('secret-license-value'));
  assert.ok(!file.some((p) => p.ParameterKey === 'OpenViduLicense'));
  assert.equal(file.find((p) => p.ParameterKey === 'OpenViduMasterNodeSubnets')?.ParameterValue, (draft.values.OpenViduMasterNodeSubnets as string[]).join(','));
  const imp = (await withFiles.handle({ type: 'importParameters', requestId: 'i1', version: '3.8.0' })) as Extract<HostMessage, { type: 'importResult' }>;
  assert.equal(imp.ok, true, imp.message);
  assert.deepEqual(imp.values?.OpenViduMasterNodeSubnets, draft.values.OpenViduMasterNodeSubnets);
  assert.equal(imp.values?.DomainName, 'openvidu.example.com');
  assert.equal(imp.values?.OpenViduLicense, undefined);
  assert.match(imp.message, /NotAParameter/);
  assert.match(imp.message, /never imported/);
  withFiles.dispose();
});

test('malformed and unknown messages are ignored and logged without their values', async () => {
  const h = harness();
  const before = emu.requests.count();
  for (const raw of [
    null,
    'create',
    { type: 'create', requestId: 'x1' },
    { type: 'create', requestId: 'x2', draft: { stackName: 'a', region: 'eu-west-1', version: '3.8.0', values: { OpenViduLicense: 'hunter2' }, preserveOnFailure: 'yes' }, acceptWarnings: true },
    { type: 'runShell', requestId: 'x3', command: 'rm -rf /' },
    { type: 'loadTemplate', requestId: 'x4', version: '../../etc', region: 'eu-west-1' },
    { type: 'loadFacts', requestId: 'bad id with spaces', region: 'eu-west-1', version: '3.8.0' },
  ]) {
    assert.equal(await h.controller.handle(raw), undefined);
  }
  assert.equal(emu.requests.count(), before, 'no AWS call for an ignored message');
  assert.equal(h.logs.length, 7);
  assert.ok(!h.logs.join('\n').includes('hunter2'));
  assert.ok(!h.logs.join('\n').includes('rm -rf'));
});

// ---- issue 12: AWS as it really is -------------------------------------------------------------------------

test('CreateStack records the template version as a stack tag and passes the user\'s tags; the review shows them', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-tags', '3.7.0');
  draft.tags = [
    { key: 'CostCenter', value: 'video-42' },
    { key: 'team', value: 'rtc' },
  ];
  const review = await h.send({ type: 'review', draft }, 'reviewResult');
  assert.deepEqual(review.issues, []);
  assert.deepEqual(review.review?.tags, [
    { key: 'CostCenter', value: 'video-42' },
    { key: 'team', value: 'rtc' },
    { key: 'openvidu-ha-vscode:template-version', value: '3.7.0' },
  ]);
  const created = await h.send({ type: 'create', draft, acceptWarnings: false }, 'createResult');
  assert.equal(created.ok, true, created.message);
  const call = emu.requests.filter('CreateStack').at(-1)!;
  assert.deepEqual(call.params.Tags, [
    { Key: 'CostCenter', Value: 'video-42' },
    { Key: 'team', Value: 'rtc' },
    { Key: 'openvidu-ha-vscode:template-version', Value: '3.7.0' },
  ]);
  // the cluster model knows the version from the first moment, not only after an update
  const cluster = await loadCluster(app.session('us-west-2'), 'ov-wizard-tags');
  assert.equal(cluster.templateVersion, '3.7.0');
  h.controller.dispose();
});

test('tags beyond CloudFormation\'s limits are refused before CreateStack, naming the row and the fix', async () => {
  const h = harness();
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-badtags');
  const creates = emu.requests.count('cloudformation:CreateStack');
  const cases: Array<[string, { key: string; value: string }[], RegExp]> = [
    ['aws: prefix', [{ key: 'aws:cost', value: 'x' }], /Tags row 1: the key "aws:cost" starts with "aws:"/],
    ['key too long', [{ key: 'k'.repeat(129), value: 'x' }], /Tags row 1: the key has 129 characters; CloudFormation allows at most 128/],
    ['value too long', [{ key: 'ok', value: 'v'.repeat(257) }], /Tags row 1: the value of "ok" has 257 characters/],
    ['empty key', [{ key: ' ', value: 'x' }], /Tags row 1: the key is empty/],
    ['too many', Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' })), /at most 49 tags/],
    ['our own key', [{ key: 'openvidu-ha-vscode:template-version', value: '1.0.0' }], /written by the extension/],
  ];
  for (const [what, tags, message] of cases) {
    const r = await h.send({ type: 'create', draft: { ...draft, tags }, acceptWarnings: true }, 'createResult');
    assert.equal(r.ok, false, what);
    assert.equal(r.blocked, 'errors', what);
    assert.ok(r.issues.some((i) => i.field === 'Tags' && message.test(i.message)), `${what}: ${JSON.stringify(r.issues)}`);
  }
  assert.equal(emu.requests.count('cloudformation:CreateStack'), creates, 'nothing was created');
  h.controller.dispose();
});

test('a stack DescribeStacks does not return yet (eventual consistency) is followed to its outputs instead of reported missing', async () => {
  const h = harness(undefined, { retryDelayMs: 1 });
  const { draft } = await validDraft(h, 'us-west-2', 'ov-wizard-lag');
  setStackReadLag(emu.world, 3);
  try {
    const created = await h.send({ type: 'create', draft, acceptWarnings: false }, 'createResult');
    assert.equal(created.ok, true, created.message);
    const end = await followToEnd(h);
    assert.equal(end.outcome, 'complete');
    assert.equal(end.completion?.domainName, 'openvidu.example.com');
    assert.match(end.completion?.secretsConsoleUrl ?? '', /secretsmanager/);
    assert.ok(!h.logs.some((l) => /does not exist/.test(l)), h.logs.join('\n'));
  } finally {
    setStackReadLag(emu.world, 0);
    h.controller.dispose();
  }
});

test('openviduHa.templateBaseUrl accepts only S3 URL forms (or the endpoint path-style) and says how to fix it', () => {
  try {
    fake.setSetting('openviduHa.endpoint', '');
    for (const ok of ['https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha', 'https://my-mirror.s3.us-east-1.amazonaws.com/openvidu/pro/ha/', 'https://s3.amazonaws.com/my-mirror/pro/ha']) {
      fake.setSetting('openviduHa.templateBaseUrl', ok);
      assert.equal(templateBaseUrl(), ok.replace(/\/$/, ''));
    }
    fake.setSetting('openviduHa.templateBaseUrl', '');
    assert.equal(templateBaseUrl(), 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha');
    for (const bad of ['https://example.com/openvidu/pro/ha', 'http://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha', 'https://mirror.s3-website-eu-west-1.amazonaws.com/pro/ha', `${emu.endpoint}/get.openvidu.io/pro/ha`]) {
      fake.setSetting('openviduHa.templateBaseUrl', bad);
      assert.throws(() => templateBaseUrl(), (e: Error) => /openviduHa\.templateBaseUrl/.test(e.message) && /S3 mirror of the templates/.test(e.message) && e.message.includes(bad), bad);
    }
    // with the endpoint setting (the emulator, LocalStack), path-style on that endpoint is S3
    fake.setSetting('openviduHa.endpoint', emu.endpoint);
    fake.setSetting('openviduHa.templateBaseUrl', `${emu.endpoint}/get.openvidu.io/pro/ha`);
    assert.equal(templateBaseUrl(), `${emu.endpoint}/get.openvidu.io/pro/ha`);
    fake.setSetting('openviduHa.templateBaseUrl', emu.endpoint);
    assert.throws(() => templateBaseUrl(), /names no bucket/);
  } finally {
    fake.setSetting('openviduHa.templateBaseUrl', undefined);
    fake.setSetting('openviduHa.endpoint', emu.endpoint);
  }
});

test('a region outside the commercial partition: an error on Region, before anything is sent, unless a template mirror is set (issue 12, item 9)', async () => {
  const { draft } = await validDraft(harness(), 'eu-west-1', 'ov-wizard-china');
  const { DEFAULT_TEMPLATE_BASE_URL } = await import('../../src/openvidu/spec');
  const h = harness(DEFAULT_TEMPLATE_BASE_URL);
  const before = emu.requests.count('cloudformation:CreateStack');
  for (const region of ['cn-north-1', 'us-gov-west-1']) {
    const d = { ...structuredClone(draft), region };
    const review = await h.send({ type: 'review', draft: d }, 'reviewResult');
    assert.equal(review.review, undefined);
    const issue = review.issues.find((i) => i.field === 'Region' && i.severity === 'error');
    assert.match(issue?.message ?? JSON.stringify(review.issues), new RegExp(`OpenVidu publishes no CloudFormation template for the .* partition \\(aws-(cn|us-gov), region ${region}\\).*openviduHa\\.templateBaseUrl`));
    const r = await h.send({ type: 'create', draft: d, acceptWarnings: true }, 'createResult');
    assert.equal(r.blocked, 'errors');
  }
  assert.equal(emu.requests.count('cloudformation:CreateStack'), before, 'CreateStack was never called');
  // with a mirror configured (the emulator's), the partition is the user's call: no such error
  const mirrored = await harness().send({ type: 'review', draft: { ...structuredClone(draft), region: 'cn-north-1' } }, 'reviewResult');
  assert.ok(!mirrored.issues.some((i) => i.field === 'Region'), JSON.stringify(mirrored.issues));
});
