/** Open Shell on Node: a Session Manager shell in a VS Code terminal named after the node. */
import * as vscode from 'vscode';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { ShellPty } from '../shellTerminal';
import { reachableNode, terminalName } from '../target';

export interface OpenedShell {
  terminal: vscode.Terminal;
  pty: ShellPty;
}

export async function openShell(app: AppContext, explorer: ClusterTreeProvider, shells: Set<ShellPty>, item?: ExplorerNode): Promise<OpenedShell | undefined> {
  const node = await reachableNode(app, explorer, item, 'Open Shell on Node', 'a shell');
  if (!node) return undefined;
  const pty = new ShellPty(
    app.session(node.region),
    { instanceId: node.node.instanceId, label: node.label },
    (line) => app.output.info(line),
    (p) => shells.delete(p),
  );
  shells.add(pty);
  const terminal = vscode.window.createTerminal({ name: terminalName(node), pty, iconPath: new vscode.ThemeIcon('terminal-bash') });
  terminal.show();
  return { terminal, pty };
}
