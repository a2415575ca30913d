import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  EC2Client,
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeKeyPairsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  paginateDescribeInstanceTypeOfferings,
  paginateDescribeSubnets,
  type Instance as Ec2Instance,
} from '@aws-sdk/client-ec2';
import { startEmulator, Emulator } from '../server';
import { launchInstance, terminateInstance, ipInCidr } from '../services/ec2';
import { clientConfig } from '../clientConfig';

let emu: Emulator;
let ec2: EC2Client;
before(async () => {
  emu = await startEmulator({ seed: 7 });
  ec2 = new EC2Client(clientConfig(emu));
});
after(async () => {
  ec2.destroy();
  await emu.stop();
});

const SEC = 1000;

function rejectsWith(name: string, message?: RegExp) {
  return (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

async function openviduVpc(client = ec2) {
  const vpcs = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['openvidu-vpc'] }] }));
  assert.equal(vpcs.Vpcs?.length, 1);
  return vpcs.Vpcs![0];
}

async function publicSubnets() {
  const vpc = await openviduVpc();
  const res = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpc.VpcId!] },
        { Name: 'tag:Name', Values: ['openvidu-public-eu-west-1*'] },
      ],
    }),
  );
  return res.Subnets!.sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
}

async function describeOne(id: string): Promise<Ec2Instance> {
  const res = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  assert.equal(res.Reservations?.length, 1);
  return res.Reservations![0].Instances![0];
}

test('DescribeAvailabilityZones: eu-west-1 has 3 zones, us-east-1 6, us-west-2 4; zone-name filter', async () => {
  const eu = await ec2.send(new DescribeAvailabilityZonesCommand({}));
  assert.deepEqual(eu.AvailabilityZones?.map((z) => z.ZoneName), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.equal(eu.AvailabilityZones?.[0].State, 'available');
  assert.equal(eu.AvailabilityZones?.[0].RegionName, 'eu-west-1');
  assert.match(eu.AvailabilityZones?.[0].ZoneId ?? '', /^euw1-az\d$/);
  const use1 = new EC2Client(clientConfig(emu, 'us-east-1'));
  assert.equal((await use1.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones?.length, 6);
  const usw2 = new EC2Client(clientConfig(emu, 'us-west-2'));
  assert.equal((await usw2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones?.length, 4);
  const one = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['eu-west-1b'] }] }));
  assert.deepEqual(one.AvailabilityZones?.map((z) => z.ZoneName), ['eu-west-1b']);
  use1.destroy();
  usw2.destroy();
});

test('DescribeVpcs: the openvidu VPC and the default VPC; filters; InvalidVpcID.NotFound', async () => {
  const all = await ec2.send(new DescribeVpcsCommand({}));
  assert.equal(all.Vpcs?.length, 2);
  const vpc = await openviduVpc();
  assert.equal(vpc.CidrBlock, '10.0.0.0/16');
  assert.equal(vpc.IsDefault, false);
  assert.equal(vpc.State, 'available');
  assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'openvidu-vpc' }]);
  const def = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  assert.equal(def.Vpcs?.[0].CidrBlock, '172.31.0.0/16');
  assert.equal(def.Vpcs?.[0].IsDefault, true);
  await assert.rejects(
    ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })),
    rejectsWith('InvalidVpcID.NotFound', /The vpc ID 'vpc-0123456789abcdef0' does not exist/),
  );
  await assert.rejects(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'bogus', Values: ['x'] }] })), rejectsWith('InvalidParameterValue'));
});

test('DescribeSubnets: public subnets auto-assign public IPs, private ones do not; filters; pagination; NotFound', async () => {
  const vpc = await openviduVpc();
  const inVpc = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  const subnets = inVpc.Subnets!;
  assert.equal(subnets.length, 7, '3 public + 3 private + 1 public-without-auto-ip');
  const pub = await publicSubnets();
  assert.deepEqual(pub.map((s) => s.AvailabilityZone), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  for (const s of pub) {
    assert.equal(s.MapPublicIpOnLaunch, true);
    assert.equal(s.VpcId, vpc.VpcId);
    assert.match(s.CidrBlock!, /^10\.0\.\d+\.0\/24$/);
    assert.equal(s.State, 'available');
    assert.ok((s.AvailableIpAddressCount ?? 0) > 200);
  }
  const priv = subnets.filter((s) => s.Tags?.some((t) => t.Value?.startsWith('openvidu-private')));
  assert.equal(priv.length, 3);
  assert.ok(priv.every((s) => s.MapPublicIpOnLaunch === false));

  const zoneB = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'availability-zone', Values: ['eu-west-1b'] }] }),
  );
  assert.equal(zoneB.Subnets?.length, 2);
  const byId = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: [pub[0].SubnetId!] }] }));
  assert.equal(byId.Subnets?.[0].SubnetId, pub[0].SubnetId);

  const pages: number[] = [];
  for await (const page of paginateDescribeSubnets({ client: ec2, pageSize: 5 }, {})) pages.push(page.Subnets?.length ?? 0);
  assert.deepEqual(pages, [5, 5], '7 in openvidu-vpc + 3 default subnets');

  await assert.rejects(
    ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0000000000000000a'] })),
    rejectsWith('InvalidSubnetID.NotFound', /The subnet ID 'subnet-0000000000000000a' does not exist/),
  );
});

test('DescribeRouteTables: public subnets route 0.0.0.0/0 to an internet gateway; main tables; private via NAT', async () => {
  const pub = await publicSubnets();
  const rt = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [pub[0].SubnetId!] }] }));
  assert.equal(rt.RouteTables?.length, 1);
  const routes = rt.RouteTables![0].Routes!;
  assert.deepEqual(routes.find((r) => r.DestinationCidrBlock === '10.0.0.0/16')?.GatewayId, 'local');
  assert.match(routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.GatewayId ?? '', /^igw-/);
  assert.ok(rt.RouteTables![0].Associations!.some((a) => a.SubnetId === pub[0].SubnetId && a.Main === false));

  const vpc = await openviduVpc();
  const main = await ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'association.main', Values: ['true'] }] }),
  );
  assert.equal(main.RouteTables?.length, 1);
  assert.equal(main.RouteTables![0].Associations?.[0].Main, true);
  assert.equal(main.RouteTables![0].Routes?.length, 1, 'main table: local route only');

  const inVpc = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
  assert.equal(inVpc.RouteTables?.length, 3);
  const nat = inVpc.RouteTables!.find((t) => t.Routes?.some((r) => r.NatGatewayId));
  assert.match(nat?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId ?? '', /^nat-/);

  // traps the deploy form must catch: a private subnet with no explicit association (it uses the main table, so
  // association.subnet-id finds nothing), and a subnet routed to the internet gateway without auto-assigned IPv4
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const unassociated = subnets.filter((s) => !inVpc.RouteTables!.some((t) => t.Associations?.some((a) => a.SubnetId === s.SubnetId)));
  assert.equal(unassociated.length, 1);
  assert.match(unassociated[0].Tags?.find((t) => t.Key === 'Name')?.Value ?? '', /^openvidu-private-/);
  const none = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [unassociated[0].SubnetId!] }] }));
  assert.deepEqual(none.RouteTables, []);
  const noAutoIp = subnets.find((s) => s.Tags?.some((t) => t.Value?.startsWith('openvidu-public-no-auto-ip')))!;
  assert.equal(noAutoIp.MapPublicIpOnLaunch, false);
  const noAutoIpRt = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [noAutoIp.SubnetId!] }] }));
  assert.match(noAutoIpRt.RouteTables?.[0].Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.GatewayId ?? '', /^igw-/);

  const allMain = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }));
  assert.equal(allMain.RouteTables?.length, 2, 'one per VPC');
});

test('DescribeKeyPairs: the seeded key pairs, KeyNames lookup and InvalidKeyPair.NotFound', async () => {
  const all = await ec2.send(new DescribeKeyPairsCommand({}));
  assert.deepEqual(all.KeyPairs?.map((k) => k.KeyName).sort(), ['openvidu-key', 'ops-laptop']);
  const one = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['openvidu-key'] }));
  assert.equal(one.KeyPairs?.[0].KeyType, 'rsa');
  assert.match(one.KeyPairs?.[0].KeyPairId ?? '', /^key-0[0-9a-f]{16}$/);
  assert.ok(one.KeyPairs?.[0].CreateTime instanceof Date);
  await assert.rejects(
    ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['nope'] })),
    rejectsWith('InvalidKeyPair.NotFound', /The key pair 'nope' does not exist/),
  );
});

test('DescribeInstanceTypeOfferings: template families offered, a few not in eu-west-1c; paginator; filters', async () => {
  const byZone = new Map<string, Set<string>>();
  let pages = 0;
  for await (const page of paginateDescribeInstanceTypeOfferings({ client: ec2, pageSize: 1000 }, { LocationType: 'availability-zone' })) {
    pages++;
    for (const o of page.InstanceTypeOfferings ?? []) {
      assert.equal(o.LocationType, 'availability-zone');
      if (!byZone.has(o.Location!)) byZone.set(o.Location!, new Set());
      byZone.get(o.Location!)!.add(o.InstanceType!);
    }
  }
  assert.ok(pages >= 2, 'more than 1000 offerings over three zones');
  assert.deepEqual([...byZone.keys()].sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  const a = byZone.get('eu-west-1a')!;
  const c = byZone.get('eu-west-1c')!;
  assert.ok(a.size > 450, `eu-west-1a offers ${a.size}`);
  for (const t of ['c6a.xlarge', 't3.medium', 'c7i-flex.large', 'm8g.48xlarge']) assert.ok(a.has(t), t);
  assert.ok(c.has('c6a.xlarge'));
  assert.ok(!c.has('c7i-flex.large'), 'c7i-flex is not offered in eu-west-1c');
  assert.ok(c.size < a.size);

  const flex = await ec2.send(
    new DescribeInstanceTypeOfferingsCommand({
      LocationType: 'availability-zone',
      Filters: [{ Name: 'instance-type', Values: ['c7i-flex.large'] }],
    }),
  );
  assert.deepEqual(flex.InstanceTypeOfferings?.map((o) => o.Location).sort(), ['eu-west-1a', 'eu-west-1b']);

  const region = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['c6a.*'] }] }));
  assert.equal(region.InstanceTypeOfferings?.length, 11);
  assert.ok(region.InstanceTypeOfferings?.every((o) => o.LocationType === 'region' && o.Location === 'eu-west-1'));

  const oneZone = await ec2.send(
    new DescribeInstanceTypeOfferingsCommand({
      LocationType: 'availability-zone',
      Filters: [{ Name: 'location', Values: ['eu-west-1c'] }, { Name: 'instance-type', Values: ['t3.*'] }],
    }),
  );
  assert.equal(oneZone.InstanceTypeOfferings?.length, 7);

  await assert.rejects(ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 2 })), rejectsWith('InvalidParameterValue'));
});

test('launchInstance: pending for bootSeconds then running, addresses from the subnet, tags, SimNode', async () => {
  const pub = await publicSubnets();
  const inst = launchInstance(emu.world, 'eu-west-1', {
    subnetId: pub[1].SubnetId!,
    instanceType: 'c6a.xlarge',
    keyName: 'openvidu-key',
    tags: { Name: 'demo - OpenVidu HA - Master Node 1', 'aws:cloudformation:stack-name': 'demo' },
    iamInstanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/demo-master',
    nodeKind: 'master',
    ssmRegistered: false,
    bootSeconds: 90,
  });
  assert.equal(inst.node?.kind, 'master');
  let d = await describeOne(inst.instanceId);
  assert.equal(d.State?.Name, 'pending');
  assert.equal(d.State?.Code, 0);
  assert.equal(d.InstanceType, 'c6a.xlarge');
  assert.equal(d.KeyName, 'openvidu-key');
  assert.equal(d.SubnetId, pub[1].SubnetId);
  assert.equal(d.VpcId, pub[1].VpcId);
  assert.equal(d.Placement?.AvailabilityZone, 'eu-west-1b');
  assert.ok(ipInCidr(d.PrivateIpAddress!, pub[1].CidrBlock!), d.PrivateIpAddress);
  assert.match(d.PublicIpAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.match(d.PublicDnsName ?? '', /^ec2-\d+-\d+-\d+-\d+\.eu-west-1\.compute\.amazonaws\.com$/);
  assert.match(d.PrivateDnsName ?? '', /^ip-10-0-1-\d+\.eu-west-1\.compute\.internal$/);
  assert.equal(d.IamInstanceProfile?.Arn, 'arn:aws:iam::123456789012:instance-profile/demo-master');
  assert.ok(d.LaunchTime instanceof Date);
  assert.equal(d.Architecture, 'x86_64');
  assert.deepEqual(Object.fromEntries(d.Tags!.map((t) => [t.Key, t.Value])), {
    Name: 'demo - OpenVidu HA - Master Node 1',
    'aws:cloudformation:stack-name': 'demo',
  });
  emu.clock.advance(89 * SEC);
  assert.equal((await describeOne(inst.instanceId)).State?.Name, 'pending');
  emu.clock.advance(2 * SEC);
  d = await describeOne(inst.instanceId);
  assert.equal(d.State?.Name, 'running');
  assert.equal(d.State?.Code, 16);
  assert.equal(emu.world.region('eu-west-1').instances.get(inst.instanceId)?.state, 'running');
});

test('DescribeInstances filters: tag:<key>, tag-key, instance-state-name, vpc-id, subnet-id, instance-id; reservations', async () => {
  const pub = await publicSubnets();
  const ids: string[] = [];
  for (let n = 0; n < 3; n++) {
    ids.push(
      launchInstance(emu.world, 'eu-west-1', {
        subnetId: pub[n].SubnetId!,
        instanceType: 'm6i.large',
        tags: { 'aws:cloudformation:stack-name': 'filters', Role: n === 0 ? 'a' : 'b' },
        ssmRegistered: true,
        reservationId: n < 2 ? 'r-0aaaaaaaaaaaaaaaa' : undefined,
      }).instanceId,
    );
  }
  const byStack = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: ['filters'] }] }));
  const flat = byStack.Reservations!.flatMap((r) => r.Instances!);
  assert.deepEqual(flat.map((i) => i.InstanceId).sort(), [...ids].sort());
  assert.equal(byStack.Reservations?.length, 2, 'two instances share a reservation');
  assert.equal(byStack.Reservations?.[0].ReservationId, 'r-0aaaaaaaaaaaaaaaa');
  assert.equal(byStack.Reservations?.[0].OwnerId, '123456789012');
  assert.equal(byStack.Reservations?.[0].Instances?.length, 2);

  const roleB = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:aws:cloudformation:stack-name', Values: ['filters'] },
        { Name: 'tag:Role', Values: ['b'] },
      ],
    }),
  );
  assert.equal(roleB.Reservations!.flatMap((r) => r.Instances!).length, 2);

  const tagKey = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['Role'] }] }));
  assert.equal(tagKey.Reservations!.flatMap((r) => r.Instances!).length, 3);

  const bySubnet = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'subnet-id', Values: [pub[2].SubnetId!] },
        { Name: 'tag:aws:cloudformation:stack-name', Values: ['filters'] },
      ],
    }),
  );
  assert.deepEqual(bySubnet.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId), [ids[2]]);

  const byVpc = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [pub[0].VpcId!] }, { Name: 'instance-id', Values: [ids[1]] }] }));
  assert.deepEqual(byVpc.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId), [ids[1]]);

  const pendingOnes = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'instance-state-name', Values: ['pending'] },
        { Name: 'tag:aws:cloudformation:stack-name', Values: ['filters'] },
      ],
    }),
  );
  assert.equal(pendingOnes.Reservations!.flatMap((r) => r.Instances!).length, 3);
  emu.clock.advance(61 * SEC);
  const running = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'instance-state-name', Values: ['running', 'stopped'] },
        { Name: 'tag:aws:cloudformation:stack-name', Values: ['filters'] },
      ],
    }),
  );
  assert.equal(running.Reservations!.flatMap((r) => r.Instances!).length, 3);
  const none = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: ['nope'] }] }));
  assert.deepEqual(none.Reservations, []);
});

test('DescribeInstances: InstanceIds errors as AWS words them', async () => {
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
    rejectsWith('InvalidInstanceID.NotFound', /^The instance ID 'i-0123456789abcdef0' does not exist$/),
  );
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] })),
    rejectsWith('InvalidInstanceID.NotFound', /^The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist$/),
  );
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({ InstanceIds: ['not-an-id'] })),
    rejectsWith('InvalidInstanceID.Malformed', /^Invalid id: "not-an-id"$/),
  );
  await assert.rejects(
    ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'], MaxResults: 5 })),
    rejectsWith('InvalidParameterCombination'),
  );
});

test('paginateDescribeInstances walks every instance with MaxResults / NextToken', async () => {
  const pub = await publicSubnets();
  const ids = new Set<string>();
  for (let n = 0; n < 12; n++) {
    ids.add(
      launchInstance(emu.world, 'eu-west-1', { subnetId: pub[n % 3].SubnetId!, instanceType: 't3.small', tags: { Batch: 'paging' }, ssmRegistered: false })
        .instanceId,
    );
  }
  emu.requests.clear();
  const seen: string[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, { Filters: [{ Name: 'tag:Batch', Values: ['paging'] }] })) {
    const n = page.Reservations!.flatMap((r) => r.Instances!).length;
    assert.ok(n <= 5);
    seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
  }
  assert.equal(seen.length, 12);
  assert.deepEqual(new Set(seen), ids);
  assert.equal(emu.requests.count('ec2:DescribeInstances'), 3);
  await assert.rejects(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })), rejectsWith('InvalidParameterValue'));
});

test('StopInstances / StartInstances: transitions over simulated time, current and previous states, IncorrectInstanceState', async () => {
  const pub = await publicSubnets();
  const inst = launchInstance(emu.world, 'eu-west-1', { subnetId: pub[0].SubnetId!, instanceType: 'c6a.xlarge', tags: {}, ssmRegistered: true, nodeKind: 'media' });
  const id = inst.instanceId;
  await assert.rejects(
    ec2.send(new StopInstancesCommand({ InstanceIds: [id] })),
    rejectsWith('IncorrectInstanceState', new RegExp(`The instance '${id}' is not in a state from which it can be stopped`)),
  );
  emu.clock.advance(60 * SEC);
  const firstIp = (await describeOne(id)).PublicIpAddress;
  assert.ok(firstIp);

  const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(stop.StoppingInstances, [
    { InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
  ]);
  await assert.rejects(
    ec2.send(new StartInstancesCommand({ InstanceIds: [id] })),
    rejectsWith('IncorrectInstanceState', /is not in a state from which it can be started/),
  );
  emu.clock.advance(29 * SEC);
  assert.equal((await describeOne(id)).State?.Name, 'stopping');
  emu.clock.advance(2 * SEC);
  const stopped = await describeOne(id);
  assert.equal(stopped.State?.Name, 'stopped');
  assert.equal(stopped.State?.Code, 80);
  assert.equal(stopped.PublicIpAddress, undefined, 'the public IP is released on stop');
  assert.match(stopped.StateTransitionReason ?? '', /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
  assert.equal(stopped.StateReason?.Code, 'Client.UserInitiatedShutdown');

  const again = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(again.StoppingInstances?.[0].CurrentState, { Code: 80, Name: 'stopped' });

  const start = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(start.StartingInstances, [
    { InstanceId: id, CurrentState: { Code: 0, Name: 'pending' }, PreviousState: { Code: 80, Name: 'stopped' } },
  ]);
  emu.clock.advance(21 * SEC);
  const running = await describeOne(id);
  assert.equal(running.State?.Name, 'running');
  assert.ok(running.PublicIpAddress, 'a new public IP on start');
  assert.equal(running.StateReason, undefined);

  const noop = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  assert.deepEqual(noop.StartingInstances?.[0].PreviousState, { Code: 16, Name: 'running' });

  await assert.rejects(ec2.send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true })), rejectsWith('DryRunOperation'));
  assert.equal((await describeOne(id)).State?.Name, 'running', 'DryRun changed nothing');
  await assert.rejects(ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0000000000000000f'] })), rejectsWith('InvalidInstanceID.NotFound'));
});

test('TerminateInstances / terminateInstance: shutting-down then terminated; terminated instances cannot start', async () => {
  const pub = await publicSubnets();
  const a = launchInstance(emu.world, 'eu-west-1', { subnetId: pub[0].SubnetId!, instanceType: 't3.micro', tags: {}, ssmRegistered: false });
  const b = launchInstance(emu.world, 'eu-west-1', { subnetId: pub[0].SubnetId!, instanceType: 't3.micro', tags: {}, ssmRegistered: false });
  emu.clock.advance(60 * SEC);
  const res = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a.instanceId] }));
  assert.deepEqual(res.TerminatingInstances, [
    { InstanceId: a.instanceId, CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 16, Name: 'running' } },
  ]);
  terminateInstance(emu.world, 'eu-west-1', b.instanceId);
  assert.equal((await describeOne(b.instanceId)).State?.Name, 'shutting-down');
  emu.clock.advance(31 * SEC);
  for (const id of [a.instanceId, b.instanceId]) {
    const d = await describeOne(id);
    assert.equal(d.State?.Name, 'terminated');
    assert.equal(d.State?.Code, 48);
    assert.equal(d.PublicIpAddress, undefined);
  }
  await assert.rejects(ec2.send(new StartInstancesCommand({ InstanceIds: [a.instanceId] })), rejectsWith('IncorrectInstanceState'));
  const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a.instanceId] }));
  assert.deepEqual(again.TerminatingInstances?.[0].CurrentState, { Code: 48, Name: 'terminated' });
  const gone = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['terminated'] }] }));
  assert.ok(gone.Reservations!.flatMap((r) => r.Instances!).some((i) => i.InstanceId === a.instanceId));
});

test('an injected throttle on EC2 is RequestLimitExceeded and retried by the SDK', async () => {
  emu.requests.clear();
  emu.faults.add({ service: 'ec2', action: 'DescribeKeyPairs', kind: 'throttle', count: 1 });
  const res = await ec2.send(new DescribeKeyPairsCommand({}));
  assert.equal(res.KeyPairs?.length, 2);
  assert.deepEqual(emu.requests.filter('ec2:DescribeKeyPairs').map((e) => e.errorCode ?? 'ok'), ['RequestLimitExceeded', 'ok']);
});

test('other regions are independent and seeded alike', async () => {
  const usw2 = new EC2Client(clientConfig(emu, 'us-west-2'));
  const vpc = await openviduVpc(usw2);
  const subnets = await usw2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'map-public-ip-on-launch', Values: ['true'] }] }),
  );
  assert.equal(subnets.Subnets?.length, 4, 'one public subnet per zone in a 4-zone region');
  const inst = await usw2.send(new DescribeInstancesCommand({}));
  assert.deepEqual(inst.Reservations, []);
  usw2.destroy();
});
