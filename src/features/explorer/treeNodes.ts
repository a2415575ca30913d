/** The explorer's node kinds. Each knows its parent (for reveal) and builds its own TreeItem. */
import * as vscode from 'vscode';
import { Cluster, isShutDown, NodeInstance, StackSummary, stackPhase } from '../../openvidu/cluster';
import type { SsmNodeStatus } from '../../aws/clusterApi';
import type { NodeStatusEntry } from '../shared/nodeStatusStore';
import type { ServiceStatus } from '../../openvidu/nodeCommands';
import type { StackEventLike } from '../../openvidu/stackEvents';
import { Commands, ContextValues } from '../../constants';
import { serviceHealth } from '../../openvidu/health';
import { instanceDescription, instanceIcon, instanceTooltip, stackDescription, stackIcon, stackTooltip } from './presentation';
import { formatIso, formatTime } from '../../openvidu/timeFormat';
import type { NodeGroupTarget, NodeTarget, ServiceTarget, StackTarget, Target } from './target';

export type ExplorerNode = RegionNode | StackNode | GroupNode | InstanceNode | ServiceNode | MessageNode | PortForwardNode | ContributedNode;

/** A node another feature adds under a stack (the Rooms feature's rows): it draws itself and loads its children. */
export interface ContributedNode {
  readonly kind: 'contributed';
  readonly id: string;
  parent(): ExplorerNode | undefined;
  treeItem(): vscode.TreeItem;
  children?(): Promise<ExplorerNode[]>;
  /** what the row means to a command (target.ts), when it means one */
  toTarget?(): Target | undefined;
}

export class RegionNode {
  readonly kind = 'region';
  constructor(
    readonly region: string,
    readonly profile: string | undefined,
    public account?: string,
  ) {}
  get id(): string {
    return `region:${this.region}`;
  }
  parent(): undefined {
    return undefined;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = [this.profile ? `profile ${this.profile}` : 'default credentials', this.account ? `account ${this.account}` : undefined]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = ContextValues.region;
    item.tooltip = `AWS region ${this.region}${this.account ? `, account ${this.account}` : ''}`;
    return item;
  }
}

export class StackNode {
  readonly kind = 'stack';
  cluster?: Cluster;
  /** first failing stack event, read once for failed stacks */
  failure?: StackEventLike;
  /** how the row was last drawn (description, context value, icon), to redraw only on change */
  shownAs?: string;
  /** set while a poll of this stack is throttled by AWS: the row says the explorer is waiting */
  waitingNote?: string;
  constructor(
    readonly regionNode: RegionNode,
    public summary: StackSummary,
  ) {}
  get region(): string {
    return this.regionNode.region;
  }
  get id(): string {
    return `stack:${this.region}:${this.summary.stackName}`;
  }
  parent(): RegionNode {
    return this.regionNode;
  }
  toTarget(): StackTarget {
    return { kind: 'stack', region: this.region, stack: this };
  }
  treeItem(): vscode.TreeItem {
    const status = this.cluster?.stack.status ?? this.summary.status;
    const summary = { ...this.summary, status };
    const collapsible = stackPhase(status) === 'deleted' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(this.summary.stackName, collapsible);
    item.id = this.id;
    item.description = stackDescription(summary, this.cluster);
    item.tooltip = stackTooltip(summary, this.region, this.cluster);
    item.iconPath = stackIcon(status);
    // A shut-down cluster (all masters stopped) offers Start instead of Shut Down.
    const stopped = isShutDown(this.cluster);
    // A failed stack whose secret was never generated offers no credential action (menus match `.nosecret`).
    item.contextValue = ContextValues.stack(stackPhase(status)) + (stopped && stackPhase(status) === 'complete' ? '.stopped' : '') + (secretNeverGenerated(status, this.cluster) ? '.nosecret' : '');
    if (stopped) item.description = `shut down · ${item.description}`;
    if (this.waitingNote) item.description = `${item.description} · ${this.waitingNote}`;
    return item;
  }
}

export class GroupNode {
  readonly kind = 'group';
  ssm?: Map<string, SsmNodeStatus>;
  /** media group: current CPU against the scaling target, set by the dashboard feature */
  loadNote?: string;
  constructor(
    readonly stackNode: StackNode,
    readonly role: 'master' | 'media',
  ) {}
  get id(): string {
    return `${this.stackNode.id}:${this.role}`;
  }
  parent(): StackNode {
    return this.stackNode;
  }
  toTarget(): NodeGroupTarget {
    return { kind: 'nodeGroup', region: this.stackNode.region, stack: this.stackNode, group: this, role: this.role };
  }
  instances(): NodeInstance[] {
    const c = this.stackNode.cluster;
    return (this.role === 'master' ? c?.masters : c?.media) ?? [];
  }
  treeItem(): vscode.TreeItem {
    const nodes = this.instances();
    const label = this.role === 'master' ? 'Master nodes' : 'Media nodes';
    const item = new vscode.TreeItem(label, nodes.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const running = nodes.filter((n) => n.state === 'running').length;
    if (this.role === 'master') {
      item.description = `${running}/${nodes.length} running`;
      item.iconPath = new vscode.ThemeIcon('server-process');
      item.contextValue = ContextValues.mastersGroup + (isShutDown(this.stackNode.cluster) ? '.shutdown' : '');
    } else {
      const g = this.stackNode.cluster?.mediaGroup;
      const draining = nodes.filter((n) => n.lifecycleState?.startsWith('Terminating')).length;
      const status = this.stackNode.cluster?.stack.status ?? this.stackNode.summary.status;
      // A stack whose Auto Scaling group was never created (a failed creation) has no sizes to show: say so.
      const sizes = !g ? undefined : g.asgName ? `desired ${g.desired ?? '?'} (min ${g.min ?? '?'}, max ${g.max ?? '?'})` : stackPhase(status) === 'inProgress' ? 'Auto Scaling group not created yet' : 'the Auto Scaling group was never created';
      item.description = [g?.asgName || nodes.length ? `${running} running` : undefined, sizes, draining ? `${draining} draining` : undefined]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = ContextValues.mediaGroup + (isShutDown(this.stackNode.cluster) ? '.shutdown' : '');
      const a = g?.lastActivity;
      if (a && a.status !== 'Successful' && a.status !== 'Failed' && a.status !== 'Cancelled') item.description += ` · scaling: ${a.description}`;
      if (this.loadNote) item.description += ` · ${this.loadNote}`;
      const tip = new vscode.MarkdownString(undefined, true);
      if (g?.asgName) tip.appendMarkdown(`Auto Scaling group \`${g.asgName}\`\n\n`);
      tip.appendMarkdown('A CPU target-tracking policy may change the desired count within min..max. Removed nodes drain their sessions for up to an hour.\n\n');
      if (a) tip.appendMarkdown(`Latest scaling activity (${a.status}${a.startTime ? `, ${formatTime(a.startTime)} (${formatIso(a.startTime)})` : ''}): ${a.description}${a.cause ? `\n\n${a.cause}` : ''}`);
      item.tooltip = tip;
    }
    return item;
  }
}

export class InstanceNode {
  readonly kind = 'instance';
  constructor(
    readonly group: GroupNode,
    readonly node: NodeInstance,
    readonly ssm: SsmNodeStatus | null | undefined,
    /** services read over SSM, once a status check has run */
    readonly status?: NodeStatusEntry,
    /** ports forwarded from this node (the shell feature's), shown under it */
    readonly forwards: readonly ForwardRow[] = [],
  ) {}
  get id(): string {
    return `${this.group.id}:${this.node.instanceId}`;
  }
  get region(): string {
    return this.group.stackNode.region;
  }
  parent(): GroupNode {
    return this.group;
  }
  toTarget(): NodeTarget {
    return { kind: 'node', region: this.region, stack: this.group.stackNode, instance: this, node: this.node };
  }
  treeItem(): vscode.TreeItem {
    const label = this.node.role === 'master' ? `Master ${this.node.index ?? '?'}` : this.node.instanceId;
    const hasChildren = !!this.status || this.forwards.length > 0;
    const item = new vscode.TreeItem(label, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // A row the workbench first saw as a leaf keeps it collapsed when it gets children: once its services are
    // known it is a new row, so it opens on them; later checks keep the user's expand/collapse choice.
    item.id = this.status ? `${this.id}:services` : this.forwards.length ? `${this.id}:forwards` : this.id;
    const base = this.node.role === 'master' ? `${this.node.instanceId} · ${instanceDescription(this.node, this.ssm)}` : instanceDescription(this.node, this.ssm);
    item.description = this.status ? `${base} · ${serviceSummary(this.status, this.node.role)}` : base;
    item.tooltip = instanceTooltip(this.node, this.ssm);
    item.iconPath = instanceIcon(this.node);
    const state = this.node.lifecycleState?.startsWith('Terminating') ? 'draining' : this.node.state;
    // Nodes of a shut-down cluster offer Start Cluster instead of operations (menus match `.shutdown`).
    item.contextValue = ContextValues.node(this.node.role, state) + (isShutDown(this.group.stackNode.cluster) ? '.shutdown' : '');
    return item;
  }
}

/** A shut-down cluster: every master stopped (Shut Down Cluster's end state). */
export { isShutDown };

/**
 * A stack that failed or rolled back before master node 1 generated its credentials: the secret is missing or
 * still holds the template's placeholders, and it never will be filled in. Known once the stack is loaded.
 */
export function secretNeverGenerated(status: string, cluster: Cluster | undefined): boolean {
  const phase = stackPhase(status);
  return !!cluster && (phase === 'failed' || phase === 'rolledBack') && !cluster.secret.generated;
}

function serviceSummary(entry: NodeStatusEntry, role: 'master' | 'media'): string {
  if (entry.error || !entry.status) return entry.stale ? 'not checked (before a change)' : 'not checked';
  // A container that exits by design (minio with S3 on AWS) is neither up nor a problem: leave it out of the count.
  const counted = entry.status.services.filter((s) => serviceHealth(s, role) !== 'expected');
  const bad = counted.filter((s) => { const h = serviceHealth(s, role); return h === 'broken' || h === 'down'; }).length;
  const unit = entry.status.openvidu === 'active' ? '' : `openvidu ${entry.status.openvidu} · `;
  return `${unit}${counted.length - bad}/${counted.length} services up${entry.stale ? ' (before a change: check again)' : ''}`;
}

/** A service (container) on a node, from the last status check. */
export class ServiceNode {
  readonly kind = 'service';
  constructor(
    readonly instance: InstanceNode,
    readonly service: ServiceStatus,
  ) {}
  get id(): string {
    return `${this.instance.id}:svc:${this.service.name}`;
  }
  parent(): InstanceNode {
    return this.instance;
  }
  toTarget(): ServiceTarget {
    return { ...this.instance.toTarget(), kind: 'service', service: this.service.name };
  }
  treeItem(): vscode.TreeItem {
    const s = this.service;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const health = serviceHealth(s, this.instance.node.role);
    item.description = health === 'expected' ? `${s.status || s.state} · expected` : s.status || s.state;
    item.tooltip = `${s.name} (${s.container ?? 'container'}): ${s.state}${s.health ? `, ${s.health}` : ''} — ${s.status}${health === 'expected' ? '\n\nExpected in the AWS deployment: the cluster stores its data in S3 buckets, so MinIO starts and exits at once.' : ''}`;
    const bad = health === 'broken';
    const stopped = s.state !== 'running';
    item.iconPath = health === 'expected'
      ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground'))
      : bad
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : stopped
        ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
        : s.health === 'starting'
          ? new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.blue'))
          : new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    item.contextValue = `service.${bad ? 'unhealthy' : health === 'expected' ? 'expected' : stopped ? s.state : 'running'}`;
    return item;
  }
}

/** An info line, or an error with a retry action on the node that failed to load. */
export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parentNode: ExplorerNode | undefined,
    readonly message: string,
    /** 'waiting': a load AWS throttled; the explorer retries it by itself, with backoff */
    readonly severity: 'info' | 'warning' | 'error' | 'waiting',
    readonly retryTarget?: ExplorerNode | 'root',
  ) {}
  get id(): string {
    return `${this.parentNode?.id ?? 'root'}:message:${this.severity}:${this.message.slice(0, 40)}`;
  }
  parent(): ExplorerNode | undefined {
    return this.parentNode;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.severity === 'error' ? `Failed to load: ${this.message}` : this.message, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.tooltip = this.severity === 'error' ? `${this.message}\n\nClick to retry.` : this.message;
    item.iconPath =
      this.severity === 'waiting'
        ? new vscode.ThemeIcon('loading~spin')
        : this.severity === 'error'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
        : this.severity === 'warning'
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
          : new vscode.ThemeIcon('info');
    item.contextValue = this.severity === 'error' ? ContextValues.error : ContextValues.info;
    if (this.retryTarget) item.command = { command: Commands.retry, title: 'Retry', arguments: [this] };
    return item;
  }
}

/** A port forwarded from a node, as the shell feature lists it. */
export interface ForwardRow {
  id: string;
  instanceId: string;
  remotePort: number;
  localPort: number;
  /** e.g. "Grafana" */
  name?: string;
  connections: number;
}

/** The source of the port forward rows (the shell feature); the explorer redraws nodes when it fires. */
export interface ForwardSource {
  forwards(instanceId: string): ForwardRow[];
  readonly onDidChange: vscode.Event<string[]>;
}

/** A port forward under its node: 127.0.0.1:<local> → node:<remote>, with Stop. */
export class PortForwardNode {
  readonly kind = 'portForward';
  constructor(
    readonly instance: InstanceNode,
    readonly forward: ForwardRow,
  ) {}
  get id(): string {
    return `${this.instance.id}:fwd:${this.forward.id}`;
  }
  parent(): InstanceNode {
    return this.instance;
  }
  treeItem(): vscode.TreeItem {
    const f = this.forward;
    const item = new vscode.TreeItem(`127.0.0.1:${f.localPort} → :${f.remotePort}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${f.name ? `${f.name} · ` : ''}forwarded · ${f.connections} connection${f.connections === 1 ? '' : 's'}`;
    item.tooltip = `Port ${f.remotePort} of ${f.instanceId} is forwarded to 127.0.0.1:${f.localPort} through Session Manager. Stop it from the row's menu.`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = ContextValues.portForward;
    return item;
  }
}
