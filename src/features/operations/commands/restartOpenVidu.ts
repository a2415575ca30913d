import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { restartNodes, type RestartOutcome } from '../restart';
import { resolveTargets } from '../targets';

/** `systemctl restart openvidu` on a node, a node group or a stack (masters one at a time). */
export async function restartOpenVidu(app: AppContext, explorer: ClusterTreeProvider, item?: ExplorerNode): Promise<RestartOutcome | undefined> {
  // a service row means its node (resolveTargets)
  const targets = await resolveTargets(explorer, item, 'Restart OpenVidu on…');
  if (!targets?.nodes.length) return undefined;
  return restartNodes(app, { region: targets.region, stack: targets.stack, nodes: targets.nodes, label: targets.label });
}
