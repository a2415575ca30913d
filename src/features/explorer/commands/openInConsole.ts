import * as vscode from 'vscode';
import { asgConsoleUrl, instanceConsoleUrl, stackConsoleUrl } from '../../../openvidu/consoleUrls';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { pickStack } from '../pickers';
import type { ExplorerNode } from '../treeNodes';

/** Open the stack, the instance or the media Auto Scaling group in the AWS console. */
export async function openInConsole(explorer: ClusterTreeProvider, node?: ExplorerNode): Promise<void> {
  const target = node && typeof node === 'object' && 'kind' in node ? node : await pickStack(explorer, 'Open in the AWS console');
  if (!target) return;
  let url: string | undefined;
  if (target.kind === 'stack') url = stackConsoleUrl(target.region, target.summary.stackId || target.summary.stackName);
  else if (target.kind === 'instance') url = instanceConsoleUrl(target.region, target.node.instanceId);
  else if (target.kind === 'group') {
    const c = target.stackNode.cluster;
    url = target.role === 'media' && c?.mediaGroup.asgName ? asgConsoleUrl(target.stackNode.region, c.mediaGroup.asgName) : stackConsoleUrl(target.stackNode.region, target.stackNode.summary.stackId);
  }
  if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
}
