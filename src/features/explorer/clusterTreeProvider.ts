/**
 * The node explorer: regions → OpenVidu stacks → master / media node groups → instances.
 * Loads lazily and caches until refresh; polls only stacks in a transitional state, only while the view is
 * visible (stackPoller.ts); a failed load becomes an error node with a retry action, a throttled one a waiting
 * node tried again with backoff (throttleRetries.ts).
 */
import * as vscode from 'vscode';
import { callerIdentity, listOpenViduStacks, loadCluster, loadSsmStatus, loadStackEvents, type SsmNodeStatus } from '../../aws/clusterApi';
import { firstFailure } from '../../openvidu/stackEvents';
import { failedStackNextSteps } from '../../openvidu/troubleshooting';
import { describeAwsError, isThrottle } from '../../aws/errors';
import { Cluster, stackPhase, StackSummary } from '../../openvidu/cluster';
import { ContextKeys, EXPLORER_VIEW } from '../../constants';
import type { AppContext } from '../shared/appContext';
import { ContributedNode, ExplorerNode, ForwardSource, GroupNode, InstanceNode, MessageNode, PortForwardNode, RegionNode, StackNode } from './treeNodes';
import { serviceRows } from './serviceRows';
import { LoadCache } from './loadCache';
import { allInstances, allStacks } from './lookups';
import { readScalingActivity } from './scalingActivity';
import { StackPoller } from './stackPoller';
import { ThrottleRetries } from './throttleRetries';
import { appearance, isStackGone, nodesFingerprint, settle, THROTTLED_MESSAGE, type ExplorerOptions, type Loaded } from './treeState';

export { THROTTLED_MESSAGE, type ExplorerOptions } from './treeState';

/** Adds rows under a loaded stack (after its node groups, which it may annotate); other features register one (the Rooms node). */
export type StackChildrenContributor = (stack: StackNode, groups: GroupNode[]) => ContributedNode[];

export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ExplorerNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private readonly cache = new LoadCache();
  private refreshTimer?: NodeJS.Timeout;
  private visible = false;
  private readonly disposables: vscode.Disposable[] = [];
  /** bumps on every full reload (a poll that started before one is outdated) */
  generation = 0;
  private readonly poller: StackPoller;
  /** throttled loads waiting to be tried again, by the id of what they load */
  private readonly throttles: ThrottleRetries;

  constructor(
    private readonly app: AppContext,
    private readonly options: ExplorerOptions = {},
  ) {
    this.poller = new StackPoller(this, options);
    this.throttles = new ThrottleRetries(() => this.options.throttleRetryMs ?? 2000, (line) => this.app.output.warn(line));
    this.disposables.push(
      app.onDidChangeSettings(() => this.refresh()),
      // A status check changed some nodes' services: redraw the groups that hold them.
      app.nodeStatus.onDidChange((ids) => this.redrawInstances(new Set(ids))),
    );
  }

  private readonly stackContributors: StackChildrenContributor[] = [];

  /** Another feature's rows under each loaded stack. */
  addStackChildren(contributor: StackChildrenContributor): vscode.Disposable {
    this.stackContributors.push(contributor);
    return { dispose: () => void this.stackContributors.splice(this.stackContributors.indexOf(contributor), 1) };
  }

  /** Redraw one node (and ask for its children again if it is expanded). */
  redraw(node: ExplorerNode): void {
    this.changeEmitter.fire(node);
  }

  /** Whether the view is visible (contributed rows refresh only then). */
  get isVisible(): boolean {
    return this.visible;
  }

  /** Called by the view: poll only while it is visible. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.poller.schedule();
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const item = node.treeItem();
    if (node.kind === 'stack') node.shownAs = appearance(node);
    return item;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent();
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'region':
        return this.regionChildren(node);
      case 'stack':
        return this.stackChildren(node);
      case 'group':
        return this.groupChildren(node);
      case 'instance':
        return this.instanceChildren(node);
      case 'contributed':
        return (await node.children?.()) ?? [];
      default:
        return [];
    }
  }

  /** Forget cached data (of one node and below, or everything) and redraw; coalesces bursts of calls. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => {
        this.generation++;
        this.cache.clear(true);
        this.shownGroups.clear();
        this.changeEmitter.fire();
      }, 150);
      return;
    }
    this.invalidate(node);
    this.changeEmitter.fire(node.kind === 'message' ? undefined : node);
    // A command changed this stack (scale, shut down…): re-read it by itself on the next poll, even when its row is
    // collapsed, so nodes it set in motion are followed until they settle.
    const stack = node.kind === 'stack' ? node : node.kind === 'group' ? node.stackNode : node.kind === 'instance' ? node.group.stackNode : undefined;
    if (stack) {
      this.poller.watched.add(stack.id);
      this.poller.schedule();
    }
  }

  /** Reload now and wait for it (tests, commands that must see fresh data). */
  async reloadNow(): Promise<void> {
    clearTimeout(this.refreshTimer);
    this.generation++;
    this.cache.clear(false);
    this.changeEmitter.fire();
  }

  private invalidate(node: ExplorerNode): void {
    this.cache.invalidate(node);
  }

  // root ------------------------------------------------------------------------------------------
  private async rootChildren(): Promise<ExplorerNode[]> {
    this.cache.root ??= this.showLoading(this.loadRoot());
    const r = await this.cache.root;
    if (r.ok) return r.value;
    if (isThrottle(r.error)) return [this.waitForThrottle(undefined, 'root')];
    const problem = describeAwsError(r.error, { profile: this.app.settings().profile || undefined, endpoint: this.app.settings().endpoint || undefined });
    if (problem.kind === 'credentials' || problem.kind === 'expired') {
      // An empty tree shows the welcome content that explains how to set up credentials.
      await vscode.commands.executeCommand('setContext', ContextKeys.credentialsState, 'missing');
      if (problem.kind === 'credentials') return [];
    }
    return [new MessageNode(undefined, this.app.describeError(r.error), 'error', 'root')];
  }

  private loadRoot(): Promise<Loaded<RegionNode[]>> {
    return settle((async () => {
      const regions = await this.app.regions();
      const profile = this.app.settings().profile || undefined;
      // One identity call proves the credentials work and names the account.
      const identity = await callerIdentity(this.app.session(regions[0]));
      await vscode.commands.executeCommand('setContext', ContextKeys.credentialsState, 'ok');
      return regions.map((r) => new RegionNode(r, profile, identity.account));
    })());
  }

  // region → stacks ---------------------------------------------------------------------------
  private async regionChildren(node: RegionNode): Promise<ExplorerNode[]> {
    let p = this.cache.stackLists.get(node.region);
    if (!p) {
      p = this.showLoading(this.loadStacks(node));
      this.cache.stackLists.set(node.region, p);
    }
    const r = await p;
    if (!r.ok && isThrottle(r.error)) return [this.waitForThrottle(node, node)];
    if (!r.ok) return [new MessageNode(node, this.app.describeError(r.error, node.region), 'error', node)];
    this.throttles.succeeded();
    if (!r.value.length) return [new MessageNode(node, `No OpenVidu HA stacks in ${node.region}`, 'info')];
    this.poller.schedule();
    return r.value;
  }

  private loadStacks(node: RegionNode): Promise<Loaded<StackNode[]>> {
    return settle(listOpenViduStacks(this.app.session(node.region)).then((stacks) => stacks.map((s) => new StackNode(node, s))));
  }

  /** The stacks loaded so far, in every region (what the poller looks at). */
  loadedStacks(): Promise<StackNode[]> {
    return this.cache.loadedStacks();
  }

  // stack → groups --------------------------------------------------------------------------------
  private async ensureCluster(node: StackNode): Promise<Loaded<Cluster>> {
    let p = this.cache.clusters.get(node.id);
    if (!p) {
      p = this.showLoading(settle(loadCluster(this.app.session(node.region), node.summary.stackName)));
      this.cache.clusters.set(node.id, p);
    }
    const r = await p;
    if (r.ok) {
      node.cluster = r.value;
      node.summary = { ...node.summary, status: r.value.stack.status, statusReason: r.value.stack.statusReason };
    }
    return r;
  }

  private async stackChildren(node: StackNode): Promise<ExplorerNode[]> {
    const r = await this.ensureCluster(node);
    if (!r.ok) {
      if (isStackGone(r.error)) {
        this.dropStack(node);
        return [];
      }
      if (isThrottle(r.error)) return [this.waitForThrottle(node, node)];
      return [new MessageNode(node, this.app.describeError(r.error, node.region), 'error', node)];
    }
    // The row may look different with the fresh status (e.g. "not ready yet"): redraw it, but only then, since a
    // redraw of an expanded row asks for its children again.
    if (node.shownAs !== undefined && node.shownAs !== appearance(node)) this.changeEmitter.fire(node);
    const out: ExplorerNode[] = [];
    const c = r.value;
    const phase = stackPhase(c.stack.status);
    if (phase === 'failed' || phase === 'rolledBack') {
      // The stack's own reason is generic ("The following resource(s) failed…"): lead with the first failing event.
      node.failure ??= await loadStackEvents(this.app.session(node.region), node.summary.stackName)
        .then((events) => firstFailure(events))
        .catch(() => undefined);
      const headline = node.failure ? `${node.failure.LogicalResourceId}: ${node.failure.ResourceStatusReason}` : c.stack.statusReason;
      out.push(new MessageNode(node, headline ? `${c.stack.status}: ${headline}` : c.stack.status, 'warning'));
      if (/^(CREATE_FAILED|ROLLBACK_COMPLETE|ROLLBACK_FAILED)$/.test(c.stack.status)) {
        const masters = c.masters.filter((m) => m.state !== 'terminated' && m.index !== undefined).map((m) => m.index!);
        for (const step of failedStackNextSteps(c.stack.status, { logicalId: node.failure?.LogicalResourceId, reason: node.failure?.ResourceStatusReason }, masters)) out.push(new MessageNode(node, step, 'info'));
      }
    } else if (phase === 'complete' && !c.secret.generated) {
      out.push(new MessageNode(node, 'Not ready yet: master node 1 is still generating the credentials', 'info'));
    }
    const groups = [new GroupNode(node, 'master'), new GroupNode(node, 'media')];
    out.push(...groups);
    for (const contribute of this.stackContributors) out.push(...contribute(node, groups));
    this.poller.schedule();
    return out;
  }

  private dropStack(node: StackNode): void {
    const p = this.cache.stackLists.get(node.region);
    if (p) {
      this.cache.stackLists.set(
        node.region,
        p.then((r) => (r.ok ? { ok: true, value: r.value.filter((s) => s !== node) } : r)),
      );
    }
    this.cache.clusters.delete(node.id);
    this.changeEmitter.fire(node.regionNode);
  }

  // group → instances -------------------------------------------------------------------------
  private async groupChildren(node: GroupNode): Promise<ExplorerNode[]> {
    const instances = node.instances();
    let p = this.cache.ssm.get(node.id);
    if (!p) {
      const ids = instances.filter((i) => i.state !== 'terminated').map((i) => i.instanceId);
      p = settle(ids.length ? loadSsmStatus(this.app.session(node.stackNode.region), ids) : Promise.resolve(new Map<string, SsmNodeStatus>()));
      this.cache.ssm.set(node.id, p);
    }
    if (node.role === 'media') readScalingActivity(this.app.session(node.stackNode.region), node, this.cache.activity, (g) => this.changeEmitter.fire(g));
    const r = await p;
    node.ssm = r.ok ? r.value : undefined;
    // A status check made before the node changed (stopped, started, registered with SSM) no longer describes it.
    if (node.ssm) {
      for (const i of instances) {
        if (i.state === 'terminated') continue;
        this.app.nodeStatus.observe(i.instanceId, { state: i.state, ssm: node.ssm.get(i.instanceId)?.pingStatus ?? 'none' });
      }
    }
    const children: ExplorerNode[] = instances.map(
      (i) =>
        new InstanceNode(node, i, node.ssm ? (node.ssm.get(i.instanceId) ?? (i.state === 'terminated' ? undefined : null)) : undefined, this.app.nodeStatus.get(i.instanceId), this.forwardSource?.forwards(i.instanceId)),
    );
    this.shownGroups.add(node);
    if (!r.ok) children.push(new MessageNode(node, `SSM status unavailable: ${this.app.describeError(r.error, node.stackNode.region)}`, 'warning', node));
    return children;
  }

  /** Port forwards (the shell feature) are listed under their node. */
  private forwardSource?: ForwardSource;
  setForwardSource(source: ForwardSource): vscode.Disposable {
    this.forwardSource = source;
    return source.onDidChange((ids) => this.redrawInstances(new Set(ids)));
  }

  private instanceChildren(node: InstanceNode): ExplorerNode[] {
    const forwards = (this.forwardSource?.forwards(node.node.instanceId) ?? []).map((f) => new PortForwardNode(node, f));
    return [...forwards, ...serviceRows(node, this.app.nodeStatus.get(node.node.instanceId))];
  }

  private readonly shownGroups = new Set<GroupNode>();

  private redrawInstances(ids: Set<string>): void {
    for (const g of this.shownGroups) {
      if (g.instances().some((i) => ids.has(i.instanceId))) this.changeEmitter.fire(g);
    }
  }

  // loading and throttling ------------------------------------------------------------------------
  /** The view's progress bar runs while AWS is being asked (a slow call shows as loading, not as a frozen tree). */
  private showLoading<T>(load: Promise<T>): Promise<T> {
    void vscode.window.withProgress({ location: { viewId: EXPLORER_VIEW } }, () => load.then(() => undefined, () => undefined));
    return load;
  }

  /**
   * A load that AWS throttled even after the SDK's retries: show that the explorer is waiting, and load it
   * again after a delay that doubles while AWS keeps throttling (exponential backoff, as AWS asks of pollers).
   */
  private waitForThrottle(parent: ExplorerNode | undefined, target: ExplorerNode | 'root'): MessageNode {
    this.throttles.schedule(target === 'root' ? 'root' : target.id, () => {
      if (target === 'root') {
        this.cache.root = undefined;
        this.changeEmitter.fire();
      } else {
        this.invalidate(target);
        this.changeEmitter.fire(target);
      }
    });
    return new MessageNode(parent, THROTTLED_MESSAGE, 'waiting', target);
  }

  // polling (stackPoller.ts) ---------------------------------------------------------------------
  /** ms until the next poll: the configured interval, longer while AWS throttles the polls. */
  pollDelayMs(): number {
    return this.poller.delayMs();
  }

  /** Re-reads only the stacks in a transitional state. */
  pollOnce(): Promise<void> {
    return this.poller.pollOnce();
  }

  /** Re-reads one stack for the poller and redraws what changed; true when AWS throttled the read. */
  async repoll(s: StackNode, gen: number): Promise<boolean> {
    const previous = this.cache.clusters.get(s.id);
    const before = s.cluster ? nodesFingerprint(s.cluster) : undefined;
    this.cache.clusters.delete(s.id);
    this.cache.forgetSsm(s.id);
    const r = await this.ensureCluster(s);
    if (gen !== this.generation) return false;
    if (!r.ok && isThrottle(r.error)) {
      // Keep showing what was last read; the row says the explorer is waiting, and polls slow down.
      if (previous) this.cache.clusters.set(s.id, previous);
      s.waitingNote = THROTTLED_MESSAGE;
      this.changeEmitter.fire(s);
      return true;
    }
    if (s.waitingNote) {
      s.waitingNote = undefined;
      this.changeEmitter.fire(s);
    }
    if (r.ok) this.poller.watched.delete(s.id);
    if (!r.ok && isStackGone(r.error)) {
      this.poller.watched.delete(s.id);
      this.dropStack(s);
    } else if (s.shownAs !== appearance(s) || (r.ok && before !== nodesFingerprint(r.value))) {
      // The stack's row, or the nodes under it (a media node InService, one gone after draining, a master
      // stopped): redraw the stack, which redraws its groups and nodes as they are now.
      this.cache.activity.delete(`${s.id}:media`);
      this.changeEmitter.fire(s);
    }
    return false;
  }

  /** Finds a loaded stack node (for reveal after deploy, palette commands). */
  async findStack(region: string, stackName: string): Promise<StackNode | undefined> {
    return (await this.cache.loadedStacksOf(region)).find((s) => s.summary.stackName === stackName);
  }

  /** All stacks of every region (loads them). */
  allStacks(): Promise<StackNode[]> {
    return allStacks(this);
  }

  /** Every instance node of every stack (loads them): for palette commands' quick picks. */
  allInstances(): Promise<InstanceNode[]> {
    return allInstances(this);
  }

  dispose(): void {
    this.poller.dispose();
    this.throttles.dispose();
    clearTimeout(this.refreshTimer);
    this.changeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export type { StackSummary };
