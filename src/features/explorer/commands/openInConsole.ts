import * as vscode from 'vscode';
import { asgConsoleUrl, instanceConsoleUrl, stackConsoleUrl } from '../../../openvidu/consoleUrls';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { targetOrPick } from '../target';
import type { ExplorerNode } from '../treeNodes';

/** Open the stack, the instance or the media Auto Scaling group in the AWS console. */
export async function openInConsole(explorer: ClusterTreeProvider, node?: ExplorerNode): Promise<void> {
  const target = await targetOrPick(explorer, node, 'Open in the AWS console', 'stack');
  if (!target) return;
  let url: string | undefined;
  const { region, stack } = target;
  if (target.kind === 'stack') url = stackConsoleUrl(region, stack.summary.stackId || stack.summary.stackName);
  else if (target.kind === 'node') url = instanceConsoleUrl(region, target.node.instanceId);
  else if (target.kind === 'nodeGroup') {
    const c = stack.cluster;
    url = target.role === 'media' && c?.mediaGroup.asgName ? asgConsoleUrl(region, c.mediaGroup.asgName) : stackConsoleUrl(region, stack.summary.stackId);
  }
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
}
