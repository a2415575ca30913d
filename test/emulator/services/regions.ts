/**
 * EC2 DescribeRegions (EC2 API Reference): the Regions enabled for the account, or with `AllRegions=true` every
 * Region of the partition with its `OptInStatus` (`opt-in-not-required` | `opted-in` | `not-opted-in`). Regions
 * launched after March 2019 are opt-in ("Specify which AWS Regions your account can use"). The emulator's account
 * is in the commercial partition and has opted in to none of them, except what a test sets in `optedIn`.
 */
import type { HandlerContext } from '../server';
import { asString } from '../protocol';

const DEFAULT_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
];
const OPT_IN_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
];
/** opt-in regions the emulated account has enabled (tests may change it) */
export const optedIn = new Set<string>();

export function describeRegions({ params }: HandlerContext) {
  const all = asString(params.AllRegions) === 'true';
  const rows = [
    ...DEFAULT_REGIONS.map((r) => ({ r, status: 'opt-in-not-required' })),
    ...OPT_IN_REGIONS.map((r) => ({ r, status: optedIn.has(r) ? 'opted-in' : 'not-opted-in' })),
  ].filter((x) => all || x.status !== 'not-opted-in');
  return { regionInfo: rows.map(({ r, status }) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: status })) };
}
