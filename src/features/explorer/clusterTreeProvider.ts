/**
 * The node explorer: regions → OpenVidu stacks → master / media node groups → instances.
 * Loads lazily and caches until refresh; polls only stacks in a transitional state, only while the view is
 * visible; a failed load becomes an error node with a retry action.
 */
import * as vscode from 'vscode';
import { callerIdentity, listOpenViduStacks, loadCluster, loadLatestScalingActivity, loadSsmStatus, loadStackEvents, type SsmNodeStatus } from '../../aws/clusterApi';
import { firstFailure } from '../../openvidu/stackEvents';
import { failedStackNextSteps } from '../../openvidu/troubleshooting';
import { describeAwsError, isThrottle } from '../../aws/errors';
import { Cluster, isTransitional, stackPhase, StackSummary } from '../../openvidu/cluster';
import { ContextKeys, EXPLORER_VIEW } from '../../constants';
import type { AppContext } from '../shared/appContext';
import { ContributedNode, ExplorerNode, ForwardSource, GroupNode, InstanceNode, MessageNode, PortForwardNode, RegionNode, ServiceNode, StackNode } from './treeNodes';

/** Adds rows under a loaded stack (after its node groups, which it may annotate); other features register one (the Rooms node). */
export type StackChildrenContributor = (stack: StackNode, groups: GroupNode[]) => ContributedNode[];

type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface ExplorerOptions {
  /** ms between polls of transitional stacks */
  pollIntervalMs?: number;
  /** ms before a load that AWS throttled (after the SDK's own retries) is tried again; doubles per throttle */
  throttleRetryMs?: number;
}

/** What a throttled part of the tree says while the explorer waits to ask again. */
export const THROTTLED_MESSAGE = 'AWS is throttling requests, retrying…';
/** Longest wait between two polls or retries while AWS throttles (the CloudFormation Knowledge Center's backoff tops at 32 s). */
const MAX_BACKOFF_MS = 60_000;

export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ExplorerNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private rootLoad?: Promise<Loaded<RegionNode[]>>;
  private stackLists = new Map<string, Promise<Loaded<StackNode[]>>>();
  // Keyed by node id: nodes are rebuilt on refresh, so each caller copies the loaded value onto its own node.
  private clusterLoads = new Map<string, Promise<Loaded<Cluster>>>();
  private ssmLoads = new Map<string, Promise<Loaded<Map<string, SsmNodeStatus>>>>();
  private pollTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private visible = false;
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;
  /** polls slow down while AWS throttles them: the poll interval is multiplied by this (1, 2, 4…) */
  private pollBackoff = 1;
  /** throttled loads waiting to be tried again, by the id of what they load */
  private readonly throttleRetries = new Map<string, NodeJS.Timeout>();
  private throttleRetryDelay?: number;

  constructor(
    private readonly app: AppContext,
    private readonly options: ExplorerOptions = {},
  ) {
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
    this.schedulePoll();
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
        this.rootLoad = undefined;
        this.stackLists.clear();
        this.clusterLoads.clear();
        this.ssmLoads.clear();
        this.activityLoads.clear();
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
      this.watched.add(stack.id);
      this.schedulePoll();
    }
  }

  /** stacks a command changed: polled until a poll has re-read them */
  private readonly watched = new Set<string>();

  /** Reload now and wait for it (tests, commands that must see fresh data). */
  async reloadNow(): Promise<void> {
    clearTimeout(this.refreshTimer);
    this.generation++;
    this.rootLoad = undefined;
    this.stackLists.clear();
    this.clusterLoads.clear();
    this.ssmLoads.clear();
    this.changeEmitter.fire();
  }

  private invalidate(node: ExplorerNode): void {
    if (node.kind === 'region') {
      this.stackLists.delete(node.region);
      for (const k of [...this.clusterLoads.keys()]) if (k.startsWith(`stack:${node.region}:`)) this.clusterLoads.delete(k);
      for (const k of [...this.ssmLoads.keys()]) if (k.startsWith(`stack:${node.region}:`)) this.ssmLoads.delete(k);
    } else if (node.kind === 'stack') {
      this.clusterLoads.delete(node.id);
      this.activityLoads.delete(`${node.id}:media`);
      for (const k of [...this.ssmLoads.keys()]) if (k.startsWith(node.id)) this.ssmLoads.delete(k);
    } else if (node.kind === 'group') {
      this.ssmLoads.delete(node.id);
    } else if (node.kind === 'message') {
      if (node.retryTarget === 'root' || !node.retryTarget) this.rootLoad = undefined;
      else this.invalidate(node.retryTarget);
    }
  }

  // root ------------------------------------------------------------------------------------------
  private async rootChildren(): Promise<ExplorerNode[]> {
    this.rootLoad ??= this.showLoading(this.loadRoot());
    const r = await this.rootLoad;
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

  private async loadRoot(): Promise<Loaded<RegionNode[]>> {
    try {
      const regions = await this.app.regions();
      const profile = this.app.settings().profile || undefined;
      // One identity call proves the credentials work and names the account.
      const identity = await callerIdentity(this.app.session(regions[0]));
      await vscode.commands.executeCommand('setContext', ContextKeys.credentialsState, 'ok');
      return { ok: true, value: regions.map((r) => new RegionNode(r, profile, identity.account)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  // region → stacks ---------------------------------------------------------------------------
  private async regionChildren(node: RegionNode): Promise<ExplorerNode[]> {
    let p = this.stackLists.get(node.region);
    if (!p) {
      p = this.showLoading(this.loadStacks(node));
      this.stackLists.set(node.region, p);
    }
    const r = await p;
    if (!r.ok && isThrottle(r.error)) return [this.waitForThrottle(node, node)];
    if (!r.ok) return [new MessageNode(node, this.app.describeError(r.error, node.region), 'error', node)];
    this.throttleRetryDelay = undefined;
    if (!r.value.length) return [new MessageNode(node, `No OpenVidu HA stacks in ${node.region}`, 'info')];
    this.schedulePoll();
    return r.value;
  }

  private async loadStacks(node: RegionNode): Promise<Loaded<StackNode[]>> {
    try {
      const stacks = await listOpenViduStacks(this.app.session(node.region));
      return { ok: true, value: stacks.map((s) => new StackNode(node, s)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async loadedStacks(region: string): Promise<StackNode[]> {
    const r = await this.stackLists.get(region);
    return r?.ok ? r.value : [];
  }

  // stack → groups --------------------------------------------------------------------------------
  private async ensureCluster(node: StackNode): Promise<Loaded<Cluster>> {
    let p = this.clusterLoads.get(node.id);
    if (!p) {
      p = this.showLoading(
        loadCluster(this.app.session(node.region), node.summary.stackName).then(
          (value): Loaded<Cluster> => ({ ok: true, value }),
          (error): Loaded<Cluster> => ({ ok: false, error }),
        ),
      );
      this.clusterLoads.set(node.id, p);
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
    this.schedulePoll();
    return out;
  }

  private dropStack(node: StackNode): void {
    const p = this.stackLists.get(node.region);
    if (p) {
      this.stackLists.set(
        node.region,
        p.then((r) => (r.ok ? { ok: true, value: r.value.filter((s) => s !== node) } : r)),
      );
    }
    this.clusterLoads.delete(node.id);
    this.changeEmitter.fire(node.regionNode);
  }

  // group → instances -------------------------------------------------------------------------
  private async groupChildren(node: GroupNode): Promise<ExplorerNode[]> {
    const instances = node.instances();
    let p = this.ssmLoads.get(node.id);
    if (!p) {
      const ids = instances.filter((i) => i.state !== 'terminated').map((i) => i.instanceId);
      p = (ids.length ? loadSsmStatus(this.app.session(node.stackNode.region), ids) : Promise.resolve(new Map<string, SsmNodeStatus>())).then(
        (value): Loaded<Map<string, SsmNodeStatus>> => ({ ok: true, value }),
        (error): Loaded<Map<string, SsmNodeStatus>> => ({ ok: false, error }),
      );
      this.ssmLoads.set(node.id, p);
    }
    if (node.role === 'media') this.loadScalingActivity(node);
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

  private readonly activityLoads = new Set<string>();

  /** The media group's latest scaling activity, read once per load of the stack, shown on the group's row. */
  private loadScalingActivity(node: GroupNode): void {
    const c = node.stackNode.cluster;
    if (!c?.mediaGroup.asgName || this.activityLoads.has(node.id)) return;
    this.activityLoads.add(node.id);
    void loadLatestScalingActivity(this.app.session(node.stackNode.region), c.mediaGroup.asgName).then(
      (a) => {
        if (!a) return;
        c.mediaGroup.lastActivity = { description: a.Description ?? '', status: a.StatusCode ?? '', startTime: a.StartTime, cause: a.Cause };
        this.changeEmitter.fire(node);
      },
      () => undefined, // the group still shows its sizes; the activity is a detail
    );
  }

  /** Port forwards (the shell feature) are listed under their node. */
  private forwardSource?: ForwardSource;
  setForwardSource(source: ForwardSource): vscode.Disposable {
    this.forwardSource = source;
    return source.onDidChange((ids) => this.redrawInstances(new Set(ids)));
  }

  private instanceChildren(node: InstanceNode): ExplorerNode[] {
    const forwards = (this.forwardSource?.forwards(node.node.instanceId) ?? []).map((f) => new PortForwardNode(node, f));
    return [...forwards, ...this.instanceServiceChildren(node)];
  }

  private instanceServiceChildren(node: InstanceNode): ExplorerNode[] {
    const entry = this.app.nodeStatus.get(node.node.instanceId);
    if (!entry) return [];
    const checked = `checked ${clockTime(entry.at)}`;
    if (entry.error || !entry.status) return [new MessageNode(node, `${entry.error ?? 'Status unknown'} (${checked})`, 'warning')];
    const out: ExplorerNode[] = [];
    // Services read before the node changed are kept for reference, under a line that says so.
    if (entry.stale) out.push(new MessageNode(node, `Services as ${checked}, before the node changed (${entry.stale}): check again`, 'info'));
    if (entry.status.openvidu !== 'active') out.push(new MessageNode(node, `openvidu.service is ${entry.status.openvidu}`, 'warning'));
    out.push(...entry.status.services.map((s) => new ServiceNode(node, s)));
    if (!entry.status.services.length && entry.status.problems.length) out.push(new MessageNode(node, entry.status.problems[0], 'warning'));
    return out;
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
    const key = target === 'root' ? 'root' : target.id;
    if (!this.throttleRetries.has(key)) {
      const delay = this.throttleRetryDelay ?? this.options.throttleRetryMs ?? 2000;
      this.throttleRetryDelay = Math.min(delay * 2, MAX_BACKOFF_MS);
      this.app.output.warn(`AWS throttled a load of ${key}; retrying in ${delay} ms`);
      this.throttleRetries.set(
        key,
        setTimeout(() => {
          this.throttleRetries.delete(key);
          if (target === 'root') {
            this.rootLoad = undefined;
            this.changeEmitter.fire();
          } else {
            this.invalidate(target);
            this.changeEmitter.fire(target);
          }
        }, delay),
      );
    }
    return new MessageNode(parent, THROTTLED_MESSAGE, 'waiting', target);
  }

  // polling -------------------------------------------------------------------------------------
  /** ms until the next poll: the configured interval, longer while AWS throttles the polls. */
  pollDelayMs(): number {
    return Math.min((this.options.pollIntervalMs ?? 5000) * this.pollBackoff, MAX_BACKOFF_MS);
  }

  private schedulePoll(): void {
    if (this.pollTimer || !this.visible) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.pollOnce().finally(() => this.rearmPoll());
    }, this.pollDelayMs());
  }

  /** Re-arm only while something is transitional. */
  private async rearmPoll(): Promise<void> {
    if ((await this.transitionalStacks()).length) this.schedulePoll();
  }

  private async transitionalStacks(): Promise<StackNode[]> {
    const out: StackNode[] = [];
    for (const region of [...this.stackLists.keys()]) {
      for (const s of await this.loadedStacks(region)) {
        if (this.watched.has(s.id) || isTransitional(s.cluster?.stack.status ?? s.summary.status) || (s.cluster && nodesInTransition(s.cluster))) out.push(s);
      }
    }
    return out;
  }

  /** Re-reads only the stacks in a transitional state. */
  async pollOnce(): Promise<void> {
    if (!this.visible) return;
    const gen = this.generation;
    const stacks = await this.transitionalStacks();
    let throttled = false;
    await Promise.all(
      stacks.map(async (s) => {
        const previous = this.clusterLoads.get(s.id);
        const before = s.cluster ? nodesFingerprint(s.cluster) : undefined;
        this.clusterLoads.delete(s.id);
        for (const k of [...this.ssmLoads.keys()]) if (k.startsWith(s.id)) this.ssmLoads.delete(k);
        const r = await this.ensureCluster(s);
        if (gen !== this.generation) return;
        if (!r.ok && isThrottle(r.error)) {
          // Keep showing what was last read; the row says the explorer is waiting, and polls slow down.
          throttled = true;
          if (previous) this.clusterLoads.set(s.id, previous);
          s.waitingNote = THROTTLED_MESSAGE;
          this.changeEmitter.fire(s);
          return;
        }
        if (s.waitingNote) {
          s.waitingNote = undefined;
          this.changeEmitter.fire(s);
        }
        if (r.ok) this.watched.delete(s.id);
        if (!r.ok && isStackGone(r.error)) {
          this.watched.delete(s.id);
          this.dropStack(s);
        } else if (s.shownAs !== appearance(s) || (r.ok && before !== nodesFingerprint(r.value))) {
          // The stack's row, or the nodes under it (a media node InService, one gone after draining, a master
          // stopped): redraw the stack, which redraws its groups and nodes as they are now.
          this.activityLoads.delete(`${s.id}:media`);
          this.changeEmitter.fire(s);
        }
      }),
    );
    this.pollBackoff = throttled ? Math.min(this.pollBackoff * 2, MAX_BACKOFF_MS / (this.options.pollIntervalMs ?? 5000)) : 1;
  }

  /** Finds a loaded stack node (for reveal after deploy, palette commands). */
  async findStack(region: string, stackName: string): Promise<StackNode | undefined> {
    return (await this.loadedStacks(region)).find((s) => s.summary.stackName === stackName);
  }

  /** All stacks of every region (loads them). */
  async allStacks(): Promise<StackNode[]> {
    const out: StackNode[] = [];
    for (const root of await this.rootChildren()) {
      if (root.kind !== 'region') continue;
      for (const c of await this.regionChildren(root)) if (c.kind === 'stack') out.push(c);
    }
    return out;
  }

  /** Every instance node of every stack (loads them): for palette commands' quick picks. */
  async allInstances(): Promise<InstanceNode[]> {
    const out: InstanceNode[] = [];
    for (const s of await this.allStacks()) {
      for (const g of await this.stackChildren(s)) {
        if (g.kind !== 'group') continue;
        for (const i of await this.groupChildren(g)) if (i.kind === 'instance') out.push(i);
      }
    }
    return out;
  }

  dispose(): void {
    clearTimeout(this.pollTimer);
    for (const t of this.throttleRetries.values()) clearTimeout(t);
    clearTimeout(this.refreshTimer);
    this.changeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** What a stack row shows; a change means the row must be redrawn. */
function appearance(node: StackNode): string {
  const item = node.treeItem();
  return `${item.description}|${item.contextValue}|${(item.iconPath as vscode.ThemeIcon | undefined)?.id}`;
}

/** What the nodes under a stack look like: a change means the groups and nodes must be redrawn. */
function nodesFingerprint(c: Cluster): string {
  const g = c.mediaGroup;
  const nodes = [...c.masters, ...c.media].map((n) => `${n.instanceId}:${n.state}:${n.lifecycleState ?? ''}:${n.healthStatus ?? ''}:${n.privateIp ?? ''}`);
  return `${g.desired}/${g.min}/${g.max}|${nodes.join(',')}`;
}

/** hh:mm:ss of an instant, for "checked 10:42:07" */
function clockTime(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

/** Media nodes launching or draining, masters starting or stopping: worth polling even when the stack is stable. */
function nodesInTransition(c: Cluster): boolean {
  const moving = new Set(['pending', 'stopping', 'shutting-down']);
  return c.masters.some((m) => moving.has(m.state)) || c.media.some((m) => moving.has(m.state) || (m.lifecycleState !== undefined && m.lifecycleState !== 'InService'));
}

function isStackGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

export type { StackSummary };
