/**
 * Entry point: builds the shared context and registers each feature. Nothing else happens here; the
 * extension activates only when its view is opened or one of its commands runs.
 */
import * as vscode from 'vscode';
import { AppContext } from './features/shared/appContext';
import { registerExplorer } from './features/explorer';
import { registerOperations } from './features/operations';
import { registerLifecycle } from './features/lifecycle';
import { registerCredentials } from './features/credentials';
import { registerDeploy } from './features/deploy';
import { registerGettingStarted } from './features/gettingStarted';
import { registerShell, type ShellFeature } from './features/shell';
import { registerConfiguration } from './features/configuration';
import { registerRooms } from './features/rooms';
import { registerDashboard } from './features/dashboard';

let shell: ShellFeature | undefined;

export function activate(context: vscode.ExtensionContext) {
  const app = new AppContext(context);
  context.subscriptions.push(app);
  const explorer = registerExplorer(app, context);
  const operations = registerOperations(app, context, explorer);
  // deploy before lifecycle: the update form (lifecycle) uses the deploy feature's template service
  const deploy = registerDeploy(app, context, explorer);
  registerLifecycle(app, context, explorer, operations, deploy);
  registerCredentials(app, context, explorer);
  const rooms = registerRooms(app, context, explorer);
  const dashboard = registerDashboard(app, context, explorer);
  registerGettingStarted(context);
  shell = registerShell(app, context, explorer);
  const configuration = registerConfiguration(app, context, explorer);
  return { app, explorer, operations, shell, configuration, rooms, dashboard };
}

export async function deactivate(): Promise<void> {
  // Everything is disposed through context.subscriptions; open Session Manager sessions are terminated first
  // (TerminateSession), so a reload or a shutdown leaves none behind.
  await shell?.shutdown();
}
