/**
 * The one host of the deploy form's webview panels: the deploy panel (deploy/deployPanel.ts) and the update panel
 * (lifecycle/updatePanel.ts) are the same bundle (dist/webview/main.js) driven by different controllers. What they
 * share lives here so it is written once: the panel's options (scripts on, command URIs off, resources only from
 * dist/webview), the HTML shell with its CSP and nonce, the tab icon, routing each inbound message to the
 * controller and posting its reply, and the dispose order (the owner's cleanup, then the listeners, then the
 * panel, so VS Code's onDidDispose cannot re-enter it).
 *
 * It lives in `features/shared` because two features use it and a feature may not import another's internals.
 * It knows nothing of the messages: the controller validates them (`parseWebviewMessage`).
 */
import * as vscode from 'vscode';
import { makeNonce, renderDeployHtml } from './webviewHtml';
import { panelIcon } from './panelIcon';

/** Answers one raw (untrusted) message from the webview; undefined = no reply. */
export type MessageHandler<Reply> = (raw: unknown) => Promise<Reply | undefined>;

/** The options every form panel is created (or revived) with. */
export function formPanelOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // dist/webview holds the script, the stylesheet and the codicons font esbuild copied next to it.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

/** A new form panel in the active column. */
export function createFormPanel(viewType: string, title: string, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, formPanelOptions(extensionUri));
}

export class WebviewPanelHost<Reply> implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /**
   * @param handle answers a message (called only after the constructor returned: the owner may build its
   *   controller after the host, with effects that post through it)
   * @param onDispose the owner's cleanup, run once, before the panel is disposed (the user closed it, or the
   *   owner called `dispose()`)
   */
  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    handle: MessageHandler<Reply>,
    private readonly onDispose: () => void,
  ) {
    const { webview } = panel;
    const base = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.iconPath = panelIcon(extensionUri);
    webview.html = renderDeployHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(base, 'main.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const reply = await handle(raw);
        if (reply) this.post(reply);
      }),
    );
  }

  post(message: Reply): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
