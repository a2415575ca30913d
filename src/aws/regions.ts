/** The regions of the account's partition, from EC2 DescribeRegions (AllRegions: opt-in status included). */
import type { AwsSession } from './session';
import { sdk } from './sdk';

export interface AccountRegion {
  name: string;
  /** `opt-in-not-required` | `opted-in` | `not-opted-in` */
  optInStatus: string;
}

export async function listAccountRegions(session: AwsSession): Promise<AccountRegion[]> {
  const [ec2, { DescribeRegionsCommand }] = await Promise.all([session.ec2(), sdk.ec2()]);
  const r = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
  return (r.Regions ?? [])
    .map((x) => ({ name: x.RegionName ?? '', optInStatus: x.OptInStatus ?? 'opt-in-not-required' }))
    .filter((x) => x.name)
    .sort((a, b) => a.name.localeCompare(b.name));
}
