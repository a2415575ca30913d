/** A status-bar item while a stack is being created: resources done / total; click to show the deploy panel. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ProgressModel } from '../../protocol/deployForm';

/** How long the final state stays visible. */
const LINGER_MS = 120_000;

export class DeployStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('openviduHa.deployStatus', vscode.StatusBarAlignment.Left, 20);
  private hideTimer?: ReturnType<typeof setTimeout>;

  constructor() {
    this.item.name = 'OpenVidu HA deployment';
    this.item.command = Commands.deploy;
  }

  started(region: string, stackName: string): void {
    clearTimeout(this.hideTimer);
    this.item.text = `$(sync~spin) ${stackName}: creating`;
    this.item.tooltip = `Creating OpenVidu HA stack ${stackName} in ${region}. Click to show the progress.`;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  update(p: ProgressModel): void {
    clearTimeout(this.hideTimer);
    const count = p.total ? ` ${p.done}/${p.total}` : '';
    if (p.outcome === 'inProgress') {
      this.item.text = `$(sync~spin) ${p.stackName}:${count}`;
      this.item.tooltip = `${p.stackName} (${p.region}): ${p.status}, ${p.done} of ${p.total} resources created. Click to show the progress.`;
      this.item.backgroundColor = undefined;
    } else if (p.outcome === 'complete') {
      this.item.text = `$(pass) ${p.stackName}: created`;
      this.item.tooltip = `${p.stackName} (${p.region}) is CREATE_COMPLETE. Point the domain at the load balancer before using it.`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(error) ${p.stackName}: ${p.status}`;
      this.item.tooltip = p.failure?.headline ?? p.status;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
    this.item.show();
    if (p.outcome !== 'inProgress') this.hideTimer = setTimeout(() => this.item.hide(), LINGER_MS);
  }

  /** The panel went away while a stack was still being created: stop showing a progress nobody updates. */
  detached(): void {
    if (this.item.text.includes('sync~spin')) this.item.hide();
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    this.item.dispose();
  }
}
