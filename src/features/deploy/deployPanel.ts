/**
 * The one deploy wizard panel: creates or reveals it, restores it after a window reload (through the
 * WebviewPanelSerializer registered in index.ts), and connects the webview to a DeployController. The
 * controller does the work; this file supplies the VS Code effects (clipboard, explorer, file dialogs,
 * status bar).
 */
import * as vscode from 'vscode';
import { revealStack, type Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { DeployController } from './controller';
import type { DeployEffects, DeployHost } from './controller';
import { makeNonce, renderDeployHtml } from './html';
import { DEPLOY_VIEW_TYPE } from '../../protocol/deployForm';
import type { HostMessage, ProgressModel } from '../../protocol/deployForm';
import type { TemplateService } from './templateService';
import type { DeployStatusBar } from './statusBar';
import { Commands } from '../../constants';
import { templateBaseUrl } from '../shared/templateBaseUrl';
import { panelIcon } from './panelIcon';
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
  private readonly disposables: vscode.Disposable[] = [];

  static createOrShow(deps: DeployPanelDeps): DeployPanel {
    if (DeployPanel.current) {
      DeployPanel.current.panel.reveal();
      return DeployPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DEPLOY_VIEW_TYPE, 'Deploy OpenVidu HA', vscode.ViewColumn.Active, DeployPanel.webviewOptions(deps.context));
    DeployPanel.current = new DeployPanel(panel, deps);
    return DeployPanel.current;
  }

  /** A panel VS Code restored after a reload: the webview restores its own draft from getState. */
  static revive(panel: vscode.WebviewPanel, deps: DeployPanelDeps): DeployPanel {
    DeployPanel.current?.dispose();
    panel.webview.options = DeployPanel.webviewOptions(deps.context);
    DeployPanel.current = new DeployPanel(panel, deps);
    return DeployPanel.current;
  }

  static webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      // dist/webview holds the script, the stylesheet and the codicons font esbuild copied next to it.
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DeployPanelDeps,
  ) {
    const { app } = deps;
    this.controller = new DeployController(
      deployHost(app),
      deps.templates,
      this.effects(),
    );
    panel.iconPath = panelIcon(deps.context.extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage(async (raw: unknown) => {
        const reply = await this.controller.handle(raw);
        if (reply) this.post(reply);
      }),
    );
  }

  private html(): string {
    const { webview } = this.panel;
    const base = vscode.Uri.joinPath(this.deps.context.extensionUri, 'dist', 'webview');
    return renderDeployHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.css')).toString(),
    });
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
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

  dispose(): void {
    if (DeployPanel.current === this) DeployPanel.current = undefined;
    if (this.controller.following && !this.controller.following.isSettled()) this.deps.status.detached();
    this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
