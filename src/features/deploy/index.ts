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
import { UpdatePanel } from './updatePanel';
import { setUpdateFormOpener } from '../lifecycle';

export function registerDeploy(app: AppContext, context: vscode.ExtensionContext, explorer?: Explorer): void {
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
    { dispose: () => [...UpdatePanel.open.values()].forEach((p) => p.dispose()) },
  );
  // "Update or Upgrade Deployment…" opens this form; the command falls back to quick picks without it.
  setUpdateFormOpener(async (stack, current) => {
    UpdatePanel.show(deps, stack, current);
    return true;
  });
  context.subscriptions.push({ dispose: () => setUpdateFormOpener(undefined) });
}
