/**
 * Polling of the explorer: only while the view is visible, only the stacks in a transitional state (or with nodes
 * in transition, or changed by a command), slower while AWS throttles the polls.
 */
import { isTransitional } from '../../openvidu/cluster';
import type { StackNode } from './treeNodes';
import { PollBackoff } from '../../openvidu/pollBackoff';
import { MAX_BACKOFF_MS, nodesInTransition, type ExplorerOptions } from './treeState';

/** What the poller needs from the tree. */
export interface PolledTree {
  readonly isVisible: boolean;
  /** bumps on every full reload: a poll that started before one is outdated */
  readonly generation: number;
  /** the stacks loaded so far, in every region */
  loadedStacks(): Promise<StackNode[]>;
  /** re-reads one stack and redraws what changed; true when AWS throttled the read */
  repoll(stack: StackNode, generation: number): Promise<boolean>;
}

export class StackPoller {
  private timer?: NodeJS.Timeout;
  /** polls slow down while AWS throttles them */
  private readonly backoff = new PollBackoff(MAX_BACKOFF_MS);
  /** stacks a command changed: polled until a poll has re-read them */
  readonly watched = new Set<string>();

  constructor(
    private readonly tree: PolledTree,
    private readonly options: ExplorerOptions,
  ) {}

  private get intervalMs(): number {
    return this.options.pollIntervalMs ?? 5000;
  }

  /** ms until the next poll: the configured interval, longer while AWS throttles the polls. */
  delayMs(): number {
    return this.backoff.delayMs(this.intervalMs);
  }

  schedule(): void {
    if (this.timer || !this.tree.isVisible) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pollOnce().finally(() => this.rearm());
    }, this.delayMs());
  }

  /** Re-arm only while something is transitional. */
  private async rearm(): Promise<void> {
    if ((await this.transitionalStacks()).length) this.schedule();
  }

  private async transitionalStacks(): Promise<StackNode[]> {
    return (await this.tree.loadedStacks()).filter(
      (s) => this.watched.has(s.id) || isTransitional(s.cluster?.stack.status ?? s.summary.status) || (s.cluster && nodesInTransition(s.cluster)),
    );
  }

  /** Re-reads only the stacks in a transitional state. */
  async pollOnce(): Promise<void> {
    if (!this.tree.isVisible) return;
    const gen = this.tree.generation;
    const stacks = await this.transitionalStacks();
    const throttled = (await Promise.all(stacks.map((s) => this.tree.repoll(s, gen)))).some((t) => t);
    if (throttled) this.backoff.throttled();
    else this.backoff.answered();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
