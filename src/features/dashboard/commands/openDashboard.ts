import * as vscode from 'vscode';
import { type ExplorerNode, stackOrPick } from '../../explorer';
import type { DashboardFeature } from '../feature';
import { DashboardPanel } from '../dashboardPanel';

/** Opens (or brings forward) the dashboard of a cluster: CPU against the target, node count, rooms, masters. */
export async function openDashboard(feature: DashboardFeature, extensionUri: vscode.Uri, node?: ExplorerNode): Promise<DashboardPanel | undefined> {
  const stack = await stackOrPick(feature.explorer, node, 'Open the dashboard of…');
  if (!stack) return undefined;
  if (!stack.cluster) await feature.explorer.getChildren(stack);
  return DashboardPanel.show(feature, extensionUri, stack);
}
