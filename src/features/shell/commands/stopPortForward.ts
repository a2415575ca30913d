/** Stop Port Forward: from its row under the node, or picked from the live forwards. */
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../explorer';
import type { ForwardRegistry } from '../forwards';

export async function stopPortForward(registry: ForwardRegistry, item?: ExplorerNode): Promise<boolean> {
  let id: string | undefined;
  if (item && typeof item === 'object' && 'kind' in item && item.kind === 'portForward') id = item.forward.id;
  if (!id) {
    const all = registry.all();
    if (!all.length) {
      void vscode.window.showInformationMessage('No port is being forwarded.');
      return false;
    }
    const pick = await vscode.window.showQuickPick(
      all.map((a) => ({ label: `127.0.0.1:${a.row.localPort} → ${a.row.instanceId}:${a.row.remotePort}`, description: a.row.name ?? '', id: a.row.id })),
      { title: 'Stop Port Forward' },
    );
    id = pick?.id;
  }
  if (!id || !registry.get(id)) return false;
  await registry.stop(id);
  return true;
}
