/** Read-only documents with a stack's events (scheme `openvidu-ha-events`). */
import * as vscode from 'vscode';
import { loadStackEvents } from '../../aws/clusterApi';
import { formatStackEvents } from '../../openvidu/stackEvents';
import type { AppContext } from '../shared/appContext';

export const STACK_EVENTS_SCHEME = 'openvidu-ha-events';

export function stackEventsUri(region: string, stackName: string): vscode.Uri {
  return vscode.Uri.from({ scheme: STACK_EVENTS_SCHEME, path: `/${region}/${stackName}.events.log` });
}

export class StackEventsDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  constructor(private readonly app: AppContext) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, region, file] = uri.path.split('/');
    const stackName = file.replace(/\.events\.log$/, '');
    try {
      const events = await loadStackEvents(this.app.session(region), stackName);
      return formatStackEvents(stackName, region, events);
    } catch (e) {
      return `Could not load the events of ${stackName} in ${region}: ${this.app.describeError(e, region)}\n`;
    }
  }

  reload(uri: vscode.Uri): void {
    this.emitter.fire(uri);
  }
}
