/**
 * The update form: the deploy form's webview in update mode for one stack (view type `openviduHa.updateWizard`,
 * one panel per stack, not restored after a reload), hosted by the shared WebviewPanelHost like the deploy panel.
 * The UpdateController does the work; this file supplies the VS Code effects (explorer refresh and reveal,
 * notifications when hidden).
 */
import * as vscode from 'vscode';
import { revealStack, type Explorer, type StackNode } from '../explorer';
import type { StackParameters } from '../../aws/changeSetApi';
import type { AppContext } from '../shared/appContext';
import { createFormPanel, WebviewPanelHost } from '../shared/webviewPanelHost';
import { deployHost, type TemplateService } from '../deploy';
import type { HostMessage, ProgressModel } from '../../protocol/deployForm';
import { UpdateController } from './updateController';

export const UPDATE_VIEW_TYPE = 'openviduHa.updateWizard';

export interface UpdatePanelDeps {
  app: AppContext;
  extensionUri: vscode.Uri;
  explorer?: Explorer;
  /** the deploy feature's template service (one cache of templates for both forms) */
  templates: TemplateService;
}

export class UpdatePanel implements vscode.Disposable {
  static readonly open = new Map<string, UpdatePanel>();
  private readonly controller: UpdateController;
  private readonly host: WebviewPanelHost<HostMessage>;

  /** Opens (or reveals) the update form of a stack. */
  static show(deps: UpdatePanelDeps, stack: StackNode, current: StackParameters): UpdatePanel {
    const key = `${stack.region}/${stack.summary.stackName}`;
    const existing = UpdatePanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = createFormPanel(UPDATE_VIEW_TYPE, `Update ${stack.summary.stackName}`, deps.extensionUri);
    const p = new UpdatePanel(key, panel, deps, stack, current);
    UpdatePanel.open.set(key, p);
    return p;
  }

  private constructor(
    private readonly key: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: UpdatePanelDeps,
    stack: StackNode,
    current: StackParameters,
  ) {
    this.host = new WebviewPanelHost<HostMessage>(panel, deps.extensionUri, (raw) => this.controller.handle(raw), () => this.cleanUp());
    this.controller = new UpdateController(
      deployHost(deps.app),
      deps.templates,
      { stackName: stack.summary.stackName, region: stack.region, clusterVersion: stack.cluster?.templateVersion },
      current,
      {
        post: (m) => this.host.post(m),
        showNodes: (region, stackName) => this.revealStack(region, stackName, true),
        updateStarted: (region, stackName) => void this.revealStack(region, stackName, false).catch(() => undefined),
        progressChanged: (p) => this.progressChanged(p),
      },
    );
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

  /** Run once by the host, before the panel goes: closing the form deletes a change set nobody executed. */
  private cleanUp(): void {
    if (UpdatePanel.open.get(this.key) === this) UpdatePanel.open.delete(this.key);
    void this.controller.dispose();
  }

  dispose(): void {
    this.host.dispose();
  }
}
