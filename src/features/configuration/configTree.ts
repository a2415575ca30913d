/**
 * The "Cluster Configuration" view: each complete OpenVidu stack → the master it is read from → the HA layout's
 * folders and files (with sizes). Clicking a file opens it as an `openvidu-config:` editor tab. Nothing is loaded
 * until a stack is expanded (one SSM reachability check and one listing script per stack).
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { describeConfigFile, type ConfigFileEntry } from '../../openvidu/configLayout';
import { stackPhase } from '../../openvidu/cluster';
import type { ClusterTreeProvider, StackNode } from '../explorer';
import type { AppContext } from '../shared/appContext';
import type { ConfigFileSystem } from './configFileSystem';
import { configUri, isTarget, resolveTarget, type ConfigLocation, type ConfigTarget, type NoMaster } from './targets';

export type ConfigTreeNode =
  | { kind: 'stack'; stack: StackNode }
  | { kind: 'folder'; loc: ConfigLocation; label: string; entries: ConfigFileEntry[] }
  | { kind: 'file'; loc: ConfigLocation; size: number }
  | { kind: 'message'; text: string; severity: 'info' | 'warning' | 'error'; stack?: StackNode; enableSsm?: boolean };

export class ConfigTreeProvider implements vscode.TreeDataProvider<ConfigTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly targets = new Map<string, Promise<ConfigTarget | NoMaster>>();

  /** the root showed no stack: redraw it when the explorer (re)loads its stacks */
  private rootEmpty = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly app: AppContext,
    private readonly explorer: ClusterTreeProvider,
    private readonly fs: ConfigFileSystem,
  ) {
    this.subscription = explorer.onDidChangeTreeData(() => {
      if (this.rootEmpty) this.emitter.fire();
    });
  }

  refresh(): void {
    this.targets.clear();
    this.emitter.fire();
  }

  /** The master a stack's configuration is read from (resolved once per refresh). */
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

  getTreeItem(n: ConfigTreeNode): vscode.TreeItem {
    switch (n.kind) {
      case 'stack': {
        const item = new vscode.TreeItem(n.stack.summary.stackName, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `config:${n.stack.id}`;
        item.description = n.stack.region;
        item.iconPath = new vscode.ThemeIcon('settings-gear');
        item.contextValue = 'configStack';
        item.tooltip = 'Files under /opt/openvidu/config, read from one master node over SSM. Change one on a master and restart OpenVidu there to apply it to all nodes (OpenVidu: "How to change OpenVidu configuration").';
        return item;
      }
      case 'folder': {
        const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `config:${n.loc.region}/${n.loc.stackName}/${n.loc.instanceId}/${n.loc.rel}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = configUri(n.loc);
        item.contextValue = 'configFolder';
        return item;
      }
      case 'file': {
        const name = n.loc.rel.split('/').pop() as string;
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        const uri = configUri(n.loc);
        item.id = `config:${uri.path}`;
        item.resourceUri = uri;
        item.description = formatSize(n.size);
        item.tooltip = `${n.loc.rel} (${n.size} bytes)\n${describeConfigFile(n.loc.rel)}`;
        item.contextValue = 'configFile';
        item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(n.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(n.severity === 'info' ? 'info' : n.severity, n.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
        item.tooltip = n.text;
        if (n.enableSsm && n.stack) item.command = { command: Commands.enableSsmOnMasters, title: 'Enable SSM on Master Nodes…', arguments: [n.stack] };
        return item;
      }
    }
  }

  async getChildren(n?: ConfigTreeNode): Promise<ConfigTreeNode[]> {
    if (!n) {
      const stacks = await this.explorer.allStacks().catch(() => []);
      const ready = stacks.filter((s) => stackPhase(s.cluster?.stack.status ?? s.summary.status) === 'complete');
      this.rootEmpty = !ready.length;
      return ready.length ? ready.map((stack) => ({ kind: 'stack' as const, stack })) : [{ kind: 'message', text: 'No complete OpenVidu HA stack in the chosen regions.', severity: 'info' }];
    }
    if (n.kind === 'stack') {
      let t: ConfigTarget | NoMaster;
      try {
        t = await this.target(n.stack);
      } catch (e) {
        return [{ kind: 'message', text: `Could not check the masters: ${this.app.describeError(e, n.stack.region)}`, severity: 'error' }];
      }
      if (!isTarget(t)) {
        const r = t;
        return [
          { kind: 'message', text: `No master node can be reached over SSM. ${r.reasons[0] ?? ''}`, severity: 'warning', stack: n.stack, enableSsm: r.mastersUnregistered },
          ...(r.mastersUnregistered ? [{ kind: 'message' as const, text: 'Click here to run "Enable SSM on Master Nodes…"', severity: 'info' as const, stack: n.stack, enableSsm: true }] : []),
        ];
      }
      const target = t;
      const root: ConfigLocation = { region: target.region, stackName: n.stack.summary.stackName, instanceId: target.master.instanceId, rel: '' };
      let entries: ConfigFileEntry[];
      try {
        entries = await this.fs.listing(root, true);
      } catch (e) {
        return [{ kind: 'message', text: (e as Error).message, severity: 'error' }];
      }
      return [{ kind: 'message', text: `Read from ${target.remote.master.label}`, severity: 'info' }, ...children(root, entries)];
    }
    if (n.kind === 'folder') return children(n.loc, n.entries);
    return [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function children(loc: ConfigLocation, entries: ConfigFileEntry[]): ConfigTreeNode[] {
  const prefix = loc.rel ? `${loc.rel}/` : '';
  const folders = new Map<string, ConfigFileEntry[]>();
  const files: ConfigTreeNode[] = [];
  for (const e of entries) {
    if (!e.path.startsWith(prefix)) continue;
    const rest = e.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) files.push({ kind: 'file', loc: { ...loc, rel: e.path }, size: e.size });
    else {
      const name = rest.slice(0, slash);
      folders.set(name, [...(folders.get(name) ?? []), e]);
    }
  }
  return [...[...folders].sort(([a], [b]) => a.localeCompare(b)).map(([name, es]): ConfigTreeNode => ({ kind: 'folder', loc: { ...loc, rel: `${prefix}${name}` }, label: name, entries: es })), ...files];
}

function formatSize(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}
