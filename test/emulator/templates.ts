/**
 * The OpenVidu HA CloudFormation templates the emulator knows, one per version (3.2.0–3.8.0), built from the
 * fact summaries in test/fixtures/templates. `templateYaml(version)` renders a template with the real shape:
 * Metadata `AWS::CloudFormation::Interface` parameter groups, Parameters with their constraints, Conditions,
 * Resources written with CloudFormation short tags (`!Ref`, `!Sub`, `!GetAtt`, `!If`, `!Equals`, `!Select`…)
 * and Outputs. The template is served over HTTP by the CloudFormation module.
 */
import { Document, Scalar, YAMLSeq } from 'yaml';
import s320 from '../fixtures/templates/cf-openvidu-ha-3.2.0.summary.json';
import s330 from '../fixtures/templates/cf-openvidu-ha-3.3.0.summary.json';
import s340 from '../fixtures/templates/cf-openvidu-ha-3.4.0.summary.json';
import s350 from '../fixtures/templates/cf-openvidu-ha-3.5.0.summary.json';
import s360 from '../fixtures/templates/cf-openvidu-ha-3.6.0.summary.json';
import s370 from '../fixtures/templates/cf-openvidu-ha-3.7.0.summary.json';
import s380 from '../fixtures/templates/cf-openvidu-ha-3.8.0.summary.json';

export interface TemplateParameter {
  ParameterKey: string;
  Type: string;
  Default?: string | number;
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  MinLength?: number;
  MaxLength?: number;
  ConstraintDescription?: string;
  NoEcho?: boolean;
  Description?: string;
}
export interface TemplateSummary {
  templateVersion: string;
  templateUrl: string;
  Description: string;
  Parameters: TemplateParameter[];
  ParameterGroups: { Label: string; Parameters: string[] }[];
  Resources: Record<string, string>;
  Outputs: Record<string, { Description?: string }>;
  SecretName: string;
  SecretKeys: string[];
}

const SUMMARIES: TemplateSummary[] = [s320, s330, s340, s350, s360, s370, s380] as unknown as TemplateSummary[];

export const TEMPLATE_VERSIONS: string[] = SUMMARIES.map((s) => s.templateVersion);
export const LATEST_TEMPLATE_VERSION = '3.8.0';
export const TEMPLATE_PATH_PREFIX = '/get.openvidu.io/pro/ha';
export const REAL_TEMPLATE_BASE = 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha';

/** Capabilities every OpenVidu HA template requires (it creates named IAM roles). */
export const REQUIRED_CAPABILITIES = ['CAPABILITY_NAMED_IAM'];

export function templateSummary(version: string): TemplateSummary | undefined {
  const v = version === 'latest' ? LATEST_TEMPLATE_VERSION : version;
  return SUMMARIES.find((s) => s.templateVersion === v);
}

/** The public URL of one version's template (the real S3 one). */
export function templateUrlFor(version: string): string {
  return `${REAL_TEMPLATE_BASE}/${version}/aws/cf-openvidu-ha.yaml`;
}

/**
 * The S3 location of a TemplateURL, as CloudFormation accepts it. CreateStack / CreateChangeSet /
 * GetTemplateSummary `TemplateURL` (API reference): "The URL must point to a template (max size: 1 MB) that's
 * located in an Amazon S3 bucket or a Systems Manager document. The location for an Amazon S3 bucket must start
 * with https://. URLs from S3 static websites are not supported." Accepted forms:
 *   https://<bucket>.s3.amazonaws.com/<key>, https://<bucket>.s3[.-]<region>.amazonaws.com/<key>   (virtual-hosted)
 *   https://s3.amazonaws.com/<bucket>/<key>, https://s3[.-]<region>.amazonaws.com/<bucket>/<key>     (path-style)
 *   http(s)://127.0.0.1|localhost:<port>/<bucket>/<key>: path-style on the emulator's own endpoint, the S3 endpoint
 *   a client reaches through its endpoint setting (as with LocalStack); the emulator hosts the templates there.
 * Errors, as CloudFormation words them (ValidationError):
 *   a non-http(s) URL (s3://…):    "TemplateURL must be a supported URL."  (mlnrt/incident-response-and-forensic#1)
 *   an https URL that is not S3:   "TemplateURL must be an Amazon S3 URL." (convox/cli#79, aws/aws-cli#3200)
 *   an S3 URL without the object:  "TemplateURL must reference a valid S3 object to which you have access."
 *                                  (F5Networks/f5-aws-cloudformation#16)
 */
export function s3Location(url: string): { bucket: string; key: string } | { error: 'unsupported' | 'notS3' } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: 'unsupported' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { error: 'unsupported' };
  const host = u.hostname.toLowerCase();
  const path = decodeURIComponent(u.pathname).replace(/^\//, '');
  const pathStyle = () => {
    const slash = path.indexOf('/');
    return slash > 0 && slash < path.length - 1 ? { bucket: path.slice(0, slash), key: path.slice(slash + 1) } : { error: 'notS3' as const };
  };
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return pathStyle();
  if (u.protocol !== 'https:') return { error: 'notS3' };
  if (/(^|\.)s3[.-]website[.-]/.test(host)) return { error: 'notS3' }; // "URLs from S3 static websites are not supported"
  if (/^s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(host)) return pathStyle();
  const vh = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.exec(host);
  if (vh && path) return { bucket: vh[1], key: path };
  return { error: 'notS3' };
}

/**
 * Resolves a TemplateURL to a template version: an S3 URL (see `s3Location`) whose key ends in
 * `pro/ha/<version|latest>/aws/cf-openvidu-ha.yaml` (OpenVidu's bucket or a mirror of it).
 * Returns `{ version }` for a known version, `{ error: 'unsupported' | 'notS3' }` for a URL CloudFormation refuses,
 * `{ error: 'notFound' }` for an S3 URL without a known template.
 */
export function resolveTemplateUrl(url: string): { version: string } | { error: 'unsupported' | 'notS3' | 'notFound' } {
  const loc = s3Location(url);
  if ('error' in loc) return loc;
  const m = /(?:^|\/)pro\/ha\/([^/]+)\/aws\/cf-openvidu-ha\.yaml$/.exec(loc.key);
  if (!m) return { error: 'notFound' };
  const s = templateSummary(m[1]);
  return s ? { version: s.templateVersion } : { error: 'notFound' };
}

// ---- YAML rendering -----------------------------------------------------------------------------------

function tagged(tag: string, value: string): Scalar {
  const s = new Scalar(value);
  s.tag = tag;
  return s;
}
const ref = (x: string) => tagged('!Ref', x);
const sub = (x: string) => tagged('!Sub', x);
const getAtt = (x: string) => tagged('!GetAtt', x);
function tagSeq(tag: string, items: unknown[]): YAMLSeq {
  const s = new YAMLSeq();
  s.tag = tag;
  s.items.push(...items);
  return s;
}
const iff = (cond: string, a: unknown, b: unknown) => tagSeq('!If', [cond, a, b]);
const equals = (a: unknown, b: unknown) => tagSeq('!Equals', [a, b]);
const not = (a: unknown) => tagSeq('!Not', [a]);
const select = (i: number, list: unknown) => tagSeq('!Select', [i, list]);

/** IAM role names the template gives its named roles (CAPABILITY_NAMED_IAM). */
export const ROLE_NAME_PREFIX: Record<string, string> = {
  LambdaExecutionRole: 'OpenViduLambdaRole',
  OpenViduMasterNodeRole: 'OpenViduMasterNodeRole',
  OpenViduMediaNodeRole: 'OpenViduMediaNodeRole',
  StopMediaNodeDocumentRole: 'OpenViduStopMediaNodeRole',
  StopMediaNodeCloudWatchEventRole: 'OpenViduStopMediaNodeEventRole',
  OpenViduMasterInstanceProfile: 'OpenViduMasterInstanceProfile',
  OpenViduMediaInstanceProfile: 'OpenViduMediaInstanceProfile',
};

/** Managed policies attached to each role (only the media role gets SSM in 3.8.0). */
export const ROLE_MANAGED_POLICIES: Record<string, string[]> = {
  LambdaExecutionRole: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  OpenViduMasterNodeRole: [],
  OpenViduMediaNodeRole: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
  StopMediaNodeDocumentRole: ['arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole'],
  StopMediaNodeCloudWatchEventRole: [],
};

export const ROLE_SERVICE_PRINCIPAL: Record<string, string> = {
  LambdaExecutionRole: 'lambda.amazonaws.com',
  OpenViduMasterNodeRole: 'ec2.amazonaws.com',
  OpenViduMediaNodeRole: 'ec2.amazonaws.com',
  StopMediaNodeDocumentRole: 'ssm.amazonaws.com',
  StopMediaNodeCloudWatchEventRole: 'events.amazonaws.com',
};

function hasParam(s: TemplateSummary, key: string): boolean {
  return s.Parameters.some((p) => p.ParameterKey === key);
}

function resourceBody(s: TemplateSummary, id: string, type: string): Record<string, unknown> {
  const turn = hasParam(s, 'TurnDomainName');
  const r: Record<string, unknown> = { Type: type };
  const masterN = /^OpenViduMasterNode(\d)$/.exec(id);
  const waitN = /^MasterNodesWaitCondition(\d)$/.exec(id);
  if (turn && /TurnTLS/.test(id)) r.Condition = 'TurnTLSIsEnabled';
  switch (type) {
    case 'AWS::SecretsManager::Secret':
      r.Properties = {
        Name: sub('openvidu-ha-${AWS::Region}-${AWS::StackName}'),
        Description: 'Secret for OpenVidu High Availability to store deployment info and seed secrets',
        SecretString: sub(`{\n${s.SecretKeys.map((k) => `  "${k}": "${k === 'ALL_SECRETS_GENERATED' ? 'false' : 'none'}"`).join(',\n')}\n}\n`),
      };
      break;
    case 'AWS::S3::Bucket':
      r.Condition = id.startsWith('S3AppData') ? 'CreateAppDataBucket' : 'CreateClusterDataBucket';
      r.DeletionPolicy = 'Retain';
      r.UpdateReplacePolicy = 'Retain';
      r.Properties = { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true } };
      break;
    case 'AWS::IAM::Role':
      r.Properties = {
        RoleName: sub(`${ROLE_NAME_PREFIX[id] ?? id}-\${AWS::Region}-\${AWS::StackName}`),
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: [ROLE_SERVICE_PRINCIPAL[id] ?? 'ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        ...(ROLE_MANAGED_POLICIES[id]?.length ? { ManagedPolicyArns: ROLE_MANAGED_POLICIES[id] } : {}),
        Policies: [
          {
            PolicyName: sub(`${id}Policy-\${AWS::StackName}`),
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:UpdateSecret'], Resource: [ref('OpenViduSharedInfo')] },
                { Effect: 'Allow', Action: ['ec2:DescribeInstances', 'autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
              ],
            },
          },
        ],
      };
      break;
    case 'AWS::IAM::InstanceProfile':
      r.Properties = {
        InstanceProfileName: sub(`${ROLE_NAME_PREFIX[id] ?? id}-\${AWS::Region}-\${AWS::StackName}`),
        Roles: [ref(id.includes('Master') ? 'OpenViduMasterNodeRole' : 'OpenViduMediaNodeRole')],
      };
      break;
    case 'AWS::Lambda::Function':
      r.Properties = {
        FunctionName: sub('SubnetProcessor-${AWS::Region}-${AWS::StackName}'),
        Handler: 'index.handler',
        Runtime: 'python3.12',
        Timeout: 60,
        Role: getAtt('LambdaExecutionRole.Arn'),
        Code: {
          ZipFile:
            'import cfnresponse\nimport boto3\n\ndef handler(event, context):\n    subnets = event["ResourceProperties"]["Subnets"]\n    ec2 = boto3.client("ec2")\n    data = {}\n    for i in range(4):\n        data["MasterSubnet%d" % (i + 1)] = subnets[i % len(subnets)]\n    cfnresponse.send(event, context, cfnresponse.SUCCESS, data)\n',
        },
      };
      break;
    case 'Custom::SubnetProcessor':
      r.Properties = {
        ServiceToken: getAtt('SubnetProcessorFunction.Arn'),
        Subnets: ref('OpenViduMasterNodeSubnets'),
        FirstSubnet: select(0, ref('OpenViduMasterNodeSubnets')),
      };
      break;
    case 'AWS::Logs::LogGroup':
      r.Properties = { LogGroupName: sub('/aws/lambda/SubnetProcessor-${AWS::Region}-${AWS::StackName}'), RetentionInDays: 7 };
      break;
    case 'AWS::EC2::LaunchTemplate': {
      const master = id.includes('Master');
      const image = hasParam(s, 'AmiId') ? ref('AmiId') : tagSeq('!FindInMap', ['OperatingSystemMap', ref('OperatingSystem'), ref('AWS::Region')]);
      r.Properties = {
        LaunchTemplateName: sub(`openvidu-ha-${master ? 'master' : 'media'}-\${AWS::Region}-\${AWS::StackName}`),
        LaunchTemplateData: {
          ImageId: image,
          InstanceType: ref(master ? 'MasterNodeInstanceType' : 'MediaNodeInstanceType'),
          KeyName: ref('KeyName'),
          IamInstanceProfile: { Arn: getAtt(`${master ? 'OpenViduMasterInstanceProfile' : 'OpenViduMediaInstanceProfile'}.Arn`) },
          SecurityGroupIds: [getAtt(`${master ? 'OpenViduMasterNodeSG' : 'OpenViduMediaNodeSG'}.GroupId`)],
          ...(master
            ? {
                BlockDeviceMappings: [
                  { DeviceName: '/dev/sda1', Ebs: { VolumeType: 'gp3', DeleteOnTermination: true, VolumeSize: ref('MasterNodesDiskSize') } },
                ],
              }
            : {}),
          UserData: {
            'Fn::Base64': tagSeq('!Sub', [
              `#!/bin/bash -x\nset -eu -o pipefail\n# OpenVidu ${s.templateVersion} ${master ? 'master' : 'media'} node\n` +
                `export DOMAIN_NAME=\${DomainName}\nexport SECRET_NAME=openvidu-ha-\${AWS::Region}-\${AWS::StackName}\n` +
                `export APP_DATA_BUCKET=\${AppDataBucket}\nexport CLUSTER_DATA_BUCKET=\${ClusterDataBucket}\n` +
                `bash /usr/local/bin/install.sh --${master ? 'master' : 'media'}-node\n` +
                (master ? `/usr/local/bin/cfn-signal -e $? --stack \${AWS::StackName} --region \${AWS::Region}\n` : ''),
              {
                AppDataBucket: iff('CreateAppDataBucket', ref('S3AppDataBucketResource'), ref('S3AppDataBucketName')),
                ClusterDataBucket: iff('CreateClusterDataBucket', ref('S3ClusterDataBucketResource'), ref('S3ClusterDataBucketName')),
              },
            ]),
          },
        },
      };
      break;
    }
    case 'AWS::EC2::Instance': {
      const n = Number(masterN?.[1] ?? 1);
      if (n > 1) r.DependsOn = `MasterNodesWaitCondition${n - 1}`;
      r.Properties = {
        LaunchTemplate: { LaunchTemplateId: ref('OpenViduMasterLaunchTemplate'), Version: getAtt('OpenViduMasterLaunchTemplate.LatestVersionNumber') },
        SubnetId: getAtt(`SubnetProcessor.MasterSubnet${n}`),
        Tags: [{ Key: 'Name', Value: sub(`\${AWS::StackName} - OpenVidu HA - Master Node ${n}`) }],
      };
      break;
    }
    case 'AWS::CloudFormation::WaitCondition':
      r.DependsOn = `OpenViduMasterNode${waitN?.[1] ?? 1}`;
      r.CreationPolicy = { ResourceSignal: { Timeout: 'PT20M', Count: 1 } };
      break;
    case 'AWS::EC2::SecurityGroup':
      r.Properties = {
        GroupDescription: sub(`${id} - \${AWS::StackName}`),
        VpcId: ref('OpenViduVPC'),
        ...(id === 'OpenViduLoadBalancerSG'
          ? { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }, { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }] }
          : {}),
      };
      break;
    case 'AWS::EC2::SecurityGroupIngress':
      r.Properties = {
        GroupId: getAtt(`${id.includes('ToMediaNode') ? 'OpenViduMediaNodeSG' : 'OpenViduMasterNodeSG'}.GroupId`),
        IpProtocol: 'tcp',
        FromPort: 7880,
        ToPort: 7880,
        SourceSecurityGroupId: getAtt(`${id.includes('LoadBalancer') ? 'OpenViduLoadBalancerSG' : id.includes('MediaNodeTo') ? 'OpenViduMediaNodeSG' : 'OpenViduMasterNodeSG'}.GroupId`),
      };
      break;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      r.Properties = {
        Type: 'network',
        Scheme: 'internet-facing',
        Subnets: ref('OpenViduMasterNodeSubnets'),
        SecurityGroups: [getAtt('OpenViduLoadBalancerSG.GroupId')],
        LoadBalancerAttributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
      };
      break;
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
      const media = id.includes('MediaNode');
      r.Properties = {
        Port: media ? 1935 : id.includes('HTTP') ? 80 : 443,
        Protocol: 'TCP',
        VpcId: ref('OpenViduVPC'),
        TargetType: media ? 'instance' : 'instance',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: '7880',
        HealthCheckPath: '/health/caddy',
        ...(media ? {} : { Targets: [1, 2, 3, 4].map((n) => ({ Id: ref(`OpenViduMasterNode${n}`) })) }),
      };
      break;
    }
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const http = id.includes('HTTP');
      const rtmp = id.includes('RTMP');
      const lb = turn && id.includes('TurnTLSMediaNode') ? 'TurnTLSLoadBalancer' : 'LoadBalancer';
      const tg = Object.keys(s.Resources).find((k) => s.Resources[k] === 'AWS::ElasticLoadBalancingV2::TargetGroup' && k.replace(/TG$/, '') === id.replace(/Listener$/, '')) ??
        Object.keys(s.Resources).find((k) => s.Resources[k] === 'AWS::ElasticLoadBalancingV2::TargetGroup') ?? 'OpenViduMasterNodeHTTPTG';
      r.Properties = {
        LoadBalancerArn: ref(lb),
        Port: http ? 80 : rtmp ? 1935 : 443,
        Protocol: http ? 'TCP' : 'TLS',
        ...(http
          ? {}
          : {
              Certificates: [
                { CertificateArn: turn && /TurnTLS/.test(id) ? iff('TurnTLSIsEnabled', ref('TurnCertificateARN'), ref('OpenViduCertificateARN')) : ref('OpenViduCertificateARN') },
              ],
            }),
        DefaultActions: [{ Type: 'forward', TargetGroupArn: ref(tg) }],
      };
      break;
    }
    case 'AWS::AutoScaling::AutoScalingGroup':
      r.DependsOn = ['MasterNodesWaitCondition4'];
      r.Properties = {
        AutoScalingGroupName: sub('openvidu-ha-media-asg-${AWS::Region}-${AWS::StackName}'),
        LaunchTemplate: { LaunchTemplateId: ref('OpenViduMediaNodeLaunchTemplate'), Version: getAtt('OpenViduMediaNodeLaunchTemplate.LatestVersionNumber') },
        MinSize: ref('MinNumberOfMediaNodes'),
        MaxSize: ref('MaxNumberOfMediaNodes'),
        DesiredCapacity: ref('InitialNumberOfMediaNodes'),
        VPCZoneIdentifier: ref('OpenViduMediaNodeSubnets'),
        TargetGroupARNs: [ref('OpenViduMediaNodeRTMPTG')],
        Tags: [{ Key: 'Name', Value: sub('${AWS::StackName} - OpenVidu HA - Media Node'), PropagateAtLaunch: true }],
      };
      r.UpdatePolicy = { AutoScalingRollingUpdate: { MinInstancesInService: 0, MaxBatchSize: 1 } };
      break;
    case 'AWS::AutoScaling::LifecycleHook':
      r.Properties = {
        AutoScalingGroupName: ref('OpenViduMediaNodeASG'),
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        DefaultResult: 'CONTINUE',
        HeartbeatTimeout: 3600,
      };
      break;
    case 'AWS::AutoScaling::ScalingPolicy':
      r.Properties = {
        AutoScalingGroupName: ref('OpenViduMediaNodeASG'),
        PolicyType: 'TargetTrackingScaling',
        EstimatedInstanceWarmup: 600,
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: ref('ScaleTargetCPU') },
      };
      break;
    case 'AWS::SSM::Document':
      r.Properties = {
        DocumentType: 'Automation',
        Content: {
          schemaVersion: '0.3',
          assumeRole: getAtt('StopMediaNodeDocumentRole.Arn'),
          parameters: { InstanceId: { type: 'String' } },
          mainSteps: [
            {
              name: 'RunCommand',
              action: 'aws:runCommand',
              inputs: { DocumentName: 'AWS-RunShellScript', InstanceIds: ['{{ InstanceId }}'], Parameters: { commands: ['/usr/local/bin/stop_media_node.sh'] } },
            },
          ],
        },
      };
      break;
    case 'AWS::Events::Rule':
      r.Properties = {
        EventPattern: { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance-terminate Lifecycle Action'], detail: { AutoScalingGroupName: [ref('OpenViduMediaNodeASG')] } },
        Targets: [{ Arn: sub('arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:automation-definition/${StopMediaNodeAutomationDocument}:$DEFAULT'), Id: 'StopMediaNode', RoleArn: getAtt('StopMediaNodeCloudWatchEventRole.Arn') }],
      };
      break;
    default:
      r.Properties = {};
  }
  return r;
}

const yamlCache = new Map<string, string>();

/** The template YAML of one version (`latest` = 3.8.0); undefined for an unknown version. */
export function templateYaml(version: string): string | undefined {
  const s = templateSummary(version);
  if (!s) return undefined;
  const cached = yamlCache.get(s.templateVersion);
  if (cached) return cached;
  const doc = new Document({});
  const parameters: Record<string, unknown> = {};
  for (const p of s.Parameters) {
    const { ParameterKey, ...rest } = p;
    const out: Record<string, unknown> = { Type: rest.Type };
    if (rest.Description !== undefined) out.Description = rest.Description;
    if (rest.Default !== undefined) out.Default = rest.Default;
    if (rest.AllowedValues) out.AllowedValues = rest.AllowedValues;
    if (rest.AllowedPattern !== undefined) out.AllowedPattern = rest.AllowedPattern;
    if (rest.MinValue !== undefined) out.MinValue = rest.MinValue;
    if (rest.MaxValue !== undefined) out.MaxValue = rest.MaxValue;
    if (rest.MinLength !== undefined) out.MinLength = rest.MinLength;
    if (rest.MaxLength !== undefined) out.MaxLength = rest.MaxLength;
    if (rest.NoEcho) out.NoEcho = true;
    if (rest.ConstraintDescription !== undefined) out.ConstraintDescription = rest.ConstraintDescription;
    parameters[ParameterKey] = out;
  }
  const conditions: Record<string, unknown> = {
    CreateAppDataBucket: equals(ref('S3AppDataBucketName'), ''),
    CreateClusterDataBucket: equals(ref('S3ClusterDataBucketName'), ''),
  };
  if (hasParam(s, 'TurnDomainName')) conditions.TurnTLSIsEnabled = not(equals(ref('TurnDomainName'), ''));
  const resources: Record<string, unknown> = {};
  for (const [id, type] of Object.entries(s.Resources)) resources[id] = resourceBody(s, id, type);
  const mappings = hasParam(s, 'OperatingSystem')
    ? {
        OperatingSystemMap: {
          'Ubuntu-22': { 'eu-west-1': 'ami-0694d931cee176e7d', 'us-east-1': 'ami-0e86e20dae9224db8' },
          'Ubuntu-24': { 'eu-west-1': 'ami-0d64bb532e0502c46', 'us-east-1': 'ami-04b70fa74e45c3917' },
        },
      }
    : undefined;
  const outputs: Record<string, unknown> = {
    ServicesAndCredentials: {
      Description: s.Outputs.ServicesAndCredentials?.Description ?? 'Services and credentials',
      Value: sub('https://${AWS::Region}.console.aws.amazon.com/secretsmanager/home?region=${AWS::Region}#/secret?name=openvidu-ha-${AWS::Region}-${AWS::StackName}'),
    },
    LoadBalancerDNS: { Description: 'DNS name of the load balancer: point your domain (CNAME/alias) at it', Value: getAtt('LoadBalancer.DNSName') },
  };
  doc.contents = doc.createNode({
    AWSTemplateFormatVersion: '2010-09-09',
    Description: s.Description,
    Metadata: {
      'AWS::CloudFormation::Interface': {
        ParameterGroups: s.ParameterGroups.map((g) => ({ Label: { default: g.Label }, Parameters: g.Parameters })),
      },
    },
    Parameters: parameters,
    ...(mappings ? { Mappings: mappings } : {}),
    Conditions: conditions,
    Resources: resources,
    Outputs: outputs,
  }) as never;
  const text = `# OpenVidu High Availability ${s.templateVersion} (emulator rendition of ${s.templateUrl})\n` + doc.toString({ lineWidth: 0 });
  yamlCache.set(s.templateVersion, text);
  return text;
}

/** The `Metadata` section as GetTemplateSummary returns it (JSON text). */
export function templateMetadataJson(version: string): string {
  const s = templateSummary(version)!;
  return JSON.stringify({
    'AWS::CloudFormation::Interface': { ParameterGroups: s.ParameterGroups.map((g) => ({ Label: { default: g.Label }, Parameters: g.Parameters })) },
  });
}

/** Parameter defaults as CloudFormation strings (Number defaults become "1"). */
export function parameterDefault(p: TemplateParameter): string | undefined {
  return p.Default === undefined ? undefined : String(p.Default);
}
