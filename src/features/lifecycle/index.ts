/** Lifecycle of a deployment: scale media nodes, update or upgrade through a change set, shut down and start, delete. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { scaleMediaNodes } from './commands/scaleMediaNodes';
import { shutDownCluster } from './commands/shutDownCluster';
import { startCluster } from './commands/startCluster';
import { deleteDeployment } from './commands/deleteDeployment';
import { updateDeployment } from './commands/updateDeployment';
import type { Operations } from '../operations';

// What other features may use (docs/architecture.md: a feature imports another only through its index.ts).
export { setUpdateFormOpener } from './commands/updateDeployment';
export { buildChangeSet, currentVersion, resolveCurrentVersion, targetSpec } from './updateCore';
export type { Proposal, UpdatePlan, UpdateTarget } from './updateCore';

export function registerLifecycle(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer, operations: Operations): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.scaleMediaNodes, (node) => scaleMediaNodes(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.shutDownCluster, (node) => shutDownCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.startCluster, (node) => startCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.deleteDeployment, (node) => deleteDeployment(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.updateDeployment, (node) => updateDeployment(app, explorer.provider, operations.reports, node)),
  );
}
