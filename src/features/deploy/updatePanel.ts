/**
 * The update form: the deploy panel's webview in update mode for one stack (view type
 * `openviduHa.updateWizard`, one panel per stack, not restored after a reload). The UpdateController does the
 * work; this file supplies the VS Code effects (explorer refresh and reveal, notifications when hidden).
 */
import * as vscode from 'vscode';
import { revealStack, type StackNode } from '../explorer';
import type { StackParameters } from '../../aws/changeSetApi';
import type { DeployPanelDeps } from './deployPanel';
import { DeployPanel, deployHost } from './deployPanel';
import { makeNonce, renderDeployHtml } from './html';
import type { HostMessage, ProgressModel } from '../../protocol/deployForm';
import { UpdateController } from './updateController';
import { panelIcon } from './panelIcon';

export const UPDATE_VIEW_TYPE = 'openviduHa.updateWizard';

export class UpdatePanel implements vscode.Disposable {
  static readonly open = new Map<string, UpdatePanel>();
  private readonly controller: UpdateController;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the update form of a stack. */
  static show(deps: DeployPanelDeps, stack: StackNode, current: StackParameters): UpdatePanel {
    const key = `${stack.region}/${stack.summary.stackName}`;
    const existing = UpdatePanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(UPDATE_VIEW_TYPE, `Update ${stack.summary.stackName}`, vscode.ViewColumn.Active, DeployPanel.webviewOptions(deps.context));
    const p = new UpdatePanel(key, panel, deps, stack, current);
    UpdatePanel.open.set(key, p);
    return p;
  }

  private constructor(
    private readonly key: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DeployPanelDeps,
    stack: StackNode,
    current: StackParameters,
  ) {
    const { app } = deps;
    this.controller = new UpdateController(
      deployHost(app),
      deps.templates,
      { stackName: stack.summary.stackName, region: stack.region, clusterVersion: stack.cluster?.templateVersion },
      current,
      {
        post: (m) => this.post(m),
        showNodes: (region, stackName) => this.revealStack(region, stackName, true),
        updateStarted: (region, stackName) => void this.revealStack(region, stackName, false).catch(() => undefined),
        progressChanged: (p) => this.progressChanged(p),
      },
    );
    panel.iconPath = panelIcon(deps.context.extensionUri);
    const base = vscode.Uri.joinPath(deps.context.extensionUri, 'dist', 'webview');
    panel.webview.html = renderDeployHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage(async (raw: unknown) => {
        const reply = await this.controller.handle(raw);
        if (reply) this.post(reply);
      }),
    );
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async revealStack(region: string, stackName: string, focus: boolean): Promise<void> {
    await revealStack(this.deps.explorer, region, stackName, focus, focus ? 2 : undefined);
  }


  private progressChanged(p: ProgressModel): void {
    if (p.outcome === 'inProgress') return;
    void this.deps.explorer?.provider.reloadNow();
    if (this.panel.visible) return;
    const text = p.outcome === 'complete' ? `${p.stackName} is updated.` : `The update of ${p.stackName} ${/ROLLBACK/.test(p.status) ? 'was rolled back' : 'failed'}: ${p.failure?.headline ?? p.status}`;
    void (p.outcome === 'complete' ? vscode.window.showInformationMessage(text, 'Show') : vscode.window.showErrorMessage(text, 'Show')).then((c) => {
      if (c === 'Show') this.panel.reveal();
    });
  }

  dispose(): void {
    if (UpdatePanel.open.get(this.key) === this) UpdatePanel.open.delete(this.key);
    void this.controller.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
