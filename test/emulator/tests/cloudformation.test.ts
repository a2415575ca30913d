/**
 * The emulator's CloudFormation module through the real `@aws-sdk/client-cloudformation` client: templates,
 * validation errors, the OpenVidu stack simulation over simulated time (create, failures, rollback, delete),
 * change sets and updates, pagination, and the demo world.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  GetTemplateSummaryCommand,
  ListChangeSetsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  ListStacksCommandOutput,
  Parameter,
  ResourceChange,
  Stack,
  StackEvent,
  UpdateStackCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { startEmulator, Emulator } from '../server';
import { injectStackFailure } from '../openvidu-stack';
import { TEMPLATE_VERSIONS, templateSummary } from '../templates';
import { setStackReadLag } from '../services/cloudformation';
import { clientConfig } from '../clientConfig';

const REGION = 'eu-west-1';
const MIN = 60_000;

let emu: Emulator;
let cfn: CloudFormationClient;
let templateUrl: string;
let base: Record<string, string>;

before(async () => {
  emu = await startEmulator();
  cfn = new CloudFormationClient(clientConfig(emu, REGION));
  templateUrl = `${emu.endpoint}/get.openvidu.io/pro/ha/latest/aws/cf-openvidu-ha.yaml`;
  const r = emu.world.region(REGION);
  const vpc = r.vpcs.find((v) => v.tags.Name === 'openvidu-vpc')!;
  const publicSubnets = r.subnets.filter((s) => s.vpcId === vpc.vpcId && s.mapPublicIpOnLaunch).map((s) => s.subnetId);
  const cert = r.certificates.find((c) => c.status === 'ISSUED' && c.domainName === 'openvidu.example.com')!;
  base = {
    DomainName: 'openvidu.example.com',
    OpenViduCertificateARN: cert.arn,
    OpenViduLicense: 'TEST-LICENSE',
    KeyName: r.keyPairs[0].keyName,
    OpenViduVPC: vpc.vpcId,
    OpenViduMasterNodeSubnets: publicSubnets.join(','),
    OpenViduMediaNodeSubnets: publicSubnets.join(','),
    S3AppDataBucketName: '',
    S3ClusterDataBucketName: '',
  };
});
after(async () => {
  await emu.stop();
});

function params(over: Record<string, string | undefined> = {}): Parameter[] {
  const merged: Record<string, string | undefined> = { ...base, ...over };
  return Object.entries(merged)
    .filter(([, v]) => v !== undefined)
    .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
}

async function create(name: string, over: Record<string, string | undefined> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  const out = await cfn.send(
    new CreateStackCommand({ StackName: name, TemplateURL: templateUrl, Parameters: params(over), Capabilities: ['CAPABILITY_NAMED_IAM'], ...extra }),
  );
  return out.StackId!;
}

async function describe1(name: string): Promise<Stack> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
}

/** Advances simulated time in steps until the stack leaves its *_IN_PROGRESS state. */
async function settle(name: string, maxMinutes = 120, stepMinutes = 5): Promise<Stack> {
  for (let m = 0; m <= maxMinutes; m += stepMinutes) {
    const s = await describe1(name);
    if (!/IN_PROGRESS$/.test(s.StackStatus!)) return s;
    emu.clock.advance(stepMinutes * MIN);
  }
  throw new Error(`${name} still in progress after ${maxMinutes} simulated minutes`);
}

async function allEvents(name: string): Promise<StackEvent[]> {
  const out: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: name, NextToken: token }));
    out.push(...page.StackEvents!);
    token = page.NextToken;
  } while (token);
  return out;
}

async function rejects(p: Promise<unknown>, name: string, message: string | RegExp, status = 400): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

function instancesOf(stackName: string) {
  return [...emu.world.region(REGION).instances.values()].filter((i) => i.tags['aws:cloudformation:stack-name'] === stackName);
}

const customTags = ['Ref', 'Sub', 'GetAtt', 'If', 'Equals', 'Not', 'Select', 'FindInMap', 'Join', 'Base64', 'And', 'Or', 'Split', 'GetAZs', 'ImportValue', 'Condition'].flatMap((t) => [
  { tag: `!${t}`, resolve: (v: unknown) => ({ [`Fn::${t}`]: v }) },
  { tag: `!${t}`, collection: 'seq' as const, resolve: (v: { toJSON(): unknown }) => ({ [`Fn::${t}`]: v.toJSON() }) },
  { tag: `!${t}`, collection: 'map' as const, resolve: (v: { toJSON(): unknown }) => ({ [`Fn::${t}`]: v.toJSON() }) },
]);

describe('templates', () => {
  test('every version is served over HTTP, parses with the yaml package (short tags) and matches its summary', async () => {
    for (const v of [...TEMPLATE_VERSIONS, 'latest']) {
      const res = await fetch(`${emu.endpoint}/get.openvidu.io/pro/ha/${v}/aws/cf-openvidu-ha.yaml`);
      assert.equal(res.status, 200, v);
      const text = await res.text();
      assert.match(text, /!Ref /);
      assert.match(text, /!Sub /);
      assert.match(text, /!GetAtt /);
      assert.match(text, /!If/);
      const doc = YAML.parseDocument(text, { customTags });
      assert.deepEqual(doc.errors, [], v);
      const t = doc.toJSON() as {
        Description: string;
        Parameters: Record<string, { Type: string; AllowedPattern?: string; ConstraintDescription?: string; MinValue?: number; NoEcho?: boolean }>;
        Resources: Record<string, { Type: string }>;
        Metadata: { 'AWS::CloudFormation::Interface': { ParameterGroups: { Label: { default: string }; Parameters: string[] }[] } };
        Outputs: Record<string, unknown>;
      };
      assert.equal(t.Description, 'OpenVidu Pro - High Availability');
      assert.equal(t.Parameters.MasterNodesDiskSize.MinValue, 50);
      assert.equal(t.Parameters.OpenViduLicense.NoEcho, true);
      assert.equal(t.Parameters.DomainName.ConstraintDescription, 'The domain name does not have a valid domain name format');
      assert.equal(t.Resources.OpenViduMasterNode4.Type, 'AWS::EC2::Instance');
      assert.ok(t.Metadata['AWS::CloudFormation::Interface'].ParameterGroups[0].Label.default);
      assert.ok('ServicesAndCredentials' in t.Outputs);
      if (v === '3.2.0') assert.ok('AmiId' in t.Parameters && 'TurnDomainName' in t.Parameters);
      if (v === 'latest') assert.ok('OperatingSystem' in t.Parameters && !('TurnDomainName' in t.Parameters));
    }
    const missing = await fetch(`${emu.endpoint}/get.openvidu.io/pro/ha/9.9.9/aws/cf-openvidu-ha.yaml`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /NoSuchKey/);
  });

  test('GetTemplateSummary by TemplateURL (emulator and real S3 URLs) and by StackName', async () => {
    for (const url of [templateUrl, 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/3.8.0/aws/cf-openvidu-ha.yaml']) {
      const s = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url }));
      assert.equal(s.Description, 'OpenVidu Pro - High Availability');
      assert.deepEqual(s.Capabilities, ['CAPABILITY_NAMED_IAM']);
      assert.match(s.CapabilitiesReason!, /AWS::IAM::Role/);
      assert.equal(s.Version, '2010-09-09');
      assert.ok(s.ResourceTypes!.includes('AWS::AutoScaling::AutoScalingGroup'));
      const p = Object.fromEntries(s.Parameters!.map((x) => [x.ParameterKey, x]));
      assert.equal(p.OpenViduLicense.NoEcho, true);
      assert.equal(p.DomainName.DefaultValue, undefined);
      assert.equal(p.InitialNumberOfMediaNodes.DefaultValue, '1');
      assert.equal(p.KeyName.ParameterType, 'AWS::EC2::KeyPair::KeyName');
      assert.equal(p.OpenViduMasterNodeSubnets.ParameterType, 'List<AWS::EC2::Subnet::Id>');
      assert.deepEqual(p.RTCEngine.ParameterConstraints?.AllowedValues, ['pion', 'mediasoup']);
      assert.equal(p.RTCEngine.Description, 'RTCEngine media engine to use');
      const meta = JSON.parse(s.Metadata!) as { 'AWS::CloudFormation::Interface': { ParameterGroups: { Label: { default: string }; Parameters: string[] }[] } };
      const groups = meta['AWS::CloudFormation::Interface'].ParameterGroups;
      assert.equal(groups[0].Label.default, 'Domain and Load Blancer configuration');
      assert.deepEqual(groups[0].Parameters, ['DomainName', 'OpenViduCertificateARN']);
    }
    const old = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/3.2.0/aws/cf-openvidu-ha.yaml' }));
    assert.ok(old.Parameters!.some((x) => x.ParameterKey === 'TurnDomainName'));
    const v = await cfn.send(new ValidateTemplateCommand({ TemplateURL: templateUrl }));
    assert.deepEqual(v.Capabilities, ['CAPABILITY_NAMED_IAM']);
  });

  test('GetTemplateSummary rejects unsupported URLs', async () => {
    await rejects(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'ftp://example.com/x.yaml' })), 'ValidationError', 'TemplateURL must be a supported URL.');
    await rejects(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'https://example.com/other/template.yaml' })), 'ValidationError', 'TemplateURL must be an Amazon S3 URL.');
    await rejects(
      cfn.send(new GetTemplateSummaryCommand({ TemplateURL: `${emu.endpoint}/get.openvidu.io/pro/ha/9.9.9/aws/cf-openvidu-ha.yaml` })),
      'ValidationError',
      'TemplateURL must reference a valid S3 object to which you have access.',
    );
    await rejects(cfn.send(new GetTemplateSummaryCommand({})), 'ValidationError', 'Either Template URL or Template Body must be specified.');
    await rejects(cfn.send(new GetTemplateSummaryCommand({ StackName: 'nope' })), 'ValidationError', 'Stack with id nope does not exist');
  });
});

describe('CreateStack validation', () => {
  const cases: [string, () => Promise<unknown>, string, string | RegExp][] = [
    ['invalid name', () => create('bad_name'), 'ValidationError', /Value 'bad_name' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
    ['name starting with a digit', () => create('1stack'), 'ValidationError', /at 'stackName' failed to satisfy constraint/],
    ['missing parameters', () => create('v-missing', { DomainName: undefined, KeyName: undefined }), 'ValidationError', 'Parameters: [DomainName, KeyName] must have values'],
    ['unknown parameter', () => create('v-unknown', { TurnDomainName: 'turn.example.com' }), 'ValidationError', 'Parameters: [TurnDomainName] do not exist in the template'],
    ['AllowedValues', () => create('v-allowed', { RTCEngine: 'webrtc' }), 'ValidationError', "Parameter 'RTCEngine' must be one of AllowedValues"],
    ['instance type AllowedValues', () => create('v-type', { MasterNodeInstanceType: 'x9.huge' }), 'ValidationError', "Parameter 'MasterNodeInstanceType' must be one of AllowedValues"],
    [
      'AllowedPattern',
      () => create('v-domain', { DomainName: 'Not A Domain' }),
      'ValidationError',
      "Parameter 'DomainName' failed to satisfy constraint: The domain name does not have a valid domain name format",
    ],
    ['empty license', () => create('v-license', { OpenViduLicense: '' }), 'ValidationError', "Parameter 'OpenViduLicense' failed to satisfy constraint: OpenVidu Pro License is mandatory"],
    ['MinValue', () => create('v-disk', { MasterNodesDiskSize: '20' }), 'ValidationError', "Parameter 'MasterNodesDiskSize' failed to satisfy constraint: The disk size must be at least 50 GB"],
    ['not a number', () => create('v-num', { InitialNumberOfMediaNodes: 'two' }), 'ValidationError', "Parameter 'InitialNumberOfMediaNodes' must be a number"],
    [
      'key pair not in region',
      () => create('v-key', { KeyName: 'no-such-key' }),
      'ValidationError',
      'Parameter validation failed: parameter value no-such-key for parameter name KeyName does not exist. Rollback requested by user.',
    ],
    [
      'VPC not in region',
      () => create('v-vpc', { OpenViduVPC: 'vpc-0123456789abcdef0' }),
      'ValidationError',
      'Parameter validation failed: parameter value vpc-0123456789abcdef0 for parameter name OpenViduVPC does not exist. Rollback requested by user.',
    ],
    [
      'subnet not in region',
      () => create('v-subnet', { OpenViduMediaNodeSubnets: 'subnet-0aaaaaaaaaaaaaaaa' }),
      'ValidationError',
      'Parameter validation failed: parameter value subnet-0aaaaaaaaaaaaaaaa for parameter name OpenViduMediaNodeSubnets does not exist. Rollback requested by user.',
    ],
    ['missing capability', () => create('v-caps', {}, { Capabilities: [] }), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]'],
    ['wrong capability', () => create('v-caps2', {}, { Capabilities: ['CAPABILITY_IAM'] }), 'InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]'],
    ['template URL not in S3', () => create('v-url', {}, { TemplateURL: 'https://example.com/t.yaml' }), 'ValidationError', 'TemplateURL must be an Amazon S3 URL.'],
    ['OnFailure with DisableRollback', () => create('v-both', {}, { OnFailure: 'DELETE', DisableRollback: true }), 'ValidationError', 'You cannot specify both OnFailure and DisableRollback.'],
  ];
  for (const [label, run, name, message] of cases) {
    test(label, async () => {
      await rejects(run(), name, message);
    });
  }

  test('nothing is created by a rejected request; an existing name is AlreadyExistsException', async () => {
    const r = emu.world.region(REGION);
    assert.ok(!r.stacks.some((s) => s.stackName.startsWith('v-')));
    await create('dup-stack');
    await rejects(create('dup-stack'), 'AlreadyExistsException', 'Stack [dup-stack] already exists');
    await cfn.send(new DeleteStackCommand({ StackName: 'dup-stack' }));
  });

  test('the real S3 template URL is accepted by CreateStack', async () => {
    const id = await create('real-url', {}, { TemplateURL: 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/3.8.0/aws/cf-openvidu-ha.yaml' });
    assert.match(id, /^arn:aws:cloudformation:eu-west-1:123456789012:stack\/real-url\/[0-9a-f-]{36}$/);
    await cfn.send(new DeleteStackCommand({ StackName: 'real-url' }));
  });
});

describe('stack lifecycle', () => {
  test('a create walks through realistic events to CREATE_COMPLETE with masters, secret, ASG and outputs', async () => {
    const name = 'ov-full';
    const stackId = await create(name, { InitialNumberOfMediaNodes: '2', MasterNodeInstanceType: 'c6a.large' });
    const region = emu.world.region(REGION);
    let s = await describe1(name);
    assert.equal(s.StackStatus, 'CREATE_IN_PROGRESS');
    assert.equal(s.StackId, stackId);
    assert.equal(s.Parameters!.find((p) => p.ParameterKey === 'OpenViduLicense')!.ParameterValue, '****');
    assert.equal(s.Parameters!.find((p) => p.ParameterKey === 'RTCEngine')!.ParameterValue, 'pion');

    // after a minute: the secret exists with every value "none"
    emu.clock.advance(1 * MIN);
    s = await describe1(name);
    const secret = () => JSON.parse(region.secrets.get(`openvidu-ha-${REGION}-${name}`)!.secretString) as Record<string, string>;
    assert.equal(secret().ALL_SECRETS_GENERATED, 'false');
    assert.equal(secret().LIVEKIT_API_KEY, 'none');

    // ~10 minutes in: master 1 has signalled, credentials generated; later masters not yet there
    emu.clock.advance(9 * MIN);
    s = await describe1(name);
    assert.equal(s.StackStatus, 'CREATE_IN_PROGRESS');
    const gen = secret();
    assert.equal(gen.ALL_SECRETS_GENERATED, 'true');
    assert.equal(gen.DOMAIN_NAME, 'openvidu.example.com');
    assert.equal(gen.OPENVIDU_URL, 'https://openvidu.example.com/');
    assert.equal(gen.LIVEKIT_URL, 'wss://openvidu.example.com/');
    assert.match(gen.LIVEKIT_API_KEY, /^API[A-Za-z0-9]{12}$/);
    assert.ok(gen.LIVEKIT_API_SECRET.length >= 40);
    assert.equal(gen.OPENVIDU_PRO_LICENSE, 'TEST-LICENSE');
    assert.equal(gen.OPENVIDU_VERSION, '3.8.0');
    assert.equal(gen.MASTER_NODE_1_PRIVATE_IP, instancesOf(name).find((i) => i.tags['aws:cloudformation:logical-id'] === 'OpenViduMasterNode1')!.privateIpAddress);
    assert.ok(instancesOf(name).length < 4);

    s = await settle(name);
    assert.equal(s.StackStatus, 'CREATE_COMPLETE');
    const elapsed = (await allEvents(name)).map((e) => e.Timestamp!.getTime());
    const minutes = (Math.max(...elapsed) - Math.min(...elapsed)) / MIN;
    assert.ok(minutes >= 24 && minutes <= 32, `create took ${minutes} simulated minutes`);

    // outputs
    const outputs = Object.fromEntries(s.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.equal(outputs.ServicesAndCredentials, `https://${REGION}.console.aws.amazon.com/secretsmanager/home?region=${REGION}#/secret?name=openvidu-ha-${REGION}-${name}`);
    // only the outputs the real 3.8.0 template declares (no LoadBalancerDNS)
    assert.deepEqual(Object.keys(outputs), ['ServicesAndCredentials']);

    // masters: tags, subnets round-robin, instance type, roles
    const subnets = base.OpenViduMasterNodeSubnets.split(',');
    const masters = instancesOf(name).filter((i) => /Master Node/.test(i.tags.Name));
    assert.equal(masters.length, 4);
    for (let n = 1; n <= 4; n++) {
      const m = masters.find((i) => i.tags['aws:cloudformation:logical-id'] === `OpenViduMasterNode${n}`)!;
      assert.equal(m.tags.Name, `${name} - OpenVidu HA - Master Node ${n}`);
      assert.equal(m.tags['aws:cloudformation:stack-name'], name);
      assert.equal(m.tags['aws:cloudformation:stack-id'], stackId);
      assert.equal(m.subnetId, subnets[(n - 1) % subnets.length]);
      assert.equal(m.instanceType, 'c6a.large');
      assert.equal(m.keyName, base.KeyName);
      assert.equal(m.ssmRegistered, false);
      assert.match(m.iamInstanceProfileArn!, /:instance-profile\/OpenViduMasterInstanceProfile-eu-west-1-ov-full$/);
      assert.equal(m.node?.kind, 'master');
    }
    const secretNow = secret();
    for (let n = 1; n <= 4; n++) assert.equal(secretNow[`MASTER_NODE_${n}_PRIVATE_IP`], masters.find((i) => i.tags['aws:cloudformation:logical-id'] === `OpenViduMasterNode${n}`)!.privateIpAddress);

    // the media ASG and its instances
    const asg = region.asgs.get(`openvidu-ha-media-asg-${REGION}-${name}`)!;
    assert.ok(asg);
    assert.equal(asg.desiredCapacity, 2);
    assert.equal(asg.minSize, 1);
    assert.equal(asg.maxSize, 5);
    assert.equal(asg.drainSeconds, 3600);
    assert.equal(asg.tags.Name, `${name} - OpenVidu HA - Media Node`);
    assert.equal(asg.tags['aws:cloudformation:logical-id'], 'OpenViduMediaNodeASG');
    const media = instancesOf(name).filter((i) => i.tags['aws:cloudformation:logical-id'] === 'OpenViduMediaNodeASG');
    assert.equal(media.length, 2);
    for (const m of media) {
      assert.equal(m.tags.Name, `${name} - OpenVidu HA - Media Node`);
      assert.equal(m.ssmRegistered, true);
    }

    // IAM roles, the Lambda log group
    assert.deepEqual(emu.world.iam.roles.get(`OpenViduMediaNodeRole-${REGION}-${name}`)!.attachedPolicyArns, ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    assert.deepEqual(emu.world.iam.roles.get(`OpenViduMasterNodeRole-${REGION}-${name}`)!.attachedPolicyArns, []);
    const logs = region.logGroups.get(`/aws/lambda/SubnetProcessor-${REGION}-${name}`)!;
    assert.ok(logs.events.some((e) => e.message.startsWith('START RequestId')));
    assert.ok(logs.events.some((e) => e.message.startsWith('REPORT RequestId')));

    // events: newest first, the stack's own first and last, masters strictly one after another
    const events = await allEvents(name);
    for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].Timestamp!.getTime() >= events[i].Timestamp!.getTime());
    assert.equal(events[0].LogicalResourceId, name);
    assert.equal(events[0].ResourceStatus, 'CREATE_COMPLETE');
    assert.equal(events.at(-1)!.ResourceStatus, 'CREATE_IN_PROGRESS');
    assert.equal(events.at(-1)!.ResourceStatusReason, 'User Initiated');
    assert.equal(events.at(-1)!.ResourceType, 'AWS::CloudFormation::Stack');
    const when = (id: string, status: string) => events.find((e) => e.LogicalResourceId === id && e.ResourceStatus === status)!.Timestamp!.getTime();
    for (let n = 1; n < 4; n++) assert.ok(when(`MasterNodesWaitCondition${n}`, 'CREATE_COMPLETE') <= when(`OpenViduMasterNode${n + 1}`, 'CREATE_IN_PROGRESS'));
    assert.ok(when('MasterNodesWaitCondition4', 'CREATE_COMPLETE') < when('LoadBalancer', 'CREATE_IN_PROGRESS'));
    assert.ok(when('OpenViduSharedInfo', 'CREATE_COMPLETE') < when('OpenViduMasterNode1', 'CREATE_IN_PROGRESS'));
    assert.ok(events.some((e) => e.LogicalResourceId === 'S3AppDataBucketResource' && e.ResourceStatus === 'CREATE_COMPLETE'));
    assert.ok(events.some((e) => e.ResourceStatusReason === 'Resource creation Initiated'));
    // more than one page of events
    const first = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
    assert.equal(first.StackEvents!.length, 100);
    assert.ok(first.NextToken);

    // resources
    const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: name }));
    assert.equal(res.StackResources!.length, 68);
    assert.ok(res.StackResources!.every((r) => r.ResourceStatus === 'CREATE_COMPLETE'));
    const m1 = await cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'OpenViduMasterNode1' }));
    assert.match(m1.StackResourceDetail!.PhysicalResourceId!, /^i-0[0-9a-f]{16}$/);
    assert.equal(m1.StackResourceDetail!.ResourceType, 'AWS::EC2::Instance');
    const byPhysical = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: m1.StackResourceDetail!.PhysicalResourceId }));
    assert.equal(byPhysical.StackResources![0].StackName, name);
    const byLogical = await cfn.send(new DescribeStackResourcesCommand({ StackName: name, LogicalResourceId: 'OpenViduMediaNodeASG' }));
    assert.equal(byLogical.StackResources![0].PhysicalResourceId, `openvidu-ha-media-asg-${REGION}-${name}`);
    await rejects(cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'Nope' })), 'ValidationError', `Resource Nope does not exist for stack ${name}`);
    const listed = await cfn.send(new ListStackResourcesCommand({ StackName: name }));
    assert.equal(listed.StackResourceSummaries!.length, 68);

    // the template of the stack
    const tpl = await cfn.send(new GetTemplateCommand({ StackName: name }));
    assert.match(tpl.TemplateBody!, /AWSTemplateFormatVersion/);
    const summary = await cfn.send(new GetTemplateSummaryCommand({ StackName: name }));
    assert.equal(summary.Parameters!.length, 21);
  });

  test('buckets given as parameters are not created; OnFailure defaults to ROLLBACK', async () => {
    await create('ov-buckets', { S3AppDataBucketName: 'my-app-bucket', S3ClusterDataBucketName: 'my-cluster-bucket' });
    emu.clock.advance(2 * MIN);
    const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'ov-buckets' }));
    assert.ok(!res.StackResources!.some((r) => r.ResourceType === 'AWS::S3::Bucket'));
    const s = await describe1('ov-buckets');
    assert.equal(s.DisableRollback, false);
    await cfn.send(new DeleteStackCommand({ StackName: 'ov-buckets' }));
  });

  test('an injected WaitCondition timeout with OnFailure DO_NOTHING stops at CREATE_FAILED and keeps masters 1–3', async () => {
    const name = 'ov-wait-fail';
    injectStackFailure(emu.world, { stackName: name, logicalId: 'MasterNodesWaitCondition3' });
    await create(name, {}, { OnFailure: 'DO_NOTHING' });
    const s = await settle(name);
    assert.equal(s.StackStatus, 'CREATE_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [MasterNodesWaitCondition3]. ');
    const events = await allEvents(name);
    const failed = events.find((e) => e.LogicalResourceId === 'MasterNodesWaitCondition3' && e.ResourceStatus === 'CREATE_FAILED')!;
    assert.equal(failed.ResourceStatusReason, 'WaitCondition timed out. Received 0 conditions when expecting 1');
    const started = events.filter((e) => e.LogicalResourceId === 'MasterNodesWaitCondition3' && e.ResourceStatus === 'CREATE_IN_PROGRESS').at(-1)!;
    assert.equal(failed.Timestamp!.getTime() - started.Timestamp!.getTime(), 20 * MIN);
    const masters = instancesOf(name).filter((i) => i.state !== 'terminated');
    assert.deepEqual(masters.map((i) => i.tags['aws:cloudformation:logical-id']).sort(), ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3']);
    assert.ok(!events.some((e) => e.LogicalResourceId === 'OpenViduMasterNode4'));
    assert.equal(JSON.parse(emu.world.region(REGION).secrets.get(`openvidu-ha-${REGION}-${name}`)!.secretString).ALL_SECRETS_GENERATED, 'true');
    const res = await cfn.send(new DescribeStackResourcesCommand({ StackName: name }));
    assert.ok(res.StackResources!.some((r) => r.LogicalResourceId === 'OpenViduMasterNode3' && r.ResourceStatus === 'CREATE_COMPLETE'));
  });

  test('the same failure with ROLLBACK deletes everything in reverse and ends ROLLBACK_COMPLETE', async () => {
    const name = 'ov-rollback';
    injectStackFailure(emu.world, { stackName: name, logicalId: 'MasterNodesWaitCondition3' });
    await create(name);
    const s = await settle(name);
    assert.equal(s.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await allEvents(name);
    const rb = events.find((e) => e.LogicalResourceId === name && e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    assert.equal(rb.ResourceStatusReason, 'The following resource(s) failed to create: [MasterNodesWaitCondition3]. Rollback requested by user.');
    assert.ok(instancesOf(name).every((i) => i.state === 'terminated' || i.state === 'shutting-down'));
    assert.ok(!emu.world.region(REGION).secrets.has(`openvidu-ha-${REGION}-${name}`));
    assert.ok(!emu.world.iam.roles.has(`OpenViduMasterNodeRole-${REGION}-${name}`));
    // reverse order: master 3 goes before master 1, the secret last-ish
    const del = (id: string) => events.find((e) => e.LogicalResourceId === id && e.ResourceStatus === 'DELETE_COMPLETE')!.Timestamp!.getTime();
    assert.ok(del('OpenViduMasterNode3') < del('OpenViduMasterNode1'));
    assert.ok(del('OpenViduMasterNode1') < del('OpenViduSharedInfo'));
    assert.ok(events.some((e) => e.LogicalResourceId === 'S3AppDataBucketResource' && e.ResourceStatus === 'DELETE_SKIPPED'));
    // a stack in ROLLBACK_COMPLETE cannot be updated, only deleted
    await rejects(
      cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] })),
      'ValidationError',
      /is in ROLLBACK_COMPLETE state and can not be updated/,
    );
  });

  test('OnFailure DELETE deletes the stack after a certificate failure on the TLS listener', async () => {
    const name = 'ov-bad-cert';
    const pending = emu.world.region(REGION).certificates.find((c) => c.status === 'PENDING_VALIDATION')!;
    await create(name, { OpenViduCertificateARN: pending.arn }, { OnFailure: 'DELETE' });
    emu.clock.advance(60 * MIN);
    await rejects(describe1(name), 'ValidationError', `Stack with id ${name} does not exist`);
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    const summary = listed.StackSummaries!.find((x) => x.StackName === name)!;
    const events = await allEvents(summary.StackId!);
    const failed = events.filter((e) => e.ResourceStatus === 'CREATE_FAILED' && e.ResourceType === 'AWS::ElasticLoadBalancingV2::Listener');
    assert.ok(failed.some((e) => e.ResourceStatusReason!.includes(`Certificate ARN '${pending.arn}' is not valid`)));
    assert.ok(events.some((e) => e.LogicalResourceId === name && e.ResourceStatus === 'DELETE_IN_PROGRESS' && /Delete requested by user/.test(e.ResourceStatusReason ?? '')));
  });

  test('a stack name too long for the Lambda fails late on SubnetProcessorFunction', async () => {
    const name = 'openvidu-production-cluster-for-the-whole-company';
    await create(name, {}, { OnFailure: 'DO_NOTHING' });
    const s = await settle(name);
    assert.equal(s.StackStatus, 'CREATE_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [SubnetProcessorFunction]. ');
    const events = await allEvents(name);
    const failed = events.find((e) => e.LogicalResourceId === 'SubnetProcessorFunction' && e.ResourceStatus === 'CREATE_FAILED')!;
    assert.match(failed.ResourceStatusReason!, /Value 'SubnetProcessor-eu-west-1-openvidu-production-cluster-for-the-whole-company' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64/);
    assert.ok(events.some((e) => e.ResourceStatusReason === 'Resource creation cancelled'));
  });

  test('private master subnets time out master 1', async () => {
    const r = emu.world.region(REGION);
    const vpc = base.OpenViduVPC;
    const priv = r.subnets.filter((s) => s.vpcId === vpc && !s.mapPublicIpOnLaunch).map((s) => s.subnetId);
    await create('ov-private', { OpenViduMasterNodeSubnets: priv.join(',') }, { DisableRollback: true });
    const s = await settle('ov-private');
    assert.equal(s.StackStatus, 'CREATE_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [MasterNodesWaitCondition1]. ');
  });

  test('delete: reverse order, buckets retained (DELETE_SKIPPED), secret and instances gone; deleted stacks only by id', async () => {
    const name = 'ov-delete';
    const stackId = await create(name);
    await settle(name);
    const region = emu.world.region(REGION);
    assert.ok(region.secrets.has(`openvidu-ha-${REGION}-${name}`));
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    let s = await describe1(name);
    assert.equal(s.StackStatus, 'DELETE_IN_PROGRESS');
    emu.clock.advance(20 * MIN);
    await rejects(describe1(name), 'ValidationError', `Stack with id ${name} does not exist`);
    s = (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks![0];
    assert.equal(s.StackStatus, 'DELETE_COMPLETE');
    assert.ok(s.DeletionTime);
    const events = await allEvents(stackId);
    const skipped = events.filter((e) => e.ResourceStatus === 'DELETE_SKIPPED').map((e) => e.LogicalResourceId).sort();
    assert.deepEqual(skipped, ['S3AppDataBucketResource', 'S3ClusterDataBucketResource']);
    assert.equal(events[0].ResourceStatus, 'DELETE_COMPLETE');
    assert.equal(events[0].LogicalResourceId, name);
    assert.ok(!region.secrets.has(`openvidu-ha-${REGION}-${name}`));
    assert.ok(!region.asgs.has(`openvidu-ha-media-asg-${REGION}-${name}`));
    assert.ok(!region.logGroups.has(`/aws/lambda/SubnetProcessor-${REGION}-${name}`));
    emu.clock.advance(MIN);
    await describe1('ov-full');
    assert.ok(instancesOf(name).every((i) => i.state === 'terminated'));
    const all = await cfn.send(new DescribeStacksCommand({}));
    assert.ok(!all.Stacks!.some((x) => x.StackName === name));
    const del = (id: string) => events.find((e) => e.LogicalResourceId === id && e.ResourceStatus === 'DELETE_COMPLETE')!.Timestamp!.getTime();
    assert.ok(del('OpenViduMediaNodeASG') < del('OpenViduMasterNode4'));
    assert.ok(del('OpenViduMasterNode4') < del('OpenViduMasterNode1'));
    // deleting again (or a stack that never existed) succeeds silently, as on AWS
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    await cfn.send(new DeleteStackCommand({ StackName: 'never-existed' }));
    // the name can be reused
    const again = await create(name);
    assert.notEqual(again, stackId);
  });

  test('an injected delete failure ends DELETE_FAILED; retrying with RetainResources completes', async () => {
    const name = 'ov-delete-fail';
    await create(name);
    await settle(name);
    await rejects(
      cfn.send(new DeleteStackCommand({ StackName: name, RetainResources: ['OpenViduMasterNodeSG'] })),
      'ValidationError',
      'Invalid operation on stack. The resources to retain can only be specified when the stack is in the DELETE_FAILED state.',
    );
    injectStackFailure(emu.world, { stackName: name, logicalId: 'OpenViduMasterNodeSG', operation: 'delete', reason: 'resource sg-0abc has a dependent object' });
    await cfn.send(new DeleteStackCommand({ StackName: name }));
    const s = await settle(name);
    assert.equal(s.StackStatus, 'DELETE_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to delete: [OpenViduMasterNodeSG]. ');
    const res = await cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'OpenViduMasterNodeSG' }));
    assert.equal(res.StackResourceDetail!.ResourceStatus, 'DELETE_FAILED');
    assert.equal(res.StackResourceDetail!.ResourceStatusReason, 'resource sg-0abc has a dependent object');
    await cfn.send(new DeleteStackCommand({ StackName: name, RetainResources: ['OpenViduMasterNodeSG'] }));
    emu.clock.advance(10 * MIN);
    await rejects(describe1(name), 'ValidationError', `Stack with id ${name} does not exist`);
    const gone = (await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries!.find((x) => x.StackName === name);
    assert.ok(gone);
    const events = await allEvents(gone.StackId!);
    assert.ok(events.some((e) => e.LogicalResourceId === 'OpenViduMasterNodeSG' && e.ResourceStatus === 'DELETE_SKIPPED'));
  });

  test('failures can be injected through stack tags and through the HTTP control route', async () => {
    await create('ov-tag-fail', {}, { OnFailure: 'DO_NOTHING', Tags: [{ Key: 'emulator:fail:OpenViduMasterNode2', Value: 'Insufficient capacity.' }] });
    let s = await settle('ov-tag-fail');
    assert.equal(s.StackStatus, 'CREATE_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [OpenViduMasterNode2]. ');
    assert.equal(instancesOf('ov-tag-fail').length, 1);
    const post = await fetch(`${emu.endpoint}/_cloudformation/stack-failures`, {
      method: 'POST',
      body: JSON.stringify({ stackName: 'ov-route-fail', logicalId: 'OpenViduMediaNodeASG', reason: 'Injected ASG failure' }),
    });
    assert.equal(post.status, 200);
    const listed = (await (await fetch(`${emu.endpoint}/_cloudformation/stack-failures`)).json()) as { stackName: string }[];
    assert.ok(listed.some((f) => f.stackName === 'ov-route-fail'));
    await create('ov-route-fail', {}, { DisableRollback: true });
    s = await settle('ov-route-fail');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [OpenViduMediaNodeASG]. ');
    const ev = (await allEvents('ov-route-fail')).find((e) => e.ResourceStatus === 'CREATE_FAILED' && e.LogicalResourceId === 'OpenViduMediaNodeASG')!;
    assert.equal(ev.ResourceStatusReason, 'Injected ASG failure');
  });
});

describe('change sets and updates', () => {
  const name = 'ov-update';
  before(async () => {
    await create(name, { InitialNumberOfMediaNodes: '1' });
    await settle(name);
  });

  test('a change set that changes the master instance type replaces the masters (Replacement True)', async () => {
    const cs = await cfn.send(
      new CreateChangeSetCommand({
        StackName: name,
        ChangeSetName: 'bigger-masters',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [
          ...Object.keys(base).map((k) => ({ ParameterKey: k, UsePreviousValue: true })),
          { ParameterKey: 'MasterNodeInstanceType', ParameterValue: 'c6a.2xlarge' },
          { ParameterKey: 'MediaNodeInstanceType', ParameterValue: 'c6a.2xlarge' },
        ],
        Description: 'scale up',
      }),
    );
    assert.match(cs.Id!, /^arn:aws:cloudformation:eu-west-1:123456789012:changeSet\/bigger-masters\//);
    let d = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'bigger-masters' }));
    assert.match(d.Status!, /CREATE_PENDING|CREATE_IN_PROGRESS/);
    assert.equal(d.ExecutionStatus, 'UNAVAILABLE');
    await rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id })), 'InvalidChangeSetStatusException', /cannot be executed in its current execution status of \[UNAVAILABLE\]/);
    emu.clock.advance(5000);
    d = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: cs.Id }));
    assert.equal(d.Status, 'CREATE_COMPLETE');
    assert.equal(d.ExecutionStatus, 'AVAILABLE');
    assert.equal(d.Description, 'scale up');
    assert.equal(d.Parameters!.find((p) => p.ParameterKey === 'OpenViduLicense')!.ParameterValue, '****');
    const byId: Record<string, ResourceChange> = Object.fromEntries(d.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId!, c.ResourceChange!]));
    for (let n = 1; n <= 4; n++) {
      const c = byId[`OpenViduMasterNode${n}`];
      assert.equal(c.Action, 'Modify');
      assert.equal(c.Replacement, 'True');
      assert.deepEqual(c.Scope, ['Properties']);
      assert.ok(c.Details!.some((x) => x.CausingEntity === 'MasterNodeInstanceType' && x.Target!.RequiresRecreation === 'Always' && x.ChangeSource === 'ParameterReference'));
      assert.match(c.PhysicalResourceId!, /^i-0/);
    }
    assert.equal(byId.OpenViduMediaNodeLaunchTemplate.Action, 'Modify');
    assert.equal(byId.OpenViduMediaNodeLaunchTemplate.Replacement, 'False');
    assert.equal(byId.OpenViduMasterLaunchTemplate.Replacement, 'False');
    assert.equal(byId.OpenViduMediaNodeASG.Replacement, 'False');
    assert.equal(d.Changes![0].Type, 'Resource');

    const list = await cfn.send(new ListChangeSetsCommand({ StackName: name }));
    assert.deepEqual(list.Summaries!.map((x) => [x.ChangeSetName, x.ExecutionStatus, x.Status]), [['bigger-masters', 'AVAILABLE', 'CREATE_COMPLETE']]);

    // execute: UPDATE_IN_PROGRESS → UPDATE_COMPLETE_CLEANUP_IN_PROGRESS → UPDATE_COMPLETE
    const oldMasters = instancesOf(name).filter((i) => /Master/.test(i.tags.Name) && i.state !== 'terminated').map((i) => i.instanceId);
    await cfn.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: 'bigger-masters' }));
    let s = await describe1(name);
    assert.equal(s.StackStatus, 'UPDATE_IN_PROGRESS');
    s = await settle(name, 120, 2);
    assert.equal(s.StackStatus, 'UPDATE_COMPLETE');
    assert.ok(s.LastUpdatedTime);
    const events = await allEvents(name);
    const stackStatuses = events.filter((e) => e.LogicalResourceId === name).map((e) => e.ResourceStatus).reverse();
    assert.deepEqual(stackStatuses.slice(-3), ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    assert.ok(events.some((e) => e.ResourceStatusReason === 'Requested update requires the creation of a new physical resource; hence creating one.'));
    const live = instancesOf(name).filter((i) => /Master/.test(i.tags.Name) && i.state !== 'terminated' && i.state !== 'shutting-down');
    assert.equal(live.length, 4);
    assert.ok(live.every((i) => i.instanceType === 'c6a.2xlarge' && !oldMasters.includes(i.instanceId)));
    for (const id of oldMasters) assert.ok(['terminated', 'shutting-down'].includes(emu.world.region(REGION).instances.get(id)!.state));
    const secret = JSON.parse(emu.world.region(REGION).secrets.get(`openvidu-ha-${REGION}-${name}`)!.secretString) as Record<string, string>;
    assert.equal(secret.MASTER_NODE_1_PRIVATE_IP, live.find((i) => i.tags['aws:cloudformation:logical-id'] === 'OpenViduMasterNode1')!.privateIpAddress);
    assert.equal(emu.world.region(REGION).asgs.get(`openvidu-ha-media-asg-${REGION}-${name}`)!.instanceType, 'c6a.2xlarge');
    assert.equal(s.Parameters!.find((p) => p.ParameterKey === 'MasterNodeInstanceType')!.ParameterValue, 'c6a.2xlarge');
  });

  test('a change set without changes fails; change sets can be listed and deleted; unknown ones are ChangeSetNotFound', async () => {
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: name,
        ChangeSetName: 'nothing',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: Object.keys(base).map((k) => ({ ParameterKey: k, UsePreviousValue: true })).concat([{ ParameterKey: 'MasterNodeInstanceType', UsePreviousValue: true }, { ParameterKey: 'MediaNodeInstanceType', UsePreviousValue: true }]),
      }),
    );
    emu.clock.advance(5000);
    const d = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'nothing' }));
    assert.equal(d.Status, 'FAILED');
    assert.equal(d.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: name,
        ChangeSetName: 'more-media',
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: params({ MasterNodeInstanceType: 'c6a.2xlarge', MediaNodeInstanceType: 'c6a.2xlarge', MaxNumberOfMediaNodes: '8', ScaleTargetCPU: '70' }),
      }),
    );
    emu.clock.advance(5000);
    const more = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'more-media' }));
    assert.deepEqual(more.Changes!.map((c) => c.ResourceChange!.LogicalResourceId).sort(), ['OpenViduMediaNodeASG', 'OpenViduMediaNodeASGScalingPolicy']);
    const list = await cfn.send(new ListChangeSetsCommand({ StackName: name }));
    assert.deepEqual(list.Summaries!.map((x) => x.ChangeSetName).sort(), ['more-media', 'nothing']);
    await cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'nothing' }));
    await rejects(cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'nothing' })), 'ChangeSetNotFoundException', 'ChangeSet [nothing] does not exist', 404);
    await rejects(cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'nothing' })), 'ChangeSetNotFoundException', 'ChangeSet [nothing] does not exist', 404);
    await cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'more-media' }));
    assert.equal((await cfn.send(new ListChangeSetsCommand({ StackName: name }))).Summaries!.length, 0);
  });

  test('UpdateStack: no changes is rejected; an ASG change updates in place; an injected failure rolls back', async () => {
    const same = params({ MasterNodeInstanceType: 'c6a.2xlarge', MediaNodeInstanceType: 'c6a.2xlarge' });
    await rejects(
      cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: same, Capabilities: ['CAPABILITY_NAMED_IAM'] })),
      'ValidationError',
      'No updates are to be performed.',
    );
    await rejects(
      cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: same, Capabilities: [] })),
      'InsufficientCapabilitiesException',
      'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    );
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        UsePreviousTemplate: true,
        Parameters: params({ MasterNodeInstanceType: 'c6a.2xlarge', MediaNodeInstanceType: 'c6a.2xlarge', InitialNumberOfMediaNodes: '3', MaxNumberOfMediaNodes: '6' }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    await rejects(
      cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: same, Capabilities: ['CAPABILITY_NAMED_IAM'] })),
      'ValidationError',
      /is in UPDATE_IN_PROGRESS state and can not be updated/,
    );
    let s = await settle(name, 60, 1);
    assert.equal(s.StackStatus, 'UPDATE_COMPLETE');
    const asg = emu.world.region(REGION).asgs.get(`openvidu-ha-media-asg-${REGION}-${name}`)!;
    assert.equal(asg.desiredCapacity, 3);
    assert.equal(asg.maxSize, 6);

    const masters = () => instancesOf(name).filter((i) => /Master/.test(i.tags.Name) && i.state !== 'terminated' && i.state !== 'shutting-down').map((i) => i.instanceId).sort();
    const before = masters();
    injectStackFailure(emu.world, { stackName: name, logicalId: 'OpenViduMasterNode3', operation: 'update', reason: 'Injected update failure' });
    await cfn.send(
      new UpdateStackCommand({
        StackName: name,
        UsePreviousTemplate: true,
        Parameters: params({ MasterNodeInstanceType: 'c6a.4xlarge', MediaNodeInstanceType: 'c6a.2xlarge', InitialNumberOfMediaNodes: '3', MaxNumberOfMediaNodes: '6' }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    s = await settle(name, 60, 1);
    assert.equal(s.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = await allEvents(name);
    const statuses = events.filter((e) => e.LogicalResourceId === name).map((e) => e.ResourceStatus).reverse().slice(-4);
    assert.deepEqual(statuses, ['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    assert.equal(events.find((e) => e.LogicalResourceId === name && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason, 'The following resource(s) failed to update: [OpenViduMasterNode3]. ');
    assert.equal(events.find((e) => e.ResourceStatus === 'UPDATE_FAILED')!.ResourceStatusReason, 'Injected update failure');
    assert.deepEqual(masters(), before);
    assert.equal(s.Parameters!.find((p) => p.ParameterKey === 'MasterNodeInstanceType')!.ParameterValue, 'c6a.2xlarge');
    const m1 = await cfn.send(new DescribeStackResourceCommand({ StackName: name, LogicalResourceId: 'OpenViduMasterNode1' }));
    assert.ok(before.includes(m1.StackResourceDetail!.PhysicalResourceId!));
  });

  test('a CREATE change set creates the stack in REVIEW_IN_PROGRESS, then executing it creates the stack', async () => {
    const cs = await cfn.send(
      new CreateChangeSetCommand({ StackName: 'ov-review', ChangeSetName: 'initial', ChangeSetType: 'CREATE', TemplateURL: templateUrl, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    let s = await describe1('ov-review');
    assert.equal(s.StackStatus, 'REVIEW_IN_PROGRESS');
    emu.clock.advance(5000);
    const d = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: cs.Id }));
    assert.ok(d.Changes!.length > 60);
    assert.ok(d.Changes!.every((c) => c.ResourceChange!.Action === 'Add'));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id }));
    s = await describe1('ov-review');
    assert.equal(s.StackStatus, 'CREATE_IN_PROGRESS');
    s = await settle('ov-review');
    assert.equal(s.StackStatus, 'CREATE_COMPLETE');
  });
});

describe('more failures', () => {
  test('a failing SubnetProcessor custom resource writes an error event to the Lambda log group', async () => {
    const name = 'ov-lambda-fail';
    injectStackFailure(emu.world, { stackName: name, logicalId: 'SubnetProcessor' });
    await create(name, {}, { OnFailure: 'DO_NOTHING' });
    const s = await settle(name);
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [SubnetProcessor]. ');
    const ev = (await allEvents(name)).find((e) => e.LogicalResourceId === 'SubnetProcessor' && e.ResourceStatus === 'CREATE_FAILED')!;
    assert.match(ev.ResourceStatusReason!, /^Received response status \[FAILED\] from custom resource\. Message returned: .* See the details in CloudWatch Log Stream: \d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}/);
    const group = emu.world.region(REGION).logGroups.get(`/aws/lambda/SubnetProcessor-${REGION}-${name}`)!;
    assert.ok(group.events.some((e) => e.message.startsWith('[ERROR]')));
    assert.ok(group.events.every((e) => e.logStreamName === group.events[0].logStreamName));
  });

  test('initial media nodes above the maximum fail the ASG with the Auto Scaling message', async () => {
    const name = 'ov-asg-sizes';
    await create(name, { InitialNumberOfMediaNodes: '9', MaxNumberOfMediaNodes: '5' }, { OnFailure: 'DO_NOTHING' });
    const s = await settle(name);
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to create: [OpenViduMediaNodeASG]. ');
    const ev = (await allEvents(name)).find((e) => e.LogicalResourceId === 'OpenViduMediaNodeASG' && e.ResourceStatus === 'CREATE_FAILED')!;
    assert.match(ev.ResourceStatusReason!, /Desired capacity:9 must be between the specified min size:1 and max size:5 \(Service: AutoScaling, Status Code: 400/);
    assert.ok(!emu.world.region(REGION).asgs.has(`openvidu-ha-media-asg-${REGION}-${name}`));
  });

  test('a failing update rollback ends UPDATE_ROLLBACK_FAILED', async () => {
    const name = 'ov-rb-fail';
    await create(name);
    await settle(name);
    injectStackFailure(emu.world, { stackName: name, logicalId: 'OpenViduMediaNodeASGScalingPolicy', operation: 'update' });
    injectStackFailure(emu.world, { stackName: name, logicalId: 'OpenViduMediaNodeASG', operation: 'rollback', reason: 'Rollback broke' });
    await cfn.send(
      new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: params({ MaxNumberOfMediaNodes: '7', ScaleTargetCPU: '80' }), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    const s = await settle(name, 60, 1);
    assert.equal(s.StackStatus, 'UPDATE_ROLLBACK_FAILED');
    assert.equal(s.StackStatusReason, 'The following resource(s) failed to update: [OpenViduMediaNodeASG]. ');
    await rejects(
      cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] })),
      'ValidationError',
      /is in UPDATE_ROLLBACK_FAILED state and can not be updated/,
    );
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: name }));
    const done = await settle(name, 60, 1);
    assert.equal(done.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(done.Parameters!.find((p) => p.ParameterKey === 'MaxNumberOfMediaNodes')!.ParameterValue, '5');
    await rejects(cfn.send(new ContinueUpdateRollbackCommand({ StackName: name })), 'ValidationError', /can not continue update rollback/);
  });

  test('CancelUpdateStack rolls a master replacement back and terminates the new instance', async () => {
    const name = 'ov-cancel';
    await create(name);
    await settle(name);
    const before = instancesOf(name).filter((i) => /Master/.test(i.tags.Name)).map((i) => i.instanceId).sort();
    await cfn.send(
      new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters: params({ MasterNodeInstanceType: 'c6a.2xlarge' }), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    emu.clock.advance(20_000);
    await describe1(name);
    await cfn.send(new CancelUpdateStackCommand({ StackName: name }));
    const s = await settle(name, 60, 1);
    assert.equal(s.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = await allEvents(name);
    assert.equal(events.find((e) => e.LogicalResourceId === name && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason, 'Stack update cancelled');
    emu.clock.advance(MIN);
    await describe1(name);
    const live = instancesOf(name).filter((i) => /Master/.test(i.tags.Name) && i.state === 'running').map((i) => i.instanceId).sort();
    assert.deepEqual(live, before);
    assert.ok(instancesOf(name).some((i) => i.instanceType === 'c6a.2xlarge' && i.state === 'terminated'));
    await rejects(cfn.send(new CancelUpdateStackCommand({ StackName: name })), 'ValidationError', 'CancelUpdateStack cannot be called from current stack status UPDATE_ROLLBACK_COMPLETE');
  });

  test('a change set to a newer template version lists conditional master replacements; subnets changes replace masters', async () => {
    const name = 'ov-upgrade';
    await create(name, {}, { TemplateURL: `${emu.endpoint}/get.openvidu.io/pro/ha/3.7.0/aws/cf-openvidu-ha.yaml` });
    await settle(name);
    await cfn.send(
      new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'to-380', TemplateURL: templateUrl, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    const subnets = base.OpenViduMasterNodeSubnets.split(',');
    await cfn.send(
      new CreateChangeSetCommand({
        StackName: name,
        ChangeSetName: 'move-masters',
        UsePreviousTemplate: true,
        Parameters: params({ OpenViduMasterNodeSubnets: subnets.slice(0, 2).join(',') }),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    emu.clock.advance(5000);
    const up = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'to-380' }));
    const m1 = up.Changes!.find((c) => c.ResourceChange!.LogicalResourceId === 'OpenViduMasterNode1')!.ResourceChange!;
    assert.equal(m1.Replacement, 'Conditional');
    const mv = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: 'move-masters' }));
    const byId = Object.fromEntries(mv.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId!, c.ResourceChange!]));
    assert.equal(byId.OpenViduMasterNode3.Replacement, 'True');
    assert.equal(byId.SubnetProcessor.Action, 'Modify');
    await cfn.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: 'to-380' }));
    const s = await settle(name, 60, 1);
    assert.equal(s.StackStatus, 'UPDATE_COMPLETE');
    assert.equal((await cfn.send(new GetTemplateSummaryCommand({ StackName: name }))).Parameters!.length, 21);
    assert.equal((await cfn.send(new ListChangeSetsCommand({ StackName: name }))).Summaries!.length, 0);
  });
});

describe('every template version', () => {
  test('each version deploys to CREATE_COMPLETE with its own parameters, resources and secret keys', async () => {
    for (const v of TEMPLATE_VERSIONS) {
      const name = `ov-v${v.replace(/\./g, '')}`;
      const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: `${emu.endpoint}/get.openvidu.io/pro/ha/${v}/aws/cf-openvidu-ha.yaml` }));
      const keys = new Set(summary.Parameters!.map((p) => p.ParameterKey!));
      const over: Record<string, string | undefined> = {};
      if (keys.has('TurnDomainName')) {
        over.TurnDomainName = 'turn.openvidu.example.com';
        over.TurnCertificateARN = base.OpenViduCertificateARN;
      }
      await create(name, over, { TemplateURL: `${emu.endpoint}/get.openvidu.io/pro/ha/${v}/aws/cf-openvidu-ha.yaml`, OnFailure: 'DO_NOTHING' });
      const s = await settle(name);
      assert.equal(s.StackStatus, 'CREATE_COMPLETE', `${v}: ${s.StackStatusReason}`);
      const secret = JSON.parse(emu.world.region(REGION).secrets.get(`openvidu-ha-${REGION}-${name}`)!.secretString) as Record<string, string>;
      assert.equal(secret.ALL_SECRETS_GENERATED, 'true', v);
      assert.equal(secret.OPENVIDU_VERSION, v);
      assert.equal('LIVEKIT_URL' in secret, v >= '3.4.0', v);
      if (keys.has('TurnDomainName')) assert.equal(secret.LIVEKIT_TURN_DOMAIN_NAME, 'turn.openvidu.example.com');
      const res = await cfn.send(new ListStackResourcesCommand({ StackName: name }));
      if (keys.has('TurnDomainName')) assert.ok(res.StackResourceSummaries!.some((r) => r.LogicalResourceId === 'TurnTLSLoadBalancer'));
      assert.equal(instancesOf(name).filter((i) => i.state === 'running').length, 5, v);
      // outputs, resources and secret keys are exactly the real template's (test/fixtures/templates)
      const fixture = templateSummary(v)!;
      assert.deepEqual(s.Outputs!.map((o) => o.OutputKey).sort(), Object.keys(fixture.Outputs).sort(), v);
      assert.deepEqual(Object.keys(secret).sort(), [...fixture.SecretKeys].sort(), v);
      for (const r of res.StackResourceSummaries!) assert.equal(fixture.Resources[r.LogicalResourceId!], r.ResourceType, `${v} ${r.LogicalResourceId}`);
    }
  });
});

describe('listing and pagination', () => {
  test('DescribeStacks and ListStacks paginate over 30+ stacks; ListStacks filters by status and includes DELETE_COMPLETE', async () => {
    const fresh = await startEmulator();
    try {
      const client = new CloudFormationClient(clientConfig(fresh, REGION));
      const url = `${fresh.endpoint}/get.openvidu.io/pro/ha/3.8.0/aws/cf-openvidu-ha.yaml`;
      const r = fresh.world.region(REGION);
      const vpc = r.vpcs.find((v) => v.tags.Name === 'openvidu-vpc')!;
      const subnets = r.subnets.filter((s) => s.vpcId === vpc.vpcId && s.mapPublicIpOnLaunch).map((s) => s.subnetId).join(',');
      const p = Object.entries({ ...base, OpenViduVPC: vpc.vpcId, OpenViduMasterNodeSubnets: subnets, OpenViduMediaNodeSubnets: subnets, OpenViduCertificateARN: r.certificates[0].arn, KeyName: r.keyPairs[0].keyName }).map(
        ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
      );
      for (let i = 0; i < 33; i++) {
        await client.send(new CreateStackCommand({ StackName: `page-${String(i).padStart(2, '0')}`, TemplateURL: url, Parameters: p, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
      }
      await client.send(new DeleteStackCommand({ StackName: 'page-00' }));
      await client.send(new DeleteStackCommand({ StackName: 'page-01' }));
      fresh.clock.advance(60 * MIN);

      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(new DescribeStacksCommand({ NextToken: token }));
        names.push(...out.Stacks!.map((s) => s.StackName!));
        token = out.NextToken;
        pages++;
      } while (token);
      assert.ok(pages >= 2);
      assert.equal(names.length, 31);
      assert.equal(new Set(names).size, 31);
      assert.ok(!names.includes('page-00'));

      const summaries: { StackName?: string; StackStatus?: string }[] = [];
      token = undefined;
      pages = 0;
      do {
        const out: ListStacksCommandOutput = await client.send(new ListStacksCommand({ NextToken: token }));
        summaries.push(...out.StackSummaries!);
        token = out.NextToken;
        pages++;
      } while (token);
      assert.ok(pages >= 2);
      assert.equal(summaries.length, 33);
      assert.equal(summaries.filter((s) => s.StackStatus === 'DELETE_COMPLETE').length, 2);
      const complete = await client.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] }));
      const completeNames = [...complete.StackSummaries!];
      let t2 = complete.NextToken;
      while (t2) {
        const more = await client.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'], NextToken: t2 }));
        completeNames.push(...more.StackSummaries!);
        t2 = more.NextToken;
      }
      assert.equal(completeNames.length, 31);
      assert.ok(completeNames.every((s) => s.TemplateDescription === 'OpenVidu Pro - High Availability'));
      await rejects(client.send(new DescribeStacksCommand({ NextToken: 'garbage' })), 'ValidationError', 'Invalid NextToken');
    } finally {
      await fresh.stop();
    }
  });
});

describe('demo world', () => {
  test('seedDemo: openvidu-demo CREATE_COMPLETE with secrets and 4+2 nodes, openvidu-broken CREATE_FAILED with masters 1–3', async () => {
    const demo = await startEmulator({ demo: true });
    try {
      const client = new CloudFormationClient(clientConfig(demo, REGION));
      const stacks = (await client.send(new DescribeStacksCommand({}))).Stacks!;
      const ok = stacks.find((s) => s.StackName === 'openvidu-demo')!;
      const broken = stacks.find((s) => s.StackName === 'openvidu-broken')!;
      assert.equal(ok.StackStatus, 'CREATE_COMPLETE');
      assert.equal(broken.StackStatus, 'CREATE_FAILED');
      assert.equal(broken.StackStatusReason, 'The following resource(s) failed to create: [MasterNodesWaitCondition3]. ');
      assert.ok(ok.CreationTime!.getTime() < demo.world.now() - 60 * MIN);
      const r = demo.world.region(REGION);
      const secret = JSON.parse(r.secrets.get('openvidu-ha-eu-west-1-openvidu-demo')!.secretString) as Record<string, string>;
      assert.equal(secret.ALL_SECRETS_GENERATED, 'true');
      assert.equal(secret.DOMAIN_NAME, 'openvidu.example.com');
      const live = (stack: string) => [...r.instances.values()].filter((i) => i.tags['aws:cloudformation:stack-name'] === stack && i.state !== 'terminated');
      assert.equal(live('openvidu-demo').filter((i) => /Master Node/.test(i.tags.Name)).length, 4);
      assert.equal(live('openvidu-demo').filter((i) => /Media Node/.test(i.tags.Name)).length, 2);
      assert.deepEqual(live('openvidu-broken').map((i) => i.tags['aws:cloudformation:logical-id']).sort(), ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3']);
      const params = Object.fromEntries(ok.Parameters!.map((p) => [p.ParameterKey, p.ParameterValue]));
      assert.equal(params.OpenViduCertificateARN, r.certificates.find((c) => c.domainName === 'openvidu.example.com' && c.status === 'ISSUED')!.arn);
      // the clock did not move and nothing is pending
      demo.clock.advance(10 * MIN);
      assert.equal((await client.send(new DescribeStacksCommand({ StackName: 'openvidu-demo' }))).Stacks![0].StackStatus, 'CREATE_COMPLETE');
    } finally {
      await demo.stop();
    }
  });
});

describe('AWS as it really is (issue 12)', () => {
  test('DescribeStackResources returns only the first 100 resources; ListStackResources pages to all of them', async () => {
    // Source: DescribeStackResources API reference, "Only the first 100 resources will be returned. If your stack
    // has more resources than this, you should use ListStackResources instead."; ListStackResources returns NextToken.
    const name = 'ov-many-resources';
    await create(name);
    await settle(name);
    const stack = emu.world.region(REGION).stacks.find((x) => x.stackName === name && x.status !== 'DELETE_COMPLETE')!;
    const now = emu.world.now();
    // a template with more resources than today's (66–75): 62 extra ones ahead of the real ones
    stack.resources.unshift(...Array.from({ length: 62 }, (_, i) => ({ logicalId: `Extra${i}`, physicalId: `extra-${i}`, type: 'AWS::SSM::Parameter', status: 'CREATE_COMPLETE', timestamp: now })));
    const total = stack.resources.length;
    assert.ok(total > 120, `${total}`);
    const d = await cfn.send(new DescribeStackResourcesCommand({ StackName: name }));
    assert.equal(d.StackResources!.length, 100);
    assert.ok(!d.StackResources!.some((r) => r.LogicalResourceId === 'OpenViduMediaNodeASG'), 'resources past the 100th are not returned');
    const first = await cfn.send(new ListStackResourcesCommand({ StackName: name }));
    assert.equal(first.StackResourceSummaries!.length, 100);
    assert.ok(first.NextToken);
    const second = await cfn.send(new ListStackResourcesCommand({ StackName: name, NextToken: first.NextToken }));
    assert.equal(second.StackResourceSummaries!.length, total - 100);
    assert.equal(second.NextToken, undefined);
    assert.ok(second.StackResourceSummaries!.some((r) => r.LogicalResourceId === 'OpenViduMediaNodeASG'));
  });

  test('TemplateURL must be an S3 URL (or the emulator endpoint path-style) for CreateStack, CreateChangeSet and GetTemplateSummary', async () => {
    // Source: CreateStack / CreateChangeSet / GetTemplateSummary TemplateURL (API reference): "located in an Amazon S3
    // bucket or a Systems Manager document ... must start with https://"; error wordings cited in templates.ts s3Location.
    const key = 'pro/ha/3.8.0/aws/cf-openvidu-ha.yaml';
    for (const ok of [
      `https://s3.eu-west-1.amazonaws.com/get.openvidu.io/${key}`,
      `https://s3-eu-west-1.amazonaws.com/get.openvidu.io/${key}`,
      `https://s3.amazonaws.com/get.openvidu.io/${key}`,
      `https://my-mirror.s3.eu-west-1.amazonaws.com/openvidu/${key}`,
      `https://my-mirror.s3.amazonaws.com/${key}`,
      `${emu.endpoint}/get.openvidu.io/${key}`,
    ]) {
      const s = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: ok }));
      assert.equal(s.Description, 'OpenVidu Pro - High Availability', ok);
    }
    const refusals: [string, string][] = [
      [`https://get.openvidu.io/${key}`, 'TemplateURL must be an Amazon S3 URL.'],
      [`https://raw.githubusercontent.com/OpenVidu/openvidu/main/${key}`, 'TemplateURL must be an Amazon S3 URL.'],
      [`http://s3.eu-west-1.amazonaws.com/get.openvidu.io/${key}`, 'TemplateURL must be an Amazon S3 URL.'],
      [`https://get.openvidu.io.s3-website-eu-west-1.amazonaws.com/${key}`, 'TemplateURL must be an Amazon S3 URL.'],
      [`s3://get.openvidu.io/${key}`, 'TemplateURL must be a supported URL.'],
      [`https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/9.9.9/aws/cf-openvidu-ha.yaml`, 'TemplateURL must reference a valid S3 object to which you have access.'],
    ];
    for (const [url, message] of refusals) {
      await rejects(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url })), 'ValidationError', message);
      await rejects(create('ov-url-refused', {}, { TemplateURL: url }), 'ValidationError', message);
      await rejects(
        cfn.send(new CreateChangeSetCommand({ StackName: 'ov-url-refused', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateURL: url, Parameters: params(), Capabilities: ['CAPABILITY_NAMED_IAM'] })),
        'ValidationError',
        message,
      );
    }
    assert.ok(!(await cfn.send(new ListStacksCommand({}))).StackSummaries!.some((x) => x.StackName === 'ov-url-refused'));
  });

  test('eventual consistency: with the switch on, a new stack is missing from DescribeStacks and ListStacks for its first reads', async () => {
    // Source: aws/aws-cdk-cli#1803 (a stale DescribeStacks right after CreateStack says the stack does not exist).
    setStackReadLag(emu.world, 2);
    try {
      const name = 'ov-lagging';
      await create(name);
      await rejects(cfn.send(new DescribeStacksCommand({ StackName: name })), 'ValidationError', `Stack with id ${name} does not exist`);
      const listed = await cfn.send(new ListStacksCommand({}));
      assert.ok(!listed.StackSummaries!.some((x) => x.StackName === name), 'not listed yet');
      assert.equal((await describe1(name)).StackName, name);
      assert.ok((await cfn.send(new ListStacksCommand({}))).StackSummaries!.some((x) => x.StackName === name));
    } finally {
      setStackReadLag(emu.world, 0);
    }
    await create('ov-not-lagging');
    assert.equal((await describe1('ov-not-lagging')).StackName, 'ov-not-lagging', 'off by default');
    const r = await fetch(`${emu.endpoint}/_cloudformation/consistency`, { method: 'POST', body: JSON.stringify({ hiddenReads: 0 }) });
    assert.equal(r.status, 200);
  });

  test('stack tags: at most 50, key 1–128 characters without the aws: prefix, value 1–256 characters', async () => {
    // Source: CreateStack Tags ("a maximum number of 50 tags") and the Tag type (API reference: Key length 1–128,
    // reserved prefix aws:; Value length 1–256).
    const tags = (list: [string, string][]) => ({ Tags: list.map(([Key, Value]) => ({ Key, Value })) });
    const many = Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'] as [string, string]);
    await rejects(create('ov-tags', {}, tags(many)), 'ValidationError', /Member must have length less than or equal to 50/);
    await rejects(create('ov-tags', {}, tags([['k'.repeat(129), 'v']])), 'ValidationError', /tags\.1\.member\.key.*less than or equal to 128/);
    await rejects(create('ov-tags', {}, tags([['ok', 'v'.repeat(257)]])), 'ValidationError', /tags\.1\.member\.value.*less than or equal to 256/);
    await rejects(create('ov-tags', {}, tags([['ok', 'x'], ['aws:cost', 'y']])), 'ValidationError', /aws:/);
    await create('ov-tags', {}, tags([...many.slice(0, 49), ['k'.repeat(128), 'v'.repeat(256)]]));
    assert.equal((await describe1('ov-tags')).Tags!.length, 50);
  });
});
