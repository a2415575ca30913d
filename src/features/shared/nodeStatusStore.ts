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
  /** what the node looked like when it was checked (instance state, SSM ping): a change makes the entry stale */
  basis?: NodeBasis;
  /** set when the node changed after the check: what changed */
  stale?: string;
}

/** The facts a status check depends on: when one of them changes, the check no longer describes the node. */
export interface NodeBasis {
  state: string;
  /** SSM PingStatus, 'none' when the node is not registered with SSM, '' when not known */
  ssm: string;
}

/** What changed between two bases, in words ("SSM none → Online"), or undefined when nothing did. */
export function basisChange(before: NodeBasis, now: NodeBasis): string | undefined {
  const parts: string[] = [];
  if (before.state !== now.state) parts.push(`instance ${before.state} → ${now.state}`);
  if (before.ssm && now.ssm && before.ssm !== now.ssm) parts.push(`SSM ${before.ssm === 'none' ? 'not registered' : before.ssm} → ${now.ssm === 'none' ? 'not registered' : now.ssm}`);
  return parts.length ? parts.join(', ') : undefined;
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

  /**
   * The explorer saw the node now looks like `now`. A check that could not run (error) is no longer true and is
   * dropped; services read before the change are kept but marked stale. Returns whether anything changed.
   */
  observe(instanceId: string, now: NodeBasis): boolean {
    const e = this.entries.get(instanceId);
    if (!e?.basis || e.stale) return false;
    const change = basisChange(e.basis, now);
    if (!change) return false;
    if (e.error || !e.status) this.entries.delete(instanceId);
    else this.entries.set(instanceId, { ...e, stale: change });
    this.emitter.fire([instanceId]);
    return true;
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
