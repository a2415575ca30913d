/**
 * Read-only virtual documents holding the proposed version of a config file, for the diff shown before
 * writing. Virtual (not untitled) on purpose: untitled documents are backed up by hot exit, so secrets in
 * them would land on disk in VS Code's backup folder. Content lives in memory only until `forget`.
 */
import * as vscode from 'vscode';

export const PROPOSED_SCHEME = 'openvidu-ha-proposed';

export class ProposedContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private seq = 0;

  /** A new URI showing `text`, named after the target file (e.g. `.env.local (proposed)`). */
  propose(fileName: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${++this.seq}/${fileName}`, query: 'proposed' });
    this.contents.set(uri.toString(), text);
    return uri;
  }

  /** An empty document standing in for a file that does not exist yet. */
  empty(fileName: string): vscode.Uri {
    return this.propose(fileName, '');
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  has(uri: vscode.Uri): boolean {
    return this.contents.has(uri.toString());
  }

  forget(...uris: (vscode.Uri | undefined)[]): void {
    for (const u of uris) {
      if (!u) continue;
      this.contents.delete(u.toString());
      this.changed.fire(u);
    }
  }

  dispose(): void {
    this.contents.clear();
    this.changed.dispose();
  }
}
