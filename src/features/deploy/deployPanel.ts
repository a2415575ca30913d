/**
 * The one deploy wizard panel: creates or reveals it, restores it after a window reload (through the
 * WebviewPanelSerializer registered in index.ts), and connects the webview to a DeployController through the
 * shared WebviewPanelHost (HTML, CSP, icon, message routing). The controller does the work; this file supplies
 * the VS Code effects (clipboard, explorer, file dialogs, status bar).
 */
import * as vscode from 'vscode';
import { revealStack, type Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { DeployController } from './controller';
import type { DeployEffects, DeployHost } from './controller';
import { createFormPanel, formPanelOptions, WebviewPanelHost } from '../shared/webviewPanelHost';
import { DEPLOY_VIEW_TYPE } from '../../protocol/deployForm';
import type { HostMessage, ProgressModel } from '../../protocol/deployForm';
import type { TemplateService } from './templateService';
import type { DeployStatusBar } from './statusBar';
import { Commands } from '../../constants';
import { templateBaseUrl } from '../shared/templateBaseUrl';
import { deployProgressChanged } from './completion';

/** The credentials feature's command; executed only when registered. */
export const COPY_LIVEKIT_CREDENTIALS_COMMAND: string = Commands.copyLiveKitCredentials;
const MAX_PARAMETERS_FILE_BYTES = 1_000_000;

export interface DeployPanelDeps {
  app: AppContext;
  context: vscode.ExtensionContext;
  explorer?: Explorer;
  templates: TemplateService;
  status: DeployStatusBar;
}

/** What the deploy and update controllers need from the extension (they import no vscode themselves). */
export function deployHost(app: AppContext): DeployHost {
  return {
    session: (r) => app.session(r),
    describeError: (e, r) => app.describeError(e, r),
    log: { info: (m) => app.output.info(m), warn: (m) => app.output.warn(m) },
    regions: () => app.regions(),
    templateBaseUrl,
  };
}

export { templateBaseUrl };

export class DeployPanel implements vscode.Disposable {
  static current?: DeployPanel;
  private readonly controller: DeployController;
  private readonly host: WebviewPanelHost<HostMessage>;

  static createOrShow(deps: DeployPanelDeps): DeployPanel {
    if (DeployPanel.current) {
      DeployPanel.current.panel.reveal();
      return DeployPanel.current;
    }
    const panel = createFormPanel(DEPLOY_VIEW_TYPE, 'Deploy OpenVidu HA', deps.context.extensionUri);
    DeployPanel.current = new DeployPanel(panel, deps);
    return DeployPanel.current;
  }

  /** A panel VS Code restored after a reload: the webview restores its own draft from getState. */
  static revive(panel: vscode.WebviewPanel, deps: DeployPanelDeps): DeployPanel {
    DeployPanel.current?.dispose();
    panel.webview.options = formPanelOptions(deps.context.extensionUri);
    DeployPanel.current = new DeployPanel(panel, deps);
    return DeployPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DeployPanelDeps,
  ) {
    this.host = new WebviewPanelHost<HostMessage>(panel, deps.context.extensionUri, (raw) => this.controller.handle(raw), () => this.cleanUp());
    this.controller = new DeployController(deployHost(deps.app), deps.templates, this.effects());
  }

  private post(message: HostMessage): void {
    this.host.post(message);
  }

  private async revealStack(region: string, stackName: string, focus: boolean): Promise<void> {
    await revealStack(this.deps.explorer, region, stackName, focus);
  }


  private effects(): DeployEffects {
    const { app, status } = this.deps;
    return {
      post: (m) => this.post(m),
      copyText: async (text) => {
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage(`Copied ${text} to the clipboard.`);
      },
      showNodes: (region, stackName) => this.revealStack(region, stackName, true),
      liveKitCommandAvailable: async () => (await vscode.commands.getCommands(true)).includes(COPY_LIVEKIT_CREDENTIALS_COMMAND),
      copyLiveKitCredentials: async (region, stackName) => {
        if (!(await vscode.commands.getCommands(true)).includes(COPY_LIVEKIT_CREDENTIALS_COMMAND)) return false;
        const node = await this.deps.explorer?.provider.findStack(region, stackName);
        await vscode.commands.executeCommand(COPY_LIVEKIT_CREDENTIALS_COMMAND, node);
        return true;
      },
      saveParametersFile: async (text, suggestedName) => {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const uri = await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
          filters: { 'CloudFormation parameters': ['json'] },
          saveLabel: 'Export Parameters',
        });
        if (!uri) return undefined;
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        return uri.fsPath || uri.toString();
      },
      openParametersFile: async () => {
        const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CloudFormation parameters': ['json'] }, openLabel: 'Import Parameters' })) ?? [];
        if (!uri) return undefined;
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > MAX_PARAMETERS_FILE_BYTES) throw new Error('The file is larger than 1 MB: it is not a parameters file.');
        return new TextDecoder().decode(bytes);
      },
      stackCreated: (region, stackName) => {
        status.started(region, stackName);
        void this.revealStack(region, stackName, false).catch((e) => app.output.warn(`[deploy] revealing ${stackName}: ${(e as Error).message}`));
      },
      progressChanged: (p: ProgressModel) => {
        if (p.outcome !== 'inProgress') void this.deps.explorer?.provider.reloadNow();
        void deployProgressChanged(p, status, {
          showNodes: (region, stackName) => this.revealStack(region, stackName, true),
          copyCredentials: async (region, stackName) => {
            const node = await this.deps.explorer?.provider.findStack(region, stackName);
            await vscode.commands.executeCommand(COPY_LIVEKIT_CREDENTIALS_COMMAND, node);
          },
          showEvents: async (region, stackName) => {
            const node = await this.deps.explorer?.provider.findStack(region, stackName);
            await vscode.commands.executeCommand(Commands.showStackEvents, node);
          },
          log: (m) => app.output.warn(m),
        });
      },
    };
  }

  /** Run once by the host, before the panel goes. */
  private cleanUp(): void {
    if (DeployPanel.current === this) DeployPanel.current = undefined;
    if (this.controller.following && !this.controller.following.isSettled()) this.deps.status.detached();
    this.controller.dispose();
  }

  dispose(): void {
    this.host.dispose();
  }
}
