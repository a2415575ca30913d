/**
 * What runs on a simulated OpenVidu node (the SSM command simulator reads and changes it).
 * Service names follow ../shared/docs/openvidu-ha-aws.md.
 */
import type { SimNode, SimService } from './world';

const MASTER_SERVICES = [
  'caddy', 'openvidu-meet', 'dashboard', 'operator', 'openvidu-v2compatibility', 'redis-server', 'redis-sentinel',
  'mongo', 'minio', 'grafana', 'loki', 'mimir', 'alloy',
];
const MEDIA_SERVICES = ['openvidu', 'ingress', 'egress', 'caddy', 'prometheus', 'alloy'];

export function createSimNode(kind: 'master' | 'media', now: number): SimNode {
  const names = kind === 'master' ? MASTER_SERVICES : MEDIA_SERVICES;
  const services: SimService[] = names.map((name) => ({
    name,
    image: `docker.io/openvidu/${name}:3.8.0`,
    state: 'running',
    health: name === 'caddy' || name === 'openvidu' ? 'healthy' : '',
    startedAt: now,
  }));
  return { kind, openviduActive: true, services, restarts: [], bootedAt: now };
}
