/**
 * Builds a cluster's dashboard model: CPU over the last hour (one GetMetricData call), the media group's
 * scaling activities (one DescribeScalingActivities call), the live rooms (one ListRooms call, through the
 * Rooms feature) and the master nodes' services from the last status check (no call).
 */
import type { StackNode } from '../explorer';
import { liveTrafficOf } from '../rooms';
import { scaleTarget } from '../../openvidu/load';
import type { DashboardModel } from '../../openvidu/dashboard';
import type { DashboardFeature } from './feature';

export async function gatherDashboard(feature: DashboardFeature, stack: StackNode): Promise<DashboardModel> {
  const c = stack.cluster;
  // the three reads run in parallel: one round trip of latency, whatever the node count
  const start = feature.now() - feature.windowMs;
  const [entry, activities, traffic] = await Promise.all([
    feature.load(stack, true),
    c?.mediaGroup.asgName
      ? import('../../aws/metrics').then((m) => m.loadScalingHistory(feature.app.session(stack.region), c.mediaGroup.asgName!, start)).catch(() => [])
      : Promise.resolve([]),
    liveTrafficOf(stack),
  ]);
  const end = entry.at;
  const load = entry.load;
  return {
    stackName: stack.summary.stackName,
    region: stack.region,
    generatedAt: end,
    windowStart: end - feature.windowMs,
    windowEnd: end,
    periodSeconds: load?.periodSeconds ?? 300,
    target: c ? scaleTarget(c.parameters) : undefined,
    nodes: load ? [...load.perNode.entries()].map(([instanceId, series]) => ({ instanceId, series })) : [],
    groupCpu: load?.groupCpu ?? { timestamps: [], values: [] },
    nodeCount: load?.nodeCount ?? { timestamps: [], values: [] },
    cpuError: entry.error,
    activities,
    rooms: traffic ?? { ok: false, reason: 'the Rooms feature is not running' },
    masters: (c?.masters ?? []).map((m) => {
      const st = feature.app.nodeStatus.get(m.instanceId);
      const services = st?.status ? `${st.status.services.filter((s) => s.state === 'running' && s.health !== 'unhealthy').length}/${st.status.services.length} services up` : st?.error ? 'status unknown' : 'not checked yet';
      return { label: `Master ${m.index ?? '?'}`, instanceId: m.instanceId, state: m.state, services };
    }),
  };
}
