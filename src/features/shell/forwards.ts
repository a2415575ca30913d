/** The live port forwards, for the tree (rows under their node) and Stop Port Forward. */
import * as vscode from 'vscode';
import type { PortForward } from '../../aws/sessionManager/portForward';
import type { ForwardRow, ForwardSource } from '../explorer';

export interface ActiveForward {
  row: ForwardRow;
  forward: PortForward;
}

export class ForwardRegistry implements ForwardSource, vscode.Disposable {
  private readonly active = new Map<string, ActiveForward>();
  private readonly emitter = new vscode.EventEmitter<string[]>();
  readonly onDidChange = this.emitter.event;
  private seq = 0;

  add(instanceId: string, forward: PortForward, name?: string): ActiveForward {
    const id = `f${++this.seq}`;
    const entry: ActiveForward = {
      forward,
      row: {
        id,
        instanceId,
        remotePort: forward.remotePort,
        localPort: forward.localPort,
        name,
        get connections() {
          return forward.connections;
        },
      },
    };
    this.active.set(id, entry);
    this.emitter.fire([instanceId]);
    return entry;
  }

  forwards(instanceId: string): ForwardRow[] {
    return [...this.active.values()].filter((a) => a.row.instanceId === instanceId).map((a) => a.row);
  }

  all(): ActiveForward[] {
    return [...this.active.values()];
  }

  get(id: string): ActiveForward | undefined {
    return this.active.get(id);
  }

  async stop(id: string): Promise<void> {
    const a = this.active.get(id);
    if (!a) return;
    this.active.delete(id);
    this.emitter.fire([a.row.instanceId]);
    await a.forward.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id)));
  }

  dispose(): void {
    void this.stopAll();
    this.emitter.dispose();
  }
}
