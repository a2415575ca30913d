/** Lifecycle of a deployment: scale media nodes, update or upgrade through a change set, shut down and start, delete. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { scaleMediaNodes } from './commands/scaleMediaNodes';
import { shutDownCluster } from './commands/shutDownCluster';
import { startCluster } from './commands/startCluster';
import { deleteDeployment } from './commands/deleteDeployment';
import { updateDeployment, type UpdateFormOpener } from './commands/updateDeployment';
import { UpdatePanel } from './updatePanel';
import type { Operations } from '../operations';
import type { DeployFeature } from '../deploy';

export function registerLifecycle(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer, operations: Operations, deploy: DeployFeature): void {
  // "Update or Upgrade Deployment…" opens the update form; the command falls back to quick picks without it.
  const openUpdateForm: UpdateFormOpener = async (stack, current) => {
    UpdatePanel.show({ app, extensionUri: context.extensionUri, explorer, templates: deploy.templates }, stack, current);
    return true;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.scaleMediaNodes, (node) => scaleMediaNodes(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.shutDownCluster, (node) => shutDownCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.startCluster, (node) => startCluster(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.deleteDeployment, (node) => deleteDeployment(app, explorer.provider, node)),
    vscode.commands.registerCommand(Commands.updateDeployment, (node) => updateDeployment(app, explorer.provider, operations.reports, node, undefined, openUpdateForm)),
    { dispose: () => [...UpdatePanel.open.values()].forEach((p) => p.dispose()) },
  );
}
