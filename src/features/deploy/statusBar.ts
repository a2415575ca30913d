/** A status-bar item while a stack is being created: resources done / total; click to show the deploy panel. Hidden once the stack is done. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ProgressModel } from '../../protocol/deployForm';

export class DeployStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('openviduHa.deployStatus', vscode.StatusBarAlignment.Left, 20);

  constructor() {
    this.item.name = 'OpenVidu HA deployment';
    this.item.command = Commands.deploy;
  }

  started(region: string, stackName: string): void {
    this.item.text = `$(sync~spin) ${stackName}: creating`;
    this.item.tooltip = `Creating OpenVidu HA stack ${stackName} in ${region}. Click to show the progress.`;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  update(p: ProgressModel): void {
    const count = p.total ? ` ${p.done}/${p.total}` : '';
    if (p.outcome === 'inProgress') {
      this.item.text = `$(sync~spin) ${p.stackName}:${count}`;
      this.item.tooltip = `${p.stackName} (${p.region}): ${p.status}, ${p.done} of ${p.total} resources created. Click to show the progress.`;
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    // Done: the outcome goes to a notification (completion.ts says why the item does not linger).
    this.item.hide();
  }

  /** The panel went away while a stack was still being created: stop showing a progress nobody updates. */
  detached(): void {
    if (this.item.text.includes('sync~spin')) this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}
