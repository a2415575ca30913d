/**
 * The "Configuration" row under each complete stack in the HA Clusters explorer (a ContributedNode added through the
 * explorer's addStackChildren door, as the Rooms rows are): the master it is read from, then the HA layout's folders
 * and files with their sizes. Clicking a file opens it as an `openvidu-config:` editor tab. Nothing is loaded until
 * the row is expanded (one SSM reachability check and one listing script per stack, kept until Refresh).
 */
import * as vscode from 'vscode';
import { Commands, ContextValues } from '../../constants';
import { describeConfigFile, type ConfigFileEntry } from '../../openvidu/configLayout';
import { stackPhase } from '../../openvidu/cluster';
import type { ClusterTreeProvider, ContributedNode, ExplorerNode, StackNode, StackTarget } from '../explorer';
import type { AppContext } from '../shared/appContext';
import type { ConfigFileSystem } from './configFileSystem';
import { configUri, isTarget, resolveTarget, type ConfigLocation, type ConfigTarget, type NoMaster } from './targets';

const TOOLTIP =
  'Files under /opt/openvidu/config, read from one master node over SSM. Change one on a master and restart OpenVidu there to apply it to all nodes (OpenVidu: "How to change OpenVidu configuration").';

/** The configuration is offered once the stack is complete and its credentials generated (the files exist then). */
export function showsConfiguration(stack: StackNode): boolean {
  const c = stack.cluster;
  return !!c && c.secret.generated && stackPhase(c.stack.status) === 'complete';
}

/** The state behind the Configuration rows: which master each stack is read from, and its listing. */
export class ConfigTree {
  private readonly targets = new Map<string, Promise<ConfigTarget | NoMaster>>();
  private readonly listings = new Map<string, Promise<ConfigFileEntry[]>>();
  /** the rows last drawn, by stack id (Refresh redraws them) */
  private readonly rows = new Map<string, ConfigurationNode>();

  constructor(
    readonly app: AppContext,
    readonly explorer: ClusterTreeProvider,
    readonly fs: ConfigFileSystem,
  ) {}

  /** The master a stack's configuration is read from (resolved once until Refresh). */
  target(stack: StackNode): Promise<ConfigTarget | NoMaster> {
    let t = this.targets.get(stack.id);
    if (!t) {
      t = resolveTarget(this.app, this.explorer, stack).then((r) => {
        if (isTarget(r)) this.fs.setLabel(r.master.instanceId, r.remote.master.label);
        return r;
      });
      this.targets.set(stack.id, t);
      t.catch(() => this.targets.delete(stack.id));
    }
    return t;
  }

  /** The files under the root (listed once until Refresh: an explorer redraw does not run the script again). */
  listing(stack: StackNode, root: ConfigLocation): Promise<ConfigFileEntry[]> {
    let l = this.listings.get(stack.id);
    if (!l) {
      l = this.fs.listing(root, true);
      this.listings.set(stack.id, l);
      l.catch(() => this.listings.delete(stack.id));
    }
    return l;
  }

  row(stack: StackNode): ConfigurationNode {
    return new ConfigurationNode(this, stack);
  }

  /**
   * The row whose children the view asked for is the object the view knows: a redraw must name that one (the view
   * matches elements by identity, and the explorer builds new rows whenever a stack's children are read, e.g. by
   * resolveTarget).
   */
  shown(n: ConfigurationNode): void {
    this.rows.set(n.stackNode.id, n);
  }

  /** Reads the masters and listings again: of one stack (from its row) or of all. */
  refresh(stack?: StackNode): void {
    const ids = stack ? [stack.id] : [...this.rows.keys()];
    for (const id of ids) {
      this.targets.delete(id);
      this.listings.delete(id);
      const n = this.rows.get(id);
      if (n) this.explorer.redraw(n);
    }
  }
}

export class ConfigurationNode implements ContributedNode {
  readonly kind = 'contributed';
  readonly role = 'configuration';
  constructor(
    readonly tree: ConfigTree,
    readonly stackNode: StackNode,
  ) {}
  get id(): string {
    return `${this.stackNode.id}:configuration`;
  }
  parent(): StackNode {
    return this.stackNode;
  }
  toTarget(): StackTarget {
    return this.stackNode.toTarget();
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Configuration', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = '/opt/openvidu/config';
    item.iconPath = new vscode.ThemeIcon('settings-gear');
    item.contextValue = ContextValues.configuration;
    item.tooltip = TOOLTIP;
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    const { tree, stackNode: stack } = this;
    tree.shown(this);
    let t: ConfigTarget | NoMaster;
    try {
      t = await tree.target(stack);
    } catch (e) {
      return [new ConfigNoteNode(this, `Could not check the masters: ${tree.app.describeError(e, stack.region)}`, 'error')];
    }
    if (!isTarget(t)) {
      return [
        new ConfigNoteNode(this, `No master node can be reached over SSM. ${t.reasons[0] ?? ''}`, 'warning', t.mastersUnregistered),
        ...(t.mastersUnregistered ? [new ConfigNoteNode(this, 'Click here to run "Enable SSM on Master Nodes…"', 'info', true)] : []),
      ];
    }
    const root: ConfigLocation = { region: t.region, stackName: stack.summary.stackName, instanceId: t.master.instanceId, rel: '' };
    let entries: ConfigFileEntry[];
    try {
      entries = await tree.listing(stack, root);
    } catch (e) {
      return [new ConfigNoteNode(this, (e as Error).message, 'error')];
    }
    return [new ConfigNoteNode(this, `Read from ${t.remote.master.label}`, 'info'), ...childrenOf(this, root, entries)];
  }
}

/** What the rows below Configuration share: their parent row, their stack (what they mean to a command). */
abstract class ConfigChildRow {
  readonly kind = 'contributed';
  constructor(readonly parentNode: ConfigurationNode | ConfigFolderNode) {}
  toTarget(): StackTarget {
    return this.stackNode.toTarget();
  }
  get stackNode(): StackNode {
    return this.parentNode.stackNode;
  }
  parent(): ExplorerNode {
    return this.parentNode;
  }
}

export class ConfigFolderNode extends ConfigChildRow implements ContributedNode {
  readonly role = 'configFolder';
  constructor(
    parentNode: ConfigurationNode | ConfigFolderNode,
    readonly loc: ConfigLocation,
    readonly label: string,
    readonly entries: ConfigFileEntry[],
  ) {
    super(parentNode);
  }
  get id(): string {
    return `${this.stackNode.id}:config:${this.loc.rel}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.resourceUri = configUri(this.loc);
    item.contextValue = ContextValues.configFolder;
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    return childrenOf(this, this.loc, this.entries);
  }
}

export class ConfigFileNode extends ConfigChildRow implements ContributedNode {
  readonly role = 'configFile';
  /** what Restore Configuration Backup… reads from the row it is invoked on */
  readonly resourceUri: vscode.Uri;
  constructor(
    parentNode: ConfigurationNode | ConfigFolderNode,
    readonly loc: ConfigLocation,
    readonly size: number,
  ) {
    super(parentNode);
    this.resourceUri = configUri(loc);
  }
  get id(): string {
    return `${this.stackNode.id}:config:${this.loc.rel}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.loc.rel.split('/').pop() as string, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.resourceUri = this.resourceUri;
    item.description = formatSize(this.size);
    item.tooltip = `${this.loc.rel} (${this.size} bytes)\n${describeConfigFile(this.loc.rel)}`;
    item.contextValue = ContextValues.configFile;
    item.command = { command: 'vscode.open', title: 'Open', arguments: [this.resourceUri] };
    return item;
  }
}

/** An information row under Configuration (which master; why none can be read, with the fix one click away). */
export class ConfigNoteNode extends ConfigChildRow implements ContributedNode {
  readonly role = 'configNote';
  constructor(
    override readonly parentNode: ConfigurationNode,
    readonly text: string,
    readonly severity: 'info' | 'warning' | 'error',
    readonly enableSsm = false,
  ) {
    super(parentNode);
  }
  get id(): string {
    return `${this.parentNode.id}:note:${this.severity}:${this.text.slice(0, 40)}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.severity, this.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
    item.tooltip = this.text;
    item.contextValue = ContextValues.info;
    if (this.enableSsm) item.command = { command: Commands.enableSsmOnMasters, title: 'Enable SSM on Master Nodes…', arguments: [this.stackNode] };
    return item;
  }
}

function childrenOf(parent: ConfigurationNode | ConfigFolderNode, loc: ConfigLocation, entries: ConfigFileEntry[]): ExplorerNode[] {
  const prefix = loc.rel ? `${loc.rel}/` : '';
  const folders = new Map<string, ConfigFileEntry[]>();
  const files: ExplorerNode[] = [];
  for (const e of entries) {
    if (!e.path.startsWith(prefix)) continue;
    const rest = e.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) files.push(new ConfigFileNode(parent, { ...loc, rel: e.path }, e.size));
    else {
      const name = rest.slice(0, slash);
      folders.set(name, [...(folders.get(name) ?? []), e]);
    }
  }
  const dirs = [...folders].sort(([a], [b]) => a.localeCompare(b)).map(([name, es]) => new ConfigFolderNode(parent, { ...loc, rel: `${prefix}${name}` }, name, es));
  return [...dirs, ...files];
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}
