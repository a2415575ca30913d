/** Read-only markdown documents for reports (scheme `openvidu-ha-report`), kept in memory. */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'openvidu-ha-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Opens the report: `rendered` shows the Markdown preview (tables), else the source document. */
  async show(name: string, markdown: string, options: { rendered?: boolean } = {}): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name}.md` });
    this.contents.set(uri.path, markdown);
    this.emitter.fire(uri);
    // Rendered, so tables read as tables; the source stays available from the preview's title bar.
    const shown = options.rendered && (await vscode.commands.executeCommand('markdown.showPreview', uri).then(
      () => true,
      () => false,
    ));
    if (!shown) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return uri;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
