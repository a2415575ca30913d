/** What a node's configuration files need from the world: its stack's secret and media nodes (see node-config.ts). */
import type { Instance, RegionState } from './world';
import { attachNodeConfig, type NodeConfigEnv } from './node-config';

export { attachNodeConfig };

export function nodeConfigEnv(region: RegionState, inst: Instance): NodeConfigEnv {
  const stackName = inst.tags['aws:cloudformation:stack-name'] ?? 'openvidu';
  // the OpenViduSharedInfo secret: openvidu-ha-<region>-<stack> (cf-openvidu-ha.yaml)
  const secret = region.secrets.get(`openvidu-ha-${region.name}-${stackName}`);
  let values: Record<string, string> = {};
  try {
    values = secret && !secret.deletedAt ? (JSON.parse(secret.secretString) as Record<string, string>) : {};
  } catch {
    values = {};
  }
  return {
    secret: values,
    region: region.name,
    stackName,
    privateIp: inst.privateIpAddress,
    mediaNodes: () =>
      [...region.instances.values()]
        .filter((i) => i.node?.kind === 'media' && i.state === 'running' && i.tags['aws:cloudformation:stack-name'] === stackName)
        .map((i) => ({ ip: i.privateIpAddress, node: i.node as NonNullable<Instance['node']> })),
  };
}
