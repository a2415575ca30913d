import * as vscode from 'vscode';
import type { DashboardFeature } from '../feature';
import { type ExplorerNode, stackOrPick } from '../../explorer';
import { stackDetailsUri } from '../stackDetailsDocument';

/** Opens the read-only Stack details document (parameters with NoEcho masked, outputs, resources, tags, drift). */
export async function showStackDetails(feature: DashboardFeature, node?: ExplorerNode): Promise<vscode.Uri | undefined> {
  const stack = await stackOrPick(feature.explorer, node, 'Show the details of…');
  if (!stack) return undefined;
  const uri = stackDetailsUri(stack.region, stack.summary.stackName, stack.cluster?.templateVersion);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc as never, { preview: true });
  return uri;
}
