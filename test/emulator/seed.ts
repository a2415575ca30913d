/**
 * The simulated account's contents. `seedAccount` builds the base account (regions, VPCs, subnets, key pairs,
 * certificates, instance type offerings); `seedDemo` adds the demo OpenVidu stacks used by the sandbox.
 */
import { Certificate, RegionState, Subnet, World } from './world';
import { advanceStacks, createOpenViduStack } from './services/cloudformation';
import { injectStackFailure } from './openvidu-stack';
import { setSessionFaults } from './services/ssmSessions';

/** The instance families the OpenVidu HA templates allow (MasterNodeInstanceType AllowedValues, v3.8.0), by size. */
const TEMPLATE_INSTANCE_FAMILIES: Record<string, string> = {
  t3: 'nano micro small medium large xlarge 2xlarge',
  t3a: 'nano micro small medium large xlarge 2xlarge',
  t4g: 'nano micro small medium large xlarge 2xlarge',
  c5: 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal',
  c5a: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge',
  c5ad: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge',
  c5d: 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal',
  c5n: 'large xlarge 2xlarge 4xlarge 9xlarge 18xlarge metal',
  c6a: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal',
  c6g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  c6gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  c6gn: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge',
  c6i: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  c6id: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  c6in: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  c7a: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl',
  c7g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  c7gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  c7gn: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  'c7i-flex': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge',
  c7i: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  c8g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  c8gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  g4dn: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  g5: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
  g5g: 'xlarge 2xlarge 4xlarge 8xlarge 16xlarge metal',
  g6: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
  g6e: 'xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge',
  g6f: 'large xlarge 2xlarge 4xlarge',
  g7e: '2xlarge 4xlarge 8xlarge 12xlarge 24xlarge 48xlarge',
  gr6: '4xlarge 8xlarge',
  gr6f: '4xlarge',
  m6a: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal',
  m6g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  m6gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  m6i: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  m6id: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  m6idn: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  m6in: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
  m7a: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge 48xlarge metal-48xl',
  m7g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  m7gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  'm7i-flex': 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge',
  m7i: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  m8g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  m8gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
  p4d: '24xlarge',
  p4de: '24xlarge',
  p5: '4xlarge 48xlarge',
  p5e: '48xlarge',
  p5en: '48xlarge',
  'p6-b200': '48xlarge',
  'p6-b300': '48xlarge',
  'p6e-gb200': '36xlarge',
  r6g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  r6gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  r7g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  r7gd: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal',
  r8g: 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge metal-24xl metal-48xl',
};
/** Offered by AWS but not allowed by the templates (real regions offer ~450+ types). */
const OTHER_INSTANCE_FAMILIES: Record<string, string> = {
  t2: 'nano micro small medium large xlarge 2xlarge',
  m5: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal',
  r6i: 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal',
};

export function instanceTypes(families: Record<string, string>): string[] {
  return Object.entries(families).flatMap(([family, sizes]) => sizes.split(' ').map((s) => `${family}.${s}`));
}
/** Every instance type the simulated regions know. */
export const ALL_INSTANCE_TYPES = [...instanceTypes(TEMPLATE_INSTANCE_FAMILIES), ...instanceTypes(OTHER_INSTANCE_FAMILIES)];

interface RegionSpec {
  name: string;
  /** zone letter → zone id (the letter↔id mapping is account-specific on AWS) */
  zones: [string, string][];
  /** per zone letter: instance families (or single types) that zone does not offer */
  missing: Record<string, string[]>;
}

/** Families newer than what an old zone (such as us-east-1e) offers. */
const NEW_FAMILIES = Object.keys(TEMPLATE_INSTANCE_FAMILIES).filter((f) => /^[a-z]+[78]/.test(f) || /^[gp]/.test(f));

export const SEED_REGIONS: RegionSpec[] = [
  {
    name: 'eu-west-1',
    zones: [['a', 'euw1-az2'], ['b', 'euw1-az3'], ['c', 'euw1-az1']],
    missing: {
      c: ['c7i-flex', 'g6f', 'g7e', 'gr6', 'gr6f', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'p6e-gb200', 'c8gd', 'm8gd', 'c5n.metal', 'c6in.32xlarge'],
    },
  },
  {
    name: 'us-east-1',
    zones: [['a', 'use1-az6'], ['b', 'use1-az1'], ['c', 'use1-az2'], ['d', 'use1-az4'], ['e', 'use1-az3'], ['f', 'use1-az5']],
    missing: { e: NEW_FAMILIES, f: ['p6-b300', 'p6e-gb200', 'g7e'] },
  },
  {
    name: 'us-west-2',
    zones: [['a', 'usw2-az2'], ['b', 'usw2-az1'], ['c', 'usw2-az3'], ['d', 'usw2-az4']],
    missing: { d: ['c7gn', 'g6e', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'p6e-gb200', 'c8gd', 'm8gd', 'r8g'] },
  },
  {
    name: 'eu-central-1',
    zones: [['a', 'euc1-az2'], ['b', 'euc1-az3'], ['c', 'euc1-az1']],
    missing: { b: ['g6f', 'g7e', 'gr6', 'gr6f', 'p6-b200', 'p6-b300', 'p6e-gb200'], c: ['c7i-flex.16xlarge'] },
  },
];

function hex(world: World, n = 16): string {
  return world.rng.hex(n);
}
function colonHex(world: World, bytes: number): string {
  return Array.from({ length: bytes }, () => world.rng.hex(2)).join(':');
}

function seedRegion(world: World, spec: RegionSpec, now: number): void {
  const r: RegionState = world.region(spec.name);
  const DAY = 86_400_000;
  r.availabilityZones = spec.zones.map(([letter, zoneId]) => ({ zoneName: `${spec.name}${letter}`, zoneId }));

  // instance type offerings per zone
  for (const [letter] of spec.zones) {
    const missing = spec.missing[letter] ?? [];
    r.instanceTypeOfferings[`${spec.name}${letter}`] = ALL_INSTANCE_TYPES.filter(
      (t) => !missing.includes(t) && !missing.includes(t.split('.')[0]),
    );
  }

  // the OpenVidu VPC: one public subnet per zone (IGW route, auto-assign public IPv4) and private subnets
  const vpcId = `vpc-0${hex(world)}`;
  r.vpcs.push({ vpcId, cidrBlock: '10.0.0.0/16', isDefault: false, tags: { Name: 'openvidu-vpc' } });
  const igw = `igw-0${hex(world)}`;
  const nat = `nat-0${hex(world)}`;
  r.internetGatewayIds.push(igw);
  const publicSubnets: Subnet[] = [];
  const privateSubnets: Subnet[] = [];
  r.availabilityZones.forEach((z, n) => {
    publicSubnets.push({
      subnetId: `subnet-0${hex(world)}`,
      vpcId,
      availabilityZone: z.zoneName,
      availabilityZoneId: z.zoneId,
      cidrBlock: `10.0.${n}.0/24`,
      mapPublicIpOnLaunch: true,
      availableIpAddressCount: 251,
      tags: { Name: `openvidu-public-${z.zoneName}` },
    });
    privateSubnets.push({
      subnetId: `subnet-0${hex(world)}`,
      vpcId,
      availabilityZone: z.zoneName,
      availabilityZoneId: z.zoneId,
      cidrBlock: `10.0.${100 + n}.0/24`,
      mapPublicIpOnLaunch: false,
      availableIpAddressCount: 251,
      tags: { Name: `openvidu-private-${z.zoneName}` },
    });
  });
  // a trap the docs warn about: routed to the internet gateway but without auto-assigned public IPv4
  const noAutoIp: Subnet = {
    subnetId: `subnet-0${hex(world)}`,
    vpcId,
    availabilityZone: r.availabilityZones[0].zoneName,
    availabilityZoneId: r.availabilityZones[0].zoneId,
    cidrBlock: '10.0.50.0/24',
    mapPublicIpOnLaunch: false,
    availableIpAddressCount: 251,
    tags: { Name: `openvidu-public-no-auto-ip-${r.availabilityZones[0].zoneName}` },
  };
  r.subnets.push(...publicSubnets, ...privateSubnets, noAutoIp);
  // main table: local route only, so a private subnet left unassociated has no way out
  r.routeTables.push({ routeTableId: `rtb-0${hex(world)}`, vpcId, subnetIds: [], main: true, routes: [] });
  r.routeTables.push({
    routeTableId: `rtb-0${hex(world)}`,
    vpcId,
    subnetIds: [...publicSubnets.map((s) => s.subnetId), noAutoIp.subnetId],
    main: false,
    routes: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: igw }],
  });
  r.routeTables.push({
    routeTableId: `rtb-0${hex(world)}`,
    vpcId,
    // the last private subnet relies on the main table (no NAT route)
    subnetIds: privateSubnets.slice(0, -1).map((s) => s.subnetId),
    main: false,
    routes: [{ destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat }],
  });

  // the default VPC: a /20 per zone, public, main route table to its own internet gateway
  const defVpcId = `vpc-0${hex(world)}`;
  const defIgw = `igw-0${hex(world)}`;
  r.internetGatewayIds.push(defIgw);
  r.vpcs.push({ vpcId: defVpcId, cidrBlock: '172.31.0.0/16', isDefault: true, tags: {} });
  r.availabilityZones.forEach((z, n) => {
    r.subnets.push({
      subnetId: `subnet-0${hex(world)}`,
      vpcId: defVpcId,
      availabilityZone: z.zoneName,
      availabilityZoneId: z.zoneId,
      cidrBlock: `172.31.${n * 16}.0/20`,
      mapPublicIpOnLaunch: true,
      availableIpAddressCount: 4091,
      tags: {},
    });
  });
  r.routeTables.push({
    routeTableId: `rtb-0${hex(world)}`,
    vpcId: defVpcId,
    subnetIds: [],
    main: true,
    routes: [{ destinationCidrBlock: '0.0.0.0/0', gatewayId: defIgw }],
  });

  // key pairs
  r.keyPairs.push(
    { keyName: 'openvidu-key', keyPairId: `key-0${hex(world)}`, keyFingerprint: colonHex(world, 20), keyType: 'rsa', createdAt: now - 120 * DAY },
    {
      keyName: 'ops-laptop',
      keyPairId: `key-0${hex(world)}`,
      keyFingerprint: `${Buffer.from(hex(world, 64), 'hex').toString('base64').replace(/=+$/, '')}=`,
      keyType: 'ed25519',
      createdAt: now - 400 * DAY,
    },
  );

  // ACM certificates (regional: the stack needs one for DomainName in its own region)
  const arn = () => `arn:aws:acm:${spec.name}:${world.accountId}:certificate/${world.rng.uuid()}`;
  const certs: Certificate[] = [
    {
      arn: arn(),
      domainName: 'openvidu.example.com',
      subjectAlternativeNames: ['openvidu.example.com', '*.openvidu.example.com'],
      status: 'ISSUED',
      type: 'AMAZON_ISSUED',
      createdAt: now - 60 * DAY,
      issuedAt: now - 60 * DAY + 300_000,
      notBefore: now - 60 * DAY,
      notAfter: now + 335 * DAY,
      inUseBy: [],
      keyAlgorithm: 'RSA-2048',
    },
    {
      arn: arn(),
      domainName: 'pending.example.com',
      subjectAlternativeNames: ['pending.example.com'],
      status: 'PENDING_VALIDATION',
      type: 'AMAZON_ISSUED',
      createdAt: now - 2 * 3_600_000,
      inUseBy: [],
      keyAlgorithm: 'RSA-2048',
    },
    {
      arn: arn(),
      domainName: 'other-app.example.org',
      subjectAlternativeNames: ['other-app.example.org', 'www.other-app.example.org'],
      status: 'ISSUED',
      type: 'AMAZON_ISSUED',
      createdAt: now - 200 * DAY,
      issuedAt: now - 200 * DAY + 600_000,
      notBefore: now - 200 * DAY,
      notAfter: now + 195 * DAY,
      inUseBy: [`arn:aws:elasticloadbalancing:${spec.name}:${world.accountId}:loadbalancer/app/other-app/${hex(world)}`],
      keyAlgorithm: 'RSA-2048',
    },
    {
      arn: arn(),
      domainName: 'legacy.openvidu.example.com',
      subjectAlternativeNames: ['legacy.openvidu.example.com'],
      status: 'EXPIRED',
      type: 'IMPORTED',
      createdAt: now - 500 * DAY,
      notBefore: now - 500 * DAY,
      notAfter: now - 10 * DAY,
      inUseBy: [],
      keyAlgorithm: 'RSA-2048',
    },
    {
      // ListCertificates hides ECDSA certificates unless Includes.keyTypes asks for them, as AWS does
      arn: arn(),
      domainName: 'ecdsa.openvidu.example.com',
      subjectAlternativeNames: ['ecdsa.openvidu.example.com'],
      status: 'ISSUED',
      type: 'AMAZON_ISSUED',
      createdAt: now - 30 * DAY,
      issuedAt: now - 30 * DAY + 120_000,
      notBefore: now - 30 * DAY,
      notAfter: now + 365 * DAY,
      inUseBy: [],
      keyAlgorithm: 'EC-prime256v1',
    },
  ];
  r.certificates.push(...certs);
}

/**
 * The base account: eu-west-1 (the demo region, 3 zones), us-east-1 (6 zones), us-west-2 (4 zones: one master
 * subnet per zone as the docs recommend) and eu-central-1 (3 zones). Each has the `openvidu-vpc` VPC with public
 * and private subnets, the default VPC, key pairs `openvidu-key` / `ops-laptop`, ACM certificates and instance
 * type offerings. Deterministic for a given world seed.
 */
export function seedAccount(world: World): void {
  const now = world.now();
  for (const spec of SEED_REGIONS) seedRegion(world, spec, now);
}

/**
 * How long the demo stacks' media nodes drain when removed (scale in, shut down), in simulated seconds: 24 s of
 * real time at the sandbox's ×10. The template's terminate lifecycle hook waits up to its HeartbeatTimeout (3600 s,
 * kept as declared) and the node's stop_media_node script ends the wait early with CompleteLifecycleAction once no
 * room is left on the node (AWS: Auto Scaling lifecycle hooks, "Complete a lifecycle action"); the demo's nodes
 * carry little traffic, so theirs ends after a few minutes. Without this, a shut down in the sandbox takes 6 minutes.
 */
export const DEMO_DRAIN_SECONDS = 240;

/**
 * The demo world (eu-west-1): stack `openvidu-demo` (template 3.8.0, 4 masters + 2 media nodes) CREATE_COMPLETE
 * with its secret generated, and stack `openvidu-broken` CREATE_FAILED (OnFailure DO_NOTHING,
 * MasterNodesWaitCondition3 timed out, masters 1–3 kept). Both are created in the simulated past and their
 * simulations run up to now, without moving the clock.
 */
export function seedDemo(world: World): void {
  // the demo account's Session Manager shell profile starts shells in the OpenVidu directory, so a new user's first
  // `docker compose ps` answers (Session Manager preferences, shellProfile.linux)
  setSessionFaults(world, { shellProfileDir: '/opt/openvidu' });
  const regionName = 'eu-west-1';
  const r = world.region(regionName);
  const vpc = r.vpcs.find((v) => v.tags.Name === 'openvidu-vpc') ?? r.vpcs.find((v) => !v.isDefault) ?? r.vpcs[0];
  const subnets = r.subnets.filter((s) => s.vpcId === vpc?.vpcId && s.mapPublicIpOnLaunch).map((s) => s.subnetId);
  const cert = r.certificates.find(
    (c) => c.status === 'ISSUED' && (c.domainName === 'openvidu.example.com' || c.subjectAlternativeNames.includes('openvidu.example.com')),
  );
  const now = world.now();
  const ready = !!vpc && subnets.length > 0 && !!cert && r.keyPairs.length > 0;
  const params = (domain: string, media: number) =>
    Object.entries({
      DomainName: domain,
      OpenViduCertificateARN: cert?.arn ?? `arn:aws:acm:${regionName}:${world.accountId}:certificate/00000000-0000-4000-a000-000000000000`,
      OpenViduLicense: 'DEMO-LICENSE-0000',
      KeyName: r.keyPairs[0]?.keyName ?? 'openvidu-key',
      OpenViduVPC: vpc?.vpcId ?? 'vpc-00000000000000000',
      OpenViduMasterNodeSubnets: subnets.join(','),
      OpenViduMediaNodeSubnets: subnets.join(','),
      S3AppDataBucketName: '',
      S3ClusterDataBucketName: '',
      InitialNumberOfMediaNodes: String(media),
      MinNumberOfMediaNodes: '1',
      MaxNumberOfMediaNodes: '5',
    }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  createOpenViduStack(world, regionName, {
    stackName: 'openvidu-demo',
    templateVersion: '3.8.0',
    parameters: params('openvidu.example.com', 2),
    startedAt: now - 3 * 86_400_000,
    skipValidation: !ready,
  });
  injectStackFailure(world, { stackName: 'openvidu-broken', logicalId: 'MasterNodesWaitCondition3', region: regionName });
  createOpenViduStack(world, regionName, {
    stackName: 'openvidu-broken',
    templateVersion: '3.8.0',
    parameters: params('broken.openvidu.example.com', 1),
    onFailure: 'DO_NOTHING',
    startedAt: now - 5 * 3_600_000,
    skipValidation: !ready,
  });
  advanceStacks(world);
  for (const asg of r.asgs.values()) if (asg.nodeKind === 'media') asg.drainSeconds = DEMO_DRAIN_SECONDS;
}
