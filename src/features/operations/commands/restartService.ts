import * as vscode from 'vscode';
import { toTarget, type ClusterTreeProvider, type ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { discoverServices } from '../nodeHelpers';
import { restartNodes, type RestartOutcome } from '../restart';
import { nodeLabel, resolveTargets } from '../targets';

/** `docker compose restart <service>`: from a service in the tree, or a node / group / stack and a picked service. */
export async function restartService(app: AppContext, explorer: ClusterTreeProvider, item?: ExplorerNode): Promise<RestartOutcome | undefined> {
  const target = toTarget(item);
  if (target?.kind === 'service') {
    const { stack } = target;
    return restartNodes(app, { region: target.region, stack, nodes: [target.node], label: `${stack.summary.stackName} · ${nodeLabel(target.node)}`, service: target.service });
  }
  const targets = await resolveTargets(explorer, item, 'Restart a service on…');
  if (!targets?.nodes.length) return undefined;
  const running = targets.nodes.filter((n) => n.state === 'running');
  const discovered = await discoverServices(app, targets.region, running);
  const all = [...new Set([...discovered.values()].flat())].sort();
  if (!all.length) {
    void vscode.window.showWarningMessage(`${targets.label}: no services were discovered (check the nodes' status first).`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s, description: `on ${running.filter((n) => discovered.get(n.instanceId)?.includes(s)).length} node(s)` })),
    { title: `Restart which service on ${targets.label}?` },
  );
  if (!picked) return undefined;
  const nodes = running.filter((n) => discovered.get(n.instanceId)?.includes(picked.label));
  return restartNodes(app, { region: targets.region, stack: targets.stack, nodes, label: targets.label, service: picked.label });
}
