import * as vscode from 'vscode';
import { UnsafeValueError, checkServiceName } from '../../../openvidu/nodeCommands';
import type { NodeInstance } from '../../../openvidu/cluster';
import { toTarget, type ClusterTreeProvider, type ExplorerNode, type StackNode } from '../../explorer';
import { refuseWhileShutDown } from '../../shared/shutDown';
import type { AppContext } from '../../shared/appContext';
import { tailDocumentSegments } from '../logDocuments';
import { discoverServices, logTimestampsSetting, numberSetting, warnUnreachable } from '../nodeHelpers';
import { checkReachability } from '../reachability';
import { nodeLabel } from '../targets';
import type { TailManager, TailSession } from '../tailManager';
import { SsmTailPoller } from '../tailPollers';
import { askFilter } from '../logChoices';
import { checkLogFilter, describeFilter, parseFilterInput, type LogFilter } from '../../../openvidu/logFilter';

interface TailTarget {
  region: string;
  stack: StackNode;
  nodes: NodeInstance[];
  /** "Master 1" or "all media nodes" */
  label: string;
  service?: string;
}

async function resolveTailTarget(explorer: ClusterTreeProvider, item: ExplorerNode | undefined): Promise<TailTarget | undefined> {
  const target = toTarget(item);
  if (target?.kind === 'service') return { region: target.region, stack: target.stack, nodes: [target.node], label: nodeLabel(target.node), service: target.service };
  if (target?.kind === 'node') return { region: target.region, stack: target.stack, nodes: [target.node], label: nodeLabel(target.node) };
  if (target?.kind === 'nodeGroup') return { region: target.region, stack: target.stack, nodes: target.group.instances(), label: target.role === 'media' ? 'all media nodes' : 'all master nodes' };
  if (target?.kind === 'stack') {
    await explorer.getChildren(target.stack);
    return { region: target.region, stack: target.stack, nodes: target.stack.cluster?.media ?? [], label: 'all media nodes' };
  }
  type Item = vscode.QuickPickItem & { target: TailTarget };
  const items = explorer.allInstances().then((list) => {
    const out: Item[] = [];
    const stacks = new Set<StackNode>();
    for (const i of list) {
      const stack = i.group.stackNode;
      if (!stacks.has(stack) && stack.cluster?.media.length) {
        stacks.add(stack);
        out.push({ label: `$(layers) All media nodes`, description: `${stack.summary.stackName} · ${stack.region} · interleaved by time`, target: { region: stack.region, stack, nodes: stack.cluster.media, label: 'all media nodes' } });
      }
      out.push({ label: nodeLabel(i.node), description: `${stack.summary.stackName} · ${i.region} · ${i.node.state}`, target: { region: i.region, stack, nodes: [i.node], label: nodeLabel(i.node) } });
    }
    return out;
  });
  const picked = await vscode.window.showQuickPick<Item>(items, { title: 'Follow logs of…', placeHolder: 'A node, or all media nodes of a stack', matchOnDescription: true });
  return picked?.target;
}

/**
 * Live tail of one service on one node, or on every media node interleaved by timestamp: polls with
 * `--since <last timestamp>` every `openviduHa.tailIntervalSeconds`, into a read-only document. An optional
 * filter (asked when it starts; Enter: the session's last one, empty the first time) runs on the node by grep.
 */
export async function followLogs(app: AppContext, explorer: ClusterTreeProvider, tails: TailManager, item?: ExplorerNode, answers: { filter?: string } = {}): Promise<TailSession | undefined> {
  let filter: LogFilter | undefined;
  try {
    // a filter given in advance is checked before anything is sent
    if (answers.filter) filter = checkLogFilter(parseFilterInput(answers.filter)!);
  } catch (e) {
    void vscode.window.showErrorMessage(`Logs not followed: ${(e as Error).message}`);
    return undefined;
  }
  const target = await resolveTailTarget(explorer, item);
  if (!target || refuseWhileShutDown(target.stack, 'follow logs')) return undefined;
  if (!target.nodes.length) {
    void vscode.window.showWarningMessage(`${target.stack.summary.stackName}: there are no nodes to follow.`);
    return undefined;
  }
  try {
    if (target.service) checkServiceName(target.service, app.nodeStatus.services(target.nodes[0].instanceId));
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
  const { reachable, unreachable } = await checkReachability(app, target.region, target.nodes);
  if (unreachable.size) void warnUnreachable(target.stack, target.nodes, unreachable, 'a live tail');
  if (!reachable.length) return undefined;
  let service = target.service;
  let known: string[] | undefined;
  if (!service) {
    const discovered = await discoverServices(app, target.region, reachable);
    const all = [...new Set([...discovered.values()].flat())].sort();
    const picked = await vscode.window.showQuickPick(
      all.map((s) => ({ label: s, description: `on ${reachable.filter((n) => discovered.get(n.instanceId)?.includes(s)).length} of ${reachable.length} node(s)` })),
      { title: `Follow which service on ${target.stack.summary.stackName} · ${target.label}?`, placeHolder: all.length ? 'Service' : 'No services were discovered on these nodes' },
    );
    if (!picked) return undefined;
    service = picked.label;
    known = all;
  }
  if (answers.filter === undefined) {
    const typed = await askFilter(tails.choices, 'tail', `Follow ${service} on ${target.stack.summary.stackName} · ${target.label}: filter (optional)`);
    if (typed === undefined) return undefined;
    try {
      const f = parseFilterInput(typed);
      filter = f && checkLogFilter(f);
    } catch (e) {
      void vscode.window.showErrorMessage(`Logs not followed: ${(e as Error).message}`);
      return undefined;
    }
    tails.choices.remember('tail', typed);
  }
  const maxLines = Math.round(numberSetting('tailMaxLines', 5000, 100, 100_000));
  const intervalMs = Math.round(numberSetting('tailIntervalSeconds', 5, 0.1, 3600) * 1000);
  let poller: SsmTailPoller;
  try {
    checkServiceName(service, known);
    poller = new SsmTailPoller(
      app.session(target.region),
      reachable.map((n) => ({ instanceId: n.instanceId, label: nodeLabel(n) })),
      service,
      known,
      { maxLines, log: (m) => app.output.info(m), timestamps: logTimestampsSetting(), filter },
    );
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof UnsafeValueError ? e.message : String(e));
    return undefined;
  }
  const where = reachable.length === 1 ? nodeLabel(reachable[0]) : target.label;
  return tails.start({
    segments: tailDocumentSegments(target.stack.summary.stackName, where, service),
    title: `${service} on ${target.stack.summary.stackName} · ${where}`,
    short: `${service} · ${where}`,
    poller,
    filter: filter && describeFilter(filter),
    intervalMs,
    region: target.region,
  });
}
