/**
 * The last service status read from each node (by instance id), shared by the explorer (services under each
 * node), the status report, and the log/restart pickers (a node's discovered services).
 */
import * as vscode from 'vscode';
import type { NodeStatus } from '../../openvidu/nodeCommands';

export interface NodeStatusEntry {
  instanceId: string;
  /** when the status was read */
  at: Date;
  /** parsed status when the command ran */
  status?: NodeStatus;
  /** why the node could not be checked (not registered, stopped, command failed or timed out) */
  error?: string;
}

export class NodeStatusStore implements vscode.Disposable {
  private readonly entries = new Map<string, NodeStatusEntry>();
  private readonly emitter = new vscode.EventEmitter<string[]>();
  /** fires with the instance ids whose status changed */
  readonly onDidChange = this.emitter.event;

  get(instanceId: string): NodeStatusEntry | undefined {
    return this.entries.get(instanceId);
  }

  /** Service names discovered on the node (empty when it was never checked). */
  services(instanceId: string): string[] {
    return this.entries.get(instanceId)?.status?.services.map((s) => s.name) ?? [];
  }

  set(entries: NodeStatusEntry[]): void {
    for (const e of entries) this.entries.set(e.instanceId, e);
    this.emitter.fire(entries.map((e) => e.instanceId));
  }

  clear(): void {
    const ids = [...this.entries.keys()];
    this.entries.clear();
    this.emitter.fire(ids);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
