/**
 * Read-only log documents (scheme `openvidu-ha-logs`, language `log`), kept in memory, e.g.
 * `openvidu-ha-logs:/ov-demo/Master 1/caddy.log`. Reopening the same node and service replaces the text.
 */
import * as vscode from 'vscode';
import { LogChoices } from './logChoices';

export const LOGS_SCHEME = 'openvidu-ha-logs';

/** A path segment safe for a document uri (no slashes). */
export function uriSegment(s: string): string {
  return s.replace(/[/\\?#%]/g, '_');
}

/**
 * Where a label already names the node's id ("Media i-0abc…"), the id is not repeated after it.
 * `nodeTitle("Master 1", "i-0m1")` → "Master 1 (i-0m1)"; `nodeTitle("Media i-0abc", "i-0abc")` → "Media i-0abc".
 */
export function nodeTitle(label: string, instanceId: string): string {
  return label.includes(instanceId) ? label : `${label} (${instanceId})`;
}

/**
 * Document names (the tab shows the last segment): Show Logs `<stack>/<node>/<log> · <node>.log`, a live tail
 * `<stack>/<where>/<service> · <where> · live.log`, so the two never share a tab name.
 */
export function logDocumentSegments(stack: string, node: string, log: string): string[] {
  return [stack, node, `${log} · ${node}`];
}
export function tailDocumentSegments(stack: string, where: string, service: string): string[] {
  return [stack, where, `${service} · ${where} · live`];
}

export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  /** Show Logs' and Follow Logs' remembered range and filters */
  readonly choices: LogChoices;

  constructor(memento?: vscode.Memento) {
    this.choices = new LogChoices(memento);
  }

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
