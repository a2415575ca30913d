/** Lifecycle of a deployment: scale media nodes, shut down and start, delete. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { scaleMediaNodes } from './commands/scaleMediaNodes';
import { shutDownCluster } from './commands/shutDownCluster';
import { startCluster } from './commands/startCluster';
import { deleteDeployment } from './commands/deleteDeployment';

export function registerLifecycle(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.scaleMediaNodes, (node) => scaleMediaNodes(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.shutDownCluster, (node) => shutDownCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.startCluster, (node) => startCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.deleteDeployment, (node) => deleteDeployment(app, explorer.provider, node)),
  );
}
