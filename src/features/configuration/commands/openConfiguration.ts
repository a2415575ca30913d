/** "Open Cluster Configuration…": the stack's files (read from its first reachable master) in a quick pick, then an editor tab. */
import * as vscode from 'vscode';
import { describeConfigFile } from '../../../openvidu/configLayout';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import { warnUnreachable } from '../../operations';
import type { AppContext } from '../../shared/appContext';
import type { ConfigFileSystem } from '../configFileSystem';
import type { ConfigTree } from '../configTree';
import { configUri, isTarget } from '../targets';
import { stackOf } from './stackOf';

export async function openConfiguration(app: AppContext, explorer: ClusterTreeProvider, tree: ConfigTree, fs: ConfigFileSystem, item?: ExplorerNode, file?: string): Promise<vscode.Uri | undefined> {
  const stack = await stackOf(explorer, item, 'Open Cluster Configuration');
  if (!stack) return undefined;
  const t = await tree.target(stack);
  if (!isTarget(t)) {
    const masters = stack.cluster?.masters ?? [];
    const why = new Map(masters.map((m, i) => [m.instanceId, t.reasons[i]?.replace(/^[^:]*: /, '') ?? 'not reachable']));
    await warnUnreachable(stack, masters, why, 'reading the configuration');
    return undefined;
  }
  const root = { region: t.region, stackName: stack.summary.stackName, instanceId: t.master.instanceId, rel: '' };
  let rel = file;
  if (!rel) {
    const entries = await fs.listing(root, true);
    const picked = await vscode.window.showQuickPick(
      entries.map((e) => ({ label: e.path, description: `${e.size} B`, detail: describeConfigFile(e.path) })),
      { title: `${stack.summary.stackName}: configuration on ${t.remote.master.label}`, placeHolder: 'File under /opt/openvidu/config', matchOnDetail: true },
    );
    rel = picked?.label;
  }
  if (!rel) return undefined;
  const uri = configUri({ ...root, rel });
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return uri;
}
