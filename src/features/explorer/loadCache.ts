/**
 * What the explorer has loaded, kept until a refresh: the regions, each region's stacks, each stack's cluster, each
 * group's SSM status, and which media groups had their latest scaling activity read. Keyed by node id: nodes are
 * rebuilt on refresh, so each caller copies the loaded value onto its own node.
 */
import type { SsmNodeStatus } from '../../aws/clusterApi';
import type { Cluster } from '../../openvidu/cluster';
import type { ExplorerNode, RegionNode, StackNode } from './treeNodes';
import type { Loaded } from './treeState';

export class LoadCache {
  root?: Promise<Loaded<RegionNode[]>>;
  readonly stackLists = new Map<string, Promise<Loaded<StackNode[]>>>();
  readonly clusters = new Map<string, Promise<Loaded<Cluster>>>();
  readonly ssm = new Map<string, Promise<Loaded<Map<string, SsmNodeStatus>>>>();
  /** media groups whose latest scaling activity was read (once per load of the stack) */
  readonly activity = new Set<string>();

  /** Forgets every load (the scaling activities only when asked). */
  clear(activity: boolean): void {
    this.root = undefined;
    this.stackLists.clear();
    this.clusters.clear();
    this.ssm.clear();
    if (activity) this.activity.clear();
  }

  /** Forgets what was loaded for one node and below (for a message row: what it offers to retry). */
  invalidate(node: ExplorerNode): void {
    if (node.kind === 'region') {
      this.stackLists.delete(node.region);
      for (const k of [...this.clusters.keys()]) if (k.startsWith(`stack:${node.region}:`)) this.clusters.delete(k);
      this.forgetSsm(`stack:${node.region}:`);
    } else if (node.kind === 'stack') {
      this.clusters.delete(node.id);
      this.activity.delete(`${node.id}:media`);
      this.forgetSsm(node.id);
    } else if (node.kind === 'group') {
      this.ssm.delete(node.id);
    } else if (node.kind === 'message') {
      if (node.retryTarget === 'root' || !node.retryTarget) this.root = undefined;
      else this.invalidate(node.retryTarget);
    }
  }

  /** Forgets the SSM status of the groups whose id starts with `prefix`. */
  forgetSsm(prefix: string): void {
    for (const k of [...this.ssm.keys()]) if (k.startsWith(prefix)) this.ssm.delete(k);
  }

  async loadedStacksOf(region: string): Promise<StackNode[]> {
    const r = await this.stackLists.get(region);
    return r?.ok ? r.value : [];
  }

  /** The stacks loaded so far, in every region. */
  async loadedStacks(): Promise<StackNode[]> {
    const out: StackNode[] = [];
    for (const region of [...this.stackLists.keys()]) out.push(...(await this.loadedStacksOf(region)));
    return out;
  }
}
