import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KNOWN_VERSIONS, defaultValues, findParameter, specFromSummaryJson } from '../../src/openvidu/template';
import type { FormValues, TemplateSpec } from '../../src/openvidu/template';
import {
  STACK_NAME_FIELD,
  bucketNameProblem,
  certificateArnRegion,
  certificateCovers,
  hasErrors,
  isValidBucketName,
  issuesByField,
  maxStackNameLength,
  subnetProcessorFunctionName,
  validateDeployForm,
  validateField,
} from '../../src/openvidu/validation';
import type { Issue, SubnetInfo, ValidationContext } from '../../src/openvidu/validation';

// Specs of every version, built from the fixture summaries (as the bundled specs are).
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');
const SPECS: Record<string, TemplateSpec> = Object.fromEntries(
  KNOWN_VERSIONS.map((v) => [v, specFromSummaryJson(JSON.parse(readFileSync(join(FIXTURES, `cf-openvidu-ha-${v}.summary.json`), 'utf8')))]),
);
const V38 = SPECS['3.8.0'];
const V32 = SPECS['3.2.0'];

const REGION = 'us-east-1';
const VPC = 'vpc-0123456789abcdef0';
const OTHER_VPC = 'vpc-0fedcba9876543210';
const sid = (n: number) => `subnet-0${n.toString(16).padStart(16, '0')}`;
const [S1, S2, S3, S4, S5] = [1, 2, 3, 4, 5].map(sid);
const PRIVATE = sid(0x10);
const NO_PUBLIC_IP = sid(0x11);
const IN_OTHER_VPC = sid(0x12);
const E1 = sid(0x20); // a VPC with public subnets in only two zones
const E2 = sid(0x21);
const CERT = `arn:aws:acm:${REGION}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
const WILDCARD_CERT = `arn:aws:acm:${REGION}:123456789012:certificate/22222222-2222-3333-4444-555555555555`;
const PENDING_CERT = `arn:aws:acm:${REGION}:123456789012:certificate/33333333-2222-3333-4444-555555555555`;
const EU_CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/44444444-2222-3333-4444-555555555555';
const TURN_CERT = `arn:aws:acm:${REGION}:123456789012:certificate/55555555-2222-3333-4444-555555555555`;

const subnet = (id: string, zone: string, extra: Partial<SubnetInfo> = {}): SubnetInfo => ({
  id, vpcId: VPC, availabilityZone: `${REGION}${zone}`, public: true, mapPublicIpOnLaunch: true, ...extra,
});

const CONTEXT: ValidationContext = {
  region: REGION,
  stackNamesInUse: ['existing-stack'],
  vpcIds: [VPC, OTHER_VPC],
  subnets: [
    subnet(S1, 'a'), subnet(S2, 'b'), subnet(S3, 'c'), subnet(S4, 'd'), subnet(S5, 'a'),
    subnet(PRIVATE, 'b', { public: false }),
    subnet(NO_PUBLIC_IP, 'c', { mapPublicIpOnLaunch: false }),
    subnet(IN_OTHER_VPC, 'a', { vpcId: OTHER_VPC }),
    subnet(E1, 'e', { vpcId: OTHER_VPC }), subnet(E2, 'f', { vpcId: OTHER_VPC }),
  ],
  keyPairNames: ['my-key', 'other-key'],
  certificates: [
    { arn: CERT, domainName: 'openvidu.example.com', subjectAlternativeNames: ['openvidu.example.com'], status: 'ISSUED' },
    { arn: WILDCARD_CERT, domainName: 'example.com', subjectAlternativeNames: ['*.example.com'], status: 'ISSUED' },
    { arn: PENDING_CERT, domainName: 'openvidu.example.com', status: 'PENDING_VALIDATION' },
    { arn: TURN_CERT, domainName: 'turn.example.com', status: 'ISSUED', region: REGION },
  ],
  instanceTypesByZone: {
    [`${REGION}a`]: ['c6a.xlarge', 'c5.large'],
    [`${REGION}b`]: ['c6a.xlarge', 'c5.large'],
    [`${REGION}c`]: ['c6a.xlarge'],
    [`${REGION}d`]: ['c6a.xlarge'],
  },
};

/** Values every version might take; only the keys the version's spec has are used. */
const GOOD: FormValues = {
  DomainName: 'openvidu.example.com',
  OpenViduCertificateARN: CERT,
  OpenViduLicense: 'LICENSE-1234',
  KeyName: 'my-key',
  OpenViduVPC: VPC,
  OpenViduMasterNodeSubnets: [S1, S2, S3, S4],
  OpenViduMediaNodeSubnets: [S1, S2],
  InitialMeetAdminPassword: 'Admin_pass-1',
  InitialMeetApiKey: '',
  AdditionalInstallFlags: '--flag=value, --bool-flag',
  S3AppDataBucketName: '',
  S3ClusterDataBucketName: 'my-cluster-data.bucket',
  TurnDomainName: '',
  TurnCertificateARN: '',
};

function validForm(spec: TemplateSpec, overrides: FormValues = {}): Record<string, FormValues[string]> {
  const values: Record<string, FormValues[string]> = { [STACK_NAME_FIELD]: 'openvidu-ha', ...defaultValues(spec) };
  for (const [k, v] of Object.entries(GOOD)) if (findParameter(spec, k)) values[k] = v;
  return { ...values, ...overrides };
}

const errors = (issues: Issue[], field?: string) => issues.filter((i) => i.severity === 'error' && (!field || i.field === field));
const warnings = (issues: Issue[], field?: string) => issues.filter((i) => i.severity === 'warning' && (!field || i.field === field));

function expectError(issues: Issue[], field: string, re: RegExp): void {
  const found = errors(issues, field);
  assert.ok(found.some((i) => re.test(i.message)), `expected an error on ${field} matching ${re}; got ${JSON.stringify(issues, null, 1)}`);
}

function expectClean(issues: Issue[], field?: string): void {
  const relevant = field ? issues.filter((i) => i.field === field) : issues;
  assert.deepEqual(relevant, [], JSON.stringify(relevant, null, 1));
}

describe('every version', () => {
  for (const version of KNOWN_VERSIONS) {
    const spec = SPECS[version];

    it(`${version}: a fully valid form has no issues, with and without AWS context`, () => {
      expectClean(validateDeployForm(spec, validForm(spec)));
      expectClean(validateDeployForm(spec, validForm(spec), CONTEXT));
    });

    it(`${version}: an empty form reports exactly the required parameters and the stack name`, () => {
      const issues = validateDeployForm(spec, {});
      const required = ['DomainName', 'OpenViduCertificateARN', 'OpenViduLicense', 'KeyName', 'OpenViduVPC', 'OpenViduMasterNodeSubnets', 'OpenViduMediaNodeSubnets'];
      assert.deepEqual(errors(issues).map((i) => i.field), [STACK_NAME_FIELD, ...required]);
      for (const i of issues) assert.match(i.message, /is required/);
    });

    it(`${version}: every message names its field`, () => {
      const bad = validForm(spec, {
        [STACK_NAME_FIELD]: '1bad', DomainName: 'Not A Domain', OpenViduCertificateARN: 'nope', RTCEngine: 'x', MasterNodesDiskSize: '10',
        InitialNumberOfMediaNodes: '9', S3AppDataBucketName: 'A', OpenViduMasterNodeSubnets: [S1, S1, PRIVATE, NO_PUBLIC_IP, S5],
        InitialMeetAdminPassword: 'bad pass!', TurnDomainName: 'turn.example.com', KeyName: 'missing', MasterNodeInstanceType: 'c5.large',
      });
      const issues = validateDeployForm(spec, bad, CONTEXT);
      assert.ok(errors(issues).length >= 8);
      for (const i of issues) assert.ok(i.message.includes(i.field), `message does not name ${i.field}: ${i.message}`);
    });
  }

  it('every AllowedPattern of every version is understood (compiles as a Unicode JavaScript regex)', () => {
    for (const version of KNOWN_VERSIONS) {
      for (const p of SPECS[version].parameters) {
        if (p.allowedPattern) assert.doesNotThrow(() => new RegExp(`^(?:${p.allowedPattern})$`, 'u'), `${version} ${p.key}`);
      }
    }
  });

  it('TurnDomainName / TurnCertificateARN are checked in 3.2–3.5 and ignored later', () => {
    for (const v of ['3.2.0', '3.3.0', '3.4.0', '3.5.0']) {
      const spec = SPECS[v];
      expectError(validateDeployForm(spec, validForm(spec, { TurnDomainName: 'turn.example.com' })), 'TurnCertificateARN', /required when TurnDomainName is set/);
      expectClean(validateDeployForm(spec, validForm(spec, { TurnDomainName: 'turn.example.com', TurnCertificateARN: TURN_CERT }), CONTEXT));
      expectError(validateDeployForm(spec, validForm(spec, { TurnDomainName: 'other.example.org', TurnCertificateARN: TURN_CERT }), CONTEXT), 'TurnCertificateARN', /does not cover TurnDomainName other\.example\.org/);
    }
    for (const v of ['3.6.0', '3.7.0', '3.8.0']) {
      const spec = SPECS[v];
      expectClean(validateDeployForm(spec, validForm(spec, { TurnDomainName: 'turn.example.com', TurnCertificateARN: 'garbage' }), CONTEXT));
    }
  });

  it('InitialMeetAdminPassword is checked from 3.4 and ignored before', () => {
    for (const v of ['3.2.0', '3.3.0']) expectClean(validateDeployForm(SPECS[v], validForm(SPECS[v], { InitialMeetAdminPassword: 'bad pass!' })));
    for (const v of ['3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0']) {
      expectError(validateDeployForm(SPECS[v], validForm(SPECS[v], { InitialMeetAdminPassword: 'bad pass!' })), 'InitialMeetAdminPassword', /only alphanumeric/);
    }
  });

  it('AdditionalInstallFlags is checked from 3.3 and ignored in 3.2', () => {
    expectClean(validateDeployForm(V32, validForm(V32, { AdditionalInstallFlags: '$(rm -rf /)' })));
    expectError(validateDeployForm(SPECS['3.3.0'], validForm(SPECS['3.3.0'], { AdditionalInstallFlags: '$(rm -rf /)' })), 'AdditionalInstallFlags', /comma-separated list of flags/);
  });
});

describe('parameter rules', () => {
  it('required: no default and empty', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduLicense: '' })), 'OpenViduLicense', /OpenViduLicense is required/);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduLicense: '   ' })), 'OpenViduLicense', /is required/);
    expectClean(validateDeployForm(V38, validForm(V38, { OpenViduLicense: 'abc' })));
    // No default, but "If empty, a bucket will be created".
    expectClean(validateDeployForm(V38, validForm(V38, { S3AppDataBucketName: '', S3ClusterDataBucketName: undefined })));
    // Empty with a default: CloudFormation applies the default.
    expectClean(validateDeployForm(V38, validForm(V38, { MasterNodesDiskSize: '', RTCEngine: '' })));
  });

  it('AllowedPattern with the template\'s ConstraintDescription', () => {
    const issues = validateDeployForm(V38, validForm(V38, { DomainName: 'Bad_Domain' }));
    expectError(issues, 'DomainName', /DomainName: The domain name does not have a valid domain name format/);
    expectClean(validateDeployForm(V38, validForm(V38, { DomainName: 'a.b.example.com', OpenViduCertificateARN: CERT })), 'DomainName');
  });

  it('AllowedValues', () => {
    expectError(validateDeployForm(V38, validForm(V38, { RTCEngine: 'janus' })), 'RTCEngine', /RTCEngine must be one of pion, mediasoup/);
    expectClean(validateDeployForm(V38, validForm(V38, { RTCEngine: 'mediasoup' })));
    expectError(validateDeployForm(V38, validForm(V38, { MasterNodeInstanceType: 'x1.tiny' })), 'MasterNodeInstanceType', /must be one of .*\(\d+ values\)/);
    expectError(validateDeployForm(V38, validForm(V38, { OperatingSystem: 'Ubuntu-20' })), 'OperatingSystem', /Ubuntu-22, Ubuntu-24/);
  });

  it('Number: ScaleTargetCPU (a target-tracking TargetValue, a double) takes decimals; counts and sizes are whole', () => {
    for (const spec of Object.values(SPECS)) {
      if (!findParameter(spec, 'ScaleTargetCPU')) continue;
      expectClean(validateDeployForm(spec, validForm(spec, { ScaleTargetCPU: '62.5' })));
      expectClean(validateDeployForm(spec, validForm(spec, { ScaleTargetCPU: 70 })));
      expectError(validateDeployForm(spec, validForm(spec, { ScaleTargetCPU: 'fifty' })), 'ScaleTargetCPU', /must be a number.*"fifty" is not/);
      expectError(validateDeployForm(spec, validForm(spec, { ScaleTargetCPU: '1.2.3' })), 'ScaleTargetCPU', /must be a number/);
    }
    expectError(validateDeployForm(V38, validForm(V38, { MinNumberOfMediaNodes: '1.5' })), 'MinNumberOfMediaNodes', /whole number/);
    expectError(validateDeployForm(V38, validForm(V38, { MasterNodesDiskSize: '60.5' })), 'MasterNodesDiskSize', /whole number/);
  });

  it('a list parameter with AllowedPattern is checked per item, as CloudFormation does', () => {
    const lists: TemplateSpec = {
      parameters: [
        { key: 'Names', type: 'CommaDelimitedList', default: '', noEcho: false, allowedPattern: '[a-z]+', constraintDescription: 'lowercase letters only' },
        { key: 'Ids', type: 'List<AWS::EC2::SecurityGroup::Id>', default: '', noEcho: false, allowedPattern: 'sg-[0-9a-f]+' },
      ],
      groups: [],
      resources: {},
    };
    const base = { [STACK_NAME_FIELD]: 'lists' };
    expectClean(validateDeployForm(lists, { ...base, Names: 'abc, def', Ids: ['sg-0a', 'sg-1b'] }));
    expectError(validateDeployForm(lists, { ...base, Names: 'abc,DEF' }), 'Names', /Names: DEF does not match the pattern \[a-z\]\+ \(lowercase letters only\)/);
    expectError(validateDeployForm(lists, { ...base, Ids: ['sg-0a', 'nope', 'sg-'] }), 'Ids', /nope, sg- do not match/);
    // the template's subnet lists (AllowedPattern ^.+$) are fine item by item
    expectClean(validateDeployForm(V38, validForm(V38)));
  });

  it('messages quote at most ~80 characters of the input (a 100 kB value is not echoed whole)', () => {
    const huge = `x${'y'.repeat(100_000)}`;
    const cases: Array<[string, FormValues]> = [
      [STACK_NAME_FIELD, { [STACK_NAME_FIELD]: `1${huge}` }],
      ['ScaleTargetCPU', { ScaleTargetCPU: huge }],
      ['RTCEngine', { RTCEngine: huge }],
      ['OpenViduVPC', { OpenViduVPC: huge }],
      ['KeyName', { KeyName: huge }],
      ['S3AppDataBucketName', { S3AppDataBucketName: huge }],
      ['OpenViduMasterNodeSubnets', { OpenViduMasterNodeSubnets: [huge, S1] }],
      ['OpenViduCertificateARN', { OpenViduCertificateARN: `arn:aws:acm:${REGION}:123456789012:certificate/${'a'.repeat(100_000)}` }],
    ];
    for (const [field, override] of cases) {
      const issues = validateDeployForm(V38, validForm(V38, override), CONTEXT).filter((i) => i.field === field);
      assert.ok(issues.length > 0, field);
      for (const i of issues) assert.ok(i.message.length < 600, `${field}: ${i.message.length} characters`);
    }
  });

  it('MinValue from the template (MasterNodesDiskSize >= 50)', () => {
    expectError(validateDeployForm(V38, validForm(V38, { MasterNodesDiskSize: '49' })), 'MasterNodesDiskSize', /at least 50 .*disk size must be at least 50 GB/);
    expectClean(validateDeployForm(V38, validForm(V38, { MasterNodesDiskSize: '50' })));
  });

  const synthetic: TemplateSpec = {
    parameters: [
      { key: 'Count', type: 'Number', default: '5', noEcho: false, minValue: 1, maxValue: 10 },
      { key: 'Code', type: 'String', noEcho: false, minLength: 3, maxLength: 5, allowedPattern: '[A-Z]+' },
      { key: 'Java', type: 'String', default: '', noEcho: false, allowedPattern: '(?<!x)\\p{javaLowerCase}+' },
    ],
    groups: [],
    resources: {},
  };

  it('never repeats a NoEcho value in a message', () => {
    const secret: TemplateSpec = {
      parameters: [
        { key: 'Pin', type: 'Number', noEcho: true, minValue: 1000 },
        { key: 'Mode', type: 'String', noEcho: true, allowedValues: ['a', 'b'] },
        { key: 'Token', type: 'String', noEcho: true, allowedPattern: '[a-z]+' },
      ],
      groups: [],
      resources: {},
    };
    for (const [key, value] of [['Pin', 'hunter2x'], ['Pin', '12'], ['Mode', 'hunter2x'], ['Token', 'HUNTER2X']]) {
      const issues = validateDeployForm(secret, { [STACK_NAME_FIELD]: 's', Pin: '1234', Mode: 'a', Token: 'abc', [key]: value });
      assert.equal(errors(issues, key).length, 1, `${key}=${value}`);
      for (const i of issues) assert.ok(!i.message.includes(value), i.message);
    }
  });

  it('MaxValue, MinLength, MaxLength, and whole-value pattern matching', () => {
    const base = { [STACK_NAME_FIELD]: 'a-very-long-stack-name-that-has-no-lambda-limit-in-this-template-at-all', Code: 'ABC' };
    expectClean(validateDeployForm(synthetic, base));
    expectError(validateDeployForm(synthetic, { ...base, Count: '11' }), 'Count', /Count must be at most 10/);
    expectError(validateDeployForm(synthetic, { ...base, Count: '0' }), 'Count', /Count must be at least 1/);
    expectError(validateDeployForm(synthetic, { ...base, Code: 'AB' }), 'Code', /at least 3 characters/);
    expectError(validateDeployForm(synthetic, { ...base, Code: 'ABCDEF' }), 'Code', /at most 5 characters/);
    // CloudFormation matches the whole value: "ABc" contains [A-Z]+ but does not match it.
    expectError(validateDeployForm(synthetic, { ...base, Code: 'ABc' }), 'Code', /must match \[A-Z\]\+/);
    // A pattern JavaScript cannot compile is left to CloudFormation.
    expectClean(validateDeployForm(synthetic, { ...base, Java: 'abc' }));
  });

  it('Min <= Initial <= Max media nodes', () => {
    expectError(validateDeployForm(V38, validForm(V38, { MinNumberOfMediaNodes: '2', InitialNumberOfMediaNodes: '1' })), 'InitialNumberOfMediaNodes', /below MinNumberOfMediaNodes \(2\)/);
    expectError(validateDeployForm(V38, validForm(V38, { InitialNumberOfMediaNodes: '6' })), 'InitialNumberOfMediaNodes', /above MaxNumberOfMediaNodes \(5\)/);
    expectError(validateDeployForm(V38, validForm(V38, { MinNumberOfMediaNodes: '6', MaxNumberOfMediaNodes: '3' })), 'MinNumberOfMediaNodes', /greater than MaxNumberOfMediaNodes/);
    expectClean(validateDeployForm(V38, validForm(V38, { MinNumberOfMediaNodes: '2', InitialNumberOfMediaNodes: '2', MaxNumberOfMediaNodes: '2' })));
    // Empty values fall back to the defaults (1 <= 1 <= 5).
    expectError(validateDeployForm(V38, validForm(V38, { MinNumberOfMediaNodes: '', InitialNumberOfMediaNodes: '', MaxNumberOfMediaNodes: '0' })), 'MinNumberOfMediaNodes', /\(1\) is greater than MaxNumberOfMediaNodes \(0\)/);
    // A spec without those parameters is not checked.
    const noNodes: TemplateSpec = { ...V38, parameters: V38.parameters.filter((p) => p.key !== 'MaxNumberOfMediaNodes') };
    expectClean(validateDeployForm(noNodes, validForm(noNodes, { InitialNumberOfMediaNodes: '50' })));
  });
});

describe('stack name', () => {
  it('starts with a letter; letters, digits and hyphens; at most 128', () => {
    for (const bad of ['1stack', 'my_stack', 'my stack', '-stack', 'stäck']) {
      expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: bad })), STACK_NAME_FIELD, /must start with a letter/);
    }
    expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: '' })), STACK_NAME_FIELD, /StackName is required/);
    const noLambda: TemplateSpec = { ...V38, resources: {} };
    expectClean(validateDeployForm(noLambda, validForm(noLambda, { [STACK_NAME_FIELD]: `a${'b'.repeat(127)}` })));
    expectError(validateDeployForm(noLambda, validForm(noLambda, { [STACK_NAME_FIELD]: `a${'b'.repeat(128)}` })), STACK_NAME_FIELD, /at most 128/);
    assert.equal(maxStackNameLength(noLambda), 128);
  });

  it('fits the SubnetProcessor-<region>-<stack> Lambda name (64 characters)', () => {
    assert.equal(subnetProcessorFunctionName('us-east-1', 'x'), 'SubnetProcessor-us-east-1-x');
    assert.equal(maxStackNameLength(V38, 'us-east-1'), 38);
    assert.equal(maxStackNameLength(V38, 'ap-southeast-2'), 33);
    const ok = `s${'x'.repeat(37)}`;
    const long = `s${'x'.repeat(38)}`;
    expectClean(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: ok }), { region: 'us-east-1' }));
    expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: long }), { region: 'us-east-1' }), STACK_NAME_FIELD, /Lambda function "SubnetProcessor-us-east-1-sx+" \(65 characters.*at most 38/);
    expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: ok }), { region: 'ap-southeast-2' }), STACK_NAME_FIELD, /at most 33 characters/);
    // Without a region: an error past the shortest region's limit, a warning past the longest's.
    const issues = validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: ok }));
    assert.equal(errors(issues).length, 0);
    assert.match(warnings(issues, STACK_NAME_FIELD)[0].message, /may be too long/);
    expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: long })), STACK_NAME_FIELD, /too long/);
  });

  it('not already used', () => {
    expectError(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: 'existing-stack' }), CONTEXT), STACK_NAME_FIELD, /already used by a stack in us-east-1/);
    expectClean(validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: 'new-stack' }), CONTEXT));
  });
});

describe('S3 bucket names', () => {
  it('isValidBucketName', () => {
    for (const good of ['abc', 'my-bucket', 'my.bucket.1', '1bucket', 'a'.repeat(63)]) assert.ok(isValidBucketName(good), good);
    const bad: Array<[string, RegExp]> = [
      ['ab', /3 to 63/], ['a'.repeat(64), /3 to 63/], ['My-Bucket', /lowercase/], ['my_bucket', /lowercase/],
      ['-bucket', /start and end/], ['bucket-', /start and end/], ['bucket.', /start and end/], ['my..bucket', /adjacent dots/],
      ['192.168.1.1', /IP address/], ['xn--bucket', /xn--/], ['bucket-s3alias', /-s3alias/], ['bucket--ol-s3', /--ol-s3/], ['sthree-bucket', /sthree-/],
    ];
    for (const [name, re] of bad) {
      assert.ok(!isValidBucketName(name), name);
      assert.match(bucketNameProblem(name)!, re, name);
    }
  });

  it('checked in the form only when given', () => {
    expectError(validateDeployForm(V38, validForm(V38, { S3AppDataBucketName: 'Bad..Name' })), 'S3AppDataBucketName', /not a valid S3 bucket name.*leave it empty/);
    expectClean(validateDeployForm(V38, validForm(V38, { S3AppDataBucketName: '', S3ClusterDataBucketName: 'good-name' })));
  });
});

describe('subnets', () => {
  it('at most 4 master subnets (one per master node in the template)', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMasterNodeSubnets: [S1, S2, S3, S4, S5] })), 'OpenViduMasterNodeSubnets', /5 subnets: at most 4/);
    expectClean(validateDeployForm(V38, validForm(V38, { OpenViduMasterNodeSubnets: [S1, S2] })));
  });

  it('non-empty, no duplicates, subnet ids', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: [] })), 'OpenViduMediaNodeSubnets', /is required/);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: [S1, S2, S1] })), 'OpenViduMediaNodeSubnets', /more than once/);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: 'subnet-1,foo' })), 'OpenViduMediaNodeSubnets', /not subnet ids/);
    expectClean(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: `${S1}, ${S3}` })));
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduVPC: 'vpc-xyz' })), 'OpenViduVPC', /not a VPC id/);
  });

  it('in the chosen VPC, which exists', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: [S1, IN_OTHER_VPC] }), CONTEXT), 'OpenViduMediaNodeSubnets', new RegExp(`${IN_OTHER_VPC} belongs to ${OTHER_VPC}`));
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: [S1, sid(0xff)] }), CONTEXT), 'OpenViduMediaNodeSubnets', /was not found/);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduVPC: 'vpc-00000000000000001' }), CONTEXT), 'OpenViduVPC', /was not found in us-east-1/);
  });

  it('public, with auto-assigned public IPv4', () => {
    const issues = validateDeployForm(V38, validForm(V38, { OpenViduMediaNodeSubnets: [PRIVATE, NO_PUBLIC_IP] }), CONTEXT);
    expectError(issues, 'OpenViduMediaNodeSubnets', new RegExp(`${PRIVATE} .*add a route 0\\.0\\.0\\.0/0 to an internet gateway`));
    expectError(issues, 'OpenViduMediaNodeSubnets', new RegExp(`${NO_PUBLIC_IP} .*enable auto-assign public IPv4`));
    assert.equal(errors(issues).length, 2);
  });

  it('master subnets in distinct zones; a warning under 4 zones', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduMasterNodeSubnets: [S1, S5, S2, S3] }), CONTEXT), 'OpenViduMasterNodeSubnets', /are all in us-east-1a.*distinct availability zones/);
    const two = validateDeployForm(V38, validForm(V38, { OpenViduMasterNodeSubnets: [S1, S2] }), CONTEXT);
    assert.equal(errors(two).length, 0);
    assert.match(warnings(two, 'OpenViduMasterNodeSubnets')[0].message, /uses 2 availability zones .*each of 4 zones.*us-east-1a, us-east-1b, us-east-1c, us-east-1d/);
    const smallVpc = validateDeployForm(V38, validForm(V38, { OpenViduVPC: OTHER_VPC, OpenViduMasterNodeSubnets: [E1, E2], OpenViduMediaNodeSubnets: [E1] }), CONTEXT);
    assert.equal(errors(smallVpc).length, 0);
    assert.match(warnings(smallVpc, 'OpenViduMasterNodeSubnets')[0].message, /only 3 availability zones with public subnets are available/);
  });
});

describe('certificates', () => {
  it('certificateCovers: exact or one-level wildcard', () => {
    assert.ok(certificateCovers('openvidu.example.com', ['openvidu.example.com']));
    assert.ok(certificateCovers('OpenVidu.Example.com.', ['openvidu.example.com']));
    assert.ok(certificateCovers('a.example.com', ['example.com', '*.example.com']));
    assert.ok(!certificateCovers('example.com', ['*.example.com']));
    assert.ok(!certificateCovers('a.b.example.com', ['*.example.com']));
    assert.ok(!certificateCovers('other.com', ['example.com']));
    assert.ok(!certificateCovers('', ['*.example.com']));
  });

  it('ARN format and region', () => {
    assert.equal(certificateArnRegion(CERT), REGION);
    assert.equal(certificateArnRegion('arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc-1'), 'us-gov-west-1');
    assert.equal(certificateArnRegion('arn:aws:iam::123456789012:server-certificate/x'), undefined);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: 'my-cert' })), 'OpenViduCertificateARN', /not an ACM certificate ARN/);
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: EU_CERT }), CONTEXT), 'OpenViduCertificateARN', /in eu-west-1, but the stack is created in us-east-1/);
    expectClean(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: EU_CERT }), { region: 'eu-west-1' }));
  });

  it('an IAM server certificate ARN is accepted (the NLB TLS listeners take it) with a note, in every version', () => {
    const IAM_CERT = 'arn:aws:iam::123456789012:server-certificate/openvidu/ov-2026';
    for (const spec of Object.values(SPECS)) {
      for (const ctx of [{}, CONTEXT]) {
        const issues = validateDeployForm(spec, validForm(spec, { OpenViduCertificateARN: IAM_CERT }), ctx);
        assert.deepEqual(errors(issues), [], JSON.stringify(issues));
        assert.equal(warnings(issues, 'OpenViduCertificateARN').length, 1);
        assert.match(warnings(issues, 'OpenViduCertificateARN')[0].message, /IAM server certificate: the load balancer accepts it.*covers DomainName openvidu\.example\.com/);
      }
    }
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: 'arn:aws:iam::123456789012:role/not-a-cert' })), 'OpenViduCertificateARN', /not an ACM certificate ARN.*server-certificate/);
    // a template without load balancer listeners has nothing that takes it
    const noListener: TemplateSpec = { ...V38, resources: Object.fromEntries(Object.entries(V38.resources).filter(([, t]) => t !== 'AWS::ElasticLoadBalancingV2::Listener')) };
    expectError(validateDeployForm(noListener, validForm(noListener, { OpenViduCertificateARN: IAM_CERT })), 'OpenViduCertificateARN', /not an ACM certificate ARN/);
  });

  it('ISSUED, known, and covering DomainName', () => {
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: PENDING_CERT }), CONTEXT), 'OpenViduCertificateARN', /PENDING_VALIDATION, not ISSUED.*DNS validation/);
    expectError(validateDeployForm(V38, validForm(V38, { DomainName: 'meet.example.org' }), CONTEXT), 'OpenViduCertificateARN', /does not cover DomainName meet\.example\.org/);
    expectClean(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: WILDCARD_CERT, DomainName: 'ov.example.com' }), CONTEXT));
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: WILDCARD_CERT, DomainName: 'a.ov.example.com' }), CONTEXT), 'OpenViduCertificateARN', /does not cover/);
    const unknown = `arn:aws:acm:${REGION}:123456789012:certificate/99999999-2222-3333-4444-555555555555`;
    expectError(validateDeployForm(V38, validForm(V38, { OpenViduCertificateARN: unknown }), CONTEXT), 'OpenViduCertificateARN', /was not found in ACM in us-east-1/);
  });
});

describe('key pairs and instance types', () => {
  it('key pair exists', () => {
    expectError(validateDeployForm(V38, validForm(V38, { KeyName: 'nope' }), CONTEXT), 'KeyName', /key pair "nope" does not exist in us-east-1/);
    expectClean(validateDeployForm(V38, validForm(V38, { KeyName: 'other-key' }), CONTEXT));
  });

  it('instance types offered in every chosen zone (a warning naming the zones)', () => {
    const issues = validateDeployForm(V38, validForm(V38, { MasterNodeInstanceType: 'c5.large' }), CONTEXT);
    assert.equal(errors(issues).length, 0);
    assert.match(warnings(issues, 'MasterNodeInstanceType')[0].message, /c5\.large is not offered in us-east-1c, us-east-1d/);
    // Media nodes only run in zones a and b, which offer it.
    expectClean(validateDeployForm(V38, validForm(V38, { MediaNodeInstanceType: 'c5.large' }), CONTEXT));
  });
});

describe('validateField and helpers', () => {
  it('validateField reports only that field, with the typed value', () => {
    const values = validForm(V38, { MasterNodesDiskSize: '10', DomainName: '' });
    assert.deepEqual(validateField(V38, 'MasterNodesDiskSize', '100', values), []);
    const issues = validateField(V38, 'MasterNodesDiskSize', '20', values);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].field, 'MasterNodesDiskSize');
    assert.deepEqual(validateField(V38, 'KeyName', 'nope', values, CONTEXT).map((i) => i.field), ['KeyName']);
    expectError(validateField(V38, STACK_NAME_FIELD, 'existing-stack', values, CONTEXT), STACK_NAME_FIELD, /already used/);
  });

  it('issues come in field order, errors before warnings; helpers group them', () => {
    const issues = validateDeployForm(V38, validForm(V38, { [STACK_NAME_FIELD]: '', MasterNodesDiskSize: '1', DomainName: 'BAD', MasterNodeInstanceType: 'c5.large', OpenViduMasterNodeSubnets: [S1, S3] }), CONTEXT);
    const order = issues.map((i) => i.field);
    assert.equal(order[0], STACK_NAME_FIELD);
    assert.ok(order.indexOf('DomainName') < order.indexOf('MasterNodesDiskSize'));
    assert.ok(hasErrors(issues));
    assert.ok(!hasErrors(warnings(issues)));
    const grouped = issuesByField(issues);
    assert.equal(grouped.MasterNodesDiskSize.length, 1);
    assert.equal(grouped.MasterNodeInstanceType[0].severity, 'warning');
  });
});
