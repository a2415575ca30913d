/**
 * Deploy wizard template cost. Takes the 3.8.0 template the emulator serves, pads it with realistic resources
 * (launch templates with long UserData scripts written with `!Sub` / `!Ref` / `!GetAtt`, security group rules)
 * to the ~120 KB of the real template, then times:
 *   - parsing it (parseTemplate: YAML with CloudFormation short tags → spec),
 *   - a cold load (GetTemplateSummary against the emulator + the padded YAML + merge),
 *   - building the form model from a cached template (memory cache, and a fresh service reading globalState),
 *   - validating the whole form once (what each keystroke costs in the webview).
 * Run: npx tsx bench/deploy-template.bench.ts
 */
import { startEmulator } from '../test/emulator/server';
import { AwsSession } from '../src/aws/session';
import { parseTemplate } from '../src/openvidu/template';
import { TemplateService } from '../src/features/deploy/templateService';
import { formModel } from '../src/protocol/deployFormModel';
import { factsToContext } from '../src/protocol/deployForm';
import { validateDeployForm } from '../src/openvidu/validation';

const TARGET_BYTES = 120 * 1024;

function userData(n: number): string {
  const lines = [
    '#!/bin/bash -x',
    'set -eu -o pipefail',
    `# padding block ${n}: shaped like the template's master/media node UserData`,
    'apt-get update && apt-get install -y awscli jq curl unzip',
    'export HOME="/root"',
    'METADATA_TOKEN="$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")"',
    'PRIVATE_IP="$(curl -s -H "X-aws-ec2-metadata-token: $METADATA_TOKEN" http://169.254.169.254/latest/meta-data/local-ipv4)"',
    'DOMAIN_NAME="${DomainName}"',
    'SECRET_NAME="openvidu-ha-${AWS::Region}-${AWS::StackName}"',
    'aws secretsmanager get-secret-value --region ${AWS::Region} --secret-id "$SECRET_NAME" --query SecretString --output text > /tmp/secret.json',
    'for key in LIVEKIT_API_KEY LIVEKIT_API_SECRET REDIS_PASSWORD MONGO_ADMIN_PASSWORD MINIO_SECRET_KEY; do',
    '  value="$(jq -r --arg k "$key" \'.[$k]\' /tmp/secret.json)"',
    '  if [[ "$value" == "none" ]]; then value="$(openssl rand -hex 24)"; fi',
    '  echo "$key=$value" >> /opt/openvidu/config/cluster/openvidu.env',
    'done',
    'cfn-signal -e $? --stack ${AWS::StackName} --resource MasterNodesWaitCondition1 --region ${AWS::Region}',
  ];
  return lines.map((l) => `                ${l}`).join('\n');
}

function padTemplate(yaml: string): string {
  const cut = yaml.search(/^Outputs:/m);
  if (cut < 0) throw new Error('template without Outputs');
  const blocks: string[] = [];
  let size = yaml.length;
  for (let n = 1; size < TARGET_BYTES; n++) {
    const block = `  PaddingLaunchTemplate${n}:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: !Sub "padding-${n}-\${AWS::Region}-\${AWS::StackName}"
      LaunchTemplateData:
        IamInstanceProfile:
          Arn: !GetAtt OpenViduMasterInstanceProfile.Arn
        ImageId: !If [ UseCustomAmi, !Ref AWS::NoValue, "ami-0123456789abcdef0" ]
        InstanceType: !Ref MasterNodeInstanceType
        KeyName: !Ref KeyName
        SecurityGroupIds:
          - !GetAtt OpenViduMasterNodeSG.GroupId
        UserData:
          Fn::Base64: !Sub |
${userData(n)}
  PaddingIngress${n}:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt OpenViduMasterNodeSG.GroupId
      IpProtocol: tcp
      FromPort: ${7000 + n}
      ToPort: ${7000 + n}
      SourceSecurityGroupId: !GetAtt OpenViduMasterNodeSG.GroupId
`;
    blocks.push(block);
    size += block.length;
  }
  return `${yaml.slice(0, cut)}${blocks.join('')}${yaml.slice(cut)}`;
}

function stats(ms: number[]): { median: number; mean: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], mean: s.reduce((a, b) => a + b, 0) / s.length, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}

async function time(n: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

async function main(): Promise<void> {
  const emu = await startEmulator();
  const base = `${emu.endpoint}/get.openvidu.io/pro/ha`;
  const served = await (await fetch(`${base}/3.8.0/aws/cf-openvidu-ha.yaml`)).text();
  const padded = padTemplate(served);
  const spec0 = parseTemplate(padded, '3.8.0');
  console.log(`template: served ${(served.length / 1024).toFixed(1)} KB → padded ${(Buffer.byteLength(padded) / 1024).toFixed(1)} KB, ${spec0.parameters.length} parameters, ${Object.keys(spec0.resources).length} resources`);

  // warm up the parser (JIT), then measure
  await time(3, () => parseTemplate(padded, '3.8.0'));
  const parse = stats(await time(30, () => parseTemplate(padded, '3.8.0')));

  const session = new AwsSession({ region: 'eu-west-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' } });
  const store = new Map<string, unknown>();
  const memento = { get: <T>(k: string) => store.get(k) as T | undefined, update: async (k: string, v: unknown) => void store.set(k, JSON.parse(JSON.stringify(v))) };
  const deps = { session: () => session, baseUrl: () => base, cache: memento, fetchText: async () => padded };
  const cold = await time(1, () => new TemplateService(deps).load('3.8.0', 'eu-west-1'));
  const coldRuns = stats([...cold, ...(await time(4, () => new TemplateService({ ...deps, cache: undefined }).load('3.8.0', 'eu-west-1')))]);

  const service = new TemplateService(deps);
  await service.load('3.8.0', 'eu-west-1');
  const facts = {
    region: 'eu-west-1',
    vpcs: [{ id: 'vpc-0aaaaaaaaaaaaaaaa', isDefault: false }],
    subnets: ['a', 'b', 'c'].map((z, i) => ({ id: `subnet-000000000000000${i}`, vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZone: `eu-west-1${z}`, public: true, mapPublicIpOnLaunch: true })),
    keyPairs: ['openvidu-key'],
    certificates: [],
    instanceTypesByZone: { 'eu-west-1a': ['c6a.xlarge'], 'eu-west-1b': ['c6a.xlarge'], 'eu-west-1c': [] },
    problems: [],
  };
  const values = { OpenViduMasterNodeSubnets: facts.subnets.map((s) => s.id), OpenViduMediaNodeSubnets: facts.subnets.map((s) => s.id), DomainName: 'ov.example.com', StackName: 'bench' };
  await time(20, async () => formModel((await service.load('3.8.0', 'eu-west-1')).spec, facts, values));
  const warm = stats(await time(200, async () => formModel((await service.load('3.8.0', 'eu-west-1')).spec, facts, values)));
  const fromGlobalState = stats(await time(50, async () => formModel((await new TemplateService(deps).load('3.8.0', 'eu-west-1')).spec, facts, values)));
  const spec = (await service.load('3.8.0', 'eu-west-1')).spec;
  const ctx = factsToContext(facts);
  await time(50, () => validateDeployForm(spec, values, ctx));
  const validate = stats(await time(500, () => validateDeployForm(spec, values, ctx)));

  const row = (name: string, s: { median: number; mean: number; p95: number }, n: string) => [name, n, s.median.toFixed(2), s.mean.toFixed(2), s.p95.toFixed(2)];
  const rows = [
    ['measure', 'runs', 'median ms', 'mean ms', 'p95 ms'],
    row(`parse ${(Buffer.byteLength(padded) / 1024).toFixed(0)} KB template`, parse, '30'),
    row('cold load (summary + YAML + merge)', coldRuns, '5'),
    row('form model, cached (memory)', warm, '200'),
    row('form model, cached (globalState)', fromGlobalState, '50'),
    row('validate whole form', validate, '500'),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  session.dispose();
  await emu.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
