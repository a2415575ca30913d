/**
 * The explorer as the workbench shows it, every row expanded: rows are asked for once and kept until the provider
 * fires onDidChangeTreeData for them (or for the whole tree), as VS Code's tree view does. A row whose data went
 * stale without an event stays stale here too, which is what a user sees and what `treeSnapshot` (which asks the
 * provider afresh every time) cannot show.
 *
 * VS Code's model (vscode.d.ts, TreeDataProvider.onDidChangeTreeData): firing with an element refreshes that element
 * and the elements under it; firing with undefined refreshes the root. An element the view does not hold (an
 * object it was never given) is not refreshed.
 */
import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { ExplorerNode } from '../../src/features/explorer/treeNodes';
import type { SnapshotNode } from '../../src/features/explorer/snapshot';

interface Row {
  element: ExplorerNode;
  item: vscode.TreeItem;
  children?: Row[];
}

export class RenderedTree implements vscode.Disposable {
  private roots: Row[] = [];
  private readonly rows = new Map<ExplorerNode, Row>();
  private queue: Promise<void> = Promise.resolve();
  private readonly subscription: vscode.Disposable;
  private readonly waiters = new Set<() => void>();
  /** how many refreshes the view has drawn (each event is one) */
  draws = 0;

  constructor(private readonly provider: ClusterTreeProvider) {
    this.subscription = provider.onDidChangeTreeData((e) => this.enqueue(e ?? undefined));
  }

  /** Draws the whole tree (the view opening). */
  async open(): Promise<void> {
    this.enqueue(undefined);
    await this.settled();
  }

  /** Waits until every event received so far has been drawn. */
  async settled(): Promise<void> {
    let q;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  /** events received and not drawn yet: VS Code refuses a reveal meanwhile ("Data tree node not found", microsoft/vscode#96089) */
  private pending = 0;

  /** Whether the view is redrawing (an event it has not finished drawing). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Whether a row with this TreeItem id is drawn. */
  hasRow(id: string): boolean {
    return [...this.rows.values()].some((r) => r.item.id === id);
  }

  private enqueue(element: ExplorerNode | undefined): void {
    this.pending++;
    this.queue = this.queue.then(async () => {
      if (!element) {
        this.rows.clear();
        this.roots = await this.drawChildren(undefined);
      } else {
        const row = this.rows.get(element);
        if (!row) {
          this.pending--;
          return; // not a row of this view: ignored, as the workbench does
        }
        row.item = this.provider.getTreeItem(element);
        row.children = row.item.collapsibleState === vscode.TreeItemCollapsibleState.None ? undefined : await this.drawChildren(element);
        // children first may change the row itself (a stack's status), as in the workbench's second getTreeItem
        row.item = this.provider.getTreeItem(element);
      }
      this.draws++;
      this.pending--;
      for (const w of [...this.waiters]) w();
    });
  }

  private async drawChildren(parent: ExplorerNode | undefined): Promise<Row[]> {
    const out: Row[] = [];
    for (const element of await this.provider.getChildren(parent)) {
      const item = this.provider.getTreeItem(element);
      const row: Row = { element, item };
      this.rows.set(element, row);
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) row.children = await this.drawChildren(element);
      out.push(row);
    }
    return out;
  }

  /** What the view shows now. */
  snapshot(): SnapshotNode[] {
    const conv = (r: Row): SnapshotNode => {
      const label = typeof r.item.label === 'string' ? r.item.label : (r.item.label?.label ?? '');
      const out: SnapshotNode = {
        label,
        description: typeof r.item.description === 'string' ? r.item.description : undefined,
        contextValue: r.item.contextValue,
        icon: r.item.iconPath instanceof vscode.ThemeIcon ? r.item.iconPath.id : undefined,
      };
      if (r.children) out.children = r.children.map(conv);
      return out;
    };
    return this.roots.map(conv);
  }

  /** The row at a path of labels (e.g. ['eu-west-1', 'ov', 'Media nodes']). */
  find(...path: string[]): SnapshotNode | undefined {
    let nodes: SnapshotNode[] | undefined = this.snapshot();
    let found: SnapshotNode | undefined;
    for (const label of path) {
      found = nodes?.find((n) => n.label === label);
      nodes = found?.children;
    }
    return found;
  }

  /**
   * Resolves when `check` holds on what the view shows, re-checking after each redraw the provider causes by
   * itself (no Refresh). `onIdle` runs while waiting (e.g. moving the emulator's clock). Rejects after `maxDraws`
   * redraws or `maxMs` of real time without the view ever showing it, with the last view in the message.
   */
  async until(check: (t: RenderedTree) => boolean, what: string, opts: { onIdle?: () => void; maxMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.maxMs ?? 20_000);
    for (;;) {
      await this.settled();
      if (check(this)) return;
      if (Date.now() > deadline) throw new Error(`the view never showed ${what}; it shows:\n${JSON.stringify(this.snapshot(), null, 1)}`);
      opts.onIdle?.();
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, 50);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.waiters.add(done);
      });
      this.waiters.clear();
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
