/**
 * The AWS facts the deploy form and its checks need, read for one region (and VPC): VPCs, subnets with their
 * route tables (public = a 0.0.0.0/0 route to an internet gateway, from the subnet's own table or the VPC's
 * main table) and MapPublicIpOnLaunch, key pairs, ACM certificates with their names and status, instance type
 * offerings per zone, and the stack names in use. Each list is read independently: one that fails (access
 * denied, throttling) is left out and named in `problems`, so its checks are skipped rather than wrong.
 */
import type { RouteTable, Subnet } from '@aws-sdk/client-ec2';
import { liveStackStatuses } from './clusterApi';
import type { AwsSession } from './session';
import type { AwsFacts, CertificateFact, SubnetFact, VpcFact } from '../protocol/deployForm';
import { sdk } from './sdk';

const ALL_KEY_TYPES = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] as const;

export interface FactsRequest {
  region: string;
  vpcId?: string;
  /** restrict instance type offerings to these (the template's allowed types); all when absent */
  instanceTypes?: readonly string[];
}

function nameTag(tags: Array<{ Key?: string; Value?: string }> | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value || undefined;
}

/** Whether a route table sends 0.0.0.0/0 (or ::/0) to an internet gateway. */
export function routesToInternet(table: RouteTable | undefined): boolean {
  return !!table?.Routes?.some(
    (r) => (r.DestinationCidrBlock === '0.0.0.0/0' || r.DestinationIpv6CidrBlock === '::/0') && !!r.GatewayId?.startsWith('igw-') && r.State !== 'blackhole',
  );
}

export function classifySubnets(subnets: Subnet[], tables: RouteTable[]): SubnetFact[] {
  const explicit = new Map<string, RouteTable>();
  const main = new Map<string, RouteTable>();
  for (const t of tables) {
    for (const a of t.Associations ?? []) {
      if (a.SubnetId) explicit.set(a.SubnetId, t);
      if (a.Main && t.VpcId) main.set(t.VpcId, t);
    }
  }
  return subnets
    .filter((s) => s.SubnetId && s.VpcId)
    .map((s) => ({
      id: s.SubnetId!,
      vpcId: s.VpcId!,
      availabilityZone: s.AvailabilityZone ?? '',
      public: routesToInternet(explicit.get(s.SubnetId!) ?? main.get(s.VpcId!)),
      mapPublicIpOnLaunch: !!s.MapPublicIpOnLaunch,
      name: nameTag(s.Tags),
      cidr: s.CidrBlock,
    }));
}

async function all<T>(fetchPage: (token?: string) => Promise<{ items: T[]; next?: string }>, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const p = await fetchPage(token);
    out.push(...p.items);
    token = p.next;
  } while (token && ++pages < maxPages);
  return out;
}

export async function loadAwsFacts(session: AwsSession, req: FactsRequest, describeError: (e: unknown) => string = (e) => String((e as Error)?.message ?? e)): Promise<AwsFacts> {
  const [ec2, acm, cfn] = await Promise.all([session.ec2(), session.acm(), session.cloudFormation()]);
  const facts: AwsFacts = { region: req.region, vpcId: req.vpcId, problems: [] };
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (e) {
      facts.problems.push(`${what} could not be read: ${describeError(e)}`);
      return undefined;
    }
  };
  const vpcFilter = req.vpcId ? [{ Name: 'vpc-id', Values: [req.vpcId] }] : undefined;

  const [vpcs, subnets, keyPairs, certificates, stackNames] = await Promise.all([
    attempt('VPCs', () =>
      all<VpcFact>(async (NextToken) => {
        const r = await ec2.send(new (await sdk.ec2()).DescribeVpcsCommand({ NextToken, MaxResults: 1000 }));
        return { items: (r.Vpcs ?? []).filter((v) => v.VpcId).map((v) => ({ id: v.VpcId!, name: nameTag(v.Tags), cidr: v.CidrBlock, isDefault: !!v.IsDefault })), next: r.NextToken };
      }),
    ),
    attempt('Subnets', async () => {
      const [list, tables] = await Promise.all([
        all<Subnet>(async (NextToken) => {
          const r = await ec2.send(new (await sdk.ec2()).DescribeSubnetsCommand({ Filters: vpcFilter, NextToken, MaxResults: 1000 }));
          return { items: r.Subnets ?? [], next: r.NextToken };
        }),
        all<RouteTable>(async (NextToken) => {
          const r = await ec2.send(new (await sdk.ec2()).DescribeRouteTablesCommand({ Filters: vpcFilter, NextToken, MaxResults: 100 }));
          return { items: r.RouteTables ?? [], next: r.NextToken };
        }),
      ]);
      return classifySubnets(list, tables);
    }),
    attempt('Key pairs', async () => {
      const r = await ec2.send(new (await sdk.ec2()).DescribeKeyPairsCommand({}));
      return (r.KeyPairs ?? []).map((k) => k.KeyName ?? '').filter(Boolean).sort();
    }),
    attempt('ACM certificates', () =>
      all<CertificateFact>(async (NextToken) => {
        const r = await acm.send(new (await sdk.acm()).ListCertificatesCommand({ Includes: { keyTypes: [...ALL_KEY_TYPES] }, NextToken, MaxItems: 1000 }));
        return {
          items: (r.CertificateSummaryList ?? [])
            .filter((c) => c.CertificateArn)
            .map((c) => ({
              arn: c.CertificateArn!,
              domainName: c.DomainName ?? '',
              subjectAlternativeNames: c.SubjectAlternativeNameSummaries ?? [],
              status: c.Status ?? 'UNKNOWN',
              inUse: c.InUse,
            })),
          next: r.NextToken,
        };
      }),
    ),
    attempt('Existing stacks', () =>
      all<string>(async (NextToken) => {
        const r = await cfn.send(new (await sdk.cloudFormation()).ListStacksCommand({ NextToken, StackStatusFilter: await liveStackStatuses() }));
        return { items: (r.StackSummaries ?? []).map((s) => s.StackName ?? '').filter(Boolean), next: r.NextToken };
      }),
    ),
  ]);
  facts.vpcs = vpcs;
  facts.subnets = subnets;
  facts.keyPairs = keyPairs;
  facts.certificates = certificates;
  facts.stackNamesInUse = stackNames ? [...new Set(stackNames)] : undefined;

  // Instance type offerings only for the zones of the VPC's subnets (or every zone when no VPC is chosen yet).
  const zones = [...new Set((subnets ?? []).map((s) => s.availabilityZone).filter(Boolean))];
  if (zones.length) {
    const wanted = req.instanceTypes?.length ? new Set(req.instanceTypes) : undefined;
    facts.instanceTypesByZone = await attempt('Instance type offerings', async () => {
      const byZone: Record<string, string[]> = Object.fromEntries(zones.map((z) => [z, [] as string[]]));
      const offerings = await all(async (NextToken) => {
        const r = await ec2.send(
          new (await sdk.ec2()).DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: zones }], NextToken, MaxResults: 1000 }),
        );
        return { items: r.InstanceTypeOfferings ?? [], next: r.NextToken };
      });
      for (const o of offerings) {
        if (!o.Location || !o.InstanceType || !byZone[o.Location]) continue;
        if (wanted && !wanted.has(o.InstanceType)) continue;
        byZone[o.Location].push(o.InstanceType);
      }
      return byZone;
    });
  }
  return facts;
}
