/** AWS console links for what the explorer shows, on the console of the region's partition. Pure. */
import { partitionOf } from './partition';

const base = (region: string) => (partitionOf(region).consoleBase ?? partitionOf('us-east-1').consoleBase!)(region);

export function stackConsoleUrl(region: string, stackId: string): string {
  return `${base(region)}/cloudformation/home?region=${region}#/stacks/stackinfo?stackId=${encodeURIComponent(stackId)}`;
}
export function instanceConsoleUrl(region: string, instanceId: string): string {
  return `${base(region)}/ec2/home?region=${region}#InstanceDetails:instanceId=${encodeURIComponent(instanceId)}`;
}
export function asgConsoleUrl(region: string, asgName: string): string {
  return `${base(region)}/ec2/home?region=${region}#AutoScalingGroupDetails:id=${encodeURIComponent(asgName)};view=details`;
}
export function secretConsoleUrl(region: string, secretName: string): string {
  return `${base(region)}/secretsmanager/secret?name=${encodeURIComponent(secretName)}&region=${region}`;
}

/** Regions offered in the region picker (commercial partition). */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1',
  'ap-northeast-2', 'ap-northeast-3', 'ap-east-1', 'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
];
