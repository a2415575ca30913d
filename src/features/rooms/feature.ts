/**
 * What the Rooms rows and commands share: each stack's LiveKit API (credentials read once from the cluster
 * secret through the credentials feature, read again after the API rejects them), the last rooms shown per
 * Rooms row, and the refresh timers (a Rooms row is read again only while it is expanded and the view visible).
 */
import * as vscode from 'vscode';
import type { AppContext } from '../shared/appContext';
import type { ClusterTreeProvider, StackNode } from '../explorer';
import { readStackCredentials, type StackRef } from '../credentials';
import type { LiveKitApi } from '../../aws/liveKitApi';
import type { LiveRoom, LiveTraffic } from '../../openvidu/rooms';

export interface RoomsOptions {
  /** ms between refreshes of an expanded Rooms row while the view is visible (default 15 s) */
  refreshMs?: number;
  /** seconds per LiveKit API request (default 10) */
  timeoutSeconds?: number;
}

interface RowState {
  rooms?: LiveRoom[];
  error?: string;
  /** the next children() call shows `rooms` without asking again (a redraw to update the row's description) */
  reuseOnce?: boolean;
  timer?: NodeJS.Timeout;
  /** the timer fired while the view was hidden: refresh when it shows again */
  stale?: boolean;
  node?: { id: string };
}

export class RoomsFeature implements vscode.Disposable {
  readonly refreshMs: number;
  readonly timeoutSeconds: number;
  private readonly apis = new Map<string, Promise<LiveKitApi>>();
  readonly rows = new Map<string, RowState>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly app: AppContext,
    readonly explorer: ClusterTreeProvider,
    options: RoomsOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 15_000;
    this.timeoutSeconds = options.timeoutSeconds ?? 10;
  }

  /** The stack's LiveKit API (credentials read once per session; `fresh` reads them again). */
  api(stack: StackRef, fresh = false): Promise<LiveKitApi> {
    const key = `${stack.region}:${stack.summary.stackName}`;
    let p = fresh ? undefined : this.apis.get(key);
    if (!p) {
      p = (async () => {
        const creds = await readStackCredentials(this.app, stack);
        if (!creds.readiness.ready || !creds.livekit) throw new Error(creds.readiness.reason ?? 'the cluster has not generated its credentials yet.');
        // Loaded on first use: livekit-server-sdk is not needed at activation.
        const { LiveKitApi } = await import('../../aws/liveKitApi');
        return new LiveKitApi(creds.livekit, { timeoutSeconds: this.timeoutSeconds });
      })();
      this.apis.set(key, p);
      p.catch(() => this.apis.delete(key));
    }
    return p;
  }

  /** Runs `fn` with the stack's API; when the API rejects the credentials, reads the secret again once (rotated). */
  async withApi<T>(stack: StackRef, fn: (api: LiveKitApi) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.api(stack));
    } catch (e) {
      if ((e as { kind?: string }).kind !== 'rejected') throw e;
      return fn(await this.api(stack, true));
    }
  }

  /** What is live on a stack, for a disruptive operation's confirmation: never throws. */
  async liveTraffic(stack: StackRef): Promise<LiveTraffic> {
    try {
      return { ok: true, rooms: await this.withApi(stack, (api) => api.listRooms()) };
    } catch (e) {
      return { ok: false, reason: this.describe(e, stack) };
    }
  }

  /** One sentence for an error: LiveKit errors are already in the user's terms, AWS ones go through the app. */
  describe(e: unknown, stack: StackRef): string {
    if ((e as Error)?.name === 'LiveKitApiError' || !(e as { $metadata?: unknown })?.$metadata) return (e as Error)?.message ?? String(e);
    return this.app.describeError(e, stack.region);
  }

  row(id: string): RowState {
    let r = this.rows.get(id);
    if (!r) this.rows.set(id, (r = {}));
    return r;
  }

  /** After a Rooms row loaded: read it again in refreshMs if it is still expanded and the view visible. */
  armRefresh(id: string, redraw: () => void): void {
    const r = this.row(id);
    clearTimeout(r.timer);
    r.timer = setTimeout(() => {
      r.timer = undefined;
      if (this.explorer.isVisible) redraw();
      else r.stale = true;
    }, this.refreshMs);
  }

  /** The view became visible: refresh the rows whose timer fired while it was hidden. */
  viewShown(redraw: (id: string) => void): void {
    for (const [id, r] of this.rows) {
      if (!r.stale) continue;
      r.stale = false;
      redraw(id);
    }
  }

  /** The stack node of a Rooms row, for commands run from the palette. */
  stackOf(node: { stackNode: StackNode }): StackNode {
    return node.stackNode;
  }

  dispose(): void {
    for (const r of this.rows.values()) clearTimeout(r.timer);
    for (const d of this.disposables) d.dispose();
  }
}
