/**
 * Read-only log documents (scheme `openvidu-ha-logs`, language `log`), kept in memory, e.g.
 * `openvidu-ha-logs:/ov-demo/Master 1/caddy.log`. Reopening the same node and service replaces the text.
 */
import * as vscode from 'vscode';

export const LOGS_SCHEME = 'openvidu-ha-logs';

/** A path segment safe for a document uri (no slashes). */
export function uriSegment(s: string): string {
  return s.replace(/[/\\?#%]/g, '_');
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  text(path: string): string | undefined {
    return this.contents.get(path);
  }

  uri(segments: string[]): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${segments.map(uriSegment).join('/')}.log` });
  }

  async show(uri: vscode.Uri, text: string): Promise<vscode.Uri> {
    this.contents.set(uri.path, text);
    this.emitter.fire(uri);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'log');
    await vscode.window.showTextDocument(doc, { preview: false });
    return uri;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
