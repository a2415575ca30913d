/** The explorer's node kinds. Each knows its parent (for reveal) and builds its own TreeItem. */
import * as vscode from 'vscode';
import { Cluster, NodeInstance, StackSummary, stackPhase } from '../../openvidu/cluster';
import type { SsmNodeStatus } from '../../aws/clusterApi';
import type { NodeStatusEntry } from '../operations/nodeStatusStore';
import type { ServiceStatus } from '../../openvidu/nodeCommands';
import type { StackEventLike } from '../../openvidu/stackEvents';
import { Commands, ContextValues } from '../../constants';
import { instanceDescription, instanceIcon, instanceTooltip, stackDescription, stackIcon, stackTooltip } from './presentation';

export type ExplorerNode = RegionNode | StackNode | GroupNode | InstanceNode | ServiceNode | MessageNode | ContributedNode;

/** A node another feature adds under a stack (the Rooms feature's rows): it draws itself and loads its children. */
export interface ContributedNode {
  readonly kind: 'contributed';
  readonly id: string;
  parent(): ExplorerNode | undefined;
  treeItem(): vscode.TreeItem;
  children?(): Promise<ExplorerNode[]>;
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
    const stopped = !!this.cluster?.masters.length && this.cluster.masters.every((m) => m.state === 'stopped');
    item.contextValue = ContextValues.stack(stackPhase(status)) + (stopped && stackPhase(status) === 'complete' ? '.stopped' : '');
    if (stopped) item.description = `${item.description} · shut down`;
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
      item.contextValue = ContextValues.mastersGroup;
    } else {
      const g = this.stackNode.cluster?.mediaGroup;
      const draining = nodes.filter((n) => n.lifecycleState?.startsWith('Terminating')).length;
      item.description = [`${running} running`, g ? `desired ${g.desired ?? '?'} (min ${g.min ?? '?'}, max ${g.max ?? '?'})` : undefined, draining ? `${draining} draining` : undefined]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = ContextValues.mediaGroup;
      const a = g?.lastActivity;
      if (a && a.status !== 'Successful' && a.status !== 'Failed' && a.status !== 'Cancelled') item.description += ` · scaling: ${a.description}`;
      if (this.loadNote) item.description += ` · ${this.loadNote}`;
      const tip = new vscode.MarkdownString(undefined, true);
      if (g?.asgName) tip.appendMarkdown(`Auto Scaling group \`${g.asgName}\`\n\n`);
      tip.appendMarkdown('A CPU target-tracking policy may change the desired count within min..max. Removed nodes drain their sessions for up to an hour.\n\n');
      if (a) tip.appendMarkdown(`Latest scaling activity (${a.status}${a.startTime ? `, ${a.startTime.toISOString()}` : ''}): ${a.description}${a.cause ? `\n\n${a.cause}` : ''}`);
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
  treeItem(): vscode.TreeItem {
    const label = this.node.role === 'master' ? `Master ${this.node.index ?? '?'}` : this.node.instanceId;
    const item = new vscode.TreeItem(label, this.status ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // A row the workbench first saw as a leaf keeps it collapsed when it gets children: once its services are
    // known it is a new row, so it opens on them; later checks keep the user's expand/collapse choice.
    item.id = this.status ? `${this.id}:services` : this.id;
    const base = this.node.role === 'master' ? `${this.node.instanceId} · ${instanceDescription(this.node, this.ssm)}` : instanceDescription(this.node, this.ssm);
    item.description = this.status ? `${base} · ${serviceSummary(this.status)}` : base;
    item.tooltip = instanceTooltip(this.node, this.ssm);
    item.iconPath = instanceIcon(this.node);
    const state = this.node.lifecycleState?.startsWith('Terminating') ? 'draining' : this.node.state;
    item.contextValue = ContextValues.node(this.node.role, state);
    return item;
  }
}

function serviceSummary(entry: NodeStatusEntry): string {
  if (entry.error || !entry.status) return 'status unknown';
  const bad = entry.status.services.filter((s) => s.health === 'unhealthy' || s.state !== 'running').length;
  const unit = entry.status.openvidu === 'active' ? '' : `openvidu ${entry.status.openvidu} · `;
  return `${unit}${entry.status.services.length - bad}/${entry.status.services.length} services up`;
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
  treeItem(): vscode.TreeItem {
    const s = this.service;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = s.status || s.state;
    item.tooltip = `${s.name} (${s.container ?? 'container'}): ${s.state}${s.health ? `, ${s.health}` : ''} — ${s.status}`;
    const bad = s.health === 'unhealthy' || s.state === 'restarting' || s.state === 'dead';
    const stopped = s.state !== 'running';
    item.iconPath = bad
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : stopped
        ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
        : s.health === 'starting'
          ? new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.blue'))
          : new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    item.contextValue = `service.${bad ? 'unhealthy' : stopped ? s.state : 'running'}`;
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
