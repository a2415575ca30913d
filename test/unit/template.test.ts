import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { BUNDLED_VERSIONS, bundledSpec } from '../../src/openvidu/bundled-specs';
import {
  DEFAULT_TEMPLATE_BASE_URL,
  KNOWN_VERSIONS,
  LATEST,
  NEWEST_KNOWN_VERSION,
  OTHER_PARAMETERS_LABEL,
  VERSION_CHOICES,
  compareVersions,
  defaultValues,
  findParameter,
  formValueList,
  formValueText,
  isKnownVersion,
  isListType,
  isRequired,
  mergeTemplateSummary,
  parameterLabel,
  parameterWidget,
  parseCloudFormationYaml,
  parseTemplate,
  specFromSummaryJson,
  templateUrl,
  toCloudFormationParameters,
} from '../../src/openvidu/template';
import type { TemplateSpec, TemplateSummaryLike } from '../../src/openvidu/template';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'templates');
type SummaryJson = {
  templateVersion: string;
  Description: string;
  Parameters: Array<Record<string, unknown> & { ParameterKey: string }>;
  ParameterGroups: Array<{ Label: string; Parameters: string[] }>;
  Resources: Record<string, string>;
};
function fixture(version: string): SummaryJson {
  return JSON.parse(readFileSync(join(FIXTURES, `cf-openvidu-ha-${version}.summary.json`), 'utf8')) as SummaryJson;
}

describe('versions and URLs', () => {
  it('knows 3.2.0 … 3.8.0 and latest', () => {
    assert.deepEqual([...KNOWN_VERSIONS], ['3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0']);
    assert.equal(NEWEST_KNOWN_VERSION, '3.8.0');
    assert.equal(VERSION_CHOICES[0], LATEST);
    assert.equal(VERSION_CHOICES[1], '3.8.0');
    assert.equal(VERSION_CHOICES.length, 8);
    assert.ok(isKnownVersion('3.5.0'));
    assert.ok(!isKnownVersion('3.9.0'));
  });

  it('builds template URLs', () => {
    assert.equal(templateUrl('3.8.0'), 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/3.8.0/aws/cf-openvidu-ha.yaml');
    assert.equal(templateUrl('latest'), `${DEFAULT_TEMPLATE_BASE_URL}/latest/aws/cf-openvidu-ha.yaml`);
    assert.equal(templateUrl('3.2.0', 'http://127.0.0.1:4566/bucket/ha/'), 'http://127.0.0.1:4566/bucket/ha/3.2.0/aws/cf-openvidu-ha.yaml');
    assert.equal(templateUrl('3.10.1', 'http://x'), 'http://x/3.10.1/aws/cf-openvidu-ha.yaml');
    assert.throws(() => templateUrl('../etc'), /Unknown OpenVidu HA template version/);
    assert.throws(() => templateUrl('3.8'), /Unknown/);
  });

  it('compares versions numerically', () => {
    assert.equal(compareVersions('3.10.0', '3.9.0'), 1);
    assert.equal(compareVersions('3.2.0', '3.2.0'), 0);
    assert.equal(compareVersions('3.2.0', '3.8.0'), -1);
    assert.equal(compareVersions('latest', '3.8.0'), 1);
    assert.equal(compareVersions('3.8.0', 'latest'), -1);
  });
});

// A template using every CloudFormation short tag in its scalar, sequence and mapping forms.
const SHORT_TAGS_TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: Short tag test
Metadata:
  AWS::CloudFormation::Interface:
    ParameterGroups:
      - Label: { default: Network }
        Parameters: [Vpc, Subnets, Missing]
      - Label:
          default: Sizing
        Parameters:
          - DiskSize
          - Name
    ParameterLabels:
      DiskSize: { default: Disk size (GB) }
Parameters:
  Name:
    Type: String
    Default: ov
    MinLength: 2
    MaxLength: 20
    AllowedPattern: '^[a-z][a-z0-9-]*$'
    ConstraintDescription: lowercase letters, digits and hyphens
    Description: A name
  Vpc:
    Type: AWS::EC2::VPC::Id
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
  DiskSize:
    Type: Number
    Default: 100
    MinValue: 50
    MaxValue: 16384
  Engine:
    Type: String
    Default: pion
    AllowedValues: [pion, mediasoup]
  Secret:
    Type: String
    NoEcho: true
    Default: ''
  Flag:
    Type: String
    Default: true
Mappings:
  Region:
    eu-west-1: { Ami: ami-1 }
Conditions:
  IsPion: !Equals [!Ref Engine, pion]
  NotPion: !Not [!Condition IsPion]
  Both: !And
    - !Condition IsPion
    - !Not [!Equals [!Ref Name, '']]
  Either: !Or [!Condition IsPion, !Condition NotPion]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: IsPion
    Properties:
      BucketName: !Sub '\${AWS::StackName}-data'
      Tags:
        - Key: Sub2
          Value: !Sub
            - '\${A}-\${B}'
            - A: !Ref Name
              B: !Select [0, !GetAZs '']
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Join ['-', [SubnetProcessor, !Ref 'AWS::Region', !Ref 'AWS::StackName']]
      Role: !GetAtt Role.Arn
      Role2: !GetAtt [Role, Arn]
      Code:
        ZipFile: !Base64 |
          print("hello")
      Parts: !Split [',', !Join [',', !Ref Subnets]]
      Ami: !FindInMap [Region, !Ref 'AWS::Region', Ami]
      Cidrs: !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]
      Imported: !ImportValue SharedValue
      ImportedSub: !ImportValue
        Fn::Sub: '\${Name}-export'
      Maybe: !If [IsPion, !Ref Name, !Ref 'AWS::NoValue']
      MapForm: !Base64
        Fn::Join: ['', [a, b]]
      AZs: !GetAZs
        Ref: AWS::Region
  Role:
    Type: AWS::IAM::Role
Outputs:
  Out:
    Value: !GetAtt Fn.Arn
`;

describe('CloudFormation YAML', () => {
  it('turns every short tag into its long form', () => {
    const doc = parseCloudFormationYaml(SHORT_TAGS_TEMPLATE) as Record<string, Record<string, unknown>>;
    const cond = doc.Conditions;
    assert.deepEqual(cond.IsPion, { 'Fn::Equals': [{ Ref: 'Engine' }, 'pion'] });
    assert.deepEqual(cond.NotPion, { 'Fn::Not': [{ Condition: 'IsPion' }] });
    assert.deepEqual(cond.Both, { 'Fn::And': [{ Condition: 'IsPion' }, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Name' }, ''] }] }] });
    assert.deepEqual(cond.Either, { 'Fn::Or': [{ Condition: 'IsPion' }, { Condition: 'NotPion' }] });
    const res = doc.Resources as Record<string, { Properties?: Record<string, unknown> }>;
    const b = res.Bucket.Properties!;
    assert.deepEqual(b.BucketName, { 'Fn::Sub': '${AWS::StackName}-data' });
    assert.deepEqual((b.Tags as Array<{ Value: unknown }>)[0].Value, {
      'Fn::Sub': ['${A}-${B}', { A: { Ref: 'Name' }, B: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } }],
    });
    const f = res.Fn.Properties!;
    assert.deepEqual(f.FunctionName, { 'Fn::Join': ['-', ['SubnetProcessor', { Ref: 'AWS::Region' }, { Ref: 'AWS::StackName' }]] });
    assert.deepEqual(f.Role, { 'Fn::GetAtt': ['Role', 'Arn'] });
    assert.deepEqual(f.Role2, { 'Fn::GetAtt': ['Role', 'Arn'] });
    assert.deepEqual((f.Code as Record<string, unknown>).ZipFile, { 'Fn::Base64': 'print("hello")\n' });
    assert.deepEqual(f.Parts, { 'Fn::Split': [',', { 'Fn::Join': [',', { Ref: 'Subnets' }] }] });
    assert.deepEqual(f.Ami, { 'Fn::FindInMap': ['Region', { Ref: 'AWS::Region' }, 'Ami'] });
    assert.deepEqual(f.Cidrs, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] });
    assert.deepEqual(f.Imported, { 'Fn::ImportValue': 'SharedValue' });
    assert.deepEqual(f.ImportedSub, { 'Fn::ImportValue': { 'Fn::Sub': '${Name}-export' } });
    assert.deepEqual(f.Maybe, { 'Fn::If': ['IsPion', { Ref: 'Name' }, { Ref: 'AWS::NoValue' }] });
    assert.deepEqual(f.MapForm, { 'Fn::Base64': { 'Fn::Join': ['', ['a', 'b']] } });
    assert.deepEqual(f.AZs, { 'Fn::GetAZs': { Ref: 'AWS::Region' } });
    assert.deepEqual((doc.Outputs as Record<string, unknown>).Out, { Value: { 'Fn::GetAtt': ['Fn', 'Arn'] } });
  });

  it('parses parameters in template order with every constraint', () => {
    const spec = parseTemplate(SHORT_TAGS_TEMPLATE, '9.9.9');
    assert.equal(spec.version, '9.9.9');
    assert.equal(spec.description, 'Short tag test');
    assert.deepEqual(spec.parameters.map((p) => p.key), ['Name', 'Vpc', 'Subnets', 'DiskSize', 'Engine', 'Secret', 'Flag']);
    assert.deepEqual(findParameter(spec, 'Name'), {
      key: 'Name', type: 'String', default: 'ov', noEcho: false, description: 'A name', minLength: 2, maxLength: 20,
      allowedPattern: '^[a-z][a-z0-9-]*$', constraintDescription: 'lowercase letters, digits and hyphens',
    });
    assert.deepEqual(findParameter(spec, 'DiskSize'), { key: 'DiskSize', type: 'Number', default: '100', noEcho: false, minValue: 50, maxValue: 16384, label: 'Disk size (GB)' });
    assert.deepEqual(findParameter(spec, 'Engine')?.allowedValues, ['pion', 'mediasoup']);
    assert.equal(findParameter(spec, 'Secret')?.noEcho, true);
    assert.equal(findParameter(spec, 'Secret')?.default, '');
    assert.equal(findParameter(spec, 'Flag')?.default, 'true');
    assert.equal(findParameter(spec, 'Vpc')?.default, undefined);
    assert.ok(isListType(findParameter(spec, 'Subnets')!.type));
  });

  it('groups parameters from the interface metadata, ungrouped ones last', () => {
    const spec = parseTemplate(SHORT_TAGS_TEMPLATE);
    assert.deepEqual(spec.groups, [
      { label: 'Network', keys: ['Vpc', 'Subnets'] },
      { label: 'Sizing', keys: ['DiskSize', 'Name'] },
      { label: OTHER_PARAMETERS_LABEL, keys: ['Engine', 'Secret', 'Flag'] },
    ]);
  });

  it('maps resource logical ids to types', () => {
    const spec = parseTemplate(SHORT_TAGS_TEMPLATE);
    assert.deepEqual(spec.resources, { Bucket: 'AWS::S3::Bucket', Fn: 'AWS::Lambda::Function', Role: 'AWS::IAM::Role' });
  });

  it('accepts JSON templates and templates without metadata', () => {
    const spec = parseTemplate(JSON.stringify({ Parameters: { A: { Type: 'String' } }, Resources: { R: { Type: 'AWS::SNS::Topic' } } }));
    assert.deepEqual(spec.groups, [{ label: OTHER_PARAMETERS_LABEL, keys: ['A'] }]);
    assert.deepEqual(spec.resources, { R: 'AWS::SNS::Topic' });
  });

  it('rejects documents that are not templates', () => {
    assert.throws(() => parseTemplate('- a\n- b\n'), /Not a CloudFormation template/);
    assert.throws(() => parseTemplate('foo: bar\n'), /Not a CloudFormation template/);
    assert.throws(() => parseTemplate('Parameters: [unclosed\n'));
  });
});

/** The template YAML of a fixture version, rebuilt from its summary with short tags in the resources. */
function yamlFromFixture(f: SummaryJson): string {
  const params: Record<string, Record<string, unknown>> = {};
  for (const p of f.Parameters) {
    const { ParameterKey, ...rest } = p;
    params[ParameterKey] = rest;
  }
  const resources: Record<string, unknown> = {};
  for (const [id, type] of Object.entries(f.Resources)) resources[id] = { Type: type, Properties: { Name: 'REF_PLACEHOLDER' } };
  const text = stringify({
    Description: f.Description,
    Metadata: { 'AWS::CloudFormation::Interface': { ParameterGroups: f.ParameterGroups.map((g) => ({ Label: { default: g.Label }, Parameters: g.Parameters })) } },
    Parameters: params,
    Resources: resources,
  });
  return text.replaceAll('REF_PLACEHOLDER', "!Sub '${AWS::StackName}-x'");
}

describe('every known version', () => {
  for (const version of KNOWN_VERSIONS) {
    it(`${version}: summary JSON, template YAML, GetTemplateSummary merge and bundled spec agree`, () => {
      const f = fixture(version);
      const spec = specFromSummaryJson(f);
      assert.equal(spec.version, version);
      assert.deepEqual(spec.parameters.map((p) => p.key), f.Parameters.map((p) => p.ParameterKey));
      const grouped = spec.groups.flatMap((g) => g.keys);
      assert.deepEqual([...grouped].sort(), spec.parameters.map((p) => p.key).sort(), 'every parameter is in exactly one group');
      assert.equal(spec.resources.SubnetProcessorFunction, 'AWS::Lambda::Function');
      assert.equal(findParameter(spec, 'MasterNodesDiskSize')?.minValue, 50);

      const parsed = parseTemplate(yamlFromFixture(f), version);
      assert.deepEqual(parsed, spec);

      const summary: TemplateSummaryLike = {
        Description: f.Description,
        Parameters: [...f.Parameters].reverse().map((p) => ({
          ParameterKey: p.ParameterKey,
          ParameterType: p.Type as string,
          DefaultValue: p.Default === undefined ? undefined : String(p.Default),
          NoEcho: Boolean(p.NoEcho),
          Description: p.Description as string | undefined,
          ParameterConstraints: p.AllowedValues ? { AllowedValues: p.AllowedValues as string[] } : {},
        })),
        Metadata: JSON.stringify({ 'AWS::CloudFormation::Interface': { ParameterGroups: f.ParameterGroups.map((g) => ({ Label: { default: g.Label }, Parameters: g.Parameters })) } }),
      };
      assert.deepEqual(mergeTemplateSummary(summary, parsed), spec);

      assert.deepEqual(bundledSpec(version), spec);
    });
  }

  it('parameters that exist only in some versions', () => {
    const has = (v: string, key: string) => findParameter(bundledSpec(v)!, key) !== undefined;
    for (const v of ['3.2.0', '3.3.0', '3.4.0', '3.5.0']) assert.ok(has(v, 'TurnDomainName') && has(v, 'TurnCertificateARN'), v);
    for (const v of ['3.6.0', '3.7.0', '3.8.0']) assert.ok(!has(v, 'TurnDomainName') && !has(v, 'TurnCertificateARN'), v);
    for (const v of ['3.2.0', '3.3.0']) assert.ok(!has(v, 'InitialMeetAdminPassword'), v);
    for (const v of ['3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0']) assert.ok(has(v, 'InitialMeetAdminPassword') && findParameter(bundledSpec(v)!, 'InitialMeetApiKey')!.noEcho, v);
    assert.ok(!has('3.2.0', 'AdditionalInstallFlags') && has('3.3.0', 'AdditionalInstallFlags'));
    assert.ok(has('3.4.0', 'AmiId') && !has('3.5.0', 'AmiId') && has('3.5.0', 'OperatingSystem'));
  });
});

describe('bundled specs', () => {
  it('cover every known version; latest is the newest one', () => {
    assert.deepEqual(BUNDLED_VERSIONS, [...KNOWN_VERSIONS]);
    const latest = bundledSpec(LATEST)!;
    assert.equal(latest.version, LATEST);
    assert.deepEqual({ ...latest, version: NEWEST_KNOWN_VERSION }, bundledSpec(NEWEST_KNOWN_VERSION));
    assert.equal(bundledSpec('9.9.9'), undefined);
  });

  it('hand out copies', () => {
    const a = bundledSpec('3.8.0')!;
    a.parameters[0].key = 'Changed';
    a.resources.X = 'Y';
    const b = bundledSpec('3.8.0')!;
    assert.equal(b.parameters[0].key, 'DomainName');
    assert.equal(b.resources.X, undefined);
  });
});

describe('GetTemplateSummary merge', () => {
  const parsed = parseTemplate(SHORT_TAGS_TEMPLATE);

  it('takes types, defaults and allowed values from the summary and constraints from the YAML', () => {
    const summary: TemplateSummaryLike = {
      Description: 'From summary',
      Parameters: [
        { ParameterKey: 'DiskSize', ParameterType: 'Number', DefaultValue: '200', NoEcho: false, Description: 'Disk' },
        { ParameterKey: 'Engine', ParameterType: 'String', DefaultValue: 'pion', ParameterConstraints: { AllowedValues: ['pion'] } },
        { ParameterKey: 'Name', ParameterType: 'String', DefaultValue: 'ov' },
        { ParameterKey: 'Extra', ParameterType: 'String' },
      ],
      ResourceTypes: ['AWS::S3::Bucket'],
    };
    const spec = mergeTemplateSummary(summary, parsed);
    assert.equal(spec.description, 'From summary');
    // Template order for known keys, then keys only the summary knows; keys only the YAML knows are dropped.
    assert.deepEqual(spec.parameters.map((p) => p.key), ['Name', 'DiskSize', 'Engine', 'Extra']);
    assert.deepEqual(findParameter(spec, 'DiskSize'), { key: 'DiskSize', type: 'Number', default: '200', noEcho: false, description: 'Disk', label: 'Disk size (GB)', minValue: 50, maxValue: 16384 });
    assert.deepEqual(findParameter(spec, 'Engine')?.allowedValues, ['pion']);
    assert.equal(findParameter(spec, 'Name')?.allowedPattern, '^[a-z][a-z0-9-]*$');
    assert.equal(findParameter(spec, 'Name')?.maxLength, 20);
    // No Metadata in the summary: the YAML's groups, restricted to the summary's parameters.
    assert.deepEqual(spec.groups, [
      { label: 'Sizing', keys: ['DiskSize', 'Name'] },
      { label: OTHER_PARAMETERS_LABEL, keys: ['Engine', 'Extra'] },
    ]);
    assert.deepEqual(spec.resources, parsed.resources);
  });

  it('works from the summary alone', () => {
    const spec = mergeTemplateSummary({
      Parameters: [{ ParameterKey: 'B', ParameterType: 'String' }, { ParameterKey: 'A', ParameterType: 'Number', DefaultValue: '1' }],
      Metadata: JSON.stringify({ 'AWS::CloudFormation::Interface': { ParameterGroups: [{ Label: { default: 'G' }, Parameters: ['A'] }], ParameterLabels: { A: { default: 'Label A' } } } }),
      ResourceIdentifierSummaries: [{ ResourceType: 'AWS::S3::Bucket', LogicalResourceIds: ['Bucket1', 'Bucket2'] }],
    });
    assert.deepEqual(spec.parameters, [
      { key: 'B', type: 'String', noEcho: false },
      { key: 'A', type: 'Number', default: '1', noEcho: false, label: 'Label A' },
    ]);
    assert.deepEqual(spec.groups, [{ label: 'G', keys: ['A'] }, { label: OTHER_PARAMETERS_LABEL, keys: ['B'] }]);
    assert.deepEqual(spec.resources, { Bucket1: 'AWS::S3::Bucket', Bucket2: 'AWS::S3::Bucket' });
  });

  it('ignores unparseable metadata', () => {
    const spec = mergeTemplateSummary({ Parameters: [{ ParameterKey: 'A', ParameterType: 'String' }], Metadata: '{not json' });
    assert.deepEqual(spec.groups, [{ label: OTHER_PARAMETERS_LABEL, keys: ['A'] }]);
  });
});

describe('labels and widgets', () => {
  it('labels from ParameterLabels, else the key in words', () => {
    const spec = bundledSpec('3.8.0')!;
    assert.equal(parameterLabel(findParameter(spec, 'MasterNodesDiskSize')!), 'Master Nodes Disk Size');
    assert.equal(parameterLabel(findParameter(spec, 'OpenViduCertificateARN')!), 'OpenVidu Certificate ARN');
    assert.equal(parameterLabel(findParameter(spec, 'S3AppDataBucketName')!), 'S3 App Data Bucket Name');
    assert.equal(parameterLabel(findParameter(spec, 'RTCEngine')!), 'RTC Engine');
    assert.equal(parameterLabel(findParameter(parseTemplate(SHORT_TAGS_TEMPLATE), 'DiskSize')!), 'Disk size (GB)');
  });

  it('widgets by type', () => {
    const spec = bundledSpec('3.8.0')!;
    const w = (k: string) => parameterWidget(findParameter(spec, k)!);
    assert.equal(w('OpenViduVPC'), 'vpc');
    assert.equal(w('OpenViduMasterNodeSubnets'), 'subnets');
    assert.equal(w('KeyName'), 'keyPair');
    assert.equal(w('OpenViduCertificateARN'), 'certificate');
    assert.equal(w('RTCEngine'), 'choice');
    assert.equal(w('MasterNodeInstanceType'), 'choice');
    assert.equal(w('MasterNodesDiskSize'), 'number');
    assert.equal(w('OpenViduLicense'), 'secret');
    assert.equal(w('InitialMeetAdminPassword'), 'secret');
    assert.equal(w('DomainName'), 'text');
    assert.equal(parameterWidget({ key: 'X', type: 'CommaDelimitedList', noEcho: false }), 'list');
  });
});

describe('form values', () => {
  const spec: TemplateSpec = bundledSpec('3.8.0')!;

  it('required means no default and no "optional"/"if empty" wording', () => {
    const required = spec.parameters.filter(isRequired).map((p) => p.key);
    assert.deepEqual(required, ['DomainName', 'OpenViduCertificateARN', 'OpenViduLicense', 'KeyName', 'OpenViduVPC', 'OpenViduMasterNodeSubnets', 'OpenViduMediaNodeSubnets']);
    assert.ok(!isRequired(findParameter(bundledSpec('3.2.0')!, 'TurnDomainName')!));
  });

  it('normalises text and lists', () => {
    assert.equal(formValueText(['subnet-1', ' subnet-2 ', '']), 'subnet-1,subnet-2');
    assert.equal(formValueText(42), '42');
    assert.equal(formValueText(undefined), '');
    assert.equal(formValueText('  x '), 'x');
    assert.deepEqual(formValueList('a, b,,c '), ['a', 'b', 'c']);
    assert.deepEqual(formValueList(['a', ' ']), ['a']);
    assert.deepEqual(formValueList(null), []);
  });

  it('builds CreateStack parameters, leaving empty defaulted values to CloudFormation', () => {
    const values = { ...defaultValues(spec), DomainName: 'ov.example.com', MasterNodesDiskSize: '', OpenViduMasterNodeSubnets: ['subnet-1', 'subnet-2'], S3AppDataBucketName: '', Unknown: 'x' };
    const params = toCloudFormationParameters(spec, values);
    const byKey = Object.fromEntries(params.map((p) => [p.ParameterKey, p.ParameterValue]));
    assert.equal(byKey.DomainName, 'ov.example.com');
    assert.equal(byKey.OpenViduMasterNodeSubnets, 'subnet-1,subnet-2');
    assert.equal(byKey.MasterNodesDiskSize, undefined);
    assert.equal(byKey.S3AppDataBucketName, '');
    assert.equal(byKey.RTCEngine, 'pion');
    assert.equal(byKey.Unknown, undefined);
    assert.equal(defaultValues(spec).MasterNodesDiskSize, '100');
  });
});

describe('purity', () => {
  it('src/openvidu/template.ts and validation.ts import neither vscode nor Node built-ins', () => {
    // validation.ts is split by concern into validationTypes, awsNames, parameterRules and contextRules.
    const validationParts = ['validationTypes.ts', 'awsNames.ts', 'parameterRules.ts', 'contextRules.ts'];
    for (const file of ['template.ts', 'spec.ts', 'validation.ts', 'bundled-specs.ts', 'inputText.ts', ...validationParts]) {
      const src = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'openvidu', file), 'utf8');
      const imports = [...src.matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
      // Only template.ts needs the YAML parser: the webview validates without it.
      // template.ts reaches yaml through ./yamlLib, which loads it on first use and imports nothing else at run time
      const allowed = file === 'template.ts' ? ['yaml', './spec', './yamlLib'] : ['./spec', './inputText', ...validationParts.map((p) => `./${p.replace(/\.ts$/, '')}`)];
      for (const spec of imports) assert.ok(allowed.includes(spec), `${file} imports ${spec}`);
    }
    const lib = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'openvidu', 'yamlLib.ts'), 'utf8');
    assert.deepEqual([...lib.matchAll(/(?:from\s+|require\()['"]([^'"]+)['"]/g)].map((m) => m[1]), ['yaml', 'yaml']);
  });
});
