/**
 * AWS partitions: which one a region belongs to, and what differs between them for this extension (ARNs,
 * console domain, the region IAM signs in, whether OpenVidu publishes templates there). Pure.
 *
 * Sources: the AWS SDK for JavaScript v3's partition data (its util-endpoints package, `partitions`: `regionRegex` per
 * partition: aws-cn `^cn\-\w+\-\d+$`, aws-us-gov `^us\-gov\-\w+\-\d+$`, aws-iso `^us\-iso\-\w+\-\d+$`, aws-iso-b
 * `^us\-isob\-\w+\-\d+$`, aws-iso-e `^eu\-isoe\-`, aws-iso-f `^us\-isof\-`, aws-eusc `^eusc\-`); IAM "Amazon
 * Resource Names (ARNs)": `arn:partition:…`; the IAM endpoints ("AWS Identity and Access Management endpoints
 * and quotas"): one global endpoint per partition, signed in us-east-1 (aws), cn-north-1 (aws-cn),
 * us-gov-west-1 (aws-us-gov); consoles console.aws.amazon.com, console.amazonaws.cn,
 * console.amazonaws-us-gov.com.
 */
export type PartitionId = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f' | 'aws-eusc';

export interface Partition {
  id: PartitionId;
  /** human name for messages */
  name: string;
  /** the region IAM (a global service) is signed for in this partition */
  iamRegion: string;
  /** console base for a region, without a trailing slash; undefined where there is no public console URL */
  consoleBase?: (region: string) => string;
}

const PARTITIONS: { test: RegExp; partition: Partition }[] = [
  { test: /^cn-/, partition: { id: 'aws-cn', name: 'AWS China', iamRegion: 'cn-north-1', consoleBase: () => 'https://console.amazonaws.cn' } },
  { test: /^us-gov-/, partition: { id: 'aws-us-gov', name: 'AWS GovCloud (US)', iamRegion: 'us-gov-west-1', consoleBase: () => 'https://console.amazonaws-us-gov.com' } },
  { test: /^us-isob-/, partition: { id: 'aws-iso-b', name: 'AWS ISOB', iamRegion: 'us-isob-east-1' } },
  { test: /^us-isof-/, partition: { id: 'aws-iso-f', name: 'AWS ISOF', iamRegion: 'us-isof-south-1' } },
  { test: /^us-iso-/, partition: { id: 'aws-iso', name: 'AWS ISO', iamRegion: 'us-iso-east-1' } },
  { test: /^eu-isoe-/, partition: { id: 'aws-iso-e', name: 'AWS ISOE', iamRegion: 'eu-isoe-west-1' } },
  { test: /^eusc-/, partition: { id: 'aws-eusc', name: 'AWS European Sovereign Cloud', iamRegion: 'eusc-de-east-1' } },
];
const COMMERCIAL: Partition = { id: 'aws', name: 'AWS', iamRegion: 'us-east-1', consoleBase: (region) => `https://${region}.console.aws.amazon.com` };

export function partitionOf(region: string): Partition {
  return PARTITIONS.find((p) => p.test.test(region))?.partition ?? COMMERCIAL;
}

/** The AWS managed policy that lets the SSM agent register, in the region's partition. */
export function ssmCorePolicyArn(region: string): string {
  return `arn:${partitionOf(region).id}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
}

/**
 * OpenVidu publishes its HA CloudFormation templates on S3 in the commercial partition only
 * (s3.eu-west-1.amazonaws.com/get.openvidu.io/…): a stack in another partition cannot read them.
 * Returns the sentence to show before anything is sent, or undefined when the partition is supported.
 */
export function unsupportedPartitionMessage(region: string): string | undefined {
  const p = partitionOf(region);
  if (p.id === 'aws') return undefined;
  return `OpenVidu publishes no CloudFormation template for the ${p.name} partition (${p.id}, region ${region}): its templates live in the commercial AWS partition. Choose a commercial region, or set "openviduHa.templateBaseUrl" to a copy of the templates in your partition.`;
}
