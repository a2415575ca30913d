/**
 * Read-only documents of the configuration feature (scheme `openvidu-config-view`): the master's current version of
 * a file (left side of the save diff and of a conflict), apply reports, drift reports. Kept in memory.
 */
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'openvidu-config-view';

export class ConfigDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Stores a document and returns its URI (`/<kind>/<name>`). */
  put(kind: 'remote' | 'report', name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${kind}/${name}` });
    this.contents.set(uri.path, text);
    this.emitter.fire(uri);
    return uri;
  }

  text(uri: vscode.Uri): string | undefined {
    return this.contents.get(uri.path);
  }

  async showReport(name: string, markdown: string): Promise<vscode.Uri> {
    const uri = this.put('report', `${name}.md`, markdown);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return uri;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
