/** Registers the deploy wizard: its command, the panel serializer (restores it after a reload) and the status bar. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { AppContext } from '../shared/appContext';
import type { Explorer } from '../explorer';
import { deploy } from './commands/deploy';
import { DeployPanel, templateBaseUrl, type DeployPanelDeps } from './deployPanel';
import { DEPLOY_VIEW_TYPE } from '../../protocol/deployForm';
import { DeployStatusBar } from './statusBar';
import { TemplateService } from './templateService';

// What other features may use (docs/architecture.md: a feature imports another only through its index.ts).
// The update form (lifecycle) is the deploy form's webview in update mode: it loads templates through the same
// service (one cache) and follows the update's events with the same follower.
export { deployHost } from './deployPanel';
export type { DeployHost } from './controller';
export { StackFollower } from './stackFollower';
export type { TemplateService } from './templateService';

export interface DeployFeature {
  /** the templates cache, shared with the update form */
  templates: TemplateService;
}

export function registerDeploy(app: AppContext, context: vscode.ExtensionContext, explorer?: Explorer): DeployFeature {
  const status = new DeployStatusBar();
  const templates = new TemplateService({
    session: (r) => app.session(r),
    baseUrl: templateBaseUrl,
    cache: context.globalState,
    describeError: (e, r) => app.describeError(e, r),
  });
  const deps: DeployPanelDeps = { app, context, explorer, templates, status };
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand(Commands.deploy, () => deploy(deps)),
    vscode.window.registerWebviewPanelSerializer(DEPLOY_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        DeployPanel.revive(panel, deps);
      },
    }),
    { dispose: () => DeployPanel.current?.dispose() },
  );
  return { templates };
}
