/**
 * What the dashboard and the media-group row share: each cluster's load over the last hour from CloudWatch
 * (one GetMetricData call for up to 498 media nodes), kept for `maxAgeMs` so redraws of the tree do not
 * ask again.
 */
import * as vscode from 'vscode';
import type { AppContext } from '../shared/appContext';
import type { ClusterTreeProvider, StackNode } from '../explorer';
import { EC2_BASIC_PERIOD_SECONDS, type ClusterLoad } from '../../openvidu/load';

export interface DashboardOptions {
  /** how long a load is reused (default 60 s: EC2 basic monitoring publishes every 5 minutes) */
  maxAgeMs?: number;
  /** the window read (default 1 hour) */
  windowMs?: number;
  /** the clock the window ends at (default Date.now; tests pass the emulator's simulated clock) */
  now?: () => number;
}

export interface LoadEntry {
  at: number;
  load?: ClusterLoad;
  error?: string;
  calls: number;
}

export class DashboardFeature implements vscode.Disposable {
  readonly maxAgeMs: number;
  readonly windowMs: number;
  readonly now: () => number;
  private readonly loads = new Map<string, Promise<LoadEntry>>();

  constructor(
    readonly app: AppContext,
    readonly explorer: ClusterTreeProvider,
    options: DashboardOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.windowMs = options.windowMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /** The last hour of the stack's media-node CPU (cached `maxAgeMs`; `fresh` asks again). Never throws. */
  load(stack: StackNode, fresh = false): Promise<LoadEntry> {
    const key = stack.id;
    const cached = this.loads.get(key);
    if (cached && !fresh) {
      return cached.then((e) => (this.now() - e.at < this.maxAgeMs ? e : this.load(stack, true)));
    }
    const c = stack.cluster;
    const p = (async (): Promise<LoadEntry> => {
      const at = this.now();
      if (!c?.mediaGroup.asgName) return { at, error: 'the stack has no media group yet', calls: 0 };
      try {
        const { loadClusterLoad } = await import('../../aws/metrics');
        const end = Math.floor(at / 60_000) * 60_000;
        const r = await loadClusterLoad(this.app.session(stack.region), {
          asgName: c.mediaGroup.asgName,
          instanceIds: c.media.filter((m) => m.state !== 'terminated').map((m) => m.instanceId),
          startMs: end - this.windowMs,
          endMs: end,
          periodSeconds: EC2_BASIC_PERIOD_SECONDS,
        });
        return { at, load: r, calls: r.calls };
      } catch (e) {
        return { at, error: this.app.describeError(e, stack.region), calls: 1 };
      }
    })();
    this.loads.set(key, p);
    return p;
  }

  dispose(): void {
    this.loads.clear();
  }
}
