/**
 * One dashboard webview per cluster. The webview asks for data (`ready`, `refresh`); the panel answers with
 * the model (numbers and names only: no credential ever reaches it).
 */
import * as vscode from 'vscode';
import type { StackNode } from '../explorer';
import type { DashboardFeature } from './feature';
import { gatherDashboard } from './gather';
import { dashboardNonce, renderDashboardHtml } from './html';

export const DASHBOARD_VIEW_TYPE = 'openviduHa.dashboard';

export class DashboardPanel {
  private static readonly open = new Map<string, DashboardPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  static show(feature: DashboardFeature, extensionUri: vscode.Uri, stack: StackNode): DashboardPanel {
    const existing = DashboardPanel.open.get(stack.id);
    if (existing) {
      existing.panel.reveal();
      void existing.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, `Dashboard: ${stack.summary.stackName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    const p = new DashboardPanel(feature, extensionUri, stack, panel);
    DashboardPanel.open.set(stack.id, p);
    return p;
  }

  private constructor(
    private readonly feature: DashboardFeature,
    extensionUri: vscode.Uri,
    private readonly stack: StackNode,
    readonly panel: vscode.WebviewPanel,
  ) {
    const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'openvidu-ha.svg');
    panel.webview.html = renderDashboardHtml({
      cspSource: panel.webview.cspSource,
      nonce: dashboardNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'dashboard.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(base, 'dashboard.css')).toString(),
      title: `Dashboard: ${stack.summary.stackName}`,
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'ready' || m?.type === 'refresh') void this.refresh();
      }),
    );
  }

  async refresh(): Promise<void> {
    void this.panel.webview.postMessage({ type: 'loading' });
    try {
      const model = await gatherDashboard(this.feature, this.stack);
      void this.panel.webview.postMessage({ type: 'model', model });
    } catch (e) {
      void this.panel.webview.postMessage({ type: 'error', message: this.feature.app.describeError(e, this.stack.region) });
    }
  }

  dispose(): void {
    DashboardPanel.open.delete(this.stack.id);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
