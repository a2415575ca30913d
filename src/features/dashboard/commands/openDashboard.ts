import * as vscode from 'vscode';
import { type ExplorerNode, type StackNode, pickStack } from '../../explorer';
import type { DashboardFeature } from '../feature';
import { DashboardPanel } from '../dashboardPanel';

/** Opens (or brings forward) the dashboard of a cluster: CPU against the target, node count, rooms, masters. */
export async function openDashboard(feature: DashboardFeature, extensionUri: vscode.Uri, node?: ExplorerNode): Promise<DashboardPanel | undefined> {
  let stack: StackNode | undefined;
  if (node?.kind === 'stack') stack = node;
  else if (node?.kind === 'group') stack = node.stackNode;
  else stack = await pickStack(feature.explorer, 'Open the dashboard of…');
  if (!stack) return undefined;
  if (!stack.cluster) await feature.explorer.getChildren(stack);
  return DashboardPanel.show(feature, extensionUri, stack);
}
